"""Errors as JSON {"error": ..., "fields": {...}} with proper status codes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError


def error_body(message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": message, "fields": fields or {}}


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            fields = {name: " ".join(msgs) for name, msgs in exc.message_dict.items()}
            first = next(iter(fields.items()))
            return respond(request, 422, error_body(f"{first[0]}: {first[1]}", fields))
        return respond(request, 422, error_body(" ".join(exc.messages)))

    @api.exception_handler(SchemaError)
    def on_schema(request: HttpRequest, exc: SchemaError) -> HttpResponse:
        fields: dict[str, str] = {}
        for error in exc.errors:
            location = [
                str(part)
                for part in error.get("loc", ())
                if part not in ("body", "payload", "query", "path")
            ]
            name = ".".join(location) or "body"
            fields[name] = str(error.get("msg", _("Invalid value.")))
        first = next(iter(fields.items()), ("body", _("Invalid request.")))
        return respond(request, 422, error_body(f"{first[0]}: {first[1]}", fields))

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(_("Not found.")))

    @api.exception_handler(PermissionDenied)
    def on_403(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, error_body(_("You may not do this.")))

    @api.exception_handler(AuthenticationError)
    def on_401(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body(_("Sign in or send a valid token.")))

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, error_body(str(exc)))

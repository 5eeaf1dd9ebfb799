"""The JSON API at /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Decision (docs/decisions/0002-api.md): django-ninja, over the same services and selectors as
the pages. The interactive docs page is off: it would load scripts from a CDN.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema

from dangjian.accounts.api import router as auth_router
from dangjian.accounts.models import User
from dangjian.api import errors
from dangjian.api.auth import AUTH
from dangjian.comments.api import router as comments_router
from dangjian.content.api import router as content_router
from dangjian.contributions.api import router as contributions_router
from dangjian.development.api import router as development_router
from dangjian.members.api import router as members_router
from dangjian.moderation.api import router as moderation_router
from dangjian.notifications.api import router as notifications_router
from dangjian.orgs.api import router as orgs_router
from dangjian.orgs.permissions import roles_held


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document is for signed-in clients, not the public (ASVS 13.4)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and not any(a(request) for a in AUTH[:1]):
            return JsonResponse(errors.error_body(_("Sign in or send a valid token.")), status=401)
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="dangjian API",
    version="1",
    description="智慧党建 — organizations, members and their history.",
    auth=AUTH,
    docs_url=None,
    docs_decorator=signed_in_only,
    urls_namespace="api",
)
errors.install(api)


class MeOut(Schema):
    username: str
    display_name: str
    admin_role: str
    roles: list[str]
    member_id: int | None


@api.get("/me", response=MeOut, tags=["auth"], summary="The signed-in account")
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    member = getattr(user, "member_record", None)
    return MeOut(
        username=user.username,
        display_name=user.display_name,
        admin_role=user.admin_role,
        roles=roles_held(user),
        member_id=member.pk if member else None,
    )


api.add_router("/auth", auth_router)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)
api.add_router("/moderation", moderation_router)
api.add_router("/notifications", notifications_router)
api.add_router("/content", content_router)
api.add_router("/comments", comments_router)
api.add_router("/contributions", contributions_router)
api.add_router("/development", development_router)

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dangjian.audit import context
from dangjian.lib.http import client_ip


class RequestContextMiddleware:
    """Remember the client address and agent so audit entries can name them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        token = context.set_current(
            context.RequestContext(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                channel=channel,
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)

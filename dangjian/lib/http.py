"""Request helpers shared by views, the API and django-axes."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str:
    """The real client address.

    With no proxy configured (PROXY_COUNT=0) only the socket address counts, so a client cannot
    choose its own address with an X-Forwarded-For header and dodge the lockout.
    """
    proxy_count = settings.PROXY_COUNT
    if proxy_count <= 0:
        return str(request.META.get("REMOTE_ADDR", "") or "")
    ip, _routable = get_client_ip(
        request,
        proxy_count=proxy_count,
        request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
    )
    return str(ip or request.META.get("REMOTE_ADDR", "") or "")

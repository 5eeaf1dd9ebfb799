"""Request types for views behind login_required (as healthchecks' AuthenticatedHttpRequest)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from dangjian.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails

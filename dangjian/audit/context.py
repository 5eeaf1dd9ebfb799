"""Where the current request came from, for audit entries written deep inside services."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str = ""
    user_agent: str = ""
    channel: str = "cli"  # "web", "api" or "cli"


_NO_REQUEST = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "audit_request_context", default=None
)


def current() -> RequestContext:
    return _current.get() or _NO_REQUEST


def set_current(context: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(context)


def reset(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)

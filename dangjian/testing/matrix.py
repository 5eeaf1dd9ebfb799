"""The permission matrix: every URL and API operation, for every persona, with the status
code each must get. A test walks the matrix; a meta-test fails when a URL or an API operation
is missing from it, so a new page cannot ship without saying who may open it.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

ALL_PERSONAS = (
    "anonymous",
    "orgdept",
    "committee1",
    "secretary1",
    "secretary2",
    "committee_member",
    "member1",
    "editor1",
    "outsider",
    "sysadmin",
    "secadmin",
    "auditor",
)

Fixture = dict[str, Any]


@dataclass
class Case:
    """One request, and the status each persona must get (`default` for the rest)."""

    name: str
    url: Callable[[Fixture], str]
    method: str = "get"
    data: Callable[[Fixture], Any] | None = None
    expect: dict[str, int] = field(default_factory=dict)
    default: int = 404
    json: bool = False

    def status_for(self, persona: str) -> int:
        return self.expect.get(persona, self.default)


def statuses(ok: int, personas: tuple[str, ...] | list[str], **others: int) -> dict[str, int]:
    result = dict.fromkeys(personas, ok)
    result.update(others)
    return result


def url_names() -> set[str]:
    """Every named URL pattern of the project, namespaced ("members:roster")."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                child = pattern.namespace or ""
                joined = f"{namespace}:{child}" if namespace and child else namespace or child
                walk(pattern.url_patterns, joined)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def api_operations() -> Iterator[tuple[str, str]]:
    """(METHOD, path) of every operation of the JSON API, path relative to /api/v1."""
    from dangjian.api.main import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    full = (prefix.rstrip("/") + "/" + path.lstrip("/")).rstrip("/") or "/"
                    yield method.upper(), full.replace("//", "/")


def page(
    name, url, *, method="get", data=None, ok=200, who=(), anonymous=302, default=404, **others
) -> Case:
    expect = statuses(ok, who, anonymous=anonymous, **others)
    return Case(name=name, url=url, method=method, data=data, expect=expect, default=default)


def admin_page(name, url, role, *, method="get", ok=200) -> Case:
    return page(name, url, method=method, ok=ok, who=(role,))


def api(method, path, ok, who, *, body=None, anonymous=401, default=404, **others) -> Case:
    expect = statuses(ok, who, anonymous=anonymous, **others)

    def url(fixture: dict[str, Any]) -> str:
        return "/api/v1" + str(path).format(**fixture)

    def data(fixture: dict[str, Any]) -> str:
        return json.dumps(body(fixture) if callable(body) else body or {})

    return Case(
        name=f"{method} {path}",
        url=url,
        method=method.lower(),
        data=data,
        expect=expect,
        default=default,
        json=True,
    )


LOGGED_IN = tuple(p for p in ALL_PERSONAS if p != "anonymous")


@dataclass
class AppMatrix:
    """An app's own rows of the matrix: its pages, its API operations, and the objects they name
    (built once per test class from the test university)."""

    pages: list[Case]
    api: list[Case]
    fixture: Callable[[Any], Fixture]


def app_matrices() -> list[AppMatrix]:
    """The rows each installed app keeps in `tests/matrix.py` (and in more `tests/matrix_*.py`
    modules, when pages and API or parts of a large app are written apart): PAGES, API and
    fixture(uni)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dangjian."):
            continue
        try:
            tests = importlib.import_module(f"{config.name}.tests")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests":
                raise
            continue
        names = sorted(
            info.name
            for info in pkgutil.iter_modules(tests.__path__)
            if info.name == "matrix" or info.name.startswith("matrix_")
        )
        for name in names:
            module = importlib.import_module(f"{config.name}.tests.{name}")
            found.append(
                AppMatrix(
                    list(getattr(module, "PAGES", [])),
                    list(getattr(module, "API", [])),
                    module.fixture,
                )
            )
    return found

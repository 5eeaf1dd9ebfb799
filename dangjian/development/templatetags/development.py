"""Names of the steps and stages in the reader's language, and the badge of a deadline."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.development.rules.steps import STAGE_NAMES, Stage
from dangjian.development.rules.steps import step as step_def

register = template.Library()


@register.filter
def step_name(number: int) -> str:
    try:
        return _(step_def(int(number)).name_en)
    except (TypeError, ValueError):
        return ""


@register.filter
def stage_name(number: int) -> str:
    try:
        return _(STAGE_NAMES[Stage(int(number))][1])
    except (TypeError, ValueError, KeyError):
        return ""


@register.filter
def member_names(ids: list[int] | int | None, names: dict[int, str]) -> str:
    if ids is None:
        return ""
    values = ids if isinstance(ids, list) else [ids]
    return pgettext("list separator", ", ").join(names.get(int(v), f"#{v}") for v in values)

"""The rules' local choices from the settings (``DEVELOPMENT_RULES``, JSON in the environment):
each field of ``rules.model.RulesConfig``, in JSON's own types."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from dangjian.development.rules.model import RulesConfig


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _months(value: Any) -> int | None:
    return None if value is None else int(value)


def _one_of(*allowed: Any) -> Any:
    def convert(value: Any) -> Any:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(map(repr, allowed))}")
        return value

    return convert


CONVERTERS: dict[str, Any] = {
    "effective": lambda v: {str(key): _date(day) for key, day in dict(v).items()},
    "version_by": _one_of("step_date", "case_start"),
    "notice_working_days": lambda v: {
        str(version): {int(step): int(days) for step, days in dict(steps).items()}
        for version, steps in dict(v).items()
    },
    "prereview_to_branch_months": lambda v: {
        str(version): _months(months) for version, months in dict(v).items()
    },
    "activist_start_step": _one_of(3, 4),
    "probation_end_next_day": bool,
    "exceptable": lambda v: frozenset(str(rule) for rule in v),
    "disabled": lambda v: frozenset(str(rule) for rule in v),
    "talk_warn_days": int,
    "due_soon_days": int,
}


def rules_config(values: Mapping[str, Any] | None = None) -> RulesConfig:
    """A RulesConfig from ``values`` (the DEVELOPMENT_RULES setting by default); an unknown
    key or a value of the wrong shape stops the start with the key named."""
    values = getattr(settings, "DEVELOPMENT_RULES", {}) if values is None else values
    known = {f.name for f in dataclasses.fields(RulesConfig)}
    changes: dict[str, Any] = {}
    for key, value in dict(values).items():
        if key not in known or key not in CONVERTERS:
            raise ImproperlyConfigured(f"DEVELOPMENT_RULES: no setting {key!r}")
        try:
            changes[key] = CONVERTERS[key](value)
        except (TypeError, ValueError, AttributeError) as error:
            raise ImproperlyConfigured(f"DEVELOPMENT_RULES[{key!r}]: {error}") from None
    try:
        return RulesConfig(**changes)
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(f"DEVELOPMENT_RULES: {error}") from None

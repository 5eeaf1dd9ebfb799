"""Template helpers for the interface: form widgets in Bootstrap dress, dates, numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms, template
from django.utils import timezone

register = template.Library()


@register.filter
def widget_class(field: forms.BoundField) -> str:
    """Render a bound field's widget with Bootstrap classes and error state."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        css = "form-control"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs: dict[str, Any] = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_help"
    return str(field.as_widget(attrs=attrs))


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def ymd(value: dt.date | dt.datetime | None) -> str:
    """2026-11-25, the format of tables."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


@register.filter
def ymd_hm(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@register.filter
def cn_date(value: dt.date | None) -> str:
    """2026年11月25日, the format of documents and notices."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def thousands(value: int | None) -> str:
    return f"{int(value or 0):,}"


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return str(params.urlencode())

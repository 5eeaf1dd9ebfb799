"""Template helpers for the interface: form widgets in Bootstrap dress, dates, numbers."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django import forms, template
from django.db.models import Model
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


@lru_cache(maxsize=512)
def _path(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def path(name: str) -> str:
    """The URL of a view that takes no arguments: {% url %} without resolving it every time."""
    return _path(name, get_script_prefix())


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


@lru_cache(maxsize=4096)
def _filter_options(
    form_class: type[forms.Form], field_name: str, language: str, selected: str
) -> SafeString:
    """The <option>s of a filter, reading "Gender: Female", built once per language and value."""
    field = form_class.base_fields[field_name]
    label = str(field.label)
    pattern = str(_("%(name)s: %(value)s"))
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == selected else "",
             pattern % {"name": label, "value": text})
            for value, text in getattr(field, "choices", [])
        ),
    )  # fmt: skip


@register.simple_tag
def filter_select(field: forms.BoundField) -> str:
    """A filter <select> whose options read "Gender: Female"."""
    selected = str(field.value() or "")
    form_class: Any = type(field.form)
    options = _filter_options(form_class, field.name, get_language() or "", selected)
    return format_html(
        '<select class="form-select" name="{}" id="{}" aria-label="{}">{}</select>',
        field.html_name,
        field.auto_id,
        field.label,
        options,
    )


@lru_cache(maxsize=512)
def _labels(model: type[Model], field_name: str, language: str) -> dict[str, str]:
    field = model._meta.get_field(field_name)
    return {str(value): str(label) for value, label in getattr(field, "flatchoices", [])}


@register.filter
def display(instance: Model, field_name: str) -> str:
    """The label of a choice field (like get_FOO_display), without rebuilding the choices."""
    value = getattr(instance, field_name)
    if value is None:
        return ""
    model = instance.__class__  # not type(): request.user is a lazy proxy
    return _labels(model, field_name, get_language() or "").get(str(value), str(value))


@register.filter
def status_badge(member: Any) -> str:
    """The membership badge of a roster row: full, probationary, or the standing."""
    if member.standing != "active":
        css, text = "badge-muted", display(member, "standing")
    elif member.status == "full":
        css, text = "badge-full", display(member, "status")
    else:
        css, text = "badge-probationary", display(member, "status")
    return format_html('<span class="badge badge-status {}">{}</span>', css, text)

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry
from dangjian.audit.models import AuditEntry
from dangjian.audit.selectors import AuditFilters


class AuditFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.CharField(label=_("Account"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", _("All")), *AuditEntry.Result.choices]
    )
    target = forms.CharField(label=_("Object"), required=False, max_length=100)
    ip = forms.CharField(label=_("Address"), required=False, max_length=64)
    org_code = forms.CharField(label=_("Organization code"), required=False, max_length=40)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        prefixes = sorted({code.rsplit(".", 1)[0] for code, _label in registry.choices()})
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *[(p, p) for p in prefixes],
            *registry.choices(),
        ]

    def filters(self) -> AuditFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilters(**{k: v for k, v in data.items() if v not in (None, "")})

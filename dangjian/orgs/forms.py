from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Organization, Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=100)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("A stable code, for example the code in the national system."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)
    branch_type = forms.ChoiceField(
        label=_("Branch type"), choices=Organization.BranchType.choices, required=False
    )
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=DateInput())
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, required=False, initial=0)
    is_joint = forms.BooleanField(label=_("Joint branch"), required=False)
    is_temporary = forms.BooleanField(label=_("Temporary organization"), required=False)
    approval_authority = forms.BooleanField(label=_("May approve admissions"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Office phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Office address"), max_length=200, required=False)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["sort_order"] = data.get("sort_order") or 0
        return data


class MoveForm(forms.Form):
    parent_code = forms.CharField(label=_("Code of the new parent organization"), max_length=40)


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(label=_("Dissolved on"), widget=DateInput())


class TermForm(forms.Form):
    ordinal = forms.IntegerField(label=_("Term number"), min_value=1)
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(label=_("End"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)


class RoleGrantForm(forms.Form):
    username = forms.CharField(label=_("Account name"), max_length=150)
    org_code = forms.CharField(label=_("Organization code"), max_length=40)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())


class AdminRoleForm(forms.Form):
    username = forms.CharField(label=_("Account name"), max_length=150)
    admin_role = forms.ChoiceField(
        label=_("Administrator role"),
        choices=[
            ("", _("None")),
            ("system_admin", _("System administrator")),
            ("security_admin", _("Security administrator")),
            ("audit_admin", _("Audit administrator")),
        ],
        required=False,
    )

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.members.choices import (
    ETHNICITY_CHOICES,
    Category,
    Degree,
    Education,
    Gender,
    SanctionKind,
    Standing,
    Status,
)
from dangjian.members.models import STATEMENT_MAX_LENGTH, EventKind
from dangjian.members.selectors import AGE_BANDS
from dangjian.orgs.forms import DateInput
from dangjian.orgs.models import Organization, PostKind

BLANK: list[tuple[str, Any]] = [("", "—")]
ORIGIN_CHOICES = [
    (EventKind.REGISTERED, _("An existing member entering the records")),
    (EventKind.ADMISSION, _("A newly admitted probationary member")),
    (EventKind.TRANSFER_IN, _("A member transferred in from outside")),
]


def _org_label(org: Organization) -> str:
    return f"{org.name}（{org.code}）"


class OrganizationChoiceField(forms.ChoiceField):
    """Choose a branch by code among those the user may act on."""

    def __init__(self, branches: QuerySet[Organization], **kwargs: Any) -> None:
        self.branches = branches
        choices = [(org.code, _org_label(org)) for org in branches[:500]]
        super().__init__(choices=BLANK + choices, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return bool(value) and self.branches.filter(code=value).exists()

    def to_org(self, value: str) -> Organization | None:
        return self.branches.filter(code=value).first() if value else None


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("Citizen ID number"), max_length=24)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=BLANK + list(Gender.choices),
        required=False,
        help_text=_("Taken from the ID number when left empty."),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        help_text=_("Taken from the ID number when left empty."),
    )
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=BLANK + ETHNICITY_CHOICES)
    native_place = forms.CharField(label=_("Native place"), max_length=100, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=BLANK + list(Education.choices))
    degree = forms.ChoiceField(label=_("Degree"), choices=Degree.choices, required=False)
    category = forms.ChoiceField(
        label=_("Personnel category"), choices=BLANK + list(Category.choices)
    )
    staff_number = forms.CharField(
        label=_("Staff or student number"), max_length=30, required=False
    )
    grade = forms.CharField(label=_("Cohort"), max_length=10, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    joined_on = forms.CharField(label=_("Date joined the Party"), widget=DateInput(), max_length=20)
    full_member_on = forms.CharField(
        label=_("Date became a full member"), widget=DateInput(), max_length=20, required=False
    )
    status = forms.ChoiceField(label=_("Membership"), choices=Status.choices)

    def __init__(
        self, *args: Any, branches: QuerySet[Organization] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if branches is not None:
            self.fields["organization"] = OrganizationChoiceField(branches, label=_("Party branch"))
            self.fields["origin"] = forms.ChoiceField(
                label=_("How the member enters the records"), choices=ORIGIN_CHOICES
            )
            self.fields["origin_date"] = forms.DateField(
                label=_("Date transferred in"), required=False, widget=DateInput()
            )
            self.order_fields(["organization", "origin", "origin_date"])
        else:
            del self.fields["status"]

    def service_data(self) -> dict[str, Any]:
        data = {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("origin", "origin_date")
        }
        if "organization" in data:
            field = self.fields["organization"]
            assert isinstance(field, OrganizationChoiceField)
            data["organization"] = field.to_org(data["organization"])
        return data


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Change"))
    effective_date = forms.DateField(label=_("Effective date"), widget=DateInput())
    organization = forms.CharField(
        label=_("Organization code"),
        max_length=40,
        required=False,
        help_text=_("For moves, transfers in and readmissions: the code of the receiving branch."),
    )
    destination = forms.CharField(
        label=_("Transferred to"),
        max_length=100,
        required=False,
        help_text=_("For transfers out: the receiving organization."),
    )
    months = forms.IntegerField(
        label=_("Extension in months"), min_value=1, max_value=24, required=False
    )
    sanction = forms.ChoiceField(
        label=_("Sanction"), choices=BLANK + list(SanctionKind.choices), required=False
    )
    years = forms.IntegerField(
        label=_("Years of probation within the Party"), min_value=1, max_value=2, required=False
    )
    reason = forms.CharField(
        label=_("Reason or decision"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    document = forms.CharField(label=_("Document number"), max_length=100, required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = BLANK + kinds  # type: ignore[attr-defined]

    def detail(self) -> dict[str, Any]:
        return {
            key: self.cleaned_data.get(key)
            for key in ("destination", "months", "sanction", "years")
            if self.cleaned_data.get(key) not in (None, "")
        }


class FlagsForm(forms.Form):
    effective_date = forms.DateField(label=_("Effective date"), widget=DateInput())
    is_floating = forms.BooleanField(label=_("Mobile member"), required=False)
    floating_to = forms.CharField(label=_("Where they are"), max_length=100, required=False)
    is_lost_contact = forms.BooleanField(label=_("Lost contact"), required=False)
    lost_contact_since = forms.DateField(
        label=_("Lost contact since"), required=False, widget=DateInput()
    )
    is_abroad = forms.BooleanField(label=_("Abroad"), required=False)


class PostForm(forms.Form):
    member = forms.ChoiceField(label=_("Member"))
    post = forms.ChoiceField(label=_("Post"), choices=PostKind.choices)
    title = forms.CharField(label=_("Title"), max_length=40, required=False)
    start_date = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = BLANK + [  # type: ignore[attr-defined]
            (str(pk), label) for pk, label in members
        ]


class PostEndForm(forms.Form):
    end_date = forms.DateField(label=_("Until"), widget=DateInput())


class FilterChoiceField(forms.ChoiceField):
    """A choice field whose fixed choices are shared, not deep-copied, by each form.

    A form copies its fields on every instantiation; for the roster's filters (the ethnicity
    list alone has 58 entries) copying the choices cost more than the rest of the request.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> FilterChoiceField:
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.deepcopy(self.widget, memo)
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class RosterFilterForm(forms.Form):
    org = forms.CharField(required=False, widget=forms.HiddenInput())
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Name or staff/student number"),
                "class": "form-control",
                "type": "search",
            }
        ),
    )
    status = FilterChoiceField(
        label=_("Membership"), required=False, choices=[("", _("All")), *list(Status.choices)]
    )
    category = FilterChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *list(Category.choices)]
    )
    gender = FilterChoiceField(
        label=_("Gender"), required=False, choices=[("", _("All")), *list(Gender.choices)]
    )
    ethnicity = FilterChoiceField(
        label=_("Ethnicity"),
        required=False,
        choices=[("", _("All")), ("minority", _("Ethnic minorities")), *ETHNICITY_CHOICES],
    )
    education = FilterChoiceField(
        label=_("Education"), required=False, choices=[("", _("All")), *list(Education.choices)]
    )
    age = FilterChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("All"))]
        + [
            (
                key,
                _("30 and under") if key == "le30" else _("71 and over") if key == "ge71" else key,
            )
            for key in AGE_BANDS
        ],
    )
    flag = FilterChoiceField(
        label=_("Marks"),
        required=False,
        choices=[
            ("", _("All")),
            ("floating", _("Mobile members")),
            ("lost_contact", _("Lost contact")),
            ("abroad", _("Abroad")),
        ],
    )
    standing = FilterChoiceField(
        label=_("Standing"),
        required=False,
        choices=[("", _("All records")), *list(Standing.choices)],
        initial=Standing.ACTIVE,
    )


class ExportForm(forms.Form):
    full = forms.BooleanField(
        label=_("Include full ID numbers, phones and addresses"), required=False
    )
    reason = forms.CharField(
        label=_("Purpose of the export"),
        max_length=200,
        required=False,
        help_text=_("Required for an export with full personal data; it is kept in the audit log."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("full") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the full personal data are needed."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Roster file (.xlsx)"))
    organization = forms.ChoiceField(label=_("Default Party branch"), required=False)

    def __init__(self, *args: Any, branches: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.branches = branches
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Given in the file"))] + [
            (org.code, _org_label(org)) for org in branches[:500]
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel .xlsx file."))
        return upload


class HistoryForm(forms.Form):
    date = forms.DateField(label=_("Roster on"), required=False, widget=DateInput())
    year = forms.IntegerField(label=_("Year"), min_value=1921, max_value=2100, required=False)


class StatementForm(forms.Form):
    # The length rule lives in the service (services.statement.clean_statement), which counts
    # a line break as one character as the browser's counter does.
    statement = forms.CharField(
        label=_("Self-introduction"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": STATEMENT_MAX_LENGTH}),
        help_text=_(
            "At most 500 characters. Those who may see your record read it once it passes the "
            "content check; leave it empty to remove it."
        ),
    )

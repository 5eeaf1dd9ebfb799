"""Forms of the development pages. They shape input into the API contract's field names; the
services and the rules engine judge it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.development import documents
from dangjian.development.rules.steps import (
    CANCEL,
    CONVERT,
    EXTEND,
    QUALIFIED,
    UNQUALIFIED,
)
from dangjian.development.rules.steps import step as step_def
from dangjian.members.choices import ETHNICITY_CHOICES, Category, Education
from dangjian.orgs.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MembersChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OrgChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PersonForm(forms.Form):
    """A new applicant who has no member record yet."""

    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("Citizen ID number"), max_length=18)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    organization = OrgChoice(label=_("Organization"), queryset=Organization.objects.none())
    application_date = forms.DateField(label=_("Date of the written application"), widget=DATE)
    expected_leave_date = forms.DateField(
        label=_("Expected to leave the unit on"),
        widget=DATE,
        required=False,
        help_text=_("For a student, the expected graduation date (DEV-LEAVE3M)."),
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"), choices=[("", "—"), *ETHNICITY_CHOICES], required=False
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *Education.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Personnel category"), choices=[("", "—"), *Category.choices], required=False
    )
    staff_number = forms.CharField(
        label=_("Staff or student number"), max_length=30, required=False
    )
    grade = forms.CharField(label=_("Cohort"), max_length=10, required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        if organizations.count() == 1:
            field.initial = organizations.first()


class ProfileForm(forms.Form):
    """The person's data a case may correct or complete."""

    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    expected_leave_date = forms.DateField(
        label=_("Expected to leave the unit on"), widget=DATE, required=False
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"), choices=[("", "—"), *ETHNICITY_CHOICES], required=False
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *Education.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Personnel category"), choices=[("", "—"), *Category.choices], required=False
    )
    staff_number = forms.CharField(
        label=_("Staff or student number"), max_length=30, required=False
    )
    grade = forms.CharField(label=_("Cohort"), max_length=10, required=False)


class StepForm(forms.Form):
    """One step's date and the fields that step records (rules/steps.py), named as in the API."""

    date = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(
        self,
        *args: Any,
        step: int,
        members: Any,
        approvers: Any,
        may_except: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        definition = step_def(step)
        self.fields["date"].initial = timezone.localdate()
        names = set(definition.fields)
        required = set(definition.required)
        if "talker" in names:
            self.fields["talker"] = MemberChoice(
                label=_("Who talked with them"), queryset=members, required="talker" in required
            )
        if "contacts" in names:
            self.fields["contacts"] = MembersChoice(
                label=_("Cultivation contacts (two full members)"),
                queryset=members,
                widget=forms.CheckboxSelectMultiple,
                required="contacts" in required,
            )
        if "sponsors" in names:
            self.fields["sponsors"] = MembersChoice(
                label=_("Sponsors (two full members)"),
                queryset=members,
                widget=forms.CheckboxSelectMultiple,
                required="sponsors" in required,
            )
        if "notice_start" in names:
            self.fields["notice_start"] = forms.DateField(
                label=_("Public notice from"), widget=DATE, required=False
            )
            self.fields["notice_end"] = forms.DateField(
                label=_("Public notice until"), widget=DATE, required=False
            )
        if "training_days" in names:
            self.fields["training_days"] = forms.DecimalField(
                label=_("Training days"),
                min_value=0,
                max_digits=5,
                decimal_places=1,
                required=False,
            )
            self.fields["training_hours"] = forms.DecimalField(
                label=_("Training hours"),
                min_value=0,
                max_digits=5,
                decimal_places=1,
                required=False,
            )
        if "review_conclusion" in names:
            self.fields["review_conclusion"] = forms.ChoiceField(
                label=_("Conclusion of the political review"),
                choices=[(QUALIFIED, _("Qualified")), (UNQUALIFIED, _("Not qualified"))],
                widget=forms.RadioSelect,
            )
        if "vote" in names:
            self.fields["entitled"] = forms.IntegerField(
                label=_("Members entitled to vote"),
                min_value=0,
                help_text=_("Full members of the branch with voting rights."),
            )
            self.fields["present"] = forms.IntegerField(
                label=_("Entitled members present"), min_value=0
            )
            self.fields["yes"] = forms.IntegerField(label=_("Votes in favour"), min_value=0)
            self.fields["written_yes"] = forms.IntegerField(
                label=_("Of which written votes of absent members"), min_value=0, required=False
            )
        if "approver_org" in names:
            field = OrgChoice(
                label=_("Approving committee"), queryset=approvers, to_field_name="code"
            )
            if approvers.count() == 1:
                field.initial = approvers.first()
            self.fields["approver_org"] = field
        if "outcome" in names and step != 17:  # a refused admission: the committee's page
            outcomes = [
                (CONVERT, _("Convert to full member")),
                (EXTEND, _("Extend probation")),
                (CANCEL, _("Cancel probationary membership")),
            ]
            self.fields["outcome"] = forms.ChoiceField(
                label=_("Decision"),
                choices=[("", _("As the branch meeting decided")), *outcomes]
                if step == 24
                else outcomes,
                required="outcome" in required,
                widget=forms.RadioSelect,
            )
        if "extension_months" in names:
            self.fields["extension_months"] = forms.IntegerField(
                label=_("Extension in months"), min_value=6, max_value=12, required=False
            )
        if may_except:
            self.fields["exception_rules"] = forms.CharField(
                label=_("Documented exception: rules it covers"),
                required=False,
                help_text=_(
                    "Rule identifiers such as DEV-TALK, separated by spaces; only where the "
                    "rules allow an exception."
                ),
            )
            self.fields["exception_reason"] = forms.CharField(
                label=_("Reason and document of the exception"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def step_fields(self) -> dict[str, Any]:
        """The cleaned input in the API contract's names."""
        data = self.cleaned_data
        fields: dict[str, Any] = {}
        if data.get("talker") is not None:
            fields["talker"] = data["talker"].pk
        for name in ("contacts", "sponsors"):
            if data.get(name):
                fields[name] = [m.pk for m in data[name]]
        for name in (
            "notice_start",
            "notice_end",
            "training_days",
            "training_hours",
            "review_conclusion",
            "extension_months",
        ):
            if data.get(name) not in (None, ""):
                fields[name] = data[name]
        if "yes" in data and data.get("entitled") is not None:
            fields["vote"] = {
                "entitled": data["entitled"],
                "present": data["present"],
                "yes": data["yes"],
                "written_yes": data.get("written_yes") or 0,
            }
        if data.get("approver_org") is not None:
            fields["approver_org"] = data["approver_org"].code
        if data.get("outcome"):
            fields["outcome"] = data["outcome"]
        return fields

    def exception(self) -> tuple[frozenset[str], str] | None:
        rules = (self.cleaned_data.get("exception_rules") or "").replace(",", " ").split()
        if not rules:
            return None
        return frozenset(r.strip().upper() for r in rules), self.cleaned_data.get(
            "exception_reason"
        ) or ""


class DocumentForm(forms.Form):
    step = forms.IntegerField(label=_("Step"), min_value=1, max_value=25)
    form = forms.ChoiceField(label=_("Form"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Other paper"))]
        for number, forms_ in documents.FORMS.items():
            choices += [(f.code, f"{number}. {f.name}") for f in forms_]
        self.fields["form"].choices = choices  # type: ignore[attr-defined]


class BatchForm(StepForm):
    """One step for many people: the common fields once, each person's votes (and, at the
    conversion meeting, each decision) on their own line."""

    def __init__(
        self, *args: Any, step: int, candidates: Any, may_except: bool = False, **kwargs: Any
    ) -> None:
        from dangjian.development import pipeline

        self.candidates = list(candidates)
        cases = [row.case for row in self.candidates]
        members = pipeline.actor_members(cases, step)
        approvers = pipeline.approver_orgs(cases)
        super().__init__(
            *args, step=step, members=members, approvers=approvers, may_except=may_except, **kwargs
        )
        self.fields["cases"] = forms.TypedMultipleChoiceField(
            label=_("People"),
            coerce=int,
            choices=[(row.case.pk, row.case.name) for row in self.candidates],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one person.")},
        )
        self.per_person = "vote" in step_def(step).fields
        if self.per_person:
            self.fields.pop("yes")
            self.fields.pop("written_yes")
            for row in self.candidates:
                pk = row.case.pk
                self.fields[f"yes_{pk}"] = forms.IntegerField(
                    label=_("Votes in favour"), min_value=0, required=False
                )
                self.fields[f"written_yes_{pk}"] = forms.IntegerField(
                    label=_("Of which written"), min_value=0, required=False
                )
                if step == 23:
                    self.fields[f"outcome_{pk}"] = forms.ChoiceField(
                        label=_("Decision"),
                        choices=[
                            (CONVERT, _("Convert")),
                            (EXTEND, _("Extend")),
                            (CANCEL, _("Cancel")),
                        ],
                        initial=CONVERT,
                        required=False,
                    )
                    self.fields[f"extension_months_{pk}"] = forms.IntegerField(
                        label=_("Months"), min_value=6, max_value=12, required=False
                    )
            self.fields.pop("outcome", None)
            self.fields.pop("extension_months", None)

    def common_bound_fields(self) -> list[forms.BoundField]:
        """The fields said once for everyone (not the choice of people, not their own)."""
        own = ("yes_", "written_yes_", "outcome_", "extension_months_")
        return [self[name] for name in self.fields if name != "cases" and not name.startswith(own)]

    def rows(self) -> list[dict[str, Any]]:
        """Each candidate with their own fields, for the template."""
        result = []
        for row in self.candidates:
            pk = row.case.pk
            result.append(
                {
                    "row": row,
                    "yes": self[f"yes_{pk}"] if self.per_person else None,
                    "written_yes": self[f"written_yes_{pk}"] if self.per_person else None,
                    "outcome": self[f"outcome_{pk}"] if f"outcome_{pk}" in self.fields else None,
                    "months": self[f"extension_months_{pk}"]
                    if f"extension_months_{pk}" in self.fields
                    else None,
                }
            )
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.per_person:
            for pk in data.get("cases") or []:
                if data.get(f"yes_{pk}") is None:
                    self.add_error(
                        f"yes_{pk}", _("Give the votes in favour of each person chosen.")
                    )
        return data

    def chosen_cases(self) -> list[Any]:
        chosen = set(self.cleaned_data["cases"])
        return [row.case for row in self.candidates if row.case.pk in chosen]

    def common_fields(self) -> dict[str, Any]:
        fields = self.step_fields()
        fields.pop("vote", None)
        return fields

    def per_case_fields(self) -> dict[int, dict[str, Any]]:
        if not self.per_person:
            return {}
        data = self.cleaned_data
        result: dict[int, dict[str, Any]] = {}
        for pk in data["cases"]:
            own: dict[str, Any] = {
                "vote": {
                    "entitled": data["entitled"],
                    "present": data["present"],
                    "yes": data.get(f"yes_{pk}") or 0,
                    "written_yes": data.get(f"written_yes_{pk}") or 0,
                }
            }
            if data.get(f"outcome_{pk}"):
                own["outcome"] = data[f"outcome_{pk}"]
            if data.get(f"extension_months_{pk}") is not None:
                own["extension_months"] = data[f"extension_months_{pk}"]
            result[pk] = own
        return result

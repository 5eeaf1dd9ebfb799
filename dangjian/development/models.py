"""Member development (发展党员): a person's case and the steps recorded on it.

The rules live in ``rules/`` (pure Python); these models hold what the rules read. A step's
own fields keep the names of the API contract of issue 5 (``fields``: notice_start,
notice_end, training_days, training_hours, review_conclusion; ``actors``: talker, contacts,
sponsors as member ids; ``vote``: entitled, present, yes, written_yes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.content.models import Upload
from dangjian.development.rules.steps import Stage
from dangjian.lib import crypto, masking
from dangjian.lib.fields import EncryptedTextField
from dangjian.lib.workdays import WorkdayCalendar
from dangjian.members.choices import Gender
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

ID_PURPOSE = "development.id_number"
PHONE_PURPOSE = "development.phone"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    CLOSED = "closed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Not admitted")


STAGE_CHOICES = [
    (Stage.APPLYING.value, _("Applying to join")),
    (Stage.ACTIVIST.value, _("Activist")),
    (Stage.DEVELOPMENT_OBJECT.value, _("Development object")),
    (Stage.ADMISSION.value, _("Admission")),
    (Stage.PROBATION.value, _("Probationary member")),
]


class Case(models.Model):
    """A person on the way from application to full membership (one case per person)."""

    # The member record, when the person has one; else the applicant's own data below.
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_cases",
    )
    # The applicant's own account, for a person without a member record (a member signs in
    # with the member's account): it shows them their progress and nothing else.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="development_cases",
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("citizen ID number"), blank=True)
    id_number_hash = models.CharField(max_length=32, blank=True)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    phone_hash = models.CharField(max_length=32, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="development_cases",
    )
    # The organization's path, copied so a subtree's cases are one index range.
    org_path = models.CharField(max_length=255)
    application_date = models.DateField(_("application date"))
    expected_leave_date = models.DateField(
        _("expected to leave the unit on"), null=True, blank=True
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), choices=STAGE_CHOICES, default=Stage.APPLYING.value
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    rule_version = models.CharField(_("rule version at start"), max_length=10)
    # The next step and its dates as the rules give them after the last step recorded (they
    # depend on the history only, so they are kept with it): counts of what is overdue stay
    # one indexed query.
    next_step = models.PositiveSmallIntegerField(_("next step"), null=True, blank=True)
    next_earliest = models.DateField(_("next step not before"), null=True, blank=True)
    next_latest = models.DateField(_("next step due by"), null=True, blank=True)
    # What the member record needs besides the above, for a person without one: ethnicity,
    # education, category, staff_number, grade (the member record is created at admission).
    profile = models.JSONField(_("personal data for the member record"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("development case")
        verbose_name_plural = _("development cases")
        ordering = ["org_path", "application_date", "id"]
        indexes = [
            models.Index(fields=["status", "org_path", "stage"], name="devcase_scope"),
            models.Index(fields=["id_number_hash"], name="devcase_id_hash"),
            models.Index(fields=["status", "next_latest"], name="devcase_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="open", member__isnull=False),
                name="devcase_one_open_per_member",
            ),
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(status="open") & ~Q(id_number_hash=""),
                name="devcase_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_org_code(self) -> str:
        return self.organization.code

    def set_id_number(self, number: str) -> None:
        self.id_number = number
        self.id_number_hash = crypto.blind_index(number, purpose=ID_PURPOSE) if number else ""

    def set_phone(self, number: str) -> None:
        self.phone = number
        self.phone_hash = crypto.blind_index(number, purpose=PHONE_PURPOSE) if number else ""

    @property
    def phone_masked(self) -> str:
        return masking.mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return masking.mask_id_number(self.id_number) if self.id_number else ""


class StepEvent(models.Model):
    """One of the 25 steps recorded on a case, as the rules judged it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    step = models.PositiveSmallIntegerField(_("step"))
    date = models.DateField(_("date"))
    # notice_start, notice_end (ISO dates), training_days, training_hours (decimal strings),
    # review_conclusion: only those the step records.
    fields = models.JSONField(_("fields"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # talker (member id), contacts and sponsors (lists of member ids).
    actors = models.JSONField(_("actors"), default=dict, blank=True)
    # entitled, present, yes, written_yes; null where the step holds no vote.
    vote = models.JSONField(_("vote"), null=True, blank=True)
    approver_org = models.ForeignKey(
        Organization,
        verbose_name=_("approving organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=10, blank=True)
    extension_months = models.PositiveSmallIntegerField(
        _("extension in months"), null=True, blank=True
    )
    rule_version = models.CharField(_("rule version"), max_length=10)
    # What the decision maker wrote with it (the reason the committee did not approve).
    note = models.TextField(_("note"), blank=True)
    is_exception = models.BooleanField(_("documented exception"), default=False)
    exception_rules = models.JSONField(default=list, blank=True)
    exception_reason = models.TextField(_("reason for the exception"), blank=True)
    # The warnings the rules raised: [{"rule", "message", "article", "source"}].
    warnings = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")
        ordering = ["case", "date", "step", "id"]
        indexes = [models.Index(fields=["case", "date", "step"], name="devstep_timeline")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.step} {self.date}"

    def audit_org_code(self) -> str:
        return self.case.organization.code


class Holiday(models.Model):
    """A day of the working-day calendar an administrator maintains: a weekday off
    (holiday) or a weekend day worked to make up for one (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off")
        WORKDAY = "workday", _("Working weekend day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


def calendar_for(years: Iterable[int]) -> WorkdayCalendar:
    """The working-day calendar of the years involved, from the Holiday rows. A year with
    no row is not configured: results that touch it are provisional."""
    wanted = sorted(set(years))
    if not wanted:
        return WorkdayCalendar()
    rows = Holiday.objects.filter(
        date__gte=dt.date(wanted[0], 1, 1), date__lte=dt.date(wanted[-1], 12, 31)
    ).values_list("date", "kind")
    off = [d for d, kind in rows if kind == Holiday.Kind.HOLIDAY and d.year in wanted]
    worked = [d for d, kind in rows if kind == Holiday.Kind.WORKDAY and d.year in wanted]
    configured = {d.year for d in off + worked}
    return WorkdayCalendar.from_data(holidays=off, working_weekends=worked, years=configured)


class WarningSent(models.Model):
    """A deadline warning the daily job sent (warnings.py): one per case, step, kind and latest
    date, so a second run sends nothing twice and a moved deadline can warn again."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="warnings_sent")
    step = models.PositiveSmallIntegerField(_("step"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    latest_date = models.DateField(_("due by"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline warning sent")
        verbose_name_plural = _("deadline warnings sent")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "step", "kind", "latest_date"], name="devwarning_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.step} {self.kind} {self.latest_date}"


class StepDocument(models.Model):
    """A document kept with a step (the dossier's 材料): one of the step's standard forms
    (``documents.FORMS``) or another paper, as an uploaded file."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    step = models.PositiveSmallIntegerField(_("step"))
    form = models.CharField(_("form"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    upload = models.ForeignKey(Upload, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("step document")
        verbose_name_plural = _("step documents")
        ordering = ["case", "step", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_org_code(self) -> str:
        return self.case.organization.code


class CaseReturn(models.Model):
    """A committee sent a case back to the branch instead of approving a step (13, 17 or 24),
    with its reason; the case leaves the committee's queue until the branch resubmits it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="returns")
    step = models.PositiveSmallIntegerField(_("step"))
    reason = models.TextField(_("reason"))
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resubmitted at"), null=True, blank=True)
    resolution = models.TextField(_("what the branch did"), blank=True)

    class Meta:
        verbose_name = _("returned case")
        verbose_name_plural = _("returned cases")
        ordering = ["-returned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(resolved_at__isnull=True), name="devreturn_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.step}"

    def audit_org_code(self) -> str:
        return self.case.organization.code


class AdmissionPlan(models.Model):
    """How many people an organization plans to admit in a year (发展党员计划)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="admission_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned = models.PositiveIntegerField(_("planned admissions"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("admission plan")
        verbose_name_plural = _("admission plans")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="devplan_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}: {self.planned}"

    def audit_org_code(self) -> str:
        return self.organization.code

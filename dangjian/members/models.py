from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.lib import crypto, masking
from dangjian.lib.dates import age_on, years_between
from dangjian.lib.fields import EncryptedTextField
from dangjian.members.choices import (
    ETHNICITY_CHOICES,
    Category,
    Degree,
    Education,
    Gender,
    Standing,
    Status,
)
from dangjian.orgs.models import Organization, PostKind


@lru_cache(maxsize=1)
def _member_url_prefix() -> str:
    """ "/members/": resolved once, since rosters build a link on every row."""
    return reverse("members:member-detail", args=[0])[: -len("0/")]


ID_PURPOSE = "member.id_number"
PHONE_PURPOSE = "member.phone"
STATEMENT_MAX_LENGTH = 500


class Member(models.Model):
    """A Party member's record. Records are never deleted: members who leave keep their record
    with a standing other than ACTIVE, so history and statistics can be reproduced."""

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITY_CHOICES)
    birth_date = models.DateField(_("date of birth"))
    id_number = EncryptedTextField(_("citizen ID number"))
    # Keyed hashes (lib.crypto.blind_index); their indexes are declared in Meta, where Django
    # adds no LIKE-pattern twin on PostgreSQL.
    id_number_hash = models.CharField(max_length=32)
    native_place = models.CharField(_("native place"), max_length=100, blank=True)
    education = models.CharField(_("education"), max_length=30, choices=Education.choices)
    degree = models.CharField(
        _("degree"), max_length=20, choices=Degree.choices, blank=True, default=""
    )
    category = models.CharField(_("personnel category"), max_length=20, choices=Category.choices)
    staff_number = models.CharField(_("staff or student number"), max_length=30, blank=True)
    grade = models.CharField(_("cohort"), max_length=10, blank=True)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    phone_hash = models.CharField(max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    joined_on = models.DateField(_("date joined the Party"))
    full_member_on = models.DateField(_("date became a full member"), null=True, blank=True)
    status = models.CharField(_("membership"), max_length=20, choices=Status.choices)
    standing = models.CharField(
        _("standing"), max_length=20, choices=Standing.choices, default=Standing.ACTIVE
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,  # member_org_counts starts with it
    )
    # The organization's path, copied so a subtree's roster is one index range in roster
    # order; the services keep it in step with `organization`.
    org_path = models.CharField(max_length=255)
    party_group = models.ForeignKey(
        Organization,
        verbose_name=_("Party group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
    )
    is_floating = models.BooleanField(_("mobile member"), default=False)
    floating_to = models.CharField(_("where they are"), max_length=100, blank=True)
    is_lost_contact = models.BooleanField(_("lost contact"), default=False)
    lost_contact_since = models.DateField(_("lost contact since"), null=True, blank=True)
    is_abroad = models.BooleanField(_("abroad"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_record",
    )
    # The member's self-introduction as others see it, and a newer text of theirs held for
    # review (blank when none); only services.statement writes them.
    statement = models.CharField(
        _("self-introduction"), max_length=STATEMENT_MAX_LENGTH, blank=True, default=""
    )
    statement_held = models.CharField(
        _("self-introduction awaiting review"),
        max_length=STATEMENT_MAX_LENGTH,
        blank=True,
        default="",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["org_path", "name", "id"]
        indexes = [
            models.Index(fields=["standing", "org_path", "name", "id"], name="member_roster"),
            models.Index(fields=["organization", "standing", "status"], name="member_org_counts"),
            models.Index(fields=["phone_hash"], name="member_phone_hash"),
            # Counting a subtree's roster under any filter reads this index alone.
            models.Index(
                fields=[
                    "standing",
                    "org_path",
                    "status",
                    "category",
                    "gender",
                    "education",
                    "ethnicity",
                    "birth_date",
                ],
                name="member_roster_filters",
            ),
            # The first page under a filter that is rare in a large subtree (undergraduates in
            # a teachers' committee, minorities): read in roster order without scanning the
            # subtree.
            models.Index(
                fields=["standing", "category", "org_path", "name", "id"],
                name="member_roster_category",
            ),
            models.Index(
                fields=["standing", "org_path", "name", "id"],
                condition=~Q(ethnicity="01"),
                name="member_roster_minority",
            ),
            models.Index(
                fields=["status", "standing", "joined_on", "org_path"], name="member_probation"
            ),
            models.Index(
                fields=["org_path"], condition=Q(is_lost_contact=True), name="member_lost_contact"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="member_id_number_unique"),
            models.UniqueConstraint(
                fields=["staff_number"], condition=~Q(staff_number=""), name="member_staff_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{_member_url_prefix()}{self.pk}/"

    def audit_org_code(self) -> str:
        return self.organization.code if self.organization_id else ""

    def set_id_number(self, number: str) -> None:
        self.id_number = number
        self.id_number_hash = crypto.blind_index(number, purpose=ID_PURPOSE)

    def set_phone(self, number: str) -> None:
        self.phone = number
        self.phone_hash = crypto.blind_index(number, purpose=PHONE_PURPOSE) if number else ""

    @property
    def id_number_masked(self) -> str:
        return masking.mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return masking.mask_phone(self.phone)

    @property
    def address_masked(self) -> str:
        return masking.mask_address(self.address)

    def age(self, on: dt.date | None = None) -> int:
        return age_on(self.birth_date, on or timezone.localdate())

    def party_standing_years(self, on: dt.date | None = None) -> int | None:
        """党龄: whole years since becoming a full member."""
        if self.full_member_on is None:
            return None
        return max(0, years_between(self.full_member_on, on or timezone.localdate()))

    @property
    def is_on_roster(self) -> bool:
        return self.standing == Standing.ACTIVE


class EventKind(models.TextChoices):
    """Every change of a member's status, standing or organization (党员增减及变动)."""

    REGISTERED = "registered", _("Entered in the records")
    ADMISSION = "admission", _("Admitted as probationary member")
    READMISSION = "readmission", _("Readmitted")
    CONVERSION = "conversion", _("Became a full member")
    PROBATION_EXTENDED = "probation_extended", _("Probation extended")
    TRANSFER_INTERNAL = "transfer_internal", _("Moved to another organization")
    TRANSFER_IN = "transfer_in", _("Transferred in")
    TRANSFER_OUT = "transfer_out", _("Transferred out")
    SUSPENSION = "suspension", _("Standing suspended")
    RESTORATION = "restoration", _("Standing restored")
    SANCTION = "sanction", _("Disciplinary sanction")
    SANCTION_ENDED = "sanction_ended", _("Sanction period ended")
    EXIT_WITHDRAWAL = "exit_withdrawal", _("Left: withdrawal, name removed")
    EXIT_PERSUADED = "exit_persuaded", _("Left: persuaded to leave")
    EXIT_REMOVED = "exit_removed", _("Left: removed after refusing to leave")
    EXIT_LAPSED = "exit_lapsed", _("Left: removed for lapsing")
    EXIT_EXPELLED = "exit_expelled", _("Left: expelled")
    EXIT_PROBATION_CANCELLED = "exit_probation_cancelled", _("Probationary membership cancelled")
    EXIT_NOT_RECOGNIZED = "exit_not_recognized", _("Membership not recognized")
    DEATH = "death", _("Died")
    FLAGS_CHANGED = "flags_changed", _("Mobile, lost-contact or abroad status changed")


EXIT_KINDS = frozenset(
    {
        EventKind.EXIT_WITHDRAWAL,
        EventKind.EXIT_PERSUADED,
        EventKind.EXIT_REMOVED,
        EventKind.EXIT_LAPSED,
        EventKind.EXIT_EXPELLED,
        EventKind.EXIT_PROBATION_CANCELLED,
        EventKind.EXIT_NOT_RECOGNIZED,
    }
)


# Events that record something about the member without changing status, standing or
# organization; the roster on a past date is rebuilt from the other kinds only.
NON_STATE_KINDS = frozenset(
    {
        EventKind.FLAGS_CHANGED,
        EventKind.SANCTION,
        EventKind.SANCTION_ENDED,
        EventKind.PROBATION_EXTENDED,
    }
)


class MemberEvent(models.Model):
    """One change in a member's record, with the state before and after it.

    The roster on any date is the state after each member's last event on or before that
    date; a period's increases and decreases are the events that cross a scope's boundary.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    effective_date = models.DateField(_("effective date"))
    org_before = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    org_after = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices, blank=True)
    standing_before = models.CharField(max_length=20, choices=Standing.choices, blank=True)
    standing_after = models.CharField(max_length=20, choices=Standing.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    document = models.CharField(_("decision document"), max_length=100, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("member event")
        verbose_name_plural = _("member events")
        ordering = ["member", "effective_date", "id"]
        indexes = [
            models.Index(fields=["member", "effective_date", "id"], name="event_member_timeline"),
            models.Index(fields=["effective_date", "kind"], name="event_by_date"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.effective_date}"

    def audit_org_code(self) -> str:
        org = self.org_after or self.org_before
        return org.code if org else ""


class PostHolding(models.Model):
    """A member holding a committee post (书记, 组织委员 ...) in an organization."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="posts")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="post_holdings"
    )
    post = models.CharField(_("post"), max_length=20, choices=PostKind.choices)
    title = models.CharField(_("title"), max_length=40, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("post held")
        verbose_name_plural = _("posts held")
        ordering = ["organization", "post", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="post_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_post_display()} {self.member}"

    def audit_org_code(self) -> str:
        return self.organization.code

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()


class ImportJob(models.Model):
    """An uploaded roster between validation and import.

    The file holds ID numbers, so it is kept encrypted and only until the import ends.
    """

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Checking")
        INVALID = "invalid", _("Errors found")
        VALID = "valid", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scope = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VALIDATING)
    progress = models.PositiveSmallIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    file_error = models.CharField(max_length=500, blank=True)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def error_rows(self) -> int:
        return len({e["row"] for e in self.errors})

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Each level of the materialized path is a fixed-width decimal segment. Digits only, so the
# byte order SQLite uses and any PostgreSQL collation agree, and a subtree is one index range.
SEGMENT_WIDTH = 5
MAX_PATH_LENGTH = 255
MAX_DEPTH = MAX_PATH_LENGTH // SEGMENT_WIDTH


def subtree_range(path: str) -> tuple[str, str | None]:
    """The half-open range [low, high) of paths in the subtree rooted at `path`.

    The upper bound is the path plus one, as a decimal number with carry ("00019" -> "00020"),
    so it is made of digits too; a path of nines has no upper bound.
    """
    digits = path.rstrip("9")
    if not digits:
        return path, None
    high = digits[:-1] + str(int(digits[-1]) + 1)
    return path, high


def subtree_q(path: str, field: str = "path") -> Q:
    low, high = subtree_range(path)
    if high is None:
        return Q(**{f"{field}__gte": low})
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def ancestor_paths(path: str) -> list[str]:
    """Paths of the node's ancestors and itself, root first."""
    return [path[:end] for end in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH)]


class Organization(models.Model):
    """A Party organization: the university committee, secondary committees, general branches,
    branches and Party groups, in a tree of any depth."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("General Party branch")
        BRANCH = "branch", _("Party branch")
        GROUP = "group", _("Party group")

    class BranchType(models.TextChoices):
        NONE = "", _("Not a branch")
        TEACHER = "teacher", _("Teachers' branch")
        UNDERGRADUATE = "undergraduate", _("Undergraduates' branch")
        POSTGRADUATE = "postgraduate", _("Postgraduates' branch")
        RETIRED = "retired", _("Retirees' branch")
        MIXED = "mixed", _("Mixed teachers' and students' branch")

    name = models.CharField(_("full name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=MAX_PATH_LENGTH, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    branch_type = models.CharField(
        _("branch type"), max_length=20, choices=BranchType.choices, blank=True, default=""
    )
    is_joint = models.BooleanField(_("joint branch"), default=False)
    is_temporary = models.BooleanField(_("temporary organization"), default=False)
    approval_authority = models.BooleanField(
        _("may approve admissions"),
        default=False,
        help_text=_("Whether this committee has the authority to approve new members."),
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # Counters kept exact by the member and organization services, and recomputed from the
    # records by `manage.py recount_members` (docs/decisions/0002-organization-tree.md):
    # members directly here, then members and active organizations in the whole subtree.
    full_count = models.PositiveIntegerField(default=0)
    probationary_count = models.PositiveIntegerField(default=0)
    subtree_full = models.PositiveIntegerField(default=0)
    subtree_probationary = models.PositiveIntegerField(default=0)
    subtree_orgs = models.PositiveIntegerField(default=1)
    subtree_branches = models.PositiveIntegerField(default=0)
    subtree_groups = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["parent", "sort_order"]),
            models.Index(fields=["kind", "path"], name="org_kind_path"),
            models.Index(
                fields=["path"],
                condition=Q(
                    kind="branch",
                    is_active=True,
                    full_count__lt=3,
                    is_joint=False,
                    is_temporary=False,
                ),
                name="org_branch_below_min",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def member_count(self) -> int:
        return self.full_count + self.probationary_count

    def audit_org_code(self) -> str:
        return self.code

    def is_in_subtree_of(self, other: Organization) -> bool:
        return self.path.startswith(other.path)

    def current_term(self) -> Term | None:
        return self.terms.order_by("-start_date").first()


class Term(models.Model):
    """A term of office (届) of an organization's committee."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="terms")
    ordinal = models.PositiveSmallIntegerField(_("term number"))
    # The latest term of the organization (kept by orgs.services.term_save).
    is_current = models.BooleanField(default=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["organization", "-start_date"]
        indexes = [models.Index(fields=["is_current", "end_date"], name="term_current_end")]
        constraints = [
            models.UniqueConstraint(fields=["organization", "ordinal"], name="term_unique_ordinal"),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="term_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} 第{self.ordinal}届"

    def days_left(self, today: dt.date) -> int:
        return (self.end_date - today).days


class PostKind(models.TextChoices):
    """Committee posts (委员会职务)."""

    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANIZATION = "organization", _("Organization member")
    PROPAGANDA = "propaganda", _("Propaganda member")
    DISCIPLINE = "discipline", _("Discipline inspection member")
    YOUTH = "youth", _("Youth work member")
    COMMITTEE_MEMBER = "member", _("Committee member")
    GROUP_LEADER = "group_leader", _("Party group leader")


class Role(models.TextChoices):
    """Roles held on an organization; each covers the organization's whole subtree."""

    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    BRANCH_COMMITTEE = "branch_committee", _("Branch committee member")
    COMMITTEE_ORGANIZER = "committee_organizer", _("Committee organizer")
    ORG_DEPARTMENT = "org_department", _("Organization department")
    PROPAGANDA_EDITOR = "propaganda_editor", _("Propaganda editor")


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self, on: dt.date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(revoked_at__isnull=True),
                name="role_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

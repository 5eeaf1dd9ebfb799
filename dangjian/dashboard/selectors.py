"""What each person's home page shows, composed from the domain apps' selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.lib.dates import add_months
from dangjian.members.choices import Standing, Status
from dangjian.members.models import Member, MemberEvent
from dangjian.members.selectors import group_counts, org_post_holders
from dangjian.moderation import selectors as moderation
from dangjian.orgs import permissions as perms
from dangjian.orgs import selectors as org_selectors
from dangjian.orgs.models import Organization, Term, subtree_q

RECENT_DAYS = 90


@dataclass
class Workbench:
    org: Organization
    counts: org_selectors.SubtreeCounts
    children: list[tuple[Organization, org_selectors.SubtreeCounts]]
    kind_counts: dict[str, int]
    warnings: list[dict[str, Any]] = field(default_factory=list)
    recent: list[MemberEvent] = field(default_factory=list)

    @property
    def chart_id(self) -> str:
        return f"chart-{self.org.code}"

    @property
    def chart(self) -> dict[str, Any]:
        return {
            "labels": [child.display_name for child, _counts in self.children],
            "full": [counts.full for _child, counts in self.children],
            "probationary": [counts.probationary for _child, counts in self.children],
            "series": [str(_("Full members")), str(_("Probationary members"))],
        }


def _probation_overdue(org: Organization, today: dt.date) -> QuerySet[Member]:
    """Probationary members more than a year past admission (conversion due or extended)."""
    return Member.objects.filter(
        subtree_q(org.path, "org_path"),
        standing=Standing.ACTIVE,
        status=Status.PROBATIONARY,
        joined_on__lt=add_months(today, -12),
    )


def _terms_ending(org: Organization, today: dt.date) -> QuerySet[Term]:
    """Current terms ending within six months, or already ended (rule O-9)."""
    return (
        Term.objects.filter(
            subtree_q(org.path, "organization__path"),
            is_current=True,
            organization__is_active=True,
            end_date__lte=add_months(today, 6),
        )
        .select_related("organization")
        .order_by("end_date")
    )


def workbench(user: Any, org: Organization, *, today: dt.date | None = None) -> Workbench:
    today = today or timezone.localdate()
    bench = Workbench(
        org=org,
        counts=org_selectors.subtree_counts(org),
        children=(
            group_counts(org)
            if org.kind == Organization.Kind.BRANCH
            else org_selectors.children_with_counts(org)
        ),
        kind_counts=org_selectors.org_kind_counts(org),
    )
    below = list(org_selectors.branches_below_minimum(org, limit=5))
    if below and org.kind != Organization.Kind.BRANCH:
        bench.warnings.append({"code": "ORG-MIN3", "items": below})
    over = list(org_selectors.branches_over_maximum(org, limit=5))
    if over:
        bench.warnings.append({"code": "ORG-MAX50", "items": over})
    overdue = _probation_overdue(org, today)
    overdue_count = overdue.count()
    if overdue_count:
        bench.warnings.append(
            {"code": "MEM-PROBATION", "count": overdue_count,
             "items": list(overdue.order_by("joined_on")[:5])}
        )  # fmt: skip
    lost = Member.objects.filter(
        subtree_q(org.path, "org_path"), standing=Standing.ACTIVE, is_lost_contact=True
    )
    lost_count = lost.count()
    if lost_count:
        bench.warnings.append(
            {"code": "LOST-CONTACT", "count": lost_count, "items": list(lost[:5])}
        )
    ending = _terms_ending(org, today)
    ending_count = ending.count()
    if ending_count:
        bench.warnings.append(
            {"code": "ORG-TERM", "items": list(ending[:5]), "count": ending_count}
        )
    if perms.has_capability(user, org, perms.MEMBERS_VIEW):
        bench.recent = list(
            MemberEvent.objects.filter(
                subtree_q(org.path, "member__org_path"),
                effective_date__gte=today - dt.timedelta(days=RECENT_DAYS),
                effective_date__lte=today,
            )
            .select_related("member", "org_after")
            .defer("member__id_number", "member__phone", "member__address")
            .order_by("-effective_date", "-id")[:8]
        )
    return bench


@dataclass
class MemberHome:
    member: Member
    branch: Organization
    branch_counts: org_selectors.SubtreeCounts
    secretary: Any
    posts: list[Any]


def member_home(user: Any) -> MemberHome | None:
    member = (
        Member.objects.filter(user=user, standing=Standing.ACTIVE)
        .select_related("organization")
        .first()
    )
    if member is None:
        return None
    branch = member.organization
    holders = list(org_post_holders(branch))
    secretary = next((h for h in holders if h.post == "secretary"), None)
    return MemberHome(
        member=member,
        branch=branch,
        branch_counts=org_selectors.subtree_counts(branch),
        secretary=secretary,
        posts=list(member.posts.filter(end_date__isnull=True).select_related("organization")),
    )


@dataclass(frozen=True)
class WorkQueue:
    """A queue of things waiting for this person, with its size and its oldest item."""

    key: str
    label: str
    count: int
    url: str
    icon: str
    oldest: dt.datetime | None = None


def work_queues(user: Any) -> list[WorkQueue]:
    queues = []
    if perms.has_any_scope(user, perms.MODERATION_REVIEW):
        figures = (
            moderation.queue(user).order_by().aggregate(count=Count("id"), oldest=Min("created_at"))
        )
        queues.append(
            WorkQueue(
                "moderation",
                _("Texts awaiting review"),
                figures["count"],
                reverse("moderation:queue"),
                "shield-check",
                figures["oldest"],
            )
        )
    if perms.has_any_scope(user, perms.DEVELOPMENT_MANAGE):
        from dangjian.development.selectors import overdue_cases

        figures = overdue_cases(user).aggregate(count=Count("id"), oldest=Min("next_latest"))
        oldest = figures["oldest"]
        queues.append(
            WorkQueue(
                "development",
                _("Development steps overdue"),
                figures["count"],
                reverse("development:due") + "#overdue",
                "person-check",
                timezone.make_aware(dt.datetime.combine(oldest, dt.time()))
                if oldest is not None
                else None,
            )
        )
    return queues

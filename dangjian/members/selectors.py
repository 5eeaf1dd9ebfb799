"""Reads of member data that depend on who is asking, and the history rebuilt from events."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.lib.dates import add_months
from dangjian.lib.queries import PreparedQuery, get_or_none
from dangjian.members.choices import HAN, SANCTION_MONTHS, SanctionKind, Standing, Status
from dangjian.members.models import (
    EXIT_KINDS,
    NON_STATE_KINDS,
    EventKind,
    Member,
    MemberEvent,
    PostHolding,
)
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, subtree_q, subtree_range
from dangjian.orgs.selectors import LABEL_FIELDS, SubtreeCounts, label_fields, subtree_counts

_ORG_FIELDS = Organization._meta.concrete_fields

AGE_BANDS: dict[str, tuple[int | None, int | None]] = {
    "le30": (None, 30),
    "31-35": (31, 35),
    "36-40": (36, 40),
    "41-45": (41, 45),
    "46-50": (46, 50),
    "51-55": (51, 55),
    "56-60": (56, 60),
    "61-65": (61, 65),
    "66-70": (66, 70),
    "ge71": (71, None),
}


def member_visible_qs(user: Any, capability: str = perms.MEMBERS_VIEW) -> QuerySet[Member]:
    """Members the user may see: those in their scope, and their own record."""
    q = perms.scope_q(user, capability, field="org_path")
    if getattr(user, "is_authenticated", False) and not getattr(user, "admin_role", ""):
        q |= Q(user=user)
    return Member.objects.filter(q)


def member_own(user: Any) -> Member | None:
    """The user's own member record (the separated administrators act on none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "admin_role", ""):
        return None
    return get_or_none(Member.objects.select_related("organization"), user=user)


# The member page's reads, compiled once (see PreparedQuery): the member with their branch
# and Party group, their events newest first, their posts.
_member_page = PreparedQuery(
    lambda pk: (
        Member.objects.select_related("organization", "party_group")
        .defer(*(f"party_group__{f.name}" for f in _ORG_FIELDS if f.name not in LABEL_FIELDS))
        .filter(pk=pk)
    )
)
_member_events = PreparedQuery(
    lambda member_id: (
        MemberEvent.objects.filter(member_id=member_id)
        .select_related("org_before", "org_after")
        .only(
            *(f.name for f in MemberEvent._meta.concrete_fields if f.name != "recorded_by"),
            "recorded_by_id",
            *label_fields("org_before", "org_after"),
        )
        .order_by("-effective_date", "-id")
    )
)
_member_posts = PreparedQuery(
    lambda member_id: (
        PostHolding.objects.filter(member_id=member_id)
        .select_related("organization")
        .only(
            *(f.name for f in PostHolding._meta.concrete_fields if f.name != "organization"),
            "organization_id",
            *label_fields("organization"),
        )
        .order_by("-start_date")
    )
)


def member_get_for_user(user: Any, pk: int, capability: str = perms.MEMBERS_VIEW) -> Member:
    """The member if the user may see them and holds the capability on their organization.

    A member always sees their own record. Records the user cannot see answer 404; records
    they see but may not act on answer 403.
    """
    member = _member_page.first(pk)
    if member is None:
        raise Http404
    is_self = member.user_id is not None and member.user_id == getattr(user, "pk", None)
    visible = is_self or perms.has_capability(user, member.organization, perms.MEMBERS_VIEW)
    if not visible:
        raise Http404
    if capability != perms.MEMBERS_VIEW and not perms.has_capability(
        user, member.organization, capability
    ):
        raise PermissionDenied
    return member


def may_view_sensitive(user: Any, member: Member) -> bool:
    if member.user_id is not None and member.user_id == getattr(user, "pk", None):
        return True
    return perms.has_capability(user, member.organization, perms.MEMBERS_VIEW_SENSITIVE)


@dataclass
class RosterFilters:
    org: Organization | None = None
    standing: str = Standing.ACTIVE
    status: str = ""
    category: str = ""
    gender: str = ""
    ethnicity: str = ""  # a GB 3304 code, or "minority"
    education: str = ""
    age_band: str = ""
    flag: str = ""  # floating, lost_contact, abroad
    party_group: Organization | None = None
    q: str = ""
    today: dt.date = field(default_factory=timezone.localdate)


def _equal_filters(filters: RosterFilters) -> dict[str, Any]:
    """The roster's filters that compare a column with a value, those that are set."""
    equal: dict[str, Any] = {
        name: getattr(filters, name)
        for name in ("standing", "status", "category", "gender", "education")
        if getattr(filters, name)
    }
    if filters.ethnicity and filters.ethnicity != "minority":
        equal["ethnicity"] = filters.ethnicity
    if filters.party_group is not None:
        equal["party_group_id"] = filters.party_group.pk
    return equal


def _flag(filters: RosterFilters) -> str:
    return filters.flag if filters.flag in ("floating", "lost_contact", "abroad") else ""


def _narrowed(
    qs: QuerySet[Member], equal: Mapping[str, Any], *, minority: bool, flag: str
) -> QuerySet[Member]:
    qs = qs.filter(**equal)
    if minority:
        qs = qs.exclude(ethnicity=HAN)
    if flag:
        qs = qs.filter(**{f"is_{flag}": True})
    return qs


def roster_qs(user: Any, filters: RosterFilters) -> QuerySet[Member]:
    qs = Member.objects.filter(perms.scope_q(user, perms.MEMBERS_VIEW, field="org_path"))
    if filters.org is not None:
        qs = qs.filter(subtree_q(filters.org.path, "org_path"))
    qs = _narrowed(
        qs,
        _equal_filters(filters),
        minority=filters.ethnicity == "minority",
        flag=_flag(filters),
    )
    if filters.age_band in AGE_BANDS:
        low, high = AGE_BANDS[filters.age_band]
        if low is not None:  # at least `low` years old: born on or before today - low years
            qs = qs.filter(birth_date__lte=add_months(filters.today, -12 * low))
        if high is not None:  # at most `high`: born after today - (high + 1) years
            qs = qs.filter(birth_date__gt=add_months(filters.today, -12 * (high + 1)))
    text = filters.q.strip()
    if text:
        qs = qs.filter(Q(name__contains=text) | Q(staff_number=text))
    return qs.select_related("organization").order_by("org_path", "name", "id")


# What a roster row shows. Reading only these (never the encrypted fields, which would be
# decrypted for nothing) keeps the page's query and its model instances small.
ROSTER_ROW_FIELDS = (
    "id", "name", "gender", "birth_date", "category", "staff_number", "status", "standing",
    "joined_on", "org_path", "is_floating", "is_lost_contact", "is_abroad", "user_id",
)  # fmt: skip


def roster_page_qs(user: Any, filters: RosterFilters) -> QuerySet[Member]:
    """The roster as the page lists it: only the fields of a row."""
    return roster_qs(user, filters).only(*ROSTER_ROW_FIELDS, *label_fields("organization"))


# The roster's first pages, compiled once per shape (which filters are set, which page) and
# run with the filters' values: building and compiling the query costs about as much as running
# it. A shape needs an organization inside the viewer's scope (its subtree then implies the
# scope) and no filter whose value the compiler rewrites (a name search, an age band).
_ROSTER_SHAPES_MAX = 256
_roster_shapes: dict[tuple[Any, ...], PreparedQuery[Member]] = {}


def _roster_shape(
    user: Any, filters: RosterFilters, start: int, stop: int
) -> tuple[tuple[Any, ...], list[Any]] | None:
    org = filters.org
    if org is None or filters.q.strip() or filters.age_band:
        return None
    if not perms.has_capability(user, org, perms.MEMBERS_VIEW):
        return None
    low, high = subtree_range(org.path)
    equal = _equal_filters(filters)
    names = ("org_path__gte", *(("org_path__lt",) if high is not None else ()), *equal)
    values = [low, *([high] if high is not None else []), *equal.values()]
    return (names, filters.ethnicity == "minority", _flag(filters), start, stop), values


def _roster_page_query(shape: tuple[Any, ...]) -> PreparedQuery[Member]:
    names, minority, flag, start, stop = shape

    def build(*values: Any) -> QuerySet[Member]:
        qs = _narrowed(
            Member.objects.all(),
            dict(zip(names, values, strict=True)),
            minority=minority,
            flag=flag,
        )
        qs = qs.select_related("organization").order_by("org_path", "name", "id")
        return qs.only(*ROSTER_ROW_FIELDS, *label_fields("organization"))[start:stop]

    placeholders = [
        -1_987_654_300 - n if name == "party_group_id" else f"\x00{name}\x00"
        for n, name in enumerate(names)
    ]
    return PreparedQuery(build, *placeholders)


def roster_page_rows(user: Any, filters: RosterFilters, start: int, stop: int) -> list[Member]:
    """Rows [start, stop) of the roster as the page lists it (see roster_page_qs)."""
    found = _roster_shape(user, filters, start, stop)
    if found is None:
        return list(roster_page_qs(user, filters)[start:stop])
    shape, values = found
    query = _roster_shapes.get(shape)
    if query is None:
        if len(_roster_shapes) >= _ROSTER_SHAPES_MAX:
            _roster_shapes.clear()
        query = _roster_shapes[shape] = _roster_page_query(shape)
    return query.all(*values)


def group_counts(branch: Organization) -> list[tuple[Organization, SubtreeCounts]]:
    """A branch's Party groups with the members on the roster in each."""
    groups = list(
        branch.children.filter(kind=Organization.Kind.GROUP, is_active=True).order_by(
            "sort_order", "path"
        )
    )
    rows = (
        Member.objects.filter(party_group__in=groups, standing=Standing.ACTIVE)
        .values("party_group")
        .annotate(
            full=Count("id", filter=Q(status=Status.FULL)),
            probationary=Count("id", filter=Q(status=Status.PROBATIONARY)),
        )
    )
    by_group = {row["party_group"]: (row["full"], row["probationary"]) for row in rows}
    return [
        (group, SubtreeCounts(*by_group.get(group.pk, (0, 0)), organizations=1)) for group in groups
    ]


def roster_known_count(user: Any, filters: RosterFilters) -> int | None:
    """The exact size of a roster from the organization counters, when its filters allow."""
    if filters.org is None or filters.standing != Standing.ACTIVE:
        return None
    plain = not any(
        (filters.category, filters.gender, filters.ethnicity, filters.education,
         filters.age_band, filters.flag, filters.q.strip(), filters.party_group)
    )  # fmt: skip
    if not plain or filters.status not in ("", Status.FULL, Status.PROBATIONARY):
        return None
    if not perms.has_capability(user, filters.org, perms.MEMBERS_VIEW):
        return None
    counts = subtree_counts(filters.org)
    if filters.status == Status.FULL:
        return counts.full
    if filters.status == Status.PROBATIONARY:
        return counts.probationary
    return counts.members


def member_timeline(member: Member) -> list[MemberEvent]:
    """The member's events, newest first."""
    return _member_events.all(member.pk)


def member_posts(member: Member) -> list[PostHolding]:
    """The posts the member holds or held, latest first."""
    return _member_posts.all(member.pk)


def org_post_holders(org: Organization) -> QuerySet[PostHolding]:
    return (
        PostHolding.objects.filter(organization=org, end_date__isnull=True)
        .select_related("member")
        .order_by("post", "start_date")
    )


@dataclass(frozen=True)
class Sanction:
    kind: str
    start: dt.date
    until: dt.date

    @property
    def label(self) -> str:
        return str(SanctionKind(self.kind).label) if self.kind in SanctionKind.values else self.kind


def active_sanction(member: Member, on: dt.date | None = None) -> Sanction | None:
    """The sanction whose restrictions apply on a date, from the member's events."""
    on = on or timezone.localdate()
    events = member.events.filter(
        kind__in=[EventKind.SANCTION, EventKind.SANCTION_ENDED], effective_date__lte=on
    )
    return sanction_from_events(events, on)


def sanction_from_events(events: Iterable[MemberEvent], on: dt.date) -> Sanction | None:
    """The sanction in force on a date, from any of the member's events in any order."""
    relevant = sorted(
        (
            e
            for e in events
            if e.kind in (EventKind.SANCTION, EventKind.SANCTION_ENDED) and e.effective_date <= on
        ),
        key=lambda e: (e.effective_date, e.pk),
    )
    current: Sanction | None = None
    for event in relevant:
        if event.kind == EventKind.SANCTION_ENDED:
            current = None
            continue
        kind = event.detail.get("sanction", "")
        if kind == SanctionKind.PROBATION_IN_PARTY:
            months = 12 * int(event.detail.get("years") or 1)
        else:
            months = SANCTION_MONTHS.get(kind, 12)
        current = Sanction(kind, event.effective_date, add_months(event.effective_date, months))
    if current is not None and current.until <= on:
        return None
    return current


# History: the roster on a past date and a period's increases and decreases.


@dataclass(frozen=True)
class MemberState:
    org_path: str
    status: str
    standing: str


def _states_on(day: dt.date, scope: Organization) -> dict[int, MemberState]:
    """Each member's state after their last state-changing event on or before `day`.

    Only members who were ever in the scope are read; the latest event per member wins.
    """
    touched = MemberEvent.objects.filter(
        Q(subtree_q(scope.path, "org_after__path")) | Q(subtree_q(scope.path, "org_before__path"))
    ).values("member_id")
    rows = (
        MemberEvent.objects.filter(member_id__in=touched, effective_date__lte=day)
        .exclude(kind__in=NON_STATE_KINDS)
        .order_by("member_id", "effective_date", "id")
        .values_list("member_id", "org_after__path", "status_after", "standing_after")
    )
    states: dict[int, MemberState] = {}
    for member_id, path, status, standing in rows.iterator(chunk_size=5000):
        states[member_id] = MemberState(path or "", status, standing)
    return states


def _in_scope(state: MemberState | None, scope: Organization) -> bool:
    return (
        state is not None
        and state.standing == Standing.ACTIVE
        and state.org_path.startswith(scope.path)
    )


@dataclass(frozen=True)
class RosterSnapshot:
    day: dt.date
    member_ids: list[int]
    full: int
    probationary: int

    @property
    def total(self) -> int:
        return self.full + self.probationary


def roster_on(scope: Organization, day: dt.date) -> RosterSnapshot:
    states = _states_on(day, scope)
    ids = [pk for pk, state in states.items() if _in_scope(state, scope)]
    full = sum(1 for pk in ids if states[pk].status == Status.FULL)
    return RosterSnapshot(day=day, member_ids=sorted(ids), full=full, probationary=len(ids) - full)


INCREASE_GROUPS: dict[str, str] = {
    EventKind.ADMISSION: "admission",
    EventKind.READMISSION: "admission",
    EventKind.RESTORATION: "restoration",
    EventKind.TRANSFER_IN: "transfer_in",
    EventKind.TRANSFER_INTERNAL: "transfer_in",
    EventKind.REGISTERED: "registered",
}
DECREASE_GROUPS: dict[str, str] = {
    **dict.fromkeys(EXIT_KINDS, "exit"),
    EventKind.SUSPENSION: "suspension",
    EventKind.DEATH: "death",
    EventKind.TRANSFER_OUT: "transfer_out",
    EventKind.TRANSFER_INTERNAL: "transfer_out",
}


@dataclass
class PeriodChanges:
    start: RosterSnapshot
    end: RosterSnapshot
    increases: Counter[str]
    decreases: Counter[str]
    exits_by_kind: Counter[str]

    @property
    def increase_total(self) -> int:
        return sum(self.increases.values())

    @property
    def decrease_total(self) -> int:
        return sum(self.decreases.values())

    @property
    def expected_end(self) -> int:
        return self.start.total + self.increase_total - self.decrease_total

    @property
    def balanced(self) -> bool:
        return self.expected_end == self.end.total


def changes_between(scope: Organization, start: dt.date, end: dt.date) -> PeriodChanges:
    """Increases and decreases of the scope's roster in (start, end].

    Each event is judged by whether it carries the member across the scope's boundary, so a
    move between two branches is a transfer for each branch and nothing for their committee.
    The identity start + increases - decreases = end holds by construction and is reported.
    """
    before = roster_on(scope, start)
    after = roster_on(scope, end)
    touched = MemberEvent.objects.filter(
        Q(subtree_q(scope.path, "org_after__path")) | Q(subtree_q(scope.path, "org_before__path"))
    ).values("member_id")
    rows = (
        MemberEvent.objects.filter(member_id__in=touched, effective_date__lte=end)
        .exclude(kind__in=NON_STATE_KINDS)
        .order_by("member_id", "effective_date", "id")
        .values_list(
            "member_id",
            "effective_date",
            "kind",
            "org_after__path",
            "status_after",
            "standing_after",
        )
    )
    increases: Counter[str] = Counter()
    decreases: Counter[str] = Counter()
    exits: Counter[str] = Counter()
    state: dict[int, MemberState] = {}
    for member_id, day, kind, path, status, standing in rows.iterator(chunk_size=5000):
        new = MemberState(path or "", status, standing)
        old = state.get(member_id)
        state[member_id] = new
        if day <= start:
            continue
        was_in, is_in = _in_scope(old, scope), _in_scope(new, scope)
        if is_in and not was_in:
            increases[INCREASE_GROUPS.get(kind, "other")] += 1
        elif was_in and not is_in:
            decreases[DECREASE_GROUPS.get(kind, "other")] += 1
            if kind in EXIT_KINDS:
                exits[kind] += 1
    return PeriodChanges(before, after, increases, decreases, exits)


def members_by_ids(ids: Iterable[int]) -> QuerySet[Member]:
    return Member.objects.filter(pk__in=list(ids)).select_related("organization")


def counts_by(qs: QuerySet[Member], field_name: str) -> Mapping[str, int]:
    return {row[field_name]: row["n"] for row in qs.values(field_name).annotate(n=Count("id"))}

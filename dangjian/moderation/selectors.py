"""Reads of the moderation app, each through the viewer's scope: the review queue, one
screening, the dictionary, and the monitoring figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import Substr, TruncDate
from django.http import Http404
from django.utils import timezone

from dangjian.lib import screening as contract
from dangjian.moderation.models import Category, Rescan, Screening, ScreeningHit, Term
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import SEGMENT_WIDTH, Organization


def may_manage_dictionary(user: Any) -> bool:
    """The dictionary serves the whole university: its managers hold the capability on a
    top-level organization."""
    return any(
        len(root) == SEGMENT_WIDTH for root in perms.scope_paths(user, perms.MODERATION_MANAGE)
    )


def screenings_in_scope(
    user: Any, capability: str = perms.MODERATION_REVIEW
) -> QuerySet[Screening]:
    return Screening.objects.filter(perms.scope_q(user, capability, "org_path"))


def queue(
    user: Any, *, state: str = Screening.State.HELD, source: str = "", category: str = ""
) -> QuerySet[Screening]:
    """Held texts first come, first served; decided ones newest first."""
    rows = screenings_in_scope(user).filter(state=state).select_related("author", "decided_by")
    if source:
        rows = rows.filter(source=source)
    if category:
        rows = rows.filter(hits__category=category).distinct()
    order = ["created_at", "id"] if state == Screening.State.HELD else ["-decided_at", "-id"]
    return rows.order_by(*order).prefetch_related("hits")


def screening_get(user: Any, pk: int) -> Screening:
    screening = (
        screenings_in_scope(user)
        .select_related("author", "decided_by", "rescan")
        .prefetch_related("hits")
        .filter(pk=pk)
        .first()
    )
    if screening is None:
        raise Http404
    return screening


@dataclass(frozen=True)
class Piece:
    text: str
    hit: ScreeningHit | None


def highlighted(screening: Screening) -> list[Piece]:
    """The text cut into plain pieces and hits, for the reviewer's highlighted view (personal
    data masked)."""
    pieces: list[Piece] = []
    text = screening.shown_to_reviewers
    position = 0
    for hit in sorted(screening.hits.all(), key=lambda h: (h.start, -h.end)):
        if hit.start < position:
            continue
        if hit.start > position:
            pieces.append(Piece(text[position : hit.start], None))
        pieces.append(Piece(text[hit.start : hit.end], hit))
        position = hit.end
    if position < len(text):
        pieces.append(Piece(text[position:], None))
    return pieces


def source_label(code: str) -> str:
    source = contract.source(code)
    return str(source.label) if source is not None else code


def source_link(screening: Screening) -> str:
    source = contract.source(screening.source)
    return source.link(screening.object_id) if source and screening.object_id else ""


def categories() -> list[Category]:
    """The categories terms can be listed under (personal data is found by its shape)."""
    return list(
        Category.objects.listable().annotate(term_count=Count("terms")).order_by("position", "code")
    )


def terms(*, query: str = "", category: str = "") -> QuerySet[Term]:
    rows = Term.objects.select_related("category")
    if query:
        rows = rows.filter(Q(text__icontains=query) | Q(folded__icontains=query.lower()))
    if category:
        rows = rows.filter(category__code=category)
    return rows.order_by("category__position", "text")


def latest_rescan() -> Rescan | None:
    return Rescan.objects.select_related("created_by").first()


# Monitoring


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime
    days: int


def period(days: int, *, now: dt.datetime | None = None) -> Period:
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_day = today - dt.timedelta(days=days - 1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(start_day, dt.time.min, tzinfo=tz)
    return Period(start, now, days)


def _hits(user: Any, span: Period) -> QuerySet[ScreeningHit]:
    return ScreeningHit.objects.filter(
        perms.scope_q(user, perms.MODERATION_MONITOR, "org_path"),
        created_at__gte=span.start,
        created_at__lte=span.end,
    )


def _screenings(user: Any, span: Period) -> QuerySet[Screening]:
    return screenings_in_scope(user, perms.MODERATION_MONITOR).filter(
        created_at__gte=span.start, created_at__lte=span.end
    )


@dataclass
class Monitoring:
    span: Period
    days: list[dt.date]
    categories: list[Category]
    daily: dict[str, list[int]]  # category code -> hits per day
    by_category: list[tuple[Category, int]]
    by_org: list[tuple[Organization | None, int]]
    top_terms: list[dict[str, Any]]
    repeat_authors: list[dict[str, Any]]
    held: int
    oldest_held: dt.datetime | None
    held_by_age: list[tuple[str, int]]
    total_hits: int
    total_screenings: int
    refused: int


def monitoring(user: Any, *, days: int = 30, now: dt.datetime | None = None) -> Monitoring:
    span = period(days, now=now)
    hits = _hits(user, span)
    all_categories = list(Category.objects.all())
    day_list = [span.start.date() + dt.timedelta(days=i) for i in range(days)]
    daily = {c.code: [0] * days for c in all_categories}
    tz = timezone.get_current_timezone()
    per_day = (
        hits.annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day", "category")
        .annotate(n=Count("id"))
    )
    index = {day: i for i, day in enumerate(day_list)}
    for row in per_day:
        if row["category"] in daily and row["day"] in index:
            daily[row["category"]][index[row["day"]]] = row["n"]
    counts = dict(hits.values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    by_category = [(c, counts.get(c.code, 0)) for c in all_categories]
    screenings = _screenings(user, span)
    held_rows = screenings_in_scope(user, perms.MODERATION_MONITOR).filter(
        state=Screening.State.HELD
    )
    now_ = now or timezone.now()
    oldest = held_rows.aggregate(oldest=Min("created_at"))["oldest"]
    ages = [
        ("<1", held_rows.filter(created_at__gt=now_ - dt.timedelta(days=1)).count()),
        (
            "1-3",
            held_rows.filter(
                created_at__lte=now_ - dt.timedelta(days=1),
                created_at__gt=now_ - dt.timedelta(days=3),
            ).count(),
        ),
        (">3", held_rows.filter(created_at__lte=now_ - dt.timedelta(days=3)).count()),
    ]
    return Monitoring(
        span=span,
        days=day_list,
        categories=all_categories,
        daily=daily,
        by_category=by_category,
        by_org=_by_org(user, hits),
        top_terms=list(
            hits.values("term", "category").annotate(n=Count("id")).order_by("-n", "term")[:20]
        ),
        repeat_authors=list(
            screenings.filter(author__isnull=False)
            .values("author", "author__username", "author__display_name")
            .annotate(
                n=Count("id"),
                refused=Count("id", filter=Q(state=Screening.State.REFUSED)),
                rejected=Count("id", filter=Q(state=Screening.State.REJECTED)),
            )
            .filter(n__gte=2)
            .order_by("-n", "author")[:20]
        ),
        held=sum(n for _, n in ages),
        oldest_held=oldest,
        held_by_age=ages,
        total_hits=sum(counts.values()),
        total_screenings=screenings.count(),
        refused=screenings.filter(state=Screening.State.REFUSED).count(),
    )


def _by_org(user: Any, hits: QuerySet[ScreeningHit]) -> list[tuple[Organization | None, int]]:
    """Hits per organization one level below each of the viewer's scope roots."""
    roots = perms.scope_paths(user, perms.MODERATION_MONITOR)
    if not roots:
        return []
    depth = min(len(r) for r in roots) + SEGMENT_WIDTH
    rows = (
        hits.annotate(unit=Substr(F("org_path"), 1, depth))
        .values("unit")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    counts = {row["unit"]: row["n"] for row in rows}
    orgs = {o.path: o for o in Organization.objects.filter(path__in=list(counts))}
    return [(orgs.get(path), n) for path, n in counts.items()][:30]


def hit_rows(user: Any, *, days: int) -> Iterator[tuple[Any, ...]]:
    """Every hit of the period, for the monitoring export."""
    span = period(days)
    names = dict(Category.objects.values_list("code", "name"))
    paths = _hits(user, span).values_list("org_path", flat=True).distinct()
    org_names = dict(Organization.objects.filter(path__in=paths).values_list("path", "name"))
    rows = (
        _hits(user, span)
        .select_related("screening", "screening__author")
        .order_by("created_at", "id")
    )
    for hit in rows.iterator(chunk_size=2000):
        screening = hit.screening
        yield (
            timezone.localtime(hit.created_at).replace(tzinfo=None),
            names.get(hit.category, hit.category),
            hit.term,
            hit.get_action_display(),
            org_names.get(hit.org_path, ""),
            source_label(screening.source),
            screening.get_state_display(),
            screening.author.username if screening.author else "",
        )

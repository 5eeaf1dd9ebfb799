"""Reads for running the propaganda platform: the columns with how many items each holds, the
tags most used in what a reader sees, and the reading statistics of the monitoring platform.

Every figure is an aggregate query: a page of statistics costs the same few queries however
many items or readers there are (see docs/content.md, "Reading statistics").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from dangjian.content.models import Category, Item, Read, Section, State
from dangjian.content.selectors import visible_items
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import SEGMENT_WIDTH, Organization, subtree_q

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30
SORTS = ("views", "readers")
TAG_CLOUD_SIZE = 12


# -- Columns -------------------------------------------------------------------------------


def may_manage_columns(user: Any) -> bool:
    """Columns serve the whole university: their managers may publish for a top-level
    organization (as the moderation dictionary's managers do, moderation.selectors)."""
    return any(
        len(root) == SEGMENT_WIDTH for root in perms.scope_paths(user, perms.CONTENT_PUBLISH)
    )


@dataclass
class SectionColumns:
    section: str
    label: str
    columns: list[Category]  # each with `item_count`, in the order writers see them


def columns_by_section() -> list[SectionColumns]:
    """Every section with its columns and how many items (in any state) each holds."""
    columns = Category.objects.annotate(item_count=Count("items")).order_by(
        "section", "position", "name", "pk"
    )
    grouped: dict[str, list[Category]] = {value: [] for value in Section.values}
    for column in columns:
        grouped.setdefault(column.section, []).append(column)
    return [SectionColumns(value, str(label), grouped[value]) for value, label in Section.choices]


def column_item_count(column: Category) -> int:
    return Item.objects.filter(category=column).count()


# -- Tags ----------------------------------------------------------------------------------


def popular_tags(
    user: Any, *, section: str | None = None, limit: int = TAG_CLOUD_SIZE
) -> list[tuple[str, int]]:
    """The tags most used among the items the reader may see (of one section), with how
    many items carry each: one aggregate query."""
    items = visible_items(user)
    if section:
        items = items.filter(section=section)
    through = Item.tags.through
    rows = (
        through.objects.filter(item__in=items.values("pk"))
        .values("tag__name")
        .annotate(n=Count("item_id"))
        .order_by("-n", "tag__name")[:limit]
    )
    return [(row["tag__name"], row["n"]) for row in rows]


# -- Reading statistics --------------------------------------------------------------------


def may_see_statistics(user: Any) -> bool:
    return perms.has_any_scope(user, perms.CONTENT_REVIEW) or perms.has_any_scope(
        user, perms.CONTENT_PUBLISH
    )


def _scope_q(user: Any, field: str) -> Q:
    return perms.scope_q(user, perms.CONTENT_REVIEW, field) | perms.scope_q(
        user, perms.CONTENT_PUBLISH, field
    )


def statistics_orgs(user: Any) -> QuerySet[Organization]:
    """The organizations whose items' readings the user oversees (reviewers and publishers)."""
    return Organization.objects.filter(_scope_q(user, "path"), is_active=True).order_by("path")


def statistics_top_depth(user: Any) -> int:
    """The depth of the shallowest organization in statistics_orgs (to indent the others)."""
    roots = perms.scope_paths(user, perms.CONTENT_REVIEW) + perms.scope_paths(
        user, perms.CONTENT_PUBLISH
    )
    return min((len(path) // SEGMENT_WIDTH - 1 for path in roots), default=0)


@dataclass(frozen=True)
class Period:
    days: int
    start: dt.datetime
    end: dt.datetime


def period(days: int, *, now: dt.datetime | None = None) -> Period:
    """The last `days` calendar days in Beijing time, today included, up to now."""
    now = now or timezone.now()
    start_day = timezone.localdate(now) - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(start_day, dt.time.min, tzinfo=timezone.get_current_timezone())
    return Period(days, start, now)


@dataclass
class Totals:
    items: int = 0
    views: int = 0
    readers: int = 0  # distinct people
    org_readers: int = 0  # distinct people of the chosen organization's subtree


@dataclass
class SectionTotals(Totals):
    section: str = ""
    label: str = ""


@dataclass
class ReadingOverview:
    period: Period
    sort: str
    organization: Organization | None
    items: QuerySet[Item]  # annotated with `readers` (and `org_readers`), sorted; not run yet
    sections: list[SectionTotals] = field(default_factory=list)
    total: Totals = field(default_factory=Totals)


def _published_in(user: Any, span: Period) -> QuerySet[Item]:
    return Item.objects.filter(
        _scope_q(user, "owner_path"),
        state=State.PUBLISHED,
        publish_at__gte=span.start,
        publish_at__lte=span.end,
    )


def reading_overview(
    user: Any,
    *,
    days: int = DEFAULT_PERIOD,
    sort: str = "views",
    organization: Organization | None = None,
    with_totals: bool = True,
) -> ReadingOverview:
    """The items owned within the user's reviewing or publishing scope and published in the
    last `days` days, each with its views and unique readers (and, for an organization, the
    unique readers whose organization was in its subtree when they first read it); and the
    totals by section, where a person who read several items counts once.

    The items come back as an unevaluated query (one query per page); the totals cost three
    aggregate queries.
    """
    days = days if days in PERIODS else DEFAULT_PERIOD
    sort = sort if sort in SORTS else "views"
    span = period(days)
    base = _published_in(user, span)
    annotations: dict[str, Any] = {"readers": Count("reads")}
    in_org: Q | None = None
    if organization is not None:
        in_org = subtree_q(organization.path, "org_path")
        annotations["org_readers"] = Count(
            "reads", filter=subtree_q(organization.path, "reads__org_path")
        )
    order = ["-views", "-readers"] if sort == "views" else ["-readers", "-views"]
    items = (
        base.annotate(**annotations)
        .select_related("owner", "category")
        .defer("body", "search_text")
        .order_by(*order, "-publish_at", "-id")
    )
    overview = ReadingOverview(period=span, sort=sort, organization=organization, items=items)
    if with_totals:
        overview.sections, overview.total = _totals(base, in_org)
    return overview


def _totals(base: QuerySet[Item], in_org: Q | None) -> tuple[list[SectionTotals], Totals]:
    by_section = {
        row["section"]: row
        for row in base.values("section").annotate(items=Count("id"), views=Sum("views")).order_by()
    }
    reads = Read.objects.filter(item__in=base.values("pk"))
    people: dict[str, Any] = {"readers": Count("user_id", distinct=True)}
    if in_org is not None:
        people["org_readers"] = Count("user_id", distinct=True, filter=in_org)
    readers = {
        row["item__section"]: row
        for row in reads.values("item__section").annotate(**people).order_by()
    }
    overall = reads.aggregate(**people)
    sections = []
    total = Totals(readers=overall["readers"] or 0, org_readers=overall.get("org_readers") or 0)
    for value, label in Section.choices:
        row = by_section.get(value)
        if row is None:
            continue
        read = readers.get(value, {})
        sections.append(
            SectionTotals(
                section=value,
                label=str(label),
                items=row["items"],
                views=row["views"] or 0,
                readers=read.get("readers") or 0,
                org_readers=read.get("org_readers") or 0,
            )
        )
        total.items += row["items"]
        total.views += row["views"] or 0
    return sections, total


def reading_rows(overview: ReadingOverview) -> Iterator[tuple[Any, ...]]:
    """The overview's items as rows of the export, in its order."""
    with_org = overview.organization is not None
    sections = dict(Section.choices)
    for item in overview.items.iterator(chunk_size=2000):
        row: tuple[Any, ...] = (
            item.title,
            str(sections.get(item.section, item.section)),
            item.category.name if item.category else "",
            item.owner.display_name,
            timezone.localtime(item.publish_at).replace(tzinfo=None) if item.publish_at else None,
            item.views,
            item.readers,  # type: ignore[attr-defined]
        )
        if with_org:
            row += (item.org_readers,)  # type: ignore[attr-defined]
        yield row

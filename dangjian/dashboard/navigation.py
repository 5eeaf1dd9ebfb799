"""The sidebar and tab bar, built from what the user may do: no entry leads to a closed door."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.content import statistics as content_statistics
from dangjian.development import applicants as development_applicants
from dangjian.development import reports as development_reports
from dangjian.members.grants import MEMBER_ROLE
from dangjian.moderation.selectors import may_manage_dictionary
from dangjian.orgs import permissions as perms


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url: str
    icon: str
    also: tuple[str, ...] = ()  # other paths under this entry, for its active state


@dataclass
class NavSection:
    label: str | Promise
    items: list[NavItem] = field(default_factory=list)


READER_KEYS = frozenset({"content-feed"})


@lru_cache(maxsize=32)
def _url(name: str) -> str:
    return reverse(name)


def sections_for(user: Any) -> list[NavSection]:
    if not getattr(user, "is_authenticated", False):
        return []
    role = getattr(user, "admin_role", "")
    affairs = NavSection(_("Party affairs"))
    propaganda = NavSection(_("Propaganda"))
    data = NavSection(_("Data"))
    system = NavSection(_("System"))
    if perms.has_any_scope(user, perms.ORGS_VIEW):
        affairs.items.append(
            NavItem("orgs", _("Organizations"), _url("orgs:org-tree"), "diagram-3")
        )
    if perms.has_any_scope(user, perms.MEMBERS_VIEW):
        affairs.items.append(NavItem("roster", _("Roster"), _url("members:roster"), "people"))
    if perms.has_any_scope(user, perms.DEVELOPMENT_VIEW):
        affairs.items.append(
            NavItem(
                "development",
                _("Member development"),
                _url("development:board"),
                "person-check",
                (
                    "/development/cases/",
                    "/development/due/",
                    "/development/new/",
                    "/development/batch/",
                ),
            )
        )
    if perms.has_any_scope(user, perms.DEVELOPMENT_APPROVE):
        affairs.items.append(
            NavItem(
                "development-committee",
                _("Development approvals"),
                _url("development:committee-queue"),
                "clipboard2-check",
            )
        )
    if development_reports.may_see_calendar(user):
        affairs.items.append(
            NavItem(
                "development-calendar",
                _("Working-day calendar"),
                _url("development:holidays"),
                "calendar3",
            )
        )
    if perms.has_any_scope(user, perms.MEMBERS_IMPORT):
        affairs.items.append(
            NavItem("import", _("Import roster"), _url("members:import-start"), "upload")
        )
    # An applicant's own account holds no grant: its one entry is the applicant's progress
    # (members reach theirs from the home page, so other pages ask nothing more).
    if not role and not perms.grants(user) and development_applicants.has_case(user):
        affairs.items.append(
            NavItem(
                "development-mine",
                _("My development progress"),
                _url("development:my-progress"),
                "signpost-split",
            )
        )
    if not role:
        # Every member reads: the feeds lead on to each section and to search.
        propaganda.items.append(
            NavItem("content-feed", _("News and notices"), _url("content:feed"), "newspaper")
        )
    writer = perms.has_any_scope(user, perms.CONTENT_WRITE)
    if writer or perms.has_any_scope(user, perms.CONTENT_REVIEW):
        propaganda.items.append(
            NavItem(
                "content-manage",
                _("Content management"),
                _url("content:manage"),
                "journal-text",
                (_url("content:item-create"),),
            )
        )
    if perms.has_any_scope(user, perms.CONTENT_REVIEW):
        propaganda.items.append(
            NavItem(
                "content-review", _("Content review"), _url("content:review"), "clipboard-check"
            )
        )
    if content_statistics.may_manage_columns(user):
        propaganda.items.append(
            NavItem(
                "content-columns",
                pgettext_lazy("content", "Columns"),
                _url("content:columns"),
                "collection",
            )
        )
    if any(grant.source == MEMBER_ROLE for grant in perms.grants(user)):
        # Every member in good standing may write for the contribution desk.
        propaganda.items.append(
            NavItem(
                "contributions",
                _("My contributions"),
                _url("contributions:mine"),
                "pencil-square",
                (_url("contributions:submit"),),
            )
        )
    if perms.has_any_scope(user, perms.CONTENT_REVIEW):
        propaganda.items.append(
            NavItem(
                "contribution-desk", _("Contribution desk"), _url("contributions:desk"), "inboxes"
            )
        )
    if perms.has_any_scope(user, perms.MODERATION_REVIEW):
        propaganda.items.append(
            NavItem("moderation", _("Review queue"), _url("moderation:queue"), "shield-check")
        )
    if may_manage_dictionary(user):
        propaganda.items.append(
            NavItem(
                "dictionary",
                _("Sensitive words"),
                _url("moderation:dictionary"),
                "journal-text",
            )
        )
    if perms.has_any_scope(user, perms.STATS_VIEW):
        data.items.append(
            NavItem("history", _("Roster history"), _url("members:history"), "clock-history")
        )
    if perms.has_any_scope(user, perms.DEVELOPMENT_VIEW):
        data.items.append(
            NavItem(
                "development-reports",
                _("Development statistics"),
                _url("development:reports"),
                "bar-chart-steps",
            )
        )
    if content_statistics.may_see_statistics(user):
        data.items.append(
            NavItem(
                "content-statistics",
                _("Reading statistics"),
                _url("content:statistics"),
                "bar-chart-line",
            )
        )
    if perms.has_any_scope(user, perms.MODERATION_MONITOR):
        data.items.append(
            NavItem(
                "monitoring", _("Content monitoring"), _url("moderation:monitoring"), "activity"
            )
        )
    if role == "system_admin":
        system.items.append(
            NavItem("accounts", _("Accounts"), _url("accounts:user-list"), "person-gear")
        )
        system.items.append(
            NavItem("django-admin", _("System data"), _url("admin:index"), "database")
        )
    if role == "security_admin":
        system.items.append(NavItem("roles", _("Roles"), _url("security:role-list"), "shield-lock"))
        system.items.append(
            NavItem("lockouts", _("Locked sign-ins"), _url("accounts:lockout-list"), "lock")
        )
    if role == "audit_admin":
        system.items.append(
            NavItem("audit", _("Audit log"), _url("audit:entry-list"), "journal-text")
        )
    return [section for section in (affairs, propaganda, data, system) if section.items]


def tabs_for(user: Any) -> list[NavItem]:
    tabs = [NavItem("home", _("Home"), _url("dashboard:home"), "house")]
    sections = sections_for(user)
    # The second tab is the person's work; reading has the home page and its shortcuts.
    work = [item for s in sections for item in s.items if item.key not in READER_KEYS]
    first = work[0] if work else None
    if first is not None:
        label = (
            _("Work") if first.key not in ("orgs", "roster", "development-mine") else _("Affairs")
        )
        tabs.append(NavItem(first.key, label, first.url, "grid"))
    tabs.append(
        NavItem("me", _("Me"), _url("accounts:profile"), "person", (_url("notifications:inbox"),))
    )
    return tabs

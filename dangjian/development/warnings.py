"""The daily deadline warnings of member development (issue 5 item 3).

For every open case whose next step has a latest date (the talk within a month, the branch
vote after the pre-review, the committee's approvals), the job sends one "due soon"
notification when the latest date is within ``settings.DEVELOPMENT_WARN_DAYS`` days (7 by
default), and one "overdue" notification once it has passed, to the people responsible:

- steps of the committee (13, 17, 18, 24): the committee organizers of the nearest ancestor
  committee (the case's own organization included) that has one;
- every other step: the branch secretaries of the case's organization, or, where the branch
  has none, the committee organizers as above.

Idempotent: each warning sent is recorded as a ``WarningSent`` row, unique on case, step,
kind and latest date, in the same transaction as the notification. A second run sends
nothing again; a deadline that moves (a new latest date) warns again. Celery beat runs the
job daily (tasks.py); ``manage.py send_development_warnings`` runs the same.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.development.deadlines import next_steps
from dangjian.development.models import Case, CaseStatus, WarningSent
from dangjian.development.rules.steps import step as step_def
from dangjian.notifications.services import notify
from dangjian.orgs.models import Organization, Role, RoleAssignment, ancestor_paths

COMMITTEE_STEPS = frozenset({13, 17, 18, 24})
CHUNK = 1000
DUE_SOON: str = WarningSent.Kind.DUE_SOON.value
OVERDUE: str = WarningSent.Kind.OVERDUE.value


def warn_days() -> int:
    return int(getattr(settings, "DEVELOPMENT_WARN_DAYS", 7))


class _Officers:
    """The branch secretaries and committee organizers of a set of cases, read in one query."""

    def __init__(self, cases: Iterable[Case], today: dt.date):
        paths: set[str] = set()
        for case in cases:
            paths.update(ancestor_paths(case.org_path))
        self.secretaries: dict[str, set[int]] = defaultdict(set)
        self.organizers: dict[str, set[int]] = defaultdict(set)
        rows = (
            RoleAssignment.objects.active(today)
            .filter(
                role__in=[Role.BRANCH_SECRETARY, Role.COMMITTEE_ORGANIZER],
                organization__path__in=paths,
                organization__is_active=True,
                user__is_active=True,
            )
            .values_list("user_id", "role", "organization__path", "organization__kind")
        )
        for user_id, role, path, kind in rows:
            if role == Role.BRANCH_SECRETARY:
                self.secretaries[path].add(user_id)
            elif kind == Organization.Kind.COMMITTEE:
                self.organizers[path].add(user_id)

    def organizers_for(self, case: Case) -> set[int]:
        for path in reversed(ancestor_paths(case.org_path)):
            if self.organizers.get(path):
                return self.organizers[path]
        return set()

    def responsible(self, case: Case, step: int) -> set[int]:
        if step in COMMITTEE_STEPS:
            return self.organizers_for(case)
        return self.secretaries.get(case.org_path) or self.organizers_for(case)


def _step_name(number: int) -> str:
    definition = step_def(number)
    language = translation.get_language() or ""
    return definition.name_zh if language.startswith("zh") else definition.name_en


def _message(case: Case, step: int, kind: str, latest: dt.date, today: dt.date) -> tuple[str, str]:
    values: dict[str, Any] = {
        "name": case.name,
        "org": case.organization.display_name,
        "step": step,
        "step_name": _step_name(step),
        "latest": latest.isoformat(),
    }
    if kind == OVERDUE:
        values["days"] = (today - latest).days
        title = _("Overdue: %(name)s, step %(step)d (%(step_name)s), was due by %(latest)s")
        body = _(
            "%(org)s: %(name)s waits for step %(step)d (%(step_name)s), which was due by "
            "%(latest)s, %(days)d day(s) ago. Record it, or record the reason for the delay."
        )
    else:
        values["days"] = (latest - today).days
        title = _("Due soon: %(name)s, step %(step)d (%(step_name)s), due by %(latest)s")
        body = _(
            "%(org)s: %(name)s waits for step %(step)d (%(step_name)s), which is due by "
            "%(latest)s, in %(days)d day(s)."
        )
    return (title % values)[:200], body % values


def _send(
    case: Case, step: int, kind: str, latest: dt.date, recipients: Sequence[int], today: dt.date
) -> bool:
    """Record the warning and send it, in one transaction; False if another run sent it."""
    title, body = _message(case, step, kind, latest, today)
    try:
        with transaction.atomic():
            WarningSent.objects.create(case=case, step=step, kind=kind, latest_date=latest)
            notify(
                User.objects.filter(pk__in=recipients),
                kind=f"development.{kind}",
                title=title,
                body=body,
                link="",
            )
    except IntegrityError:  # a concurrent run recorded the same warning first
        return False
    return True


def _chunks(today: dt.date) -> Iterable[list[Case]]:
    last = 0
    while True:
        chunk = list(
            Case.objects.filter(status=CaseStatus.OPEN, pk__gt=last)
            .select_related("organization")
            .order_by("pk")[:CHUNK]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def send_warnings(*, today: dt.date | None = None, days: int | None = None) -> dict[str, int]:
    """Send the deadline warnings due today, once each; return the counts: ``cases`` looked
    at, ``due_soon`` and ``overdue`` sent, ``no_recipient`` (nobody responsible: not
    recorded, so tried again the next day)."""
    today = today or timezone.localdate()
    window = warn_days() if days is None else days
    counts = {"cases": 0, "due_soon": 0, "overdue": 0, "no_recipient": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for chunk in _chunks(today):
            counts["cases"] += len(chunk)
            sent = set(
                WarningSent.objects.filter(case__in=chunk).values_list(
                    "case_id", "step", "kind", "latest_date"
                )
            )
            officers: _Officers | None = None
            for row in next_steps(chunk, today=today):
                latest = row.latest
                if latest is None:
                    continue
                if latest < today:
                    kind = OVERDUE
                elif (latest - today).days <= window:
                    kind = DUE_SOON
                else:
                    continue
                if (row.case.pk, row.step, kind, latest) in sent:
                    continue
                officers = officers or _Officers(chunk, today)
                recipients = sorted(officers.responsible(row.case, row.step))
                if not recipients:
                    counts["no_recipient"] += 1
                    continue
                if _send(row.case, row.step, kind, latest, recipients, today):
                    counts[kind] += 1
    return counts

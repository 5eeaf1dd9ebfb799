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
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.development.deadlines import UNLISTED_FIELDS, events_by_case
from dangjian.development.models import Case, CaseStatus, WarningSent
from dangjian.development.officers import Officers
from dangjian.development.rules import engine
from dangjian.development.rules.steps import Stage
from dangjian.development.rules.steps import step as step_def
from dangjian.development.services import RULES_CONFIG, history_of
from dangjian.notifications.services import notify

CHUNK = 1000
DUE_SOON: str = WarningSent.Kind.DUE_SOON.value
OVERDUE: str = WarningSent.Kind.OVERDUE.value


def warn_days() -> int:
    return int(getattr(settings, "DEVELOPMENT_WARN_DAYS", 7))


def _step_name(number: int) -> str:
    return _(step_def(number).name_en)


# What a warning is about: a step's latest date, the hard limit of an approval (DEV-APPR: six
# months from the branch meeting), or an activist's six-monthly assessment (DEV-ASSESS).
STEP, LIMIT, ASSESSMENT = "step", "limit", "assessment"


def _message(
    case: Case, step: int, kind: str, latest: dt.date, today: dt.date, subject: str = STEP
) -> tuple[str, str]:
    values: dict[str, Any] = {
        "name": case.name,
        "org": case.organization.display_name,
        "step": step,
        "step_name": _step_name(step),
        "latest": latest.isoformat(),
        "days": (today - latest).days if kind == OVERDUE else (latest - today).days,
    }
    if subject == ASSESSMENT:
        if kind == OVERDUE:
            title = _("Overdue: the six-monthly assessment of %(name)s, due by %(latest)s")
            body = _(
                "%(org)s: the activist %(name)s was due for the six-monthly assessment by "
                "%(latest)s, %(days)d day(s) ago (DEV-ASSESS). Record step 6 with its date."
            )
        else:
            title = _("Due soon: the six-monthly assessment of %(name)s, by %(latest)s")
            body = _(
                "%(org)s: the activist %(name)s is due for the six-monthly assessment by "
                "%(latest)s, in %(days)d day(s) (DEV-ASSESS)."
            )
    elif subject == LIMIT:
        if kind == OVERDUE:
            title = _("Past the limit: the approval of %(name)s was due by %(latest)s")
            body = _(
                "%(org)s: the approval of %(name)s (step %(step)d) is past the limit of six "
                "months from the branch meeting, %(latest)s (DEV-APPR). It can only be recorded "
                "as a documented exception."
            )
        else:
            title = _("Last days: the approval of %(name)s must come by %(latest)s")
            body = _(
                "%(org)s: the approval of %(name)s (step %(step)d) must come by %(latest)s, six "
                "months after the branch meeting (DEV-APPR), in %(days)d day(s)."
            )
    elif kind == OVERDUE:
        title = _("Overdue: %(name)s, step %(step)d (%(step_name)s), was due by %(latest)s")
        body = _(
            "%(org)s: %(name)s waits for step %(step)d (%(step_name)s), which was due by "
            "%(latest)s, %(days)d day(s) ago. Record it, or record the reason for the delay."
        )
    else:
        title = _("Due soon: %(name)s, step %(step)d (%(step_name)s), due by %(latest)s")
        body = _(
            "%(org)s: %(name)s waits for step %(step)d (%(step_name)s), which is due by "
            "%(latest)s, in %(days)d day(s)."
        )
    return (title % values)[:200], body % values


def _send(
    case: Case,
    step: int,
    kind: str,
    latest: dt.date,
    recipients: Sequence[int],
    today: dt.date,
    subject: str = STEP,
) -> bool:
    """Record the warning and send it, in one transaction; False if another run sent it."""
    title, body = _message(case, step, kind, latest, today, subject)
    try:
        with transaction.atomic():
            WarningSent.objects.create(case=case, step=step, kind=kind, latest_date=latest)
            notify(
                User.objects.filter(pk__in=recipients),
                kind=f"development.{kind}",
                title=title,
                body=body,
                link=reverse("development:case", args=[case.pk]),
            )
    except IntegrityError:  # a concurrent run recorded the same warning first
        return False
    return True


def _chunks(today: dt.date, window: int) -> Iterable[list[Case]]:
    """The open cases that may have a deadline to warn of, in chunks: those whose next step is
    due by the end of the window (or past it: the hard limit of an approval comes later), and
    the activists (their six-monthly assessment is not a next step)."""
    candidates = Q(next_latest__lte=today + dt.timedelta(days=window)) | Q(
        stage=Stage.ACTIVIST.value
    )
    last = 0
    while True:
        chunk = list(
            Case.objects.filter(candidates, status=CaseStatus.OPEN, pk__gt=last)
            .select_related("organization")
            .defer(*UNLISTED_FIELDS)
            .order_by("pk")[:CHUNK]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _deadlines(cases: Sequence[Case]) -> Iterable[tuple[Case, int, dt.date, str]]:
    """Each case's dated deadlines: its next step's latest date, the hard limit of an approval
    once the latest date has passed, and an activist's next six-monthly assessment."""
    events = events_by_case([c.pk for c in cases])
    for case in cases:
        history = history_of(case, events.get(case.pk, []))
        deadline = engine.next_step(history, config=RULES_CONFIG)
        if deadline is None:
            continue
        if deadline.latest is not None:
            yield case, deadline.step, deadline.latest, STEP
        if deadline.hard_latest is not None and deadline.hard_latest != deadline.latest:
            yield case, deadline.step, deadline.hard_latest, LIMIT
        assessment = engine.next_assessment(history, config=RULES_CONFIG)
        if assessment is not None:
            yield case, 6, assessment, ASSESSMENT


def send_warnings(*, today: dt.date | None = None, days: int | None = None) -> dict[str, int]:
    """Send the deadline warnings due today, once each; return the counts: ``cases`` looked
    at, ``due_soon`` and ``overdue`` sent, ``no_recipient`` (nobody responsible: not
    recorded, so tried again the next day)."""
    today = today or timezone.localdate()
    window = warn_days() if days is None else days
    counts = {"cases": 0, "due_soon": 0, "overdue": 0, "no_recipient": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for chunk in _chunks(today, window):
            counts["cases"] += len(chunk)
            sent = set(
                WarningSent.objects.filter(case__in=chunk).values_list(
                    "case_id", "step", "kind", "latest_date"
                )
            )
            officers: Officers | None = None
            for case, step, latest, subject in _deadlines(chunk):
                if latest < today:
                    kind = OVERDUE
                elif (latest - today).days <= window:
                    kind = DUE_SOON
                else:
                    continue
                if (case.pk, step, kind, latest) in sent:
                    continue
                officers = officers or Officers(chunk, today)
                recipients = sorted(officers.responsible(case, step))
                if not recipients:
                    counts["no_recipient"] += 1
                    continue
                if _send(case, step, kind, latest, recipients, today, subject):
                    counts[kind] += 1
    return counts

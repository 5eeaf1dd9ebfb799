"""Member development at scale (issue 5): recording a step with every rule evaluated, the
committee's due-and-overdue list with 50,000 people in the pipeline, and the daily warnings.

The pipeline: one case per 20 members (50,000 at 1,000,000 members; at least 2,500), spread
at random over the active branches that have two full members free of sanctions (talkers,
cultivation contacts, sponsors) and an ancestor committee with approval authority. Each case
is a valid history cut where it waits for a step: every stage is represented, some cases are
closed, some had their probation extended, and about a quarter of those waiting for a step
with a deadline (the talk, the branch vote after the pre-review, the committee's approvals)
are past it. The histories come from a few hundred templates of offsets in days, with gaps
that satisfy the month rules from any date (as the demo's, dangjian/development/demo.py),
shifted to end before today; the engine (rules.engine.evaluate) judges every step of every
case at the small scale and of one case in 25 at the full scale before anything is written.
Cases and step events are written with bulk_create. Every branch with cases gets a secretary
and every committee an organizer (accounts and role assignments) where the seed has none, so
the warnings have someone to tell, as in production.

The figures:
- step_record through the service, with the rules engine, the facts it reads (members named,
  their sanctions, the approving organization) and the audit entry: the talk (step 2), the
  sponsors (step 9) and the branch general meeting's vote (step 15), each on fresh cases of
  secretary1's branch (deleted afterwards), N times; p50 and p95 (target p95 < 20 ms);
- deadlines.due_list as the deadline page calls it (every group's count, and the overdue and
  the due within 30 days, up to 200 of each, from the next step kept on the cases) for committee1 on its committee
  (its share of the pipeline), p50 and p95 (target p95 < 100 ms), and for the organization
  department on the whole university; for comparison, the time the same list takes from the
  histories through the engine (the cases query, the step events as model objects, the
  engine) and the what-ifs that led to keeping the next step on the case;
- warnings.send_warnings over every open case: the first run (which sends; the warnings an
  earlier run recorded are forgotten first), then a second one (which finds everything sent:
  idempotent); target < 60 s.

    python -m bench.development                 # this section alone (seeded if empty)
    python -m bench.development --scale full    # on a database seeded at the full scale
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASES_PER_MEMBER = 1 / 20  # 50,000 at 1,000,000 members
MIN_CASES = 2_500
TEMPLATES = 400
LATE_SHARE = 0.25
YEARS_BACK = 3
REGION = "130102"  # of the ID numbers: a region neither the demo nor the other sections use
BENCH_MARK = "bench-development"  # in Case.profile, to find the bench's cases again
PROFILE = {"ethnicity": "01", "education": "high_school", "category": "undergraduate"}
MEASURED = "step_record"  # the mark of the cases step_record is measured on
DONE = 0  # the case was recorded to the end (closed)
EXTENDED = -1  # probation extended, waiting for the second conversion meeting
# Steps a case waits for (every stage; DONE and EXTENDED as above).
POOL = [2, 2, 3, 4, 5, 7, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15, 16, 17, 17, 18, 19, 20,
        22, 22, 22, 23, 24, 24, DONE, EXTENDED]  # fmt: skip
# As in the demo: days from the anchor step past which the awaited step is late, and before
# which it is surely not.
LATE_AFTER = {2: (1, 31), 15: (13, 31), 17: (15, 92), 24: (23, 92)}
ON_TIME_BEFORE = {2: 28, 15: 28, 17: 89, 24: 89}
APPROVAL_STEPS = frozenset({13, 17, 24})
MEASURED_STEPS = (2, 9, 15)  # the talk; the two sponsors; the branch general meeting's vote


def _log(text: str) -> None:
    print(f"  development: {text}", flush=True)


# -- templates of valid histories -------------------------------------------------------------


@dataclass(frozen=True)
class Ev:
    """A step of a template: its day after the application, its fields, and its actors as
    slots (positions in the branch's list of eligible members, rotated per case)."""

    step: int
    offset: int
    fields: dict[str, Any] = field(default_factory=dict)
    actors: dict[str, Any] = field(default_factory=dict)


def _vote(rng: random.Random) -> dict[str, int]:
    entitled = rng.randint(5, 30)
    present = max(entitled // 2 + 1, entitled - rng.randint(0, entitled // 4))
    yes = present - (1 if present - 1 > entitled // 2 and rng.random() < 0.3 else 0)
    return {"entitled": entitled, "present": present, "yes": yes}


def _timeline(rng: random.Random, extended: bool) -> list[Ev]:
    """A history from application to archive, as the demo's (valid from any start date)."""
    events = [Ev(1, 0)]
    day = 0

    def add(step: int, low: int, high: int, fields: dict[str, Any] | None = None,
            actors: dict[str, Any] | None = None) -> int:  # fmt: skip
        nonlocal day
        day += rng.randint(low, high)
        events.append(Ev(step, day, fields or {}, actors or {}))
        return day

    add(2, 5, 25, actors={"talker": rng.randrange(4)})
    activist = add(3, 20, 70)
    add(4, 3, 15)
    add(5, 0, 7, actors={"contacts": [0, 1][: rng.choice((1, 2))]})
    add(6, 120, 150)
    add(6, 150, 175)
    day = max(day, activist + 366) + rng.randint(5, 40)  # a year as an activist
    # The public notice (required by the 2026 rules): two weeks, ended a week before.
    events.append(Ev(7, day, {"notice_start": -21, "notice_end": -7}))
    add(8, 3, 14)
    add(9, 1, 10, actors={"sponsors": [0, 1]})
    add(10, 3, 20, {"review_conclusion": "qualified"})
    training = (
        {"training_days": str(rng.choice((3, 4, 5)))}
        if rng.random() < 0.5
        else {"training_hours": str(rng.choice((24, 28, 32, 40)))}
    )
    add(11, 3, 25, training)
    add(12, 5, 20)
    add(13, 5, 20, {"approver_org": True})
    add(14, 2, 8)
    meeting = add(15, 3, 12, {"vote": _vote(rng)})
    add(16, 5, 20, actors={"talker": 2})
    add(17, 5, 40, {"approver_org": True})
    add(18, 3, 15)
    add(19, 0, 7)
    add(20, 0, 20)
    add(21, 60, 90)
    add(21, 90, 100)
    end = meeting + 366  # probation: a year from the admission meeting
    day = max(day + 10, end - rng.randint(10, 30))
    events.append(Ev(22, day))
    day = max(day, end) + rng.randint(1, 20)
    if extended:
        months = rng.choice((6, 6, 9, 12))
        fields = {"vote": _vote(rng), "outcome": "extend", "extension_months": months}
        events.append(Ev(23, day, fields))
        add(24, 7, 40, {"approver_org": True})
        add(21, 60, 120)
        end += 31 * months
        day = max(day + 10, end - rng.randint(10, 30))
        events.append(Ev(22, day))
        day = max(day, end) + rng.randint(1, 20)
    events.append(Ev(23, day, {"vote": _vote(rng), "outcome": "convert"}))
    add(24, 7, 60, {"approver_org": True})
    add(25, 3, 20)
    return events


@dataclass
class Plan:
    """A case: its recorded events (offsets from the application) and its days since."""

    events: list[Ev]
    now: int  # today, in days after the application
    closed: bool
    late: bool


def _plan(rng: random.Random, templates: list[list[Ev]], extended: list[list[Ev]]) -> Plan:
    """A case that waits for a step, late or not on today (as the demo plans its cases)."""
    waits = rng.choice(POOL)
    events = rng.choice(extended if waits == EXTENDED else templates)
    if waits == DONE:
        stop = len(events)
    elif waits == EXTENDED:
        stop = max(i for i, e in enumerate(events) if e.step == 22)
    else:
        stop = next(i for i, e in enumerate(events) if e.step == waits)
    recorded = events[:stop]
    last = recorded[-1].offset
    late = waits in LATE_AFTER and rng.random() < LATE_SHARE
    if late:
        anchor_step, days = LATE_AFTER[waits]
        anchor = max(e.offset for e in recorded if e.step == anchor_step)
        now = max(last, anchor + days + rng.randint(4, 90))
    elif waits in ON_TIME_BEFORE:
        anchor = max(e.offset for e in recorded if e.step == LATE_AFTER[waits][0])
        room = ON_TIME_BEFORE[waits] - (last - anchor)
        now = last + rng.randint(0, max(0, room - 3))
    else:
        now = last + rng.randint(1, 60 if waits != DONE else 300)
    now = min(now, max(last, 365 * YEARS_BACK - 5))
    return Plan(recorded, now, waits == DONE, late)


# -- the branches -----------------------------------------------------------------------------


@dataclass
class Branch:
    pk: int
    code: str
    path: str
    approver_org: int  # pk of the nearest ancestor committee with approval authority
    approver_code: str
    members: list[int]  # full members, active, never sanctioned


def _branches(per_branch: int = 12) -> list[Branch]:
    """Active non-retired branches with two eligible members and an approving ancestor."""
    from django.db import connection

    from dangjian.members.models import EventKind, Member, MemberEvent
    from dangjian.orgs.models import Organization

    orgs = Organization.objects.filter(is_active=True)
    approving = {
        path: (pk, code)
        for pk, path, code in orgs.filter(
            approval_authority=True, kind=Organization.Kind.COMMITTEE
        ).values_list("pk", "path", "code")
    }
    branches = (
        orgs.filter(kind=Organization.Kind.BRANCH)
        .exclude(branch_type=Organization.BranchType.RETIRED)
        .order_by("path")
        .values_list("pk", "code", "path")
    )
    members: dict[int, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT organization_id, id FROM (
                SELECT m.organization_id, m.id,
                       row_number() OVER (PARTITION BY m.organization_id ORDER BY m.id) AS n
                FROM {Member._meta.db_table} m
                WHERE m.status = 'full' AND m.standing = 'active'
                  AND NOT EXISTS (SELECT 1 FROM {MemberEvent._meta.db_table} e
                                  WHERE e.member_id = m.id AND e.kind = %s)
            ) ranked WHERE n <= %s
            """,
            [EventKind.SANCTION.value, per_branch],
        )
        for org_id, pk in cursor.fetchall():
            members[org_id].append(pk)
    found = []
    for pk, code, path in branches:
        people = members.get(pk, [])
        ancestors = [path[:end] for end in range(len(path), 0, -1)]
        approver = next((approving[p] for p in ancestors if p in approving), None)
        if len(people) >= 3 and approver is not None:
            found.append(Branch(pk, code, path, approver[0], approver[1], people))
    return found


def _officers(branches: list[Branch]) -> tuple[int, int]:
    """A secretary for every branch given and an organizer for every committee without one
    (accounts signed in by single sign-on, and their role assignments); return the counts."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.orgs.models import Organization, Role, RoleAssignment

    today = timezone.localdate()
    held = set(
        RoleAssignment.objects.active(today)
        .filter(role__in=[Role.BRANCH_SECRETARY, Role.COMMITTEE_ORGANIZER], user__is_active=True)
        .values_list("organization_id", "role")
    )
    wanted = [(b.pk, b.code, Role.BRANCH_SECRETARY) for b in branches]
    committees = Organization.objects.filter(kind=Organization.Kind.COMMITTEE, is_active=True)
    wanted += [
        (pk, code, Role.COMMITTEE_ORGANIZER) for pk, code in committees.values_list("pk", "code")
    ]
    wanted = [(pk, code, role) for pk, code, role in wanted if (pk, role) not in held]
    if not wanted:
        return 0, 0
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"bench-dev-{role[:3]}-{code.lower()}", password=unusable)
         for _pk, code, role in wanted],
        batch_size=5000,
    )  # fmt: skip
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, organization_id=pk, role=role)
         for user, (pk, _code, role) in zip(users, wanted, strict=True)],
        batch_size=5000,
    )  # fmt: skip
    secretaries = sum(1 for _pk, _code, role in wanted if role == Role.BRANCH_SECRETARY)
    return secretaries, len(wanted) - secretaries


# -- cases and their events -------------------------------------------------------------------


class Builder:
    """Case and StepEvent objects (unsaved) from templates, with the rules engine's check."""

    def __init__(self, rng: random.Random, today: dt.date):
        from dangjian.development.models import ID_PURPOSE, Case, calendar_for

        self.rng = rng
        self.today = today
        self.purpose = ID_PURPOSE
        # The open cases' ID numbers (one open case per person), as their blind index.
        self.used: set[str] = set(
            Case.objects.filter(status="open").values_list("id_number_hash", flat=True)
        )
        self.calendar = calendar_for(range(today.year - YEARS_BACK - 4, today.year + 2))
        self.checked = 0
        self.check_seconds = 0.0

    def person(self, applied: dt.date) -> tuple[str, str, dt.date, str]:
        from dangjian.lib import crypto, idnumber
        from dangjian.members.demo import GIVEN, SURNAMES

        rng = self.rng
        birth = applied - dt.timedelta(days=rng.randint(18, 24) * 365 + rng.randint(10, 355))
        while True:
            number = idnumber.make(REGION, birth, rng.randrange(1000))
            hashed = crypto.blind_index(number, purpose=self.purpose)
            if hashed not in self.used:
                self.used.add(hashed)
                break
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        return rng.choice(SURNAMES) + given, number, birth, phone

    def values(self, event: Ev, branch: Branch, rotate: int, applied: dt.date) -> dict[str, Any]:
        """The step's fields as the API names them (actors as member ids, dates as dates)."""
        day = applied + dt.timedelta(days=event.offset)
        people = branch.members
        values: dict[str, Any] = {}
        for name, value in event.fields.items():
            if name in ("notice_start", "notice_end"):
                values[name] = day + dt.timedelta(days=value)
            elif name == "approver_org":
                values[name] = branch.approver_code
            else:
                values[name] = value
        for name, slot in event.actors.items():
            if isinstance(slot, list):
                values[name] = [people[(rotate + s) % len(people)] for s in slot]
            else:
                values[name] = people[(rotate + slot) % len(people)]
        return values

    def check(self, birth: dt.date, branch: Branch, records: list[Any]) -> None:
        """Judge every step with the engine as step_record would; raise on a refusal."""
        from dangjian.development.rules import engine
        from dangjian.development.rules.model import CaseHistory, Facts, MemberFacts, OrgFacts
        from dangjian.development.services import RULES_CONFIG, describe

        started = time.perf_counter()
        facts = Facts(
            members={pk: MemberFacts(full_member=True) for pk in branch.members},
            orgs={branch.approver_code: OrgFacts(can_approve_members=True, kind="committee")},
        )
        history = CaseHistory(birth_date=birth)
        for record in records:
            violations = engine.evaluate(
                history, record, calendar=self.calendar, config=RULES_CONFIG, facts=facts
            )
            first = engine.first_blocking(violations)
            if first is not None:
                raise AssertionError(f"{branch.code}: step {record.step}: {describe(first)}")
            history = history.with_step(record)
        self.checked += 1
        self.check_seconds += time.perf_counter() - started

    def case(
        self, plan: Plan, branch: Branch, *, check: bool, new: Ev | None = None, mark: Any = True
    ) -> tuple[Any, list[Any]]:
        """The Case and its StepEvents (unsaved); ``new``, a step left to record, is checked
        with the rest and returned as the last StepRecord of the list when given."""
        from django.utils import timezone

        from dangjian.development import services
        from dangjian.development.models import Case, StepEvent
        from dangjian.development.rules import engine
        from dangjian.development.rules.model import CaseHistory
        from dangjian.development.rules.steps import step as step_def
        from dangjian.development.services import RULES_CONFIG, _step_record

        applied = self.today - dt.timedelta(days=plan.now)
        name, number, birth, phone = self.person(applied)
        rotate = self.rng.randrange(len(branch.members))
        records = []
        for event in [*plan.events, *([new] if new else [])]:
            values = self.values(event, branch, rotate, applied)
            day = applied + dt.timedelta(days=event.offset)
            records.append(_step_record(event.step, day, values))
        if check:
            self.check(birth, branch, records)
        case = Case(
            name=name,
            gender="M" if int(number[16]) % 2 else "F",
            birth_date=birth,
            organization_id=branch.pk,
            org_path=branch.path,
            application_date=applied,
            stage=max(int(step_def(e.step).stage) for e in plan.events),
            status="closed" if plan.closed else "open",
            rule_version=engine.version_for(applied, RULES_CONFIG).key,
            # What admission (step 17) needs to put the person on the roster.
            profile={**PROFILE, BENCH_MARK: mark},
            created_at=timezone.make_aware(dt.datetime.combine(applied, dt.time(9, 30))),
        )
        case.set_id_number(number)
        case.set_phone(phone)
        # The next step's dates, kept on the case as step_record keeps them.
        history = CaseHistory(birth_date=birth, steps=tuple(records[: len(plan.events)]))
        deadline = engine.next_step(history, config=RULES_CONFIG) if not plan.closed else None
        services.set_next_step(case, deadline)
        events = []
        for record in records[: len(plan.events)]:
            fields = {
                name: value.isoformat() if isinstance(value, dt.date) else str(value)
                for name in ("notice_start", "notice_end", "training_days", "training_hours")
                if (value := getattr(record, name)) is not None
            }
            if record.review_conclusion:
                fields["review_conclusion"] = record.review_conclusion
            actors: dict[str, Any] = {}
            if record.talker is not None:
                actors["talker"] = record.talker
            for name in ("contacts", "sponsors"):
                if getattr(record, name):
                    actors[name] = list(getattr(record, name))
            events.append(
                StepEvent(
                    step=record.step,
                    date=record.date,
                    fields=fields,
                    actors=actors,
                    vote=record.vote.__dict__ if record.vote else None,
                    approver_org_id=branch.approver_org if record.approver_org else None,
                    outcome=record.outcome or "",
                    extension_months=record.extension_months,
                    rule_version=engine.version_for(record.date, RULES_CONFIG).key,
                    recorded_at=timezone.make_aware(dt.datetime.combine(record.date, dt.time(10))),
                )
            )
        return case, events


def _write(pairs: list[tuple[Any, list[Any]]]) -> int:
    from django.db import transaction

    from dangjian.development.models import Case, StepEvent

    with transaction.atomic():
        cases = Case.objects.bulk_create([case for case, _events in pairs], batch_size=2000)
        events = []
        for case, (_case, steps) in zip(cases, pairs, strict=True):
            for event in steps:
                event.case_id = case.pk
                events.append(event)
        StepEvent.objects.bulk_create(events, batch_size=5000)
    return len(events)


def _vacuum() -> None:
    from django.db import connection

    from dangjian.development.models import Case, StepEvent, WarningSent

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Case, StepEvent, WarningSent):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def load_pipeline(total: int, seed: int = 21) -> dict[str, Any]:
    """Add bench cases until there are ``total``; return what was done."""
    from django.utils import timezone

    from dangjian.development.models import Case

    have = Case.objects.filter(**{f"profile__{BENCH_MARK}": True}).count()
    need = total - have
    if need <= 0:
        return {"added": 0}
    started = time.perf_counter()
    rng = random.Random(seed + have)
    branches = _branches()
    secretaries, organizers = _officers(branches)
    templates = [_timeline(rng, extended=False) for _ in range(TEMPLATES)]
    extended = [_timeline(rng, extended=True) for _ in range(TEMPLATES // 8)]
    builder = Builder(rng, timezone.localdate())
    every = 1 if total <= MIN_CASES else 25
    pairs = []
    late = 0
    for n in range(need):
        plan = _plan(rng, templates, extended)
        late += plan.late
        pairs.append(builder.case(plan, rng.choice(branches), check=n % every == 0))
    built = time.perf_counter() - started
    events = 0
    for start in range(0, len(pairs), 10_000):
        events += _write(pairs[start : start + 10_000])
    _vacuum()
    return {
        "added": need,
        "events": events,
        "late": late,
        "branches": len(branches),
        "secretaries": secretaries,
        "organizers": organizers,
        "checked": builder.checked,
        "check_seconds": builder.check_seconds,
        "build_seconds": built,
        "seconds": time.perf_counter() - started,
    }


# -- step_record ------------------------------------------------------------------------------


def step_record_times(n: int, warmup: int = 5) -> dict[int, list[float]]:
    """step_record of steps 2, 9 and 15 on fresh cases of secretary1's branch, in ms."""
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.development import services
    from dangjian.development.models import Case
    from dangjian.orgs.models import Role, RoleAssignment

    secretary = User.objects.get(username="secretary1")
    grant = RoleAssignment.objects.active().get(user=secretary, role=Role.BRANCH_SECRETARY)
    branch = next(b for b in _branches() if b.pk == grant.organization_id)
    rng = random.Random(31)
    today = timezone.localdate()
    builder = Builder(rng, today)
    times: dict[int, list[float]] = {}
    for number in MEASURED_STEPS:
        pairs, news = [], []
        for _ in range(n + warmup):
            events = _timeline(rng, extended=False)
            stop = next(i for i, e in enumerate(events) if e.step == number)
            new = events[stop]
            # The new step dated yesterday: the history ends before it, as the template says.
            plan = Plan(events[:stop], now=new.offset + 1, closed=False, late=False)
            case, steps = builder.case(plan, branch, check=True, new=new, mark=MEASURED)
            pairs.append((case, steps))
            applied = case.application_date
            news.append(
                (applied + dt.timedelta(days=new.offset),
                 builder.values(new, branch, rng.randrange(len(branch.members)), applied))
            )  # fmt: skip
        _write(pairs)
        cases = Case.objects.filter(pk__in=[c.pk for c, _s in pairs]).order_by("pk")
        samples = []
        for k, (case, (day, values)) in enumerate(zip(cases, news, strict=True)):
            fields = {
                name: value.isoformat() if isinstance(value, dt.date) else value
                for name, value in values.items()
            }
            started = time.perf_counter()
            services.step_record(actor=secretary, case=case, step=number, date=day, fields=fields)
            if k >= warmup:
                samples.append((time.perf_counter() - started) * 1000)
        times[number] = samples
    _forget_measured()
    return times


def _forget_measured() -> None:
    """Delete the cases step_record was measured on (with their events), so that they do not
    pile up in secretary1's branch, and in committee1's due list, run after run."""
    from django.db import transaction

    from dangjian.development.models import Case, StepEvent

    with transaction.atomic():
        measured = Case.objects.filter(**{f"profile__{BENCH_MARK}": MEASURED})
        StepEvent.objects.filter(case__in=measured).delete()
        measured.delete()


# -- the due list -----------------------------------------------------------------------------


def _timed_calls(function: Callable[[], Any], runs: int, warmup: int) -> tuple[list[float], Any]:
    result = None
    for _ in range(warmup):
        result = function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def breakdown(user: Any, org: Any, runs: int) -> dict[str, float]:
    """Where due_list's time goes (median ms of ``runs``): the cases query, the step events
    query (SQL alone, then as model objects grouped by case), the engine (history_of and
    next_step for each case)."""
    from django.db import connection

    from dangjian.development.deadlines import events_by_case, open_cases
    from dangjian.development.models import StepEvent
    from dangjian.development.rules import engine
    from dangjian.development.services import RULES_CONFIG, history_of

    parts: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        started = time.perf_counter()
        cases = list(open_cases(user, org))
        parts["cases query (Case objects)"].append(time.perf_counter() - started)
        ids = [c.pk for c in cases]
        query = (
            StepEvent.objects.filter(case_id__in=ids)
            .select_related("approver_org")
            .order_by("case_id", "date", "step", "id")
        )
        sql, params = query.query.sql_with_params()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = len(cursor.fetchall())
        parts["step events query, SQL and rows only"].append(time.perf_counter() - started)
        started = time.perf_counter()
        events = events_by_case(ids)
        parts["step events query (StepEvent objects, grouped)"].append(
            time.perf_counter() - started
        )
        started = time.perf_counter()
        for case in cases:
            engine.next_step(history_of(case, events.get(case.pk, [])), config=RULES_CONFIG)
        parts["engine (history_of and next_step per case)"].append(time.perf_counter() - started)
        # What a lighter read would cost: no encrypted columns decrypted for the cases, and
        # only the five columns of the step events that next_step reads.
        started = time.perf_counter()
        light = light_next_steps(user, org)
        parts["what-if: lighter read of the events, total"].append(time.perf_counter() - started)
        # What the next step kept on the case (Case.next_step, next_earliest, next_latest)
        # would cost: no events at all; every open case, or only the urgent ones and counts.
        started = time.perf_counter()
        stored_all = stored_due(user, org, urgent_only=False)
        parts["what-if: stored next step, every open case in scope"].append(
            time.perf_counter() - started
        )
        started = time.perf_counter()
        stored_due(user, org, urgent_only=True)
        parts["what-if: stored next step, overdue and due soon, counts of the rest"].append(
            time.perf_counter() - started
        )
    result = {name: statistics.median(values) * 1000 for name, values in parts.items()}
    expected = {
        c.pk: engine.next_step(history_of(c, events.get(c.pk, [])), config=RULES_CONFIG)
        for c in cases
    }
    assert light == expected, "the lighter read disagrees with the engine's next steps"
    kept = {pk: (d.step, d.earliest, d.latest) if d else (None, None, None)
            for pk, d in expected.items()}  # fmt: skip
    # Kept on the case when a step is recorded: stale where the engine changed since.
    result["stale"] = sum(1 for pk, value in kept.items() if stored_all[0].get(pk) != value)
    result["cases"] = len(ids)
    result["events"] = rows
    return result


def stored_due(
    user: Any, org: Any, *, urgent_only: bool
) -> tuple[dict[int, tuple[Any, Any, Any]], dict[str, int], dt.date]:
    """A due list from the next step kept on each case: the cases (without their encrypted
    columns) with their next step's dates, every one or only those overdue or due within 30
    days with the others counted. A what-if for the due list, not the code under test."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from dangjian.development.deadlines import open_cases
    from dangjian.development.services import RULES_CONFIG

    horizon = timezone.localdate() + dt.timedelta(days=RULES_CONFIG.due_soon_days)
    cases = open_cases(user, org).defer("id_number", "phone", "profile")
    counts: dict[str, int] = {}
    if urgent_only:
        counts = cases.aggregate(
            later=Count("pk", filter=Q(next_latest__gt=horizon)),
            undated=Count("pk", filter=Q(next_latest__isnull=True)),
        )
        cases = cases.filter(next_latest__lte=horizon)
    rows = {
        c.pk: (c.next_step, c.next_earliest, c.next_latest)
        for c in cases.order_by("next_latest", "pk")
    }
    return rows, counts, horizon


def light_next_steps(user: Any, org: Any) -> dict[int, Any]:
    """The next step of each open case in scope, read as lightly as the engine allows: the
    cases without their encrypted columns, the events as (case, step, date, outcome,
    extension months) tuples. A what-if for the due list, not the code under test."""
    from dangjian.development.deadlines import open_cases
    from dangjian.development.models import StepEvent
    from dangjian.development.rules import engine
    from dangjian.development.rules.model import CaseHistory, StepRecord
    from dangjian.development.services import RULES_CONFIG

    cases = list(
        open_cases(user, org).select_related(None).only("pk", "birth_date", "expected_leave_date")
    )
    grouped: dict[int, list[StepRecord]] = defaultdict(list)
    rows = (
        StepEvent.objects.filter(case_id__in=[c.pk for c in cases])
        .order_by("case_id", "date", "step", "id")
        .values_list("case_id", "step", "date", "outcome", "extension_months")
    )
    for case_id, step, day, outcome, months in rows:
        grouped[case_id].append(
            StepRecord(step=step, date=day, outcome=outcome or None, extension_months=months)
        )
    return {
        c.pk: engine.next_step(
            CaseHistory(c.birth_date, tuple(grouped.get(c.pk, ())), c.expected_leave_date),
            config=RULES_CONFIG,
        )
        for c in cases
    }


def explain(user: Any, org: Any) -> str:
    """EXPLAIN ANALYZE of the two queries of the due list (printed, for the record)."""
    from django.db import connection

    from dangjian.development.deadlines import open_cases
    from dangjian.development.models import StepEvent

    if connection.vendor != "postgresql":
        return ""
    cases = open_cases(user, org)
    ids = list(cases.values_list("pk", flat=True))
    events = (
        StepEvent.objects.filter(case_id__in=ids)
        .select_related("approver_org")
        .order_by("case_id", "date", "step", "id")
    )
    return (
        cases.explain(analyze=True, buffers=True)
        + "\n\n"
        + events.explain(analyze=True, buffers=True)[-1500:]
    )


# The deadline page shows this many rows of each group (views/cases.py DUE_ROWS), with counts.
DUE_ROWS = 200
URGENT = ("overdue", "due_soon")  # the groups the page lists; the later ones are counted


def due_lists(scale: dict[str, int]) -> dict[str, Any]:
    from dangjian.accounts.models import User
    from dangjian.development import deadlines
    from dangjian.orgs.models import Role, RoleAssignment

    organizer = User.objects.get(username="committee1")
    grant = (
        RoleAssignment.objects.active()
        .select_related("organization")
        .get(user=organizer, role=Role.COMMITTEE_ORGANIZER)
    )
    committee = grant.organization
    runs = max(20, scale["requests"] // 10)
    samples, listed = _timed_calls(
        lambda: deadlines.due_list(organizer, org=committee, limit=DUE_ROWS, groups=URGENT),
        runs,
        warmup=3,
    )
    orgdept = User.objects.get(username="orgdept")
    full = scale["members"] >= 1_000_000
    uni_runs = 1 if full else 3
    uni_samples, uni_listed = _timed_calls(
        lambda: deadlines.due_list(orgdept, limit=DUE_ROWS, groups=URGENT),
        uni_runs,
        warmup=0 if full else 1,
    )
    return {
        "committee": committee.code,
        "samples": samples,
        "listed": listed,
        "parts": breakdown(organizer, committee, runs=5),
        "explain": explain(organizer, committee),
        "uni_samples": uni_samples,
        "uni_listed": uni_listed,
        "uni_parts": breakdown(orgdept, None, runs=1 if full else 2),
    }


def _count(listed: Any) -> tuple[int, int, int, int]:
    counts = listed.counts
    return counts["overdue"], counts["due_soon"], counts["later"], counts["undated"]


# -- the daily warnings -----------------------------------------------------------------------


def warnings_runs() -> list[tuple[float, dict[str, int]]]:
    from dangjian.development import warnings
    from dangjian.development.models import WarningSent

    # On a reused database, forget the warnings an earlier run sent: the first run sends.
    WarningSent.objects.all().delete()
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        counts = warnings.send_warnings()
        runs.append((time.perf_counter() - started, counts))
    return runs


# -- the section ------------------------------------------------------------------------------


def figures(entry: Callable[..., Any], scale: dict[str, int]) -> list[Any]:
    from django.conf import settings

    from bench.figures import _loop, percentile
    from dangjian.development.models import Case, StepEvent

    settings.DEBUG = False
    started = time.perf_counter()
    loop = _loop()
    total = max(MIN_CASES, round(scale["members"] * CASES_PER_MEMBER))
    _log(f"loading {total:,} cases ...")
    loaded = load_pipeline(total)
    results = []
    open_cases = Case.objects.filter(status="open").count()
    events = StepEvent.objects.count()
    dataset = (
        f"{scale['members']:,} members, {open_cases:,} open development cases "
        f"({events:,} step events), PostgreSQL"
    )
    if loaded["added"]:
        _log(
            f"{loaded['added']:,} cases, {loaded['events']:,} step events, "
            f"{loaded['late']:,} planned late, over {loaded['branches']:,} branches; "
            f"officers added: {loaded['secretaries']:,} secretaries, "
            f"{loaded['organizers']:,} organizers; {loaded['checked']:,} histories judged by "
            f"the engine in {loaded['check_seconds']:.1f} s; built in "
            f"{loaded['build_seconds']:.1f} s, loaded in {loaded['seconds']:.1f} s"
        )
        results.append(entry(f"development: bulk load of {loaded['added']:,} cases "
                             f"({loaded['events']:,} step events)", loaded["seconds"], "s", "",
                             dataset))  # fmt: skip
    n = max(50, scale["requests"] // 2)
    _log(f"step_record, {n} runs of each of steps {MEASURED_STEPS} ...")
    for number, samples in step_record_times(n).items():
        label = f"development: step_record of step {number} with every rule (n={n})"
        results.append(entry(f"{label} (p50)", statistics.median(samples), "ms", "", dataset))
        results.append(entry(f"{label} (p95)", percentile(samples, 95), "ms", "p95 < 20 ms",
                             dataset))  # fmt: skip
    _log("due lists ...")
    due = due_lists(scale)
    listed = _count(due["listed"])
    committee = due["committee"]
    results += [
        entry(f"development: due list of committee {committee} (p50)",
              statistics.median(due["samples"]), "ms", "", dataset),
        entry(f"development: due list of committee {committee} (p95)",
              percentile(due["samples"], 95), "ms", "p95 < 100 ms", dataset),
        entry(f"development: due list of committee {committee}, cases (overdue {listed[0]:,}, "
              f"due within 30 days {listed[1]:,}, later {listed[2]:,}, no latest date "
              f"{listed[3]:,})", sum(listed), "", "", dataset),
    ]  # fmt: skip
    results.append(entry(f"development: cases of {committee} whose kept next step differs from "
                         "the engine's", due["parts"]["stale"], "", "0", dataset))  # fmt: skip
    for name, value in due["parts"].items():
        if name not in ("cases", "events", "stale"):
            results.append(entry(f"development: due list of {committee}, {name} (p50)", value,
                                 "ms", "", dataset))  # fmt: skip
    uni = _count(due["uni_listed"])
    results += [
        entry(f"development: due list of the whole university (p50, n={len(due['uni_samples'])})",
              statistics.median(due["uni_samples"]), "ms", "", dataset),
        entry(f"development: due list of the whole university, cases (overdue {uni[0]:,}, "
              f"due within 30 days {uni[1]:,})", sum(uni), "", "", dataset),
    ]  # fmt: skip
    for name, value in due["uni_parts"].items():
        if name == "events":
            results.append(entry("development: whole university, step events read", value, "",
                                 "", dataset))  # fmt: skip
        elif name not in ("cases", "stale"):
            results.append(entry(f"development: due list of the whole university, {name} "
                                 "(p50)", value, "ms", "", dataset))  # fmt: skip
    if due["explain"] and os.environ.get("BENCH_EXPLAIN"):
        print(f"\nEXPLAIN ANALYZE, the due list of {committee}:\n{due['explain']}\n", flush=True)
    _log("daily warnings, twice ...")
    (first, counts), (second, again) = warnings_runs()
    sent = counts["due_soon"] + counts["overdue"]
    results += [
        entry(f"development: daily warning job ({counts['cases']:,} cases with a deadline near "
              "or past, or activists), first run",
              first, "s", "< 60 s", dataset),
        entry(f"development: daily warnings sent, first run (overdue {counts['overdue']:,}, "
              f"due soon {counts['due_soon']:,}, nobody to tell {counts['no_recipient']:,})",
              sent, "", "", dataset),
        entry("development: daily warning job, second run (idempotent)", second, "s", "< 60 s",
              dataset),
        entry("development: daily warnings sent, second run", again["due_soon"] + again["overdue"],
              "", "0", dataset),
        entry("development: section wall time", time.perf_counter() - started, "s", "",
              dataset),
        # The machine's speed (and how busy it is) when the section ran.
        entry("development: calibration, pure-Python loop of 10 million additions", loop, "s",
              "", dataset),
    ]  # fmt: skip
    return results


def _standalone() -> None:
    """This section alone, on the bench's database (seeded first when it is empty); its
    figures replace the section's earlier ones in bench-results.json."""
    from bench import __main__ as bench_main
    from bench import standalone

    parser = argparse.ArgumentParser(prog="python -m bench.development")
    parser.add_argument("--scale", choices=bench_main.SCALES, default="small")
    args = parser.parse_args()
    scale = standalone.prepare(args.scale, ("migrate", "--no-input", "-v", "0"))
    results = standalone.run(figures, scale)
    out = ROOT / "bench-results.json"
    earlier = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
    kept = [r for r in earlier if not str(r.get("name", "")).startswith("development:")]
    out.write_text(json.dumps(kept + results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    _standalone()

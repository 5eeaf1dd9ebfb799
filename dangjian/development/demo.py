"""Demo data for member development (发展党员): cases in a few branches under every secondary
committee, recorded step by step through the real services, so the lists, the deadlines and
the daily warnings have something true to show. Registered as a `seed_demo` step
(dangjian.lib.demo).

Each case is planned as the step it waits for (every stage is represented, some cases are
converted and closed, a few had their probation extended) and whether it is past a deadline
on the demo's day; the application date is then placed so that the history ends there. Step
gaps are chosen in days that satisfy the month rules for any date (a talk within 28 days of
the application, a year as an activist counted as 366 days, and so on), so every history is
valid whatever the day of the demo. Cases are left overdue only where the daily warnings have
someone to tell (a branch secretary's or a committee organizer's account).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.development import services
from dangjian.development.models import Case, StepEvent, calendar_for
from dangjian.development.officers import COMMITTEE_STEPS
from dangjian.development.plans import plan_set
from dangjian.development.review import case_return
from dangjian.development.rules.steps import CONVERT, EXTEND, QUALIFIED
from dangjian.development.services import document_add
from dangjian.lib import idnumber
from dangjian.lib.demo import DemoContext
from dangjian.members.choices import Standing, Status
from dangjian.members.demo import GIVEN, REGIONS, SURNAMES
from dangjian.members.models import EventKind, Member, MemberEvent
from dangjian.orgs.models import Organization, Role, RoleAssignment

BRANCHES_PER_COMMITTEE = 2
CASES_PER_BRANCH = 2  # and the late and extended ones; about 1,500 steps at the default size
YEARS_BACK = 3
DONE = 0  # the plan of a case recorded to the end (converted, materials archived)
EXTENDED = -1  # a case whose probation was extended, waiting for the second conversion meeting
# Days from the anchor step past which the step a case waits for is late (a month is at most
# 31 days, three months at most 92) and before which it is surely not (28 and 89 days).
LATE_AFTER = {2: (1, 31), 15: (13, 31), 17: (15, 92), 24: (23, 92)}
ON_TIME_BEFORE = {2: 28, 15: 28, 17: 89, 24: 89}
# The steps a case can wait for, in the random branches; DONE and EXTENDED as above.
POOL = [2, 3, 4, 5, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 22, 23, 24, DONE]
# secretary1's branch: every stage, two late cases, a conversion and an extension.
SHOWCASE: list[tuple[int, bool]] = [
    (2, True),
    (17, True),
    (2, False),
    (5, False),
    (9, False),
    (14, False),
    (23, False),
    (DONE, False),
    (EXTENDED, False),
]


@dataclass
class Event:
    step: int
    offset: int  # days after the application
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Branch:
    org: Organization
    approver_org: str  # code of the nearest ancestor committee with approval authority
    recorder: User  # records the branch's steps
    approver: User  # records the committee's approvals (13, 17, 24)
    members: list[int]  # full members, never sanctioned: talkers, contacts, sponsors
    committee_talker: int  # the member the committee sends for the talk of step 16
    warned_branch: bool  # a secretary or an organizer would be warned of the branch's steps
    warned_committee: bool  # an organizer would be warned of the committee's steps


class _Seeder:
    def __init__(self, context: DemoContext):
        self.context = context
        self.rng: random.Random = context.rng
        self.today = context.today
        # The services refuse dates after the real today.
        self.horizon = min(context.today, timezone.localdate())
        self.used_ids: set[str] = set()
        self.cases: list[Case] = []
        self.branches_seen: list[Branch] = []
        self.overdue = 0

    # --- the branches and their people --------------------------------------------------------

    def branches(self) -> list[Branch]:
        orgdept = User.objects.filter(username="orgdept").first()
        if orgdept is None:
            return []
        roles = RoleAssignment.objects.active(self.horizon).filter(
            role__in=[Role.BRANCH_SECRETARY, Role.COMMITTEE_ORGANIZER], user__is_active=True
        )
        secretaries: dict[int, User] = {}
        organizers: dict[str, User] = {}
        for grant in roles.select_related("user", "organization").order_by("pk"):
            if grant.role == Role.BRANCH_SECRETARY:
                secretaries.setdefault(grant.organization_id, grant.user)
            else:
                organizers.setdefault(grant.organization.path, grant.user)
        orgs = Organization.objects.filter(is_active=True)
        approving = dict(
            orgs.filter(approval_authority=True, kind=Organization.Kind.COMMITTEE).values_list(
                "path", "code"
            )
        )
        all_branches = list(
            orgs.filter(kind=Organization.Kind.BRANCH)
            .exclude(branch_type=Organization.BranchType.RETIRED)
            .order_by("path")
        )
        by_parent: dict[int | None, list[Organization]] = defaultdict(list)
        for org in all_branches:
            by_parent[org.parent_id].append(org)
        chosen: list[Organization] = []
        for parent in sorted(by_parent, key=lambda pk: pk or 0):
            siblings = by_parent[parent]
            own = [b for b in siblings if b.pk in secretaries]
            others = [b for b in siblings if b.pk not in secretaries]
            picked = self.rng.sample(others, min(len(others), BRANCHES_PER_COMMITTEE))
            chosen += sorted(own + picked, key=lambda b: b.path)
        members = self._members(chosen)
        linked = dict(
            Member.objects.filter(user__isnull=False, status=Status.FULL).values_list(
                "user_id", "pk"
            )
        )
        result = []
        for org in chosen:
            people = members.get(org.pk, [])
            if len(people) < 2:  # two sponsors are needed
                continue
            ancestors = [org.path[:end] for end in range(len(org.path), 0, -1)]
            organizer = next((organizers[p] for p in ancestors if p in organizers), None)
            approver_org = next((approving[p] for p in ancestors if p in approving), None)
            if approver_org is None:
                continue
            approver = organizer or orgdept
            secretary = secretaries.get(org.pk)
            talker = linked.get(approver.pk)
            result.append(
                Branch(
                    org=org,
                    approver_org=approver_org,
                    recorder=secretary or organizer or orgdept,
                    approver=approver,
                    members=people,
                    committee_talker=talker if talker is not None else people[0],
                    warned_branch=secretary is not None or organizer is not None,
                    warned_committee=organizer is not None,
                )
            )
        return result

    def _members(self, branches: list[Organization]) -> dict[int, list[int]]:
        sanctioned = MemberEvent.objects.filter(kind=EventKind.SANCTION).values("member_id")
        rows = (
            Member.objects.filter(
                organization__in=branches, status=Status.FULL, standing=Standing.ACTIVE
            )
            .exclude(pk__in=sanctioned)
            .order_by("pk")
            .values_list("organization_id", "pk")
        )
        found: dict[int, list[int]] = defaultdict(list)
        for org_id, pk in rows:
            found[org_id].append(pk)
        return found

    # --- a case's history ---------------------------------------------------------------------

    def timeline(self, branch: Branch, extended: bool) -> list[Event]:
        """A valid history from application to archive, as offsets in days."""
        rng, people = self.rng, branch.members
        events = [Event(1, 0)]
        day = 0

        def add(step: int, low: int, high: int, **fields: Any) -> int:
            nonlocal day
            day += rng.randint(low, high)
            events.append(Event(step, day, fields))
            return day

        add(2, 5, 25, talker=rng.choice(people))
        activist = add(3, 20, 70)
        add(4, 3, 15)
        add(5, 0, 7, contacts=rng.sample(people, min(len(people), rng.choice((1, 2)))))
        add(6, 120, 150)  # an assessment every six months at most
        add(6, 150, 175)
        day = max(day, activist + 366) + rng.randint(5, 40)  # a year as an activist
        events.append(Event(7, day))  # with its public notice, dated when recorded
        add(8, 3, 14)
        add(9, 1, 10, sponsors=rng.sample(people, 2))
        add(10, 3, 20, review_conclusion=QUALIFIED)
        add(11, 3, 25, **self._training())
        add(12, 5, 20)
        add(13, 5, 20, approver_org=branch.approver_org)
        add(14, 2, 8)
        meeting = add(15, 3, 12, vote=self._vote(branch))
        add(16, 5, 20, talker=branch.committee_talker)
        add(17, 5, 40, approver_org=branch.approver_org)
        add(18, 3, 15)
        add(19, 0, 7)
        add(20, 0, 20)
        add(21, 60, 90)
        add(21, 90, 100)
        end = meeting + 366  # probation: a year from the admission meeting
        day = max(day + 10, end - rng.randint(10, 30))
        events.append(Event(22, day))
        day = max(day, end) + rng.randint(1, 20)
        if extended:
            months = rng.choice((6, 6, 9, 12))
            events.append(
                Event(23, day, {"vote": self._vote(branch), "outcome": EXTEND,
                                "extension_months": months})
            )  # fmt: skip
            add(24, 7, 40, approver_org=branch.approver_org)
            add(21, 60, 120)
            end += 31 * months
            day = max(day + 10, end - rng.randint(10, 30))
            events.append(Event(22, day))
            day = max(day, end) + rng.randint(1, 20)
        events.append(Event(23, day, {"vote": self._vote(branch), "outcome": CONVERT}))
        add(24, 7, 60, approver_org=branch.approver_org)
        add(25, 3, 20)
        return events

    def _training(self) -> dict[str, str]:
        if self.rng.random() < 0.5:
            return {"training_days": str(self.rng.choice((3, 3, 4, 5)))}
        return {"training_hours": str(self.rng.choice((24, 28, 32, 40)))}

    def _vote(self, branch: Branch) -> dict[str, int]:
        entitled = max(len(branch.members), 3)
        present = max(entitled // 2 + 1, entitled - self.rng.randint(0, entitled // 4))
        yes = present - (1 if present - 1 > entitled // 2 and self.rng.random() < 0.3 else 0)
        return {"entitled": entitled, "present": present, "yes": yes}

    def plan(self, branch: Branch, waits: int, late: bool) -> None:
        """Open a case that waits for step ``waits`` (DONE: closed; EXTENDED: its probation
        extended, waiting for the second conversion meeting), late or not on today."""
        events = self.timeline(branch, extended=waits == EXTENDED)
        if waits == DONE:
            stop = len(events)
        elif waits == EXTENDED:
            stop = max(i for i, e in enumerate(events) if e.step == 22)
        else:
            stop = next(i for i, e in enumerate(events) if e.step == waits)
        recorded = events[:stop]
        last = recorded[-1].offset
        if waits in LATE_AFTER and late:
            anchor_step, days = LATE_AFTER[waits]
            anchor = max(e.offset for e in recorded if e.step == anchor_step)
            now = max(last, anchor + days + self.rng.randint(4, 45))
        elif waits in ON_TIME_BEFORE:
            anchor_step = LATE_AFTER[waits][0]
            anchor = max(e.offset for e in recorded if e.step == anchor_step)
            room = ON_TIME_BEFORE[waits] - (last - anchor)
            now = last + self.rng.randint(0, max(0, room - 3))
        else:
            now = last + self.rng.randint(1, 60 if waits != DONE else 300)
        now = min(now, max(last, 365 * YEARS_BACK - 5))
        self._record(branch, self.horizon - dt.timedelta(days=now), recorded)
        if late and waits in LATE_AFTER:
            self.overdue += 1

    def _person(self, branch: Branch, applied: dt.date) -> services.Person:
        rng = self.rng
        student = branch.org.branch_type != Organization.BranchType.TEACHER
        low, high = (18, 24) if student else (25, 38)
        age = rng.randint(low, high)
        birth = applied - dt.timedelta(days=age * 365 + rng.randint(10, 355))
        while True:
            number = idnumber.make(rng.choice(REGIONS), birth, rng.randrange(1000))
            if number not in self.used_ids:
                self.used_ids.add(number)
                break
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        profile = {
            "ethnicity": "01" if rng.random() < 0.9 else rng.choice(["02", "03", "04", "05"]),
            "education": "bachelor" if student else rng.choice(["master", "doctorate"]),
            "category": "undergraduate" if student else "teacher",
            "staff_number": f"{applied.year - (0 if student else 3)}{rng.randrange(10**6):06d}",
        }
        return services.Person(
            name=rng.choice(SURNAMES) + given, id_number=number, phone=phone, profile=profile
        )

    def _record(self, branch: Branch, applied: dt.date, events: list[Event]) -> None:
        case = services.case_create(
            actor=branch.recorder,
            person=self._person(branch, applied),
            org=branch.org,
            application_date=applied,
        )
        for event in events[1:]:
            day = applied + dt.timedelta(days=event.offset)
            fields = dict(event.fields)
            if event.step == 7:
                start = day - dt.timedelta(days=21)
                end = calendar_for([start.year, day.year]).last_of_working_days(start, 5).date
                fields.update(notice_start=start.isoformat(), notice_end=end.isoformat())
            actor = branch.approver if event.step in services.APPROVAL_STEPS else branch.recorder
            services.step_record(actor=actor, case=case, step=event.step, date=day, fields=fields)
        created = timezone.make_aware(dt.datetime.combine(applied, dt.time(9, 30)))
        Case.objects.filter(pk=case.pk).update(created_at=created)
        self.cases.append(case)

    # --- the whole university -----------------------------------------------------------------

    def run(self) -> None:
        branches = self.branches()
        self.branches_seen = branches
        showcase = self._showcase(branches)
        for branch in branches:
            if branch is showcase:
                plans = list(SHOWCASE)
            else:
                plans = [(self.rng.choice(POOL), False) for _ in range(CASES_PER_BRANCH)]
                if self.rng.random() < 0.15:
                    plans.append((EXTENDED, False))
                if branch.warned_committee:
                    plans.append((self.rng.choice((2, 15, 17, 24)), True))
            for waits, late in plans:
                if late and not self._warned(branch, waits):
                    late = False
                self.plan(branch, waits, late)

    def _showcase(self, branches: list[Branch]) -> Branch | None:
        grant = (
            RoleAssignment.objects.active(self.horizon)
            .filter(user__username="secretary1", role=Role.BRANCH_SECRETARY)
            .first()
        )
        if grant is None:
            return None
        return next((b for b in branches if b.org.pk == grant.organization_id), None)

    @staticmethod
    def _warned(branch: Branch, waits: int) -> bool:
        return branch.warned_committee if waits in COMMITTEE_STEPS else branch.warned_branch

    # --- what the committees and branches keep beside the steps ----------------------------------

    def plans(self) -> int:
        """This year's admission plan of each committee with approval authority: about what it
        admitted last year, so the report has a plan to compare against."""
        year = self.horizon.year
        admitted = dict(
            StepEvent.objects.filter(step=17, date__year=year - 1)
            .values_list("approver_org__code")
            .annotate(n=Count("id"))
            .values_list("approver_org__code", "n")
        )
        orgdept = User.objects.get(username="orgdept")
        committees = Organization.objects.filter(approval_authority=True, is_active=True)
        for org in committees.order_by("path"):
            planned = admitted.get(org.code, 0) + self.rng.randint(1, 4)
            plan_set(actor=orgdept, org=org, year=year, planned=planned)
        return committees.count()

    def returns(self, branches: list[Branch]) -> int:
        """A few cases the committee sent back with a reason, waiting for the branch."""
        approvers = {b.org.pk: b.approver for b in branches}
        waiting = [c for c in self.cases if c.status == "open" and c.next_step in (13, 17)]
        count = 0
        for case in self.rng.sample(waiting, min(2, len(waiting))):
            case_return(
                actor=approvers[case.organization_id],
                case=case,
                step=case.next_step or 13,
                reason=self.rng.choice(RETURN_REASONS),
            )
            count += 1
        return count

    def documents(self, showcase: Branch | None) -> int:
        """The written application of each case of secretary1's branch, as a scanned page."""
        if showcase is None:
            return 0
        count = 0
        for case in self.cases:
            if case.organization_id != showcase.org.pk:
                continue
            document_add(
                actor=showcase.recorder,
                case=case,
                step=1,
                form="application",
                file=_scanned_page(f"application-{case.pk}.png", self.rng),
            )
            count += 1
        return count


RETURN_REASONS = (
    "支部委员会审查意见不完整，请补充对发展对象现实表现的具体评价后重新报送。",
    "政治审查材料缺少函调回复，请补齐后重新报送。",
    "支部大会记录未写明应到、实到有表决权党员人数，请更正后重新报送。",
)


def _scanned_page(name: str, rng: random.Random) -> SimpleUploadedFile:
    """A picture of a handwritten page: ruled lines, a title and lines of "writing"."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (620, 877), (250, 249, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle((250, 50, 370, 66), fill=(60, 60, 70))
    for row in range(12):
        y = 120 + row * 56
        draw.line((50, y + 30, 570, y + 30), fill=(200, 205, 215), width=1)
        end = 570 if row < 11 else rng.randint(200, 400)
        draw.line(
            (60 if row else 90, y + 22, end - rng.randint(0, 30), y + 22),
            fill=(40, 45, 80),
            width=3,
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def seed(context: DemoContext) -> None:
    seeder = _Seeder(context)
    with transaction.atomic():  # one commit, not one a step: a third faster on SQLite
        seeder.run()
        branches = seeder.branches_seen
        plans = seeder.plans()
        returns = seeder.returns(branches)
        documents = seeder.documents(seeder._showcase(branches))
    context.log(
        f"development: {plans} admission plans, {returns} cases returned by a committee, "
        f"{documents} documents kept"
    )
    closed = sum(1 for case in seeder.cases if case.status != "open")
    context.log(
        f"development: {len(seeder.cases)} cases, {closed} completed, "
        f"{seeder.overdue} left past a deadline"
    )

"""The applicant's side of member development (issue 5 item 4): their own progress on a phone,
and the sign-in account a branch opens for an applicant who has no member record.

The progress shows the applicant their own case only: the stage, the steps done with their
dates, the names of the people the branch assigned to them (talker, cultivation contacts,
sponsors), the next step with its latest date, and what they do themselves. It never shows
the rules' internal warnings, votes or anyone else's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from dangjian.accounts.models import User
from dangjian.accounts.services import user_create
from dangjian.audit.services import log_action
from dangjian.development.models import STAGE_CHOICES, Case, CaseStatus
from dangjian.development.review import OUTCOME_LABELS, step_name
from dangjian.development.rules import engine
from dangjian.development.rules.steps import Actor, Stage
from dangjian.development.rules.steps import step as step_def
from dangjian.development.services import RULES_CONFIG, history_of
from dangjian.lib import masking
from dangjian.members.models import Member
from dangjian.orgs import permissions as perms

# What the applicant does themselves, by stage (domain-rules.md 1.2: thought reports are
# usually quarterly for activists and probationary members; the application, the application
# form and the application for full membership are theirs to write).
OWN_TASKS: dict[int, list[Promise]] = {
    Stage.APPLYING.value: [
        gettext_lazy(
            "Your written application is with the branch. Someone from the Party organization "
            "talks with you within one month of receiving it."
        ),
        gettext_lazy("Keep studying the Party's theory and take part in the branch's activities."),
    ],
    Stage.ACTIVIST.value: [
        gettext_lazy(
            "Write a thought report to the branch every quarter and hand it to your "
            "cultivation contacts."
        ),
        gettext_lazy(
            "Your cultivation contacts meet you regularly; the branch assesses you every six "
            "months, for at least a year."
        ),
        gettext_lazy("Attend the Party school training for activists when you are invited."),
    ],
    Stage.DEVELOPMENT_OBJECT.value: [
        gettext_lazy("Keep writing a thought report every quarter."),
        gettext_lazy(
            "Take part in the intensive training (at least 3 days or 24 class hours) and help "
            "the political review with the information it asks for."
        ),
    ],
    Stage.ADMISSION.value: [
        gettext_lazy(
            "After the committee's pre-review, fill in the application form "
            "with your sponsors' guidance."
        ),
        gettext_lazy(
            "Attend the branch general meeting that discusses your admission and speak about "
            "your views, motive and history."
        ),
    ],
    Stage.PROBATION.value: [
        gettext_lazy(
            "As a probationary member, write a thought report to the branch every quarter."
        ),
        gettext_lazy(
            "When the year of probation ends, hand in your written application for full "
            "membership in good time."
        ),
    ],
}


def has_case(user: Any) -> bool:
    """Whether the user has a case of their own (one indexed query, for the navigation)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached: bool | None = getattr(user, "_dangjian_has_case", None)
    if cached is None:
        cached = Case.objects.filter(Q(user=user) | Q(member__user=user)).exists()
        user._dangjian_has_case = cached
    return cached


def my_cases(user: Any) -> list[Case]:
    """The signed-in user's own cases: as the applicant's account, or through their member
    record; those in progress first."""
    if not getattr(user, "is_authenticated", False):
        return []
    cases = Case.objects.filter(Q(user=user) | Q(member__user=user)).select_related("organization")
    return sorted(cases, key=lambda c: (c.status != CaseStatus.OPEN, -c.pk))


@dataclass(frozen=True)
class StageState:
    number: int
    label: str
    state: str  # done, current, todo


@dataclass(frozen=True)
class DoneStep:
    number: int
    name: str
    date: dt.date
    people: list[tuple[str, str]]  # (role label, the names joined)
    outcome: str = ""


@dataclass(frozen=True)
class NextStep:
    number: int
    name: str
    earliest: dt.date | None
    latest: dt.date | None
    yours: bool


@dataclass
class Progress:
    case: Case
    stages: list[StageState]
    done: list[DoneStep]
    next_step: NextStep | None
    tasks: list[Promise] = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        return str(dict(STAGE_CHOICES).get(self.case.stage, ""))


def _names(ids: set[int]) -> dict[int, str]:
    return dict(Member.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def progress(case: Case, *, today: dt.date | None = None) -> Progress:
    """The applicant's view of their case (see the module's docstring for what it leaves out)."""
    today = today or timezone.localdate()
    events = list(case.steps.select_related("approver_org").order_by("date", "step", "id"))
    ids: set[int] = set()
    for event in events:
        actors = event.actors or {}
        if actors.get("talker"):
            ids.add(int(actors["talker"]))
        ids.update(int(i) for i in actors.get("contacts") or ())
        ids.update(int(i) for i in actors.get("sponsors") or ())
    names = _names(ids)
    roles = (
        ("talker", _("Talked with you")),
        ("contacts", _("Cultivation contacts")),
        ("sponsors", _("Sponsors")),
    )
    done = []
    for event in events:
        actors = event.actors or {}
        people = []
        for key, label in roles:
            value = actors.get(key)
            listed = value if isinstance(value, list) else [value] if value else []
            found = [names[int(i)] for i in listed if int(i) in names]
            if found:
                people.append((str(label), pgettext("list separator", ", ").join(found)))
        outcome = ""
        if event.step in (23, 24) and event.outcome:
            outcome = str(OUTCOME_LABELS.get(event.outcome, ""))
        done.append(DoneStep(event.step, step_name(event.step), event.date, people, outcome))
    next_step = None
    if case.status == CaseStatus.OPEN:
        deadline = engine.next_step(history_of(case, events), config=RULES_CONFIG)
        if deadline is not None:
            next_step = NextStep(
                number=deadline.step,
                name=step_name(deadline.step),
                earliest=deadline.earliest
                if deadline.earliest and deadline.earliest > today
                else None,
                latest=deadline.latest,
                yours=step_def(deadline.step).actor == Actor.APPLICANT,
            )
    stages = []
    for number, stage_label in STAGE_CHOICES:
        if case.status == CaseStatus.CLOSED or number < case.stage:
            state = "done"
        elif number == case.stage:
            state = "current"
        else:
            state = "todo"
        stages.append(StageState(number, str(stage_label), state))
    tasks = OWN_TASKS.get(case.stage, []) if case.status == CaseStatus.OPEN else []
    return Progress(case=case, stages=stages, done=done, next_step=next_step, tasks=tasks)


# --- the applicant's account ---------------------------------------------------------------


def _username_for(case: Case) -> str:
    phone = (case.phone or "").strip()
    if phone and phone.isdigit() and not User.objects.filter(username__iexact=phone).exists():
        return phone
    return f"dj{case.pk}"


def applicant_account_create(*, actor: Any, case: Case) -> tuple[User, str]:
    """Open a sign-in account for an applicant without a member record, so they can follow
    their own progress; it carries no capability. The username is their mobile number, or
    "dj" and the case number; the temporary password must be changed at the first sign-in."""
    if not perms.has_capability(actor, case.organization, perms.DEVELOPMENT_MANAGE):
        raise PermissionDenied
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        if locked.member_id is not None:
            raise ValidationError(
                _(
                    "This person has a member record: they sign in with the member's account, "
                    "which the roster opens."
                )
            )
        if locked.user_id is not None:
            raise ValidationError(_("This applicant already has an account."))
        if locked.status != CaseStatus.OPEN:
            raise ValidationError(_("Accounts are opened for cases in progress only."))
        user, password = user_create(
            actor=actor,
            username=_username_for(locked),
            display_name=locked.name,
            must_change_password=True,
        )
        locked.user = user
        locked.save(update_fields=["user", "updated_at"])
        log_action(
            actor,
            "development.applicant.account_created",
            target=locked,
            org_code=locked.organization.code,
            # The username may be the phone number: kept masked like every phone.
            changes={"user": [None, masking.mask_phone(user.username)]},
        )
    case.refresh_from_db()
    return user, password

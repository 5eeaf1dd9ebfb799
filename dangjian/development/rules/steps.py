"""The 5 stages and 25 steps of member development (五个阶段二十五个步骤).

The national flowchart as in domain-rules.md section 1.2 (encoded step by step in
Hzuuuuuuuuuuu/HPartySystem sql/02-init-system.sql [V-code]). Field names are those of the
API contract of issue 5: talker, contacts, sponsors, notice_start, notice_end,
training_days, training_hours, review_conclusion, vote, approver_org, outcome,
extension_months.

The English names of stages and steps are marked with ``gettext_noop``: the Django layer
translates them when it shows them (``gettext(definition.name_en)``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from dangjian.development.rules.i18n import gettext_noop


class Stage(enum.IntEnum):
    APPLYING = 1  # 申请入党
    ACTIVIST = 2  # 入党积极分子的确定和培养教育
    DEVELOPMENT_OBJECT = 3  # 发展对象的确定和考察
    ADMISSION = 4  # 预备党员的接收
    PROBATION = 5  # 预备党员的教育考察和转正


STAGE_NAMES: dict[Stage, tuple[str, str]] = {
    Stage.APPLYING: ("申请入党", gettext_noop("Applying to join")),
    Stage.ACTIVIST: (
        "入党积极分子的确定和培养教育",
        gettext_noop("Selecting and training activists"),
    ),
    Stage.DEVELOPMENT_OBJECT: (
        "发展对象的确定和考察",
        gettext_noop("Selecting and vetting development objects"),
    ),
    Stage.ADMISSION: ("预备党员的接收", gettext_noop("Admitting probationary members")),
    Stage.PROBATION: (
        "预备党员的教育考察和转正",
        gettext_noop("Educating and converting probationary members"),
    ),
}


class Actor(enum.StrEnum):
    APPLICANT = "applicant"  # the person
    BRANCH = "branch"  # the branch (secretary, organization committee member)
    BRANCH_COMMITTEE = "branch_committee"  # 党支部委员会 (or the general meeting without one)
    BRANCH_ASSEMBLY = "branch_assembly"  # 党支部党员大会
    CONTACTS = "contacts"  # cultivation contacts with the branch
    PARENT_ORG = "parent_org"  # basic-level committee with approval authority (上级党委)
    GRANDPARENT = "grandparent"  # next-higher committee's organization department


FIELDS = (
    "talker",
    "contacts",
    "sponsors",
    "notice_start",
    "notice_end",
    "training_days",
    "training_hours",
    "review_conclusion",
    "vote",
    "approver_org",
    "outcome",
    "extension_months",
)

QUALIFIED, UNQUALIFIED = "qualified", "unqualified"
REVIEW_CONCLUSIONS = (QUALIFIED, UNQUALIFIED)
CONVERT, EXTEND, CANCEL = "convert", "extend", "cancel"
OUTCOMES = (CONVERT, EXTEND, CANCEL)
# The committee's decision on an admission (step 17): approved, or not (the case ends; the
# branch and the person are told, domain-rules.md 1.2 step 17).
APPROVE, REJECT = "approve", "reject"
ADMISSION_OUTCOMES = (APPROVE, REJECT)


@dataclass(frozen=True)
class StepDef:
    number: int
    name_zh: str
    name_en: str
    stage: Stage
    actor: Actor
    fields: tuple[str, ...] = ()  # the fields this step may record
    required: tuple[str, ...] = ()  # of which these must be given
    requires: tuple[int, ...] = ()  # steps recorded before this one (DEV-ORDER)
    repeatable: bool = False


_S = Stage
_A = Actor
STEPS: tuple[StepDef, ...] = (
    StepDef(
        1, "递交入党申请书", gettext_noop("Submit written application"), _S.APPLYING, _A.APPLICANT,
    ),
    StepDef(
        2, "党组织派人谈话", gettext_noop("Talk by the Party organization"), _S.APPLYING, _A.BRANCH,
        ("talker",), ("talker",), (1,),
    ),
    StepDef(
        3, "推荐和确定入党积极分子", gettext_noop("Recommend and select activists"), _S.ACTIVIST,
        _A.BRANCH_COMMITTEE, requires=(2,),
    ),
    StepDef(
        4, "上级党委备案", gettext_noop("File with the higher Party committee"), _S.ACTIVIST,
        _A.PARENT_ORG, requires=(3,),
    ),
    StepDef(
        5, "指定培养联系人", gettext_noop("Assign cultivation contacts"), _S.ACTIVIST,
        _A.BRANCH_COMMITTEE, ("contacts",), ("contacts",), (3,),
    ),
    StepDef(
        6, "培养教育考察", gettext_noop("Training, education and assessment"), _S.ACTIVIST,
        _A.CONTACTS, requires=(5,), repeatable=True,
    ),
    StepDef(
        7, "确定发展对象", gettext_noop("Select development object"), _S.DEVELOPMENT_OBJECT,
        _A.BRANCH_COMMITTEE, ("notice_start", "notice_end"), requires=(4, 5),
    ),
    StepDef(
        8, "报上级党委备案", gettext_noop("File with the higher committee"), _S.DEVELOPMENT_OBJECT,
        _A.PARENT_ORG, requires=(7,),
    ),
    StepDef(
        9, "确定入党介绍人", gettext_noop("Appoint two sponsors"), _S.DEVELOPMENT_OBJECT,
        _A.BRANCH_COMMITTEE, ("sponsors",), ("sponsors",), (8,),
    ),
    StepDef(
        10, "进行政治审查", gettext_noop("Political review"), _S.DEVELOPMENT_OBJECT, _A.BRANCH,
        ("review_conclusion",), ("review_conclusion",), (8,),
    ),
    StepDef(
        11, "开展集中培训", gettext_noop("Short intensive training"), _S.DEVELOPMENT_OBJECT,
        _A.PARENT_ORG, ("training_days", "training_hours"), requires=(8,),
    ),
    StepDef(
        12, "支部委员会审查", gettext_noop("Branch committee review"), _S.ADMISSION,
        _A.BRANCH_COMMITTEE, requires=(9, 10, 11),
    ),
    StepDef(
        13, "上级党委预审", gettext_noop("Pre-review by the higher committee"), _S.ADMISSION,
        _A.PARENT_ORG, ("approver_org",), ("approver_org",), (12,),
    ),
    StepDef(
        14, "填写入党志愿书", gettext_noop("Fill in the application form"), _S.ADMISSION,
        _A.APPLICANT, requires=(13,),
    ),
    StepDef(
        15, "支部大会讨论", gettext_noop("Branch general meeting discussion and vote"),
        _S.ADMISSION, _A.BRANCH_ASSEMBLY, ("vote",), ("vote",), (14,),
    ),
    StepDef(
        16, "上级党委派人谈话", gettext_noop("Talk by the higher committee"), _S.ADMISSION,
        _A.PARENT_ORG, ("talker",), ("talker",), (15,),
    ),
    StepDef(
        17, "上级党委审批", gettext_noop("Approval by the higher committee"), _S.ADMISSION,
        _A.PARENT_ORG, ("approver_org", "outcome"), ("approver_org",), (16,),
    ),
    StepDef(
        18, "再上一级党委组织部门备案",
        gettext_noop("File with the next-higher organization department"), _S.ADMISSION,
        _A.GRANDPARENT, requires=(17,),
    ),
    StepDef(
        19, "编入党支部和党小组", gettext_noop("Place in a branch and Party group"), _S.PROBATION,
        _A.BRANCH, requires=(17,),
    ),
    StepDef(
        20, "入党宣誓", gettext_noop("Admission oath"), _S.PROBATION, _A.PARENT_ORG, requires=(17,),
    ),
    StepDef(
        21, "继续教育考察", gettext_noop("Continued education and assessment"), _S.PROBATION,
        _A.BRANCH, requires=(17,), repeatable=True,
    ),
    StepDef(
        22, "提出转正申请", gettext_noop("Written application for full membership"), _S.PROBATION,
        _A.APPLICANT, requires=(17,), repeatable=True,
    ),
    StepDef(
        23, "支部大会讨论", gettext_noop("Branch general meeting discussion on conversion"),
        _S.PROBATION, _A.BRANCH_ASSEMBLY, ("vote", "outcome", "extension_months"),
        ("vote", "outcome"), (22,), repeatable=True,
    ),
    StepDef(
        24, "上级党委审批", gettext_noop("Approval of the conversion by the higher committee"),
        _S.PROBATION, _A.PARENT_ORG, ("approver_org", "outcome"), ("approver_org",), (23,),
        repeatable=True,
    ),
    StepDef(
        25, "材料归档", gettext_noop("Archive materials"), _S.PROBATION, _A.BRANCH, requires=(24,),
    ),
)  # fmt: skip

BY_NUMBER: dict[int, StepDef] = {s.number: s for s in STEPS}


def step(number: int) -> StepDef:
    try:
        return BY_NUMBER[number]
    except KeyError:
        raise ValueError(f"no step {number}: steps are numbered 1 to 25") from None

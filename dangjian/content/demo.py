# ruff: noqa: E501 (the Chinese texts of the templates)
"""Demo data for the propaganda platform: a year of news, notices, activities, the member
showcase, the affairs guide, committee information and research, written through the real
services by the demo accounts (the editor and the organization department publish; the
organizer and the secretaries submit, and a second person approves or returns).

What a reader of the demo sees: columns full over the past year, some pinned, notices in the
members' inboxes for the last two months with read receipts of read and unread recipients, a
review queue with items waiting, drafts and returned items, and a couple of items scheduled
for the next days. Registered as a `seed_demo` step (dangjian.lib.demo).

Texts are templates combined with the seed's organizations and dates. The services stamp
everything "now"; afterwards the dates (created, submitted, reviewed, announced, read) are
moved to the item's place in the year, as a year of real use would have left them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import io
import logging
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.content import services
from dangjian.content.models import (
    Category,
    Item,
    Read,
    ResearchKind,
    ResearchStatus,
    Section,
    State,
    Upload,
)
from dangjian.lib.demo import DemoContext
from dangjian.members.choices import Standing
from dangjian.members.models import Member
from dangjian.notifications.models import Delivery, Notification
from dangjian.orgs.models import Organization, Role, RoleAssignment

# For the default demo university (5,000 members) and larger; a smaller one (the tests' few
# hundred) publishes less, down to a third.
FULL_SIZE = 5000
COUNTS = {
    Section.NEWS: 150,
    Section.NOTICE: 60,
    Section.ACTIVITY: 40,
    Section.SHOWCASE: 20,
    Section.RESEARCH: 15,
}
# Notices reach the inboxes only when published within this many days (older ones were sent
# before the platform's inbox, as far as the demo is concerned).
NOTIFY_DAYS = 60
KIND_WORDS = {"topic": "课题", "project": "项目", "paper": "论文", "report": "报告"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜英敏静丽强磊军洋勇艳杰娟涛明超霞平刚华玉萍红玲芬燕彬鹏辉宇浩凯健俊帆旭宁佳欣悦琳雪晨曦思雨涵博文睿哲翔瑞泽宏毅诚阳志远建国红梅立新卫东"

# -- Words the templates draw on -----------------------------------------------------------

THEMES = [
    "学思想、强党性、重实践、建新功",
    "传承红色基因、赓续精神血脉",
    "践行初心使命、服务师生成长",
    "学党史、悟思想、办实事",
    "强基固本、争创一流",
    "党建引领、立德树人",
    "青春心向党、建功新时代",
    "守纪律、讲规矩、作表率",
]
TOPICS = [
    "党建引领人才培养",
    "“双带头人”教师党支部书记工作室建设",
    "“一站式”学生社区综合管理模式",
    "基层党组织标准化规范化建设",
    "党员志愿服务助力乡村振兴",
    "课程思政与专业教育融合",
    "研究生党支部建在课题组上",
    "离退休老党员“银龄宣讲团”",
    "党建与业务深度融合",
    "新生党员“第一课”",
]
BOOKS = [
    "《习近平谈治国理政》第四卷",
    "《中国共产党简史》",
    "《习近平新时代中国特色社会主义思想学习纲要》",
    "《论党的自我革命》",
    "《习近平著作选读》",
    "《中国共产党章程》",
]
MEETING_PLACES = [
    "行政楼第一会议室",
    "行政楼301会议室",
    "图书馆报告厅",
    "学术交流中心第二报告厅",
    "学生活动中心多功能厅",
    "校史馆",
    "主楼二层会议室",
    "党员之家",
]
ACTIVITY_PLACES = [
    ("香山革命纪念馆", "北京市海淀区香山买卖街40号"),
    ("中国人民抗日战争纪念馆", "北京市丰台区卢沟桥宛平城内街101号"),
    ("李大钊故居", "北京市西城区文华胡同24号"),
    ("中国共产党历史展览馆", "北京市朝阳区北辰东路9号"),
    ("北大红楼", "北京市东城区五四大街29号"),
    ("双清别墅", "北京市海淀区香山公园内"),
    ("校史馆", "校史馆一层展厅"),
    ("学生活动中心多功能厅", "学生活动中心三层"),
    ("图书馆三楼研讨室", "图书馆三层东侧"),
    ("清河街道社区服务中心", "清河街道社区服务中心二层"),
    ("西山国家森林公园", "北京市海淀区闵庄路"),
    ("学校体育馆", "体育馆一层"),
]
LEAD_POINTS = [
    "要把学习贯彻党的创新理论作为首要政治任务，坚持学思用贯通、知信行统一",
    "要坚持党建引领，把党的组织优势转化为推动学校高质量发展的强大动力",
    "基层党组织要切实发挥战斗堡垒作用，广大党员要在教学科研一线发挥先锋模范作用",
    "要落实全面从严治党主体责任，驰而不息加强作风建设",
    "要把党建工作与教学科研、人才培养深度融合，做到同谋划、同部署、同落实、同考核",
    "要把为师生办实事作为检验工作成效的重要标准，切实解决师生急难愁盼问题",
    "要坚持严字当头，严格落实党内组织生活各项制度",
    "要加强对青年学生的政治引领，把党员发展质量放在首位",
]
STRESS_POINTS = [
    "各级党组织要压实责任、细化举措，确保各项任务落地见效",
    "要严格落实“三会一课”、主题党日、谈心谈话等组织生活制度",
    "要加强党员教育管理，严把党员发展质量关，做到成熟一个发展一个",
    "要坚持问题导向，及时总结经验做法，形成可复制、可推广的工作机制",
    "要加强宣传引导，讲好身边人身边事，营造比学赶超的良好氛围",
    "要统筹好发展和安全，守好意识形态阵地",
]
PURPOSES = [
    "深入学习贯彻党的创新理论",
    "进一步加强基层党组织建设",
    "规范党员教育管理",
    "推动全面从严治党向纵深发展",
    "提高党支部组织生活质量",
    "落实学校党委工作部署",
    "增强基层党组织政治功能和组织功能",
]
# The holiday a notice sent in that month prepares for.
HOLIDAYS = {12: "元旦", 1: "春节", 3: "清明节", 4: "劳动节", 5: "端午节", 9: "中秋节和国庆节"}
CLOSINGS = [
    "与会人员纷纷表示，将以此次{event}为契机，进一步坚定理想信念，立足岗位担当作为。",
    "下一步，{org}将持续推动各项工作走深走实，以高质量党建引领学校事业高质量发展。",
    "大家表示，要把学习成果转化为干事创业的实际行动，在教书育人、科研攻关中争创一流业绩。",
    "活动在庄严的《国际歌》声中结束。",
    "此次{event}内容充实、形式新颖，进一步增强了党员的身份意识和责任意识。",
]
LEADERS = [
    "学校党委书记",
    "学校党委副书记",
    "党委常委、组织部部长",
    "党委常委、宣传部部长",
    "校党委副书记、校长",
]


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN)
    if rng.random() < 0.6:
        given += rng.choice(GIVEN.replace(given, ""))
    return rng.choice(SURNAMES) + given


def _school(org: Organization) -> str:
    """The college an organization belongs to, as news names it: 计算机学院."""
    name = org.short_name or org.name
    for suffix in ("党总支", "党委"):
        name = name.removesuffix(suffix)
    return name


def _day(when: dt.datetime) -> str:
    local = timezone.localtime(when)
    return f"{local.month}月{local.day}日"


def _p(*sentences: str) -> str:
    return "<p>" + "".join(sentences) + "</p>"


def _ul(items: Sequence[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>"


# -- The organizations and people of the seed --------------------------------------------


@dataclass
class Cast:
    root: Organization
    committees: list[Organization]
    branches: list[Organization]
    c1: Organization  # committee1's committee
    b1: Organization  # secretary1's branch (under c1)
    b2: Organization  # secretary2's branch (under another committee)
    users: dict[str, User]

    def user(self, *names: str) -> User:
        for name in names:
            if name in self.users:
                return self.users[name]
        raise KeyError(names)

    def has(self, name: str) -> bool:
        return name in self.users


def _cast() -> Cast | None:
    root = Organization.objects.filter(parent__isnull=True, is_active=True).order_by("path").first()
    if root is None:
        return None
    names = ["editor1", "orgdept", "committee1", "secretary1", "secretary2", "member1"]
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    if "editor1" not in users and "orgdept" not in users:
        return None
    roles = {
        (ra.user.username, ra.role): ra.organization
        for ra in RoleAssignment.objects.active()
        .filter(user__in=users.values())
        .select_related("user", "organization")
    }
    committees = list(Organization.objects.filter(parent=root, is_active=True).order_by("path"))
    branches = list(
        Organization.objects.filter(kind=Organization.Kind.BRANCH, is_active=True)
        .select_related("parent")
        .order_by("path")
    )
    if not committees or not branches:
        return None
    c1 = roles.get(("committee1", Role.COMMITTEE_ORGANIZER), committees[0])
    b1 = roles.get(("secretary1", Role.BRANCH_SECRETARY)) or next(
        (b for b in branches if b.path.startswith(c1.path)), branches[0]
    )
    b2 = roles.get(("secretary2", Role.BRANCH_SECRETARY)) or branches[-1]
    # Only those whose role the seed gave them write in their name.
    for username, role in (
        ("committee1", Role.COMMITTEE_ORGANIZER),
        ("secretary1", Role.BRANCH_SECRETARY),
        ("secretary2", Role.BRANCH_SECRETARY),
    ):
        if (username, role) not in roles:
            users.pop(username, None)
    return Cast(root, committees, branches, c1, b1, b2, users)


# -- A planned item ---------------------------------------------------------------------------


@dataclass
class Spec:
    section: str
    title: str
    body: str
    author: str
    owner: Organization
    when: dt.datetime  # publication time (or, for unpublished items, when it was written)
    column: int = 0
    summary: str = ""
    byline: str = ""
    tags: list[str] = field(default_factory=list)
    targets: list[Organization] = field(default_factory=list)  # empty: the whole university
    # published, draft, pending, returned, scheduled, withdrawn
    state: str = "published"
    reviewer: str = ""  # who approves or returns it (those who may not publish submit)
    note: str = ""  # the reviewer's note when returned
    comments: bool = False
    notify: bool | None = None
    pinned: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class Planner:
    """Makes the year's specs: dates, authors, columns and texts."""

    def __init__(self, cast: Cast, rng: random.Random, now: dt.datetime) -> None:
        self.cast = cast
        self.rng = rng
        self.now = now
        self.titles: set[str] = set()
        self.counters: dict[str, int] = {}
        self.specs: list[Spec] = []
        others = [c for c in cast.committees if c.pk != cast.c1.pk]
        self.schools = [c for c in cast.committees if _school(c) != "机关"] or cast.committees
        self.other_committees = others or cast.committees

    # Dates -----------------------------------------------------------------------------------

    def moment(self, days_ago: float) -> dt.datetime:
        """A working-hours time `days_ago` days before now, never in the future."""
        local = timezone.localtime(self.now - dt.timedelta(days=days_ago))
        if local.weekday() >= 5 and self.rng.random() < 0.8:  # mostly on working days
            local -= dt.timedelta(days=local.weekday() - 4)
        hour, minute = self.rng.randint(8, 18), self.rng.choice([0, 10, 15, 20, 30, 40, 45, 50])
        moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if moment > self.now - dt.timedelta(minutes=30):
            moment = self.now - dt.timedelta(minutes=self.rng.randint(30, 240))
        return moment

    def spread(self, count: int, days: int = 360, recent: float = 0.15) -> list[dt.datetime]:
        """`count` times over the past year, busier lately (`recent` of them in the last 30
        days, besides), oldest first."""
        ages = sorted(
            (
                days * (1 - self.rng.random() ** 0.8)
                if self.rng.random() >= recent
                else self.rng.uniform(0, 30)
                for _ in range(count)
            ),
            reverse=True,
        )
        return [self.moment(max(0.05, age)) for age in ages]

    def unique(self, make: Callable[[], str]) -> str:
        for _attempt in range(30):
            title = make()
            if title not in self.titles and len(title) <= 120:
                self.titles.add(title)
                return title
        title = make()[:110]
        n = 2
        while f"{title}（{n}）" in self.titles:
            n += 1
        title = f"{title}（{n}）"
        self.titles.add(title)
        return title

    # Who writes -------------------------------------------------------------------------------

    def author_mix(self) -> str:
        """Who wrote a piece: mostly the editor, then the organizer and the secretaries."""
        roll = self.rng.random()
        for name, share in (
            ("editor1", 0.5),
            ("orgdept", 0.62),
            ("committee1", 0.77),
            ("secretary1", 0.9),
            ("secretary2", 1.0),
        ):
            if roll < share and self.cast.has(name):
                return name
        return "editor1" if self.cast.has("editor1") else "orgdept"

    def place(self, spec: Spec) -> Spec:
        """Owner, targets and reviewer follow from the author."""
        cast = self.cast
        if spec.author == "committee1":
            spec.owner = cast.c1
            spec.targets = [cast.c1]
            spec.reviewer = "editor1" if cast.has("editor1") else "orgdept"
        elif spec.author == "secretary1":
            spec.owner = cast.b1
            spec.targets = [cast.b1]
            spec.reviewer = "committee1" if cast.has("committee1") else "editor1"
        elif spec.author == "secretary2":
            spec.owner = cast.b2
            spec.targets = [cast.b2]
            spec.reviewer = "editor1" if cast.has("editor1") else "orgdept"
        else:
            spec.owner = cast.root
        if spec.reviewer and not cast.has(spec.reviewer):
            spec.reviewer = "orgdept" if cast.has("orgdept") else "editor1"
        return spec

    def add(self, spec: Spec) -> Spec:
        if not self.cast.has(spec.author):
            spec.author = "editor1" if self.cast.has("editor1") else "orgdept"
        self.specs.append(spec)
        return spec

    # News -----------------------------------------------------------------------------------

    def news(self, count: int) -> None:
        for when in self.spread(count):
            author = self.author_mix()
            spec = self.place(Spec(Section.NEWS, "", "", author, self.cast.root, when))
            make: Callable[[], tuple[str, str]]
            if author in ("secretary1", "secretary2"):
                spec.column = 2
                make = functools.partial(self.branch_news, spec.owner, when)
            elif author == "committee1":
                spec.column = 1
                make = functools.partial(self.college_news, self.cast.c1, when)
            else:
                roll = self.rng.random()
                if roll < 0.5:
                    spec.column = 0
                    make = functools.partial(self.university_news, when)
                elif roll < 0.82:
                    spec.column = 1
                    make = functools.partial(self.college_news, self.rng.choice(self.schools), when)
                else:
                    spec.column = 3
                    make = functools.partial(self.media_news, when)
            spec.title, spec.body = self.unique_text(make)
            spec.comments = self.rng.random() < 0.85
            spec.tags = self.rng.sample(
                [
                    "党建工作",
                    "理论学习",
                    "主题党日",
                    "立德树人",
                    "基层党建",
                    "师生风采",
                    "志愿服务",
                ],
                self.rng.randint(0, 2),
            )
            spec.byline = self.byline(spec)
            if self.rng.random() < 0.5:
                spec.summary = self.summary_of(spec.body)
            self.add(spec)

    def _prefixed(self, title: str, label: str) -> str:
        return title if title not in self.titles else f"{label}{title}"

    def unique_text(self, make: Callable[[], tuple[str, str]]) -> tuple[str, str]:
        body = ""

        def title() -> str:
            nonlocal body
            text, body = make()
            return text

        return self.unique(title), body

    def byline(self, spec: Spec) -> str:
        writer, photo = _name(self.rng), _name(self.rng)
        if spec.owner.pk == self.cast.root.pk:
            return self.rng.choice(
                ["党委宣传部", f"文/{writer} 图/{photo}", f"党委宣传部 {writer}", f"文/{writer}"]
            )
        return f"{spec.owner.short_name or spec.owner.name} {writer}"[:60]

    def summary_of(self, body: str) -> str:
        text = body.split("</p>", 1)[0].removeprefix("<p>")
        for tag in ("<strong>", "</strong>"):
            text = text.replace(tag, "")
        first = text.split("。", 1)[0]
        return (first + "。")[:120]

    def meeting_body(self, org_label: str, event: str, when: dt.datetime, leader: str) -> str:
        rng = self.rng
        place = rng.choice(MEETING_PLACES[:5] if org_label.startswith("学校") else MEETING_PLACES)
        leads = rng.sample(LEAD_POINTS, 2)
        stress = rng.sample(STRESS_POINTS, 2)
        parts = [
            _p(
                f"{_day(when)}，{org_label}在{place}召开{event}。{leader}{_name(rng)}出席会议并讲话，"
                f"{rng.choice(['各二级党组织书记', '全体党委委员', '各党支部书记', '党员代表'])}参加会议。"
            ),
            _p(f"会议指出，{leads[0]}；{leads[1]}。"),
        ]
        if rng.random() < 0.45:
            parts.append(
                _p("会议对下一阶段工作作出部署：")
                + _ul(
                    [
                        rng.choice(["抓好理论武装", "深化理论学习", "加强政治建设"])
                        + "，"
                        + rng.choice(["落实第一议题制度", "推动学习往深里走、往实里走"]),
                        rng.choice(["夯实基层基础", "建强支部堡垒"])
                        + "，"
                        + rng.choice(["推进支部标准化建设", "提升组织生活质量"]),
                        rng.choice(["加强队伍建设", "抓好党员发展"])
                        + "，"
                        + rng.choice(["坚持成熟一个发展一个", "做好党员教育培训"]),
                    ]
                )
            )
        parts.append(_p(f"会议强调，<strong>{stress[0]}</strong>；{stress[1]}。"))
        parts.append(_p(rng.choice(CLOSINGS).format(event=event, org=org_label)))
        return "".join(parts)

    def university_news(self, when: dt.datetime) -> tuple[str, str]:
        rng = self.rng
        local = timezone.localtime(when)
        year, month = local.year, local.month
        college = _school(rng.choice(self.schools))
        topic = rng.choice(TOPICS)
        options: list[tuple[str, str]] = [
            (f"学校党委召开{month}月理论学习中心组学习会", "理论学习中心组学习会"),
            (f"学校召开{year}年党风廉政建设和反腐败工作会议", "党风廉政建设和反腐败工作会议"),
            (f"学校举办{year}年第{{n}}期基层党组织书记培训班", "基层党组织书记培训班开班仪式"),
            (f"学校党委召开{year}年第{{n}}次意识形态工作专题会议", "意识形态工作专题会议"),
            (f"学校召开{year}年第{{n}}次党建工作领导小组会议", "党建工作领导小组会议"),
            (f"学校召开{month}月二级党组织书记例会", "二级党组织书记例会"),
            (f"学校召开{year}年党外人士座谈会", "党外人士座谈会"),
            (f"学校举办{year}年新任党支部书记培训班", "新任党支部书记培训班"),
            (f"学校党委专题研究{topic}工作", "党委常委会"),
            (f"学校召开{topic}推进会", f"{topic}推进会"),
            (f"学校召开{year}年第{{n}}轮巡察工作动员部署会", "巡察工作动员部署会"),
            (f"学校领导赴{college}调研基层党建工作", "基层党建工作调研座谈会"),
            (f"学校党委书记为{college}师生讲授专题党课", "专题党课"),
            (f"学校开展“{rng.choice(THEMES)}”主题教育读书班", "主题教育读书班"),
        ]
        if month in (2, 3):
            options.append((f"学校召开{year}年党建和思想政治工作会议", "党建和思想政治工作会议"))
        if month in (6, 7):
            options.append(
                (f"学校召开庆祝中国共产党成立{year - 1921}周年暨“七一”表彰大会", "表彰大会")
            )
        if month in (9, 10):
            options.append((f"学校党委书记为{year}级新生讲授“开学第一课”", "开学第一课"))
        if month in (12, 1):
            options.append(
                (
                    f"学校召开{year if month == 12 else year - 1}年度基层党组织书记抓党建工作述职评议会",
                    "述职评议会",
                )
            )
        if rng.random() < 0.06:
            count = rng.randint(2, 6)
            title = f"我校{count}个党组织入选{rng.choice(['全省', '全市', '教育系统'])}“党建工作样板支部”培育创建单位"
            body = (
                _p(
                    f"近日，上级党组织公布了新一批“党建工作样板支部”培育创建单位名单，我校{count}个党支部入选。"
                )
                + _p(
                    f"近年来，学校党委坚持{rng.choice(TOPICS)}，推动基层党组织建设全面进步、全面过硬。"
                    f"入选支部在{rng.choice(['教学科研', '学生培养', '服务社会', '实验室安全管理'])}中"
                    "充分发挥了战斗堡垒作用。"
                )
                + _p(
                    "下一步，学校将加强对培育创建单位的指导，<strong>以点带面</strong>，"
                    "推动基层党建质量整体提升。"
                )
            )
            return title, body
        title, event = rng.choice(options)
        if "{n}" in title:
            title = title.format(n=self.counter(title))
        return title, self.meeting_body("学校党委", event, when, rng.choice(LEADERS))

    def college_news(self, college: Organization, when: dt.datetime) -> tuple[str, str]:
        rng = self.rng
        school = _school(college)
        theme = rng.choice(THEMES)
        topic = rng.choice(TOPICS)
        year, month = timezone.localtime(when).year, timezone.localtime(when).month
        options = [
            (f"{school}党委召开{topic}专题推进会", f"{topic}专题推进会", "meeting"),
            (f"{school}举办{year}年第{{n}}期入党积极分子培训班", "入党积极分子培训班", "training"),
            (f"{school}党委书记讲授“{theme}”专题党课", "专题党课", "lesson"),
            (f"{school}开展“{theme}”主题党日活动", "主题党日活动", "day"),
            (f"{school}召开{month}月党支部书记工作例会", "党支部书记工作例会", "meeting"),
            (f"{school}举行{year}年第{{n}}批新党员入党宣誓仪式", "新党员入党宣誓仪式", "oath"),
            (f"{school}召开{topic}研讨会", f"{topic}研讨会", "meeting"),
            (f"{school}党委理论学习中心组{year}年第{{n}}次集体学习", "理论学习中心组集体学习", "meeting"),
            (f"{school}召开{year}年第{{n}}次党委会专题研究党建工作", "党委会", "meeting"),
        ]  # fmt: skip
        title, event, kind = rng.choice(options)
        if "{n}" in title:
            title = title.format(n=self.counter(title))
        label = f"{school}党委"
        if kind == "meeting":
            return title, self.meeting_body(label, event, when, f"{label}书记")
        if kind == "oath":
            count = rng.randint(8, 36)
            body = (
                _p(
                    f"{_day(when)}，{label}在{rng.choice(MEETING_PLACES)}举行新党员入党宣誓仪式，"
                    f"{count}名新党员在鲜红的党旗下庄严宣誓。"
                )
                + _p(
                    f"{label}书记{_name(rng)}领誓。全体新党员紧握右拳，"
                    "<strong>一字一句重温入党誓词</strong>，许下对党的庄严承诺。"
                )
                + _p(
                    f"新党员代表{_name(rng)}发言表示，将以合格党员的标准严格要求自己，"
                    "在学习和工作中发挥先锋模范作用。"
                )
                + _p(rng.choice(CLOSINGS).format(event=event, org=label))
            )
            return title, body
        if kind == "training":
            hours = rng.choice([24, 32, 36])
            body = (
                _p(
                    f"{_day(when)}，{school}{timezone.localtime(when).year}年入党积极分子培训班开班，"
                    f"{rng.randint(60, 180)}名入党积极分子参加培训。"
                )
                + _p(f"本期培训为期{hours}学时，内容包括：")
                + _ul(
                    [
                        "党的基本理论、基本路线、基本方略",
                        "《中国共产党章程》专题解读",
                        "党史学习与红色教育现场教学",
                        "党员的权利和义务、党的纪律",
                    ]
                )
                + _p(
                    "培训结束后将进行结业考试，考试合格者颁发结业证书，作为确定发展对象的重要依据。"
                )
            )
            return title, body
        if kind == "lesson":
            book = rng.choice(BOOKS)
            body = (
                _p(
                    f"{_day(when)}，{label}书记{_name(rng)}以“{theme}”为题，"
                    f"为全院党员讲授专题党课。"
                )
                + _p(
                    f"党课结合{book}的学习体会，从{rng.choice(['历史逻辑', '理论逻辑', '实践逻辑'])}"
                    f"等方面作了深入阐释，并结合学院{topic}的实际，提出了明确要求。"
                )
                + _p(f"党课强调，{rng.choice(LEAD_POINTS)}。")
                + _p(rng.choice(CLOSINGS).format(event="党课", org=label))
            )
            return title, body
        place, _address = rng.choice(ACTIVITY_PLACES)
        body = (
            _p(
                f"{_day(when)}，{label}组织{rng.randint(30, 120)}名党员赴{place}"
                f"开展“{theme}”主题党日活动。"
            )
            + _p(
                "在讲解员的带领下，党员们依次参观了各个展区，"
                "<strong>重温了党的光辉历程</strong>，接受了一次深刻的党性教育。"
            )
            + _p(rng.choice(CLOSINGS).format(event="主题党日活动", org=label))
        )
        return title, body

    def branch_news(self, branch: Organization, when: dt.datetime) -> tuple[str, str]:
        rng = self.rng
        name = branch.name
        theme = rng.choice(THEMES)
        partner = rng.choice(self.cast.branches).name
        options = [
            (f"{name}开展“{theme}”主题党日活动", "主题党日活动"),
            (f"{name}召开专题组织生活会", "专题组织生活会"),
            (f"{name}召开{timezone.localtime(when).month}月支部党员大会", "支部党员大会"),
            (f"{name}开展“三会一课”观摩交流", "“三会一课”观摩交流"),
            (f"{name}开展{rng.choice(BOOKS)}读书分享会", "读书分享会"),
            (f"{name}与{partner}开展支部共建", "支部共建活动"),
            (f"{name}开展谈心谈话活动", "谈心谈话活动"),
            (f"{name}开展“{rng.choice(TOPICS)}”专题研讨", "专题研讨"),
            (f"{name}召开{timezone.localtime(when).month}月支委会", "支部委员会会议"),
            (f"{name}开展“党员先锋岗”志愿服务", "志愿服务活动"),
        ]
        title, event = rng.choice(options)
        present = rng.randint(12, 30)
        total = present + rng.randint(0, 4)
        body = (
            _p(
                f"{_day(when)}，{name}在{rng.choice(MEETING_PLACES)}开展{event}。"
                f"支部应到党员{total}名，实到{present}名，支部书记{_name(rng)}主持。"
            )
            + _p(
                f"{rng.choice(['会上', '活动中'])}，大家围绕“{theme}”交流了学习体会。"
                f"{_name(rng)}同志结合{rng.choice(TOPICS)}谈了自己的做法。"
            )
            + _p(f"支部书记在总结时强调，{rng.choice(STRESS_POINTS)}。")
        )
        return title, body

    def media_news(self, when: dt.datetime) -> tuple[str, str]:
        rng = self.rng
        outlet = rng.choice(
            [
                "《中国教育报》",
                "《光明日报》",
                "人民网",
                "新华网",
                "“学习强国”学习平台",
                "《北京日报》",
            ]
        )
        topic = rng.choice(TOPICS)
        school = _school(rng.choice(self.schools))
        title = rng.choice(
            [
                f"{outlet}报道我校{topic}工作",
                f"{outlet}关注我校{school}{topic}",
                f"{outlet}刊发我校党委书记署名文章",
                f"{outlet}专题报道我校{school}党建工作经验",
            ]
        )
        body = (
            _p(f"近日，{outlet}以《{rng.choice(THEMES)}》为题，报道了我校{topic}的做法与成效。")
            + _p(
                f"报道介绍，近年来学校{rng.choice(PURPOSES)}，"
                f"{school}探索形成了“{rng.choice(['一支部一品牌', '党建+科研', '党建+育人', '支部建在团队上'])}”的工作模式。"
            )
            + _p("（来源：" + outlet.strip("《》“”") + "）")
        )
        return title, body

    # Notices ----------------------------------------------------------------------------------

    def notices(self, count: int) -> None:
        cast = self.cast
        # Enough in the last weeks for the inboxes, whatever the university's size.
        lately = max(6, count // 6)
        times = self.spread(count - lately, recent=0.0) + [
            self.moment(self.rng.uniform(0.2, NOTIFY_DAYS - 1)) for _ in range(lately)
        ]
        for when in sorted(times):
            recent = self.now - when < dt.timedelta(days=NOTIFY_DAYS)
            roll = self.rng.random()
            author = "editor1" if roll < 0.35 else "orgdept" if roll < 0.72 else self.author_mix()
            spec = self.place(Spec(Section.NOTICE, "", "", author, cast.root, when))
            if spec.owner.pk == cast.root.pk and self.rng.random() < 0.12:
                # The university's own notice to one committee, or to one branch.
                spec.targets = [self.rng.choice([cast.c1, *self.other_committees[:3], cast.b1])]
            spec.title, spec.body, spec.column = self.notice_text(spec, when)
            spec.notify = recent
            spec.byline = "党委组织部"
            if spec.owner.pk != cast.root.pk:
                spec.byline = spec.owner.short_name or spec.owner.name
            self.add(spec)

    def counter(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def notice_text(self, spec: Spec, when: dt.datetime) -> tuple[str, str, int]:
        rng = self.rng
        local = timezone.localtime(when)
        year, month = local.year, local.month
        deadline = local + dt.timedelta(days=rng.randint(7, 20))
        deadline_text = f"{deadline.month}月{deadline.day}日"
        contact = f"联系人：{_name(rng)}，电话：010-6278{rng.randint(1000, 9999)}。"
        signed = _p(f"党委组织部<br>{year}年{month}月{local.day}日")
        if spec.owner.pk != self.cast.root.pk:
            return self.local_notice(spec.owner, local, deadline_text, contact)
        # The kinds least sent this year first, so the year has a mix.
        kinds = sorted(
            rng.sample(NOTICE_KINDS, len(NOTICE_KINDS)),
            key=lambda k: self.counters.get(f"{k.key}{year}", 0),
        )
        for kind in kinds:
            if kind.months and month not in kind.months:
                continue
            n = self.counters.get(f"{kind.key}{year}", 0) + 1
            if n > kind.limit:
                continue
            title = kind.title(year, month, n)
            if title in self.titles:
                continue
            self.titles.add(title)
            self.counter(f"{kind.key}{year}")
            break
        else:  # every kind used this month: a notice of the day
            kind = NOTICE_KINDS[0]
            day = f"{month}月{local.day}日"
            options = [
                f"关于召开{day}党务工作例会的通知",
                f"关于{day}组织收看专题辅导报告的通知",
                f"关于报送{month}月党建工作信息的通知",
                f"关于{day}召开党支部书记座谈会的通知",
            ]
            title = self.unique(functools.partial(rng.choice, options))
        if kind.column == 2:  # a public notice: names and a period for objections
            names = "、".join(_name(rng) for _ in range(rng.randint(4, 9)))
            end = local + dt.timedelta(days=7)
            body = (
                _p(
                    f"根据《中国共产党发展党员工作细则》有关规定，经党支部研究、二级党委审核，现将{kind.what}名单予以公示："
                )
                + _p(f"<strong>{names}</strong>")
                + _p(
                    f"公示期为{local.month}月{local.day}日至{end.month}月{end.day}日（五个工作日）。"
                    "公示期间，如对公示对象有不同意见，可通过来信、来电、来访等方式向党委组织部反映。"
                    "反映问题应实事求是，以真实姓名反映的予以保密。"
                )
                + _p(contact)
                + signed
            )
            return title, body, 2
        if kind.column == 1:  # an announcement
            start = local + dt.timedelta(days=rng.randint(2, 6))
            body = (
                _p("各位师生：")
                + _p(
                    kind.intro.format(
                        month=start.month, day=start.day, year=year, deadline=deadline_text
                    )
                )
                + _p(f"如有疑问，请与党委组织部联系。{contact}")
                + signed
            )
            return title, body, 1
        body = (
            _p("各二级党组织：")
            + _p(
                f"为{rng.choice(PURPOSES)}，"
                + kind.intro.format(year=year, month=month, deadline=deadline_text)
            )
            + _ul(
                [
                    step.format(
                        year=year, month=month, deadline=deadline_text, theme=rng.choice(THEMES)
                    )
                    for step in kind.steps
                ],
                ordered=True,
            )
            + _p(
                f"请各单位高度重视，<strong>于{deadline_text}前</strong>将有关材料报送党委组织部。"
            )
            + _p(contact)
            + signed
        )
        return title, body, 0

    def local_notice(
        self, owner: Organization, local: dt.datetime, deadline_text: str, contact: str
    ) -> tuple[str, str, int]:
        """A committee's or a branch's own notice to its members."""
        rng = self.rng
        year, month = local.year, local.month
        label = (
            owner.name if owner.kind == Organization.Kind.BRANCH else owner.short_name or owner.name
        )
        choices = [
            (f"关于召开{month}月支部党员大会的通知", "召开支部党员大会"),
            (f"关于开展{month}月主题党日活动的通知", "开展主题党日活动"),
            (f"关于{year}年第{(month - 1) // 3 + 1}季度党费缴纳的通知", "收缴本季度党费"),
            (f"关于召开{year}年度组织生活会的通知", "召开年度组织生活会"),
            (f"关于{month}月集中学习的通知", "组织集中学习"),
            ("关于核对党员信息的通知", "核对党员基本信息"),
        ]
        rng.shuffle(choices)
        title, what = next(
            ((t, w) for t, w in choices if f"{label}{t}" not in self.titles), choices[0]
        )
        title = self.unique(functools.partial(lambda t: f"{label}{t}", title))
        branch = owner.kind == Organization.Kind.BRANCH
        body = (
            _p("全体党员：" if branch else "各党支部：")
            + _p(f"经{'支部委员会' if branch else '党委'}研究，决定{what}，现将有关事项通知如下：")
            + _ul(
                [
                    f"时间：{deadline_text} {rng.choice(['12:30', '14:30', '15:00', '16:00', '19:00'])}",
                    f"地点：{rng.choice(MEETING_PLACES)}",
                    "要求：请准时参加，因故不能参加的请提前向支部书记请假",
                ],
                ordered=True,
            )
            + _p(contact)
            + _p(f"{label}<br>{year}年{month}月{local.day}日")
        )
        return title, body, 0

    # Activities --------------------------------------------------------------------------------

    def activities(self, count: int) -> None:
        rng = self.rng
        upcoming = max(1, count // 6)
        times = self.spread(count - upcoming) + [
            self.moment(rng.uniform(0.1, 6)) for _ in range(upcoming)
        ]
        for index, when in enumerate(times):
            author = self.author_mix()
            spec = self.place(Spec(Section.ACTIVITY, "", "", author, self.cast.root, when))
            ahead = index >= count - upcoming
            days = rng.randint(5, 25) if ahead else rng.randint(2, 10)
            starts = timezone.localtime(when + dt.timedelta(days=days)).replace(
                hour=rng.choice([9, 14, 15]), minute=rng.choice([0, 30])
            )
            if ahead and starts < self.now:
                starts += dt.timedelta(days=7)
            ends = starts + dt.timedelta(hours=rng.choice([1.5, 2, 3, 4]))
            host = spec.owner if spec.owner.pk != self.cast.root.pk else None
            spec.column, spec.title, spec.body, location = self.activity_text(host, starts, ends)
            spec.extra.update(starts_at=starts, ends_at=ends, location=location[:100])
            spec.comments = rng.random() < 0.8
            spec.tags = rng.sample(
                ["主题党日", "红色教育", "志愿服务", "理论学习"], rng.randint(0, 2)
            )
            spec.byline = self.byline(spec)
            self.add(spec)

    def activity_text(
        self, host: Organization | None, starts: dt.datetime, ends: dt.datetime
    ) -> tuple[int, str, str, str]:
        rng = self.rng
        label = (host.short_name or host.name) if host else "学校党委"
        theme = rng.choice(THEMES)
        place, address = rng.choice(ACTIVITY_PLACES)
        kind = rng.choice(["visit", "study", "volunteer", "study", "visit", "volunteer"])
        day = f"{starts.month}月{starts.day}日 {starts:%H:%M}—{ends:%H:%M}"
        if kind == "visit" and place not in (
            "学生活动中心多功能厅",
            "图书馆三楼研讨室",
            "学校体育馆",
        ):
            title = self.unique(lambda: f"{label}赴{place}开展“{rng.choice(THEMES)}”主题党日活动")
            body = (
                _p(f"为{rng.choice(PURPOSES)}，{label}将组织党员赴{place}开展现场教学。")
                + _ul(
                    [
                        f"时间：{day}",
                        f"地点：{address}",
                        f"集合：{rng.choice(['东门', '南门', '主楼前'])}统一乘车，请提前10分钟到达",
                        "要求：佩戴党员徽章，遵守参观纪律",
                    ]
                )
                + _p("活动结束后，各党支部组织党员撰写心得体会，并在支部党员大会上交流。")
            )
            return 0, title, body, place
        if kind == "volunteer":
            what = rng.choice(
                [
                    "社区义务宣讲",
                    "垃圾分类宣传",
                    "校园环境整治",
                    "无偿献血",
                    "敬老院关爱老人",
                    "中小学科普进课堂",
                ]
            )
            where = rng.choice(
                ["清河街道社区服务中心", "学校体育馆", "校园各区域", "附近社区养老院"]
            )
            title = self.unique(lambda: f"{label}{starts.month}月“党员先锋岗”{what}志愿服务")
            body = (
                _p(f"{label}组织党员开展{what}志愿服务，欢迎广大党员、入党积极分子报名参加。")
                + _ul(
                    [f"时间：{day}", f"地点：{where}", f"名额：{rng.randint(15, 60)}人，额满为止"]
                )
                + _p("志愿服务时长将计入党员志愿服务记录。")
            )
            return 2, title, body, where
        book = rng.choice(BOOKS)
        room = rng.choice(MEETING_PLACES)
        title = self.unique(lambda: f"{label}读书班第{self.counter(label)}期：{book}专题研讨")
        body = (
            _p(f"{label}将举行{book}专题学习研讨，由{_name(rng)}领学并作引导发言。")
            + _ul([f"时间：{day}", f"地点：{room}", "请参加人员提前阅读相关章节，做好交流准备"])
            + _p(f"研讨围绕“{theme}”展开，每位党员发言不超过5分钟。")
        )
        return 1, title, body, room

    # Showcase -----------------------------------------------------------------------------------

    def showcase(self, count: int) -> None:
        rng = self.rng
        portraits = [
            (
                "扎根讲台三十载的“大先生”",
                "教学",
                "三十年如一日坚守本科教学一线，主讲的课程入选国家级一流本科课程",
            ),
            (
                "把论文写在祖国大地上",
                "科研",
                "带领团队常年奔波在田间地头，研究成果在多个省份推广应用",
            ),
            ("实验室里的“守夜人”", "科研", "负责学院实验室安全管理，多年来实验室保持零事故"),
            ("志愿服务时长超千小时的“热心肠”", "志愿服务", "本科期间累计志愿服务时长超过一千小时"),
            ("支教路上的青春答卷", "支教", "参加研究生支教团，在西部中学支教一年"),
            ("退休不褪色的老党员宣讲员", "宣讲", "退休后加入老党员宣讲团，为新生讲校史、讲党史"),
            (
                "带着乡亲们致富的驻村第一书记",
                "乡村振兴",
                "担任驻村第一书记两年，帮助村里建起合作社",
            ),
            ("竞赛场上的“领跑者”", "学科竞赛", "带领团队获得全国大学生竞赛一等奖"),
            ("辅导员身边的“知心姐姐”", "学生工作", "担任辅导员八年，被学生亲切地称为“知心姐姐”"),
            ("默默坚守的图书馆党员", "服务保障", "在图书馆岗位上默默坚守，推动开设夜间自习服务"),
            ("抗击疫情中的“逆行者”", "医疗", "主动请缨支援一线，被评为优秀共产党员"),
            ("心系学生的“宿舍楼长”", "学生社区", "在学生社区设立党员工作站，常年为学生答疑解难"),
        ]
        branches_stories = [
            "以“支部建在团队上”推动科研攻关",
            "党员示范岗让服务有温度",
            "把组织生活开到实验室",
            "“一支部一品牌”的探索",
            "党员先锋队活跃在社区一线",
            "老中青结对传帮带",
        ]
        times = self.spread(count)
        for index, when in enumerate(times):
            author = "editor1" if rng.random() < 0.7 else self.author_mix()
            spec = self.place(Spec(Section.SHOWCASE, "", "", author, self.cast.root, when))
            branch = rng.choice(self.cast.branches)
            if index % 3 == 2:
                story = rng.choice(branches_stories)
                spec.column = 1
                spec.title = self.unique(
                    functools.partial("【先进党支部】{}：{}".format, branch.name, story)
                )
                spec.body = (
                    _p(f"{branch.name}现有党员{rng.randint(12, 45)}名。近年来，"
                       f"支部坚持{rng.choice(TOPICS)}，先后获评校级“先进基层党组织”。")
                    + _p("支部的主要做法：")
                    + _ul(
                        [
                            "严格落实“三会一课”，每月固定主题党日",
                            "支部书记由业务骨干担任，党建与业务同谋划",
                            f"建立“{rng.choice(['党员先锋岗', '党员责任区', '党员示范岗'])}”，亮身份、作表率",
                        ]
                    )
                    + _p(f"支部书记{_name(rng)}表示：“<strong>支部强不强，关键看党员。</strong>”")
                )  # fmt: skip
            else:
                headline, field_, deed = rng.choice(portraits)
                person = _name(rng)
                spec.column = 0
                spec.title = self.unique(
                    functools.partial("【身边的榜样】{}：{}".format, person, headline)
                )
                spec.body = (
                    _p(f"{person}，中共党员，{branch.name}党员。{deed}。")
                    + _p(
                        f"在{field_}岗位上，{person}始终以共产党员的标准要求自己。"
                        f"谈起初心，{person}说：“<strong>入党那天起，就想着要对得起党员这个身份。</strong>”"
                    )
                    + _p(f"身边的同事评价：{rng.choice(['踏实、肯干、有担当', '把别人的事当成自己的事', '是大家学习的榜样'])}。")
                )  # fmt: skip
            spec.comments = True
            spec.tags = ["身边的榜样"] if spec.column == 0 else ["先进基层党组织"]
            spec.byline = self.byline(spec)
            self.add(spec)

    # Affairs guide and committee information --------------------------------------------------

    def guide(self) -> None:
        rng = self.rng
        for procedure, title, column, body in GUIDES:
            when = self.moment(rng.uniform(200, 350))
            author = "orgdept" if self.cast.has("orgdept") else "editor1"
            spec = Spec(Section.GUIDE, title, body, author, self.cast.root, when, column=column)
            spec.extra["procedure"] = procedure
            spec.byline = "党委组织部"
            self.titles.add(title)
            self.add(spec)

    def committee(self) -> None:
        rng = self.rng
        c1 = self.cast.c1
        leaders = [
            ("党委书记", "主持党委全面工作"),
            ("党委副书记、校长", "主持行政全面工作"),
            ("党委副书记", "分管组织、宣传、统战、学生工作"),
            ("党委副书记、纪委书记", "负责纪检监察工作"),
            ("党委常委、副校长", "分管本科教学、招生就业"),
            ("党委常委、组织部部长", "分管组织、党校、干部工作"),
        ]
        pages: list[tuple[str, int, str]] = [
            (
                "学校党委领导班子",
                0,
                _p("中共示范大学委员会领导班子成员及分工如下：")
                + _ul([f"<strong>{_name(rng)}</strong>　{post}，{duty}" for post, duty in leaders]),
            ),
            (
                "党委组织部（党校）",
                1,
                _p("党委组织部（党校）是学校党委主管组织工作和干部工作的职能部门。主要职责：")
                + _ul(
                    [
                        "负责基层党组织建设和党员队伍建设",
                        "负责党员发展、教育、管理和服务工作",
                        "负责党费收缴、使用和管理",
                        "负责党员组织关系转接",
                        "负责党校培训工作",
                    ]
                )
                + _p("办公地点：行政楼301；联系电话：010-62780000。"),
            ),
            (
                "党委宣传部",
                1,
                _p("党委宣传部负责学校理论武装、意识形态、新闻宣传和文化建设工作。主要职责：")
                + _ul(
                    [
                        "组织党委理论学习中心组学习",
                        "负责校园媒体的管理和新闻发布",
                        "负责网络舆情监测与引导",
                    ]
                )
                + _p("办公地点：行政楼305；联系电话：010-62780010。"),
            ),
            (
                "纪委办公室",
                1,
                _p("纪委办公室是学校纪委的办事机构，负责监督执纪问责、党风廉政建设日常工作。")
                + _p("信访举报电话：010-62780020；来信地址：行政楼410纪委办公室。"),
            ),
            (
                f"{c1.name}组成及分工",
                0,
                _p(f"{c1.name}由{rng.randint(5, 9)}名委员组成，分工如下：")
                + _ul(
                    [
                        f"{_name(rng)}　书记，主持全面工作",
                        f"{_name(rng)}　副书记，负责学生党建和思想政治工作",
                        f"{_name(rng)}　组织委员，负责组织建设和党员发展",
                        f"{_name(rng)}　宣传委员，负责宣传和理论学习",
                        f"{_name(rng)}　纪检委员，负责党风廉政建设",
                    ]
                ),
            ),
            (
                "示范大学党支部工作实施细则",
                2,
                _p(
                    "第一条　为加强和规范党支部工作，根据《中国共产党支部工作条例（试行）》，结合学校实际，制定本细则。"
                )
                + _p("第二条　党支部是党的基础组织，是党在学校基层组织中的战斗堡垒。")
                + _p("第三条　党支部应当严格落实“三会一课”制度：")
                + _ul(
                    [
                        "支部党员大会一般每季度召开1次",
                        "支部委员会会议一般每月召开1次",
                        "党小组会一般每月召开1次",
                        "党课每季度至少1次",
                    ]
                )
                + _p("第四条　本细则由党委组织部负责解释，自发布之日起施行。"),
            ),
            (
                "示范大学发展党员工作实施办法",
                2,
                _p(
                    "第一条　为做好新形势下发展党员工作，根据《中国共产党发展党员工作细则》，制定本办法。"
                )
                + _p(
                    "第二条　发展党员工作应当贯彻党的基本理论、基本路线、基本方略，坚持“控制总量、优化结构、提高质量、发挥作用”的总要求。"
                )
                + _p("第三条　发展党员必须坚持入党自愿原则和个别吸收原则，成熟一个，发展一个。"),
            ),
            (
                "示范大学党费收缴、使用和管理办法",
                2,
                _p(
                    "第一条　根据《关于中国共产党党费收缴、使用和管理的规定》，结合学校实际，制定本办法。"
                )
                + _p("第二条　党员应当按月交纳党费。党费以党支部为单位收缴，由党委组织部统一管理。")
                + _p("第三条　党费使用坚持“统筹安排、量入为出、收支平衡、略有结余”的原则。"),
            ),
        ]
        for title, column, body in pages:
            when = self.moment(rng.uniform(120, 350))
            author = "orgdept" if column != 1 and self.cast.has("orgdept") else "editor1"
            spec = Spec(Section.COMMITTEE, title, body, author, self.cast.root, when, column=column)
            spec.byline = "党委办公室"
            self.titles.add(title)
            self.add(spec)

    # Research -----------------------------------------------------------------------------------

    def research(self, count: int) -> None:
        rng = self.rng
        subjects = [
            "新时代高校教师党支部“双带头人”培育机制研究",
            "“一站式”学生社区党建工作路径研究",
            "高校基层党组织组织力提升研究",
            "数字化赋能高校党建工作的实践探索",
            "高校党员发展质量评价体系构建研究",
            "红色文化资源融入高校思想政治教育研究",
            "高校离退休党员教育管理服务创新研究",
            "研究生党支部建在课题组上的实践与思考",
            "“三全育人”格局下高校党建与业务融合研究",
            "高校党建品牌培育的实践路径",
            "新时代大学生入党动机调查与分析",
            "课程思政与党建工作协同机制研究",
            "高校党风廉政建设长效机制研究",
            "党史学习教育常态化长效化机制研究",
            "高校党支部组织生活质量评价研究",
            "新时代高校统一战线工作创新研究",
        ]
        kinds = [ResearchKind.TOPIC, ResearchKind.PROJECT, ResearchKind.PAPER, ResearchKind.REPORT]
        for index, when in enumerate(self.spread(count)):
            title = subjects[index % len(subjects)]
            self.titles.add(title)
            kind = kinds[index % len(kinds)]
            age = (self.now - when).days
            status = (
                ResearchStatus.CONCLUDED
                if kind in (ResearchKind.PAPER, ResearchKind.REPORT) or age > 250
                else ResearchStatus.ONGOING
                if age > 40
                else ResearchStatus.PROPOSED
            )
            author = "committee1" if index % 4 == 1 and self.cast.has("committee1") else "editor1"
            spec = self.place(Spec(Section.RESEARCH, title, "", author, self.cast.root, when))
            spec.column = {ResearchKind.TOPIC: 0, ResearchKind.PROJECT: 1}.get(kind, 2)
            lead, *others = [_name(rng) for _ in range(rng.randint(3, 6))]
            spec.extra.update(
                research_kind=kind,
                research_status=status,
                research_members=f"{lead}（负责人）、" + "、".join(others),
            )
            source = rng.choice(["学校党建研究课题", "省高校党建研究会课题", "教育部思政专项"])
            spec.body = (
                _p(f"<strong>课题来源：</strong>{source}（{timezone.localtime(when).year}年度）")
                + _p(
                    f"<strong>研究内容：</strong>本{KIND_WORDS[kind]}"
                    f"围绕{rng.choice(TOPICS)}，采用问卷调查、个案访谈和比较研究等方法，"
                    f"对{rng.randint(8, 30)}个二级党组织、{rng.randint(300, 2000)}名党员开展调研，"
                    "分析当前工作中存在的问题，提出对策建议。"
                )
                + _ul(
                    [
                        "梳理现状，形成调研报告",
                        "总结典型经验，提炼工作模式",
                        "提出制度建议，推动成果转化",
                    ],
                    ordered=True,
                )
                + _p(f"<strong>负责人：</strong>{lead}")
            )
            spec.byline = spec.owner.short_name if spec.author == "committee1" else "党委组织部"
            self.add(spec)

    # The queue: drafts, submissions, returns, scheduled, withdrawn ---------------------------

    def workflow(self) -> None:
        """Turn some of the recent items into the states a working editorial office has."""
        cast = self.cast
        recent = sorted(
            (s for s in self.specs if s.section not in (Section.GUIDE, Section.COMMITTEE)),
            key=lambda s: s.when,
            reverse=True,
        )
        notes = [
            "请补充活动照片，并核实参加人数。",
            "标题请精炼，正文第二段表述需再斟酌。",
            "时间安排与学校统一部署冲突，请调整到月底。",
            "请补充课题成员的单位和分工。",
        ]
        wanted = {"pending": 7, "returned": 4}
        for spec in recent:
            if not spec.reviewer or spec.state != "published":
                continue
            age = self.now - spec.when
            if wanted["pending"] and age < dt.timedelta(days=6):  # submissions waiting
                spec.state = "pending"
                wanted["pending"] -= 1
            elif wanted["returned"] and dt.timedelta(days=2) < age < dt.timedelta(days=30):
                spec.state = "returned"
                spec.note = notes[wanted["returned"] % len(notes)]
                wanted["returned"] -= 1
        # A few more submissions, so each reviewer has some (written in the last days).
        for author in ("secretary1", "secretary1", "secretary2", "committee1"):
            if wanted["pending"] <= 0 or not cast.has(author):
                break
            when = self.moment(self.rng.uniform(0.2, 4))
            spec = self.place(Spec(Section.NEWS, "", "", author, cast.root, when, column=2))
            if author == "committee1":
                spec.column = 1
                spec.title, spec.body = self.unique_text(
                    functools.partial(self.college_news, cast.c1, when)
                )
            else:
                spec.title, spec.body = self.unique_text(
                    functools.partial(self.branch_news, spec.owner, when)
                )
            spec.state = "pending"
            spec.comments = True
            wanted["pending"] -= 1
            self.add(spec)
        # Drafts: the writers' work in progress.
        drafts = [s for s in recent[:60] if s.state == "published"]
        for spec in self.rng.sample(drafts, min(8, len(drafts))):
            spec.state = "draft"
        # Scheduled for the coming days, by the editor.
        for section, days in ((Section.NOTICE, 2), (Section.NEWS, 1), (Section.ACTIVITY, 3)):
            publisher = "editor1" if cast.has("editor1") else "orgdept"
            when = self.now + dt.timedelta(days=days, hours=self.rng.randint(1, 6))
            when = timezone.localtime(when).replace(hour=9, minute=0, second=0, microsecond=0)
            if section == Section.NOTICE:
                spec = Spec(section, "", "", publisher, cast.root, when, state="scheduled")
                spec.title, spec.body, spec.column = self.notice_text(spec, when)
                spec.notify = True
            elif section == Section.NEWS:
                spec = Spec(section, "", "", publisher, cast.root, when, state="scheduled")
                spec.title, spec.body = self.unique_text(
                    functools.partial(self.university_news, when)
                )
                spec.comments = True
            else:
                spec = Spec(section, "", "", publisher, cast.root, when, state="scheduled")
                starts = when + dt.timedelta(days=5, hours=5)
                ends = starts + dt.timedelta(hours=3)
                spec.column, spec.title, spec.body, location = self.activity_text(
                    None, starts, ends
                )
                spec.extra.update(starts_at=starts, ends_at=ends, location=location[:100])
                spec.comments = True
            self.add(spec)
        # One notice went out by mistake and was withdrawn.
        published_notices = [
            s
            for s in recent
            if s.section == Section.NOTICE and s.state == "published" and not s.reviewer
        ]
        if published_notices:
            withdrawn = published_notices[min(5, len(published_notices) - 1)]
            withdrawn.state, withdrawn.notify = "withdrawn", False
        # Pinned: the latest university news and notices, and the guide to joining.
        for section, count in ((Section.NEWS, 2), (Section.NOTICE, 2)):
            pinned = [
                s
                for s in recent
                if s.section == section and s.state == "published" and not s.targets
            ]
            for spec in pinned[:count]:
                spec.pinned = True
        for spec in self.specs:
            if spec.extra.get("procedure") == "development.application":
                spec.pinned = True


@dataclass(frozen=True)
class NoticeKind:
    key: str
    title: Callable[[int, int, int], str]  # (year, month, n-th of the year) -> title
    intro: str  # after "为……，": what the university decided, ending with "如下："
    steps: tuple[str, ...] = ()
    column: int = 0  # 0 notices, 1 announcements, 2 public notices
    months: tuple[int, ...] = ()  # when it is sent (any month if empty)
    what: str = ""  # public notices: whose names are listed
    limit: int = 12  # at most this many a year


def _half(month: int) -> str:
    return "上" if month <= 6 else "下"


NOTICE_KINDS = [
    NoticeKind(
        "meeting",
        lambda y, m, n: f"关于召开{y}年第{n}次二级党组织书记例会的通知",
        "学校党委决定召开二级党组织书记例会，现将有关事项通知如下：",
        (
            "参会人员：各二级党组织书记、副书记",
            "会议时间：{deadline} 14:30",
            "会议地点：行政楼第一会议室",
            "请参会人员提前10分钟签到，不得无故缺席",
        ),
        limit=8,
    ),
    NoticeKind(
        "dues",
        lambda y, m, n: f"关于做好{y}年第{(m - 1) // 3 + 1}季度党费收缴工作的通知",
        "现就本季度党费收缴工作通知如下：",
        (
            "各党支部于{deadline}前完成本季度党费收缴，并在支部党员大会上通报收缴情况",
            "党费按月工资收入的规定比例计算，学生党员每月交纳0.2元",
            "各二级党组织汇总后报党委组织部，并做好台账登记",
        ),
        months=(1, 4, 7, 10),
    ),
    NoticeKind(
        "day",
        lambda y, m, n: f"关于{m}月主题党日活动安排的通知",
        "现将本月主题党日活动安排通知如下：",
        (
            "活动主题：{theme}",
            "活动时间：各党支部于{deadline}前自行安排",
            "活动形式：集中学习、参观见学、志愿服务等，可结合专业特点开展",
            "活动结束后在平台“组织生活”栏目登记活动记录",
        ),
    ),
    NoticeKind(
        "training",
        lambda y, m, n: f"关于举办{y}年第{n}期党务工作者培训班的通知",
        "党委组织部（党校）决定举办党务工作者培训班，现将有关事项通知如下：",
        (
            "培训对象：各二级党组织组织员、党支部委员",
            "培训时间：{deadline}起，共三天",
            "培训内容：党章党规、发展党员工作实务、组织生活规范、党务信息化",
            "请各单位于报名截止前在平台报名",
        ),
        limit=4,
    ),
    NoticeKind(
        "secretary",
        lambda y, m, n: f"关于开展{y}年{'春季' if m <= 6 else '秋季'}学期党支部书记轮训的通知",
        "学校决定开展党支部书记轮训，现将有关事项通知如下：",
        (
            "培训对象：全校党支部书记，新任党支部书记必须参加",
            "培训方式：集中授课与网络学习相结合",
            "考核要求：完成全部学时并通过结业测试",
        ),
        months=(3, 4, 9, 10),
    ),
    NoticeKind(
        "plan",
        lambda y, m, n: f"关于报送{y}年{_half(m)}半年党员发展计划的通知",
        "现就党员发展计划报送工作通知如下：",
        (
            "各二级党组织根据入党积极分子培养情况，提出本单位发展计划",
            "重点做好在高知识群体和优秀青年学生中发展党员工作",
            "计划表于{deadline}前报送党委组织部",
        ),
        months=(2, 3, 7, 8),
    ),
    NoticeKind(
        "stats",
        lambda y, m, n: f"关于做好{y if m != 1 else y - 1}年度党内统计工作的通知",
        "现就年度党内统计工作通知如下：",
        (
            "统计范围：截至12月31日的党组织和党员情况",
            "各党支部核对党员信息，确保信息准确完整",
            "各二级党组织于{deadline}前完成审核并报送统计报表",
        ),
        months=(11, 12, 1),
    ),
    NoticeKind(
        "graduates",
        lambda y, m, n: f"关于做好{y}届毕业生党员组织关系转接工作的通知",
        "现就毕业生党员组织关系转接工作通知如下：",
        (
            "已落实工作单位的，将组织关系转至工作单位党组织",
            "未落实工作单位的，可转至本人户籍所在地或人才交流服务机构党组织",
            "各党支部于{deadline}前完成转接审核，并提醒党员在3个月内到接收党组织报到",
        ),
        months=(5, 6),
    ),
    NoticeKind(
        "recommend",
        lambda y, m, n: f"关于推荐{y}年度“两优一先”表彰对象的通知",
        "学校党委决定评选表彰一批优秀共产党员、优秀党务工作者和先进基层党组织，现将有关事项通知如下：",
        (
            "推荐名额：按各单位党员人数的2%推荐",
            "推荐程序：党支部推荐、二级党组织审核、学校党委审定",
            "请于{deadline}前报送推荐材料",
        ),
        months=(4, 5),
    ),
    NoticeKind(
        "visits",
        lambda y, m, n: f"关于开展{y}年“七一”走访慰问生活困难党员和老党员工作的通知",
        "学校党委决定开展“七一”走访慰问工作，现将有关事项通知如下：",
        (
            "慰问对象：生活困难党员、老党员和因公牺牲党员家属",
            "各二级党组织负责人带队走访，当面送上组织的关怀",
            "请于{deadline}前报送走访慰问情况",
        ),
        months=(6,),
    ),
    NoticeKind(
        "review",
        lambda y, m, n: f"关于开展{y if m != 1 else y - 1}年度党员民主评议工作的通知",
        "现就年度党员民主评议工作通知如下：",
        (
            "学习教育：组织党员集中学习党章党规",
            "开展谈心谈话，查摆问题，明确整改方向",
            "召开组织生活会，开展批评和自我批评，进行民主测评",
            "各党支部于{deadline}前报送民主评议结果",
        ),
        months=(11, 12, 1),
    ),
    NoticeKind(
        "report",
        lambda y, m, n: (
            f"关于召开{y if m != 1 else y - 1}年度基层党组织书记抓党建工作述职评议会的通知"
        ),
        "学校党委决定召开述职评议会，现将有关事项通知如下：",
        (
            "述职人员：各二级党组织书记",
            "述职内容：履行党建工作责任、基层组织建设、存在问题和整改措施",
            "评议方式：现场述职、评委点评、民主测评",
        ),
        months=(12, 1),
    ),
    NoticeKind(
        "freshmen",
        lambda y, m, n: f"关于做好{y}级新生党员组织关系接转工作的通知",
        "现就新生党员组织关系接转工作通知如下：",
        (
            "新生党员持组织关系介绍信到所在学院党委报到",
            "各学院党委及时将新生党员编入党支部",
            "于{deadline}前完成新生党员信息录入",
        ),
        months=(9, 10),
    ),
    NoticeKind(
        "holiday",
        lambda y, m, n: f"关于做好{y + (m == 12)}年{HOLIDAYS[m]}期间有关工作的通知",
        "现就节日期间有关工作通知如下：",
        (
            "严格落实中央八项规定精神，坚决防止“四风”问题反弹",
            "做好节日期间值班值守和安全稳定工作",
            "关心关爱生活困难党员和离退休老党员",
        ),
        months=tuple(HOLIDAYS),
    ),
    NoticeKind(
        "vacation",
        lambda y, m, n: (
            f"关于做好{y}年{'寒假' if m in (1, 12) else '暑假'}期间学生党员教育管理工作的通知"
        ),
        "现就假期学生党员教育管理工作通知如下：",
        (
            "学生党员假期应主动向居住地党组织报到",
            "鼓励学生党员参加社会实践和志愿服务",
            "各党支部通过线上方式保持联系，开学后组织交流",
        ),
        months=(1, 6, 7, 12),
    ),
    NoticeKind(
        "check",
        lambda y, m, n: f"关于开展{y}年{_half(m)}半年“三会一课”落实情况检查的通知",
        "学校党委决定对各党支部“三会一课”落实情况进行检查，现将有关事项通知如下：",
        (
            "检查内容：支部党员大会、支委会、党小组会和党课的开展情况",
            "检查方式：查阅平台记录与实地抽查相结合",
            "请各党支部于{deadline}前完成自查",
        ),
        limit=2,
    ),
    NoticeKind(
        "info",
        lambda y, m, n: f"关于{y}年{_half(m)}半年核对更新党员基本信息的通知",
        "现就党员信息核对工作通知如下：",
        (
            "党员登录平台核对本人基本信息，如有错误及时提交更正",
            "党支部审核本支部党员信息",
            "于{deadline}前完成核对",
        ),
        limit=2,
    ),
    NoticeKind(
        "system",
        lambda y, m, n: f"关于{y}年第{n}次智慧党建平台升级维护的公告",
        "为提升服务质量，智慧党建平台将于{month}月{day}日22:00至次日6:00进行升级维护，期间暂停访问，给您带来的不便敬请谅解。",
        column=1,
        limit=3,
    ),
    NoticeKind(
        "office",
        lambda y, m, n: f"关于{y + (m == 12)}年{HOLIDAYS[m]}期间党员服务中心办公安排的公告",
        "{month}月{day}日起，党员服务中心节日期间暂停现场办理业务，组织关系转接等事项可通过平台在线提交，节后统一办理。",
        column=1,
        months=tuple(HOLIDAYS),
    ),
    NoticeKind(
        "candidates",
        lambda y, m, n: f"{y}年第{n}批拟发展党员公示",
        "",
        column=2,
        what="拟发展党员",
        limit=5,
    ),
    NoticeKind(
        "full",
        lambda y, m, n: f"{y}年第{n}批预备党员拟转正公示",
        "",
        column=2,
        what="预备党员拟转正人员",
        limit=5,
    ),
    NoticeKind(
        "honours",
        lambda y, m, n: f"{y}年“两优一先”拟表彰对象公示",
        "",
        column=2,
        months=(6,),
        what="“两优一先”拟表彰对象",
    ),
]


# -- Cover pictures ----------------------------------------------------------------------------

COVER_SECTIONS = frozenset({Section.NEWS, Section.ACTIVITY, Section.SHOWCASE})
COVER_DAYS = 120
COVER_COLOURS = [(200, 22, 29), (161, 15, 22), (201, 162, 39), (222, 84, 52), (120, 10, 16)]


def _cover_picture(seed: int) -> SimpleUploadedFile:
    """A 16:9 picture: a warm gradient with a few soft shapes, different for each seed."""
    from PIL import Image, ImageDraw

    pick = random.Random(seed)  # noqa: S311 - demo pictures, nothing secret
    width, height = 960, 540
    top, bottom = pick.sample(COVER_COLOURS, 2)
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(pick.randint(3, 6)):
        x, y, r = pick.randint(0, width), pick.randint(0, height), pick.randint(40, 220)
        shade = tuple(min(255, c + 60) for c in pick.choice(COVER_COLOURS))
        draw.ellipse([x - r, y - r, x + r, y + r], outline=shade, width=pick.randint(4, 14))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"cover-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


# -- Writing through the services ---------------------------------------------------------------


@dataclass
class Written:
    spec: Spec
    item: Item


class Writer:
    def __init__(self, cast: Cast, now: dt.datetime) -> None:
        self.cast = cast
        self.now = now
        columns: dict[str, list[Category]] = {}
        for category in Category.objects.order_by("section", "position", "name"):
            columns.setdefault(category.section, []).append(category)
        self.columns = columns

    def column(self, spec: Spec) -> Category | None:
        columns = self.columns.get(spec.section, [])
        if not columns:
            return None
        return columns[min(spec.column, len(columns) - 1)]

    def cover(self, author: User, spec: Spec) -> Upload | None:
        """A picture for the recent stories' cards (a photo stands in: colour fields and
        shapes, drawn here), uploaded by the writer as an editor would."""
        recent = (self.now - spec.when).days < COVER_DAYS
        if spec.section not in COVER_SECTIONS or spec.state != "published" or not recent:
            return None
        seed = int(hashlib.sha256(spec.title.encode()).hexdigest()[:8], 16)
        if seed % 3 == 0:  # not every story has a picture
            return None
        return services.upload_create(
            actor=author, file=_cover_picture(seed), kind=Upload.Kind.IMAGE
        )

    def write(self, spec: Spec) -> Item:
        author = self.cast.user(spec.author)
        data = services.ItemInput(
            section=spec.section,
            title=spec.title,
            owner=spec.owner,
            body=spec.body,
            summary=spec.summary,
            category=self.column(spec),
            tags=spec.tags,
            byline=spec.byline,
            target_all=not spec.targets,
            targets=spec.targets,
            publish_at=spec.when if spec.state in ("published", "withdrawn", "scheduled") else None,
            comments_enabled=spec.comments,
            send_notification=spec.notify,
            starts_at=spec.extra.get("starts_at"),
            ends_at=spec.extra.get("ends_at"),
            location=spec.extra.get("location", ""),
            procedure=spec.extra.get("procedure", ""),
            research_kind=spec.extra.get("research_kind", ""),
            research_status=spec.extra.get("research_status", ""),
            research_members=spec.extra.get("research_members", ""),
            cover=self.cover(author, spec),
        )
        item = services.item_save(actor=author, data=data)
        state = spec.state
        if state == "draft":
            return item
        if spec.reviewer:
            reviewer = self.cast.user(spec.reviewer)
            item = services.item_submit(actor=author, item=item)
            if state == "pending":
                return item
            if state == "returned":
                return services.item_return(actor=reviewer, item=item, note=spec.note)
            item = services.item_approve(actor=reviewer, item=item)
        else:
            item = services.item_publish(actor=author, item=item, publish_at=spec.when)
        if state == "withdrawn":
            services.announce(item.pk)
            return services.item_withdraw(actor=author, item=item)
        if spec.pinned:
            publisher = self.cast.user("editor1", "orgdept")
            services.item_pin(actor=publisher, item=item, pinned=True)
        if state == "published":
            services.announce(item.pk)  # the task does it after the commit; here, at once
            item.refresh_from_db(fields=["notification", "announced_at"])
        return item


# -- Readers ----------------------------------------------------------------------------------


@dataclass
class Reader:
    user: User
    org_path: str


def _readers() -> list[Reader]:
    rows = (
        Member.objects.filter(standing=Standing.ACTIVE, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    return [Reader(m.user, m.org_path) for m in rows if m.user is not None]


def _may_read(reader: Reader, spec: Spec) -> bool:
    return not spec.targets or any(reader.org_path.startswith(t.path) for t in spec.targets)


def _reads(
    written: list[Written], readers: list[Reader], rng: random.Random, now: dt.datetime
) -> None:
    """Readers open what reaches them: most recipients of recent notices, some of the rest.
    member1 and secretary1 leave the latest notices that reach them unread, so their demo
    inboxes have something new."""
    sent = sorted(
        (w for w in written if w.item.notification_id is not None),
        key=lambda w: w.spec.when,
        reverse=True,
    )
    keep_unread: set[tuple[int, int]] = set()
    for reader in readers:
        if reader.user.username in ("member1", "secretary1"):
            reaching = [w for w in sent if _may_read(reader, w.spec)]
            keep_unread.update((reader.user.pk, w.item.pk) for w in reaching[:2])
            # The demo personas have read the older ones: their receipts show both kinds.
            for older in reaching[2:]:
                services.record_read(user=reader.user, item=older.item)
    for entry in written:
        item, spec = entry.item, entry.spec
        if item.state != State.PUBLISHED or spec.when > now:
            continue
        age = (now - spec.when).days
        if item.notification_id is not None:
            share = rng.uniform(0.45, 0.8)
        elif spec.section in (Section.NEWS, Section.ACTIVITY, Section.NOTICE) and age < 120:
            share = rng.uniform(0.03, 0.15)
        elif spec.section in (Section.GUIDE, Section.SHOWCASE):
            share = rng.uniform(0.02, 0.08)
        else:
            continue
        eligible = [r for r in readers if _may_read(r, spec)]
        chosen = rng.sample(eligible, int(len(eligible) * share))
        for reader in chosen:
            if (reader.user.pk, item.pk) in keep_unread:
                continue
            services.record_read(user=reader.user, item=item)
            if rng.random() < 0.1:  # and came back to it
                services.record_read(user=reader.user, item=item)


# -- Dates ------------------------------------------------------------------------------------


def _redate(written: list[Written], rng: random.Random, now: dt.datetime) -> None:
    """Put each item at its place in the year: written before it went out, reviewed before,
    announced and read after. The services stamped everything now."""
    for entry in written:
        item, spec = entry.item, entry.spec
        when = spec.when
        if item.state in (State.PUBLISHED, State.WITHDRAWN) and when <= now:
            created = when - dt.timedelta(hours=rng.uniform(2, 72))
        elif item.state == State.PUBLISHED:  # scheduled
            created = now - dt.timedelta(hours=rng.uniform(1, 30))
        else:
            created = min(when, now - dt.timedelta(minutes=20))
        fields: dict[str, Any] = {"created_at": created, "updated_at": max(created, min(when, now))}
        if item.submitted_at is not None:
            fields["submitted_at"] = created + (min(when, now) - created) * 0.4
        if item.reviewed_at is not None:
            fields["reviewed_at"] = min(
                now - dt.timedelta(minutes=5),
                created + (min(when, now) - created) * rng.uniform(0.8, 0.98),
            )
            if item.state == State.RETURNED:
                fields["updated_at"] = fields["reviewed_at"]
        if item.announced_at is not None:
            fields["announced_at"] = when
        Item.objects.filter(pk=item.pk).update(**fields)
        if item.reviewed_at is not None:
            link = reverse("content:item-manage", args=[item.pk])
            Notification.objects.filter(link=link, kind__startswith="content.").update(
                created_at=fields["reviewed_at"]
            )
            if now - fields["reviewed_at"] > dt.timedelta(days=10):  # long since seen
                Delivery.objects.filter(
                    notification__link=link, notification__kind__startswith="content."
                ).update(read_at=fields["reviewed_at"] + dt.timedelta(hours=rng.uniform(1, 30)))
        if item.notification_id is not None:
            Notification.objects.filter(pk=item.notification_id).update(created_at=when)
    # Readers opened each item some hours after it went out (notices sooner: the inbox).
    specs = {entry.item.pk: entry for entry in written}
    for read in Read.objects.order_by("pk"):
        opened = specs.get(read.item_id)
        if opened is None:
            continue
        hours = rng.expovariate(1 / (20 if opened.item.notification_id else 60))
        first = min(now - dt.timedelta(minutes=1), opened.spec.when + dt.timedelta(hours=hours))
        Read.objects.filter(pk=read.pk).update(first_at=first, last_at=first)
        if opened.item.notification_id is not None:
            Delivery.objects.filter(
                notification_id=opened.item.notification_id, recipient_id=read.user_id
            ).update(read_at=first)


@contextlib.contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """The announcements the services queue after the commit find nothing left to do (the
    seed announced each item itself); with tasks run inline, each would log a line."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        log.setLevel(level)


def seed(context: DemoContext) -> None:
    cast = _cast()
    if cast is None:
        context.log("content: no university or demo accounts; skipped")
        return
    rng = context.rng
    now = timezone.now()
    # A seed with a reference date in the past ends its year then; never in the future.
    end_of_day = timezone.make_aware(dt.datetime.combine(context.today, dt.time(19, 0)))
    anchor = min(now, end_of_day)
    planner = Planner(cast, rng, anchor)
    size = min(1.0, max(1 / 3, Member.objects.count() / FULL_SIZE))
    counts = {section: max(6, round(n * size)) for section, n in COUNTS.items()}
    planner.news(counts[Section.NEWS])
    planner.notices(counts[Section.NOTICE])
    planner.activities(counts[Section.ACTIVITY])
    planner.showcase(counts[Section.SHOWCASE])
    planner.guide()
    planner.committee()
    planner.research(COUNTS[Section.RESEARCH])  # the research office's list, whatever the size
    planner.workflow()
    writer = Writer(cast, now)
    with _quiet("celery.app.trace"), transaction.atomic():
        written = [
            Written(spec, writer.write(spec))
            for spec in sorted(planner.specs, key=lambda s: s.when)
        ]
        fresh = Item.objects.in_bulk([entry.item.pk for entry in written])
        for entry in written:
            entry.item = fresh[entry.item.pk]
        _reads(written, _readers(), rng, now)
        _redate(written, rng, now)
    states: dict[str, int] = {}
    for entry in written:
        states[entry.item.state] = states.get(entry.item.state, 0) + 1
    told = sum(1 for w in written if w.item.notification_id is not None)
    summary = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
    context.log(f"content: {len(written)} items ({summary}), {told} notices sent to inboxes")


GUIDES: list[tuple[str, str, int, str]] = [
    (
        "development.application",
        "入党申请办事指南",
        1,
        _p(
            "<strong>申请条件：</strong>年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，"
            "承认党的纲领和章程，愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费的，"
            "可以申请加入中国共产党。"
        )
        + _p("<strong>办理流程：</strong>")
        + _ul(
            [
                "向所在单位党支部提出书面入党申请，内容包括对党的认识、入党动机、本人履历和家庭情况等",
                "党组织收到入党申请书后，一个月内派人同入党申请人谈话",
                "经党员推荐、群团组织推优，支部委员会研究，确定为入党积极分子，培养教育考察一年以上",
                "支部委员会讨论确定为发展对象，报上级党委备案，进行政治审查和集中培训（不少于三天或二十四学时）",
                "支部委员会审查，上级党委预审后填写《入党志愿书》",
                "支部党员大会讨论接收为预备党员，上级党委派人谈话并在三个月内审批",
                "预备党员面向党旗进行入党宣誓，预备期为一年",
            ],
            ordered=True,
        )
        + _p("<strong>所需材料：</strong>入党申请书（手写）、个人自传、思想汇报。")
        + _p("<strong>咨询：</strong>所在党支部，或党委组织部（行政楼301，010-62780000）。"),
    ),
    (
        "development.probation",
        "预备党员转正办事指南",
        1,
        _p("预备党员的预备期为一年，从支部大会通过其为预备党员之日算起。")
        + _ul(
            [
                "预备期满前一周，预备党员向党支部提交书面转正申请",
                "党小组提出意见，征求党员和群众意见，支部委员会审查",
                "支部党员大会讨论表决，按期转正、延长预备期或取消预备党员资格",
                "上级党委在三个月内审批，审批结果通知本人并存入档案",
            ],
            ordered=True,
        )
        + _p("延长预备期的时间不能少于半年，最长不超过一年。"),
    ),
    (
        "dues.payment",
        "党费缴纳办事指南",
        2,
        _p("党员应当增强党员意识，主动按月交纳党费。党费以党支部为单位收缴。")
        + _p("<strong>在职党员</strong>以每月工资收入（税后）为计算基数：")
        + _ul(
            [
                "3000元以下（含3000元）者，交纳月工资收入的0.5%",
                "3000元以上至5000元（含5000元）者，交纳1%",
                "5000元以上至10000元（含10000元）者，交纳1.5%",
                "10000元以上者，交纳2%",
            ]
        )
        + _p(
            "<strong>离退休党员</strong>：月离退休费5000元以下（含）者交纳0.5%，5000元以上者交纳1%。"
        )
        + _p("<strong>学生党员</strong>：每月交纳党费0.2元。")
        + _p("党员可通过本平台“党费缴纳”在线交纳，也可交由党支部统一收缴。"),
    ),
    (
        "transfers.transfer",
        "党员组织关系转接办事指南",
        3,
        _p("党员因毕业、工作调动、出国（境）等原因，需要转移组织关系。")
        + _ul(
            [
                "党员向所在党支部提出转接申请，说明转入单位及其党组织名称",
                "党支部审核后报二级党委，由党委组织部开具组织关系介绍信或在全国党员管理信息系统中办理",
                "党员持介绍信到接收党组织报到，介绍信有效期一般不超过三个月",
                "接收党组织回执返回后，转出党支部在党员名册中注销",
            ],
            ordered=True,
        )
        + _p(
            "<strong>毕业生党员</strong>：已落实工作单位的转至工作单位党组织；"
            "未落实的可转至户籍所在地或人才交流服务机构党组织，也可在学校保留不超过两年。"
        )
        + _p(
            "<strong>温馨提示：</strong>党员应在规定时间内报到，无正当理由连续六个月不参加组织生活的，按自行脱党处理。"
        ),
    ),
    (
        "orglife.meetings",
        "“三会一课”制度指南",
        0,
        _p("“三会一课”是党的组织生活的基本制度，依据《中国共产党支部工作条例（试行）》：")
        + _ul(
            [
                "<strong>支部党员大会</strong>：一般每季度召开1次",
                "<strong>支部委员会会议</strong>：一般每月召开1次",
                "<strong>党小组会</strong>：一般每月召开1次",
                "<strong>党课</strong>：每季度至少1次，党支部书记每年至少讲1次党课",
            ]
        )
        + _p("会议应当有明确主题，做好会议记录；本平台“组织生活”模块可登记会议、签到和上传记录。")
        + _p(
            "党支部每月相对固定1天开展主题党日，组织党员集中学习、过组织生活、进行民主议事和志愿服务等。"
        ),
    ),
    (
        "orglife.review",
        "民主评议党员工作指南",
        0,
        _p("民主评议党员一般每年开展1次，通常与组织生活会结合进行。")
        + _ul(
            [
                "学习教育：组织党员集中学习，明确评议内容和标准",
                "个人自评：党员对照标准查找差距，撰写个人总结",
                "党员互评：开展批评和自我批评",
                "民主测评：评定“优秀”“合格”“基本合格”“不合格”等次",
                "组织评定：支部委员会综合评定，报上级党委备案",
            ],
            ordered=True,
        ),
    ),
]

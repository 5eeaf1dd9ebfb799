"""Demo data for the contribution desk: a year of articles members sent, through the real
services, in every state, the older ones decided by the university's propaganda editor
(editor1) and many published with their author credited. Registered as a `seed_demo` step
(dangjian.lib.demo); it runs after the content demo."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from dangjian.accounts.models import User
from dangjian.content import services as content
from dangjian.content.models import Item
from dangjian.contributions import selectors, services
from dangjian.contributions.models import Contribution, Event, Wish
from dangjian.lib.demo import DemoContext
from dangjian.members.choices import Standing
from dangjian.members.models import Member
from dangjian.notifications.models import Notification

ARTICLES: dict[str, list[tuple[str, str]]] = {
    Wish.NEWS: [
        (
            "{org}开展“学思想、强党性”主题党日活动",
            "近日，{org}组织全体党员赴革命纪念馆开展主题党日活动。\n"
            "党员们重温入党誓词，聆听讲解员讲述革命先辈的感人事迹，深受教育。\n"
            "大家表示，要把学习成果转化为干事创业的实际行动，在教学科研一线发挥先锋模范作用。",
        ),
        (
            "{org}召开专题组织生活会",
            "{org}近日召开专题组织生活会，支部书记代表支部委员会作对照检查。\n"
            "党员逐一发言，开展批评和自我批评，气氛严肃活泼。\n"
            "会议明确了下一步整改措施和完成时限。",
        ),
        (
            "{org}党员志愿服务队走进社区",
            "周末，{org}党员志愿服务队走进学校周边社区，开展义诊、科普和助老服务。\n"
            "志愿者们为老人讲解智能手机使用方法，帮助他们学会线上挂号和缴费。\n"
            "活动受到社区居民的欢迎，服务队将把这项活动坚持下去。",
        ),
        (
            "{org}举办新生党员培训班",
            "为帮助新发展党员尽快成长，{org}举办新生党员培训班。\n"
            "培训内容包括党章党规、党的历史和优良传统等。\n"
            "学员们表示收获很大，将以更高标准要求自己。",
        ),
    ],
    Wish.SHOWCASE: [
        (
            "扎根讲台二十年——记{org}的一位老党员",
            "他是同学们口中的“老师傅”，二十年来坚持给本科生上基础课。\n"
            "每学期开学前，他都要把讲义重新修改一遍，把最新的科研成果带进课堂。\n"
            "他说：“作为一名党员，把学生教好就是最大的本分。”",
        ),
        (
            "实验室里的“守夜人”",
            "深夜的实验楼里，总有一盏灯亮着。\n"
            "她是{org}的一名研究生党员，负责实验室安全管理已经三年。\n"
            "三年来实验室没有发生一起安全事故，她也多次被评为优秀共产党员。",
        ),
        (
            "支教一年，我和孩子们一起成长",
            "去年夏天，我作为研究生支教团成员来到西部一所乡村中学。\n"
            "一年里，我教数学，也带孩子们办起了科技兴趣小组。\n"
            "离开的那天，孩子们送我一本手写的留言册，我会一直珍藏。",
        ),
    ],
    Wish.RESEARCH: [
        (
            "关于提升高校学生党支部组织力的几点思考",
            "学生党支部流动性强、党员年级跨度大，是组织建设的难点。\n"
            "本文结合{org}的实践，提出以项目化方式推动支部工作的建议。\n"
            "一是以学科竞赛和社会实践为载体，二是建立高年级党员“传帮带”机制，三是用好线上平台。",
        ),
        (
            "“三会一课”数字化管理的实践探索",
            "随着智慧党建平台的上线，“三会一课”的记录和提醒实现了线上化。\n"
            "{org}试点半年来，会议记录的完整率明显提高，党员参会情况一目了然。\n"
            "文章分析了试点中遇到的问题，并提出改进建议。",
        ),
    ],
}
NOTES = [
    "",
    "",
    "照片由支部宣传委员拍摄。",
    "如需修改，请联系我，电话在个人资料里。",
    "活动时间是上周六上午。",
]
RETURN_COMMENTS = [
    "请补充活动的具体时间、地点和参加人数，并再精炼一下结尾。",
    "标题可以更具体一些；第二段请补充一两个细节。",
    "请核实文中提到的数字，并附一两张现场照片。",
]
REJECT_REASONS = [
    "内容与近期已发布的报道重复，暂不采用，欢迎继续投稿。",
    "篇幅过短，信息量不足，建议扩充后作为新稿件投来。",
]
HELD_TEXT = "寒假有同学在群里发兼职刷单返利的广告，提醒大家注意辨别，不要上当。"
COLORS = [(200, 22, 29), (37, 99, 235), (31, 157, 85), (201, 162, 39), (100, 106, 115)]


def _picture(rng: random.Random, name: str) -> SimpleUploadedFile:
    """A small landscape: sky, hills and a sun, in one of a few colors."""
    image = Image.new("RGB", (960, 640), (236, 240, 245))
    draw = ImageDraw.Draw(image)
    color = rng.choice(COLORS)
    for band in range(3):
        top = 380 + band * 70 + rng.randint(-30, 30)
        shade = tuple(max(0, c - band * 40) for c in color)
        draw.polygon([(0, 640), (0, top), (480, top - 120), (960, top), (960, 640)], fill=shade)
    x = rng.randint(120, 840)
    draw.ellipse((x - 50, 80, x + 50, 180), fill=(255, 214, 102))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _authors(rng: random.Random) -> list[User]:
    """member1 first, then other members with an account (the demo's own and those the
    moderation demo opened)."""
    rows = list(
        User.objects.filter(
            member_record__isnull=False,
            member_record__standing=Standing.ACTIVE,
            admin_role="",
            is_active=True,
        )
        .exclude(username__in=["editor1", "orgdept"])
        .order_by("pk")
    )
    first = [u for u in rows if u.username == "member1"]
    others = [u for u in rows if u.username != "member1"]
    return first + rng.sample(others, min(24, len(others)))


def _backdate(contribution: Contribution, when: dt.datetime, step: dt.timedelta) -> None:
    """Spread the contribution's history from `when`, one step apart, as it happened (the
    audit log keeps the real times: it is never changed)."""
    events = list(Event.objects.filter(contribution=contribution).order_by("id"))
    for index, event in enumerate(events):
        Event.objects.filter(pk=event.pk).update(created_at=when + step * index)
    last = when + step * max(0, len(events) - 1)
    Contribution.objects.filter(pk=contribution.pk).update(
        created_at=when,
        submitted_at=when,
        updated_at=last,
        decided_at=last if contribution.decided_at else None,
    )
    mine = reverse("contributions:mine-detail", args=[contribution.pk])
    told = Notification.objects.filter(kind__startswith="contributions.", link=mine)
    for index, notification in enumerate(told.order_by("id")):
        Notification.objects.filter(pk=notification.pk).update(created_at=when + step * (index + 1))
    if contribution.item_id:
        Item.objects.filter(pk=contribution.item_id).update(
            created_at=last, publish_at=last, announced_at=last
        )
        Notification.objects.filter(
            kind="contributions.published",
            link=reverse("content:item-detail", args=[contribution.item_id]),
        ).update(created_at=last)


def seed(context: DemoContext) -> None:
    rng = context.rng
    editor = User.objects.filter(username="editor1").first()
    authors = _authors(rng)
    if editor is None or not authors:
        context.log("contributions: no editor or no authors; skipped")
        return
    now = timezone.now()
    made = 0
    for index, (author, state, days_ago) in enumerate(_plan(authors, rng)):
        member = Member.objects.select_related("organization").get(user=author)
        section = rng.choice([Wish.NEWS, Wish.NEWS, Wish.SHOWCASE, Wish.RESEARCH])
        title, text = rng.choice(ARTICLES[section])
        org = member.organization.short_name or member.organization.name
        pictures = []
        if rng.random() < 0.4 or (state == "published" and index % 2 == 0):
            for n in range(rng.randint(1, 3)):
                file = _picture(rng, f"photo-{index + 1}-{n + 1}.jpg")
                pictures.append(content.upload_create(actor=author, file=file, kind="image"))
        try:
            result = services.contribution_submit(
                actor=author,
                data=services.ArticleInput(
                    title=title.format(org=org),
                    text=HELD_TEXT if state == "held" else text.format(org=org),
                    section=section,
                    note=rng.choice(NOTES),
                    desk=services.Desk.UNIVERSITY if index % 4 == 0 else services.Desk.COMMITTEE,
                    pictures=pictures,
                ),
            )
        except ValidationError:  # refused by moderation: recorded there, nothing stored
            continue
        contribution = result.contribution
        _advance(contribution, state, editor, rng)
        contribution.refresh_from_db()
        when = now - dt.timedelta(days=days_ago, hours=rng.randint(1, 10))
        _backdate(contribution, when, dt.timedelta(hours=rng.randint(5, 40)))
        made += 1
    context.log(f"contributions: {made} contributions, decided by {editor.username}")


def _plan(authors: list[User], rng: random.Random) -> list[tuple[User, str, int]]:
    """(author, state, days ago) for each contribution, oldest first: the old ones decided,
    the recent ones waiting. member1 (the first author) has one of each kind of outcome."""
    total = max(18, min(48, len(authors) * 2))
    rows = []
    for index in range(total):
        days = max(1, int(365 * (1 - index / total)) - rng.randint(0, 5))
        if days < 10:
            state = rng.choice(["submitted", "submitted", "accepted", "returned", "held"])
        elif days < 40:
            state = rng.choice(["published", "accepted", "returned", "rejected", "submitted"])
        else:
            state = rng.choice(
                ["published", "published", "published", "rejected", "withdrawn", "revised"]
            )
        rows.append(
            (
                authors[1 + index % (len(authors) - 1)] if len(authors) > 1 else authors[0],
                state,
                days,
            )
        )
    # Every state at least once, whatever the dice said; member1 (the first author) has one
    # of each kind of outcome.
    others = authors[1:] or authors
    rows += [
        (others[0], "withdrawn", 200),
        (others[-1], "resubmitted", 5),
        (others[-1], "revised", 90),
        (others[len(others) // 2], "accepted", 6),
        (others[0], "held", 2),
    ]
    first = authors[0]
    rows += [
        (first, "published", 300),
        (first, "rejected", 120),
        (first, "returned", 3),
        (first, "submitted", 1),
    ]
    rows.sort(key=lambda row: -row[2])
    return rows


def _advance(contribution: Contribution, state: str, editor: User, rng: random.Random) -> None:
    """Take a submitted contribution to `state` the way the editor would."""
    if state in ("submitted", "held"):
        return
    if state == "withdrawn":
        services.contribution_withdraw(actor=contribution.author, contribution=contribution)
        return
    if state == "rejected":
        services.contribution_reject(
            actor=editor, contribution=contribution, reason=rng.choice(REJECT_REASONS)
        )
        return
    if state in ("returned", "resubmitted"):
        services.contribution_return(
            actor=editor, contribution=contribution, comment=rng.choice(RETURN_COMMENTS)
        )
        if state == "resubmitted":
            services.contribution_resubmit(actor=contribution.author, contribution=contribution)
        return
    if state == "revised":  # returned, revised, sent again, accepted and published
        services.contribution_return(
            actor=editor, contribution=contribution, comment=rng.choice(RETURN_COMMENTS)
        )
        services.contribution_resubmit(actor=contribution.author, contribution=contribution)
        state = "published"
    services.contribution_accept(actor=editor, contribution=contribution)
    if state == "published":
        pictures = selectors.pictures(contribution)
        services.contribution_publish(
            actor=editor,
            contribution=contribution,
            data=services.PublishInput(
                title=contribution.title,
                body=contribution.body,
                section=contribution.section,
                whole_university=True,
                pictures=pictures,
                cover=bool(pictures),
            ),
        )

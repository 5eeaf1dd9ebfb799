"""Demo data for comments: readers' comments and replies on the published items that take
comments, written through the services (so the moderation service screens every one of them),
with likes, a few reports, one comment hidden by a moderator and one deleted by its author.
Registered as a `seed_demo` step (dangjian.lib.demo); does nothing when no item takes comments.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.comments import selectors, services
from dangjian.comments.models import Comment, CommentReport
from dangjian.content.models import Item
from dangjian.content.selectors import live_q
from dangjian.content.services import audience
from dangjian.lib.demo import DemoContext
from dangjian.notifications.models import Notification

MAX_ITEMS = 40
READERS_PER_ITEM = 14
TOPS = [
    "学习了！文章把会议精神讲得很透彻，我们支部下周组织专题学习。",
    "这次主题党日活动很有意义，参观结束后大家讨论得很热烈。",
    "作为一名预备党员，读完很受触动，要把学到的用到科研和教学中去。",
    "建议把相关的学习材料也放在附件里，方便支部组织学习时使用。",
    "为身边的优秀党员点赞！平时在实验室就是大家的主心骨。",
    "活动报名方式是什么？我们支部有几位同志想一起参加。",
    "内容很实在，尤其是关于基层党建工作的几点做法，值得借鉴。",
    "期待学院多组织这样的交流活动，让青年教师党员有更多机会学习。",
    "去年参加过一次，收获很大，今年继续报名。",
    "照片拍得真好，看得出来大家都很投入。",
    "支部书记的党课讲得生动，结合了很多身边的例子。",
    "请问研究生党员也可以参加这次志愿服务吗？",
    "已转到支部群里，大家一起学习。",
    "老党员的讲述让人动容，要把优良传统传承下去。",
    "这个做法很好，“三会一课”就应该这样落到实处。",
    "希望下次活动能安排在周末，方便更多同学参加。",
    "结合岗位谈体会：要在本职工作中发挥先锋模范作用，把服务同学落到细处。",
    "新闻写得很好，把活动的亮点都呈现出来了。",
    "作为入党积极分子，看到这些报道更坚定了入党的决心。",
    "建议增加线上直播，在校外实习的同学也能参与。\n另外能否提供回放？",
]
REPLIES = [
    "同感，我们支部也在准备。",
    "谢谢分享，已收藏。",
    "报名表在学院党委办公室领取，也可以联系支部组织委员。",
    "可以的，研究生党员欢迎参加。",
    "说得好，一起努力！",
    "附件已经补上了，在文末可以下载。",
    "我们下周三下午有集中学习，欢迎来交流。",
    "赞同，线上线下结合效果更好。",
    "已转发给支部同志。",
    "感谢老师们的辛苦组织！",
]
# Written now and then: the moderation service masks, holds or refuses them.
MASKED = [
    "有问题可以打我电话13912345678，我帮大家统一报名。",
    "需要学习资料的同学加我微信，手机号15811112222，我统一发。",
    "报名可以直接联系我13600001111，名额不多。",
]
HELD = [
    "寒假兼职刷单返利，日赚千元，有意者私聊加微。",
    "专业代写论文，包过查重，价格优惠。",
]
REPORT_REASONS = ["广告或垃圾信息", "与主题无关", "泄露个人信息"]
HIDE_REASON = "含个人联系方式和报名引流信息，已隐藏；报名请通过支部统一组织。"


def _readers(item: Item, context: DemoContext) -> list[User]:
    pks = list(audience(item).order_by("pk").values_list("pk", flat=True)[:2000])
    chosen = context.rng.sample(pks, min(READERS_PER_ITEM, len(pks)))
    return list(User.objects.filter(pk__in=chosen).order_by("pk"))


def _post(
    author: User, item: Item, text: str, when: dt.datetime, parent: Comment | None = None
) -> Comment | None:
    try:
        result = services.comment_post(actor=author, item=item, text=text, parent=parent)
    except (ValidationError, PermissionDenied):  # refused: the moderation service recorded it
        return None
    comment = result.comment
    # Dated when it was written, so it also counts no more against its author's rate limit.
    Comment.objects.filter(pk=comment.pk).update(created_at=when)
    comment.created_at = when
    Notification.objects.filter(link=services.link(comment)).update(created_at=when)
    return comment


def _item_thread(item: Item, context: DemoContext, moderator: Any) -> int:
    rng = context.rng
    readers = _readers(item, context)
    if len(readers) < 3:
        return 0
    start = item.publish_at or timezone.now() - dt.timedelta(days=3)
    span = max(60.0, (timezone.now() - start).total_seconds() * 0.8)
    times = sorted(rng.uniform(0, span) for _ in range(rng.randint(2, 9)))
    written = 0
    shown: list[Comment] = []
    for offset in times:
        author = rng.choice(readers)
        roll = rng.random()
        pool = TOPS if roll < 0.9 else MASKED if roll < 0.95 else HELD
        when = start + dt.timedelta(seconds=offset)
        if shown and rng.random() < 0.35:
            parent = rng.choice(shown)
            when = max(when, parent.created_at + dt.timedelta(minutes=rng.randint(3, 300)))
            comment = _post(author, item, rng.choice(REPLIES), min(when, timezone.now()), parent)
        else:
            comment = _post(author, item, rng.choice(pool), when)
        if comment is None:
            continue
        written += 1
        if comment.state == Comment.State.VISIBLE:
            shown.append(comment)
    for comment in shown:
        for liker in rng.sample(readers, rng.randint(0, min(6, len(readers)))):
            services.comment_like(actor=liker, comment=comment)
    _report_and_hide(item, shown, readers, context, moderator)
    return written


def _report_and_hide(
    item: Item,
    shown: list[Comment],
    readers: list[User],
    context: DemoContext,
    moderator: Any,
) -> None:
    """Readers report the comments that leave a phone number for sign-ups (the moderator
    hides them) and now and then a harmless one (the moderator keeps it, or has not yet
    looked). Reports are dated some hours after the comment, the hiding after the reports."""
    rng = context.rng
    now = timezone.now()
    for comment in shown:
        masked = "*" in comment.text
        if not masked and rng.random() > 0.05:
            continue
        others = [r for r in readers if r.pk != comment.author_id]
        count = rng.randint(1, 3) if masked else 1
        last = comment.created_at
        for reporter in rng.sample(others, min(len(others), count)):
            reason = REPORT_REASONS[2] if masked else rng.choice(REPORT_REASONS[:2])
            report = services.comment_report(actor=reporter, comment=comment, reason=reason)
            last = min(now, last + dt.timedelta(minutes=rng.randint(20, 600)))
            CommentReport.objects.filter(pk=report.pk).update(created_at=last)
        if masked and moderator is not None and selectors.may_moderate(moderator, item):
            services.comment_hide(actor=moderator, comment=comment, reason=HIDE_REASON)
            when = min(now, last + dt.timedelta(minutes=rng.randint(30, 900)))
            Comment.objects.filter(pk=comment.pk).update(hidden_at=when)
            CommentReport.objects.filter(comment=comment).update(resolved_at=when)
            Notification.objects.filter(link=services.link(comment)).update(created_at=when)


def seed(context: DemoContext) -> None:
    items = list(
        Item.objects.filter(live_q(), comments_enabled=True)
        .select_related("owner")
        .order_by("-publish_at", "-pk")[:MAX_ITEMS]
    )
    if not items:
        context.log("comments: no published item takes comments; nothing written")
        return
    moderator = User.objects.filter(username="editor1").first()
    written = sum(_item_thread(item, context, moderator) for item in items)
    # One author took back a comment that others had answered: its thread keeps the replies.
    answered = (
        Comment.objects.filter(item__in=items, parent=None, state=Comment.State.VISIBLE)
        .filter(replies__state=Comment.State.VISIBLE)
        .select_related("author", "item__owner")
        .order_by("pk")
        .first()
    )
    if answered is not None and answered.author is not None:
        services.comment_delete(actor=answered.author, comment=answered)
    context.log(f"comments: {written} comments and replies on {len(items)} items")

"""Demo data for moderation: members' self-introductions written through the real service
over the last three months, so the review queue, the decided items and the monitoring page
have something true to show. Registered as a `seed_demo` step (dangjian.lib.demo)."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.lib.demo import DemoContext
from dangjian.members.choices import Standing
from dangjian.members.models import Member
from dangjian.members.services.statement import statement_update
from dangjian.moderation import dictionary, services
from dangjian.moderation.models import Screening, ScreeningHit
from dangjian.notifications.models import Notification

CLEAN = [
    "热爱教学工作，坚持把立德树人作为根本任务，积极参加支部组织生活。",
    "2019年入党，现任班级团支书，愿意为同学们多做实事。",
    "研究方向为材料科学，业余时间参加社区志愿服务。",
    "坚持学习党的创新理论，争做新时代合格党员。",
    "喜欢读书和长跑，参加过学校马拉松志愿者服务。",
    "在实验室负责安全管理工作，欢迎同学们随时交流。",
    "退休前在图书馆工作，现在参加老党员宣讲团，给新生讲校史。",
    "作为支部宣传委员，负责支部公众号的内容编辑。",
    "参加过乡村振兴社会实践，希望继续扎根基层。",
    "担任本科生导师，关心学生成长，乐于分享学习方法。",
]
MASKED = [
    "有事可以打我电话13912345678，或者到办公室找我。",
    "上次讨论会上有人说别人是脑残，我觉得这样不好。",
    "同学们有问题随时联系：微信同号15811112222。",
    "别再说什么卧槽了，注意文明用语。",
]
HELD = [
    "寒假兼职刷单返利，日赚千元，有意者私聊加微。",
    "专业代写论文，包过查重，价格优惠。",
    "出售四六级答案，考前一周发货。",
    "有人在宿舍楼发真相资料，大家注意辨别。",
    "征信修复、无抵押贷款，学生也可以办理。",
]
REFUSED = [
    "推荐一个网上赌场，稳赢不亏。",
    "出售仿真枪，学校附近可以面交。",
]
REASONS_REJECTED = [
    "含广告引流信息，不予发布。",
    "内容与个人简介无关，且涉及违规信息。",
    "涉及考试作弊信息，已通知所在支部。",
]


def _writers(count: int, rng: random.Random) -> list[Member]:
    """Members without an account get one (no password: they would sign in through the
    university's single sign-on) so their texts have an author to notify."""
    candidates = list(
        Member.objects.filter(standing=Standing.ACTIVE, user__isnull=True)
        .exclude(staff_number="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(candidates, min(count, len(candidates)))  # a seed, the same writers
    members = list(Member.objects.filter(pk__in=chosen).order_by("pk"))
    users = []
    for member in members:
        user = User(username=f"demo{member.pk}", display_name=member.name)
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    for member, user in zip(members, users, strict=True):
        member.user = user
    Member.objects.bulk_update(members, ["user"])
    return members


def _spread(ids: list[int], context: DemoContext, days: int = 90) -> None:
    """Date each screening somewhere in the last `days` days, busier in recent weeks."""
    now = timezone.now()
    for screening_id in ids:
        age = dt.timedelta(days=min(days - 1, context.rng.expovariate(1 / 20)))
        when = now - age - dt.timedelta(minutes=context.rng.randint(0, 600))
        Screening.objects.filter(pk=screening_id).update(created_at=when)
        ScreeningHit.objects.filter(screening_id=screening_id).update(created_at=when)


def seed(context: DemoContext) -> None:
    dictionary.forget()
    total = max(40, min(160, Member.objects.count() // 60))
    writers = _writers(total, context.rng)
    rng = context.rng
    plan: list[tuple[Member, str]] = []
    for index, member in enumerate(writers):
        roll = rng.random()
        pool = CLEAN if roll < 0.7 else MASKED if roll < 0.82 else HELD if roll < 0.95 else REFUSED
        plan.append((member, pool[index % len(pool)]))
    for member, text in plan:
        assert member.user is not None
        with contextlib.suppress(ValidationError):  # refused: recorded by the service
            statement_update(member=member, actor=member.user, text=text)
    flagged = list(Screening.objects.order_by("id").values_list("id", flat=True))
    _spread(flagged, context)
    _decide_older(context)
    context.log(f"moderation: {len(plan)} self-introductions, {len(flagged)} flagged")


def _decide_older(context: DemoContext) -> None:
    """The editor has worked through what came in before the last few days."""
    editor: Any = User.objects.filter(username="editor1").first()
    if editor is None:
        return
    cutoff = timezone.now() - dt.timedelta(days=4)
    held = Screening.objects.filter(state=Screening.State.HELD, created_at__lt=cutoff)
    for index, screening in enumerate(held.order_by("created_at")):
        with transaction.atomic():
            if screening.hits.filter(category="political").exists() or index % 4 == 0:
                services.screening_approve(screening, actor=editor, reason="已核实，内容无害。")
            else:
                reason = REASONS_REJECTED[index % len(REASONS_REJECTED)]
                services.screening_reject(screening, actor=editor, reason=reason)
        decided = screening.created_at + dt.timedelta(hours=context.rng.randint(2, 40))
        Screening.objects.filter(pk=screening.pk).update(decided_at=decided)
        told = Notification.objects.filter(created_by=editor).order_by("-pk").first()
        if told is not None:  # the message to the author went out when the editor decided
            Notification.objects.filter(pk=told.pk).update(created_at=decided)

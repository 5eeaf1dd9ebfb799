from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from dangjian.notifications import channels, selectors
from dangjian.notifications.models import ChannelDelivery, Delivery, Notification
from dangjian.notifications.services import MAX_ATTEMPTS, notify
from dangjian.notifications.tasks import channel_send_task
from dangjian.testing.base import BaseTestCase

Status = ChannelDelivery.Status
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        raise OSError("connection refused")


class FailingFor(locmem.EmailBackend):
    """Refuses mail to one address, delivers the rest."""

    def send_messages(self, messages):
        if any("bad@" in address for message in messages for address in message.to):
            raise OSError("mailbox unavailable")
        return super().send_messages(messages)


@override_settings(
    EMAIL_BACKEND=LOCMEM,
    SITE_URL="https://dj.example.edu.cn/",
    DEFAULT_FROM_EMAIL="dangjian@example.edu.cn",
)
class EmailChannelTestCase(BaseTestCase):
    def setUp(self):
        self.member1 = self.uni.user("member1")
        self.outsider = self.uni.user("outsider")
        self.secretary1 = self.uni.user("secretary1")
        self.member1.email = "member1@example.edu.cn"
        self.outsider.email = "outsider@example.edu.cn"
        self.secretary1.email = ""
        for user in (self.member1, self.outsider, self.secretary1):
            user.save(update_fields=["email"])

    def send(self, recipients=None, **kwargs):
        kwargs.setdefault("kind", "test.sent")
        kwargs.setdefault("title", "支部大会通知")
        kwargs.setdefault("channels", ("inapp", "email"))
        if recipients is None:
            recipients = [self.member1, self.outsider, self.secretary1]
        with self.captureOnCommitCallbacks(execute=True):
            notification = notify(recipients, **kwargs)
        return notification

    def rows(self, notification):
        return {
            row.recipient_id: row
            for row in ChannelDelivery.objects.filter(notification=notification, channel="email")
        }

    def test_it_sends_after_commit_only(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            notification = notify(
                [self.member1], kind="test.sent", title="t", channels=("inapp", "email")
            )
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.rows(notification)[self.member1.pk].status, Status.QUEUED)
        for callback in callbacks:
            callback()
        self.assertEqual(len(mail.outbox), 1)

    def test_it_sends_one_message_per_recipient_with_an_address(self):
        notification = self.send()
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            ["member1@example.edu.cn", "outsider@example.edu.cn"],
        )
        self.assertTrue(all(len(message.to) == 1 for message in mail.outbox))
        rows = self.rows(notification)
        self.assertEqual(rows[self.member1.pk].status, Status.SENT)
        self.assertIsNotNone(rows[self.member1.pk].sent_at)
        self.assertEqual(rows[self.outsider.pk].status, Status.SENT)
        self.assertEqual(rows[self.secretary1.pk].status, Status.SKIPPED)
        self.assertIsNone(rows[self.secretary1.pk].sent_at)
        self.assertEqual(
            selectors.channel_report(notification), {"email": {"sent": 2, "skipped": 1}}
        )

    def test_it_still_delivers_to_every_inbox(self):
        notification = self.send()
        self.assertEqual(
            set(notification.deliveries.values_list("recipient_id", flat=True)),
            {self.member1.pk, self.outsider.pk, self.secretary1.pk},
        )

    def test_it_writes_the_subject_body_and_link(self):
        self.send(
            [self.member1], title="支部大会\n通知", body="周五下午三点。\n", link="/orglife/7/"
        )
        (message,) = mail.outbox
        self.assertEqual(message.subject, "[Smart Party Building] 支部大会 通知")
        self.assertEqual(
            message.body,
            "周五下午三点。\n\nOpen it on the site: https://dj.example.edu.cn/orglife/7/",
        )
        self.assertEqual(message.from_email, "dangjian@example.edu.cn")
        self.assertEqual(message.content_subtype, "plain")

    def test_it_sends_the_body_alone_without_a_link(self):
        self.send([self.member1], body="正文")
        self.assertEqual(mail.outbox[0].body, "正文")

    def test_it_writes_the_subject_in_chinese_by_default(self):
        with self.settings(LANGUAGE_CODE="zh-hans"):
            self.send([self.member1], title="通知", link="/x/")
        # "[%(site)s] %(title)s" reads "【%(site)s】%(title)s" once its translation is merged.
        self.assertIn("智慧党建", mail.outbox[0].subject)
        self.assertTrue(mail.outbox[0].subject.endswith("通知"))
        self.assertIn("https://dj.example.edu.cn/x/", mail.outbox[0].body)

    def test_it_reuses_one_connection_per_batch(self):
        with mock.patch.object(
            locmem.EmailBackend, "open", autospec=True, return_value=True
        ) as opened:
            self.send()
        self.assertEqual(opened.call_count, 1)
        self.assertEqual(len(mail.outbox), 2)

    def test_it_sends_in_batches(self):
        with mock.patch.object(channels.EmailChannel, "batch_size", 1):
            notification = self.send()
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(
            selectors.channel_report(notification), {"email": {"sent": 2, "skipped": 1}}
        )

    def test_it_is_idempotent(self):
        notification = self.send()
        channel_send_task.delay(notification.pk, "email")
        channel_send_task.delay(notification.pk, "email")
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(ChannelDelivery.objects.filter(attempts=1).count(), 3)

    def test_it_leaves_rows_another_run_holds(self):
        with self.captureOnCommitCallbacks(execute=False):
            notification = notify(
                [self.member1], kind="test.sent", title="t", channels=("inapp", "email")
            )
        ChannelDelivery.objects.update(claim="other", claimed_at=timezone.now())
        channel_send_task.delay(notification.pk, "email")
        self.assertEqual(mail.outbox, [])
        # A claim older than the timeout belongs to a run that died: taken over.
        ChannelDelivery.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
        channel_send_task.delay(notification.pk, "email")
        self.assertEqual(len(mail.outbox), 1)

    @override_settings(EMAIL_BACKEND=f"{__name__}.FailingBackend")
    def test_a_failing_backend_marks_failed_after_retries(self):
        notification = self.send()
        rows = self.rows(notification)
        for pk in (self.member1.pk, self.outsider.pk):
            self.assertEqual(rows[pk].status, Status.FAILED)
            self.assertEqual(rows[pk].attempts, MAX_ATTEMPTS)
            self.assertEqual(rows[pk].error, "OSError: connection refused")
        self.assertEqual(rows[self.secretary1.pk].status, Status.SKIPPED)
        self.assertEqual(mail.outbox, [])
        # The inbox is intact, and a later run sends nothing more.
        self.assertEqual(Delivery.objects.filter(notification=notification).count(), 3)
        self.assertEqual(selectors.unread_count(self.member1), 1)
        channel_send_task.delay(notification.pk, "email")
        self.assertEqual(self.rows(notification)[self.member1.pk].attempts, MAX_ATTEMPTS)

    @override_settings(EMAIL_BACKEND=f"{__name__}.FailingFor")
    def test_one_failing_address_does_not_stop_the_others(self):
        self.outsider.email = "bad@example.edu.cn"
        self.outsider.save(update_fields=["email"])
        notification = self.send()
        rows = self.rows(notification)
        self.assertEqual(rows[self.member1.pk].status, Status.SENT)
        self.assertEqual(rows[self.member1.pk].attempts, 1)
        self.assertEqual(rows[self.outsider.pk].status, Status.FAILED)
        self.assertEqual(rows[self.outsider.pk].attempts, MAX_ATTEMPTS)
        self.assertEqual([m.to for m in mail.outbox], [["member1@example.edu.cn"]])

    def test_it_retries_and_then_sends(self):
        real_open = locmem.EmailBackend.open
        calls = []

        def flaky_open(backend):
            calls.append(1)
            if len(calls) == 1:
                raise OSError("timed out")
            return real_open(backend)

        with mock.patch.object(locmem.EmailBackend, "open", flaky_open):
            notification = self.send([self.member1])
        row = self.rows(notification)[self.member1.pk]
        self.assertEqual((row.status, row.attempts, row.error), (Status.SENT, 2, ""))
        self.assertEqual(len(mail.outbox), 1)

    def test_a_broken_channel_never_breaks_the_caller(self):
        with mock.patch.object(channels.EmailChannel, "deliver", side_effect=RuntimeError("bug")):
            notification = self.send([self.member1])
        row = self.rows(notification)[self.member1.pk]
        self.assertEqual((row.status, row.error), (Status.FAILED, "RuntimeError: bug"))
        self.assertEqual(notification.deliveries.count(), 1)

    def test_a_broker_that_is_down_leaves_the_rows_for_the_sweep(self):
        with mock.patch.object(channel_send_task, "delay", side_effect=ConnectionError("down")):
            notification = self.send([self.member1])  # no exception
        self.assertEqual(self.rows(notification)[self.member1.pk].status, Status.QUEUED)
        Notification.objects.update(created_at=timezone.now() - timedelta(hours=1))
        out = StringIO()
        call_command("send_queued_notifications", stdout=out)
        self.assertEqual(out.getvalue().strip(), "1 notification channel(s) sent")
        self.assertEqual(self.rows(notification)[self.member1.pk].status, Status.SENT)
        self.assertEqual(len(mail.outbox), 1)

    def test_it_skips_accounts_deactivated_before_sending(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            notification = notify(
                [self.member1], kind="test.sent", title="t", channels=("inapp", "email")
            )
        self.member1.is_active = False
        self.member1.save(update_fields=["is_active"])
        for callback in callbacks:
            callback()
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.rows(notification)[self.member1.pk].status, Status.SKIPPED)

    def test_it_ignores_a_deleted_notification(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            notify([self.member1], kind="test.sent", title="t", channels=("email",))
        Notification.objects.all().delete()
        for callback in callbacks:
            callback()
        self.assertEqual(mail.outbox, [])


class ChannelChoiceTestCase(BaseTestCase):
    def test_it_stays_in_app_by_default(self):
        member1 = self.uni.user("member1")
        member1.email = "member1@example.edu.cn"
        member1.save(update_fields=["email"])
        with self.captureOnCommitCallbacks(execute=True):
            notification = notify([member1], kind="test.sent", title="t")
        self.assertEqual(notification.deliveries.count(), 1)
        self.assertFalse(ChannelDelivery.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_in_app_is_always_on(self):
        with self.captureOnCommitCallbacks(execute=True):
            notification = notify(
                [self.uni.user("member1")], kind="test.sent", title="t", channels=["email"]
            )
        self.assertEqual(notification.deliveries.count(), 1)
        self.assertEqual(ChannelDelivery.objects.filter(notification=notification).count(), 1)

    def test_it_refuses_an_unknown_channel(self):
        for codes in [["sms"], ["inapp", "fax"], [""]]:
            with self.subTest(codes=codes), self.assertRaises(ValidationError) as caught:
                notify([self.uni.user("member1")], kind="test.sent", title="t", channels=codes)
            self.assertIn("channels", caught.exception.message_dict)
        self.assertFalse(Notification.objects.exists())

    def test_it_refuses_one_string_for_the_list(self):
        with self.assertRaises(TypeError):
            notify([self.uni.user("member1")], kind="test.sent", title="t", channels="email")

    def test_it_queues_each_channel_once(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            notify(
                [self.uni.user("member1")],
                kind="test.sent",
                title="t",
                channels=["email", "inapp", "email"],
            )
        self.assertEqual(ChannelDelivery.objects.count(), 1)
        sends = [c for c in callbacks if c.__name__ == "channel_send_enqueue"]
        self.assertEqual(len(sends), 1)

    def test_other_apps_register_channels(self):
        sent: list[int] = []

        class Pigeon(channels.Channel):
            code = "pigeon"

            def deliver(self, notification, recipients):
                sent.extend(user.pk for user in recipients)
                return [channels.Result(user.pk, Status.SENT) for user in recipients]

        channels.register(Pigeon())
        self.addCleanup(channels._registry.pop, "pigeon")
        member1 = self.uni.user("member1")
        with self.captureOnCommitCallbacks(execute=True):
            notification = notify([member1], kind="test.sent", title="t", channels=["pigeon"])
        self.assertEqual(sent, [member1.pk])
        self.assertIn("pigeon", channels.codes())
        self.assertEqual(selectors.channel_report(notification), {"pigeon": {"sent": 1}})

from __future__ import annotations

import base64
import io

from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from dangjian.lib import crypto
from dangjian.members.models import Member
from dangjian.testing.base import BaseTestCase

NEW = "k2:" + base64.b64encode(b"N" * 32).decode()


class KeyRotationTestCase(BaseTestCase):
    def test_rotation_reseals_every_value_with_the_new_key(self):
        from django.conf import settings

        member = self.uni.members["member1"]
        with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW},{settings.FIELD_ENCRYPTION_KEYS}"):
            call_command("rotate_field_keys", stdout=io.StringIO())
            with connection.cursor() as cursor:
                cursor.execute("SELECT id_number FROM members_member")
                key_ids = {crypto.key_id_of(row[0]) for row in cursor.fetchall()}
            self.assertEqual(key_ids, {"k2"})
        with override_settings(FIELD_ENCRYPTION_KEYS=NEW):
            self.assertEqual(Member.objects.get(pk=member.pk).id_number, member.id_number)

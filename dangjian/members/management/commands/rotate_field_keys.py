from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from dangjian.lib import crypto
from dangjian.members.models import Member

FIELDS = ["id_number", "phone", "address"]


class Command(BaseCommand):
    help = (
        "Re-encrypt members' ID numbers, phones and addresses with the first key of "
        "FIELD_ENCRYPTION_KEYS; run after putting a new key in front, before retiring the old."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        current = crypto.current_key_id()
        done = 0
        ids = list(Member.objects.order_by("id").values_list("id", flat=True))
        for start in range(0, len(ids), 2000):
            with transaction.atomic():
                batch = list(Member.objects.filter(id__in=ids[start : start + 2000]).only(*FIELDS))
                # Reading decrypts with whichever key sealed the value; saving seals with the
                # current one.
                Member.objects.bulk_update(batch, FIELDS, batch_size=500)
                done += len(batch)
        self.stdout.write(f"{done} records re-encrypted with key {current!r}.")

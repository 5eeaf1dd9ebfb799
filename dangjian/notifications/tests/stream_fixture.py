"""Accounts and messages in a real database, for the stream's server tests and bench.

    python -m dangjian.notifications.tests.stream_fixture users N    # prints {username: cookie}
    python -m dangjian.notifications.tests.stream_fixture notify TITLE
    python -m dangjian.notifications.tests.stream_fixture ids        # {username: [delivery ids]}

Run with SQLITE_PATH (or DATABASE_URL) naming a migrated database. The accounts are named
stream-0001 ...; `notify` sends one message to each of them.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta

PREFIX = "stream-"


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.lib import bulk
    from dangjian.notifications.models import Delivery
    from dangjian.notifications.services import notify

    command = argv[0]
    users = User.objects.filter(username__startswith=PREFIX).order_by("username")
    if command == "users":
        count = int(argv[1])
        hashed = User(username="x")
        hashed.set_password("Stream@2026-not-used")
        bulk.create(
            User,
            [
                User(
                    username=f"{PREFIX}{i:05d}",
                    password=hashed.password,
                    password_changed_at=timezone.now(),
                )
                for i in range(count)
                if not users.filter(username=f"{PREFIX}{i:05d}").exists()
            ],
        )
        cookies = {}
        sessions = []
        expires = timezone.now() + timedelta(days=1)
        for user in users:
            store = SessionStore()
            key = store._get_new_session_key()
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "dangjian.accounts.backends.AccountBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            sessions.append(Session(session_key=key, session_data=store.encode(data),
                                    expire_date=expires))  # fmt: skip
            cookies[user.username] = f"{settings.SESSION_COOKIE_NAME}={key}"
        bulk.create(Session, sessions)
        print(json.dumps(cookies))
    elif command == "notify":
        notify(list(users), kind="test.stream", title=argv[1], body="正文", link="/notifications/")
        print(time.time())  # when it committed
    elif command == "ids":
        ids: dict[str, list[int]] = {user.username: [] for user in users}
        rows = Delivery.objects.filter(recipient__username__startswith=PREFIX).order_by("pk")
        for username, pk in rows.values_list("recipient__username", "pk"):
            ids[username].append(pk)
        print(json.dumps(ids))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

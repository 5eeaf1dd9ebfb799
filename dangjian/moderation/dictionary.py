"""The engine each process holds, built from the database and kept current.

Every change to the dictionary bumps `Dictionary.version` (services.py). A process compares
its engine's version with the row at most once every `MODERATION_RELOAD_SECONDS` (one indexed
read) and rebuilds when they differ, so a change reaches every web and worker process within
seconds, with no restart and no message bus: the embedded default behaves like production.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dangjian.moderation.engine import Action, Engine, Policy
from dangjian.moderation.engine import Term as EngineTerm
from dangjian.moderation.models import AllowedPhrase, Category, Dictionary, Term
from dangjian.moderation.normalize import fold_table, normalize_term

DICTIONARY_ID = 1


def dictionary_row() -> Dictionary:
    row = Dictionary.objects.filter(pk=DICTIONARY_ID).first()
    if row is None:
        row, _ = Dictionary.objects.get_or_create(pk=DICTIONARY_ID)
    return row


def current_version() -> int:
    return _stamp()[0]


Stamp = tuple[int, object]


def _stamp() -> Stamp:
    """The version and time of the last change. The time guards against a version number
    reused after a rolled-back change (tests roll back; so may a failed migration)."""
    row = Dictionary.objects.filter(pk=DICTIONARY_ID).values_list("version", "changed_at").first()
    return (row[0], row[1]) if row else (0, None)


def bump_version() -> int:
    """Mark the dictionary changed; every process rebuilds its engine."""
    row = Dictionary.objects.select_for_update().filter(pk=DICTIONARY_ID).first()
    if row is None:
        row = dictionary_row()
    row.version += 1
    row.changed_at = timezone.now()
    row.save(update_fields=["version", "changed_at"])
    # This transaction's own later checks see the change at once; other threads of this
    # process once it commits; other processes at their next poll.
    forget()
    transaction.on_commit(forget)
    return row.version


def fold(text: str) -> str:
    """The form two entries are compared in: the engine's normalization, numerals read as
    digits, so 法轮功 and 法 輪 功 are one entry."""
    return normalize_term(text, fold_table(chinese_numerals=True))


def build() -> Engine:
    return _build()[0]


def _build() -> tuple[Engine, Stamp]:
    row = dictionary_row()
    categories = list(Category.objects.all())
    policies = {c.code: Policy(pinyin=c.pinyin, homophones=c.homophones) for c in categories}
    terms = [
        EngineTerm(text, category, Action(action))
        for text, category, action in Term.objects.values_list("text", "category__code", "action")
    ]
    allowed = AllowedPhrase.objects.values_list("text", flat=True)
    personal = Action(row.personal_data)
    engine = Engine(
        terms,
        allowed=list(allowed),
        policies=policies,
        chinese_numerals=row.chinese_numerals,
        personal_data=None if personal is Action.PASS else personal,
        version=row.version,
    )
    return engine, (row.version, row.changed_at)


class _Current:
    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.stamp: Stamp = (0, None)
        self.checked_at = 0.0
        self.lock = threading.Lock()

    def get(self) -> Engine:
        now = time.monotonic()
        engine = self.engine
        if engine is not None and now - self.checked_at < settings.MODERATION_RELOAD_SECONDS:
            return engine
        stamp = _stamp()
        self.checked_at = now
        if engine is not None and self.stamp == stamp:
            return engine
        with self.lock:
            if self.engine is None or self.stamp != stamp:
                self.engine, self.stamp = _build()
            return self.engine

    def forget(self) -> None:
        self.engine = None
        self.checked_at = 0.0


_current = _Current()


def current_engine() -> Engine:
    return _current.get()


def forget() -> None:
    """Rebuild on the next call (this process's own changes show at once)."""
    _current.forget()

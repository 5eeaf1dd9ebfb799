"""The contract between writers of user text and the moderation service.

Every text a user writes passes `screen()` before anyone else sees it. The moderation app
sits above the apps that write text (members' own texts, and later comments and posts), so
it installs the implementation here when it starts, and each writer registers a `Source`: how
the moderation service re-reads its texts for a re-scan, publishes a text a reviewer
approved, withdraws a published text a re-scan flags, and discards a rejected one.

Call `screen()` before opening the transaction that stores the text: a refusal is recorded
for the monitoring counts even though the write itself is refused. When the stored text
changes, call `supersede()` in that transaction, so an older text waiting for review can no
longer be approved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Outcome:
    action: str  # "pass", "mask", "review" or "block"
    text: str  # what may be shown now: the text, or the text masked
    message: str  # for the author when the text is held or refused; never names a term
    screening_id: int | None = None

    @property
    def refused(self) -> bool:
        return self.action == "block"

    @property
    def held(self) -> bool:
        return self.action == "review"

    @property
    def publishable(self) -> bool:
        return self.action in ("pass", "mask")


@dataclass(frozen=True)
class StoredText:
    """A published text as a re-scan reads it."""

    object_id: str
    text: str
    author_id: int | None
    org_path: str


class Source(Protocol):
    """A kind of text users write. Every change the moderation service asks for names the text
    it expects to find, and changes nothing if the author has since written another: a
    decision or a re-scan never overwrites newer words.
    """

    code: str  # short and stable: stored with every screening ("members.statement")
    label: Any  # shown to reviewers ("个人简介")

    def published(self) -> Iterator[StoredText]:
        """Every text now visible to others, for a re-scan."""
        ...

    def count(self) -> int: ...

    def publish(self, object_id: str, text: str, *, replaces: str, actor: Any) -> bool:
        """Show `text` in place of `replaces`, which is either the text waiting for review (a
        reviewer approved it) or the text shown now (a re-scan masks it). False, and nothing
        changed, when `replaces` is neither any more."""
        ...

    def withdraw(self, object_id: str, text: str, *, actor: Any) -> bool:
        """Hide `text` if it is still shown, until a reviewer approves it (a re-scan flagged
        it)."""
        ...

    def discard(self, object_id: str, text: str, *, actor: Any) -> bool:
        """Drop `text` if it still waits for review (a reviewer rejected it); whatever else the
        object shows is left alone."""
        ...

    def link(self, object_id: str) -> str:
        """Where a reviewer sees the text in its place."""
        ...


Screen = Callable[..., Outcome]
Attach = Callable[[Outcome, str], None]
Supersede = Callable[[str, str, "int | None"], int]
_sources: dict[str, Source] = {}
_implementation: dict[str, Any] = {}


def register(source: Source) -> None:
    _sources[source.code] = source


def sources() -> Iterable[Source]:
    return _sources.values()


def source(code: str) -> Source | None:
    return _sources.get(code)


def install(screen: Screen, attach: Attach, supersede: Supersede) -> None:
    _implementation.update(screen=screen, attach=attach, supersede=supersede)


def _installed(name: str) -> Any:
    if name not in _implementation:
        raise ImproperlyConfigured("dangjian.moderation is not installed")
    return _implementation[name]


def screen(text: str, *, source: str, author: Any, org_path: str, object_id: str = "") -> Outcome:
    """Check a text a user wrote; record it when anything was found (see module docstring)."""
    implementation: Screen = _installed("screen")
    return implementation(
        text, source=source, author=author, org_path=org_path, object_id=object_id
    )


def attach(outcome: Outcome, object_id: str) -> None:
    """Tie the screening of a text that had no id yet to the object that now stores it."""
    if outcome.screening_id is not None:
        _installed("attach")(outcome, object_id)


def supersede(source: str, object_id: str, *, keep: int | None = None) -> int:
    """The author replaced or removed the text: the object's texts still waiting for review
    (but `keep`, the screening of the new text) are closed, so no one approves stale words."""
    implementation: Supersede = _installed("supersede")
    return implementation(source, object_id, keep)

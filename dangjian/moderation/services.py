"""Every write of the moderation app: screening texts, review decisions, dictionary changes
and re-scans. Each is atomic and audited; each dictionary change bumps the version every
process polls (dictionary.py)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.audit.services import log_action, log_actions_bulk
from dangjian.lib import screening as contract
from dangjian.lib.masking import mask_id_number, mask_phone
from dangjian.lib.tasks import enqueue_on_commit
from dangjian.moderation import dictionary, files
from dangjian.moderation.engine import PERSONAL_DATA, Action, Hit, Verdict
from dangjian.moderation.models import (
    ActionChoice,
    AllowedPhrase,
    Category,
    Dictionary,
    Rescan,
    Screening,
    ScreeningHit,
    Term,
)
from dangjian.orgs.models import Organization

NOTHING_LEFT = gettext_lazy("The term has nothing left once spaces and symbols are removed.")
logger = logging.getLogger(__name__)
HELD_MESSAGE = gettext_lazy(
    "Your text was received and will be shown after a moderator reviews it."
)
REFUSED_MESSAGE = gettext_lazy(
    "This text contains content that cannot be published here. Please revise it and try again."
)


@dataclass(frozen=True)
class Context:
    """Where a text was written, by whom, and for which organization's readers."""

    source: str
    author: Any = None
    org_path: str = ""
    object_id: str = ""


def check(text: str) -> Verdict:
    """The engine's verdict on a text, recording nothing (the API's check, the command line)."""
    return dictionary.current_engine().scan(text)


def moderate(text: str, *, context: Context) -> contract.Outcome:
    """Screen a text a user wrote: pass it, publish it masked, hold it, or refuse it.

    A text with any hit is recorded (with its hits) for the review queue and the monitoring
    counts; a clean text costs the scan and nothing else.
    """
    verdict = check(text)
    if not verdict.hits:
        return contract.Outcome("pass", text, "")
    action = verdict.action
    state = {
        Action.PASS: Screening.State.PUBLISHED,
        Action.MASK: Screening.State.PUBLISHED,
        Action.REVIEW: Screening.State.HELD,
        Action.BLOCK: Screening.State.REFUSED,
    }[action]
    screening = _record(verdict, context, state)
    shown = verdict.masked_text() if action is Action.MASK else text
    message = {Action.REVIEW: HELD_MESSAGE, Action.BLOCK: REFUSED_MESSAGE}.get(action, "")
    return contract.Outcome(str(action), shown, str(message), screening.pk)


def _author_id(author: Any) -> int | None:
    if author is None or not getattr(author, "is_authenticated", True):
        return None
    return int(author.pk)


def _record(
    verdict: Verdict,
    context: Context,
    state: str,
    *,
    rescan: Rescan | None = None,
    version: int | None = None,
) -> Screening:
    now = timezone.now()
    with transaction.atomic():
        screening = Screening.objects.create(
            source=context.source,
            object_id=context.object_id,
            author_id=_author_id(context.author),
            org_path=context.org_path,
            text=verdict.text,
            action=str(verdict.action),
            state=state,
            dictionary_version=version or dictionary.current_engine().version,
            rescan=rescan,
            created_at=now,
        )
        ScreeningHit.objects.bulk_create(
            ScreeningHit(
                screening=screening,
                term=_stored_term(hit),
                category=hit.category,
                action=str(hit.action),
                via=str(hit.via),
                start=hit.start,
                end=hit.end,
                created_at=now,
                org_path=context.org_path,
            )
            for hit in verdict.hits
        )
    return screening


def _stored_term(hit: Hit) -> str:
    """A personal-data hit's "term" is the number itself: it is stored masked."""
    if hit.category != PERSONAL_DATA:
        return hit.term
    return mask_id_number(hit.term) if len(hit.term) == 18 else mask_phone(hit.term)


def attach(outcome: contract.Outcome, object_id: str) -> None:
    if outcome.screening_id is not None:
        Screening.objects.filter(pk=outcome.screening_id).update(object_id=object_id)


def supersede(source: str, object_id: str, keep: int | None) -> int:
    """Close the object's texts still waiting for review: the author has written another."""
    waiting = Screening.objects.filter(
        source=source, object_id=object_id, state=Screening.State.HELD
    )
    if keep is not None:
        waiting = waiting.exclude(pk=keep)
    return waiting.update(state=Screening.State.SUPERSEDED, decided_at=timezone.now())


def screen(
    text: str, *, source: str, author: Any, org_path: str, object_id: str = ""
) -> contract.Outcome:
    return moderate(
        text,
        context=Context(source=source, author=author, org_path=org_path, object_id=object_id),
    )


# Review


def _org_code(path: str) -> str:
    if not path:
        return ""
    return Organization.objects.filter(path=path).values_list("code", flat=True).first() or ""


def _decide(screening: Screening, *, actor: Any, state: str, reason: str) -> Screening:
    with transaction.atomic():
        locked = Screening.objects.select_for_update().prefetch_related("hits").get(pk=screening.pk)
        if locked.state != Screening.State.HELD:
            raise ValidationError(
                {
                    "state": _("This text was already decided: %(state)s.")
                    % {"state": locked.get_state_display()}
                }
            )
        if actor is not None and locked.author_id == actor.pk:
            raise ValidationError(
                {"state": _("You wrote this text; another moderator must decide on it.")}
            )
        locked.state = state
        locked.reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        source = contract.source(locked.source)
        if state == Screening.State.APPROVED:
            locked.published_text = locked.approved_text()
            if source is not None and locked.object_id:
                source.publish(
                    locked.object_id, locked.published_text, replaces=locked.text, actor=actor
                )
        elif source is not None and locked.object_id:
            source.discard(locked.object_id, locked.text, actor=actor)
        locked.save(update_fields=["state", "reason", "decided_at", "decided_by", "published_text"])
        log_action(
            actor,
            f"moderation.screening.{state}",
            target=locked,
            target_label=_source_label(locked.source),
            org_code=_org_code(locked.org_path),
            detail={"reason": reason, "source": locked.source, "object": locked.object_id},
        )
        _notify_author(locked)
    return locked


def _source_label(code: str) -> str:
    source = contract.source(code)
    return str(source.label) if source is not None else code


def _notify_author(screening: Screening) -> None:
    if screening.author is None:
        return
    from dangjian.notifications.services import notify

    where = _source_label(screening.source)
    if screening.state == Screening.State.APPROVED:
        title = _("Your text in %(where)s was approved and is now shown") % {"where": where}
        body = screening.reason
    else:
        title = _("Your text in %(where)s was not approved") % {"where": where}
        body = _("Reason: %(reason)s") % {"reason": screening.reason}
    source = contract.source(screening.source)
    link = source.link(screening.object_id) if source and screening.object_id else ""
    notify(
        [screening.author],
        kind=f"moderation.{screening.state}",
        title=title,
        body=body,
        link=link,
        actor=screening.decided_by,
    )


def screening_approve(screening: Screening, *, actor: Any, reason: str = "") -> Screening:
    return _decide(screening, actor=actor, state=Screening.State.APPROVED, reason=reason.strip())


def screening_reject(screening: Screening, *, actor: Any, reason: str) -> Screening:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the text is rejected; the author sees it.")})
    return _decide(screening, actor=actor, state=Screening.State.REJECTED, reason=reason)


# The dictionary


def _clean_text(text: str, field: str = "text") -> tuple[str, str]:
    text = text.strip()
    if not text:
        raise ValidationError({field: _("The term is empty.")})
    if len(text) > files.MAX_TERM_LENGTH:
        raise ValidationError(
            {
                field: _("The term is longer than %(max)s characters.")
                % {"max": files.MAX_TERM_LENGTH}
            }
        )
    folded = dictionary.fold(text)
    if not folded:
        raise ValidationError({field: str(NOTHING_LEFT)})
    return text, folded


def term_save(
    *, actor: Any, text: str, category: Category, action: str, term: Term | None = None
) -> Term:
    """Add a term, or change one; a term that folds like an existing one changes that one."""
    text, folded = _clean_text(text)
    if category.code == PERSONAL_DATA:
        raise ValidationError(
            {"category": _("Personal data is recognized by its shape; it takes no terms.")}
        )
    if action not in ActionChoice.values:
        raise ValidationError({"action": _("Choose an action.")})
    try:
        return _term_save(actor, text, folded, category, action, term)
    except IntegrityError as exc:  # the same term added at the same moment elsewhere
        raise ValidationError(
            {"text": _("“%(text)s” is already in the dictionary.") % {"text": text}}
        ) from exc


def _term_save(
    actor: Any, text: str, folded: str, category: Category, action: str, term: Term | None
) -> Term:
    with transaction.atomic():
        existing = term or Term.objects.filter(folded=folded).first()
        clash = Term.objects.filter(folded=folded)
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            raise ValidationError(
                {
                    "text": _("“%(text)s” is already listed as “%(other)s”.")
                    % {"text": text, "other": clash.first()}
                }
            )
        before = (
            {"text": existing.text, "category": existing.category.code, "action": existing.action}
            if existing
            else {}
        )
        saved = existing or Term(created_by=actor)
        saved.text, saved.folded, saved.category, saved.action = text, folded, category, action
        saved.save()
        after = {"text": text, "category": category.code, "action": action}
        log_action(
            actor,
            "moderation.term.changed" if before else "moderation.term.added",
            target=saved,
            target_label=text,
            changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        )
        dictionary.bump_version()
    return saved


def term_delete(*, actor: Any, term: Term) -> None:
    with transaction.atomic():
        log_action(
            actor,
            "moderation.term.deleted",
            target=term,
            target_label=term.text,
            changes={"text": [term.text, None], "category": [term.category.code, None]},
        )
        term.delete()
        dictionary.bump_version()


def phrase_add(*, actor: Any, text: str) -> AllowedPhrase:
    text, folded = _clean_text(text)
    already = ValidationError({"text": _("“%(text)s” is already allowed.") % {"text": text}})
    if AllowedPhrase.objects.filter(folded=folded).exists():
        raise already
    try:
        with transaction.atomic():
            phrase = AllowedPhrase.objects.create(text=text, folded=folded, created_by=actor)
            log_action(actor, "moderation.phrase.added", target=phrase, target_label=text)
            dictionary.bump_version()
    except IntegrityError as exc:  # added at the same moment elsewhere
        raise already from exc
    return phrase


def phrase_delete(*, actor: Any, phrase: AllowedPhrase) -> None:
    with transaction.atomic():
        log_action(actor, "moderation.phrase.deleted", target=phrase, target_label=phrase.text)
        phrase.delete()
        dictionary.bump_version()


def category_save(
    *, actor: Any, category: Category, default_action: str, pinyin: bool, homophones: bool
) -> Category:
    with transaction.atomic():
        before = {
            "default_action": category.default_action,
            "pinyin": category.pinyin,
            "homophones": category.homophones,
        }
        after = {"default_action": default_action, "pinyin": pinyin, "homophones": homophones}
        for key, value in after.items():
            setattr(category, key, value)
        category.save(update_fields=list(after))
        log_action(
            actor,
            "moderation.category.changed",
            target=category,
            target_label=category.name,
            changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        )
        dictionary.bump_version()
    return category


def options_save(*, actor: Any, chinese_numerals: bool, personal_data: str) -> Dictionary:
    with transaction.atomic():
        row = dictionary.dictionary_row()
        changes: dict[str, list[Any]] = {}
        if row.chinese_numerals != chinese_numerals:
            changes["chinese_numerals"] = [row.chinese_numerals, chinese_numerals]
        if row.personal_data != personal_data:
            changes["personal_data"] = [row.personal_data, personal_data]
        Dictionary.objects.filter(pk=row.pk).update(
            chinese_numerals=chinese_numerals, personal_data=personal_data
        )
        log_action(actor, "moderation.options.changed", target_label=_("Options"), changes=changes)
        dictionary.bump_version()
    return dictionary.dictionary_row()


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: Sequence[files.Problem] = ()
    imported: bool = True


def dictionary_import(
    *,
    actor: Any,
    content: bytes,
    filename: str,
    phrases: bool = False,
    default_category: Category | None = None,
    keep_valid: bool = False,
) -> ImportResult:
    """Import a file of terms (or allowed phrases). All or nothing unless `keep_valid`: with
    problems and without it, nothing is written and the report says what to fix."""
    categories = list(Category.objects.listable())
    parsed = files.parse(
        content,
        filename=filename,
        categories=categories,
        phrases=phrases,
        max_rows=_max_rows(),
    )
    problems = list(parsed.problems)
    folded_entries = []
    seen: dict[str, int] = {}
    for entry in parsed.entries:
        folded = dictionary.fold(entry.text)
        if not folded:
            problems.append(
                files.Problem(
                    entry.line,
                    "text",
                    str(NOTHING_LEFT),
                )
            )
            continue
        if folded in seen:
            problems.append(
                files.Problem(
                    entry.line,
                    "text",
                    _("“%(text)s” reads the same as the entry on line %(line)s.")
                    % {"text": entry.text, "line": seen[folded]},
                )
            )
            continue
        seen[folded] = entry.line
        folded_entries.append((entry, folded))
    if not phrases and default_category is None:
        missing = [e for e, _ in folded_entries if not e.category]
        if missing:
            problems += [
                files.Problem(e.line, "category", _("Give the category, or choose a default one."))
                for e in missing
            ]
            folded_entries = [(e, f) for e, f in folded_entries if e.category]
    problems.sort(key=lambda p: p.line)
    if problems and not keep_valid:
        return ImportResult(problems=problems, imported=False)
    with transaction.atomic():
        result = (
            _import_phrases(actor, folded_entries)
            if phrases
            else _import_terms(actor, folded_entries, categories, default_category)
        )
        result.problems = problems
        log_action(
            actor,
            "moderation.dictionary.imported",
            target_label=filename,
            detail={
                "kind": "phrases" if phrases else "terms",
                "added": result.added,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "skipped": len(problems),
            },
        )
        if result.added or result.updated:
            dictionary.bump_version()
    return result


def _max_rows() -> int:
    from django.conf import settings

    return int(settings.MODERATION_DICTIONARY_MAX_ROWS)


def _import_terms(
    actor: Any,
    entries: list[tuple[files.Entry, str]],
    categories: list[Category],
    default_category: Category | None,
) -> ImportResult:
    by_code = {c.code: c for c in categories}
    existing = {t.folded: t for t in Term.objects.filter(folded__in=[f for _, f in entries])}
    result = ImportResult()
    new: list[Term] = []
    changed: list[Term] = []
    before: dict[int, dict[str, list[str]]] = {}
    for entry, folded in entries:
        category = by_code[entry.category] if entry.category else default_category
        assert category is not None
        action = entry.action or category.default_action
        term = existing.get(folded)
        if term is not None:
            before[term.pk] = {
                "category": [term.category.code, category.code],
                "action": [term.action, action],
            }
        if term is None:
            new.append(
                Term(
                    text=entry.text,
                    folded=folded,
                    category=category,
                    action=action,
                    created_by=actor,
                )
            )
        elif (term.category_id, term.action) != (category.pk, action):
            term.category, term.action = category, action
            changed.append(term)
        else:
            result.unchanged += 1
    Term.objects.bulk_create(new, batch_size=2000)
    Term.objects.bulk_update(changed, ["category", "action"], batch_size=500)
    result.added, result.updated = len(new), len(changed)
    added = Term.objects.filter(folded__in=[t.folded for t in new]).select_related("category")
    log_actions_bulk(
        actor,
        "moderation.term.added",
        [(t, t.text, {"category": [None, t.category.code], "action": [None, t.action]})
         for t in added],
    )  # fmt: skip
    log_actions_bulk(
        actor,
        "moderation.term.changed",
        [(t, t.text, {k: v for k, v in before[t.pk].items() if v[0] != v[1]}) for t in changed],
    )
    return result


def _import_phrases(actor: Any, entries: list[tuple[files.Entry, str]]) -> ImportResult:
    existing = set(
        AllowedPhrase.objects.filter(folded__in=[f for _, f in entries]).values_list(
            "folded", flat=True
        )
    )
    new = [
        AllowedPhrase(text=entry.text, folded=folded, created_by=actor)
        for entry, folded in entries
        if folded not in existing
    ]
    AllowedPhrase.objects.bulk_create(new, batch_size=2000)
    log_actions_bulk(
        actor,
        "moderation.phrase.added",
        [(p, p.text, {"text": [None, p.text]})
         for p in AllowedPhrase.objects.filter(folded__in=[p.folded for p in new])],
    )  # fmt: skip
    return ImportResult(added=len(new), unchanged=len(entries) - len(new))


# Re-scans

PROGRESS_EVERY = 200
STALE_AFTER = dt.timedelta(minutes=10)  # a re-scan that wrote no progress this long is dead


def rescan_start(*, actor: Any) -> Rescan:
    from dangjian.moderation.tasks import rescan_task

    with transaction.atomic():
        Dictionary.objects.select_for_update().filter(pk=dictionary.DICTIONARY_ID).first()
        unfinished = Rescan.objects.filter(status__in=[Rescan.Status.QUEUED, Rescan.Status.RUNNING])
        now = timezone.now()
        unfinished.filter(updated_at__lt=now - STALE_AFTER).update(
            status=Rescan.Status.FAILED,
            error="no progress for 10 minutes",
            finished_at=now,
        )
        if unfinished.exists():
            raise ValidationError(_("A re-scan is already running; wait for it to finish."))
        rescan = Rescan.objects.create(
            created_by=actor, dictionary_version=dictionary.current_version()
        )
        log_action(actor, "moderation.rescan.started", target=rescan, target_label=str(rescan.pk))
        enqueue_on_commit(rescan_task, rescan.pk)
    return rescan


def _progress(rescan: Rescan, **fields: Any) -> None:
    Rescan.objects.filter(pk=rescan.pk).update(updated_at=timezone.now(), **fields)


def rescan_run(rescan: Rescan) -> Rescan:
    """Scan every published text of every source with the current dictionary. What now needs
    review is withdrawn and queued; what now needs masking is published masked. Left alone: a
    text waiting in the queue (its reviewer decides), a text a reviewer approved as it stands,
    and a text its author changed while the scan ran (the source refuses the change)."""
    engine = dictionary.current_engine()
    sources = list(contract.sources())
    _progress(
        rescan,
        status=Rescan.Status.RUNNING,
        total=sum(s.count() for s in sources),
        dictionary_version=engine.version,
    )
    scanned = flagged = 0
    try:
        for source in sources:
            waiting, settled = _settled(source.code)
            for stored in source.published():
                scanned += 1
                left_alone = (
                    stored.object_id in waiting or (stored.object_id, stored.text) in settled
                )
                if not left_alone and _rescan_one(
                    engine.scan(stored.text), source, stored, rescan, engine.version
                ):
                    flagged += 1
                if scanned % PROGRESS_EVERY == 0:
                    _progress(rescan, scanned=scanned, flagged=flagged)
    except Exception as exc:
        logger.exception("re-scan %s failed", rescan.pk)
        _progress(
            rescan,
            status=Rescan.Status.FAILED,
            scanned=scanned,
            flagged=flagged,
            error=str(exc)[:500],
            finished_at=timezone.now(),
        )
        raise
    _progress(
        rescan,
        status=Rescan.Status.DONE,
        scanned=scanned,
        flagged=flagged,
        finished_at=timezone.now(),
    )
    rescan.refresh_from_db()
    log_action(
        rescan.created_by,
        "moderation.rescan.finished",
        target=rescan,
        target_label=str(rescan.pk),
        detail={"scanned": scanned, "flagged": flagged},
    )
    return rescan


def _settled(source: str) -> tuple[set[str], set[tuple[str, str]]]:
    """What a re-scan leaves alone: objects with a text waiting for review, and (object, text)
    pairs approved, or masked by an earlier re-scan, exactly as they are shown now."""
    waiting = Screening.objects.filter(source=source, state=Screening.State.HELD)
    shown = Screening.objects.filter(
        source=source,
        state__in=[Screening.State.APPROVED, Screening.State.PUBLISHED],
    ).exclude(published_text="")
    return (
        set(waiting.values_list("object_id", flat=True)),
        set(shown.values_list("object_id", "published_text")),
    )


def _rescan_one(
    verdict: Verdict,
    source: contract.Source,
    stored: contract.StoredText,
    rescan: Rescan,
    version: int,
) -> bool:
    action = verdict.action
    if action is Action.PASS:
        return False
    masked = verdict.masked_text()
    if action is Action.MASK and masked == stored.text:
        return False  # already published masked
    context = Context(
        source=source.code,
        author=_AuthorRef(stored.author_id) if stored.author_id else None,
        org_path=stored.org_path,
        object_id=stored.object_id,
    )
    actor = rescan.created_by
    with transaction.atomic():
        if action is Action.MASK:
            if not source.publish(stored.object_id, masked, replaces=stored.text, actor=actor):
                return False  # the author changed it meanwhile
            screening = _record(
                verdict, context, Screening.State.PUBLISHED, rescan=rescan, version=version
            )
            Screening.objects.filter(pk=screening.pk).update(published_text=masked)
        else:
            if not source.withdraw(stored.object_id, stored.text, actor=actor):
                return False
            _record(verdict, context, Screening.State.HELD, rescan=rescan, version=version)
    return True


@dataclass(frozen=True)
class _AuthorRef:
    pk: int
    is_authenticated: bool = True

"""The contribution desk (投稿): a member sends an article, the editors decide, and an accepted
article is published as a content item with the author credited.

Who decides (the scope rule). A member addresses a contribution either to their own
secondary Party committee (the organization one level below the university on their path;
the default) or to the university itself. It lands on the desk of every editor who holds
`content.review` on that organization, through a role there or above it: a committee's
organizer sees what is addressed to their committee, and the university's propaganda editors
and organization department see everything. Anyone else, another committee's organizer
included, does not see it at all (404). Nobody decides on their own contribution.

The path of a contribution:

1. The member sends it (`contribution_submit`). Its title, text and note pass the moderation
   service before the transaction opens, exactly as members' self-introductions do: refused
   text is not stored; text to review is stored but waits (`moderation = held`) and no editor
   sees it until a moderator approves it (`ArticleSource.publish`); words to hide are stored
   masked.
2. An editor accepts it, returns it with comments, or rejects it with a reason. A returned
   contribution is changed by its author (screened again) and sent again.
3. An accepted contribution is edited by an editor who may publish and published as a
   content item (`contribution_publish`): the author's name is the byline, the publishing
   organization is the editor's own, the pictures chosen go into the article.

The author may withdraw it until it is accepted. Each decision is audited and sent to the
author's inbox; each step is an `Event` on the contribution's timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from dangjian.accounts.models import User
from dangjian.audit.services import log_action
from dangjian.content import services as content
from dangjian.content.models import TITLE_MAX_LENGTH, Item, Upload
from dangjian.contributions import selectors
from dangjian.contributions.models import (
    COMMENT_MAX_LENGTH,
    MAX_PICTURES,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Contribution,
    Event,
    Picture,
    Wish,
    compose,
    split,
)
from dangjian.lib import richtext, screening
from dangjian.members.models import Member
from dangjian.notifications.services import notify
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, ancestor_paths

SOURCE = "contributions.article"
READ_CHUNK = 2000
State = Contribution.State
Moderation = Contribution.Moderation


class Desk:
    """Where a member addresses a contribution."""

    COMMITTEE = "committee"
    UNIVERSITY = "university"
    CHOICES = (
        (
            COMMITTEE,
            gettext_lazy("My secondary Party committee: its editors and the university's read it"),
        ),
        (UNIVERSITY, gettext_lazy("The university's Party committee: its editors read it")),
    )


@dataclass
class ArticleInput:
    """What the author fills in."""

    title: str
    text: str
    section: str = Wish.NEWS
    note: str = ""
    desk: str = Desk.COMMITTEE
    pictures: list[Upload] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    """What became of what the author sent."""

    contribution: Contribution
    action: str  # "pass", "mask", "review", or "unchanged"
    message: str

    @property
    def held(self) -> bool:
        return self.action == "review"


@dataclass
class PublishInput:
    """What the editor makes of an accepted contribution."""

    title: str
    body: str
    section: str
    summary: str = ""
    whole_university: bool = True
    pictures: list[Upload] = field(default_factory=list)
    cover: bool = False


# -- Checks -----------------------------------------------------------------------------------


def target_for(member: Member, desk: str) -> Organization:
    """The organization whose desk gets the contribution: the member's secondary committee
    (one level below the university on their path) or the university itself."""
    paths = ancestor_paths(member.org_path)
    if desk == Desk.UNIVERSITY:
        path = paths[0]
    elif desk == Desk.COMMITTEE:
        path = paths[1] if len(paths) > 1 else paths[0]
    else:
        raise ValidationError({"desk": _("Choose who the contribution is addressed to.")})
    return Organization.objects.get(path=path)


def to_html(text: str) -> str:
    """Each non-empty line of the author's text is a paragraph."""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    try:
        return richtext.sanitize(html)
    except ValueError:
        raise ValidationError({"text": _("The text is too long.")}) from None


@dataclass(frozen=True)
class _Clean:
    title: str
    text: str
    note: str
    section: str


def _clean(data: ArticleInput) -> _Clean:
    title = richtext.plain(data.title or "")
    if not title:
        raise ValidationError({"title": _("Give the article a title.")})
    if len(title) > TITLE_MAX_LENGTH:
        message = _("The title can be at most %(max)d characters; this one has %(length)d.")
        raise ValidationError({"title": message % {"max": TITLE_MAX_LENGTH, "length": len(title)}})
    text = richtext.plain(data.text or "", multiline=True)
    if not text:
        raise ValidationError({"text": _("Write the article's text.")})
    if len(text) > TEXT_MAX_LENGTH:
        message = _("The text can be at most %(max)d characters; this one has %(length)d.")
        raise ValidationError({"text": message % {"max": TEXT_MAX_LENGTH, "length": len(text)}})
    note = richtext.plain(data.note or "", multiline=True)
    if len(note) > NOTE_MAX_LENGTH:
        message = _(
            "The note to the editors can be at most %(max)d characters; this one has %(length)d."
        )
        raise ValidationError({"note": message % {"max": NOTE_MAX_LENGTH, "length": len(note)}})
    if data.section not in Wish.values:
        message = _("Choose the news, member showcase or research section, not %(value)s.")
        raise ValidationError({"section": message % {"value": data.section}})
    return _Clean(title, text, note, data.section)


def _check_pictures(actor: User, pictures: list[Upload], contribution: Contribution | None) -> None:
    if len(pictures) > MAX_PICTURES:
        message = _("At most %(max)d pictures; this contribution has %(count)d.")
        raise ValidationError({"pictures": message % {"max": MAX_PICTURES, "count": len(pictures)}})
    used = dict(
        Picture.objects.filter(upload__in=pictures).values_list("upload_id", "contribution_id")
    )
    for upload in pictures:
        if upload.kind != Upload.Kind.IMAGE:
            message = _("%(name)s is not a picture.")
            raise ValidationError({"pictures": message % {"name": upload.name}})
        here = contribution is not None and used.get(upload.pk) == contribution.pk
        free = (
            upload.uploaded_by_id == actor.pk and upload.item_id is None and upload.pk not in used
        )
        if not (here or free):
            message = _("The picture %(name)s was not uploaded for this contribution.")
            raise ValidationError({"pictures": message % {"name": upload.name}})


def _member(actor: User) -> Member:
    member = selectors.author_record(actor)
    if member is None:
        raise PermissionDenied
    return member


def _screen(actor: User, member: Member, clean: _Clean, object_id: str = "") -> screening.Outcome:
    """Screen before the transaction, so a refusal is recorded even though nothing is stored."""
    outcome = screening.screen(
        compose(clean.title, clean.text, clean.note),
        source=SOURCE,
        author=actor,
        org_path=member.org_path,
        object_id=object_id,
    )
    if outcome.refused:
        raise ValidationError({"text": outcome.message})
    return outcome


def _apply(contribution: Contribution, clean: _Clean, outcome: screening.Outcome) -> None:
    contribution.title, contribution.text, contribution.note = clean.title, clean.text, clean.note
    if outcome.action == "mask":
        contribution.title, contribution.text, contribution.note = split(
            outcome.text, like=contribution
        )
    contribution.section = clean.section
    contribution.body = to_html(contribution.text)
    contribution.moderation = Moderation.HELD if outcome.held else Moderation.CLEAR


def _message(outcome: screening.Outcome) -> str:
    if outcome.held:
        return outcome.message or _(
            "Your contribution was received; the editors see it once a moderator has read it."
        )
    if outcome.action == "mask":
        return _("Your contribution was sent to the editors; some words in it are shown as *.")
    return _("Your contribution was sent to the editors.")


def _set_pictures(contribution: Contribution, pictures: list[Upload]) -> None:
    Picture.objects.filter(contribution=contribution).exclude(upload__in=pictures).delete()
    for position, upload in enumerate(pictures):
        Picture.objects.update_or_create(
            contribution=contribution, upload=upload, defaults={"position": position}
        )


def _event(contribution: Contribution, kind: str, actor: User | None, note: str = "") -> None:
    Event.objects.create(contribution=contribution, kind=kind, actor=actor, note=note[:1000])


def _audit(
    actor: User | None,
    action: str,
    contribution: Contribution,
    changes: dict[str, list[Any]] | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    log_action(
        actor,
        f"contributions.contribution.{action}",
        target=contribution,
        target_label=contribution.title,
        org_code=contribution.target.code,
        changes=changes,
        detail=detail,
        username="" if actor else "moderation",
    )


def _snapshot(contribution: Contribution) -> dict[str, Any]:
    return {
        "title": contribution.title,
        "text_length": len(contribution.text),
        "note": contribution.note,
        "section": contribution.section,
        "target": contribution.target.code,
        "state": contribution.state,
        "moderation": contribution.moderation,
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


# -- The author -------------------------------------------------------------------------------


def contribution_submit(*, actor: User, data: ArticleInput) -> Result:
    """Send an article to the editors, as the moderation service decides (module docstring)."""
    member = _member(actor)
    clean = _clean(data)
    target = target_for(member, data.desk)
    _check_pictures(actor, data.pictures, None)
    outcome = _screen(actor, member, clean)
    with transaction.atomic():
        # One submission of the author's at a time: a double click finds its pictures taken.
        User.objects.select_for_update().filter(pk=actor.pk).exists()
        _check_pictures(actor, data.pictures, None)
        now = timezone.now()
        contribution = Contribution(
            author=actor,
            author_name=member.name,
            author_org=member.organization,
            author_path=member.org_path,
            target=target,
            target_path=target.path,
            submitted_at=now,
            created_at=now,
        )
        _apply(contribution, clean, outcome)
        contribution.save()
        screening.attach(outcome, str(contribution.pk))
        _set_pictures(contribution, data.pictures)
        _event(contribution, Event.Kind.SUBMITTED, actor)
        if outcome.held:
            _event(contribution, Event.Kind.HELD, None)
        _audit(
            actor,
            "submitted",
            contribution,
            changes=_changes({}, _snapshot(contribution)),
            detail={
                "moderation": outcome.action,
                "screening": outcome.screening_id,
                "pictures": len(data.pictures),
            },
        )
    return Result(contribution, outcome.action, _message(outcome))


def contribution_update(*, actor: User, contribution: Contribution, data: ArticleInput) -> Result:
    """The author changes a contribution that came back (from the editors or moderation)."""
    if contribution.author_id != actor.pk:
        raise PermissionDenied
    member = _member(actor)
    _require_editable(contribution)
    clean = _clean(data)
    target = target_for(member, data.desk)
    _check_pictures(actor, data.pictures, contribution)
    same_text = compose(clean.title, clean.text, clean.note) == contribution.screened_text
    same = (
        same_text
        and clean.section == contribution.section
        and target.pk == contribution.target_id
        and [u.pk for u in data.pictures] == [u.pk for u in selectors.pictures(contribution)]
        and contribution.moderation != Moderation.REFUSED
    )
    if same:
        return Result(contribution, "unchanged", _("Nothing was changed."))
    cleared_before = same_text and contribution.moderation == Moderation.CLEAR
    outcome = (
        screening.Outcome("pass", contribution.screened_text, "")
        if cleared_before
        else _screen(actor, member, clean, str(contribution.pk))
    )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).exists()
        locked = (
            Contribution.objects.select_for_update()
            .select_related("target")
            .get(pk=contribution.pk)
        )
        _require_editable(locked)
        if cleared_before and (
            locked.moderation != Moderation.CLEAR
            or locked.screened_text != contribution.screened_text
        ):
            # A re-scan or a decision changed it since it was read: the text is not known clear.
            message = _("This contribution changed while you were editing it; open it again.")
            raise ValidationError({"__all__": message})
        _check_pictures(actor, data.pictures, locked)
        before = _snapshot(locked)
        was_refused = locked.moderation == Moderation.REFUSED
        _apply(locked, clean, outcome)
        locked.target, locked.target_path = target, target.path
        locked.save()
        # What waited for moderation before is not what the author wants read any more.
        screening.supersede(SOURCE, str(locked.pk), keep=outcome.screening_id)
        _set_pictures(locked, data.pictures)
        _event(locked, Event.Kind.EDITED, actor)
        if outcome.held:
            _event(locked, Event.Kind.HELD, None)
        elif was_refused:
            _event(locked, Event.Kind.SUBMITTED, actor)
        _audit(
            actor,
            "changed",
            locked,
            changes=_changes(before, _snapshot(locked)),
            detail={"moderation": outcome.action, "screening": outcome.screening_id},
        )
    if outcome.held:
        message = _message(outcome)
    elif locked.state == State.RETURNED:
        message = _("Your changes were saved. Send it again when it is ready.")
    else:
        message = _message(outcome)
    return Result(locked, outcome.action, message)


def _require_editable(contribution: Contribution) -> None:
    if not contribution.editable:
        message = _("This contribution is %(state)s; it can be changed only when returned.")
        raise ValidationError(
            {"__all__": message % {"state": contribution.get_state_display().lower()}}
        )


def contribution_resubmit(*, actor: User, contribution: Contribution) -> Contribution:
    """Send a returned contribution to the editors again."""
    if contribution.author_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock(contribution)
        _require_state(locked, (State.RETURNED,), pgettext("contribution action", "sent again"))
        locked.state = State.SUBMITTED
        locked.revision += 1
        locked.submitted_at = timezone.now()
        locked.save()
        _event(locked, Event.Kind.RESUBMITTED, actor)
        _audit(
            actor,
            "resubmitted",
            locked,
            changes={"state": [State.RETURNED, State.SUBMITTED]},
            detail={"revision": locked.revision},
        )
    return locked


def contribution_withdraw(*, actor: User, contribution: Contribution) -> Contribution:
    """The author takes it back before it is accepted."""
    if contribution.author_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock(contribution)
        _require_state(
            locked, (State.SUBMITTED, State.RETURNED), pgettext("contribution action", "withdrawn")
        )
        before = locked.state
        locked.state = State.WITHDRAWN
        locked.save()
        # A text still waiting for moderation is no longer to be approved.
        screening.supersede(SOURCE, str(locked.pk))
        _event(locked, Event.Kind.WITHDRAWN, actor)
        _audit(actor, "withdrawn", locked, changes={"state": [before, State.WITHDRAWN]})
    return locked


def _lock(contribution: Contribution) -> Contribution:
    return (
        Contribution.objects.select_for_update()
        .select_related("target", "author")
        .get(pk=contribution.pk)
    )


def _require_state(contribution: Contribution, allowed: tuple[str, ...], verb: str) -> None:
    if contribution.state not in allowed:
        message = _("This contribution is %(state)s; it cannot be %(action)s now.")
        state = contribution.get_state_display().lower()
        raise ValidationError({"__all__": message % {"state": state, "action": verb}})


# -- The editors ------------------------------------------------------------------------------


def _check_editor(actor: User, contribution: Contribution) -> None:
    if contribution.author_id == actor.pk:
        raise ValidationError(
            {"__all__": _("You wrote this contribution; another editor must decide on it.")}
        )
    if not perms.has_capability(actor, contribution.target, perms.CONTENT_REVIEW):
        raise PermissionDenied


def _decide(
    actor: User,
    contribution: Contribution,
    *,
    to: str,
    verb: str,
    comment: str,
    allowed: tuple[str, ...] = (State.SUBMITTED,),
) -> Contribution:
    _check_editor(actor, contribution)
    with transaction.atomic():
        locked = _lock(contribution)
        if locked.moderation != Moderation.CLEAR:
            raise ValidationError({"__all__": _("This contribution is waiting for moderation.")})
        _require_state(locked, allowed, verb)
        before = locked.state
        locked.state = to
        locked.comment = comment
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save()
        _event(locked, to, actor, comment)
        _audit(
            actor,
            to,
            locked,
            changes={"state": [before, to]},
            detail={"comment": comment} if comment else None,
        )
    return locked


def _comment(text: str, name: str, required_message: str) -> str:
    comment = richtext.plain(text or "", multiline=True)
    if not comment and required_message:
        raise ValidationError({name: required_message})
    if len(comment) > COMMENT_MAX_LENGTH:
        message = _("At most %(max)d characters; this has %(length)d.")
        raise ValidationError({name: message % {"max": COMMENT_MAX_LENGTH, "length": len(comment)}})
    return comment


def contribution_accept(
    *, actor: User, contribution: Contribution, comment: str = ""
) -> Contribution:
    """The editors will publish it; an editor who may publish edits it and publishes it."""
    note = _comment(comment, "comment", "")
    locked = _decide(
        actor,
        contribution,
        to=State.ACCEPTED,
        verb=pgettext("contribution action", "accepted"),
        comment=note,
    )
    _tell_author(
        locked,
        actor,
        "accepted",
        _("Your contribution was accepted: %(title)s"),
        note or _("The editors will prepare it for publication."),
    )
    return locked


def contribution_return(*, actor: User, contribution: Contribution, comment: str) -> Contribution:
    """Send it back to the author with what to change."""
    note = _comment(comment, "comment", _("Say what should change, so the author can revise it."))
    locked = _decide(
        actor,
        contribution,
        to=State.RETURNED,
        verb=pgettext("contribution action", "returned"),
        comment=note,
    )
    _tell_author(locked, actor, "returned", _("Returned for changes: %(title)s"), note)
    return locked


def contribution_reject(*, actor: User, contribution: Contribution, reason: str) -> Contribution:
    """Decline it, with the reason the author reads."""
    note = _comment(reason, "reason", _("Give the reason; the author reads it."))
    locked = _decide(
        actor,
        contribution,
        to=State.REJECTED,
        verb=pgettext("contribution action", "rejected"),
        comment=note,
        allowed=(State.SUBMITTED, State.ACCEPTED),
    )
    _tell_author(locked, actor, "rejected", _("Not accepted: %(title)s"), note)
    return locked


def _figure(upload: Upload) -> str:
    return f'<figure><img src="{escape(upload.url)}" alt="{escape(upload.name)}"></figure>'


def contribution_publish(*, actor: User, contribution: Contribution, data: PublishInput) -> Item:
    """Publish an accepted contribution as a content item of the editor's organization, with
    the author's name as the byline and the chosen pictures at the end of the article."""
    _check_editor(actor, contribution)
    owner = selectors.publishing_org(actor, contribution)
    if owner is None:
        raise PermissionDenied
    if data.section not in Wish.values:
        message = _("Choose the news, member showcase or research section, not %(value)s.")
        raise ValidationError({"section": message % {"value": data.section}})
    chosen = {u.pk for u in data.pictures}
    pictures = [u for u in selectors.pictures(contribution) if u.pk in chosen]
    if len(pictures) != len(chosen):
        raise ValidationError({"pictures": _("Choose among the contribution's own pictures.")})
    body = data.body + "".join(_figure(u) for u in pictures if u.url not in data.body)
    whole = data.whole_university and owner.parent_id is None
    with transaction.atomic():
        locked = _lock(contribution)
        if locked.moderation != Moderation.CLEAR:
            raise ValidationError({"__all__": _("This contribution is waiting for moderation.")})
        _require_state(locked, (State.ACCEPTED,), pgettext("contribution action", "published"))
        item_data = content.ItemInput(
            section=data.section,
            title=data.title,
            summary=data.summary,
            owner=owner,
            body=body,
            byline=locked.author_name,
            target_all=whole,
            targets=[] if whole else [locked.target],
            cover=pictures[0] if data.cover and pictures else None,
            # The author uploaded the pictures; they belong to the item that shows them now.
            handed_over=pictures,
        )
        item = content.item_save(actor=actor, data=item_data)
        item = content.item_publish(actor=actor, item=item)
        locked.state = State.PUBLISHED
        locked.item = item
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save()
        _event(locked, Event.Kind.PUBLISHED, actor)
        _audit(
            actor,
            "published",
            locked,
            changes={"state": [State.ACCEPTED, State.PUBLISHED]},
            detail={"item": item.pk, "owner": owner.code, "section": data.section},
        )
    _tell_author(
        locked,
        actor,
        "published",
        _("Your contribution was published: %(title)s"),
        _("Thank you for writing. It is published under your name."),
        link=reverse("content:item-detail", args=[item.pk]),
    )
    return item


def _tell_author(
    contribution: Contribution,
    actor: User,
    kind: str,
    title: str,
    body: str = "",
    *,
    link: str = "",
) -> None:
    notify(
        [contribution.author],
        kind=f"contributions.{kind}",
        title=(title % {"title": contribution.title})[:200],
        body=body,
        link=link or reverse("contributions:mine-detail", args=[contribution.pk]),
        actor=actor,
    )


# -- The moderation service's view of contributions ------------------------------------------


class ArticleSource:
    """Contributions as the moderation service reads and decides on them: what editors may
    read (cleared, not yet published or closed) is "published" for a re-scan."""

    code = SOURCE
    label = gettext_lazy("Contribution")

    def _published(self) -> QuerySet[Contribution]:
        return Contribution.objects.filter(
            moderation=Moderation.CLEAR,
            state__in=(State.SUBMITTED, State.RETURNED, State.ACCEPTED),
        ).order_by()

    def published(self) -> Iterator[screening.StoredText]:
        rows = (
            self._published()
            .values_list("pk", "title", "text", "note", "author_id", "author_path")
            .iterator(chunk_size=READ_CHUNK)
        )
        for pk, title, text, note, author_id, path in rows:
            yield screening.StoredText(str(pk), compose(title, text, note), author_id, path)

    def count(self) -> int:
        return self._published().count()

    def publish(self, object_id: str, text: str, *, replaces: str, actor: Any) -> bool:
        """Show `text` (approved, or masked by a re-scan) in place of `replaces`, unless the
        author has written another since."""

        def apply(contribution: Contribution) -> str | None:
            if contribution.screened_text != replaces:
                return None
            held = contribution.moderation == Moderation.HELD
            if contribution.moderation == Moderation.REFUSED:
                return None
            title, body_text, note = split(text, like=contribution)
            contribution.title, contribution.text, contribution.note = title, body_text, note
            contribution.body = to_html(body_text)
            contribution.moderation = Moderation.CLEAR
            return Event.Kind.CLEARED if held else ""

        return self._change(object_id, "released", actor, apply)

    def withdraw(self, object_id: str, text: str, *, actor: Any) -> bool:
        """A re-scan flagged a text editors can read: hide it until a moderator decides."""

        def apply(contribution: Contribution) -> str | None:
            if contribution.moderation != Moderation.CLEAR or contribution.screened_text != text:
                return None
            contribution.moderation = Moderation.HELD
            return Event.Kind.HELD

        return self._change(object_id, "held", actor, apply)

    def discard(self, object_id: str, text: str, *, actor: Any) -> bool:
        """A moderator rejected the text still waiting: the editors never get it; the author
        may change it and send it again."""

        def apply(contribution: Contribution) -> str | None:
            if contribution.moderation != Moderation.HELD or contribution.screened_text != text:
                return None
            contribution.moderation = Moderation.REFUSED
            return Event.Kind.REFUSED

        return self._change(object_id, "discarded", actor, apply)

    def link(self, object_id: str) -> str:
        return reverse("contributions:mine-detail", args=[int(object_id)])

    def _change(
        self, object_id: str, action: str, actor: Any, apply: Callable[[Contribution], str | None]
    ) -> bool:
        if not object_id.isdigit():
            return False
        with transaction.atomic():
            contribution = (
                Contribution.objects.select_for_update()
                .select_related("target")
                .filter(pk=int(object_id))
                .first()
            )
            if contribution is None:
                return False
            before = _snapshot(contribution)
            event = apply(contribution)
            if event is None:
                return False
            contribution.save()
            if event:
                _event(contribution, event, actor)
            _audit(actor, action, contribution, changes=_changes(before, _snapshot(contribution)))
            return True

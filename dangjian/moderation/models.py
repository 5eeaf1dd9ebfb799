"""The dictionary (categories, terms, allowed phrases, its version) and the record of every
text the engine flagged: its screening, its hits, the review decision, and re-scan jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.moderation.engine import PERSONAL_DATA, Action, Hit, Verdict


class ActionChoice(models.TextChoices):
    PASS = Action.PASS.value, _("Pass")
    MASK = Action.MASK.value, _("Publish masked")
    REVIEW = Action.REVIEW.value, _("Hold for review")
    BLOCK = Action.BLOCK.value, _("Refuse")


class CategoryQuerySet(models.QuerySet["Category"]):
    def listable(self) -> CategoryQuerySet:
        """Categories a term can belong to: personal data is recognized by its shape."""
        return self.exclude(code=PERSONAL_DATA)


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    default_action = models.CharField(
        _("default action"), max_length=10, choices=ActionChoice.choices
    )
    pinyin = models.BooleanField(_("match pinyin"), default=False)
    homophones = models.BooleanField(_("match homophones"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("sensitive-word category")
        verbose_name_plural = _("sensitive-word categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A listed word. Two spellings that normalize alike are one term (`folded` is unique)."""

    text = models.CharField(_("term"), max_length=100)
    folded = models.CharField(max_length=100, unique=True, editable=False)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="terms"
    )
    action = models.CharField(_("action"), max_length=10, choices=ActionChoice.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["category__position", "text"]

    def __str__(self) -> str:
        return self.text


class AllowedPhrase(models.Model):
    """A phrase that is never flagged, though a listed term lies inside it (共产党, 傻瓜相机)."""

    text = models.CharField(_("allowed phrase"), max_length=100)
    folded = models.CharField(max_length=100, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("allowed phrase")
        verbose_name_plural = _("allowed phrases")
        ordering = ["text"]

    def __str__(self) -> str:
        return self.text


class Dictionary(models.Model):
    """One row: the dictionary's version (every change bumps it; each process polls it) and
    the options that apply to every category."""

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)
    chinese_numerals = models.BooleanField(_("read Chinese numerals as digits"), default=True)
    personal_data = models.CharField(
        _("personal data in public text"),
        max_length=10,
        choices=ActionChoice.choices,
        default=ActionChoice.MASK,
    )

    class Meta:
        verbose_name = _("sensitive-word dictionary")
        verbose_name_plural = _("sensitive-word dictionary")

    def __str__(self) -> str:
        return f"v{self.version}"


class Rescan(models.Model):
    """A re-scan of existing texts against the current dictionary, run in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)  # progress was last written
    finished_at = models.DateTimeField(null=True, blank=True)
    dictionary_version = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    scanned = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("re-scan")
        verbose_name_plural = _("re-scans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pk} ({self.status})"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.scanned * 100 // self.total) if self.total else 0


class Screening(models.Model):
    """A text the engine flagged, where it was written, and what became of it."""

    class State(models.TextChoices):
        PUBLISHED = "published", _("Published (masked)")
        HELD = "held", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        REFUSED = "refused", _("Refused at submission")
        SUPERSEDED = "superseded", _("Replaced by the author")

    source = models.CharField(_("where"), max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    org_path = models.CharField(max_length=255, blank=True)
    text = models.TextField(_("text"))  # as the author wrote it
    published_text = models.TextField(blank=True)  # what an approval or a re-scan showed
    action = models.CharField(_("action"), max_length=10, choices=ActionChoice.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    dictionary_version = models.PositiveBigIntegerField()
    rescan = models.ForeignKey(
        Rescan, null=True, blank=True, on_delete=models.SET_NULL, related_name="screenings"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "org_path", "created_at"], name="screening_queue"),
            models.Index(fields=["created_at", "org_path"], name="screening_time"),
            models.Index(fields=["source", "object_id"], name="screening_object"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id} ({self.state})"

    def _verdict(
        self, *, categories: set[str] | None = None, actions: set[str] | None = None
    ) -> Verdict:
        hits = tuple(
            hit.as_hit()
            for hit in self.hits.all()
            if (categories is None or hit.category in categories)
            and (actions is None or hit.action in actions)
        )
        return Verdict(self.text, Action(self.action), hits)

    @property
    def shown_to_reviewers(self) -> str:
        """The text with personal data masked: reviewers judge words, not phone numbers.
        Masking keeps every character's position, so the hits' spans still hold."""
        return self._verdict(categories={PERSONAL_DATA}).masked_text()

    def approved_text(self) -> str:
        """What an approval shows: the text with its mask-level hits (personal data too)
        still masked; the reviewer approves what was held for review, nothing more."""
        return self._verdict(actions={Action.MASK.value}).masked_text()


class ScreeningHit(models.Model):
    """One hit of a screening; denormalized (time, organization) for the monitoring counts."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="hits")
    term = models.CharField(max_length=100)
    category = models.CharField(max_length=40)
    action = models.CharField(max_length=10, choices=ActionChoice.choices)
    via = models.CharField(max_length=10)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    org_path = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["created_at", "category"], name="screening_hit_time")]

    def __str__(self) -> str:
        return f"{self.term} [{self.start}:{self.end}]"

    @property
    def span_text(self) -> str:
        return self.screening.shown_to_reviewers[self.start : self.end]

    def as_hit(self) -> Hit:
        return Hit(self.term, self.category, Action(self.action), self.start, self.end)

    @property
    def via_label(self) -> str:
        return str(VIA_LABELS.get(self.via, self.via))


VIA_LABELS = {
    "text": _("as written"),
    "homophone": _("sound-alike characters"),
    "pinyin": _("pinyin"),
    "pattern": _("shape of personal data"),
}

"""The PDF dossier of a development case (发展党员全程纪实): a cover with the person's data, the
full timeline of the recorded steps, the checklist of the standard documents, and the next step
with its dates. Every page carries who generated it and when, its page number, and a
verification code (an HMAC of the case and the generation time under the server's secret).

Chinese is drawn with a TrueType CJK font when the server has one that reportlab can embed
(``settings.PDF_CJK_FONT``, else one found under /usr/share/fonts), and otherwise with the
built-in CID font STSong-Light, which needs no font file (the reader supplies the glyphs).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.enums import TA_CENTER  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # type: ignore[import-untyped, unused-ignore]
from reportlab.platypus.flowables import Flowable  # type: ignore[import-untyped, unused-ignore]

from dangjian.audit.services import log_action
from dangjian.dashboard.templatetags.ui import cn_date
from dangjian.development import documents, selectors
from dangjian.development.models import Case, StepDocument, StepEvent
from dangjian.development.rules.steps import CANCEL, CONVERT, EXTEND, QUALIFIED, UNQUALIFIED
from dangjian.development.rules.steps import step as step_def
from dangjian.lib import masking
from dangjian.members.choices import ETHNICITY_CHOICES
from dangjian.members.models import Member

logger = logging.getLogger(__name__)

SALT = "dangjian.development.dossier"
CODE_LENGTH = 12
CID_FONT = "STSong-Light"
TTF_FONT = "DossierCJK"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
# Names of CJK font files, most likely to embed first (TrueType outlines).
FONT_HINTS = (
    "wqy",
    "uming",
    "ukai",
    "droidsansfallback",
    "simsun",
    "simhei",
    "msyh",
    "notosanssc",
    "notoserifsc",
    "notosanscjk",
    "notoserifcjk",
    "sourcehan",
    "cjk",
)
SAMPLE = "党支部发展"  # the glyphs a usable font must have


# --- verification code -----------------------------------------------------------------------


def verification_code(case_id: int, generated_at: dt.datetime) -> str:
    """The first 12 hex digits of an HMAC-SHA256 over the case and the generation time."""
    value = f"{case_id}|{generated_at.isoformat()}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:CODE_LENGTH]


def verify(case_id: int, generated_at: dt.datetime, code: str) -> bool:
    """Whether a code printed on a dossier is the one this server made for it."""
    return constant_time_compare(verification_code(case_id, generated_at), code.strip().lower())


# --- the font ---------------------------------------------------------------------------------


def _candidates() -> Iterable[Path]:
    found: list[tuple[int, str, Path]] = []
    for root in FONT_DIRS:
        base = Path(root)
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if path.suffix.lower() not in (".ttf", ".ttc", ".otf"):
                continue
            lowered = path.name.lower().replace("-", "").replace("_", "")
            rank = next((i for i, hint in enumerate(FONT_HINTS) if hint in lowered), None)
            if rank is not None:
                found.append((rank, str(path), path))
    return [path for _rank, _name, path in sorted(found)]


def _load(path: Path) -> bool:
    """Register the file as the dossier's font if reportlab can embed it and it has Chinese."""
    for index in range(4 if path.suffix.lower() == ".ttc" else 1):
        try:
            font = TTFont(TTF_FONT, str(path), subfontIndex=index)
        except Exception as error:  # CFF outlines, a bad file, no such subfont: try the next
            logger.debug("PDF font %s (%d) not usable: %s", path, index, error)
            continue
        if all(ord(char) in font.face.charToGlyph for char in SAMPLE):
            pdfmetrics.registerFont(font)
            return True
    return False


@functools.cache
def font_name() -> str:
    """The name of the registered font the dossier is drawn in (chosen once per process)."""
    configured = getattr(settings, "PDF_CJK_FONT", "") or ""
    paths = [Path(configured)] if configured else []
    for path in [*paths, *_candidates()]:
        if path.is_file() and _load(path):
            return TTF_FONT
    if configured:
        logger.warning("PDF_CJK_FONT %s cannot be embedded; using %s", configured, CID_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


# --- text of the dossier ----------------------------------------------------------------------


def step_name(number: int) -> str:
    """The step's name in the reader's language (its English name is the msgid of the official
    Chinese one)."""
    return _(step_def(number).name_en)


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [int(v) for v in values if isinstance(v, int) or (isinstance(v, str) and v.isdigit())]


def member_names(events: Iterable[StepEvent]) -> dict[int, str]:
    wanted = {pk for e in events for value in (e.actors or {}).values() for pk in _ids(value)}
    return dict(Member.objects.filter(pk__in=wanted).values_list("pk", "name"))


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def event_details(event: StepEvent, names: dict[int, str]) -> list[str]:
    """What the step recorded, one line each, in the reader's language."""

    def who(value: Any) -> str:
        return pgettext("list separator", ", ").join(names.get(pk, f"#{pk}") for pk in _ids(value))

    actors = event.actors or {}
    fields = event.fields or {}
    lines = []
    if actors.get("talker"):
        lines.append(_("Talk held by: %(names)s") % {"names": who(actors["talker"])})
    if actors.get("contacts"):
        lines.append(_("Cultivation contacts: %(names)s") % {"names": who(actors["contacts"])})
    if actors.get("sponsors"):
        lines.append(_("Sponsors: %(names)s") % {"names": who(actors["sponsors"])})
    start, end = _date(fields.get("notice_start")), _date(fields.get("notice_end"))
    if start or end:
        lines.append(
            _("Public notice from %(start)s to %(end)s")
            % {"start": cn_date(start) or "—", "end": cn_date(end) or "—"}
        )
    training = []
    if fields.get("training_days"):
        training.append(_("%(days)s days") % {"days": fields["training_days"]})
    if fields.get("training_hours"):
        training.append(_("%(hours)s class hours") % {"hours": fields["training_hours"]})
    if training:
        lines.append(
            _("Intensive training: %(length)s")
            % {"length": pgettext("list separator", ", ").join(training)}
        )
    conclusion = fields.get("review_conclusion")
    if conclusion:
        label = {QUALIFIED: _("Qualified"), UNQUALIFIED: _("Not qualified")}.get(conclusion)
        lines.append(_("Review conclusion: %(value)s") % {"value": label or conclusion})
    if event.vote:
        vote = event.vote
        lines.append(
            _("Vote: %(entitled)s entitled to vote, %(present)s present, %(yes)s in favour")
            % {
                "entitled": vote.get("entitled", "—"),
                "present": vote.get("present", "—"),
                "yes": vote.get("yes", "—"),
            }
        )
        if vote.get("written_yes"):
            lines.append(
                _("of them %(written)s in favour by written opinion before the meeting")
                % {"written": vote["written_yes"]}
            )
    if event.approver_org_id:
        lines.append(
            _("Approving organization: %(org)s") % {"org": event.approver_org.name}  # type: ignore[union-attr]
        )
    if event.outcome:
        outcome = {
            CONVERT: _("converted to full membership on time"),
            EXTEND: _("probation extended by %(months)s months")
            % {"months": event.extension_months or "—"},
            CANCEL: _("probationary membership cancelled"),
        }.get(event.outcome, event.outcome)
        lines.append(_("Outcome: %(outcome)s") % {"outcome": outcome})
    if event.is_exception:
        lines.append(
            _("Documented exception (%(rules)s): %(reason)s")
            % {
                "rules": ", ".join(event.exception_rules or []) or "—",
                "reason": event.exception_reason or "—",
            }
        )
    lines.extend(
        _("Warning %(rule)s: %(message)s")
        % {"rule": warning.get("rule", ""), "message": warning.get("message", "")}
        for warning in event.warnings or []
    )
    lines.append(_("Rules of %(version)s") % {"version": event.rule_version})
    return lines


@dataclass(frozen=True)
class DocumentLine:
    step: int
    name: str
    count: int


def checklist(case: Case) -> tuple[list[DocumentLine], list[StepDocument]]:
    """The standard forms of every step with how many files the case holds of each, and the
    case's other papers (no form, or a form no longer in the list)."""
    kept = list(case.documents.order_by("step", "uploaded_at", "id"))
    counts: dict[tuple[int, str], int] = {}
    for doc in kept:
        counts[(doc.step, doc.form)] = counts.get((doc.step, doc.form), 0) + 1
    lines = [
        DocumentLine(number, str(form.name), counts.get((number, form.code), 0))
        for number, forms in documents.FORMS.items()
        for form in forms
    ]
    known = {(number, form.code) for number, forms in documents.FORMS.items() for form in forms}
    others = [doc for doc in kept if (doc.step, doc.form) not in known]
    return lines, others


def ethnicity_of(case: Case) -> str:
    code = case.member.ethnicity if case.member_id else (case.profile or {}).get("ethnicity", "")  # type: ignore[union-attr]
    return str(dict(ETHNICITY_CHOICES).get(code, ""))


# --- the document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dossier:
    case_id: int
    content: bytes
    code: str
    generated_at: dt.datetime
    pages: int

    @property
    def filename(self) -> str:
        return f"dossier-{self.case_id}-{self.generated_at:%Y%m%d-%H%M%S}.pdf"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=12),
        "title": ParagraphStyle(
            "title", parent=body, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=6
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=14, leading=20, alignment=TA_CENTER, spaceAfter=18
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontSize=13,
            leading=18,
            spaceBefore=12,
            spaceAfter=6,
            textColor=colors.HexColor("#A10F16"),
        ),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(rows: list[list[Any]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA0A6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#FDECEC")))
    table.setStyle(TableStyle(style))
    return table


def _numbered_canvas(font: str, left: str, code_text: str) -> type[Canvas]:
    """A canvas that draws the footer on every page once it knows how many pages there are."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(colors.HexColor("#646A73"))
            self.setStrokeColor(colors.HexColor("#E5E6EB"))
            self.line(18 * mm, 16 * mm, width - 18 * mm, 16 * mm)
            self.drawString(18 * mm, 11 * mm, left)
            self.drawString(18 * mm, 7 * mm, code_text)
            page = _("Page %(page)d of %(total)d") % {
                "page": self._pageNumber,
                "total": total,
            }
            self.drawRightString(width - 18 * mm, 11 * mm, page)
            self.restoreState()

    return NumberedCanvas


def build(case: Case, *, actor: Any, now: dt.datetime | None = None) -> Dossier:
    """The dossier of the case as a PDF, generated by ``actor`` at ``now``."""
    generated_at = (now or timezone.now()).replace(microsecond=0)
    code = verification_code(case.pk, generated_at)
    font = font_name()
    st = _styles(font)
    view = selectors.case_view(case, today=timezone.localdate(generated_at))
    names = member_names(view.events)
    full = A4[0] - 36 * mm

    story: list[Flowable] = [
        _p(_("Member development dossier"), st["title"]),
        _p(case.name, st["subtitle"]),
    ]
    cover = [
        (_("Name"), case.name),
        (_("Gender"), case.get_gender_display()),
        (_("Ethnicity"), ethnicity_of(case)),
        (_("Date of birth"), cn_date(case.birth_date)),
        (_("Citizen ID number"), masking.mask_id_number(case.id_number or "")),
        (_("Organization"), case.organization.name),
        (_("Application date"), cn_date(case.application_date)),
        (_("Stage"), case.get_stage_display()),
        (_("Status"), case.get_status_display()),
        (_("Rule version at start"), case.rule_version),
    ]
    story.append(
        _table(
            [[_p(k, st["body"]), _p(v or "—", st["body"])] for k, v in cover],
            [40 * mm, full - 40 * mm],
            header=False,
        )
    )

    story.append(_p(_("Timeline"), st["h2"]))
    rows: list[list[Any]] = [
        [_p(h, st["body"]) for h in (_("Step"), _("Step name"), _("Date"), _("Details recorded"))]
    ]
    rows.extend(
        [
            _p(event.step, st["body"]),
            _p(step_name(event.step), st["body"]),
            _p(cn_date(event.date), st["body"]),
            _p("\n".join(event_details(event, names)), st["small"]),
        ]
        for event in view.events
    )
    if len(rows) == 1:
        rows.append([_p("—", st["body"]), _p(_("No step recorded yet."), st["body"]), "", ""])
    story.append(_table(rows, [12 * mm, 50 * mm, 30 * mm, full - 92 * mm]))

    story.append(_p(_("Documents"), st["h2"]))
    lines, others = checklist(case)
    rows = [[_p(h, st["body"]) for h in (_("Step"), _("Document"), _("Kept"))]]
    for line in lines:
        kept = _("Present (%(count)d)") % {"count": line.count} if line.count else _("Missing")
        rows.append([_p(line.step, st["body"]), _p(line.name, st["body"]), _p(kept, st["body"])])
    for doc in others:
        rows.append(
            [_p(doc.step, st["body"]), _p(doc.title, st["body"]), _p(_("Other paper"), st["body"])]
        )
    story.append(_table(rows, [12 * mm, full - 42 * mm, 30 * mm]))

    story.append(_p(_("Next step"), st["h2"]))
    nxt = view.next_step
    if nxt is None:
        story.append(
            _p(
                _("None: the case is %(status)s.") % {"status": case.get_status_display()},
                st["body"],
            )
        )
    else:
        details = [
            (_("Step"), f"{nxt.step} {step_name(nxt.step)}"),
            (_("Earliest date"), cn_date(nxt.earliest) or "—"),
            (_("Latest date"), cn_date(nxt.latest) or "—"),
        ]
        if nxt.hard_latest:
            details.append((_("Never later than"), cn_date(nxt.hard_latest)))
        if nxt.rule:
            details.append((_("Rule"), f"{nxt.rule} ({nxt.version})"))
        story.append(
            _table(
                [[_p(k, st["body"]), _p(v, st["body"])] for k, v in details],
                [40 * mm, full - 40 * mm],
                header=False,
            )
        )
    story.append(Spacer(1, 8 * mm))
    story.append(
        _p(
            _(
                "The citizen ID number is masked. The verification code in the footer proves "
                "this copy was generated by the platform; ask the organization department to "
                "check it."
            ),
            st["small"],
        )
    )

    local = timezone.localtime(generated_at)
    who = getattr(actor, "display_name", "") or actor.get_username()
    left = _("Generated at %(time)s by %(name)s") % {
        "time": f"{cn_date(local.date())} {local:%H:%M:%S}",
        "name": who,
    }
    code_text = _("Verification code: %(code)s") % {"code": code}
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=_("Member development dossier: %(name)s") % {"name": case.name},
        author=who,
        subject=code_text,
        keywords=[code],
        creator="dangjian",
    )
    doc.build(story, canvasmaker=_numbered_canvas(font, left, code_text))
    return Dossier(
        case_id=case.pk,
        content=out.getvalue(),
        code=code,
        generated_at=generated_at,
        pages=doc.page,
    )


def export(case: Case, *, actor: Any) -> Dossier:
    """Build the dossier and record in the audit log who exported it, with its code."""
    dossier = build(case, actor=actor)
    log_action(
        actor,
        "development.dossier.exported",
        target=case,
        org_code=case.organization.code,
        detail={
            "code": dossier.code,
            "generated_at": dossier.generated_at.isoformat(),
            "pages": dossier.pages,
        },
    )
    return dossier

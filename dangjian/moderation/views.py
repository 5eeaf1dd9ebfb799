"""Moderation pages: the review queue, one held text, the dictionary, re-scans, monitoring."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from dangjian.accounts.typing import AuthedRequest
from dangjian.audit.services import log_action
from dangjian.lib import excel
from dangjian.lib import screening as contract
from dangjian.lib.forms import apply_errors
from dangjian.moderation import dictionary, files, selectors, services
from dangjian.moderation.forms import (
    MONITORING_DAYS,
    ApproveForm,
    CategoryForm,
    ImportForm,
    OptionsForm,
    PhraseForm,
    QueueFilterForm,
    RejectForm,
    TermForm,
    TryForm,
)
from dangjian.moderation.models import (
    ActionChoice,
    AllowedPhrase,
    Category,
    Rescan,
    Screening,
    Term,
)
from dangjian.orgs import permissions as perms

PAGE_SIZE = 20
QUEUE_TABS = [
    (state, Screening.State(state).label)
    for state in ("held", "approved", "rejected", "published", "refused")
]


def _require(request: HttpRequest, capability: str) -> None:
    if not perms.has_any_scope(request.user, capability):
        raise Http404


def _require_manager(request: HttpRequest) -> None:
    if not selectors.may_manage_dictionary(request.user):
        raise Http404


def _sources() -> list[tuple[str, str]]:
    return [(s.code, str(s.label)) for s in contract.sources()]


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    _require(request, perms.MODERATION_REVIEW)
    form = QueueFilterForm(request.GET or None, sources=_sources())
    filters = form.cleaned_data if form.is_valid() else {}
    state = filters.get("state") or Screening.State.HELD
    rows = selectors.queue(
        request.user,
        state=state,
        source=filters.get("source", ""),
        category=filters.get("category", ""),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    held = selectors.queue(request.user).count() if state != Screening.State.HELD else None
    return render(
        request,
        "moderation/queue.html",
        {
            "form": form,
            "state": state,
            "states": QUEUE_TABS,
            "page": page,
            "items": [(s, selectors.highlighted(s)) for s in page.object_list],
            "labels": dict(_sources()),
            "category_names": dict(Category.objects.values_list("code", "name")),
            "held_count": held if held is not None else page.paginator.count,
        },
    )


@login_required
def screening_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    screening = selectors.screening_get(request.user, pk)
    return _detail(request, screening, ApproveForm(prefix="approve"), RejectForm(prefix="reject"))


def _detail(
    request: AuthedRequest,
    screening: Screening,
    approve_form: ApproveForm,
    reject_form: RejectForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "moderation/screening_detail.html",
        {
            "screening": screening,
            "pieces": selectors.highlighted(screening),
            "hits": list(screening.hits.all()),
            "source_label": selectors.source_label(screening.source),
            "source_link": selectors.source_link(screening),
            "category_names": dict(Category.objects.values_list("code", "name")),
            "approve_form": approve_form,
            "reject_form": reject_form,
        },
        status=status,
    )


def _decide(request: AuthedRequest, pk: int, *, approve: bool) -> HttpResponse:
    """Approve or reject from the page; a refused decision comes back beside the form."""
    screening = selectors.screening_get(request.user, pk)
    approve_form = ApproveForm(request.POST if approve else None, prefix="approve")
    reject_form = RejectForm(None if approve else request.POST, prefix="reject")
    form: ApproveForm | RejectForm = approve_form if approve else reject_form
    if form.is_valid():
        decide = services.screening_approve if approve else services.screening_reject
        try:
            decide(screening, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = (
                _("Approved: the text is now shown, and its author was told.")
                if approve
                else _("Rejected: the text stays hidden, and its author was told.")
            )
            messages.success(request, done)
            return redirect("moderation:queue")
    return _detail(request, screening, approve_form, reject_form, status=422)


@login_required
@require_POST
def screening_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@login_required
@require_POST
def screening_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


# The dictionary


@login_required
def dictionary_home(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    query = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    terms = selectors.terms(query=query, category=category)
    page = Paginator(terms, 50).get_page(request.GET.get("page"))
    row = dictionary.dictionary_row()
    return render(
        request,
        "moderation/dictionary.html",
        {
            "page": page,
            "query": query,
            "category": category,
            "categories": selectors.categories(),
            "phrases": AllowedPhrase.objects.all()[:200],
            "phrase_count": AllowedPhrase.objects.count(),
            "term_form": TermForm(),
            "phrase_form": PhraseForm(),
            "options_form": OptionsForm(
                initial={
                    "chinese_numerals": row.chinese_numerals,
                    "personal_data": row.personal_data,
                }
            ),
            "try_form": TryForm(),
            "dictionary": row,
            "rescan": selectors.latest_rescan(),
        },
    )


def _back_to_dictionary(request: HttpRequest) -> HttpResponse:
    return redirect("moderation:dictionary")


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def term_add(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    form = TermForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(map(str, errors))}")
        return _back_to_dictionary(request)
    category = form.cleaned_data["category"]
    try:
        term = services.term_save(
            actor=request.user,
            text=form.cleaned_data["text"],
            category=category,
            action=form.cleaned_data["action"] or category.default_action,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("“%(term)s” is in the dictionary.") % {"term": term.text})
    return _back_to_dictionary(request)


@login_required
def term_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    term = get_object_or_404(Term.objects.select_related("category"), pk=pk)
    initial = {"text": term.text, "category": term.category.code, "action": term.action}
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        category = form.cleaned_data["category"]
        try:
            services.term_save(
                actor=request.user,
                term=term,
                text=form.cleaned_data["text"],
                category=category,
                action=form.cleaned_data["action"] or category.default_action,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved; every process uses it within seconds."))
            return _back_to_dictionary(request)
    return render(request, "moderation/term_form.html", {"form": form, "term": term})


@login_required
@require_POST
def term_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    term = get_object_or_404(Term.objects.select_related("category"), pk=pk)
    services.term_delete(actor=request.user, term=term)
    messages.success(request, _("“%(term)s” was removed.") % {"term": term.text})
    return _back_to_dictionary(request)


@login_required
@require_POST
def phrase_add(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    form = PhraseForm(request.POST)
    if form.is_valid():
        try:
            services.phrase_add(actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The phrase is allowed."))
    else:
        messages.error(request, " ".join(map(str, form.errors.get("text", []))))
    return _back_to_dictionary(request)


@login_required
@require_POST
def phrase_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    phrase = get_object_or_404(AllowedPhrase, pk=pk)
    services.phrase_delete(actor=request.user, phrase=phrase)
    messages.success(request, _("“%(term)s” was removed.") % {"term": phrase.text})
    return _back_to_dictionary(request)


@login_required
@require_POST
def category_edit(request: AuthedRequest, code: str) -> HttpResponse:
    _require_manager(request)
    category = get_object_or_404(Category, code=code)
    form = CategoryForm(request.POST)
    if form.is_valid():
        services.category_save(actor=request.user, category=category, **form.cleaned_data)
        messages.success(request, _("Saved; every process uses it within seconds."))
    else:
        messages.error(request, _("Choose a default action."))
    return _back_to_dictionary(request)


@login_required
@require_POST
def options_edit(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    form = OptionsForm(request.POST)
    if form.is_valid():
        services.options_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved; every process uses it within seconds."))
    else:
        messages.error(request, _("Choose what happens to personal data."))
    return _back_to_dictionary(request)


@login_required
@require_POST
def try_text(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    form = TryForm(request.POST)
    verdict = services.check(form.cleaned_data["text"]) if form.is_valid() else None
    names = dict(Category.objects.values_list("code", "name"))
    return render(
        request, "moderation/_try_result.html", {"form": form, "verdict": verdict, "names": names}
    )


@login_required
def dictionary_import(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.dictionary_import(
                actor=request.user,
                content=upload.read(),
                filename=upload.name,
                phrases=form.cleaned_data["kind"] == "phrases",
                default_category=form.cleaned_data["default_category"],
                keep_valid=form.cleaned_data["keep_valid"],
            )
        except files.DictionaryFileError as exc:
            form.add_error("file", str(exc))
    return render(
        request,
        "moderation/import.html",
        {"form": form, "result": result, "problems": list(result.problems)[:500] if result else []},
        status=422 if form.errors or (result and not result.imported) else 200,
    )


@login_required
def dictionary_export(request: AuthedRequest) -> FileResponse:
    _require_manager(request)
    kind = "phrases" if request.GET.get("kind") == "phrases" else "terms"
    as_xlsx = request.GET.get("format") == "xlsx"
    stamp = timezone.localdate().isoformat()
    if kind == "phrases":
        phrases = AllowedPhrase.objects.order_by("text").values_list("text", flat=True)
        content: Any = (
            files.phrases_workbook(phrases) if as_xlsx else io.BytesIO(files.phrases_text(phrases))
        )
        name = f"allowed-phrases-{stamp}"
    else:
        rows = Term.objects.order_by("category__position", "text")
        if as_xlsx:
            labels = dict(ActionChoice.choices)
            content = files.terms_workbook(
                (t, c, str(labels[a]))
                for t, c, a in rows.values_list("text", "category__name", "action")
            )
        else:
            content = io.BytesIO(
                files.terms_text(rows.values_list("text", "category__code", "action"))
            )
        name = f"sensitive-words-{stamp}"
    log_action(
        request.user,
        "moderation.dictionary.exported",
        target_label=name,
        detail={"kind": kind, "format": "xlsx" if as_xlsx else "txt"},
    )
    suffix = "xlsx" if as_xlsx else "txt"
    return FileResponse(content, as_attachment=True, filename=f"{name}.{suffix}")


# Re-scans


@login_required
@require_POST
def rescan_start(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    try:
        rescan = services.rescan_start(actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return _back_to_dictionary(request)
    return redirect("moderation:rescan-detail", pk=rescan.pk)


@login_required
def rescan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    rescan = get_object_or_404(Rescan, pk=pk)
    running = rescan.status in (Rescan.Status.QUEUED, Rescan.Status.RUNNING)
    context = {"rescan": rescan, "running": running}
    if request.htmx and running:
        return render(request, "moderation/_rescan_progress.html", context)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "moderation/rescan_detail.html", context)


# Monitoring


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    return days if days in dict(MONITORING_DAYS) else 30


@login_required
def monitoring(request: AuthedRequest) -> HttpResponse:
    _require(request, perms.MODERATION_MONITOR)
    days = _days(request)
    figures = selectors.monitoring(request.user, days=days)
    chart = {
        "labels": [d.strftime("%m-%d") for d in figures.days],
        "series": [
            {"name": c.name, "data": figures.daily[c.code]}
            for c in figures.categories
            if any(figures.daily[c.code])
        ],
    }
    return render(
        request,
        "moderation/monitoring.html",
        {
            "figures": figures,
            "days": days,
            "day_choices": MONITORING_DAYS,
            "chart": chart,
            "category_names": {c.code: c.name for c in figures.categories},
            "labels": dict(_sources()),
            "can_review": perms.has_any_scope(request.user, perms.MODERATION_REVIEW),
            "now": timezone.now(),
        },
    )


@login_required
def monitoring_export(request: AuthedRequest) -> FileResponse:
    _require(request, perms.MODERATION_MONITOR)
    days = _days(request)
    workbook = excel.write_workbook(
        selectors.hit_rows(request.user, days=days),
        headers=[
            _("Time"),
            pgettext("moderation", "Category"),
            _("Term"),
            pgettext("moderation", "Action"),
            _("Organization"),
            _("Where"),
            _("State"),
            _("Author"),
        ],
        sheet_name=_("Hits"),
    )
    log_action(
        request.user,
        "moderation.monitoring.exported",
        target_label=_("Moderation hits"),
        detail={"days": days},
    )
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        workbook, as_attachment=True, filename=f"moderation-hits-{days}d-{stamp}.xlsx"
    )

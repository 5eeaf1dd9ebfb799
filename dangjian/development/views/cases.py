"""The branch's pages of member development: the pipeline board, the due list, a new
applicant, a person's timeline (全程纪实) with its step form and documents, and a step for
many people at once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.typing import AuthedRequest
from dangjian.audit.services import log_action
from dangjian.development import deadlines, membership, pipeline, selectors, services
from dangjian.development.forms import BatchForm, DocumentForm, PersonForm, ProfileForm, StepForm
from dangjian.development.models import CaseReturn, StepDocument
from dangjian.development.rules.steps import STEPS, Stage
from dangjian.development.rules.steps import step as step_def
from dangjian.lib.forms import apply_errors
from dangjian.orgs import permissions as perms

BOARD_CARDS = 40
DUE_ROWS = 200  # of each group; the counts are whole
BATCH_PEOPLE = 200  # a meeting's worth and more; a larger scope chooses an organization


def _require_view(request: AuthedRequest) -> None:
    if not perms.has_any_scope(request.user, perms.DEVELOPMENT_VIEW):
        raise Http404


@login_required
def board(request: AuthedRequest) -> HttpResponse:
    """The pipeline by stage, each person with their next step and its deadline."""
    _require_view(request)
    org = pipeline.chosen_org(request.user, request.GET.get("org"))
    found = pipeline.board(request.user, org=org, limit=BOARD_CARDS)
    return render(
        request,
        "development/cases/board.html",
        {
            "org": org,
            "orgs": pipeline.org_choices(request.user),
            "columns": found.columns,
            "due": {"overdue": found.overdue, "due_soon": found.due_soon},
            "total": found.total,
            "several_orgs": found.several_orgs,
            "may_manage": perms.has_any_scope(request.user, perms.DEVELOPMENT_MANAGE),
        },
    )


@login_required
def due(request: AuthedRequest) -> HttpResponse:
    """Everything overdue, due within 30 days, or later, for a branch or a committee."""
    _require_view(request)
    org = pipeline.chosen_org(request.user, request.GET.get("org"))
    # The urgent groups (up to DUE_ROWS each) and the later ones counted; one group asked for
    # (?show=) is paged through in full.
    show = request.GET.get("show", "")
    if show in deadlines.GROUPS:
        return _due_group(request, org, show)
    listed = deadlines.due_list(
        request.user, org=org, limit=DUE_ROWS, groups=("overdue", "due_soon")
    )
    counts = listed.counts
    groups = [
        ("overdue", _("Overdue"), listed.overdue, _("Nothing is overdue."), counts["overdue"]),
        (
            "due_soon",
            _("Due within 30 days"),
            listed.due_soon,
            _("Nothing falls due in the next 30 days."),
            counts["due_soon"],
        ),
        ("later", _("Due later"), listed.later, _("No later deadlines."), counts["later"]),
        (
            "undated",
            _("No deadline set by the rules"),
            listed.undated,
            _("None."),
            counts["undated"],
        ),
    ]
    return render(
        request,
        "development/cases/due.html",
        {
            "org": org,
            "orgs": pipeline.org_choices(request.user),
            "groups": groups,
            "shown": ["overdue", "due_soon"],
        },
    )


def _due_group(request: AuthedRequest, org: Any, group: str) -> HttpResponse:
    today = timezone.localdate()
    days = services.RULES_CONFIG.due_soon_days
    cases = deadlines.due_group(request.user, group, org=org, today=today)
    page = Paginator(cases, DUE_ROWS).get_page(request.GET.get("page"))
    titles = {
        "overdue": _("Overdue"),
        "due_soon": _("Due within 30 days"),
        "later": _("Due later"),
        "undated": _("No deadline set by the rules"),
    }
    return render(
        request,
        "development/cases/due_group.html",
        {
            "org": org,
            "title": titles[group],
            "page": page,
            "rows": [deadlines.kept_deadline(c, today, days) for c in page.object_list],
        },
    )


@login_required
def case_new(request: AuthedRequest) -> HttpResponse:
    organizations = pipeline.manageable_orgs(request.user)
    if not organizations.exists():
        raise Http404
    form = PersonForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = services.Person(
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            profile={name: data.get(name) for name in membership.PROFILE_FIELDS},
        )
        try:
            case = services.case_create(
                actor=request.user,
                person=person,
                org=data["organization"],
                application_date=data["application_date"],
                expected_leave_date=data["expected_leave_date"],
            )
        except ValidationError as error:
            _apply(form, error, default="application_date")
        else:
            messages.success(
                request, _("%(name)s's application is recorded.") % {"name": case.name}
            )
            return redirect("development:case", case.pk)
    return render(
        request, "development/cases/new.html", {"form": form}, status=422 if form.errors else 200
    )


def _apply(form: Any, error: ValidationError, default: str) -> None:
    """Put a service's error beside its field; a rule's refusal goes beside ``default``."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            target = (
                name if name in form.fields else (default if name in ("step", "member") else None)
            )
            for text in texts:
                form.add_error(target, text)
    else:
        apply_errors(form, error)


def _step_form(request: AuthedRequest, case: Any, number: int, data: Any = None) -> StepForm:
    return StepForm(
        data,
        step=number,
        members=pipeline.actor_members([case], number),
        approvers=pipeline.approver_orgs([case]),
        may_except=perms.has_capability(request.user, case.organization, perms.DEVELOPMENT_APPROVE),
    )


def _form_step(request: AuthedRequest, view: selectors.CaseView) -> int | None:
    """The step the form offers: the one asked for (?step=), else the next one."""
    asked = request.GET.get("step") or request.POST.get("step")
    if asked and asked.isdigit() and 1 <= int(asked) <= 25:
        return int(asked)
    return view.next_step.step if view.next_step is not None else None


@login_required
def case_detail(request: AuthedRequest, pk: int, form: StepForm | None = None) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    view = selectors.case_view(case)
    may_manage = perms.has_capability(request.user, case.organization, perms.DEVELOPMENT_MANAGE)
    may_approve = perms.has_capability(request.user, case.organization, perms.DEVELOPMENT_APPROVE)
    number = _form_step(request, view)
    if form is None and number is not None and case.status == "open":
        may_record = may_manage if number not in services.APPROVAL_STEPS else may_approve
        form = _step_form(request, case, number) if may_record else None
    docs = list(case.documents.select_related("upload").order_by("step", "uploaded_at"))
    context = {
        "case": case,
        "view": view,
        "stages": [(int(s), s) for s in Stage],
        "names": pipeline.member_names(view.events),
        "form": form,
        "form_step": form.step if form is not None else None,
        "repeatable": pipeline.other_steps(view.events, exclude=number),
        "documents": pipeline.document_checklist(view.events, docs),
        "document_form": DocumentForm() if may_manage else None,
        "open_return": CaseReturn.objects.filter(case=case, resolved_at__isnull=True).first(),
        "may_manage": may_manage,
        "may_approve": may_approve,
        "missing_profile": membership.missing_profile(case),
        "recorded_steps": {e.step for e in view.events},
    }
    return render(
        request,
        "development/cases/detail.html",
        context,
        status=422 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def step_record(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    number = request.POST.get("step", "")
    if not number.isdigit() or not 1 <= int(number) <= 25:
        view = selectors.case_view(case)
        number = str(view.next_step.step if view.next_step is not None else 1)
    capability = (
        perms.DEVELOPMENT_APPROVE
        if int(number) in services.APPROVAL_STEPS
        else perms.DEVELOPMENT_MANAGE
    )
    if not perms.has_capability(request.user, case.organization, capability):
        raise PermissionDenied
    form = _step_form(request, case, int(number), request.POST)
    if form.is_valid():
        exception = form.exception()
        try:
            event = services.step_record(
                actor=request.user,
                case=case,
                step=int(number),
                date=form.cleaned_data["date"],
                fields=form.step_fields(),
                exception=services.StepException(*exception) if exception else None,
            )
        except ValidationError as error:
            _apply(form, error, default="date")
        else:
            messages.success(
                request,
                _("Step %(step)d (%(name)s) is recorded for %(date)s.")
                % {
                    "step": event.step,
                    "name": _(step_def(event.step).name_en),
                    "date": event.date.isoformat(),
                },
            )
            return redirect("development:case", case.pk)
    return case_detail(request, pk, form=form)


@login_required
def case_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if not perms.has_capability(request.user, case.organization, perms.DEVELOPMENT_MANAGE):
        raise PermissionDenied
    initial = {
        "phone": case.phone,
        "expected_leave_date": case.expected_leave_date,
        **(case.profile or {}),
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                actor=request.user,
                case=case,
                phone=data["phone"],
                profile={name: data.get(name) for name in membership.PROFILE_FIELDS},
                expected_leave_date=data["expected_leave_date"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The person's data is saved."))
            return redirect("development:case", case.pk)
    return render(
        request,
        "development/cases/edit.html",
        {"case": case, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def document_add(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if not perms.has_capability(request.user, case.organization, perms.DEVELOPMENT_MANAGE):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                actor=request.user,
                case=case,
                step=data["step"],
                form=data["form"],
                title=data["title"],
                file=data["file"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request, _("The document is kept with step %(step)d.") % {"step": data["step"]}
            )
    else:
        for field, texts in form.errors.items():
            label = str(form.fields[field].label) if field in form.fields else ""
            for problem in texts:
                messages.error(request, f"{label}: {problem}" if label else str(problem))
    return redirect(f"{_case_url(case.pk)}#documents")


def _case_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("development:case", args=[pk])


def _document(request: AuthedRequest, pk: int) -> StepDocument:
    document = get_object_or_404(
        StepDocument.objects.select_related("case__organization", "upload"), pk=pk
    )
    selectors.case_for(request.user, document.case_id)  # 404 out of scope
    return document


@login_required
def document_file(request: AuthedRequest, pk: int) -> FileResponse:
    document = _document(request, pk)
    log_action(
        request.user,
        "development.document.read",
        target=document.case,
        org_code=document.case.organization.code,
        detail={"step": document.step, "form": document.form, "title": document.title},
    )
    try:
        handle = document.upload.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=document.upload.content_type,
        as_attachment=True,
        filename=document.upload.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    case_pk = document.case_id
    services.document_remove(actor=request.user, document=document)
    messages.success(request, _("The document is removed."))
    return redirect(f"{_case_url(case_pk)}#documents")


@login_required
def batch(request: AuthedRequest) -> HttpResponse:
    """One step for many people at once: the branch meeting that admits several."""
    if not perms.has_any_scope(request.user, perms.DEVELOPMENT_MANAGE):
        raise Http404
    org = pipeline.chosen_org(request.user, request.GET.get("org") or request.POST.get("org"))
    asked = request.GET.get("step") or request.POST.get("step") or ""
    if asked.isdigit() and 1 < int(asked) <= 25:
        number = int(asked)
    else:  # the step most people wait for
        _rows, counts = pipeline.batch_candidates(request.user, org=org, step=0, limit=0)
        number = max(counts, key=lambda n: (counts[n], -n)) if counts else 2
    candidates, waiting = pipeline.batch_candidates(
        request.user, org=org, step=number, limit=BATCH_PEOPLE
    )
    data = request.POST if request.method == "POST" else None
    form = BatchForm(data, step=number, candidates=candidates, may_except=False)
    refused: list[str] = []
    if data is not None and form.is_valid():
        chosen = form.chosen_cases()
        try:
            events = services.step_record_batch(
                actor=request.user,
                cases=chosen,
                step=number,
                date=form.cleaned_data["date"],
                fields=form.common_fields(),
                per_case=form.per_case_fields(),
            )
        except ValidationError as error:
            refused = pipeline.batch_refusals(error, candidates)
            if not refused:
                _apply(form, error, default="date")
        else:
            messages.success(
                request,
                _("Step %(step)d is recorded for %(count)d people.")
                % {"step": number, "count": len(events)},
            )
            return redirect(f"{_board_url()}?org={org.code}" if org else _board_url())
    return render(
        request,
        "development/cases/batch.html",
        {
            "org": org,
            "orgs": pipeline.org_choices(request.user),
            "step": number,
            "steps": [(s.number, waiting.get(s.number, 0)) for s in STEPS if s.number != 1],
            "form": form,
            "refused": refused,
            "waiting_total": waiting.get(number, 0),
        },
        status=422 if form.errors or refused else 200,
    )


def _board_url() -> str:
    from django.urls import reverse

    return reverse("development:board")

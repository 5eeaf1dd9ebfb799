"""Member pages: the roster, a member's record and history, the forms, import and export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts.typing import AuthedRequest
from dangjian.audit.services import log_action
from dangjian.lib import crypto
from dangjian.lib.forms import apply_errors
from dangjian.lib.pagination import COUNT_CAP, SeekPage, capped_count
from dangjian.lib.tasks import enqueue_on_commit
from dangjian.members import selectors
from dangjian.members.choices import Standing, Status
from dangjian.members.forms import (
    EventForm,
    ExportForm,
    FlagsForm,
    HistoryForm,
    ImportForm,
    MemberForm,
    PostEndForm,
    PostForm,
    RosterFilterForm,
    StatementForm,
)
from dangjian.members.models import EXIT_KINDS, EventKind, ImportJob, Member, PostHolding
from dangjian.members.services import events, exporting, importing, records, statement
from dangjian.members.tasks import import_job_commit_task, import_job_validate_task
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, subtree_q
from dangjian.orgs.selectors import (
    children_preview,
    org_breadcrumbs,
    org_by_code,
    org_get_for_user,
    org_roots_for_user,
)

PAGE_SIZE = 20


def _scope_org(request: HttpRequest, capability: str) -> Organization:
    """The organization named by ?org=, or the user's own top organization for the capability."""
    code = request.GET.get("org") or request.POST.get("org") or ""
    if code:
        org = org_by_code(code)
        if org is None or not perms.has_capability(request.user, org, capability):
            raise Http404
        return org
    roots = org_roots_for_user(request.user, capability)
    if not roots:
        raise Http404
    return roots[0]


def _branches_for(user: Any, capability: str) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(perms.scope_q(user, capability))
        .filter(kind=Organization.Kind.BRANCH, is_active=True)
        .order_by("path")
    )


def _filters(
    form: RosterFilterForm, org: Organization, group: Organization | None = None
) -> selectors.RosterFilters:
    data = form.cleaned_data if form.is_valid() else {}
    standing = data.get("standing", Standing.ACTIVE) if form.is_bound else Standing.ACTIVE
    return selectors.RosterFilters(
        org=org,
        standing=standing or "",
        status=data.get("status", ""),
        category=data.get("category", ""),
        gender=data.get("gender", ""),
        ethnicity=data.get("ethnicity", ""),
        education=data.get("education", ""),
        age_band=data.get("age", ""),
        flag=data.get("flag", ""),
        q=data.get("q", ""),
        party_group=group,
    )


def _group(request: AuthedRequest, org: Organization) -> Organization | None:
    code = request.GET.get("group", "")
    if not code or org.kind != Organization.Kind.BRANCH:
        return None
    return org.children.filter(code=code, kind=Organization.Kind.GROUP).first()


@login_required
def roster(request: AuthedRequest) -> HttpResponse:
    org = _scope_org(request, perms.MEMBERS_VIEW)
    params = request.GET.copy()
    params.setdefault("org", org.code)
    if "standing" not in params:
        params["standing"] = Standing.ACTIVE
    form = RosterFilterForm(params)
    group = _group(request, org)
    filters = _filters(form, org, group)
    page = SeekPage(
        lambda start, stop: selectors.roster_page_rows(request.user, filters, start, stop),
        request.GET.get("page", 1),
        PAGE_SIZE,
    )
    total = selectors.roster_known_count(request.user, filters)
    query = params.copy()
    query.pop("page", None)
    children, more_children = children_preview(org)
    breadcrumbs = org_breadcrumbs(request.user, org)
    context = {
        "org": org,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "breadcrumbs": breadcrumbs,
        "up": breadcrumbs[-2] if len(breadcrumbs) > 1 else None,
        "can_manage": perms.has_capability(request.user, org, perms.MEMBERS_MANAGE),
        "can_import": perms.has_capability(request.user, org, perms.MEMBERS_IMPORT),
        "can_export": perms.has_capability(request.user, org, perms.MEMBERS_EXPORT),
        "total": total,
        "pages": -(-total // PAGE_SIZE) if total is not None else None,
        "children": children,
        "more_children": more_children,
        "group": group,
    }
    template = "members/_roster_table.html" if request.htmx else "members/roster.html"
    return render(request, template, context)


@login_required
def roster_count(request: AuthedRequest) -> HttpResponse:
    """The size of a filtered roster, loaded after its first page (see SeekPage)."""
    org = _scope_org(request, perms.MEMBERS_VIEW)
    params = request.GET.copy()
    params.setdefault("standing", Standing.ACTIVE)
    form = RosterFilterForm(params)
    filters = _filters(form, org, _group(request, org))
    total = selectors.roster_known_count(request.user, filters)
    capped = False
    if total is None:
        total, capped = capped_count(selectors.roster_qs(request.user, filters), COUNT_CAP)
    return render(
        request,
        "members/_roster_count.html",
        {"total": total, "capped": capped, "pages": -(-total // PAGE_SIZE)},
    )


@login_required
def member_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(request.user, pk)
    user = request.user
    manage = perms.has_capability(user, member.organization, perms.MEMBERS_MANAGE)
    is_self = member.user_id is not None and member.user_id == user.pk
    timeline = selectors.member_timeline(member)
    context = {
        "member": member,
        "breadcrumbs": org_breadcrumbs(user, member.organization)
        if perms.has_capability(user, member.organization, perms.ORGS_VIEW)
        else [],
        "timeline": timeline,
        "posts": selectors.member_posts(member),
        "sanction": selectors.sanction_from_events(timeline, timezone.localdate()),
        "can_manage": manage and member.standing == Standing.ACTIVE,
        "can_record": manage,
        "can_reveal": selectors.may_view_sensitive(user, member),
        "is_self": is_self,
        "today": timezone.localdate(),
        "probation_overdue": member.status == Status.PROBATIONARY
        and member.standing == Standing.ACTIVE
        and (timezone.localdate() - member.joined_on).days > 366,
    }
    return render(request, "members/member_detail.html", context)


@login_required
@require_POST
def member_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show the full ID number, phone and address once, and audit that they were seen."""
    member = selectors.member_get_for_user(request.user, pk)
    if not selectors.may_view_sensitive(request.user, member):
        raise PermissionDenied
    log_action(
        request.user,
        "members.member.revealed",
        target=member,
        org_code=member.organization.code,
        detail={"fields": ["id_number", "phone", "address"]},
    )
    response = render(request, "members/_sensitive.html", {"member": member, "revealed": True})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: AuthedRequest) -> HttpResponse:
    branches = _branches_for(request.user, perms.MEMBERS_MANAGE)
    if not branches.exists():
        raise Http404
    initial: dict[str, Any] = {"status": Status.FULL, "origin": EventKind.REGISTERED}
    org_code = request.GET.get("org")
    if org_code and branches.filter(code=org_code).exists():
        initial["organization"] = org_code
    elif branches.count() == 1:
        initial["organization"] = branches[0].code
    form = MemberForm(request.POST or None, branches=branches, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = records.member_create(
                actor=request.user,
                data=form.service_data(),
                origin=form.cleaned_data["origin"],
                origin_date=form.cleaned_data.get("origin_date"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The record of %(name)s has been created.") % {"name": member.name}
            )
            return redirect("members:member-detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(request.user, pk, perms.MEMBERS_MANAGE)
    if member.standing != Standing.ACTIVE:
        raise Http404
    initial = {
        field: getattr(member, field)
        for field in (
            "name",
            "gender",
            "birth_date",
            "ethnicity",
            "native_place",
            "education",
            "degree",
            "category",
            "staff_number",
            "grade",
            "email",
            "address",
            "id_number",
            "phone",
        )
    }
    initial["joined_on"] = member.joined_on.isoformat()
    initial["full_member_on"] = member.full_member_on.isoformat() if member.full_member_on else ""
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            records.member_update(actor=request.user, member=member, data=form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The record has been saved."))
            return redirect("members:member-detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": member})


def _own_member(request: AuthedRequest) -> Member:
    """The signed-in user's own member record; 404 for accounts without one."""
    member = selectors.member_own(request.user)
    if member is None:
        raise Http404
    return member


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit(request: AuthedRequest) -> HttpResponse:
    """The member writes their own self-introduction; the moderation service screens it."""
    member = _own_member(request)
    initial = {"statement": member.statement_held or member.statement}
    form = StatementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = statement.statement_update(
                member=member, actor=request.user, text=form.cleaned_data["statement"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            level = {"review": messages.WARNING, "mask": messages.INFO}
            messages.add_message(
                request, level.get(result.action, messages.SUCCESS), result.message
            )
            return redirect("members:member-detail", pk=member.pk)
    return render(request, "members/statement_form.html", {"form": form, "member": member})


def _event_choices(member: Member) -> list[tuple[str, Any]]:
    allowed = []
    for kind in events.RECORDABLE_KINDS:
        transition = events.TRANSITIONS[kind]
        if (
            member.standing in transition.from_standings
            and member.status in transition.from_statuses
        ):
            allowed.append((kind, EventKind(kind).label))
    return allowed


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: AuthedRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(request.user, pk, perms.MEMBERS_MANAGE)
    choices = _event_choices(member)
    form = EventForm(
        request.POST or None,
        kinds=choices,
        initial={"effective_date": timezone.localdate(), "kind": request.GET.get("kind", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = None
        if data.get("organization"):
            target = Organization.objects.filter(code=data["organization"].strip()).first()
            if target is None or not perms.has_capability(
                request.user, target, perms.MEMBERS_MANAGE
            ):
                # Receiving branches outside the actor's scope are reached by a transfer out.
                form.add_error("organization", _("No branch with this code is in your scope."))
        if form.is_valid():
            try:
                events.member_record_event(
                    actor=request.user,
                    member=member,
                    kind=data["kind"],
                    effective_date=data["effective_date"],
                    organization=target,
                    reason=data.get("reason") or "",
                    document=data.get("document") or "",
                    detail=form.detail(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The change has been recorded."))
                return redirect("members:member-detail", pk=member.pk)
    return render(
        request,
        "members/event_form.html",
        {"form": form, "member": member, "exit_kinds": sorted(EXIT_KINDS)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def flags_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(request.user, pk, perms.MEMBERS_MANAGE)
    form = FlagsForm(
        request.POST or None,
        initial={
            "effective_date": timezone.localdate(),
            "is_floating": member.is_floating,
            "floating_to": member.floating_to,
            "is_lost_contact": member.is_lost_contact,
            "lost_contact_since": member.lost_contact_since,
            "is_abroad": member.is_abroad,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            events.member_set_flags(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The marks have been saved."))
            return redirect("members:member-detail", pk=member.pk)
    return render(request, "members/flags_form.html", {"form": form, "member": member})


@login_required
@require_POST
def account_create(request: AuthedRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(request.user, pk, perms.MEMBERS_MANAGE)
    try:
        user, password = records.member_account_create(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("members:member-detail", pk=member.pk)
    response = render(
        request,
        "members/account_created.html",
        {"member": member, "account": user, "password": password},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def roster_export(request: AuthedRequest) -> HttpResponseBase:
    org = _scope_org(request, perms.MEMBERS_EXPORT)
    params = request.GET.copy()
    params.setdefault("standing", Standing.ACTIVE)
    filter_form = RosterFilterForm(params)
    members = selectors.roster_qs(request.user, _filters(filter_form, org, _group(request, org)))
    may_full = perms.has_capability(request.user, org, perms.MEMBERS_VIEW_SENSITIVE)
    form = ExportForm(request.POST if request.method == "POST" else None)
    if not may_full:
        del form.fields["full"]
        del form.fields["reason"]
    if request.method == "POST" and form.is_valid():
        full = bool(form.cleaned_data.get("full")) and may_full
        handle, _count = exporting.roster_export(
            actor=request.user,
            members=members,
            full=full,
            reason=form.cleaned_data.get("reason", ""),
            filters={k: v for k, v in params.items() if v},
            org_code=org.code,
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = FileResponse(
            handle, as_attachment=True, filename=f"roster-{org.code}-{stamp}.xlsx"
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "members/export.html",
        {
            "org": org,
            "form": form,
            "count": members.count(),
            "query": params.urlencode(),
            "breadcrumbs": org_breadcrumbs(request.user, org),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: AuthedRequest) -> HttpResponse:
    org = _scope_org(request, perms.MEMBERS_IMPORT)
    branches = _branches_for(request.user, perms.MEMBERS_IMPORT).filter(path__startswith=org.path)
    form = ImportForm(request.POST or None, request.FILES or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data.get("organization")
        default_org = branches.filter(code=code).first() if code else None
        upload = form.cleaned_data["file"]
        job = importing.import_job_create(
            actor=request.user,
            filename=upload.name,
            content=upload.read(),
            scope=org,
            organization=default_org,
        )
        enqueue_on_commit(import_job_validate_task, job.pk)
        return redirect("members:import-detail", pk=job.pk)
    jobs = importing.visible_jobs(request.user)[:10]
    return render(
        request,
        "members/import_start.html",
        {
            "form": form,
            "org": org,
            "jobs": jobs,
            "headers": importing.HEADERS,
            "required": importing.REQUIRED_HEADERS,
            "breadcrumbs": org_breadcrumbs(request.user, org),
        },
    )


def _job_for(request: AuthedRequest, pk: int) -> ImportJob:
    job = (
        ImportJob.objects.select_related("scope", "organization")
        .filter(pk=pk, created_by=request.user)
        .first()
    )
    if job is None or not perms.has_capability(request.user, job.scope, perms.MEMBERS_IMPORT):
        raise Http404
    return job


@login_required
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    running = job.status in (ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING)
    context = {"job": job, "running": running, "errors": job.errors[:200]}
    if request.htmx and running:
        return render(request, "members/_import_progress.html", context)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "members/import_detail.html", context)


@login_required
@require_POST
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    keep_valid = request.POST.get("keep_valid") == "1"
    if job.status == ImportJob.Status.INVALID and not keep_valid:
        messages.error(
            request, _("Fix the errors, or confirm that only the valid rows are imported.")
        )
        return redirect("members:import-detail", pk=job.pk)
    if job.status not in (ImportJob.Status.VALID, ImportJob.Status.INVALID):
        raise Http404
    enqueue_on_commit(import_job_commit_task, job.pk, keep_valid)
    return redirect("members:import-detail", pk=job.pk)


@login_required
def import_errors(request: AuthedRequest, pk: int) -> HttpResponseBase:
    job = _job_for(request, pk)
    if not job.content:
        raise Http404
    parsed = importing.parse_roster(
        io.BytesIO(crypto.decrypt_bytes(bytes(job.content))),
        scope=job.scope,
        default_org=job.organization,
        max_rows=settings.IMPORT_MAX_ROWS,
    )
    handle = importing.error_report(parsed)
    response = FileResponse(handle, as_attachment=True, filename=f"import-check-{job.pk}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def import_template(request: AuthedRequest) -> HttpResponseBase:
    _scope_org(request, perms.MEMBERS_IMPORT)
    return FileResponse(
        importing.template_workbook(), as_attachment=True, filename="roster-template.xlsx"
    )


@login_required
def history(request: AuthedRequest) -> HttpResponse:
    """The roster on a past date and a year's increases and decreases, rebuilt from events."""
    org = _scope_org(request, perms.STATS_VIEW)
    today = timezone.localdate()
    form = HistoryForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("date") or today
    year = data.get("year") or today.year
    start, end = dt.date(year - 1, 12, 31), min(dt.date(year, 12, 31), today)
    snapshot = selectors.roster_on(org, day)
    changes = selectors.changes_between(org, start, end)
    sample = selectors.members_by_ids(snapshot.member_ids[:50]).order_by("org_path", "name")
    return render(
        request,
        "members/history.html",
        {
            "org": org,
            "form": form,
            "day": day,
            "year": year,
            "snapshot": snapshot,
            "sample": sample,
            "changes": changes,
            "period_start": start,
            "period_end": end,
            "breadcrumbs": org_breadcrumbs(request.user, org),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_assign(request: AuthedRequest, code: str) -> HttpResponse:
    org = org_get_for_user(request.user, code, perms.ORGS_MANAGE)
    candidates = list(
        Member.objects.filter(subtree_q(org.path, "org_path"), standing=Standing.ACTIVE)
        .order_by("name")
        .values_list("pk", "name", "staff_number")[:1000]
    )
    form = PostForm(
        request.POST or None,
        members=[(pk, f"{name} {number}".strip()) for pk, name, number in candidates],
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        member = Member.objects.filter(pk=form.cleaned_data["member"]).first()
        if member is None:
            raise Http404
        try:
            records.post_assign(
                actor=request.user,
                organization=org,
                member=member,
                post=form.cleaned_data["post"],
                title=form.cleaned_data["title"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The post has been assigned."))
            return redirect("orgs:org-detail", code=org.code)
    return render(
        request,
        "members/post_form.html",
        {"form": form, "org": org, "breadcrumbs": org_breadcrumbs(request.user, org)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_end(request: AuthedRequest, pk: int) -> HttpResponse:
    holding = PostHolding.objects.select_related("organization", "member").filter(pk=pk).first()
    if holding is None:
        raise Http404
    org_get_for_user(request.user, holding.organization.code, perms.ORGS_MANAGE)
    form = PostEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            records.post_end(
                actor=request.user, holding=holding, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The post has ended."))
            return redirect("orgs:org-detail", code=holding.organization.code)
    return render(
        request,
        "members/post_end.html",
        {
            "form": form,
            "holding": holding,
            "org": holding.organization,
            "breadcrumbs": org_breadcrumbs(request.user, holding.organization),
        },
    )

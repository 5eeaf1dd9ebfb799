"""The organization tree browser and its forms; role grants for the security administrator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts.models import User
from dangjian.accounts.typing import AuthedRequest
from dangjian.lib.forms import apply_errors
from dangjian.orgs import panels, selectors, services
from dangjian.orgs import permissions as perms
from dangjian.orgs.forms import (
    AdminRoleForm,
    DissolveForm,
    MoveForm,
    OrganizationForm,
    RoleGrantForm,
    TermForm,
)
from dangjian.orgs.models import Organization, RoleAssignment


def _can_edit(user: object, org: Organization) -> bool:
    """Core fields of an organization are set by whoever manages its parent."""
    anchor = org.parent or org
    return perms.has_capability(user, anchor, perms.ORGS_MANAGE)


@login_required
def org_tree(request: AuthedRequest) -> HttpResponse:
    roots = selectors.org_roots_for_user(request.user)
    if len(roots) == 1:
        return redirect("orgs:org-detail", code=roots[0].code)
    query = str(request.GET.get("q", ""))
    return render(
        request,
        "orgs/org_tree.html",
        {
            "roots": [(org, selectors.subtree_counts(org)) for org in roots],
            "q": query,
            "results": selectors.org_search(request.user, query),
        },
    )


@login_required
def org_detail(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.org_get_for_user(request.user, code)
    user = request.user
    manage = perms.has_capability(user, org, perms.ORGS_MANAGE)
    query = str(request.GET.get("q", ""))
    context: dict[str, Any] = {
        "org": org,
        "breadcrumbs": selectors.org_breadcrumbs(user, org),
        "counts": selectors.subtree_counts(org),
        "children": selectors.children_with_counts(org),
        "term": org.current_term(),
        "today": timezone.localdate(),
        "can_manage": manage,
        "can_edit": _can_edit(user, org),
        "can_view_members": perms.has_capability(user, org, perms.MEMBERS_VIEW),
        "panels": panels.panels_for(request, org),
        "q": query,
    }
    if org.kind in (Organization.Kind.COMMITTEE, Organization.Kind.GENERAL_BRANCH) and manage:
        context["below_minimum"] = selectors.branches_below_minimum(org, limit=10)
        context["over_maximum"] = selectors.branches_over_maximum(org, limit=10)
    if query:
        context["results"] = selectors.org_search(user, query)
    return render(request, "orgs/org_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request: AuthedRequest, code: str) -> HttpResponse:
    parent = selectors.org_get_for_user(request.user, code, perms.ORGS_MANAGE)
    default_kind = {
        Organization.Kind.COMMITTEE: Organization.Kind.BRANCH,
        Organization.Kind.GENERAL_BRANCH: Organization.Kind.BRANCH,
        Organization.Kind.BRANCH: Organization.Kind.GROUP,
    }.get(Organization.Kind(parent.kind), Organization.Kind.GROUP)
    form = OrganizationForm(
        request.POST or None,
        initial={"kind": default_kind, "branch_type": parent.branch_type, "sort_order": 0},
    )
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(
                actor=request.user,
                parent=parent,
                **form.service_data(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been created.") % {"name": org.name})
            return redirect("orgs:org-detail", code=org.code)
    return render(
        request,
        "orgs/org_form.html",
        {
            "form": form,
            "parent": parent,
            "breadcrumbs": selectors.org_breadcrumbs(request.user, parent),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_edit(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.org_get_for_user(request.user, code)
    if not _can_edit(request.user, org):
        raise PermissionDenied
    initial = {field: getattr(org, field) for field in services.EDITABLE_FIELDS}
    form = OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_update(actor=request.user, org=org, **form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organization has been saved."))
            return redirect("orgs:org-detail", code=org.code)
    return render(
        request,
        "orgs/org_form.html",
        {"form": form, "org": org, "breadcrumbs": selectors.org_breadcrumbs(request.user, org)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_move(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.org_get_for_user(request.user, code)
    if org.parent is None or not _can_edit(request.user, org):
        raise PermissionDenied
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = Organization.objects.filter(code=form.cleaned_data["parent_code"].strip()).first()
        if target is None or not perms.has_capability(request.user, target, perms.ORGS_MANAGE):
            form.add_error("parent_code", _("No organization with this code is in your scope."))
        else:
            try:
                services.org_move(actor=request.user, org=org, new_parent=target)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The organization has been moved."))
                return redirect("orgs:org-detail", code=org.code)
    return render(
        request,
        "orgs/org_move.html",
        {"form": form, "org": org, "breadcrumbs": selectors.org_breadcrumbs(request.user, org)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_dissolve(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.org_get_for_user(request.user, code)
    if org.parent is None or not _can_edit(request.user, org) or not org.is_active:
        raise PermissionDenied
    form = DissolveForm(request.POST or None, initial={"dissolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.org_dissolve(
                actor=request.user,
                org=org,
                on=form.cleaned_data["dissolved_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organization has been dissolved."))
            return redirect("orgs:org-detail", code=org.parent.code)
    return render(
        request,
        "orgs/org_dissolve.html",
        {"form": form, "org": org, "breadcrumbs": selectors.org_breadcrumbs(request.user, org)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.org_get_for_user(request.user, code, perms.ORGS_MANAGE)
    last = org.current_term()
    form = TermForm(request.POST or None, initial={"ordinal": (last.ordinal + 1) if last else 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.term_save(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The term has been recorded."))
            return redirect("orgs:org-detail", code=org.code)
    return render(
        request,
        "orgs/term_form.html",
        {"form": form, "org": org, "breadcrumbs": selectors.org_breadcrumbs(request.user, org)},
    )


# The security administrator grants roles.


def _security_admin(request: HttpRequest) -> User:
    if getattr(request.user, "admin_role", "") != User.AdminRole.SECURITY:
        raise Http404
    return request.user  # type: ignore[return-value]


@login_required
@require_http_methods(["GET", "POST"])
def role_list(request: AuthedRequest) -> HttpResponse:
    actor = _security_admin(request)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(username=data["username"].strip()).first()
        org = Organization.objects.filter(code=data["org_code"].strip(), is_active=True).first()
        if user is None:
            form.add_error("username", _("No account has this name."))
        elif user.pk == actor.pk:
            form.add_error("username", _("Administrators cannot change their own roles."))
        if org is None:
            form.add_error("org_code", _("No active organization has this code."))
        if form.is_valid() and user is not None and org is not None:
            try:
                services.role_grant(
                    actor=actor, user=user, org=org, role=data["role"], ends_on=data["ends_on"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The role has been granted."))
                return redirect("security:role-list")
    query = request.GET.get("q", "").strip()
    assignments = (
        RoleAssignment.objects.active()
        .select_related("user", "organization")
        .order_by("organization__path", "role")
    )
    if query:
        assignments = assignments.filter(user__username__icontains=query) | assignments.filter(
            organization__code__iexact=query
        )
    page = Paginator(assignments, 30).get_page(request.GET.get("page"))
    admins = User.objects.exclude(admin_role="").order_by("admin_role", "username")
    return render(
        request,
        "orgs/role_list.html",
        {"form": form, "page": page, "q": query, "admins": admins, "admin_form": AdminRoleForm()},
    )


@login_required
@require_POST
def role_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    actor = _security_admin(request)
    assignment = get_object_or_404(RoleAssignment, pk=pk, revoked_at__isnull=True)
    try:
        services.role_revoke(actor=actor, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role has been revoked."))
    return redirect("security:role-list")


@login_required
@require_POST
def admin_role_set(request: AuthedRequest) -> HttpResponse:
    actor = _security_admin(request)
    form = AdminRoleForm(request.POST)
    if form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
        if user is None:
            messages.error(request, _("No account has this name."))
        else:
            try:
                services.admin_role_set(
                    actor=actor, user=user, role=form.cleaned_data["admin_role"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The administrator role has been saved."))
    return redirect("security:role-list")

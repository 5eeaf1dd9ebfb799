"""The audit log, for the audit administrator only (三员分立: no one else reads it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from dangjian.accounts.typing import AuthedRequest
from dangjian.audit import registry
from dangjian.audit.forms import AuditFilterForm
from dangjian.audit.models import AuditEntry
from dangjian.audit.selectors import audit_entries
from dangjian.audit.services import log_action
from dangjian.lib.excel import write_workbook

AUDIT_ADMIN = "audit_admin"
EXPORT_LIMIT = 200_000


def _require_auditor(request: HttpRequest) -> None:
    if getattr(request.user, "admin_role", "") != AUDIT_ADMIN:
        raise Http404


@login_required
def entry_list(request: AuthedRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    entries = audit_entries(form.filters())
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_label = registry.label(entry.action)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def entry_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_auditor(request)
    try:
        entry = AuditEntry.objects.get(pk=pk)
    except AuditEntry.DoesNotExist:
        raise Http404 from None
    entry.action_label = registry.label(entry.action)  # type: ignore[attr-defined]
    return render(request, "audit/entry_detail.html", {"entry": entry})


@login_required
def entry_export(request: AuthedRequest) -> HttpResponseBase:
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    entries = audit_entries(form.filters())[:EXPORT_LIMIT]
    rows = (
        (
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            registry.label(e.action),
            e.action,
            e.get_result_display(),
            e.target_type,
            e.target_id,
            e.target_label,
            e.org_code,
            e.ip,
            str(e.changes) if e.changes else "",
            str(e.detail) if e.detail else "",
        )
        for e in entries.iterator(chunk_size=2000)
    )
    handle = write_workbook(
        rows,
        headers=[
            "时间",
            "账户",
            "操作",
            "操作代码",
            "结果",
            "对象类型",
            "对象编号",
            "对象",
            "组织编码",
            "地址",
            "变更",
            "详情",
        ],
        sheet_name="audit",
    )
    log_action(
        request.user,
        "audit.log.exported",
        detail={"filters": request.GET.urlencode()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(handle, as_attachment=True, filename=f"audit-{stamp}.xlsx")

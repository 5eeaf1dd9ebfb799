"""The committee's pages of member development: the pre-review and approval queues, the review
of one case (approve with a confirmation, or return to the branch with the reason), and the
branch's page to resubmit a returned case.

Scope as in the API: a case outside the viewer's development.view scope answers 404; one they
see but may not decide on (a branch secretary approving) answers 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts.typing import AuthedRequest
from dangjian.development import review, selectors, services
from dangjian.development.models import Case
from dangjian.lib.forms import apply_errors
from dangjian.orgs import permissions as perms
from dangjian.orgs.forms import DateInput

QUEUE_ROWS = 200  # the most urgent of a tab; the count is whole
TABS = (*(str(n) for n in review.APPROVAL_STEPS), review.RETURNED)
TAB_LABELS = {
    "13": gettext_lazy("Pre-review"),
    "17": gettext_lazy("Approval of admission"),
    "24": gettext_lazy("Approval of conversion"),
    review.RETURNED: gettext_lazy("Returned to branches"),
}


class ApproveForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date of the committee's decision"),
        widget=DateInput(),
        error_messages={
            "required": gettext_lazy("Give the date of the decision."),
            "invalid": gettext_lazy("Give a date as YYYY-MM-DD."),
        },
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("The branch meeting's resolution to approve"),
        required=False,
        choices=[],
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked the materials and confirm the approval."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the approval.")},
    )

    def __init__(self, *args: Any, outcome: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if outcome:
            field = self.fields["outcome"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(outcome, review.OUTCOME_LABELS.get(outcome, outcome))]
            field.initial = outcome
        else:
            del self.fields["outcome"]


class RejectForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date of the committee's decision"),
        widget=DateInput(),
        error_messages={"required": gettext_lazy("Give the date of the decision.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the admission is not approved"),
        max_length=2000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Give the reason; the branch and the person are told."),
            "min_length": gettext_lazy("Say a little more: at least %(limit_value)d characters."),
        },
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("The committee decided not to approve this admission."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the decision.")},
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What the branch must correct"),
        max_length=review.REASON_MAX,
        min_length=review.REASON_MIN,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Give the reason; the branch secretary reads it."),
            "min_length": gettext_lazy("Say a little more: at least %(limit_value)d characters."),
        },
    )


class ResubmitForm(forms.Form):
    resolution = forms.CharField(
        label=gettext_lazy("What the branch corrected"),
        max_length=review.REASON_MAX,
        min_length=review.REASON_MIN,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Say what was corrected; the committee reads it."),
            "min_length": gettext_lazy("Say a little more: at least %(limit_value)d characters."),
        },
    )


def _require_queue(request: AuthedRequest) -> None:
    if not perms.has_any_scope(request.user, perms.DEVELOPMENT_APPROVE):
        raise Http404


def _case(request: AuthedRequest, pk: int, capability: str) -> Case:
    """The case in the viewer's scope (else 404) on which they hold the capability (else 403)."""
    case = selectors.case_for(request.user, pk)
    if not perms.has_capability(request.user, case.organization, capability):
        raise PermissionDenied
    return case


def _queue_url(tab: int | str, done: int | None = None) -> str:
    url = f"{reverse('development:committee-queue')}?step={tab}"
    return f"{url}&done={done}" if done else url


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    _require_queue(request)
    waiting = review.waiting_counts(request.user)
    tab = request.GET.get("step", "")
    if tab not in TABS:  # the first tab with someone waiting
        ready = [t for t in TABS if t.isdigit() and waiting.get(int(t))]
        tab = ready[0] if ready else "13"
    shown = [int(tab)] if tab.isdigit() else []
    data = review.committee_queue(request.user, steps=shown, limit=QUEUE_ROWS, waiting=waiting)
    counts = data.counts()
    done = None
    done_pk = request.GET.get("done", "")
    if done_pk.isdigit():
        done = selectors.visible_cases(request.user).filter(pk=int(done_pk)).first()
    return render(
        request,
        "development/committee/queue.html",
        {
            "tab": tab,
            "tabs": [(t, TAB_LABELS[t], counts[int(t) if t.isdigit() else t]) for t in TABS],
            "rows": data.steps[int(tab)] if tab.isdigit() else [],
            "tab_count": counts[int(tab) if tab.isdigit() else tab],
            "returned": data.returned if tab == review.RETURNED else [],
            "done": done,
            "today": timezone.localdate(),
        },
    )


def _review_page(
    request: AuthedRequest,
    case: Case,
    *,
    approve_form: ApproveForm | None = None,
    return_form: ReturnForm | None = None,
    reject_form: RejectForm | None = None,
    refusal: services.RuleError | None = None,
    status: int = 200,
) -> HttpResponse:
    row = review.review_row(case)
    returned = review.open_return(case)
    outcome = (row.outcome or None) if row is not None else None
    org = review.approving_org(request.user, case) if row is not None else None
    return render(
        request,
        "development/committee/review.html",
        {
            "case": case,
            "row": row,
            "returned": returned,
            "approving_org": org,
            "approve_form": approve_form
            or ApproveForm(initial={"date": timezone.localdate()}, outcome=outcome),
            "return_form": return_form or ReturnForm(),
            "reject_form": reject_form or RejectForm(initial={"date": timezone.localdate()}),
            "refusal": refusal,
            "open": "return"
            if return_form is not None and return_form.errors
            else "reject"
            if reject_form is not None and reject_form.errors
            else "",
            "tab_label": TAB_LABELS.get(str(row.step)) if row else "",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: what the branch recorded and what approving will do; POST: approve."""
    case = _case(request, pk, perms.DEVELOPMENT_APPROVE)
    if request.method != "POST":
        return _review_page(request, case)
    waiting = review.waiting_step(case)
    outcome = None
    if waiting is not None and waiting.step == 24:
        outcome = review.branch_outcome(case)
    form = ApproveForm(request.POST, outcome=outcome)
    if waiting is None or review.open_return(case) is not None:
        form.add_error(None, _("This case is not waiting for the committee's approval."))
        return _review_page(request, case, approve_form=form, status=422)
    if form.is_valid():
        try:
            review.case_approve(
                actor=request.user,
                case=case,
                step=waiting.step,
                date=form.cleaned_data["date"],
                outcome=form.cleaned_data.get("outcome") or None,
            )
        except services.RuleError as error:
            return _review_page(request, case, approve_form=form, refusal=error, status=422)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Step %(step)d (%(name)s) is recorded for %(person)s.")
                % {
                    "step": waiting.step,
                    "name": review.step_name(waiting.step),
                    "person": case.name,
                },
            )
            return redirect(_queue_url(waiting.step, case.pk))
    return _review_page(request, case, approve_form=form, status=422)


@login_required
@require_POST
def return_(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, perms.DEVELOPMENT_APPROVE)
    form = ReturnForm(request.POST)
    waiting = review.waiting_step(case)
    if waiting is None:
        form.add_error(None, _("This case is not waiting for the committee's approval."))
    elif form.is_valid():
        try:
            review.case_return(
                actor=request.user, case=case, step=waiting.step, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s is returned to the branch; the branch secretary was told.")
                % {"person": case.name},
            )
            return redirect(_queue_url(review.RETURNED, case.pk))
    return _review_page(request, case, return_form=form, status=422)


@login_required
@require_POST
def reject(request: AuthedRequest, pk: int) -> HttpResponse:
    """The committee does not approve an admission (step 17), with its reason."""
    case = _case(request, pk, perms.DEVELOPMENT_APPROVE)
    form = RejectForm(request.POST)
    waiting = review.waiting_step(case)
    if waiting is None or waiting.step != 17:
        form.add_error(None, _("Only an admission waiting for approval can be refused."))
    elif form.is_valid():
        try:
            review.case_reject(
                actor=request.user,
                case=case,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The admission of %(person)s is not approved; the branch was told.")
                % {"person": case.name},
            )
            return redirect(_queue_url("17", case.pk))
    return _review_page(request, case, reject_form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def resubmit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The branch's page for a returned case: the committee's reason, and what was corrected."""
    case = _case(request, pk, perms.DEVELOPMENT_MANAGE)
    returned = review.open_return(case)
    form = ResubmitForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                review.case_resubmit(
                    actor=request.user, case=case, resolution=form.cleaned_data["resolution"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(person)s is back in the committee's queue; the committee was told.")
                    % {"person": case.name},
                )
                return redirect("development:case-resubmit", case.pk)
        status = 422
    return render(
        request,
        "development/committee/resubmit.html",
        {
            "case": case,
            "returned": returned,
            "last": review.last_return(case) if returned is None else None,
            "form": form,
        },
        status=status,
    )

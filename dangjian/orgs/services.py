"""Writes to the organization tree, terms and roles. Every write is atomic and audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.audit.services import diff, log_action
from dangjian.orgs import counters
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import (
    MAX_PATH_LENGTH,
    SEGMENT_WIDTH,
    Organization,
    Role,
    RoleAssignment,
    Term,
    subtree_q,
)
from dangjian.orgs.signals import subtree_moved

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")

# Which kinds may sit under which (rule section 5.1 of the domain reference).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    Organization.Kind.COMMITTEE: {None, Organization.Kind.COMMITTEE},
    Organization.Kind.GENERAL_BRANCH: {Organization.Kind.COMMITTEE},
    Organization.Kind.BRANCH: {Organization.Kind.COMMITTEE, Organization.Kind.GENERAL_BRANCH},
    Organization.Kind.GROUP: {Organization.Kind.BRANCH},
}

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "sort_order",
    "founded_on",
    "branch_type",
    "is_joint",
    "is_temporary",
    "approval_authority",
    "contact_name",
    "contact_phone",
    "address",
)


def _next_child_path(parent: Organization | None) -> str:
    if parent is None:
        siblings = Organization.objects.filter(parent__isnull=True)
        prefix = ""
    else:
        siblings = Organization.objects.filter(parent=parent)
        prefix = parent.path
    last = siblings.aggregate(last=Max("path"))["last"]
    number = int(last[-SEGMENT_WIDTH:]) + 1 if last else 1
    if number >= 10**SEGMENT_WIDTH:
        raise ValidationError(_("This organization cannot take more sub-organizations."))
    path = prefix + str(number).zfill(SEGMENT_WIDTH)
    if len(path) > MAX_PATH_LENGTH:
        raise ValidationError(_("The organization tree cannot grow deeper here."))
    return path


def _validate(
    data: dict[str, Any], parent: Organization | None, *, instance_pk: int | None
) -> None:
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Enter the organization's full name.")
    code = (data.get("code") or "").strip()
    if not CODE_RE.match(code):
        errors["code"] = _(
            "The code must be 1 to 40 letters, digits, '-' or '_', starting with a letter or digit."
        )
    elif (
        Organization.objects.filter(code__iexact=code)
        .exclude(pk__in=[instance_pk] if instance_pk else [])
        .exists()
    ):
        errors["code"] = _("Another organization already has the code %(code)s.") % {"code": code}
    kind = data.get("kind")
    if kind not in Organization.Kind.values:
        errors["kind"] = _("Choose the kind of organization.")
    else:
        parent_kind = parent.kind if parent else None
        if parent_kind not in ALLOWED_PARENTS[kind]:
            errors["parent"] = _("A %(kind)s cannot be placed under %(parent)s.") % {
                "kind": Organization.Kind(kind).label,
                "parent": Organization.Kind(parent_kind).label if parent_kind else _("the top"),
            }
    branch_type = data.get("branch_type") or ""
    if kind in (Organization.Kind.BRANCH, Organization.Kind.GROUP):
        if branch_type not in Organization.BranchType.values:
            errors["branch_type"] = _("Choose the branch type.")
    elif branch_type:
        errors["branch_type"] = _("Only branches and Party groups have a branch type.")
    if data.get("approval_authority") and kind != Organization.Kind.COMMITTEE:
        errors["approval_authority"] = _("Only a Party committee can approve admissions.")
    founded = data.get("founded_on")
    if founded and founded > timezone.localdate():
        errors["founded_on"] = _("The founding date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def org_create(*, actor: User | None, parent: Organization | None, **data: Any) -> Organization:
    _validate(data, parent, instance_pk=None)
    path = _next_child_path(parent)
    org = Organization(parent=parent, path=path, depth=len(path) // SEGMENT_WIDTH - 1)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(org, field, data[field])
    org.name = org.name.strip()
    org.code = org.code.strip()
    org.subtree_branches = int(org.kind == Organization.Kind.BRANCH)
    org.subtree_groups = int(org.kind == Organization.Kind.GROUP)
    org.full_clean(exclude=["path"])
    org.save()
    counters.add_organization(org, +1)
    log_action(
        actor,
        "orgs.organization.created",
        target=org,
        org_code=org.code,
        changes=diff({}, {f: getattr(org, f) for f in ("name", "code", "kind")}),
        detail={"parent": parent.code if parent else ""},
    )
    return org


@transaction.atomic
def org_update(*, actor: User, org: Organization, **data: Any) -> Organization:
    before = {f: getattr(org, f) for f in EDITABLE_FIELDS}
    merged = {**before, **data}
    _validate(merged, org.parent, instance_pk=org.pk)
    if merged["kind"] != org.kind and org.children.exists():
        allowed_children = {
            kind for kind, parents in ALLOWED_PARENTS.items() if merged["kind"] in parents
        }
        if org.children.exclude(kind__in=allowed_children).exists():
            raise ValidationError(
                {"kind": _("Its sub-organizations could not stay under this kind.")}
            )
    for field in EDITABLE_FIELDS:
        setattr(org, field, merged[field])
    org.full_clean()
    org.save()
    changes = diff(before, {f: getattr(org, f) for f in EDITABLE_FIELDS})
    if changes:
        log_action(
            actor, "orgs.organization.updated", target=org, org_code=org.code, changes=changes
        )
    return org


@transaction.atomic
def org_move(*, actor: User, org: Organization, new_parent: Organization) -> Organization:
    """Put an organization and its whole subtree under a new parent, rewriting paths."""
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": _("An organization cannot move under itself.")})
    if new_parent.kind not in ALLOWED_PARENTS[org.kind]:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot be placed under %(parent)s.")
                % {"kind": org.get_kind_display(), "parent": new_parent.get_kind_display()}
            }
        )
    old_path, old_parent = org.path, org.parent
    new_path = _next_child_path(new_parent)
    depth_shift = (len(new_path) - len(old_path)) // SEGMENT_WIDTH
    subtree = Organization.objects.filter(subtree_q(old_path))
    if (
        subtree.aggregate(longest=Max(Length("path")))["longest"] - len(old_path) + len(new_path)
        > MAX_PATH_LENGTH
    ):
        raise ValidationError({"parent": _("The organization tree cannot grow deeper here.")})
    # The new prefix is a fresh slot under the new parent, so no rewritten path can clash.
    subtree.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_shift,
    )
    Organization.objects.filter(pk=org.pk).update(parent=new_parent)
    subtree_moved.send(sender=Organization, old_path=old_path, new_path=new_path)
    counters.refresh([old_parent.path if old_parent else old_path, new_path])
    org.refresh_from_db()
    log_action(
        actor,
        "orgs.organization.moved",
        target=org,
        org_code=org.code,
        changes={"parent": [old_parent.code if old_parent else "", new_parent.code]},
    )
    return org


@transaction.atomic
def org_dissolve(*, actor: User, org: Organization, on: dt.date) -> Organization:
    if org.children.filter(is_active=True).exists():
        raise ValidationError(_("Dissolve or move its sub-organizations first."))
    if org.member_count:
        raise ValidationError(
            _("Transfer its %(n)d members to another organization first.") % {"n": org.member_count}
        )
    org.is_active = False
    org.dissolved_on = on
    org.subtree_orgs = org.subtree_branches = org.subtree_groups = 0
    org.save(
        update_fields=[
            "is_active", "dissolved_on", "subtree_orgs", "subtree_branches", "subtree_groups",
            "updated_at",
        ]
    )  # fmt: skip
    counters.add_organization(org, -1)
    RoleAssignment.objects.filter(organization=org, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    log_action(
        actor,
        "orgs.organization.dissolved",
        target=org,
        org_code=org.code,
        changes={"is_active": [True, False], "dissolved_on": [None, on.isoformat()]},
    )
    return org


@transaction.atomic
def term_save(
    *,
    actor: User,
    org: Organization,
    ordinal: int,
    start_date: dt.date,
    end_date: dt.date,
    notes: str = "",
    term: Term | None = None,
) -> Term:
    errors = {}
    if end_date <= start_date:
        errors["end_date"] = _("The term must end after it starts.")
    clash = Term.objects.filter(organization=org, ordinal=ordinal)
    if term is not None:
        clash = clash.exclude(pk=term.pk)
    if clash.exists():
        errors["ordinal"] = _("Term %(n)d is already recorded.") % {"n": ordinal}
    if errors:
        raise ValidationError(errors)
    before = (
        {"ordinal": term.ordinal, "start_date": term.start_date, "end_date": term.end_date}
        if term
        else {}
    )
    term = term or Term(organization=org)
    term.ordinal, term.start_date, term.end_date, term.notes = ordinal, start_date, end_date, notes
    term.full_clean()
    term.save()
    latest = Term.objects.filter(organization=org).order_by("-start_date", "-ordinal").first()
    if latest is not None:
        Term.objects.filter(organization=org).exclude(pk=latest.pk).update(is_current=False)
        Term.objects.filter(pk=latest.pk).update(is_current=True)
    after = {"ordinal": ordinal, "start_date": start_date, "end_date": end_date}
    log_action(
        actor,
        "orgs.term.updated" if before else "orgs.term.created",
        target=term,
        org_code=org.code,
        changes=diff(before, after),
    )
    return term


def _ensure_no_admin(user: User) -> None:
    if user.admin_role:
        raise ValidationError(
            {"user": _("Administrator accounts are dedicated and cannot hold organization roles.")}
        )


@transaction.atomic
def role_grant(
    *,
    actor: User,
    user: User,
    org: Organization,
    role: str,
    ends_on: dt.date | None = None,
) -> RoleAssignment:
    if actor.admin_role != "security_admin":
        raise ValidationError(_("Only the security administrator grants roles."))
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is disabled.")})
    _ensure_no_admin(user)
    if RoleAssignment.objects.active().filter(user=user, organization=org, role=role).exists():
        raise ValidationError({"role": _("The account already holds this role here.")})
    assignment = RoleAssignment.objects.create(
        user=user, organization=org, role=role, granted_by=actor, ends_on=ends_on
    )
    perms.forget(user)
    log_action(
        actor,
        "orgs.role.granted",
        target=user,
        target_label=user.username,
        org_code=org.code,
        changes={"role": [None, role]},
        detail={"organization": org.code, "ends_on": ends_on},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    if actor.admin_role != "security_admin":
        raise ValidationError(_("Only the security administrator revokes roles."))
    if assignment.revoked_at is not None:
        return
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = actor
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    log_action(
        actor,
        "orgs.role.revoked",
        target=assignment.user,
        target_label=assignment.user.username,
        org_code=assignment.organization.code,
        changes={"role": [assignment.role, None]},
        detail={"organization": assignment.organization.code},
    )


@transaction.atomic
def admin_role_set(*, actor: User | None, user: User, role: str) -> User:
    """Give an account one of the three administrator roles, or take it away.

    An account holds at most one of them (the field holds one value); the security
    administrator cannot change their own; administrator accounts hold nothing else.
    """
    if actor is not None:
        if actor.admin_role != "security_admin":
            raise ValidationError(_("Only the security administrator grants roles."))
        if actor.pk == user.pk:
            raise ValidationError(_("Administrators cannot change their own roles."))
    if role not in User.AdminRole.values:
        raise ValidationError({"admin_role": _("Choose an administrator role.")})
    if role:
        if RoleAssignment.objects.active().filter(user=user).exists():
            raise ValidationError(
                {"admin_role": _("This account holds organization roles; use a dedicated one.")}
            )
        if hasattr(user, "member_record"):
            raise ValidationError(
                {"admin_role": _("This account belongs to a member; use a dedicated one.")}
            )
    before = user.admin_role
    if before == role:
        return user
    user.admin_role = role
    user.save(update_fields=["admin_role"])
    perms.forget(user)
    log_action(
        actor,
        "orgs.admin_role.changed",
        target=user,
        target_label=user.username,
        changes={"admin_role": [before, role]},
    )
    return user

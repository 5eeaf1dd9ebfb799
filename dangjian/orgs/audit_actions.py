from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry


def register() -> None:
    registry.register(
        {
            "orgs.organization.created": _("Organization created"),
            "orgs.organization.updated": _("Organization changed"),
            "orgs.organization.moved": _("Organization moved in the tree"),
            "orgs.organization.dissolved": _("Organization dissolved"),
            "orgs.term.created": _("Term recorded"),
            "orgs.term.updated": _("Term changed"),
            "orgs.role.granted": _("Role granted"),
            "orgs.role.revoked": _("Role revoked"),
            "orgs.admin_role.changed": _("Administrator role changed"),
        }
    )

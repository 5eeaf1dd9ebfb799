from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "dangjian.members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from dangjian.lib import screening
        from dangjian.members import audit_actions, grants, panels, signals
        from dangjian.members.services.statement import StatementSource
        from dangjian.orgs import panels as org_panels
        from dangjian.orgs import permissions
        from dangjian.orgs.signals import subtree_moved

        audit_actions.register()
        permissions.register_grant_provider(grants.member_grants, grants.SOURCES)
        org_panels.register(panels.committee_panel)
        org_panels.register(panels.groups_panel)
        subtree_moved.connect(signals.rewrite_member_paths, dispatch_uid="members.paths")
        screening.register(StatementSource())

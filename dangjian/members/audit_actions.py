from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry


def register() -> None:
    registry.register(
        {
            "members.member.created": _("Member record created"),
            "members.member.updated": _("Member record changed"),
            "members.member.revealed": _("Full personal data viewed"),
            "members.event.recorded": _("Change of status, standing or organization recorded"),
            "members.flags.changed": _("Mobile, lost-contact or abroad marks changed"),
            "members.account.created": _("Account opened for a member"),
            "members.post.assigned": _("Post assigned"),
            "members.post.ended": _("Post ended"),
            "members.import.completed": _("Roster imported"),
            "members.import.refused": _("Roster import refused"),
            "members.export.completed": _("Roster exported"),
            "members.demo.seeded": _("Demo data loaded"),
            "members.statement.changed": _("Self-introduction changed"),
            "members.statement.published": _("Self-introduction published after moderation"),
            "members.statement.withdrawn": _("Self-introduction withheld by moderation"),
            "members.statement.discarded": _("Held self-introduction dropped after rejection"),
        }
    )

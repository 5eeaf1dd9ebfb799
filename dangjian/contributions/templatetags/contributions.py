"""Template helpers of the contribution pages."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from dangjian.content.models import Upload
from dangjian.contributions.models import Contribution
from dangjian.orgs.models import Organization

register = template.Library()

_STATE_CLASS: dict[str, str] = {
    Contribution.State.SUBMITTED: "badge-info",
    Contribution.State.RETURNED: "badge-warning",
    Contribution.State.ACCEPTED: "badge-success",
    Contribution.State.REJECTED: "badge-muted",
    Contribution.State.PUBLISHED: "badge-full",
    Contribution.State.WITHDRAWN: "badge-muted",
}


@register.filter
def state_badge(contribution: Contribution) -> str:
    """The state as a badge; a contribution moderation holds or refused says so instead."""
    if contribution.moderation != Contribution.Moderation.CLEAR and contribution.state in (
        Contribution.State.SUBMITTED,
        Contribution.State.RETURNED,
    ):
        css = "badge-warning" if contribution.is_held else "badge-muted"
        label = contribution.get_moderation_display()
    else:
        css = _STATE_CLASS.get(contribution.state, "badge-muted")
        label = contribution.get_state_display()
    return format_html('<span class="badge badge-status {}">{}</span>', css, label)


@register.filter
def picture_url(upload: Upload) -> str:
    return reverse("contributions:picture", args=[upload.key])


@register.filter
def get_picture(pictures: dict[str, Upload], key: object) -> Upload | None:
    return pictures.get(str(key))


@register.filter
def desk_org(desks: dict[str, Organization], value: object) -> str:
    """The name of the organization a choice of desk sends the contribution to."""
    org = desks.get(str(value))
    return org.display_name if org is not None else ""

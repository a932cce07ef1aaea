"""Template tags of the officials' workbench (the admin)."""

from django import template

from ssb_portal.admin_kit.waiting import WaitingCount, waiting_for

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_for_me(context) -> list[WaitingCount]:
    """What waits for the signed-in user, longest wait first (see admin_kit.waiting)."""
    return waiting_for(context["request"].user)

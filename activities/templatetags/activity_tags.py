"""Template filters for activity cards."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def only_for(activity, member):
    """ "仅限…" when the member is outside the activity's audience, else "" (uses prefetched groups)."""
    if member is None or activity.audience == activity.Audience.ALL:
        return ""
    if member.branch_id != activity.branch_id or member.status not in (
        member.Status.ACTIVE,
        member.Status.RETIRED,
    ):
        return ""  # not a matter of the audience: the detail page says why
    if activity.audience_reason(member) is None:
        return ""
    if activity.audience == activity.Audience.GROUPS:
        who = _("、").join(group.name for group in activity.audience_groups.all())
    else:
        who = activity.get_audience_display()
    return _("仅限%(who)s") % {"who": who}


@register.filter
def webcal(url):
    """The feed's address for calendar apps: webcal://host/path (they subscribe instead of download)."""
    scheme, sep, rest = str(url).partition("://")
    return f"webcal://{rest}" if sep else url

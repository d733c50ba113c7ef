from django.urls import reverse
from django.utils.translation import gettext as _

from unionhome.sections import NavItem, collect_nav_items


def navigation(request):
    """The header's navigation: the home link, then what the installed apps contribute."""
    if not request.user.is_authenticated:
        return {"nav_items": []}
    home = reverse("home")
    return {"nav_items": [NavItem(home, _("首页"), request.path == home, 0), *collect_nav_items(request)]}

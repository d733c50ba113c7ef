from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionhome.sections import NavItem, path_is_under


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("会员")

    def nav_items(self, request):
        """The member's own page, last in the header's navigation."""
        me = reverse("members:me")
        return [NavItem(me, _("我的"), path_is_under(request, me), 90)]

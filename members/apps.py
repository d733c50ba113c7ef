from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionhome.sections import NavItem, path_is_under


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("会员")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        authenticator_added.connect(_announce_authenticator, dispatch_uid="members.announce_authenticator")

    def nav_items(self, request):
        """The member's own page, last in the header's navigation."""
        from members.access import member_for

        if member_for(request.user) is None:  # /me/ is about a member: an account without one gets 404
            return []
        me = reverse("members:me")
        return [NavItem(me, _("我的"), path_is_under(request, me), 90)]


def _announce_authenticator(sender, request, user, authenticator, **kwargs):
    """Every new authenticator is told to the account's holder (members.services); the recovery
    codes generated with the first one are part of that news."""
    from allauth.mfa.models import Authenticator

    from members.services import mfa_activation_announce

    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        mfa_activation_announce(user=user)

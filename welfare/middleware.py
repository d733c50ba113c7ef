"""Welfare officers need a second factor before any case page or the case admin opens.

A welfare officer (or a superuser: both see every case of a branch) without a TOTP
authenticator who asks for an officer's welfare page or /admin/welfare/ is sent to allauth's
TOTP set-up page, and comes back afterwards. The member's own pages (apply, mine, notices) and
the applicant's own case stay open: a member needs no second factor to see their own request.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from welfare import access as welfare_access


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_mfa_setup(user) -> bool:
    if not settings.WELFARE_MFA_REQUIRED or not user.is_authenticated:
        return False
    return welfare_access.is_welfare_officer(user) and not has_totp(user)


def mfa_setup_redirect(request):
    return redirect(reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()}))


class WelfareMFAMiddleware:
    """Guards /admin/welfare/ and the officers' case pages (welfare.views mark theirs)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:app_list", kwargs={"app_label": "welfare"})
        if request.path.startswith(self.admin_prefix) and needs_mfa_setup(request.user):
            return mfa_setup_redirect(request)
        return self.get_response(request)

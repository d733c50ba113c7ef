"""Welfare officers need a second factor before any case page or the case admin opens.

A welfare officer (or a superuser: both see every case of a branch) without a TOTP
authenticator who asks for an officer's welfare page or /admin/welfare/ is sent to allauth's
TOTP set-up page, and comes back afterwards. The member's own pages (apply, mine, notices) and
the applicant's own case stay open: a member needs no second factor to see their own request.
"""

import contextvars
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from welfare import access as welfare_access

# The client address of the request being served, for the audit entries of welfare changes
# (services take no request; admin actions and portal views both pass through here).
current_ip: contextvars.ContextVar[str] = contextvars.ContextVar("welfare_current_ip", default="")


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
    """Guards /admin/welfare/ (the portal's case pages use `welfare.views.mfa_first`) and notes
    the client address for the audit entries of changes."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR", ""))
        try:
            return self._guarded(request)
        finally:
            current_ip.reset(token)

    def _guarded(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:app_list", kwargs={"app_label": "welfare"})
        if request.path.startswith(self.admin_prefix) and needs_mfa_setup(request.user):
            return mfa_setup_redirect(request)
        return self.get_response(request)

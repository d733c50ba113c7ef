"""Welfare officers need a second factor before any path that yields welfare data.

A welfare officer (or a superuser: both see every case of a branch) without a TOTP
authenticator is sent to allauth's TOTP set-up page, and comes back afterwards, when she asks
for any admin URL of the app (/admin/welfare/…: lists, change pages, history, actions), for the
admin's autocomplete of a welfare field (``/admin/autocomplete/?app_label=welfare…``: it finds
cases by an applicant's staff number), or for the admin's "view on site" redirect of a welfare
record. The portal's officer pages use `welfare.views.mfa_first`; the audit trail hides welfare
entries from her (WelfareConfig.confidential_audit_open_to). The member's own pages (apply,
mine, notices) and the applicant's own case stay open: a member needs no second factor to see
their own request.
"""

import contextvars
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import redirect
from django.urls import reverse

from unionhome.security import client_ip
from welfare import access as welfare_access

# The client address of the request being served, for the audit entries of welfare changes
# (services take no request; admin actions and portal views both pass through here).
current_ip: contextvars.ContextVar[str] = contextvars.ContextVar("welfare_current_ip", default="")

APP_LABEL = "welfare"


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_mfa_setup(user) -> bool:
    if not settings.WELFARE_MFA_REQUIRED or not user.is_authenticated:
        return False
    return welfare_access.is_welfare_officer(user) and not has_totp(user)


def mfa_setup_redirect(request):
    return redirect(reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()}))


def _autocomplete_model(request):
    """The model whose rows the admin autocomplete lists (None when the query names none)."""
    query = request.GET
    try:
        source = apps.get_model(query.get("app_label", ""), query.get("model_name", ""))
        return source._meta.get_field(query.get("field_name", "")).remote_field.model
    except (LookupError, ValueError, AttributeError, FieldDoesNotExist):
        return None


def _autocomplete_yields_welfare(request) -> bool:
    """The admin autocomplete names a welfare field, or a field whose choices are welfare rows."""
    if request.GET.get("app_label") == APP_LABEL:
        return True
    remote = _autocomplete_model(request)
    return remote is not None and remote._meta.app_label == APP_LABEL


def _shortcut_yields_welfare(path: str, prefix: str) -> bool:
    content_type_id = path[len(prefix) :].split("/", 1)[0]
    if not content_type_id.isdigit():
        return False
    return ContentType.objects.filter(pk=int(content_type_id), app_label=APP_LABEL).exists()


def yields_welfare_data(request) -> bool:
    """Whether this admin path shows welfare records (and so needs the second factor)."""
    path = request.path
    if path.startswith(reverse("admin:app_list", kwargs={"app_label": APP_LABEL})):
        return True
    if path == reverse("admin:autocomplete"):
        return _autocomplete_yields_welfare(request)
    shortcut = reverse("admin:view_on_site", args=[0, 0]).split("0/0/")[0]
    if path.startswith(shortcut):
        return _shortcut_yields_welfare(path, shortcut)
    return False


class WelfareMFAMiddleware:
    """Guards the admin's welfare paths and notes the client address (behind the trusted proxies,
    `unionhome.security.client_ip`) for the audit entries of changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            welfare_data = yields_welfare_data(request)
            if welfare_data and needs_mfa_setup(request.user):
                return mfa_setup_redirect(request)
            response = self.get_response(request)
            if welfare_data and request.path == reverse("admin:autocomplete") and response.status_code == 200:
                _record_autocomplete(request, response)
            return response
        finally:
            current_ip.reset(token)


def _record_autocomplete(request, response) -> None:
    """An autocomplete that lists cases (found by a name or a staff number) is a view of them."""
    import json

    from welfare.models import AidCase
    from welfare.services import case_list_view_record

    try:
        ids = [int(row["id"]) for row in json.loads(response.content)["results"]]
    except (ValueError, KeyError, TypeError):
        return
    if ids and _autocomplete_model(request) is AidCase:
        cases = list(AidCase.objects.filter(pk__in=ids).only("pk", "branch_id").order_by("pk"))
        case_list_view_record(
            request=request, cases=cases, term=request.GET.get("term", ""), via="admin autocomplete"
        )

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhome.notices import notices_mark_read, unread_notices
from unionhome.sections import collect_sections


def home(request):
    """The signed-in member's start page: upcoming activities, their next events, notices."""
    return render(
        request,
        "unionhome/home.html",
        {"sections": collect_sections(request, "home_section"), "notices": unread_notices(request.user)},
    )


@require_POST
def notices_read(request):
    notices_mark_read(user=request.user)
    messages.success(request, _("通知已标为已读。"))
    return redirect(_safe_next(request) or reverse("home"))


def _safe_next(request) -> str:
    """The `next` the request carries (POSTed, or in the query as the welfare middleware passes it)
    if it is a path on this site ("/me/"), else "" (never a 500)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def _error_page(request, template: str, status: int) -> HttpResponse:
    """Our own error pages, rendered without context processors: no database needed."""
    context = {"request_id": getattr(request, "request_id", "")}
    return HttpResponse(loader.render_to_string(template, context), status=status)


def bad_request(request, exception):
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception):
    return _error_page(request, "403.html", 403)


def page_not_found(request, exception):
    return _error_page(request, "404.html", 404)


def server_error(request):
    return _error_page(request, "500.html", 500)


def _activate_totp_view():
    from allauth.mfa.totp.views import ActivateTOTPView
    from django.utils.http import urlencode

    class ReturningActivateTOTPView(ActivateTOTPView):
        """allauth's TOTP set-up that, after the recovery codes are shown, leads back to the page the
        officer came from (issue 16): the recovery-codes page offers a button to `next`."""

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["next_url"] = _safe_next(self.request)
            return context

        def get_success_url(self) -> str:
            url = super().get_success_url()
            target = _safe_next(self.request)
            return f"{url}?{urlencode({'next': target})}" if target else url

    return ReturningActivateTOTPView.as_view()


activate_totp = _activate_totp_view()

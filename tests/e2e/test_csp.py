"""The admin, allauth's MFA set-up and the portal work in Chromium with the CSP on: no violation."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MEMBER_PAGES = ["/", "/me/", "/activities/", "/clubs/", "/accounts/sessions/", "/accounts/2fa/"]
ADMIN_PAGES = [
    "/admin/",
    "/admin/members/member/",
    "/admin/members/member/add/",
    "/admin/members/member/export/",
    "/admin/auth/user/",
]


def _watch(page, violations):
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text[:90]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )


def _visit(page, urls):
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_it_shows_portal_and_mfa_pages_without_a_csp_violation(phone_page, member):
    violations = []
    _watch(phone_page, violations)
    log_in(phone_page, member.staff_number)
    _visit(phone_page, MEMBER_PAGES)
    # The authenticator set-up shows its QR code (a data: image) after reauthentication.
    phone_page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in phone_page.url:
        phone_page.fill("input[name=password]", "pw-123456")
        phone_page.locator("main button[type=submit]").click()
        phone_page.wait_for_load_state()
    assert "/2fa/totp/activate/" in phone_page.url
    assert phone_page.locator("img[src^='data:image/svg+xml']").evaluate("img => img.naturalWidth") > 0
    assert violations == [], "\n".join(violations)


def test_it_shows_admin_pages_without_a_csp_violation(desktop_page, superuser, member):
    violations = []
    _watch(desktop_page, violations)
    log_in(desktop_page, "root")
    _visit(desktop_page, ADMIN_PAGES)
    # The admin's own scripts ran: the changelist's action checkbox toggles every row (the
    # accounts list has an action; members are never deleted, so theirs has none).
    desktop_page.goto("/admin/auth/user/")
    desktop_page.check("#action-toggle")
    assert desktop_page.locator("input.action-select:checked").count() >= 1
    # The export page's "select all" (its inline handler replaced by our script file) works.
    desktop_page.goto("/admin/members/member/export/")
    toggle = desktop_page.locator("input.select-toggle")
    if toggle.count():
        toggle.uncheck()
        assert desktop_page.locator(".selectable-field-export-row input[type=checkbox]:checked").count() == 0
    assert violations == [], "\n".join(violations)

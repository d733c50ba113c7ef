import pytest

from tests.e2e.conftest import log_in, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_logs_a_member_in_on_a_phone_and_shows_the_profile(phone_page, make_member):
    make_member("2010001", name="李芳")
    phone_page.goto("/")
    assert "/accounts/login/" in phone_page.url
    screenshot(phone_page, "login-360")
    log_in(phone_page, "2010001")
    assert phone_page.locator("h1").first.inner_text().startswith("李芳")
    phone_page.click("nav >> text=我的")
    assert phone_page.locator("text=2010001").count() >= 1
    # Nothing overflows sideways on a 360px screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "me-360")


def test_it_switches_the_language_without_javascript(browser, live_server, make_member):
    make_member("2010002", name="王强")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    log_in(page, "2010002")
    page.click("button[name=language][value=en]")
    assert page.locator("nav >> text=Home").count() == 1
    context.close()

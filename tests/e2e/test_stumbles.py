"""The stumbles of issue 16, seen in the browser: tap targets, phone tables, the long /me/ page,
links the viewer cannot open, the TOTP set-up, form errors next to their field, the disclosure
line editor in admin."""

import pytest

from tests.e2e.conftest import json_dump, log_in, small_tap_targets
from tests.welfare.conftest import aid_round  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_gives_every_tap_target_44px_on_the_login_page_the_aid_form_and_the_header(
    open_browser, make_member, aid_round  # noqa: F811
):
    make_member("2016001", name="李芳")
    journey = open_browser()
    page = journey.page
    page.goto("/accounts/login/")
    journey.check("login")
    assert small_tap_targets(page) == [], json_dump(small_tap_targets(page))
    log_in(page, "2016001")
    page.goto("/welfare/apply/")
    journey.check("aid form")
    assert page.locator("main input[type=radio]").count() >= 2
    assert small_tap_targets(page) == [], json_dump(small_tap_targets(page))

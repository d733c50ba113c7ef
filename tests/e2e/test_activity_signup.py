"""A member on a 360px phone finds an activity and signs up in two taps after logging in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import Activity, Registration
from tests.e2e.conftest import log_in, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def run(branch):
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=5)
    return Activity.objects.create(
        branch=branch,
        title="冬季长跑接力赛",
        description="五人一队，每人一公里。\n自愿报名，量力而行。",
        place="东区田径场",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=30,
        status=Activity.Status.PUBLISHED,
    )


def test_it_signs_up_in_two_taps_on_a_phone(phone_page, make_member, run):
    member = make_member("2010101", name="李芳")
    log_in(phone_page, "2010101")
    screenshot(phone_page, "activities-home-360")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360

    phone_page.tap(f"a.activity-link[href='/activities/{run.pk}/']")  # tap 1: the activity on the home page
    phone_page.wait_for_load_state()
    assert phone_page.locator("h1").inner_text() == "冬季长跑接力赛"
    button = phone_page.get_by_role("button", name="报名", exact=True)
    box = button.bounding_box()
    assert box["y"] + box["height"] <= 740, "the 报名 button is visible without scrolling"
    assert box["width"] >= 280 and box["height"] >= 44, "a big target for a thumb"
    screenshot(phone_page, "activity-detail-360")

    button.tap()  # tap 2: 报名
    phone_page.wait_for_load_state()
    assert "报名成功" in phone_page.locator(".messages").inner_text()
    assert phone_page.locator(".next-step").get_by_text("已报名").count() == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "activity-signed-up-360")
    assert Registration.objects.get(activity=run, member=member).status == Registration.Status.CONFIRMED

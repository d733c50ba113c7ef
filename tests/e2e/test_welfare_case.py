"""In a browser: a member applies on a 360px phone with a photo of a document; two welfare officers
(with TOTP) move the case to paid in the admin; another member cannot open it by its URL."""

import datetime
import importlib
import time
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from tests.e2e.conftest import log_in, screenshot
from tests.welfare.conftest import JPEG, with_totp
from unionhome import roles
from welfare.models import AidCase, AidRound

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def totp_code(secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in_with_totp(page, username, secret):
    log_in(page, username)
    page.fill("input[name=code]", totp_code(secret))
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def step(page, name, **fields):
    """Take one step through its own form on the case page (only the steps open now have one)."""
    form = page.locator(f"#step-{name}")
    if not form.count():
        screenshot(page, "welfare-step-missing")
        raise AssertionError(f"no form for step {name} at {page.url}: {page.content()[:1500]}")
    for field, value in fields.items():
        page.fill(f"#id_{name}_{field}", value)
    form.locator("input[type=submit]").click()
    page.wait_for_load_state()
    return page.locator(".messagelist").inner_text()


def test_it_goes_from_a_phone_application_to_paid(browser, phone_page, live_server, make_member, branch):
    # Transactional tests flush the tables: give the role its permissions again, as the migration does.
    importlib.import_module("welfare.migrations.0002_roles").grant(django_apps, None)
    today = timezone.localdate()
    AidRound.objects.create(
        branch=branch,
        year=today.year,
        name=f"{today.year} 年度困难补助",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        budget=Decimal("20000"),
    )
    applicant = make_member("2012001", name="李芳")
    make_member("2012002", name="王强")
    first = make_member("welfare", name="林秀英", roles_=(roles.MEMBER, roles.WELFARE_OFFICER), is_staff=True)
    second = make_member("welfare2", name="何静", roles_=(roles.MEMBER, roles.WELFARE_OFFICER), is_staff=True)
    first_secret, second_secret = with_totp(first.user), with_totp(second.user)

    # The member applies on a phone, with a photo of a hospital bill.
    log_in(phone_page, "2012001")
    phone_page.goto("/welfare/apply/")
    phone_page.select_option("#id_ground", "own_illness")
    phone_page.fill("#id_description", "今年确诊，住院两次，自付费用较多。")
    phone_page.fill("#id_household_size", "3")
    phone_page.fill("#id_income_per_head", "2600")
    phone_page.fill("#id_medical_costs", "28000")
    phone_page.fill("#id_amount_requested", "2000")
    phone_page.set_input_files(
        "#id_attachments", files=[{"name": "IMG_2031.jpg", "mimeType": "image/jpeg", "buffer": JPEG}]
    )
    phone_page.check("#id_consent_to_notice")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "welfare-apply-360")
    phone_page.get_by_role("button", name="提交申请").tap()
    phone_page.wait_for_load_state()
    assert "申请已提交" in phone_page.locator(".messages").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "welfare-submitted-360")
    case = AidCase.objects.get(member=applicant)
    assert case.state == "submitted" and case.attachments.get().content_type == "image/jpeg"

    # The first welfare officer files it; the second approves (four eyes); the first pays.
    officer_page = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    ).new_page()
    log_in_with_totp(officer_page, "welfare", first_secret)
    officer_page.goto(f"/admin/welfare/aidcase/{case.pk}/change/")
    assert "已办理" in step(officer_page, "group_opinion", text="小组走访核实，情况属实。")
    assert "已办理" in step(
        officer_page,
        "review",
        exclusion_checks="无违法违纪费用",
        day=today.isoformat(),
        decided_by="分工会委员会",
    )
    assert "已办理" in step(
        officer_page, "decision", day=today.isoformat(), reference="校工〔2026〕9号", amount="2000"
    )
    # The four-eyes rule: no approval form for the reviewer, but the name of who may approve.
    assert not officer_page.locator("#step-approve").count()
    assert "何静" in officer_page.locator("#held-approve").inner_text()

    approver_page = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    log_in_with_totp(approver_page, "welfare2", second_secret)
    approver_page.goto(f"/admin/welfare/aidcase/{case.pk}/change/")
    assert "已办理" in step(approver_page, "approve")

    officer_page.goto(f"/admin/welfare/aidcase/{case.pk}/change/")
    started = today - datetime.timedelta(days=20)
    assert "已办理" in step(officer_page, "notice", day=started.isoformat())
    assert "已办理" in step(officer_page, "pay", day=today.isoformat(), amount="2000")
    screenshot(officer_page, "welfare-admin-paid-1280")
    case.refresh_from_db()
    assert case.state == "paid" and case.paid_by == first.user and case.approved_by == second.user

    # Another member types the case's address: 404.
    other_page = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    log_in(other_page, "2012002")
    response = other_page.goto(f"/welfare/cases/{case.pk}/")
    assert response.status == 404
    attachment = case.attachments.get()
    assert other_page.goto(f"/welfare/attachments/{attachment.pk}/").status == 404

"""A treasurer publishes a disclosure, a second treasurer confirms it (four eyes), a member reads
it and its chart on a phone, and a correction shows its revision."""

import importlib

import pytest
from django.apps import apps

from congress.models import Disclosure
from tests.congress.conftest import add_line
from tests.e2e.conftest import log_in, screenshot
from unionhome import roles

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _rerun_data_migrations():
    """An earlier browser test may have flushed the database, and its serialized rollback cannot
    bring the rows of data migrations back (Playwright's greenlets get a connection object of
    their own, without the serialized contents): seed the categories and the role again."""
    importlib.import_module("congress.migrations.0002_disclosures_categories").seed(apps, None)
    importlib.import_module("congress.migrations.0003_disclosures_roles").grant(apps, None)


@pytest.fixture
def draft(branch, treasurer):
    _rerun_data_migrations()
    disclosure = Disclosure.objects.create(
        branch=branch, year=2025, period="Q3", title="2025年第三季度经费收支公开", created_by=treasurer.user
    )
    add_line(disclosure, "会费收入", "会员会费", "21000", "21000")
    add_line(disclosure, "拨缴经费收入", "学校工会返还拨缴经费", "38000", "38000")
    add_line(disclosure, "职工集体福利支出", "中秋节慰问品", "30000", "29400")
    add_line(disclosure, "文体活动支出", "中秋游园会", "6000", "5280.50")
    add_line(disclosure, "困难职工帮扶费", "困难补助", "10000", "8000", headcount=3)
    return disclosure


@pytest.fixture
def second_treasurer(make_member):
    return make_member("treasurer2", name="郑海燕", roles_=(roles.MEMBER, roles.TREASURER), is_staff=True)


def desktop(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server.url
    )
    return context, context.new_page()


def test_publish_confirm_read_on_a_phone_and_correct(
    browser, live_server, phone_page, draft, treasurer, second_treasurer, member
):
    # The treasurer checks the totals and submits.
    context, page = desktop(browser, live_server)
    log_in(page, "treasurer")
    page.goto(f"/admin/congress/disclosure/{draft.pk}/change/")
    page.get_by_role("link", name="核对合计并提交复核").click()
    assert "42,680.50" in page.content()  # spending total shown before publishing
    page.get_by_role("button", name="提交复核").click()
    assert "已提交复核" in page.locator(".messagelist").inner_text()
    context.close()

    # A second treasurer confirms; the submitter could not have.
    context, page = desktop(browser, live_server)
    log_in(page, "treasurer2")
    page.goto(f"/admin/congress/disclosure/{draft.pk}/confirm/")
    page.get_by_role("button", name="确认公开").click()
    # She lands on the published disclosure, not on an admin page she may not open.
    assert page.url.endswith(f"/disclosures/{draft.pk}/")
    assert "已公开" in page.locator(".messages").inner_text()
    context.close()
    draft.refresh_from_db()
    assert draft.state == Disclosure.State.PUBLISHED and draft.confirmed_by == second_treasurer.user

    # A member reads it on a phone: the list, the page, the chart beside its table.
    log_in(phone_page, member.staff_number)
    phone_page.goto("/disclosures/")
    with phone_page.expect_navigation():
        phone_page.get_by_role("link", name="2025年第三季度经费收支公开").tap()
    chart = phone_page.locator("svg[aria-labelledby='chart-expenditure-title']")
    assert chart.is_visible() and chart.bounding_box()["width"] <= 330
    assert chart.locator("rect").count() == 2 * 2  # budget and actual of two first-level categories
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "34,680.50" in phone_page.content()  # 职工活动支出, with thousands separators
    screenshot(phone_page, "disclosure-detail-360")

    # The treasurer corrects it; the second confirms; the member sees revision 2 and its reason.
    context, page = desktop(browser, live_server)
    log_in(page, "treasurer")
    page.goto(f"/admin/congress/disclosure/{draft.pk}/correct/")
    page.fill("textarea[name=reason]", "中秋游园会退回场地押金 500 元")
    page.get_by_role("button", name="生成更正草稿").click()
    revision = Disclosure.objects.get(supersedes=draft)
    revision.lines.filter(item="中秋游园会").update(actual="4780.50")
    page.goto(f"/admin/congress/disclosure/{revision.pk}/submit/")
    page.get_by_role("button", name="提交复核").click()
    context.close()
    context, page = desktop(browser, live_server)
    log_in(page, "treasurer2")
    page.goto(f"/admin/congress/disclosure/{revision.pk}/confirm/")
    page.get_by_role("button", name="确认公开").click()
    context.close()

    phone_page.goto(f"/disclosures/{draft.pk}/")
    assert "这个版本已被更正" in phone_page.content()
    with phone_page.expect_navigation():
        phone_page.get_by_role("link", name="查看最新的第 2 版").tap()
    assert "中秋游园会退回场地押金 500 元" in phone_page.locator("#revisions-heading + ol").inner_text()
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="查看逐行差异").tap()
    assert "4,780.50" in phone_page.locator(".diff-table").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "disclosure-diff-360")

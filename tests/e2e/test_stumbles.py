# ruff: noqa: F811  (the fixtures imported from other conftest files are named as arguments)
"""The stumbles of issue 16, seen in the browser: tap targets, phone tables, the long /me/ page,
links the viewer cannot open, the TOTP set-up, form errors next to their field, the disclosure
line editor in admin."""

import importlib
import time

import pytest
from django.apps import apps
from django.utils import timezone

from congress.models import Session, Vote
from tests.congress.conftest import (  # noqa: F401  (fixtures)
    accepted,
    category,
    cosigners,
    delegation,
    draft,
    handling,
    in_review,
    make_delegate,
    make_disclosure,
    other_delegation,
    proposal_data,
    proposer,
    replied,
    second_treasurer,
    session,
    support_contact,
    support_unit,
    term,
    unit,
    unit_contact,
)
from tests.e2e.conftest import PASSWORD, json_dump, log_in, narrow_cells, page_overflow, small_tap_targets
from tests.e2e.test_welfare_case import log_in_with_totp
from tests.welfare.conftest import aid_round, make_case, second_welfare_officer, with_totp  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
# The imported names are fixtures; pytest finds them in this module.


def _rerun_data_migrations():
    """Transactional tests flush the tables: seed the roles' permissions and the categories again."""
    importlib.import_module("welfare.migrations.0002_roles").grant(apps, None)
    importlib.import_module("congress.migrations.0002_disclosures_categories").seed(apps, None)
    importlib.import_module("congress.migrations.0003_disclosures_roles").grant(apps, None)
    importlib.import_module("congress.migrations.0004_finance_categories_2017").put_right(apps, None)
    importlib.import_module("congress.migrations.0002_roles").grant(apps, None)


def test_it_gives_every_tap_target_44px_on_the_login_page_the_aid_form_and_the_header(
    open_browser,
    make_member,
    aid_round,
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


def test_it_keeps_phone_tables_readable_and_says_they_scroll(
    open_browser,
    make_member,
    make_case,
    session,
    make_disclosure,
    welfare_officer,
):
    _rerun_data_migrations()
    applicant = make_member("2016011", name="欧阳建国")
    make_case("notice", applicant=applicant, amount="1500")
    Session.objects.filter(pk=session.pk).update(
        opened_at=timezone.now(), delegates_count=40, quorum_required=27, majority_required=21
    )
    Vote.objects.create(session=session, item="关于工会工作报告的决议", yes=30, no=2, abstain=1, present=33)
    disclosure = make_disclosure()
    make_member("2016012", name="李芳")
    journey = open_browser()
    page = journey.page
    log_in(page, "2016012")

    # 公示: the name, group, amount and period each on one line (the table scrolls instead).
    page.goto("/welfare/notices/")
    journey.check("notices")
    assert page.locator("main td", has_text="欧阳建国").count() == 1
    assert narrow_cells(page, "main table td") == []
    name = page.locator("main td", has_text="欧阳建国")
    one_line = "td => td.clientHeight < 2.2 * parseFloat(getComputedStyle(td).lineHeight)"
    assert name.evaluate(one_line)

    # The session's vote table: the item readable, not two characters wide.
    page.goto(session.get_absolute_url())
    journey.check("session")
    assert page.locator("main tbody th", has_text="关于工会工作报告的决议").count() == 1
    assert narrow_cells(page, "main tbody th", minimum_chars=6) == []

    # A disclosure's tables: each wide one has a visible cue that it scrolls sideways.
    page.goto(disclosure.get_absolute_url())
    journey.check("disclosure")
    assert page_overflow(page)["extra"] <= 0, page_overflow(page)
    page.locator("main details summary").first.click()  # the lines' table is folded
    wraps = page.locator("main .table-wrap")
    assert wraps.count() >= 3
    assert page.evaluate(
        "[...document.querySelectorAll('main .table-wrap')].some(w => w.scrollWidth > w.clientWidth)"
    )
    for index in range(wraps.count()):
        cue = page.locator(f"#{wraps.nth(index).get_attribute('aria-describedby')}")
        assert cue.is_visible() and "左右滑动" in cue.inner_text()


def test_it_opens_the_long_me_page_with_an_index_of_its_sections_without_javascript(
    open_browser, make_member
):
    make_member("2016021", name="李芳")
    journey = open_browser(javascript=False)
    page = journey.page
    log_in(page, "2016021")
    page.goto("/me/")
    journey.check("me")
    links = page.locator("main nav.section-index a")
    assert links.count() >= 4, page.content()[:2000]
    for index in range(links.count()):
        link = links.nth(index)
        target = link.get_attribute("href")
        assert target.startswith("#")
        assert page.locator(f"{target} h2").first.inner_text().strip() == link.inner_text().strip()
    assert small_tap_targets(page) == [], json_dump(small_tap_targets(page))
    last = links.nth(links.count() - 1)
    target = last.get_attribute("href")
    last.click()
    assert page.url.endswith(target)
    top = page.locator(target).evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < 100  # the section is now at the top of the screen


def _readonly_links_open(page):
    """Every link among the read-only fields of an admin change page, with the status it gets."""
    hrefs = page.eval_on_selector_all("#content-main .readonly a[href]", "els => els.map(a => a.href)")
    return {href: page.request.get(href).status for href in hrefs}


def test_it_shows_only_links_the_viewer_may_open(
    open_browser,
    superuser,
    make_case,
    make_disclosure,
    welfare_officer,
    treasurer,
    second_treasurer,
):
    _rerun_data_migrations()
    case = make_case("submitted")
    disclosure = make_disclosure()

    # The superuser has no member record: no 我的 and no 提案 in the navigation; every item opens.
    journey = open_browser(phone=False)
    page = journey.page
    log_in(page, "root")
    page.goto("/")
    journey.check("superuser home")
    labels = page.locator("nav.main-nav a").all_inner_texts()
    assert "我的" not in labels and "提案" not in labels, labels
    hrefs = page.eval_on_selector_all("nav.main-nav a", "els => els.map(a => a.href)")
    assert {href: page.request.get(href).status for href in hrefs} == dict.fromkeys(hrefs, 200)

    # The welfare officer reads the case in admin: the names on it link only where she may go.
    officer = open_browser(phone=False, name="welfare").page
    log_in_with_totp(officer, "welfare", with_totp(welfare_officer.user))
    officer.goto(f"/admin/welfare/aidcase/{case.pk}/change/")
    assert officer.locator("#content-main .readonly", has_text=case.member.name).count() >= 1
    links = _readonly_links_open(officer)
    assert links == dict.fromkeys(links, 200), links

    # The treasurer reads a published disclosure: the people on it are names, not refused links.
    keeper = open_browser(phone=False, name="treasurer").page
    log_in(keeper, "treasurer")
    keeper.goto(f"/admin/congress/disclosure/{disclosure.pk}/change/")
    assert (
        keeper.locator("#content-main .readonly", has_text=second_treasurer.user.get_username()).count() >= 1
    )
    links = _readonly_links_open(keeper)
    assert links == dict.fromkeys(links, 200), links


def test_it_sets_up_totp_saying_why_and_with_which_app_then_returns_to_the_page(
    open_browser, welfare_officer, mailoutbox
):
    import re

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    _rerun_data_migrations()
    journey = open_browser(name="welfare")
    page = journey.page
    log_in(page, "welfare")
    page.goto("/admin/welfare/aidcase/")
    journey.check("password again")
    assert "/accounts/reauthenticate/" in page.url
    assert "确认是您本人在操作" in page.locator("main").inner_text()  # why the password again
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    journey.check("totp set-up")
    assert "/accounts/2fa/totp/activate/" in page.url
    text = page.locator("main").inner_text()
    assert "敏感信息" in text  # why
    assert "微软 Authenticator" in text and "Google 身份验证器" in text  # with what
    assert small_tap_targets(page) == [], json_dump(small_tap_targets(page))
    secret = page.input_value("#authenticator_secret")
    mailed = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)  # the mailed enrolment code stays
    page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.fill("input[name=email_code]", mailed)
    page.click("main button[type=submit]")
    journey.check("recovery codes")
    assert "/accounts/2fa/recovery-codes/" in page.url
    page.click("text=已保存恢复码，继续刚才的工作")
    journey.check("back")
    assert page.url.endswith("/admin/welfare/aidcase/")


def test_it_keeps_the_rating_and_says_what_is_missing_next_to_the_field(open_browser, replied, proposer):
    journey = open_browser()
    page = journey.page
    log_in(page, proposer.staff_number)
    page.goto(replied.get_absolute_url())
    page.locator("#rate-heading").scroll_into_view_if_needed()
    page.check("input[name=rating][value=unsatisfied]")
    page.click("section:has(#rate-heading) button[type=submit]")
    journey.check("rating refused")
    reason = page.locator("section:has(#rate-heading) .field:has(#id_reason)")
    assert "请写明理由" in reason.locator(".error").inner_text()  # next to the field
    assert page.locator("input[name=rating][value=unsatisfied]").is_checked()  # the choice kept
    assert "请写明理由" not in page.locator(".messages").all_inner_texts().__str__()
    page.fill("#id_reason", "答复没有给出时间表。")
    page.click("section:has(#rate-heading) button[type=submit]")
    journey.check("rated")
    assert "评价已提交" in page.locator(".messages").inner_text()


def test_it_fits_the_disclosure_line_editor_into_1280px_with_labelled_fields(
    open_browser, make_disclosure, treasurer
):
    from congress.disclosures.models import Disclosure, FinanceCategory
    from tests.e2e.conftest import AXE_JS

    _rerun_data_migrations()
    disclosure = make_disclosure(state=Disclosure.State.DRAFT)
    journey = open_browser(phone=False, name="treasurer")
    page = journey.page
    log_in(page, "treasurer")
    page.goto(f"/admin/congress/disclosure/{disclosure.pk}/change/")
    journey.check("line editor")
    assert page.locator("#lines-group tbody tr.has_original").count() == 7
    assert page_overflow(page)["extra"] <= 0, page_overflow(page)

    # Every input labelled: axe-core finds nothing serious or critical.
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [
        (v["id"], len(v["nodes"]), v["nodes"][0]["html"][:120])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert blocking == [], blocking

    # The category select: income, then expenditure, each in the tree's order.
    select = page.locator("#id_lines-0-category")
    groups = select.locator("optgroup").evaluate_all("els => els.map(g => g.label)")
    assert groups == ["收入", "支出"]
    shown = select.locator("optgroup[label='支出'] option").all_inner_texts()
    tops = FinanceCategory.objects.filter(kind="expenditure", parent=None, is_active=True)
    expected = []
    for top in tops.order_by("sort_order", "pk"):
        expected.append(top.name)
        children = top.children.filter(is_active=True).order_by("sort_order", "pk")
        expected += [f"\u3000{child.name}" for child in children]
    assert [text.replace("\xa0", " ") for text in shown] == expected

"""The journeys of issue 7, by clicking and typing as a person does (no model writes after the fixtures).

1. A member logs in with a staff number, finds an open activity, signs up, sees it on /me/, adds it
   to a calendar (.ics), cancels (with the confirm step).
2. A member finds a full activity, joins the waitlist, another member cancels, the first now sees
   "confirmed" and has a notice.
3. An officer imports a roster spreadsheet in admin with one bad row, reads the error, fixes the
   file, imports it; the new member sets a password through the reset link and logs in.

Each on a 360x740 phone and a 1280x800 desktop in Chinese; journey 1 also in English; the member
journeys once with JavaScript off. Every step: HTML collected for the end-of-run check, axe-core on
phones (tests/e2e/conftest.py).
"""

import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from activities import services
from activities.models import Activity, Club
from members.models import Member
from tests.e2e.conftest import PASSWORD, json_dump, small_targets, wrapped_dates

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXT = {
    "zh-hans": {
        "signed_up": "报名成功",
        "confirmed": "已报名",
        "cancelled": "已取消报名",
        "seat_free": "名额会空出来",
        "seat_to_waitlist": "让给候补第 1 位",
        "waitlisted": "候补第 1 位",
        "promoted": "候补成功",
        "only_women": "仅限女会员",
    },
    "en": {
        "signed_up": "You are signed up",
        "confirmed": "Confirmed",
        "cancelled": "You cancelled your registration",
        "seat_free": "Your seat becomes free",
        "seat_to_waitlist": "first member on the waitlist",
        "waitlisted": "no. 1",
        "promoted": "A seat came free",
        "only_women": "Only for",
    },
}
ROSTER_HEADER = [
    "工号",
    "姓名",
    "性别",
    "出生日期",
    "部门",
    "工会小组",
    "职称/职务",
    "手机",
    "电子邮箱",
    "入会时间",
    "会籍状态",
]


@pytest.fixture
def relay(branch):
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=5)
    return Activity.objects.create(
        branch=branch,
        title="冬季长跑接力赛",
        description="五人一队，每人一公里。",
        place="东区田径场",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=30,
        status=Activity.Status.PUBLISHED,
    )


@pytest.fixture
def women_only(branch):
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=6)
    return Activity.objects.create(
        branch=branch,
        title="三八节插花体验",
        place="工会活动室",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=20,
        audience=Activity.Audience.WOMEN,
        status=Activity.Status.PUBLISHED,
    )


def log_in(journey, username, password=PASSWORD):
    page = journey.page
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    journey.check("logged in")


def assert_phone_layout(journey):
    """On a phone: tap targets >= 44px, no date broken over two lines, nothing wider than the screen."""
    if not journey.phone:
        return
    page = journey.page
    assert small_targets(page) == [], (
        f"tap targets under 44px on {page.url}: {json_dump(small_targets(page))}"
    )
    assert wrapped_dates(page) == [], f"dates broken over two lines on {page.url}: {wrapped_dates(page)}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"wider than the phone: {page.url}"


def messages_text(page):
    return page.locator(".messages").inner_text()


# --- journey 1 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone, language, javascript",
    [
        pytest.param(True, "zh-hans", True, id="phone-zh"),
        pytest.param(False, "zh-hans", True, id="desktop-zh"),
        pytest.param(True, "en", True, id="phone-en"),
        pytest.param(True, "zh-hans", False, id="phone-zh-nojs"),
    ],
)
def test_journey_1_a_member_signs_up_adds_it_to_a_calendar_and_cancels(
    open_browser, make_member, relay, women_only, phone, language, javascript
):
    make_member("2010101", name="王强", gender=Member.Gender.MALE)
    text = TEXT[language]
    journey = open_browser(phone=phone, language=language, javascript=javascript)
    page = journey.page

    page.goto("/")
    journey.check("login page")
    assert "/accounts/login/" in page.url
    log_in(journey, "2010101")
    assert_phone_layout(journey)
    # The home page shows the women-only activity, with why this member cannot join it.
    card = page.locator(f"li.activity-card:has(a[href='/activities/{women_only.pk}/'])")
    assert text["only_women"] in card.inner_text()

    page.click("nav a[href='/activities/']")
    journey.check("activities")
    assert_phone_layout(journey)
    assert page.locator(f"a.activity-link[href='/activities/{women_only.pk}/']").count() == 0
    page.click(f"a.activity-link[href='/activities/{relay.pk}/']")
    journey.check("activity")
    assert page.locator("h1").inner_text() == "冬季长跑接力赛"

    page.click(f"form[action='/activities/{relay.pk}/signup/'] button[type=submit]")
    journey.check("signed up")
    assert text["signed_up"] in messages_text(page)

    page.click("nav a[href='/me/']")
    journey.check("my page")
    assert_phone_layout(journey)
    mine = page.locator("#my-activities").inner_text()
    assert "冬季长跑接力赛" in mine and text["confirmed"] in mine
    # The feed address is made by a button (a POST), never by showing the page.
    assert page.locator("#calendar a[href^='webcal://']").count() == 0
    page.click("#calendar form[action='/me/calendar/reset/'] button[type=submit]")
    journey.check("calendar address made")
    assert page.locator("#calendar a[href^='webcal://']").count() == 1

    page.click(f"#my-activities a[href='/activities/{relay.pk}/']")
    journey.check("activity again")
    with page.expect_download() as download:
        page.click(f"a[href='/activities/{relay.pk}.ics']")
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in ics and "冬季长跑接力赛" in ics

    page.click("a[href='?confirm=cancel#confirm']")
    journey.check("confirm cancelling")
    assert text["seat_free"] in page.locator("#confirm").inner_text()
    page.click(f"form[action='/activities/{relay.pk}/cancel/'] button[type=submit]")
    journey.check("cancelled")
    assert text["cancelled"] in messages_text(page)
    if language == "en":
        assert not re.search("[（）]", page.locator("main").inner_text()), "full-width brackets in English"


# --- journey 2 ------------------------------------------------------------------------------


@pytest.fixture
def full_activity(branch, make_member):
    """One seat, taken by 王强 (signed up through the service, as set-up)."""
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
    activity = Activity.objects.create(
        branch=branch,
        title="健康讲座：颈椎保养",
        place="图书馆报告厅",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=1,
        status=Activity.Status.PUBLISHED,
    )
    holder = make_member("2010202", name="王强", gender=Member.Gender.MALE)
    services.registration_create(activity=activity, member=holder, actor=holder.user)
    return activity


@pytest.mark.parametrize(
    "phone, javascript",
    [
        pytest.param(True, True, id="phone-zh"),
        pytest.param(False, True, id="desktop-zh"),
        pytest.param(True, False, id="phone-zh-nojs"),
    ],
)
def test_journey_2_a_waiting_member_gets_the_seat_another_member_gives_up(
    open_browser, make_member, full_activity, phone, javascript
):
    make_member("2010201", name="李芳")
    text = TEXT["zh-hans"]
    pk = full_activity.pk
    first = open_browser(phone=phone, javascript=javascript, name="waiting")
    page = first.page
    page.goto("/accounts/login/")
    first.check("login page")
    log_in(first, "2010201")
    page.click("nav a[href='/activities/']")
    first.check("activities")
    assert "名额已满" in page.locator(f"li.activity-card:has(a[href='/activities/{pk}/'])").inner_text()
    page.click(f"a.activity-link[href='/activities/{pk}/']")
    first.check("full activity")
    page.click(f"form[action='/activities/{pk}/signup/'] button[type=submit]")
    first.check("on the waitlist")
    assert text["waitlisted"] in page.locator(".next-step").inner_text()

    other = open_browser(phone=phone, javascript=javascript, name="cancelling")
    other.page.goto("/accounts/login/")
    other.check("login page")
    log_in(other, "2010202")
    other.page.click("nav a[href='/me/']")
    other.check("my page")
    other.page.click(f"#my-activities a[href='/activities/{pk}/']")
    other.check("activity")
    other.page.click("a[href='?confirm=cancel#confirm']")
    other.check("confirm cancelling")
    assert text["seat_to_waitlist"] in other.page.locator("#confirm").inner_text()
    other.page.click(f"form[action='/activities/{pk}/cancel/'] button[type=submit]")
    other.check("cancelled")

    page.click("nav a[href='/']")
    first.check("home with a notice")
    assert text["promoted"] in page.locator(".notices").inner_text()
    assert_phone_layout(first)
    page.click("nav a[href='/me/']")
    first.check("my page")
    mine = page.locator(f"#my-activities li:has(a[href='/activities/{pk}/'])").inner_text()
    assert text["confirmed"] in mine and "候补" not in mine
    page.click(".notices button[type=submit]")
    first.check("notices read")
    assert page.locator(".notices").count() == 0


# --- journey 3 ------------------------------------------------------------------------------


def roster_file(path: Path, rows) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ROSTER_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


NEW_MEMBER = [
    "2026001",
    "赵新",
    "女",
    "1992-04-18",
    "",
    "数学系工会小组",
    "讲师",
    "",
    "zhaoxin@example.edu.cn",
    "",
    "在职",
]
SECOND_NEW = ["2026002", "钱多", "男", "1989-10-02", "", "数学系工会小组", "", "", "", "", "在职"]


@pytest.mark.parametrize("phone", [pytest.param(True, id="phone-zh"), pytest.param(False, id="desktop-zh")])
def test_journey_3_an_officer_imports_a_roster_and_the_new_member_sets_a_password(
    open_browser, officer, tmp_path, mailoutbox, phone
):
    office = open_browser(phone=phone, name="officer")
    page = office.page
    page.goto("/accounts/login/")
    office.check("login page")
    log_in(office, "officer")
    page.click("nav a[href='/admin/']")
    office.check("admin")
    page.click("a[href='/admin/members/member/']")
    office.check("members")
    page.click("a[href='/admin/members/member/import/']")
    office.check("import")
    # No format to choose: the file's content decides (xlsx or CSV, UTF-8 or GBK).
    assert page.locator("#id_format").get_attribute("type") == "hidden"
    assert "按内容识别" in page.locator("main form").inner_text()

    with page.expect_download() as download:
        page.click("a[href='/admin/members/member/import/template.xlsx']")
    download.value.save_as(tmp_path / "template.xlsx")
    template = openpyxl.load_workbook(tmp_path / "template.xlsx").active
    rows = [list(row) for row in template.iter_rows(values_only=True)]
    assert rows[0] == ROSTER_HEADER and len(rows) == 3

    bad = [*SECOND_NEW[:5], "不存在的小组", *SECOND_NEW[6:]]
    page.set_input_files("#id_import_file", str(roster_file(tmp_path / "roster.xlsx", [NEW_MEMBER, bad])))
    page.click("form[enctype='multipart/form-data'] input[type=submit]")
    office.check("errors")
    errors = page.locator("table.import-errors").inner_text()
    assert "3" in errors and "工会小组" in errors and "没有名为“不存在的小组”的工会小组" in errors

    page.set_input_files(
        "#id_import_file", str(roster_file(tmp_path / "fixed.xlsx", [NEW_MEMBER, SECOND_NEW]))
    )
    page.click("form[enctype='multipart/form-data'] input[type=submit]")
    office.check("preview")
    page.click("input[name=confirm]")
    office.check("imported")
    assert "赵新" in page.locator("#result_list").inner_text()
    page.click("#logout-form button")
    office.check("logged out")

    newcomer = open_browser(phone=phone, name="newcomer")
    page = newcomer.page
    page.goto("/accounts/login/")
    newcomer.check("login page")
    page.click("a[href='/accounts/password/reset/']")
    newcomer.check("password reset")
    page.fill("#id_email", "zhaoxin@example.edu.cn")
    page.click("main form button[type=submit]")
    newcomer.check("reset sent")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["zhaoxin@example.edu.cn"]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    newcomer.check("set password")
    page.fill("#id_password1", "Shuxue-2026!")
    page.fill("#id_password2", "Shuxue-2026!")
    page.click("main form button[type=submit]")
    newcomer.check("password set")
    page.goto("/accounts/login/")
    log_in(newcomer, "2026001", "Shuxue-2026!")
    assert "赵新" in page.locator("h1").inner_text()


# --- keyboard -------------------------------------------------------------------------------


def tab_to(page, selector, limit=60):
    """Press Tab until the element matching `selector` has the focus; return its focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return page.evaluate(
                """() => { const s = getComputedStyle(document.activeElement);
                           return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""
            )
    raise AssertionError(f"Tab never reached {selector}")


def test_a_member_signs_up_and_cancels_by_keyboard_with_a_visible_focus_ring(
    open_browser, make_member, relay
):
    make_member("2010301", name="陈静")
    journey = open_browser(phone=False)
    page = journey.page
    page.goto("/accounts/login/")
    tab_to(page, "#id_login")
    page.keyboard.type("2010301")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    journey.check("logged in")
    ring = tab_to(page, f"a.activity-link[href='/activities/{relay.pk}/']")
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    page.keyboard.press("Enter")
    journey.check("activity")
    ring = tab_to(page, f"form[action='/activities/{relay.pk}/signup/'] button")
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    page.keyboard.press("Enter")
    journey.check("signed up")
    assert "报名成功" in messages_text(page)
    tab_to(page, "a[href='?confirm=cancel#confirm']")
    page.keyboard.press("Enter")
    journey.check("confirm cancelling")
    ring = tab_to(page, f"form[action='/activities/{relay.pk}/cancel/'] button")
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    page.keyboard.press("Enter")
    journey.check("cancelled")
    assert "已取消报名" in messages_text(page)


# --- phone layout ---------------------------------------------------------------------------


def test_phone_pages_have_44px_targets_and_unbroken_dates_and_leaving_a_club_asks_first(
    open_browser, make_member, branch
):
    member = make_member("2010401", name="欧阳文静")
    club = Club.objects.create(branch=branch, name="太极与健身俱乐部", kind=Club.Kind.SPORTS, leader=member)
    starts = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=8)
    Activity.objects.create(
        branch=branch,
        club=club,
        title="两天一夜：黄山教职工登山健身与摄影交流活动",
        place="黄山风景区（汤口镇游客中心集合，统一乘车前往）",
        starts_at=starts,
        ends_at=starts + timedelta(days=1, hours=8),
        capacity=40,
        status=Activity.Status.PUBLISHED,
    )
    joiner = make_member("2010402", name="周敏")
    services.club_join(club=club, member=joiner, actor=joiner.user)
    journey = open_browser()
    page = journey.page
    page.goto("/accounts/login/")
    log_in(journey, "2010402")
    assert_phone_layout(journey)
    kept_together = 0
    for path in ("/activities/", "/clubs/", f"/clubs/{club.pk}/", "/me/"):
        page.goto(path)
        journey.check(path)
        assert_phone_layout(journey)
        kept_together += page.locator(".nowrap").count()
    assert kept_together >= 5
    page.click("a[href='/activities/']")
    badge = page.locator(".badge").first
    assert float(badge.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 16
    page.click("summary")
    assert page.locator("details.filter-card[open]").count() == 1  # 筛选 opens
    assert page.locator("summary").evaluate("el => getComputedStyle(el, '::before').content") != "none"

    page.goto(f"/clubs/{club.pk}/")
    page.click("a[href='?confirm=leave#confirm']")
    journey.check("confirm leaving")
    page.click(f"form[action='/clubs/{club.pk}/leave/'] button[type=submit]")
    journey.check("left")
    assert "已退出" in messages_text(page)

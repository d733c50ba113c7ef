import re
from decimal import Decimal

import pytest
from django.urls import reverse

from congress.disclosures import services
from tests.congress.conftest import add_line


def url(disclosure):
    return reverse("disclosures:detail", args=[disclosure.pk])


def test_anonymous_is_sent_to_login_by_default(client, disclosure):
    response = client.get(url(disclosure))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_member_reads_income_and_spending_by_category(client_for, member, disclosure):
    response = client_for(member).get(url(disclosure))
    assert response.status_code == 200
    content = response.content.decode()
    assert "会费收入" in content and "职工活动支出" in content and "文体活动支出" in content
    assert "58,800.50" in content  # thousands separators
    assert "78,800.50 元" in content  # income total with 元
    assert "-1,199.50" in content  # variance
    assert "85.4%" in content  # share of 职工活动支出 in spending


def test_others_get_404(client_for, other_branch_officer, disclosure, disclosure_draft, member):
    assert client_for(other_branch_officer).get(url(disclosure)).status_code == 404
    assert client_for(member).get(url(disclosure_draft)).status_code == 404


def test_the_branchs_treasurer_previews_a_draft(client_for, treasurer, disclosure_draft):
    response = client_for(treasurer).get(url(disclosure_draft))
    assert response.status_code == 200 and "预览" in response.content.decode()


def _numbers(text):
    return Decimal(text.replace(",", ""))


def test_the_svg_bars_match_the_table(client_for, member, disclosure):
    content = client_for(member).get(url(disclosure)).content.decode()
    [svg] = [svg for svg in re.findall(r"<svg .*?</svg>", content, re.S) if "chart-expenditure-title" in svg]
    bars = re.findall(
        r'width="([\d.]+)" height="13" fill="[^"]+" data-series="(\w+)" data-value="([\d.]+)"', svg
    )
    table = re.search(
        r"<caption>支出：预算、实际、差异与占比（元）</caption>(.*?)</table>", content, re.S
    ).group(1)
    rows = re.findall(
        r'<tr class="group-row"[^>]*><th scope="row">([^<]+)</th>\s*'
        r"<td[^>]*>([\d,.]+)</td>\s*<td[^>]*>([\d,.]+)</td>",
        table,
    )
    expected = []
    for _label, budget, actual in rows:
        expected += [("budget", _numbers(budget)), ("actual", _numbers(actual))]
    assert [(series, Decimal(value)) for _width, series, value in bars] == expected
    largest = max(value for _series, value in expected)
    for width, _series, value in bars:
        assert abs(Decimal(width) - Decimal(value) / largest * 300) <= Decimal("0.1")


def test_it_compares_with_last_year(client_for, member, make_disclosure):
    last = make_disclosure(year=2024, lines=False)
    add_line(last, "文体活动支出", "运动会", "10000", "10000")
    this = make_disclosure(year=2025)
    content = client_for(member).get(url(this)).content.decode()
    assert "与 2024 年同期比较" in content and 'aria-labelledby="yoy-expenditure-title"' in content
    assert "+36,700.40" in content


def test_the_query_count_is_fixed_and_does_not_grow_with_lines(
    client_for, member, disclosure, django_assert_num_queries, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client = client_for(member)
    client.get(url(disclosure))
    # session, user, member with its branch, roles, the disclosure, its revisions;
    # then its lines, last year's revision, the welfare benefit totals and caps, the attachments
    with django_assert_num_queries(11):
        client.get(url(disclosure))
    for n in range(30):
        add_line(disclosure, "其他活动支出", f"活动 {n}", "100", "90")
    with django_assert_num_queries(11):
        response = client.get(url(disclosure))
    assert "活动 29" in response.content.decode()


def test_a_published_revision_is_cached_until_a_new_revision_appears(
    client_for, member, disclosure, treasurer, second_treasurer, django_assert_num_queries
):
    client = client_for(member)
    first = client.get(url(disclosure)).content.decode()
    # session, user, member with its branch, roles, the disclosure, its revisions: no lines
    with django_assert_num_queries(6):
        again = client.get(url(disclosure)).content.decode()
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(again).group(0) == main.search(first).group(0)
    revision = services.disclosure_correct(
        disclosure=disclosure, actor=treasurer.user, reason="合唱比赛金额更正"
    )
    revision.lines.filter(item="合唱比赛").update(actual=Decimal("4000.00"))
    services.disclosure_submit(disclosure=revision, actor=treasurer.user)
    services.disclosure_confirm(disclosure=revision, actor=second_treasurer.user)
    old_page = client.get(url(disclosure)).content.decode()
    assert "这个版本已被更正" in old_page and "4,200.40" in old_page
    new_page = client.get(url(revision)).content.decode()
    assert "4,000.00" in new_page and "合唱比赛金额更正" in new_page and "第 2 版" in new_page


def test_it_lists_revisions_with_reasons(client_for, member, disclosure, treasurer, second_treasurer):
    revision = services.disclosure_correct(disclosure=disclosure, actor=treasurer.user, reason="补录培训费")
    services.disclosure_submit(disclosure=revision, actor=treasurer.user)
    services.disclosure_confirm(disclosure=revision, actor=second_treasurer.user)
    content = client_for(member).get(url(revision)).content.decode()
    assert "版本与更正记录" in content and "补录培训费" in content
    assert reverse("disclosures:compare", args=[revision.pk]) in content


@pytest.fixture
def public(settings):
    settings.UNIONHOME_DISCLOSURES_PUBLIC = True


def test_when_public_anyone_reads_without_login_and_sees_no_other_portal_link(client, public, disclosure):
    response = client.get(url(disclosure))
    assert response.status_code == 200
    links = set(re.findall(r'href="([^"#]+)"', response.content.decode()))
    allowed = ("/disclosures/", "/static/")
    assert links and all(link.startswith(allowed) for link in links), links


def test_when_public_drafts_stay_hidden(client, public, disclosure_draft, other_branch_officer, client_for):
    assert client.get(url(disclosure_draft)).status_code == 404
    assert client_for(other_branch_officer).get(url(disclosure_draft)).status_code == 404


def test_members_only_hides_other_branches_even_when_signed_in(client_for, other_branch_officer, disclosure):
    assert client_for(other_branch_officer).get(url(disclosure)).status_code == 404


def test_it_shows_benefit_spending_per_head_against_the_cap(
    client_for, member, second_member, make_member, welfare_officer, disclosure
):
    from datetime import date
    from decimal import Decimal

    from welfare import services as welfare_services
    from welfare.models import Benefit

    third = make_member(name="周晓梅")
    for who in (member, second_member, third):  # holiday gifts: 1,300 元 each against the 1,500 元 cap
        welfare_services.benefit_save(
            actor=welfare_officer.user,
            benefit=Benefit(
                branch=disclosure.branch,
                member=who,
                kind="holiday",
                event_date=date(disclosure.year, 9, 10),
                amount=Decimal("1300"),
                payment_form="goods",
            ),
        )
    content = client_for(member).get(url(disclosure)).content.decode()
    assert "会员慰问：人均与上限" in content
    assert "1,300.00" in content and "1,500.00" in content and "在上限内（86.7%）" in content
    assert second_member.name not in content  # the page names nobody but its reader (header)

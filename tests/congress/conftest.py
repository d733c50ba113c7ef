"""Fixtures for the congress tests."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from congress.models import Disclosure, DisclosureLine, FinanceCategory
from unionhome import roles

# --- Finance disclosures ---


def category(name, parent=None):
    query = FinanceCategory.objects.filter(name=name)
    if parent:
        query = query.filter(parent__name=parent)
    return query.get()


@pytest.fixture
def second_treasurer(make_member):
    return make_member("treasurer2", name="郑海燕", roles_=(roles.MEMBER, roles.TREASURER), is_staff=True)


@pytest.fixture
def chair(make_member):
    """The branch chair: an officer who holds the confirm permission."""
    chair = make_member("chair", name="陈建华", roles_=(roles.MEMBER, roles.OFFICER), is_staff=True)
    chair.user.user_permissions.add(Permission.objects.get(codename="confirm_disclosure"))
    return chair


@pytest.fixture
def other_branch_treasurer(make_member, other_branch):
    return make_member(
        "phys-treasurer",
        name="钱立新",
        roles_=(roles.MEMBER, roles.TREASURER),
        is_staff=True,
        member_branch=other_branch,
    )


def add_line(disclosure, category_name, item, budget, actual, parent=None, **fields):
    return DisclosureLine.objects.create(
        disclosure=disclosure,
        category=category(category_name, parent),
        item=item,
        budget=Decimal(budget),
        actual=Decimal(actual),
        **fields,
    )


@pytest.fixture
def make_disclosure(branch, treasurer, second_treasurer):
    """A disclosure with a few income and spending lines; published unless state says otherwise."""

    def make(
        *, year=2025, period=Disclosure.Period.Q1, state=Disclosure.State.PUBLISHED, lines=True, **fields
    ):
        values = {"branch": branch, "year": year, "period": period, "title": f"{year}年第一季度经费收支公开"}
        values.update(fields)
        disclosure = Disclosure.objects.create(created_by=treasurer.user, **values)
        if lines:
            add_line(disclosure, "会费收入", "会员会费", "60000", "58800.50")
            add_line(disclosure, "行政补助收入", "学院行政补助", "20000", "20000")
            add_line(disclosure, "文体活动支出", "春季运动会", "12000", "13500")
            add_line(disclosure, "文体活动支出", "合唱比赛", "5000", "4200.40")
            add_line(disclosure, "会员活动支出", "节日慰问", "30000", "29000")
            add_line(disclosure, "困难职工帮扶支出", "大病补助", "10000", "8000", headcount=3)
            add_line(disclosure, "培训支出", "工会干部培训", "3000", "0")
        if state != Disclosure.State.DRAFT:
            disclosure.state = state
            disclosure.submitted_by = treasurer.user
            if state == Disclosure.State.PUBLISHED:
                from django.utils import timezone

                disclosure.confirmed_by = second_treasurer.user
                disclosure.published_at = timezone.now()
            disclosure.save()
        return disclosure

    return make


@pytest.fixture
def disclosure(make_disclosure):
    return make_disclosure()


@pytest.fixture
def draft(make_disclosure):
    return make_disclosure(
        period=Disclosure.Period.Q2, title="2025年第二季度经费收支公开", state=Disclosure.State.DRAFT
    )

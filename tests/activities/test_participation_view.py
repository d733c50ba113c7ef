import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Registration
from activities.services import attendance_mark, registration_create
from members.models import Member

URL = reverse("activities:participation")


@pytest.fixture
def period():
    today = timezone.localdate()
    return {"start": (today - timedelta(days=60)).isoformat(), "end": today.isoformat()}


@pytest.fixture
def branch_year(make_activity, make_member, officer, group, second_group, department):
    """Five active members in two groups, one retiree; two activities held, one upcoming, one cancelled."""
    today = timezone.localdate()
    young = date(today.year - 30, 1, 1)
    people = {
        "甲": make_member(name="甲", union_group=group, department=department, birth_date=young),
        "乙": make_member(name="乙", union_group=group, gender=Member.Gender.MALE),
        "丙": make_member(name="丙", union_group=second_group, gender=Member.Gender.MALE),
        "丁": make_member(name="丁", union_group=second_group),
        "退": make_member(
            name="退", union_group=second_group, status=Member.Status.RETIRED, birth_date=date(1958, 1, 1)
        ),
    }
    now = timezone.now()
    first = make_activity(title="羽毛球", starts_at=now - timedelta(days=20), capacity=None)
    second = make_activity(title="讲座", starts_at=now - timedelta(days=5), capacity=None)
    upcoming = make_activity(title="将来", starts_at=now + timedelta(days=5), capacity=None)
    cancelled = make_activity(
        title="取消", starts_at=now - timedelta(days=3), capacity=None, status=Activity.Status.CANCELLED
    )
    older = make_activity(title="很久以前", starts_at=now - timedelta(days=200), capacity=None)

    def sign(activity, *names):
        return {
            name: registration_create(activity=activity, member=people[name], actor=officer.user).pk
            for name in names
        }

    marks = sign(first, "甲", "乙", "退")
    attendance_mark(
        activity=first,
        marks={marks["甲"]: "present", marks["乙"]: "absent", marks["退"]: "present"},
        actor=officer.user,
    )
    marks = sign(second, "甲", "丙")
    attendance_mark(
        activity=second, marks={marks["甲"]: "present", marks["丙"]: "present"}, actor=officer.user
    )
    sign(upcoming, "丁")
    Activity.objects.filter(pk=cancelled.pk).update(status=Activity.Status.PUBLISHED)
    marks = sign(cancelled, "丁")
    attendance_mark(activity=cancelled, marks={marks["丁"]: "present"}, actor=officer.user)
    Activity.objects.filter(pk=cancelled.pk).update(status=Activity.Status.CANCELLED)
    marks = sign(older, "乙")
    attendance_mark(activity=older, marks={marks["乙"]: "present"}, actor=officer.user)
    return people


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("persona", ["member", "staff_without_permissions", "welfare_officer", "treasurer"])
def test_others_are_forbidden(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_it_counts_activities_signups_attendance_and_coverage(client_for, officer, branch_year, period):
    response = client_for(officer).get(URL, period)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.activities_held == 2
    assert (report.signups, report.present, report.absent) == (5, 4, 1)
    # Active members: the officer and 甲乙丙丁; 甲 and 丙 attended.
    assert (report.overall.members, report.overall.reached) == (5, 2)
    assert (report.retirees.members, report.retirees.reached) == (1, 1)
    content = response.content.decode()
    assert "40.0%" in content


def test_breakdowns_put_the_least_reached_first(client_for, officer, branch_year, period):
    report = client_for(officer).get(URL, period).context["report"]
    by = {
        breakdown.title: [(row.label, row.members, row.reached) for row in breakdown.rows]
        for breakdown in report.breakdowns
    }
    # 数学系工会小组: officer, 甲, 乙 (1 of 3); 学院办公室工会小组: 丙, 丁 (1 of 2).
    assert by["按工会小组"] == [("数学系工会小组", 3, 1), ("学院办公室工会小组", 2, 1)]
    assert by["按性别"] == [("女", 3, 1), ("男", 2, 1)]
    assert by["按部门"] == [("未填部门", 4, 1), ("数学系", 1, 1)]
    assert ("30岁以下", 0, 0) not in by["按年龄段"]
    assert dict((label, (members, reached)) for label, members, reached in by["按年龄段"])["30–39岁"] == (
        1,
        1,
    )
    young = dict((label[:4], (members, reached)) for label, members, reached in by["青年教师"])
    assert young["青年教师"] == (1, 1) and young["其他在职"] == (4, 1)


def test_each_members_participation_is_listed_least_first(client_for, officer, branch_year, period):
    members = client_for(officer).get(URL, period).context["report"].members
    counts = {member.name: (member.signups, member.attended, member.absent) for member in members}
    assert counts["甲"] == (2, 2, 0) and counts["乙"] == (1, 0, 1) and counts["丁"] == (0, 0, 0)
    assert counts["退"] == (1, 1, 0)
    attended = [member.attended for member in members]
    assert attended == sorted(attended)


def test_the_period_defaults_to_this_year_and_bad_input_is_explained(client_for, officer):
    client = client_for(officer)
    response = client.get(URL)
    assert response.context["form"]["start"].value() == date(timezone.localdate().year, 1, 1)
    response = client.get(URL, {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 200 and response.context["report"] is None
    assert "截止日期不能早于起始日期" in response.content.decode()


def test_another_branchs_officer_sees_only_their_own_branch(
    client_for, other_branch_officer, branch_year, period
):
    report = client_for(other_branch_officer).get(URL, period).context["report"]
    assert report.activities_held == 0 and report.overall.members == 1


def test_the_csv_export_is_formula_safe(client_for, officer, branch_year, period, make_member):
    make_member(name='=HYPERLINK("http://x")', title="x")
    response = client_for(officer).get(URL, {**period, "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["工号", "姓名", "工会小组"]
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in names and "甲" in names


def test_the_xlsx_export_has_summary_coverage_and_members(
    client_for, officer, branch_year, period, make_member
):
    make_member(name="@SUM(A1)")
    response = client_for(officer).get(URL, {**period, "export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["概况", "覆盖面", "会员参与"]
    cells = [cell.value for row in workbook["会员参与"].iter_rows() for cell in row]
    assert "'@SUM(A1)" in cells and "@SUM(A1)" not in cells
    summary = {row[0].value: row[1].value for row in workbook["概况"].iter_rows(min_row=2)}
    assert (
        summary["开展活动（次）"] == 2 and summary["覆盖面"] == "33.3%"
    )  # 2 of 6 (the formula-named member too)


# session, user, member (with its branch), roles; the report (totals, overall, retirees,
# five breakdowns, per member, activities held)
QUERIES = 14


def test_the_query_count_does_not_grow_with_members_or_activities(
    client_for, officer, make_member, make_activity, period, django_assert_num_queries
):
    client = client_for(officer)
    with django_assert_num_queries(QUERIES):
        client.get(URL, period)
    people = [make_member(name=f"会员{number}") for number in range(12)]
    for number in range(6):
        activity = make_activity(
            title=f"活动{number}", starts_at=timezone.now() - timedelta(days=number + 1), capacity=None
        )
        ids = [
            registration_create(activity=activity, member=person, actor=officer.user).pk
            for person in people[number:]
        ]
        attendance_mark(activity=activity, marks={pk: "present" for pk in ids[::2]}, actor=officer.user)
    with django_assert_num_queries(QUERIES):
        response = client.get(URL, period)
    assert response.context["report"].activities_held == 6
    assert Registration.objects.count() > 40

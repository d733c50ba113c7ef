from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ActivityResult
from members.models import Member
from tests.activities.conftest import signed_up


def url(activity):
    return reverse("activities:detail", args=[activity.pk])


def signup_form(activity):
    return f'action="{reverse("activities:signup", args=[activity.pk])}"'


def cancel_form(activity):
    return f'action="{reverse("activities:cancel", args=[activity.pk])}"'


def test_anonymous_is_sent_to_login(client, activity):
    response = client.get(url(activity))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_shows_the_details_and_one_signup_button(client_for, member, make_activity):
    activity = make_activity(description="自带球拍。\n欢迎新手。", place="东区体育馆")
    content = client_for(member).get(url(activity)).content.decode()
    assert activity.title in content and "东区体育馆" in content and "欢迎新手" in content
    assert content.count(signup_form(activity)) == 1 and ">报名<" in content
    assert cancel_form(activity) not in content
    assert "还剩 10 个名额" in content


def test_a_full_activity_offers_the_waitlist(client_for, member, second_member, make_activity):
    activity = make_activity(capacity=1)
    signed_up(activity, second_member)
    content = client_for(member).get(url(activity)).content.decode()
    assert signup_form(activity) in content and "报名候补" in content


def test_a_confirmed_member_sees_the_cancel_button_until_the_deadline(client_for, member, make_activity):
    activity = make_activity(cancel_deadline=timezone.now() + timedelta(days=1))
    signed_up(activity, member)
    client = client_for(member)
    content = client.get(url(activity)).content.decode()
    assert "✓ 已报名" in content and 'href="?confirm=cancel#confirm"' in content
    assert signup_form(activity) not in content
    content = client.get(url(activity) + "?confirm=cancel").content.decode()
    assert cancel_form(activity) in content  # the cancel button is on the confirm step
    Activity.objects.filter(pk=activity.pk).update(cancel_deadline=timezone.now() - timedelta(minutes=1))
    content = client.get(url(activity) + "?confirm=cancel").content.decode()
    assert "✓ 已报名" in content and cancel_form(activity) not in content and "请联系工会委员" in content


def test_a_waitlisted_member_sees_their_place_and_can_leave(
    client_for, member, second_member, make_member, make_activity
):
    activity = make_activity(capacity=1)
    signed_up(activity, second_member)
    signed_up(activity, make_member(name="丙"))
    signed_up(activity, member)
    content = client_for(member).get(url(activity)).content.decode()
    assert "候补第 2 位" in content and "退出候补" in content
    content = client_for(member).get(url(activity) + "?confirm=cancel").content.decode()
    assert "候补位置（第 2 位）不再保留" in content and cancel_form(activity) in content


def test_a_member_outside_the_audience_sees_why(client_for, make_member, make_activity):
    man = make_member(name="王强", gender=Member.Gender.MALE)
    activity = make_activity(audience=Activity.Audience.WOMEN)
    content = client_for(man).get(url(activity)).content.decode()
    assert "本活动仅面向女会员" in content and signup_form(activity) not in content


def test_a_closed_signup_says_so(client_for, member, make_activity):
    activity = make_activity(signup_closes_at=timezone.now() - timedelta(hours=1))
    content = client_for(member).get(url(activity)).content.decode()
    assert "报名已于" in content and signup_form(activity) not in content


def test_results_are_shown(client_for, member, past_activity):
    ActivityResult.objects.create(activity=past_activity, event="羽毛球比赛 团体", award="全校第五名")
    content = client_for(member).get(url(past_activity)).content.decode()
    assert "羽毛球比赛 团体" in content and "全校第五名" in content


def test_other_branches_and_drafts_are_not_found(
    client_for, member, make_member, other_branch, make_activity
):
    assert client_for(member).get(url(make_activity(branch=other_branch))).status_code == 404
    assert client_for(member).get(url(make_activity(status=Activity.Status.DRAFT))).status_code == 404


def test_officers_and_the_club_leader_see_drafts_and_the_sheet_link(
    client_for, member, officer, club, club_leader, make_activity
):
    draft = make_activity(status=Activity.Status.DRAFT, club=club)
    sheet = reverse("activities:sheet", args=[draft.pk])
    for persona in (officer, club_leader):
        response = client_for(persona).get(url(draft))
        assert response.status_code == 200 and sheet in response.content.decode()
    assert client_for(officer).get(url(draft)).content.decode().count("代会员报名") == 1
    published = make_activity()
    assert sheet not in client_for(member).get(url(published)).content.decode()


@pytest.mark.parametrize("persona", ["other_branch_officer", "staff_without_permissions"])
def test_officer_tools_stay_hidden_from_others(client_for, request, persona, activity):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(url(activity))
    if response.status_code == 200:
        assert "签到表与出勤登记" not in response.content.decode()
    else:
        assert response.status_code == 404


def test_it_says_a_finished_activity_has_ended_before_who_may_join(member, client_for, branch):
    from datetime import timedelta

    from django.utils import timezone

    from activities.models import Activity

    start = timezone.now() - timedelta(days=3)
    activity = Activity.objects.create(
        branch=branch,
        title="重阳节登山",
        category=Activity.Category.OTHER,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="香山",
        audience=Activity.Audience.RETIREES,
        status=Activity.Status.FINISHED,
    )
    html = client_for(member).get(activity.get_absolute_url()).content.decode()
    assert "活动已结束" in html
    assert "本活动仅面向退休会员" not in html

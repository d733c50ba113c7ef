from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Registration
from tests.activities.conftest import signed_up
from unionhome.models import Notice


def url(activity):
    return reverse("activities:cancel", args=[activity.pk])


def test_anonymous_is_sent_to_login(client, activity, member):
    signed_up(activity, member)
    response = client.post(url(activity))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert Registration.objects.get().status == "confirmed"


def test_get_is_not_allowed(client_for, member, activity):
    assert client_for(member).get(url(activity)).status_code == 405


def test_a_member_cancels_and_the_first_waiting_member_is_promoted_and_told(
    client_for, member, second_member, make_activity
):
    activity = make_activity(capacity=1)
    signed_up(activity, member)
    signed_up(activity, second_member)
    content = client_for(member).post(url(activity), follow=True).content.decode()
    assert "已取消报名" in content
    assert Registration.objects.get(member=member).status == "cancelled"
    assert Registration.objects.get(member=second_member).status == "confirmed"
    assert Notice.objects.filter(user=second_member.user).count() == 1
    assert activity.title in client_for(second_member).get("/me/").content.decode()


def test_after_the_deadline_the_member_is_told_to_ask_an_officer(client_for, member, make_activity):
    activity = make_activity()
    signed_up(activity, member)
    Activity.objects.filter(pk=activity.pk).update(cancel_deadline=timezone.now() - timedelta(hours=1))
    content = client_for(member).post(url(activity), follow=True).content.decode()
    assert "已过取消截止时间" in content
    assert Registration.objects.get().status == "confirmed"


def test_leaving_the_waitlist(client_for, member, second_member, make_activity):
    activity = make_activity(capacity=1)
    signed_up(activity, second_member)
    signed_up(activity, member)
    assert "已退出候补" in client_for(member).post(url(activity), follow=True).content.decode()


def test_nothing_to_cancel_is_said_kindly(client_for, member, activity):
    assert "您还没有报名这个活动" in client_for(member).post(url(activity), follow=True).content.decode()


def test_another_branchs_activity_is_not_found(client_for, member, make_activity, other_branch):
    assert client_for(member).post(url(make_activity(branch=other_branch))).status_code == 404

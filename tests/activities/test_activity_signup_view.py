from django.test import Client
from django.urls import reverse

from activities.models import Activity, Registration
from members.models import Member
from tests.activities.conftest import signed_up


def url(activity):
    return reverse("activities:signup", args=[activity.pk])


def test_anonymous_is_sent_to_login_and_nothing_is_written(client, activity):
    response = client.post(url(activity))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Registration.objects.exists()


def test_get_is_not_allowed(client_for, member, activity):
    assert client_for(member).get(url(activity)).status_code == 405


def test_a_member_signs_up_and_lands_on_the_activity_with_a_message(client_for, member, activity):
    response = client_for(member).post(url(activity), follow=True)
    assert response.redirect_chain[-1][0] == reverse("activities:detail", args=[activity.pk])
    assert "报名成功" in response.content.decode()
    assert Registration.objects.get(activity=activity, member=member).status == "confirmed"


def test_a_full_activity_puts_the_member_on_the_waitlist_with_the_place_shown(
    client_for, member, second_member, make_activity
):
    activity = make_activity(capacity=1)
    signed_up(activity, second_member)
    content = client_for(member).post(url(activity), follow=True).content.decode()
    assert "您已进入候补名单，第 1 位" in content
    assert Registration.objects.get(activity=activity, member=member).status == "waitlisted"


def test_a_double_submit_gives_one_registration_and_a_friendly_message(client_for, member, activity):
    client = client_for(member)
    client.post(url(activity))
    response = client.post(url(activity), follow=True)
    assert response.status_code == 200
    assert "您已报名这个活动，无需重复提交" in response.content.decode()
    assert Registration.objects.filter(activity=activity, member=member).count() == 1
    activity.refresh_from_db()
    assert activity.confirmed_count == 1


def test_a_refusal_is_explained_on_the_page(client_for, make_member, make_activity):
    man = make_member(name="王强", gender=Member.Gender.MALE)
    activity = make_activity(audience=Activity.Audience.WOMEN)
    content = client_for(man).post(url(activity), follow=True).content.decode()
    assert "本活动仅面向女会员" in content and not Registration.objects.exists()


def test_another_branchs_activity_is_not_found(client_for, member, make_activity, other_branch):
    assert client_for(member).post(url(make_activity(branch=other_branch))).status_code == 404
    assert not Registration.objects.exists()


def test_an_account_without_a_member_record_gets_404(client_for, superuser, activity):
    assert client_for(superuser).post(url(activity)).status_code == 404


def test_csrf_is_enforced(member, activity):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    assert client.post(url(activity)).status_code == 403
    assert not Registration.objects.exists()

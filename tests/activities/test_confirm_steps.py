"""Cancelling a registration and leaving a club ask once, on a page that works without JavaScript."""

from django.urls import reverse

from activities.models import Registration
from activities.services import club_join
from tests.activities.conftest import signed_up
from tests.html_check import collect_response


def confirm_page(client, activity):
    response = client.get(activity.get_absolute_url() + "?confirm=cancel")
    collect_response("activity, confirm cancelling", response)
    return response.content.decode()


def test_the_confirm_step_says_the_seat_becomes_free(client_for, member, make_activity):
    activity = make_activity()
    signed_up(activity, member)
    content = confirm_page(client_for(member), activity)
    assert "确定取消报名？" in content and "名额会空出来，其他会员可以报名" in content
    assert reverse("activities:cancel", args=[activity.pk]) in content and "不取消，保留报名" in content


def test_the_confirm_step_says_the_seat_goes_to_the_first_waiting_member(
    client_for, member, second_member, make_activity
):
    activity = make_activity(capacity=1)
    signed_up(activity, member)
    signed_up(activity, second_member)  # waiting
    content = confirm_page(client_for(member), activity)
    assert "您的名额马上让给候补第 1 位的会员" in content


def test_opening_the_confirm_step_changes_nothing(client_for, member, make_activity):
    activity = make_activity()
    registration = signed_up(activity, member)
    confirm_page(client_for(member), activity)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_the_english_message_says_you_cancelled(client_for, member, make_activity):
    activity = make_activity()
    signed_up(activity, member)
    client = client_for(member)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("activities:cancel", args=[activity.pk]), follow=True)
    content = response.content.decode()
    assert "You cancelled your registration" in content and "Registration cancelled" not in content
    html = client.get(reverse("members:me")).content.decode()
    assert "You cancelled your registration" in html


def test_leaving_a_club_asks_first(client_for, member, club):
    club_join(club=club, member=member, actor=member.user)
    client = client_for(member)
    content = client.get(club.get_absolute_url()).content.decode()
    assert reverse("activities:club_leave", args=[club.pk]) not in content  # no one-tap leave
    response = client.get(club.get_absolute_url() + "?confirm=leave")
    collect_response("club, confirm leaving", response)
    content = response.content.decode()
    assert "确定退出俱乐部？" in content and reverse("activities:club_leave", args=[club.pk]) in content


def test_the_calendar_section_offers_subscribe_and_copy_with_reset_behind_a_step(client_for, member):
    from activities.services import calendar_token_reset

    calendar_token_reset(member=member, actor=member.user)  # made by a POST, never by showing /me/
    response = client_for(member).get(reverse("members:me"))
    collect_response("me", response)
    content = response.content.decode()
    assert 'href="webcal://testserver/me/calendar.ics?token=' in content
    assert "复制地址" in content and "js/copy.js" in content
    # Reset is inside a closed <details>, with what it does, never the first button.
    details = content[content.index('<details class="secondary-actions">') :]
    assert reverse("activities:calendar_reset") in details and "旧地址立即失效" in details
    assert content.index("订阅到手机日历") < content.index("确定重置订阅地址")

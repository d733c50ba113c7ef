from django.urls import reverse

from activities.models import CalendarFeed
from activities.services import calendar_token_reset

URL = reverse("activities:calendar_reset")


def test_anonymous_is_sent_to_login(client):
    response = client.post(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_get_is_not_allowed(client_for, member):
    assert client_for(member).get(URL).status_code == 405


def test_it_resets_my_token_and_shows_the_new_address_on_me(client_for, member, second_member):
    old = calendar_token_reset(member=member, actor=member.user).token
    other = calendar_token_reset(member=second_member, actor=second_member.user).token
    response = client_for(member).post(URL, follow=True)
    assert response.redirect_chain[-1][0] == "/me/#calendar"
    new = CalendarFeed.objects.get(member=member).token
    content = response.content.decode()
    assert new != old and new in content and old not in content and "旧地址已失效" in content
    assert CalendarFeed.objects.get(member=second_member).token == other


def test_the_first_post_makes_the_address(client_for, member):
    response = client_for(member).post(URL, follow=True)
    token = CalendarFeed.objects.get(member=member).token
    content = response.content.decode()
    assert token in content and "日历订阅地址已生成" in content and "重置订阅地址" in content


def test_an_account_without_a_member_record_gets_404(client_for, superuser):
    assert client_for(superuser).post(URL).status_code == 404

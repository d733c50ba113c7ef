from django.urls import reverse

from unionhome.models import Notice
from unionhome.notices import notice_send


def test_it_sends_anonymous_users_to_the_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/"


def test_it_greets_the_member_by_name(client_for, member):
    html = client_for(member).get("/").content.decode()
    assert "李芳，您好" in html


def test_it_shows_and_clears_the_members_own_notices(client_for, member, second_member):
    notice_send(user=member.user, message="您已从候补转为报名成功：秋季登山", url="/me/")
    notice_send(user=second_member.user, message="别人的通知")
    client = client_for(member)
    html = client.get("/").content.decode()
    assert "秋季登山" in html and "别人的通知" not in html
    response = client.post(reverse("notices_read"), {"next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert Notice.objects.get(user=member.user).read_at is not None
    assert Notice.objects.get(user=second_member.user).read_at is None
    assert "秋季登山" not in client.get("/").content.decode()


def test_it_refuses_to_redirect_off_site_after_reading_notices(client_for, member):
    response = client_for(member).post(reverse("notices_read"), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_it_switches_the_language_to_english(client_for, member):
    client = client_for(member)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="en"' in html and "Home" in html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from unionhome import notices
from unionhome.models import Notice
from unionhome.notices import notice_send


def test_it_sends_anonymous_users_to_the_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/"


def test_it_greets_the_member_by_name(client_for, member):
    html = client_for(member).get("/").content.decode()
    assert "李芳，您好" in html


def test_it_shows_and_clears_the_members_own_notices(client_for, member, second_member):
    notice_send(user=member.user, kind=notices.ACTIVITY_CANCELLED, params={"title": "秋季登山"}, url="/me/")
    notice_send(user=second_member.user, kind=notices.ACTIVITY_CANCELLED, params={"title": "别人的活动"})
    client = client_for(member)
    html = client.get("/").content.decode()
    assert "秋季登山" in html and "别人的活动" not in html
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


@pytest.mark.parametrize("next_url", ["abc", "", "//evil.example/", "javascript:alert(1)", "home", "/\\evil"])
def test_it_goes_home_after_reading_notices_when_next_is_no_path_of_ours(next_url, client_for, member):
    response = client_for(member).post(reverse("notices_read"), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == "/"


def test_it_renders_in_an_exact_number_of_queries(client_for, member, django_assert_num_queries):
    client = client_for(member)
    client.get("/")
    # session, user, member (with its branch), roles, upcoming activities, my registrations,
    # notices (no activities: their audience groups are not fetched)
    with django_assert_num_queries(7):
        assert client.get("/").status_code == 200


def test_it_writes_nothing_on_get(client_for, member, superuser):
    for persona in (member, superuser):
        client = client_for(persona)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        assert [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}] == []


def test_it_names_the_members_branch_and_else_the_configured_one(client_for, member, superuser, settings):
    assert member.branch.name in client_for(member).get("/").content.decode()
    settings.UNIONHOME_BRANCH_NAME = "某某学院分工会"
    assert "某某学院分工会" in client_for(superuser).get("/").content.decode()

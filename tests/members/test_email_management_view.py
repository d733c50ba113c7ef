from allauth.account.models import EmailAddress
from django.urls import reverse

URL = "/accounts/email/"


def test_it_is_the_url_allauth_links_to():
    assert reverse("account_email") == URL == reverse("members:email_management")


def test_it_sends_members_to_their_page_instead_of_allauths_email_management(client_for, member):
    response = client_for(member).get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("members:me")


def test_it_adds_no_address_that_would_log_in_to_someone_else(client_for, member, second_member):
    response = client_for(member).post(URL, {"action_add": "", "email": second_member.email})
    assert response.status_code == 302 and response["Location"] == reverse("members:me")
    assert not EmailAddress.objects.exists()


def test_it_sends_anonymous_visitors_to_the_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

"""/me/: the language of a member's notices and e-mails, and which kinds e-mail her."""

from django.core import mail
from django.urls import reverse
from django.utils import translation

from members.services import mfa_activation_announce
from unionhome import notices
from unionhome.models import AuditEntry


def test_it_defaults_to_chinese_and_every_mail_on(member):
    assert member.language == "zh-hans" and member.email_off == []


def test_it_saves_the_language_and_the_kinds_that_email_from_me(client_for, member):
    client = client_for(member)
    page = client.get(reverse("members:me")).content.decode()
    assert 'action="/me/notices/"' in page and "附议邀请" in page
    on = [kind.id for kind in notices.emailing_kinds() if kind.id != notices.COSIGN_INVITED]
    response = client.post(reverse("members:notice_settings"), {"language": "en", "email_on": on})
    assert response.status_code == 302 and response["Location"] == reverse("members:me")
    assert response.cookies["django_language"].value == "en"
    member.refresh_from_db()
    assert member.language == "en" and member.email_off == [notices.COSIGN_INVITED]
    assert AuditEntry.objects.filter(action="member.notice_settings_updated").count() == 1
    page = client.get(reverse("members:me")).content.decode()
    assert "Notice settings" in page


def test_it_refuses_an_unknown_language_and_keeps_the_settings(client_for, member):
    response = client_for(member).post(reverse("members:notice_settings"), {"language": "fr"})
    assert response.status_code == 200 and "form-errors" in response.content.decode()
    member.refresh_from_db()
    assert member.language == "zh-hans"


def test_it_mails_an_account_notice_in_the_members_language(member):
    member.language = "en"
    member.save(update_fields=["language"])
    mail.outbox.clear()
    with translation.override("zh-hans"):
        mfa_activation_announce(user=member.user)
    assert mail.outbox[-1].subject == "Staff home: two-step verification set up for your account"

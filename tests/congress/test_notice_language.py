"""Notices and e-mails reach the reader in her language, whatever the language of whoever acted;
stale notices go once the step they ask for is taken."""

from django.core import mail
from django.utils import translation

from congress import services
from congress.disclosures import services as disclosure_services
from unionhome import notices
from unionhome.models import Notice


def _reply_as(unit_contact, proposal, language):
    with translation.override(language):
        services.reply_submit(
            user=unit_contact.user, proposal=proposal, body="已更换饮水机。", grade="solved"
        )


def test_it_gives_a_chinese_proposer_a_chinese_notice_and_mail_from_an_english_unit_contact(
    handling, unit_contact, django_capture_on_commit_callbacks
):
    unit_contact.language = "en"
    unit_contact.save(update_fields=["language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _reply_as(unit_contact, handling, "en")
    notice = Notice.objects.get(user=handling.proposer.user, kind=notices.PROPOSAL_REPLIED)
    with translation.override("zh-hans"):
        assert notice.text == f"提案 {handling.number}《{handling.title}》收到答复，请评价。"
    [message] = [m for m in mail.outbox if m.to == [handling.proposer.email]]
    assert message.subject == f"职工小家：提案 {handling.number}《{handling.title}》收到答复，请评价。"
    assert "请登录职工小家查看详情。" in message.body


def test_it_gives_an_english_proposer_an_english_notice_and_mail_from_a_chinese_unit_contact(
    handling, unit_contact, django_capture_on_commit_callbacks
):
    proposer = handling.proposer
    proposer.language = "en"
    proposer.save(update_fields=["language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _reply_as(unit_contact, handling, "zh-hans")
    notice = Notice.objects.get(user=proposer.user, kind=notices.PROPOSAL_REPLIED)
    with translation.override("en"):
        assert notice.text == f"Proposal {handling.number} “{handling.title}” has a reply; please rate it."
    [message] = [m for m in mail.outbox if m.to == [proposer.email]]
    expected = f"Staff Home: Proposal {handling.number} “{handling.title}” has a reply; please rate it."
    assert message.subject == expected
    assert "Sign in to Staff Home for the details." in message.body


def test_it_shows_the_notice_in_the_language_of_the_page_reading_it(handling, unit_contact, client_for):
    _reply_as(unit_contact, handling, "en")
    client = client_for(handling.proposer)
    assert "收到答复，请评价" in client.get("/me/").content.decode()
    client.cookies["django_language"] = "en"
    assert "has a reply; please rate it" in client.get("/me/").content.decode()


def test_it_translates_a_translatable_parameter_when_shown(disclosure_draft, treasurer, second_treasurer):
    with translation.override("en"):
        disclosure_services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    notice = Notice.objects.get(user=second_treasurer.user, kind=notices.DISCLOSURE_PENDING)
    with translation.override("zh-hans"):
        assert notice.text == "经费公开“2025年第二季度 2025年第二季度经费收支公开”等待您复核后公开。"
    with translation.override("en"):
        assert "Q2 2025 2025年第二季度经费收支公开" in notice.text


def test_it_sends_no_mail_for_a_kind_the_member_turned_off_but_keeps_the_notice(
    handling, unit_contact, django_capture_on_commit_callbacks
):
    proposer = handling.proposer
    proposer.email_off = [notices.PROPOSAL_REPLIED]
    proposer.save(update_fields=["email_off"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _reply_as(unit_contact, handling, "zh-hans")
    assert Notice.objects.filter(user=proposer.user, kind=notices.PROPOSAL_REPLIED).exists()
    assert not [m for m in mail.outbox if m.to == [proposer.email]]


def test_it_settles_the_please_rate_notice_once_the_proposer_rates(replied):
    user = replied.proposer.user
    assert Notice.objects.get(user=user, kind=notices.PROPOSAL_REPLIED).read_at is None
    services.verdict_record(user=user, proposal=replied, rating="satisfied")
    assert Notice.objects.get(user=user, kind=notices.PROPOSAL_REPLIED).read_at is not None
    assert notices.PROPOSAL_REPLIED not in [n.kind for n in notices.unread_notices(user)]


def test_it_settles_a_cosign_invitation_once_answered_and_only_the_answerers(
    draft, cosigners, make_delegate, other_delegation
):
    waiting = make_delegate(name="郑代表", delegation=other_delegation)
    invitees = [*cosigners, waiting]
    proposal = services.proposal_submit(user=draft.proposer.user, proposal=draft, invitees=invitees)
    services.cosign_accept(user=cosigners[0].user, proposal=proposal)
    services.cosign_decline(user=cosigners[1].user, proposal=proposal)
    invitations = Notice.objects.filter(kind=notices.COSIGN_INVITED, read_at__isnull=True)
    assert set(invitations.values_list("user", flat=True)) == {waiting.user_id}


def test_it_settles_the_confirmation_request_once_a_confirmer_publishes(
    disclosure_draft, treasurer, second_treasurer
):
    disclosure_services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    assert Notice.objects.get(user=second_treasurer.user, kind=notices.DISCLOSURE_PENDING).read_at is None
    disclosure_services.disclosure_confirm(disclosure=disclosure_draft, actor=second_treasurer.user)
    assert Notice.objects.get(user=second_treasurer.user, kind=notices.DISCLOSURE_PENDING).read_at is not None

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from congress.models import Proposal
from unionhome import notices
from unionhome.models import Notice


def _remind_twice(capture):
    outputs = []
    for _run in range(2):
        out = StringIO()
        with capture(execute=True):
            call_command("remind", stdout=out)
        outputs.append(out.getvalue())
    return outputs


def test_it_sends_each_reminder_once_when_run_twice(
    handling, unit_contact, congress_secretary, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    Proposal.objects.filter(pk=handling.pk).update(deadline=today + timedelta(days=2))
    mail.outbox.clear()
    first, second = _remind_twice(django_capture_on_commit_callbacks)
    assert Notice.objects.filter(user=unit_contact.user, kind=notices.REPLY_DUE_SOON).count() == 1
    assert [m.to for m in mail.outbox] == [[unit_contact.email]]
    assert "答复期限临近：已提醒 1 人。" in first and "逾期提案：0 件已提醒。" in first
    assert "答复期限临近：已提醒 0 人。" in second

    Proposal.objects.filter(pk=handling.pk).update(deadline=today - timedelta(days=1))
    first, second = _remind_twice(django_capture_on_commit_callbacks)
    assert Notice.objects.filter(user=congress_secretary.user, kind=notices.PROPOSAL_OVERDUE).count() == 1
    assert "逾期提案：1 件已提醒。" in first and "逾期提案：0 件已提醒。" in second
    assert Notice.objects.filter(kind=notices.REPLY_DUE_SOON).count() == 1

from datetime import date
from io import StringIO

from django.core.management import call_command

from congress.models import Proposal
from unionhome.models import Notice


def test_it_tells_the_secretaries_about_overdue_proposals(handling, congress_secretary):
    Proposal.objects.filter(pk=handling.pk).update(deadline=date(2026, 1, 1))
    out = StringIO()
    call_command("congress_overdue", stdout=out)
    assert "1" in out.getvalue()
    assert Notice.objects.filter(user=congress_secretary.user, message__contains="超过答复期限").count() == 1
    assert handling.events.filter(kind="overdue").count() == 1

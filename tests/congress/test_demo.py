from django.core.management import call_command

from congress.models import (
    Attendance,
    CoSign,
    Delegate,
    Proposal,
    ProposalEvent,
    Reply,
    Session,
    Suggestion,
    Unit,
    Verdict,
    Vote,
)


def snapshot():
    return {
        "delegates": Delegate.objects.count(),
        "units": list(Unit.objects.values_list("name", flat=True).order_by("name")),
        "proposals": list(Proposal.objects.values_list("number", "state", "title").order_by("pk")),
        "cosigns": CoSign.objects.count(),
        "events": ProposalEvent.objects.count(),
        "replies": Reply.objects.count(),
        "verdicts": Verdict.objects.count(),
        "suggestions": list(Suggestion.objects.values_list("title", "state").order_by("pk")),
        "attendance": Attendance.objects.count(),
        "votes": Vote.objects.count(),
    }


def test_the_demo_loads_a_past_and_a_current_session_and_a_second_run_changes_nothing(db, capsys):
    call_command("demo")
    first = snapshot()
    call_command("demo")
    assert snapshot() == first
    past, current = Session.objects.order_by("number")
    assert not past.is_collecting() and current.is_collecting()
    final_states = {"closed", "replied", "handling", "merged", "converted", "rejected", "withdrawn"}
    assert final_states <= set(past.proposals.values_list("state", flat=True))
    assert past.proposals.overdue().count() == 1
    assert {"review", "cosigning", "draft"} <= set(current.proposals.values_list("state", flat=True))
    assert {"open", "answered", "routed"} <= set(Suggestion.objects.values_list("state", flat=True))
    assert Verdict.objects.filter(rating="unsatisfied").count() == 2
    assert all(unit.contacts.exists() for unit in Unit.objects.all())
    out = capsys.readouterr().out
    assert "教代会代表" in out and "联络人" in out

from datetime import date, timedelta

from django.utils import timezone

from congress import services
from congress.models import Delegate, Delegation, ProposalCategory, Session, Term
from tests.url_access import row


def objects(world):
    """A term where `member` and `other_member` are delegates, a session collecting proposals,
    a submitted proposal and a draft by `member`, and a suggestion by `member`."""
    term = Term.objects.create(
        branch=world.branch, number=3, starts_on=date(2025, 1, 1), ends_on=date(2029, 12, 31)
    )
    now = timezone.now()
    session = Session.objects.create(
        term=term,
        number=1,
        starts_on=date(2026, 3, 20),
        ends_on=date(2026, 3, 21),
        collect_from=now - timedelta(days=1),
        collect_until=now + timedelta(days=10),
    )
    delegation = Delegation.objects.create(term=term, name="数学系代表团")
    for persona in (world.member, world.other_member):
        Delegate.objects.create(term=term, member=persona, delegation=delegation)
    category = ProposalCategory.objects.create(name="民生保障")
    data = {"title": "改善饮水设施", "reasons": "理由", "measures": "措施", "category": category}
    proposal = services.proposal_create(user=world.member.user, session=session, data=data)
    services.proposal_submit(user=world.member.user, proposal=proposal)
    draft = services.proposal_create(user=world.member.user, session=session, data={**data, "title": "草稿"})
    suggestion = services.suggestion_submit(user=world.member.user, title="食堂时间", body="希望延长")
    return {"session": session, "proposal": proposal, "draft": draft, "suggestion": suggestion}


def _proposal(o):
    return {"pk": o["proposal"].pk}


def _session(o):
    return {"pk": o["session"].pk}


POST_ONLY = [
    "proposal_submit",
    "proposal_withdraw",
    "proposal_invite",
    "proposal_cosign",
    "proposal_decline",
    "proposal_review",
    "proposal_assign",
    "proposal_extend",
    "proposal_reopen",
    "proposal_reply",
    "proposal_input",
    "proposal_done",
    "proposal_rate",
]

ROWS = [
    row("congress:proposal_list", superuser=404),
    row("congress:proposal_new", default=403, member=200, other_member=200, superuser=404),
    row("congress:proposal_detail", _proposal, other_branch_officer=404),
    row("congress:proposal_edit", lambda o: {"pk": o["draft"].pk}, default=404, member=200),
    *[row(f"congress:{name}", _proposal, default=405) for name in POST_ONLY],
    row("congress:suggestion_list", superuser=404),
    row("congress:suggestion_new", superuser=404),
    row(
        "congress:suggestion_detail",
        lambda o: {"pk": o["suggestion"].pk},
        default=404,
        member=200,
        other_member=200,  # a delegate of the current term
        secretary=200,
        superuser=200,
    ),
    row("congress:suggestion_take_up", lambda o: {"pk": o["suggestion"].pk}, default=405),
    row("congress:session_detail", _session, other_branch_officer=404),
    row(
        "congress:session_compilation_pdf",
        _session,
        default=403,
        secretary=200,
        superuser=200,
        other_branch_officer=404,
    ),
    row(
        "congress:session_report_pdf",
        _session,
        default=403,
        secretary=200,
        superuser=200,
        other_branch_officer=404,
    ),
    row("congress:stats", superuser=404),
]

"""A delegate writes a proposal, two delegates co-sign, a secretary accepts and assigns it, the
unit contact replies, the proposer rates it, and the secretary downloads both PDFs."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from congress.models import Delegate, Delegation, Proposal, ProposalCategory, Session, Term, Unit
from tests.e2e.conftest import log_in
from unionhome import roles

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def congress(branch, make_member, settings, tmp_path):
    settings.CONGRESS_PDF_CACHE_DIR = tmp_path / "pdf"
    term = Term.objects.create(
        branch=branch, number=3, starts_on=date(2025, 1, 1), ends_on=date(2029, 12, 31)
    )
    now = timezone.now()
    Session.objects.create(
        term=term,
        number=2,
        starts_on=date(2026, 3, 20),
        ends_on=date(2026, 3, 21),
        collect_from=now - timedelta(days=1),
        collect_until=now + timedelta(days=10),
    )
    delegation = Delegation.objects.create(term=term, name="数学系代表团")
    people = {
        "proposer": make_member("2010101", name="李芳"),
        "first": make_member("2010102", name="王强"),
        "second": make_member("2010103", name="赵敏"),
        "contact": make_member("2010104", name="钱联络"),
        "secretary": make_member(
            "2010105", name="孙秘书", roles_=(roles.MEMBER, roles.CONGRESS_SECRETARY), is_staff=True
        ),
    }
    for key in ("proposer", "first", "second"):
        Delegate.objects.create(term=term, member=people[key], delegation=delegation)
    ProposalCategory.objects.create(name="民生保障")
    unit = Unit.objects.create(branch=branch, name="后勤保障处")
    unit.contacts.add(people["contact"])
    return people


def test_it_runs_a_proposal_from_writing_to_the_pdfs(open_browser, live_server, congress):
    """Each step on a phone: the page's HTML goes to the end-of-run check and axe-core runs."""

    def as_user(username, *, phone=True):
        journey = open_browser(name=username, phone=phone)
        log_in(journey.page, username)
        return journey, journey.page

    proposer, page = as_user("2010101")
    page.goto("/congress/proposals/new/")
    proposer.check("new proposal")
    page.fill("#id_title", "改善教学楼饮水设施")
    page.fill("#id_reasons", "饮水机老化，夏季供水不足。")
    page.fill("#id_measures", "更换饮水机并定期检测水质。")
    page.select_option("#id_category", label="民生保障")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    page.get_by_label("王强").check()
    page.get_by_label("赵敏").check()
    proposer.check("draft with invitations")
    page.get_by_role("button", name="提交提案").click()
    page.wait_for_load_state()
    assert "提案已提交" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    proposer.check("submitted")
    proposal = Proposal.objects.get()
    assert proposal.number.endswith("-001") and proposal.state == "cosigning"
    page.goto("/congress/proposals/")
    proposer.check("list")

    for username in ("2010102", "2010103"):
        journey, page = as_user(username)
        page.goto(f"/congress/proposals/{proposal.pk}/")
        journey.check("invited")
        page.get_by_role("button", name="同意附议").click()
        page.wait_for_load_state()
        assert "您已附议" in page.locator(".messages").inner_text()
    proposal.refresh_from_db()
    assert proposal.state == "review"

    secretary, page = as_user("2010105")
    page.goto(f"/congress/proposals/{proposal.pk}/")
    secretary.check("review")
    page.get_by_label("立案", exact=True).check()
    page.get_by_role("button", name="记录审查结论").click()
    page.wait_for_load_state()
    page.select_option("#id_lead_unit", label="后勤保障处")
    page.locator("form[action$='/assign/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "提案已交办" in page.locator(".messages").inner_text()
    page.goto(f"/congress/sessions/{proposal.session_id}/")
    secretary.check("session")

    contact, page = as_user("2010104")
    page.goto(f"/congress/proposals/{proposal.pk}/")
    contact.check("reply form")
    page.fill("#id_body", "已更换全部饮水机，每季度检测水质。")
    page.select_option("#id_grade", label="已解决")
    page.get_by_role("button", name="提交答复").click()
    page.wait_for_load_state()
    assert "答复已提交" in page.locator(".messages").inner_text()

    page = proposer.page
    page.goto(f"/congress/proposals/{proposal.pk}/")
    proposer.check("rate")
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state()
    proposer.check("closed")
    page.goto("/me/")
    proposer.check("me")
    page.goto("/congress/stats/")
    proposer.check("stats")
    page.goto("/congress/suggestions/new/")
    proposer.check("suggestion form")
    proposal.refresh_from_db()
    assert proposal.state == "closed"

    for name in ("proposals.pdf", "report.pdf"):
        response = secretary.page.request.get(
            f"{live_server.url}/congress/sessions/{proposal.session_id}/{name}"
        )
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")

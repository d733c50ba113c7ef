"""A draft is its proposer's until submitted (hole 6): not in the audit trail officers read, not
in the secretary's admin (list, change page, autocomplete), not visible once withdrawn unsubmitted."""

from django.urls import reverse

from congress import services
from congress.models import Proposal
from unionhome.models import AuditEntry

TITLE = "改善教学楼饮水设施"
REASONS = "教学楼饮水机老化"


def test_it_keeps_a_drafts_title_out_of_the_audit_trail(client_for, officer, draft, proposer):
    services.proposal_update(user=proposer.user, proposal=draft, data={"measures": "另行研究"})
    entries = AuditEntry.objects.filter(target_type="congress.proposal", target_id=str(draft.pk))
    assert {entry.action for entry in entries} == {"congress.proposal.created", "congress.proposal.updated"}
    assert all(TITLE not in entry.target_repr for entry in entries)
    page = client_for(officer).get(reverse("admin:unionhome_auditentry_changelist"))
    assert page.status_code == 200
    assert "congress.proposal.created" in page.content.decode()
    assert TITLE not in page.content.decode()
    assert (
        TITLE
        not in client_for(officer)
        .get(reverse("admin:unionhome_auditentry_changelist"), {"q": "饮水"})
        .content.decode()
    )


def test_it_names_the_proposal_in_the_trail_once_submitted(draft, proposer):
    services.proposal_submit(user=proposer.user, proposal=draft)
    assert TITLE in AuditEntry.objects.get(action="congress.proposal.submitted").target_repr


def test_it_keeps_drafts_out_of_the_secretarys_admin(client_for, congress_secretary, draft):
    client = client_for(congress_secretary)
    listing = client.get(reverse("admin:congress_proposal_changelist"))
    assert listing.status_code == 200 and TITLE not in listing.content.decode()
    change = client.get(reverse("admin:congress_proposal_change", args=[draft.pk]))
    assert change.status_code == 404 and REASONS not in change.content.decode()


def test_it_lists_no_drafts_through_autocomplete(client_for, congress_secretary, draft, in_review_other):
    response = client_for(congress_secretary).get(
        reverse("admin:autocomplete"),
        {"app_label": "congress", "model_name": "cosign", "field_name": "proposal", "term": "饮水"},
    )
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [str(in_review_other.pk)]


def test_it_keeps_a_draft_withdrawn_before_submission_private(client_for, draft, proposer, second_member):
    services.proposal_withdraw(user=proposer.user, proposal=draft)
    url = reverse("congress:proposal_detail", args=[draft.pk])
    assert client_for(second_member).get(url).status_code == 404
    assert client_for(proposer).get(url).status_code == 200
    assert not Proposal.objects.visible_to(second_member.user).filter(pk=draft.pk).exists()
    assert all(TITLE not in entry.target_repr for entry in AuditEntry.objects.filter(target_id=str(draft.pk)))


def test_it_rewrites_old_entries_of_drafts_that_named_the_title(draft, in_review_other):
    import importlib

    from django.apps import apps

    AuditEntry.objects.update(target_repr=TITLE)
    importlib.import_module("congress.migrations.0006_draft_audit_titles").forwards(apps, None)
    assert set(AuditEntry.objects.filter(target_id=str(draft.pk)).values_list("target_repr", flat=True)) == {
        f"提案草稿 #{draft.pk}"
    }
    assert AuditEntry.objects.filter(target_id=str(in_review_other.pk), target_repr=TITLE).exists()

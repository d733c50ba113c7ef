from django.urls import reverse

from congress.models import Proposal, Session


def test_it_accepts_selected_proposals_through_the_service(client_for, congress_secretary, in_review):
    response = client_for(congress_secretary).post(
        reverse("admin:congress_proposal_changelist"),
        {"action": "accept_selected", "_selected_action": [in_review.pk]},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(pk=in_review.pk)
    assert proposal.state == "accepted" and proposal.events.filter(kind="accepted").exists()


def test_it_shows_proposals_read_only(client_for, congress_secretary, in_review):
    client = client_for(congress_secretary)
    page = client.get(reverse("admin:congress_proposal_change", args=[in_review.pk]))
    assert page.status_code == 200
    client.post(reverse("admin:congress_proposal_change", args=[in_review.pk]), {"title": "改掉"})
    assert Proposal.objects.get(pk=in_review.pk).title == in_review.title


def test_it_keeps_the_category_list_to_superusers(client_for, congress_secretary, superuser):
    url = reverse("admin:congress_proposalcategory_changelist")
    assert client_for(congress_secretary).get(url).status_code == 403
    assert client_for(superuser).get(url).status_code == 200


def test_it_lets_the_secretary_manage_sessions_and_units(client_for, congress_secretary, session, unit):
    client = client_for(congress_secretary)
    assert client.get(reverse("admin:congress_session_change", args=[session.pk])).status_code == 200
    assert client.get(reverse("admin:congress_unit_change", args=[unit.pk])).status_code == 200
    assert client.get(reverse("admin:congress_delegate_changelist")).status_code == 200


def test_it_refuses_the_accept_action_without_a_follower_when_the_committee_has_members(
    client_for, congress_secretary, in_review, cosigners
):
    from congress.models import Delegate

    Delegate.objects.filter(member=cosigners[0]).update(on_committee=True)
    response = client_for(congress_secretary).post(
        reverse("admin:congress_proposal_changelist"),
        {"action": "accept_selected", "_selected_action": [in_review.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Proposal.objects.get(pk=in_review.pk).state == "review"
    assert any("包案委员" in str(m) for m in response.context["messages"])


def proposal_side_admins():
    from django.contrib import admin

    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "congress" and model.__module__ == "congress.models"
    ]


def test_it_saves_every_proposal_side_admin_through_services_or_nothing(rf, superuser):
    from django.contrib import admin

    from unionhome.admin_refusals import ServiceRefusalAdminMixin

    request = rf.get("/admin/")
    request.user = superuser
    walked = proposal_side_admins()
    assert {type(model_admin).__name__ for model_admin in walked} >= {
        "TermAdmin",
        "SessionAdmin",
        "DelegationAdmin",
        "DelegateAdmin",
        "UnitAdmin",
        "ProposalCategoryAdmin",
        "ProposalAdmin",
        "SuggestionAdmin",
    }
    for model_admin in walked:
        cls = type(model_admin)
        assert cls.__bases__[0] is ServiceRefusalAdminMixin, cls
        assert not model_admin.list_editable, cls
        writable = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        if not writable:
            continue  # read-only: checked by the three permissions above
        for method in ("save_model", "delete_model", "delete_queryset"):
            assert getattr(cls, method) is not getattr(admin.ModelAdmin, method), (cls, method)
        assert not model_admin.inlines or cls.save_formset is not admin.ModelAdmin.save_formset, cls


def test_it_records_a_term_made_in_admin(client_for, congress_secretary, branch):
    from unionhome.models import AuditEntry

    response = client_for(congress_secretary).post(
        reverse("admin:congress_term_add"),
        {
            "branch": branch.pk,
            "number": 7,
            "mode": "congress",
            "starts_on": "2030-01-01",
            "ends_on": "2034-12-31",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="congress.term.created", actor=congress_secretary.user).exists()


def test_it_shows_a_refused_term_change_next_to_its_field(client_for, congress_secretary, term):
    response = client_for(congress_secretary).post(
        reverse("admin:congress_term_change", args=[term.pk]),
        {
            "branch": term.branch_id,
            "number": 3,
            "mode": "congress",
            "starts_on": "2030-01-01",
            "ends_on": "2029-01-01",
        },
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in str(response.context["adminform"].form.errors["ends_on"])


def test_it_refuses_deleting_an_opened_session_from_the_list(
    client_for, congress_secretary, session, proposer
):
    from congress import services

    services.session_open(user=congress_secretary.user, session=session)
    response = client_for(congress_secretary).post(
        reverse("admin:congress_session_changelist"),
        {"action": "delete_selected", "_selected_action": [session.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert any("不能删除" in str(m) for m in response.context["messages"])
    assert Session.objects.filter(pk=session.pk).exists()


def test_it_opens_a_session_from_the_list(client_for, congress_secretary, session, proposer):
    client_for(congress_secretary).post(
        reverse("admin:congress_session_changelist"),
        {"action": "open_selected", "_selected_action": [session.pk]},
    )
    assert Session.objects.get(pk=session.pk).delegates_count == 1

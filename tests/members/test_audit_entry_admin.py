import pytest
from django.urls import reverse

from tests.welfare.conftest import with_totp
from unionhome.audit import audit_record
from unionhome.models import AuditEntry

CHANGELIST = reverse("admin:unionhome_auditentry_changelist")


@pytest.fixture
def entries(member, other_branch_officer, superuser):
    return {
        "ours": audit_record(
            actor=superuser, action="member.changed", target=member, before={"title": "讲师"}
        ),
        "theirs": audit_record(actor=superuser, action="member.changed", target=other_branch_officer),
    }


def test_it_shows_an_officer_only_their_branchs_entries(entries, officer, client_for):
    client = client_for(officer)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [entries["ours"]]
    change_url = reverse("admin:unionhome_auditentry_change", args=[entries["theirs"].pk])
    assert client.get(change_url).status_code == 404
    own_url = reverse("admin:unionhome_auditentry_change", args=[entries["ours"].pk])
    assert client.get(own_url).status_code == 200


def test_it_shows_the_other_branch_its_own(entries, other_branch_officer, client_for):
    response = client_for(other_branch_officer).get(CHANGELIST)
    assert list(response.context["cl"].queryset) == [entries["theirs"]]


def test_it_shows_a_superuser_every_entry(entries, superuser, client_for):
    assert client_for(superuser).get(CHANGELIST).context["cl"].result_count == 2


@pytest.mark.parametrize("persona", ["officer", "superuser"])
def test_nobody_adds_changes_or_deletes_an_entry(persona, request, entries, client_for):
    client = client_for(request.getfixturevalue(persona))
    entry = entries["ours"]
    assert client.get(reverse("admin:unionhome_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:unionhome_auditentry_add"), {"action": "x"}).status_code == 403
    change_url = reverse("admin:unionhome_auditentry_change", args=[entry.pk])
    client.post(change_url, {"action": "forged", "target_repr": "forged"})
    delete_url = reverse("admin:unionhome_auditentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    entry.refresh_from_db()
    assert entry.action == "member.changed" and AuditEntry.objects.count() == 2


@pytest.mark.parametrize("persona", ["member", "welfare_officer"])
def test_others_cannot_read_the_trail(persona, request, entries, client_for):
    response = client_for(request.getfixturevalue(persona)).get(CHANGELIST, follow=True)
    assert response.status_code == 403


def test_it_keeps_welfare_entries_from_officers_without_the_welfare_role(
    entries, officer, make_member, client_for
):
    from unionhome import roles

    aid_viewed = audit_record(actor=officer.user, action="welfare.case.viewed", target=entries["ours"])
    aid_viewed.branch_id = officer.branch_id
    aid_viewed.save(update_fields=["branch_id"])
    both = make_member(
        "welfare-officer", roles_=(roles.MEMBER, roles.OFFICER, roles.WELFARE_OFFICER), is_staff=True
    )
    with_totp(both.user)  # welfare entries, like every welfare page, need the second factor

    assert list(client_for(officer).get(CHANGELIST).context["cl"].queryset) == [entries["ours"]]
    change_url = reverse("admin:unionhome_auditentry_change", args=[aid_viewed.pk])
    assert client_for(officer).get(change_url).status_code == 404
    shown = set(client_for(both).get(CHANGELIST).context["cl"].result_list)
    assert shown == {entries["ours"], aid_viewed}

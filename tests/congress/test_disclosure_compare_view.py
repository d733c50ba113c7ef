from decimal import Decimal

from django.urls import reverse

from congress.disclosures import services


def test_it_shows_the_line_by_line_difference_between_two_revisions(
    client_for, member, disclosure, treasurer, second_treasurer
):
    revision = services.disclosure_correct(
        disclosure=disclosure, actor=treasurer.user, reason="合唱比赛发票更正"
    )
    revision.lines.filter(item="合唱比赛").update(actual=Decimal("4000.00"), note="以发票为准")
    revision.lines.filter(item="工会干部培训").delete()
    services.disclosure_submit(disclosure=revision, actor=treasurer.user)
    services.disclosure_confirm(disclosure=revision, actor=second_treasurer.user)
    url = reverse("disclosures:compare", args=[revision.pk])
    response = client_for(member).get(url, {"from": disclosure.pk, "to": revision.pk})
    assert response.status_code == 200
    rows = [(row["change"], (row["new"] or row["old"]).item) for row in response.context["rows"]]
    assert rows == [("changed", "合唱比赛"), ("removed", "工会干部培训")]
    content = response.content.decode()
    assert "4,200.40" in content and "4,000.00" in content and "合唱比赛发票更正" in content
    # the default compares with the revision before
    assert client_for(member).get(url).context["older"] == disclosure


def test_a_draft_revision_is_not_compared_for_members(client_for, member, disclosure, treasurer):
    disclosure_draft = services.disclosure_correct(
        disclosure=disclosure, actor=treasurer.user, reason="草稿中"
    )
    url = reverse("disclosures:compare", args=[disclosure.pk])
    response = client_for(member).get(url, {"to": disclosure_draft.pk})
    assert response.context["older"] is None  # the draft is not in the member's chain
    assert (
        client_for(member).get(reverse("disclosures:compare", args=[disclosure_draft.pk])).status_code == 404
    )
    assert client_for(treasurer).get(url, {"to": disclosure_draft.pk}).context["newer"] == disclosure_draft


def test_others_get_404(client_for, other_branch_officer, disclosure):
    url = reverse("disclosures:compare", args=[disclosure.pk])
    assert client_for(other_branch_officer).get(url).status_code == 404

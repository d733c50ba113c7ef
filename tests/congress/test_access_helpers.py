"""congress.access holds the views' object helpers: 404 when not visible, 403 when read-only."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from congress import access, views


def request_for(rf, user):
    request = rf.get("/")
    request.user = user
    return request


def test_it_keeps_no_access_helper_in_the_views():
    helpers = [
        name
        for name, function in inspect.getmembers(views, inspect.isfunction)
        if function.__module__ == views.__name__
        and ("_or_404" in name or "_or_403" in name or "target" in name)
    ]
    assert helpers == []


def test_it_answers_404_for_a_draft_of_someone_else_and_403_for_managing(
    rf, draft, in_review_other, second_member, congress_secretary
):
    with pytest.raises(Http404):
        access.proposal_or_404(request_for(rf, second_member.user), draft.pk)
    assert access.proposal_or_404(request_for(rf, second_member.user), in_review_other.pk) == in_review_other
    with pytest.raises(PermissionDenied):
        access.proposal_or_404(request_for(rf, second_member.user), in_review_other.pk, manage=True)
    with pytest.raises(PermissionDenied):
        access.proposal_or_404(request_for(rf, second_member.user), in_review_other.pk, edit=True)
    secretary = request_for(rf, congress_secretary.user)
    assert access.proposal_or_404(secretary, in_review_other.pk, manage=True) == in_review_other


def test_it_answers_404_for_another_branchs_session(rf, session, other_branch_officer, congress_secretary):
    with pytest.raises(Http404):
        access.session_or_404(request_for(rf, other_branch_officer.user), session.pk)
    assert access.session_or_404(request_for(rf, congress_secretary.user), session.pk, manage=True) == session

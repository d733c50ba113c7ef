"""One badge per model: proposals, co-signatures, suggestions and aid cases take their colours from it."""

import pytest

from congress.models import CoSign, Proposal, Suggestion
from unionhome.templatetags.unionhome_tags import state_badge


@pytest.mark.parametrize(
    "state, colour",
    [("review", "warn"), ("accepted", "ok"), ("closed", "ok"), ("merged", "muted"), ("withdrawn", "muted")],
)
def test_it_colours_a_proposal_by_its_state(state, colour):
    badge = state_badge(Proposal(state=state))
    assert badge.startswith(f'<span class="badge {colour}">')
    assert str(Proposal.State(state).label) in badge


def test_it_names_every_proposal_state():
    assert set(Proposal.state_badges) == set(Proposal.State.values)


@pytest.mark.parametrize("status, colour", [("invited", "warn"), ("accepted", "ok"), ("declined", "ok")])
def test_it_colours_a_cosignature_by_its_status(status, colour):
    assert state_badge(CoSign(status=status)).startswith(f'<span class="badge {colour}">')


@pytest.mark.parametrize("state, colour", [("open", "warn"), ("answered", "ok"), ("taken_up", "ok")])
def test_it_colours_a_suggestion_by_its_state(state, colour):
    assert state_badge(Suggestion(state=state)).startswith(f'<span class="badge {colour}">')


@pytest.mark.parametrize(
    "state, colour",
    [
        ("submitted", "muted"),
        ("approved", "ok"),
        ("paid", "ok"),
        ("rejected", "warn"),
        ("withdrawn", "muted"),
    ],
)
def test_it_colours_an_aid_case_the_same_on_every_page(state, colour):
    from welfare.models import AidCase

    assert state_badge(AidCase(state=state)).startswith(f'<span class="badge {colour}">')

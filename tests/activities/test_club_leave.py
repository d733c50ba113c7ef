import pytest

from activities.models import ClubMembership
from activities.services import ClubError, club_join, club_leave
from unionhome.models import AuditEntry


def test_it_removes_the_membership(club, member):
    club_join(club=club, member=member, actor=member.user)
    club_leave(club=club, member=member, actor=member.user)
    assert not ClubMembership.objects.filter(club=club, member=member).exists()
    assert AuditEntry.objects.filter(action="club.left").exists()


def test_a_non_member_cannot_leave(club, member):
    with pytest.raises(ClubError, match="不是"):
        club_leave(club=club, member=member, actor=member.user)


def test_the_leader_must_hand_over_first(club, club_leader):
    club_join(club=club, member=club_leader, actor=club_leader.user)
    with pytest.raises(ClubError, match="负责人"):
        club_leave(club=club, member=club_leader, actor=club_leader.user)
    assert ClubMembership.objects.filter(club=club, member=club_leader).exists()

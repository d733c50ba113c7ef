import pytest

from activities.models import Club, ClubMembership
from activities.services import ClubError, club_join
from members.models import Member
from unionhome.models import AuditEntry


def test_it_adds_the_member_with_todays_date(club, member):
    membership = club_join(club=club, member=member, actor=member.user)
    assert membership.joined_on is not None and club.memberships.filter(member=member).exists()
    assert AuditEntry.objects.filter(action="club.joined").exists()


def test_joining_twice_is_refused_kindly(club, member):
    club_join(club=club, member=member, actor=member.user)
    with pytest.raises(ClubError, match="已经是"):
        club_join(club=club, member=member, actor=member.user)
    assert ClubMembership.objects.filter(club=club, member=member).count() == 1


def test_inactive_clubs_other_branches_and_former_members_are_refused(
    club, member, make_member, other_branch
):
    Club.objects.filter(pk=club.pk).update(is_active=False)
    with pytest.raises(ClubError, match="暂停"):
        club_join(club=club, member=member, actor=member.user)
    Club.objects.filter(pk=club.pk).update(is_active=True)
    outsider = make_member(name="外院", member_branch=other_branch)
    with pytest.raises(ClubError, match="其他分工会"):
        club_join(club=club, member=outsider, actor=outsider.user)
    gone = make_member(name="调出", status=Member.Status.TRANSFERRED)
    with pytest.raises(ClubError, match="调出"):
        club_join(club=club, member=gone, actor=gone.user)
    assert not ClubMembership.objects.exists()

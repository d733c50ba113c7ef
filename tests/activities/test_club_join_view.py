from django.urls import reverse

from activities.models import Club, ClubMembership
from activities.services import club_join


def join(club):
    return reverse("activities:club_join", args=[club.pk])


def leave(club):
    return reverse("activities:club_leave", args=[club.pk])


def test_anonymous_is_sent_to_login(client, club):
    for target in (join(club), leave(club)):
        response = client.post(target)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not ClubMembership.objects.exists()


def test_get_is_not_allowed(client_for, member, club):
    assert client_for(member).get(join(club)).status_code == 405
    assert client_for(member).get(leave(club)).status_code == 405


def test_a_member_joins_then_joins_again_kindly_then_leaves(client_for, member, club):
    client = client_for(member)
    response = client.post(join(club), follow=True)
    assert "欢迎加入“羽毛球俱乐部”" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("activities:club_detail", args=[club.pk])
    assert "已经是" in client.post(join(club), follow=True).content.decode()
    assert ClubMembership.objects.filter(club=club, member=member).count() == 1
    assert "已退出" in client.post(leave(club), follow=True).content.decode()
    assert not ClubMembership.objects.filter(club=club, member=member).exists()


def test_the_leader_cannot_leave_without_a_handover(client_for, club, club_leader):
    club_join(club=club, member=club_leader, actor=club_leader.user)
    assert "负责人" in client_for(club_leader).post(leave(club), follow=True).content.decode()
    assert ClubMembership.objects.filter(member=club_leader).exists()


def test_another_branchs_club_is_not_found(client_for, member, other_branch):
    club = Club.objects.create(branch=other_branch, name="物理学院篮球队", kind=Club.Kind.SPORTS)
    assert client_for(member).post(join(club)).status_code == 404
    assert not ClubMembership.objects.exists()

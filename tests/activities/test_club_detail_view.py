from django.urls import reverse

from activities.models import Activity, ActivityResult, Club, ClubMembership
from activities.services import club_join
from tests.activities.conftest import signed_up


def url(club):
    return reverse("activities:club_detail", args=[club.pk])


def test_anonymous_is_sent_to_login(client, club):
    response = client.get(url(club))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_shows_the_club_a_join_button_activities_and_results(
    client_for, member, club, make_activity, past_activity
):
    upcoming = make_activity(title="周末训练营", club=club)
    past_activity.club = club
    past_activity.save(update_fields=["club"])
    ActivityResult.objects.create(activity=past_activity, event="羽毛球比赛 团体", award="全校第五名")
    content = client_for(member).get(url(club)).content.decode()
    assert "每周三下午活动" in content and "赵磊" in content
    assert reverse("activities:club_join", args=[club.pk]) in content
    assert upcoming.title in content and "全校第五名" in content and "羽毛球比赛 团体" in content
    assert "成员名单" not in content


def test_a_member_sees_leave_and_the_leader_sees_the_roster(client_for, member, club, club_leader, officer):
    club_join(club=club, member=member, actor=member.user)
    content = client_for(member).get(url(club)).content.decode()
    assert "?confirm=leave" in content and "您是本俱乐部成员" in content
    content = client_for(member).get(url(club) + "?confirm=leave").content.decode()
    assert reverse("activities:club_leave", args=[club.pk]) in content and "确定退出俱乐部？" in content
    for persona in (club_leader, officer):
        content = client_for(persona).get(url(club)).content.decode()
        assert "成员名单" in content and "李芳" in content


def test_another_branchs_club_is_not_found(client_for, member, other_branch):
    club = Club.objects.create(branch=other_branch, name="物理学院篮球队", kind=Club.Kind.SPORTS)
    assert client_for(member).get(url(club)).status_code == 404


def test_the_query_count_is_fixed_for_members_and_leaders(
    client_for, member, club, club_leader, make_member, make_activity, django_assert_num_queries
):
    # member: session, user, member (with its branch), club, roles, my membership, member
    #   count, upcoming cards, their audience groups, results, past = 11
    # leader: the same with the drafts and the roster = 13
    def build(number):
        people = [make_member(name=f"会员{number}-{n}") for n in range(3)]
        ClubMembership.objects.bulk_create([ClubMembership(club=club, member=p) for p in people])
        upcoming = make_activity(title=f"将来{number}", club=club)
        for person in people:
            signed_up(upcoming, person)
        make_activity(title=f"草稿{number}", club=club, status=Activity.Status.DRAFT)
        past = make_activity(
            title=f"过去{number}", club=club, starts_at=upcoming.starts_at.replace(year=2020)
        )
        ActivityResult.objects.create(activity=past, event=f"项目{number}", award="第一名")

    as_member, as_leader = client_for(member), client_for(club_leader)
    for rounds in (1, 4):
        for number in range(rounds):
            build(f"{rounds}{number}")
        with django_assert_num_queries(11):
            as_member.get(url(club))
        with django_assert_num_queries(13):
            assert "成员名单" in as_leader.get(url(club)).content.decode()

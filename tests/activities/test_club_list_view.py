from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Club, ClubMembership
from activities.services import club_join

URL = reverse("activities:club_list")


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_lists_active_clubs_by_kind_with_member_counts_and_the_next_activity(
    client_for, member, second_member, branch, other_branch, club, make_activity
):
    Club.objects.create(branch=branch, name="青年教师读书沙龙", kind=Club.Kind.READING)
    Club.objects.create(branch=branch, name="已停办的舞蹈队", kind=Club.Kind.SPORTS, is_active=False)
    Club.objects.create(branch=other_branch, name="物理学院篮球队", kind=Club.Kind.SPORTS)
    club_join(club=club, member=member, actor=member.user)
    club_join(club=club, member=second_member, actor=second_member.user)
    now = timezone.now()
    make_activity(title="训练营", club=club, starts_at=now + timedelta(days=9))
    make_activity(title="周末对抗赛", club=club, starts_at=now + timedelta(days=2))
    make_activity(title="上月比赛", club=club, starts_at=now - timedelta(days=30))
    make_activity(title="草稿", club=club, starts_at=now + timedelta(days=1), status=Activity.Status.DRAFT)
    response = client_for(member).get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "羽毛球俱乐部" in content and "青年教师读书沙龙" in content
    assert "已停办的舞蹈队" not in content and "物理学院篮球队" not in content
    assert content.index("文体类") < content.index("羽毛球俱乐部") < content.index("读书类")
    badminton = next(c for c in response.context["clubs"] if c.name == "羽毛球俱乐部")
    assert badminton.n_members == 2 and badminton.is_mine and badminton.next_title == "周末对抗赛"
    assert "2 名成员" in content and "✓ 已加入" in content


# session, user, member (with its branch), the clubs with their annotations
QUERIES = 4


def test_the_query_count_does_not_grow_with_clubs(
    client_for, member, branch, make_member, make_activity, django_assert_num_queries
):
    client = client_for(member)
    Club.objects.create(branch=branch, name="俱乐部0", kind=Club.Kind.SPORTS)
    with django_assert_num_queries(QUERIES):
        client.get(URL)
    people = [make_member(name=f"会员{n}") for n in range(5)]
    for number in range(1, 9):
        club = Club.objects.create(
            branch=branch, name=f"俱乐部{number}", kind=Club.Kind.values[number % 4], leader=people[0]
        )
        ClubMembership.objects.bulk_create([ClubMembership(club=club, member=p) for p in people])
        make_activity(title=f"活动{number}", club=club)
    with django_assert_num_queries(QUERIES):
        client.get(URL)

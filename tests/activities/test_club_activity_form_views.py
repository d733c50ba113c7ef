"""Club leaders plan their own club's activities on the portal: /clubs/<id>/activities/new/ and
/activities/<id>/edit/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Club, Registration
from unionhome.models import AuditEntry


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides):
    starts = timezone.now() + timedelta(days=10)
    data = {
        "title": "周末羽毛球友谊赛",
        "category": Activity.Category.SPORTS,
        "description": "欢迎新手。",
        "status": Activity.Status.PUBLISHED,
        "starts_at": local(starts),
        "ends_at": local(starts + timedelta(hours=2)),
        "place": "体育馆二楼",
        "audience": Activity.Audience.ALL,
        "capacity": "16",
        "signup_opens_at": "",
        "signup_closes_at": "",
        "cancel_deadline": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def new_url(club):
    return reverse("activities:club_activity_new", args=[club.pk])


def test_it_sends_anonymous_users_to_the_login(client, new_url):
    assert client.get(new_url).status_code == 302


def test_it_lets_the_leader_publish_a_club_activity(club_leader, club, client_for, new_url):
    client = client_for(club_leader)
    assert client.get(new_url).status_code == 200
    response = client.post(new_url, form_data())
    activity = Activity.objects.get(title="周末羽毛球友谊赛")
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.club == club and activity.branch == club.branch and activity.capacity == 16
    assert AuditEntry.objects.filter(action="activity.created", target_id=str(activity.pk)).exists()
    assert "活动“周末羽毛球友谊赛”已保存" in client.get(activity.get_absolute_url()).content.decode()


def test_it_lets_an_officer_plan_for_a_club(officer, client_for, new_url):
    assert client_for(officer).post(new_url, form_data(title="委员代发")).status_code == 302
    assert Activity.objects.filter(title="委员代发").exists()


def test_it_refuses_members_who_do_not_lead_the_club(member, client_for, new_url, branch, make_member):
    assert client_for(member).get(new_url).status_code == 403
    other_leader = make_member("2008200", name="钱伟")
    Club.objects.create(branch=branch, name="合唱俱乐部", kind=Club.Kind.SPORTS, leader=other_leader)
    assert client_for(other_leader).post(new_url, form_data()).status_code == 403
    assert not Activity.objects.exists()


def test_it_hides_the_club_from_another_branch(other_branch_officer, client_for, new_url):
    assert client_for(other_branch_officer).get(new_url).status_code == 404


def test_it_shows_errors_on_the_form_and_saves_nothing(club_leader, client_for, new_url):
    starts = timezone.now() + timedelta(days=3)
    response = client_for(club_leader).post(
        new_url, form_data(starts_at=local(starts), ends_at=local(starts - timedelta(hours=1)), title="")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "结束时间不能早于开始时间" in html and "请修改下面标出的问题" in html
    assert not Activity.objects.exists()


def test_it_offers_only_the_branchs_groups_as_audience(
    club_leader, client_for, new_url, group, other_branch_officer
):
    html = client_for(club_leader).get(new_url).content.decode()
    assert group.name in html and other_branch_officer.union_group.name not in html


def test_it_lets_the_leader_edit_their_club_activity(club_leader, club, make_activity, client_for):
    activity = make_activity(club=club, title="旧标题")
    url = reverse("activities:edit", args=[activity.pk])
    response = client_for(club_leader).post(url, form_data(title="新标题", version=activity.version))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "新标题"
    assert AuditEntry.objects.filter(action="activity.changed", target_id=str(activity.pk)).exists()


def test_it_keeps_capacity_above_the_confirmed_count(
    club_leader, club, make_activity, client_for, make_member
):
    activity = make_activity(club=club, capacity=3)
    from activities.services import registration_create

    for number in range(3):
        someone = make_member(f"C{number}", name=f"会员{number}")
        registration_create(activity=activity, member=someone, actor=someone.user)
    response = client_for(club_leader).post(
        reverse("activities:edit", args=[activity.pk]), form_data(capacity="2", version=activity.version)
    )
    assert response.status_code == 200
    assert "名额不能少于这个数" in response.content.decode()
    activity.refresh_from_db()
    assert activity.capacity == 3
    assert Registration.objects.filter(activity=activity, status=Registration.Status.CONFIRMED).count() == 3


def test_it_shows_the_leader_their_drafts_and_edit_links(
    club_leader, club, make_activity, client_for, member
):
    draft = make_activity(club=club, title="筹备中的比赛", status=Activity.Status.DRAFT)
    html = client_for(club_leader).get(club.get_absolute_url()).content.decode()
    assert "发布新活动" in html and "筹备中的比赛" in html
    assert (
        reverse("activities:edit", args=[draft.pk])
        in client_for(club_leader).get(draft.get_absolute_url()).content.decode()
    )
    member_html = client_for(member).get(club.get_absolute_url()).content.decode()
    assert "发布新活动" not in member_html and "筹备中的比赛" not in member_html


def test_it_refuses_to_edit_another_clubs_or_the_branchs_activity(club_leader, make_activity, client_for):
    branch_activity = make_activity(title="分工会主办")
    assert (
        client_for(club_leader).get(reverse("activities:edit", args=[branch_activity.pk])).status_code == 404
    )


def test_a_stale_edit_is_refused_and_the_second_writer_sees_the_new_values(
    club_leader, officer, club, make_activity, client_for
):
    activity = make_activity(club=club, title="旧标题")
    url = reverse("activities:edit", args=[activity.pk])
    loaded = client_for(club_leader).get(url).context["form"]["version"].value()
    assert client_for(officer).post(url, form_data(title="委员改的标题", version=loaded)).status_code == 302
    response = client_for(club_leader).post(url, form_data(title="负责人改的标题", version=loaded))
    assert response.status_code == 200
    html = response.content.decode()
    assert "刚刚被其他人修改过" in html and 'value="委员改的标题"' in html
    activity.refresh_from_db()
    assert activity.title == "委员改的标题"


def test_a_published_activity_with_sign_ups_cannot_go_back_to_draft_on_the_portal(
    club_leader, club, make_activity, client_for, member
):
    from tests.activities.conftest import signed_up

    activity = make_activity(club=club)
    signed_up(activity, member)
    response = client_for(club_leader).post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(status=Activity.Status.DRAFT, version=activity.version),
    )
    assert response.status_code == 200 and "不能改回草稿" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED


def test_the_leader_cancels_through_the_form_and_everyone_registered_hears(
    club_leader, club, make_activity, client_for, member
):
    from tests.activities.conftest import signed_up
    from unionhome.models import Notice

    activity = make_activity(club=club)
    signed_up(activity, member)
    response = client_for(club_leader).post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(status=Activity.Status.CANCELLED, version=activity.version),
    )
    assert response.status_code == 302
    assert Notice.objects.filter(user=member.user, message__contains="已取消").exists()


def test_a_new_activity_offers_only_draft_or_published(club_leader, client_for, new_url):
    choices = [
        value
        for value, _label in client_for(club_leader).get(new_url).context["form"].fields["status"].choices
    ]
    assert choices == ["draft", "published"]

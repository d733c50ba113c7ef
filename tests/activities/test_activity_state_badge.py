"""An activity's status has one badge ({% state_badge %}): the same on the list and the detail page."""

from activities.models import Activity


def test_it_shows_the_same_badge_on_the_list_and_the_detail_page(client_for, member, make_activity):
    activity = make_activity(status=Activity.Status.CANCELLED)
    client = client_for(member)

    detail = client.get(activity.get_absolute_url()).content.decode()
    listing = client.get("/activities/?month=" + f"{activity.starts_at:%Y-%m}").content.decode()

    assert '<span class="badge warn">已取消</span>' in detail
    assert '<span class="badge warn">已取消</span>' in listing

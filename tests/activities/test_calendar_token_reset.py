from activities.models import CalendarFeed
from activities.services import calendar_feed_ensure, calendar_token_reset
from unionhome.models import AuditEntry


def test_a_feed_token_is_made_once_and_kept(member):
    first = calendar_feed_ensure(member=member)
    assert len(first.token) >= 40
    assert calendar_feed_ensure(member=member).token == first.token
    assert CalendarFeed.objects.count() == 1


def test_reset_gives_a_new_secret_and_records_it(member, second_member):
    old = calendar_feed_ensure(member=member).token
    other = calendar_feed_ensure(member=second_member).token
    new = calendar_token_reset(member=member, actor=member.user).token
    assert new != old and CalendarFeed.objects.get(member=member).token == new
    assert CalendarFeed.objects.get(member=second_member).token == other
    assert AuditEntry.objects.filter(action="calendar.token_reset").count() == 1


def test_reset_works_before_any_token_existed(member):
    assert calendar_token_reset(member=member, actor=member.user).token

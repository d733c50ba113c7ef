from activities.models import CalendarFeed
from activities.services import calendar_token_reset
from unionhome.models import AuditEntry


def test_the_first_call_makes_the_feed_and_records_it(member):
    first = calendar_token_reset(member=member, actor=member.user)
    assert len(first.token) >= 40 and CalendarFeed.objects.count() == 1
    entry = AuditEntry.objects.get(action="calendar.token_created")
    assert entry.branch_id == member.branch_id


def test_reset_gives_a_new_secret_and_records_it(member, second_member):
    old = calendar_token_reset(member=member, actor=member.user).token
    other = calendar_token_reset(member=second_member, actor=second_member.user).token
    new = calendar_token_reset(member=member, actor=member.user).token
    assert new != old and CalendarFeed.objects.get(member=member).token == new
    assert CalendarFeed.objects.get(member=second_member).token == other
    assert AuditEntry.objects.filter(action="calendar.token_reset").count() == 1

"""/welfare/coming-month/: next month's birthdays and retirements, benefits recorded in one go."""

import datetime

from django.urls import reverse
from django.utils import timezone

from welfare.models import Benefit

URL = reverse("welfare:coming_month")


def test_it_lists_birthdays_and_records_them_at_once(mfa_client, welfare_officer, make_member):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=10)
    first = make_member(name="生日甲", birth_date=soon.replace(year=1980))
    second = make_member(name="生日乙", birth_date=soon.replace(year=1990))
    make_member(name="远乙", birth_date=(today + datetime.timedelta(days=60)).replace(year=1985))
    client = mfa_client(welfare_officer)
    html = client.get(URL).content.decode()
    assert "生日甲" in html and "生日乙" in html and "远乙" not in html
    response = client.post(
        URL,
        {
            "kind": "birthday",
            "members": [first.pk, second.pk],
            "amount": "200",
            "payment_form": "goods",
            "gift": "蛋糕券",
        },
    )
    assert response.status_code == 302
    assert Benefit.objects.filter(kind="birthday", event_date=soon).count() == 2
    assert "已记录" in client.get(URL).content.decode()


def test_it_lists_retirements_by_the_age_settings(mfa_client, welfare_officer, make_member, settings):
    settings.WELFARE_RETIREMENT_AGE_WOMEN = 55
    soon = timezone.localdate() + datetime.timedelta(days=5)
    make_member(name="退休丙", gender="F", birth_date=soon.replace(year=soon.year - 55))
    assert "退休丙" in mfa_client(welfare_officer).get(URL).content.decode()


def test_it_answers_404_to_others(mfa_client, officer, member):
    assert mfa_client(officer).get(URL).status_code == 404
    assert mfa_client(member).get(URL).status_code == 404

"""公示 lasts at least 5 working days: the setting cannot go below 5 (it fails loudly)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.unionhome.test_settings import load_settings
from welfare import services


def test_it_refuses_to_start_with_a_notice_shorter_than_five_working_days():
    result = load_settings(DJANGO_SECRET_KEY="k", UNIONHOME_WELFARE_NOTICE_WORKING_DAYS="4")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "must be at least 5" in result.stderr


def test_it_starts_with_five_or_more():
    assert load_settings(DJANGO_SECRET_KEY="k", UNIONHOME_WELFARE_NOTICE_WORKING_DAYS="7").returncode == 0


def test_it_will_not_start_a_shorter_notice_if_the_setting_is_changed_in_code(
    make_case, welfare_officer, settings
):
    case = make_case("approved")
    settings.WELFARE_NOTICE_WORKING_DAYS = 3
    with pytest.raises(ImproperlyConfigured, match="at least 5"):
        services.case_start_notice(actor=welfare_officer.user, case=case)
    case.refresh_from_db()
    assert case.state == "approved"

"""Audit entries of welfare views and changes name the client behind the trusted proxy, not the proxy."""

import pytest
from django.urls import reverse

from unionhome.models import AuditEntry
from welfare import services

PROXY = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}


@pytest.fixture(autouse=True)
def _one_trusted_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # what UNIONHOME_TRUSTED_PROXY_COUNT=1 sets


def test_it_logs_a_view_with_the_forwarded_client_address(make_case, client_for, member):
    case = make_case()
    client_for(member).get(reverse("welfare:case_detail", args=[case.pk]), **PROXY)
    assert AuditEntry.objects.get(action="welfare.case.viewed").details["ip"] == "203.0.113.7"


def test_it_logs_a_change_with_the_forwarded_client_address(make_case, client_for, member):
    case = make_case()
    client_for(member).post(reverse("welfare:case_withdraw", args=[case.pk]), **PROXY)
    assert AuditEntry.objects.get(action="welfare.case.withdrawn").details["ip"] == "203.0.113.7"


def test_it_logs_an_officers_page_with_the_forwarded_client_address(make_case, mfa_client, welfare_officer):
    case = make_case()
    mfa_client(welfare_officer).get(reverse("welfare:member_overview", args=[case.member_id]), **PROXY)
    assert AuditEntry.objects.get(action="welfare.member.viewed").details["ip"] == "203.0.113.7"


def test_it_has_no_address_helper_of_its_own():
    assert not hasattr(services, "client_ip") or services.client_ip.__module__ == "unionhome.security"

"""Bad input never gives a 500: every page of the URL table and every admin changelist filter
is fed junk values (non-numbers, out-of-range numbers, dates and years, unknown choices).

A page may ignore a bad value, show a form error or answer 400; it may not fail. The test
client re-raises a view's exception, so any crash fails here with its traceback.
"""

import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from members.models import Member
from tests.test_url_access import ROWS
from tests.url_access import build_world

JUNK = [
    "abc",
    "-1",
    "5",
    "99999999999999999999",
    "9999-12",
    "0000-01",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
]
# Query parameters the portal's pages read (filters, periods, paging, export, return address).
PARAMETERS = [
    "page",
    "month",
    "club",
    "category",
    "open",
    "kind",
    "start",
    "end",
    "branch",
    "export",
    "year",
    "session",
    "state",
    "status",
    "unit",
    "delegation",
    "q",
    "next",
    "token",
    "period",
    "revision",
]


def _get_pages():
    return [name for name, (_module, entry) in ROWS.items() if entry.status_for("superuser") == 200]


@pytest.mark.parametrize("name", _get_pages())
def test_it_survives_junk_in_every_query_parameter(name, db):
    module, entry = ROWS[name]
    world = build_world()
    objects = module.objects(world) if hasattr(module, "objects") else {}
    url = reverse(entry.name, kwargs=entry.kwargs(objects))
    client = Client()
    client.force_login(world.user_of("superuser"))  # sees every branch: reads every parameter
    for parameter in PARAMETERS:
        for value in JUNK:
            query = f"{entry.query}&" if entry.query else ""
            response = client.get(f"{url}?{query}{parameter}={value}")
            assert response.status_code < 500, (parameter, value)


def test_it_survives_junk_in_every_admin_filter(db):
    call_command("demo", stdout=io.StringIO())
    client = Client()
    client.force_login(Member.objects.get(user__username="officer").user)
    superuser = Client()
    superuser.force_login(get_user_model().objects.create_superuser("root", "root@example.edu.cn", "pw"))
    crashes = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        parameters = {"q", "o", "p"}
        for list_filter in model_admin.list_filter:
            if isinstance(list_filter, str):
                parameters |= {list_filter, f"{list_filter}__exact", f"{list_filter}__id__exact"}
            elif isinstance(list_filter, tuple):
                parameters |= {list_filter[0], f"{list_filter[0]}__id__exact"}
            else:
                parameters.add(list_filter.parameter_name)
        if model_admin.date_hierarchy:
            parameters |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
        scoped = getattr(model_admin, "branch_scoped", False)
        for who in (client,) if scoped else (superuser,):
            for parameter in sorted(parameters):
                for value in JUNK:
                    try:
                        status = who.get(url, {parameter: value}).status_code
                    except Exception as error:  # noqa: BLE001 - the test reports every crash at once
                        status = f"{type(error).__name__}: {error}"
                    if not isinstance(status, int) or status >= 500:
                        crashes.append(f"{model._meta.label} ?{parameter}={value}: {status}")
    assert not crashes, "\n".join(crashes)

"""Every URL of the portal x every persona: the expected status, and no database write on GET.

The table is assembled from `tests/<app>/url_access*.py` (see tests/url_access.py). URL names
that belong to Django's admin (walked by tests/test_admin_scoping.py) or to allauth's account
pages are exempt; every other name in the URL conf must have exactly one row.
"""

import importlib
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from tests.html_check import collect_response
from tests.url_access import PERSONAS, build_world
from unionhome.models import AuditEntry

TESTS_DIR = Path(__file__).resolve().parent
EXEMPT_NAMESPACES = {"admin"}  # tests/test_admin_scoping.py
WRITES = ("insert ", "update ", "delete ")


def _url_names(patterns=None, namespace=""):
    """Every (namespaced) URL name the project answers, excluding third-party account pages."""
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            module = getattr(entry.urlconf_module, "__name__", "")
            if module.startswith("allauth."):
                continue  # allauth's own pages: configured in settings, tested in test_accounts
            names |= _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def _table_modules():
    for path in sorted(TESTS_DIR.glob("*/url_access*.py")):
        yield importlib.import_module(f"tests.{path.parent.name}.{path.stem}")


def _rows():
    rows = {}
    for module in _table_modules():
        for entry in module.ROWS:
            if entry.name in rows:
                raise AssertionError(f"{entry.name} has two rows")
            rows[entry.name] = (module, entry)
    return rows


ROWS = _rows()


def test_it_has_a_row_for_every_url_name():
    missing = sorted(_url_names() - set(ROWS))
    stale = sorted(set(ROWS) - _url_names())
    assert not missing, f"URL names without a row in tests/<app>/url_access.py: {missing}"
    assert not stale, f"rows for URL names that no longer exist: {stale}"


def _client_for(world, persona):
    client = Client()
    user = world.user_of(persona)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(ROWS))
def test_it_answers_each_persona_as_the_table_says(name, db, settings):
    module, entry = ROWS[name]
    world = build_world()
    objects = module.objects(world) if hasattr(module, "objects") else {}
    url = reverse(entry.name, kwargs=entry.kwargs(objects)) + (f"?{entry.query}" if entry.query else "")
    mismatches, writes = [], []
    audit_before = AuditEntry.objects.count()
    for persona in PERSONAS:
        client = _client_for(world, persona)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        collect_response(f"{name} {persona}", response)  # checked as HTML5 at the end of the run
        if response.status_code != entry.status_for(persona):
            mismatches.append(f"{persona}: {response.status_code} (expected {entry.status_for(persona)})")
        for query in queries.captured_queries:
            sql = query["sql"].lstrip().lower()
            if sql.startswith(WRITES) and not _is_view_audit(sql):
                writes.append(f"{persona}: {query['sql'][:160]}")
    assert not mismatches, f"GET {url}: " + "; ".join(mismatches)
    assert not writes, f"GET {url} wrote to the database: " + "; ".join(writes)
    written = AuditEntry.objects.order_by("pk")[audit_before:].values_list("action", flat=True)
    assert all(action.endswith(".viewed") for action in written), list(written)


def _is_view_audit(sql: str) -> bool:
    """The one write a GET may make: the audit entry recording a view of a confidential record."""
    return sql.startswith('insert into "unionhome_auditentry"')

"""No ModelAdmin or inline saves a model except through a service.

The contract every admin of the portal keeps (checked for each registered admin, parametrised
by model label, so `-k members` runs one app's):

* An admin that can change anything (add, change or delete permission for some persona)
  overrides `save_model` (when it can add or change), `delete_model` and `delete_queryset` (when
  it can delete) away from Django's defaults, and `save_formset` when it has inlines and
  `save_related` when its form edits a many-to-many field, each calling the app's services.
* No `list_editable` (the changelist would save rows with Django's plain `save()`).
* A read-only admin returns False from has_add/change/delete_permission for every persona
  (the demo's officers, welfare officer, secretary, treasurer and the superuser).
* Admin actions are the admin's own methods calling services; Django's default
  `delete_selected` is offered only when `delete_queryset` is overridden.

And, behaviourally, through the real admin with the demo data: for each admin one persona who
may change it re-submits an object's change form as the page renders it (unchanged: Django's
default `save()` writes every column even then; a service writes nothing or audits), and one
who may delete posts the delete page's confirmation. A connection-level hook
(`connection.execute_wrapper`) sees every statement of that request: any INSERT, UPDATE or
DELETE on a table of the portal's apps without an INSERT of a `unionhome` audit entry in the
same request is a save that bypassed the services.
"""

import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin, ModelAdmin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from tests.welfare.conftest import with_totp
from unionhome.models import AuditEntry

PORTAL_APPS = {"unionhome", "members", "activities", "welfare", "congress"}
SAMPLE = 3  # objects of each admin tried before giving up on finding one the form accepts


def _labels():
    return sorted(model._meta.label for model in admin.site._registry)


def _admin_of(label):
    return next(a for m, a in admin.site._registry.items() if m._meta.label == label)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            personas = list(get_user_model().objects.filter(is_staff=True).order_by("is_superuser", "pk"))
            for user in personas:
                with_totp(user)  # the welfare screens ask for a second factor first
            yield personas
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _overridden(model_admin, name, default_class=ModelAdmin):
    return getattr(type(model_admin), name) is not getattr(default_class, name)


def _edits_many_to_many(model_admin, request):
    """Whether the change form (of an existing object, or the add form) edits a many-to-many field."""
    if not model_admin.has_view_permission(request):
        return False
    obj = model_admin.get_queryset(request).order_by("pk").first()
    fields = model_admin.get_form(request, obj).base_fields
    return any(field.name in fields for field in model_admin.model._meta.many_to_many)


@pytest.mark.parametrize("label", _labels())
def test_it_saves_through_services_only(label, demo, db):
    model_admin = _admin_of(label)
    problems = []
    requests = [_request(user) for user in demo]
    can_add = any(model_admin.has_add_permission(r) for r in requests)
    can_change = any(model_admin.has_change_permission(r) for r in requests)
    can_delete = any(model_admin.has_delete_permission(r) for r in requests)
    if model_admin.list_editable:
        problems.append(f"list_editable {list(model_admin.list_editable)} saves rows without a service")
    if (can_add or can_change) and not _overridden(model_admin, "save_model"):
        problems.append("can add or change but keeps Django's save_model")
    if can_delete:
        problems += [
            f"can delete but keeps Django's {name}"
            for name in ("delete_model", "delete_queryset")
            if not _overridden(model_admin, name)
        ]
    if (can_add or can_change) and model_admin.inlines and not _overridden(model_admin, "save_formset"):
        problems.append(f"has inlines {[i.__name__ for i in model_admin.inlines]} but keeps save_formset")
    if (can_add or can_change) and any(_edits_many_to_many(model_admin, r) for r in requests):
        if not _overridden(model_admin, "save_related"):
            problems.append("edits a many-to-many field but keeps save_related (form.save_m2m)")
    for inline in model_admin.inlines:
        if not issubclass(inline, InlineModelAdmin):
            problems.append(f"{inline.__name__} is not an inline")
    for request in requests:
        for name, (function, _name, _description) in model_admin.get_actions(request).items():
            if name == "delete_selected":
                if not _overridden(model_admin, "delete_queryset"):
                    problems.append("offers delete_selected without its own delete_queryset")
            elif getattr(type(model_admin), name, None) is None:
                problems.append(f"action {name} ({function.__module__}) is not the admin's own method")
    assert not problems, f"{label}: " + "; ".join(sorted(set(problems)))


# --- behaviour: what the real admin writes ---------------------------------------------------

_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class _Writes:
    def __init__(self):
        from django.apps import apps

        self.portal_tables = {
            model._meta.db_table for model in apps.get_models() if model._meta.app_label in PORTAL_APPS
        }
        self.audit_table = AuditEntry._meta.db_table
        self.tables, self.audited = set(), False

    def __call__(self, execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match:
            table = match.group(2)
            if table == self.audit_table and match.group(1).upper().startswith("INSERT"):
                self.audited = True
            elif table in self.portal_tables:
                self.tables.add(table)
        return execute(sql, params, many, context)

    def bypass(self):
        return sorted(self.tables) if self.tables and not self.audited else []


class _Form(HTMLParser):
    """The fields a browser would submit from the page's admin form, as the page renders them."""

    def __init__(self):
        super().__init__()
        self.data, self.inside, self.select, self.textarea = [], False, None, None

    def handle_starttag(self, tag, attributes):
        a = dict(attributes)
        if tag == "form" and (a.get("id") or "").endswith("_form"):
            self.inside = True
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.data.append((self.select, a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.data.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def _form_data(html):
    parser = _Form()
    parser.feed(html)
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _post(client, url, data):
    writes = _Writes()
    with connection.execute_wrapper(writes):
        response = client.post(url, data)
    return response, writes


def _who_may(model_admin, personas, permission):
    """(persona, a few objects in their scope) for the first persona holding the permission."""
    for user in personas:
        request = _request(user)
        if not getattr(model_admin, f"has_{permission}_permission")(request):
            continue
        objects = [
            obj
            for obj in model_admin.get_queryset(request).order_by("pk")[: SAMPLE * 3]
            if getattr(model_admin, f"has_{permission}_permission")(request, obj)
        ][:SAMPLE]
        if objects:
            return user, objects
    return None, []


@pytest.mark.parametrize("label", _labels())
def test_it_writes_nothing_without_an_audit_entry(label, demo, db):
    model_admin = _admin_of(label)
    model = model_admin.model
    problems, tried = [], []
    user, objects = _who_may(model_admin, demo, "change")
    for obj in objects:
        client = Client()
        client.force_login(user)
        url = _url(model, "change", obj.pk)
        page = client.get(url)
        if page.status_code != 200:
            continue
        data = _form_data(page.content.decode())
        data["_save"] = ["save"]
        response, writes = _post(client, url, data)
        if writes.bypass():
            problems.append(f"change of #{obj.pk} as {user}: wrote {writes.bypass()} with no audit entry")
        if response.status_code == 302:
            tried.append(f"change #{obj.pk}")
            break
    user, objects = _who_may(model_admin, demo, "delete")
    for obj in objects:
        client = Client()
        client.force_login(user)
        response, writes = _post(client, _url(model, "delete", obj.pk), {"post": "yes"})
        if writes.bypass():
            problems.append(f"delete of #{obj.pk} as {user}: wrote {writes.bypass()} with no audit entry")
        if not model._default_manager.filter(pk=obj.pk).exists():
            tried.append(f"delete #{obj.pk}")
            break
    assert not problems, f"{label}: " + "; ".join(problems)
    if _who_may(model_admin, demo, "change")[0] is not None:
        assert any(t.startswith("change") for t in tried), f"{label}: no change form was accepted"

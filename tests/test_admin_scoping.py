"""Every admin screen, walked as an officer of a second branch who holds every role.

The first branch is the demo branch (`manage.py demo`, which every app extends with rows of each
of its models). The intruder must see none of its rows in any changelist, get 404 for each of
its records, and be refused when a crafted form references one of them; admins that are not
branch-scoped must be closed to them altogether. A new admin without scoping fails here.
"""

import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.test import Client
from django.urls import reverse

from members import access
from members.admin_scope import BranchScopedAdminMixin, BranchScopedInlineMixin
from members.models import Branch, Member, UnionGroup
from tests.welfare.conftest import with_totp
from unionhome import roles

SAMPLE = 3  # records of the first branch tried per model
# Third-party admins that belong to no branch: for superusers only, closed to every officer.
SUPERUSER_ONLY = {"auth.User", "auth.Group", "account.EmailAddress", "mfa.Authenticator"}


@pytest.fixture
def demo_branch(db):
    call_command("demo", stdout=io.StringIO())
    return Member.objects.get(user__username="officer").branch


@pytest.fixture
def intruder(demo_branch):
    other = Branch.objects.create(name="物理学院分工会")
    group = UnionGroup.objects.create(branch=other, name="物理系工会小组")
    user = get_user_model().objects.create_user(
        "phys-all-roles", "phys@example.edu.cn", "pw-123456", is_staff=True
    )
    for role in roles.ROLE_LABELS:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    Member.objects.create(
        user=user,
        branch=other,
        union_group=group,
        staff_number="phys-all-roles",
        name="吴磊",
        gender=Member.Gender.MALE,
        birth_date="1980-01-01",
    )
    with_totp(user)  # welfare screens ask for a second factor first
    client = Client()
    client.force_login(user)
    return client


def _registry():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _first_branch_rows(model, branch):
    lookup = access.branch_lookup(model)
    return model._default_manager.filter(**{lookup: branch.pk}).order_by("pk")


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_it_scopes_every_admin_and_inline():
    unscoped = [
        model._meta.label
        for model, model_admin in _registry()
        if not isinstance(model_admin, BranchScopedAdminMixin) and model._meta.label not in SUPERUSER_ONLY
    ]
    unscoped_inlines = [
        f"{model._meta.label}: {inline.__name__}"
        for model, model_admin in _registry()
        for inline in model_admin.inlines
        if not issubclass(inline, BranchScopedInlineMixin)
    ]
    assert not unscoped, f"admins neither branch-scoped nor superuser-only: {unscoped}"
    assert not unscoped_inlines, f"inlines not branch-scoped: {unscoped_inlines}"


def test_it_shows_another_branch_none_of_the_first_branchs_rows(demo_branch, intruder):
    problems = []
    for model, model_admin in _registry():
        changelist = intruder.get(_url(model, "changelist"))
        if not isinstance(model_admin, BranchScopedAdminMixin):
            if changelist.status_code != 403:
                problems.append(
                    f"{model._meta.label}: superuser-only admin answered {changelist.status_code}"
                )
            continue
        if changelist.status_code == 403:
            continue  # no role gives this screen to officers at all
        if getattr(model, "branch_lookup", None) is False:
            continue  # one list shared by every branch (e.g. the finance categories)
        if changelist.status_code != 200:
            problems.append(f"{model._meta.label} changelist: {changelist.status_code}")
            continue
        first = set(_first_branch_rows(model, demo_branch).values_list("pk", flat=True))
        if not first:
            problems.append(f"{model._meta.label}: the demo has no row of this model to test with")
        shown = {obj.pk for obj in changelist.context["cl"].result_list}
        if shown & first:
            problems.append(
                f"{model._meta.label} changelist shows first-branch rows {sorted(shown & first)[:5]}"
            )
        for pk in sorted(first)[:SAMPLE]:
            for view in ("change", "history", "delete"):
                status = intruder.get(_url(model, view, pk)).status_code
                if status not in (403, 404):
                    problems.append(f"{model._meta.label} {view} of #{pk}: {status}")
    assert not problems, "\n".join(problems)


def _first_branch_choice(field, branch):
    model = field.queryset.model
    if access.branch_lookup(model) is None:
        return None
    return _first_branch_rows(model, branch).first()


def test_it_refuses_a_crafted_post_that_references_the_first_branch(demo_branch, intruder):
    problems, tried = [], 0
    for model, model_admin in _registry():
        if not isinstance(model_admin, BranchScopedAdminMixin):
            continue
        add_url = _url(model, "add")
        page = intruder.get(add_url)
        if page.status_code != 200:
            continue  # adding is not offered (e.g. registrations are made through a service)
        form = page.context["adminform"].form
        for name, field in form.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            target = _first_branch_choice(field, demo_branch)
            if target is None:
                continue
            value = [target.pk] if isinstance(field, ModelMultipleChoiceField) else target.pk
            before = model._default_manager.count()
            response = intruder.post(add_url, {name: value})
            tried += 1
            errors = response.context["adminform"].form.errors if response.status_code == 200 else None
            if errors is None or name not in errors or model._default_manager.count() != before:
                problems.append(f"{model._meta.label}.{name} accepted {target._meta.label} #{target.pk}")
        for inline_formset in page.context.get("inline_admin_formsets", []):
            formset = inline_formset.formset
            for name, field in formset.form.base_fields.items():
                if not isinstance(field, ModelChoiceField) or name == formset.fk.name:
                    continue
                target = _first_branch_choice(formset.empty_form.fields[name], demo_branch)
                if target is None:
                    continue
                prefix = formset.prefix
                data = {
                    f"{prefix}-TOTAL_FORMS": "1",
                    f"{prefix}-INITIAL_FORMS": "0",
                    f"{prefix}-0-{name}": target.pk,
                }
                before = formset.model._default_manager.count()
                response = intruder.post(add_url, data)
                tried += 1
                posted = {fs.formset.prefix: fs.formset for fs in response.context["inline_admin_formsets"]}
                inline_errors = posted[prefix].errors[0] if posted[prefix].errors else {}
                if name not in inline_errors or formset.model._default_manager.count() != before:
                    problems.append(f"{formset.model._meta.label}.{name} (inline) accepted #{target.pk}")
    assert tried, "no crafted POST was tried"
    assert not problems, "\n".join(problems)


def _first_branch_names(branch):
    """What the first branch's rows are called (str), for every model that belongs to a branch."""
    from django.apps import apps

    names, labels = set(), set()
    for model in apps.get_models():
        labels |= {str(label) for field in model._meta.fields for _value, label in field.flatchoices}
        if access.branch_lookup(model) is None or getattr(model, "branch_lookup", None) is False:
            continue
        names |= {str(obj) for obj in _first_branch_rows(model, branch)}
    # A record whose str is a choice's label (a case event "公示") is named by the label, not by
    # the branch: the label is in every branch's filters.
    return {name for name in names if len(name) >= 2 and name not in labels}


def test_it_offers_another_branch_no_first_branch_name_in_any_list_filter(demo_branch, intruder):
    import datetime

    from welfare.models import AidRound

    # The demo has one aid round, and a filter with one choice is not shown: add a second.
    AidRound.objects.create(
        branch=demo_branch,
        year=2025,
        name="2025 年度困难补助",
        opens_on=datetime.date(2025, 11, 1),
        closes_on=datetime.date(2025, 11, 30),
        budget=8000,
    )
    names = _first_branch_names(demo_branch)
    problems, walked = [], 0
    for model, model_admin in _registry():
        if not isinstance(model_admin, BranchScopedAdminMixin):
            continue
        response = intruder.get(_url(model, "changelist"))
        if response.status_code != 200:
            continue
        changelist = response.context["cl"]
        for spec in changelist.filter_specs:
            walked += 1
            for choice in spec.choices(changelist):
                display = str(choice["display"])
                leaked = sorted(name for name in names if name in display)
                if leaked:
                    problems.append(f"{model._meta.label} filter “{spec.title}” offers {display!r}")
        sidebar = response.content.decode()
        if 'id="changelist-filter"' in sidebar:
            sidebar = sidebar.split('id="changelist-filter"', 1)[1].split("</nav>", 1)[0]
            problems += [
                f"{model._meta.label} filter sidebar names {name!r}" for name in names if name in sidebar
            ]
    assert walked, "no list filter was walked"
    assert not problems, "\n".join(sorted(set(problems)))

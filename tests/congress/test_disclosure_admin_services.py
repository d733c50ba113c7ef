"""The disclosures' admin saves only through the services: every ModelAdmin that can change
anything defines save_model, delete_model, delete_queryset (and save_formset with inlines) that
call services; none has list_editable; read-only ones refuse add, change and delete."""

import pytest
from django.contrib import admin
from django.contrib.admin.options import ModelAdmin
from django.urls import reverse

from congress.disclosures import services
from congress.disclosures.models import Disclosure, DisclosureAttachment, DisclosureLine, FinanceCategory
from unionhome.admin_refusals import ServiceRefusalAdminMixin
from unionhome.models import AuditEntry


@pytest.mark.parametrize("model", [Disclosure, FinanceCategory], ids=lambda model: model.__name__)
def test_it_saves_and_deletes_through_services(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ServiceRefusalAdminMixin) and not model_admin.list_editable
    assert model_admin.inlines
    for name in ("save_model", "delete_model", "delete_queryset", "save_formset"):
        assert getattr(type(model_admin), name) is not getattr(ModelAdmin, name), name


def test_the_lines_admin_is_read_only_and_attachments_have_none(rf, superuser):
    request = rf.get("/")
    request.user = superuser
    model_admin = admin.site._registry[DisclosureLine]
    assert not model_admin.list_editable
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert DisclosureAttachment not in admin.site._registry  # changed on its disclosure, by the services


def test_a_superuser_renames_a_category_with_an_audit_entry(client, superuser):
    category = FinanceCategory.objects.get(name="其他支出", parent=None)
    client.force_login(superuser)
    data = {
        "kind": category.kind,
        "parent": "",
        "name": "其他支出（含捐赠）",
        "sort_order": category.sort_order,
        "is_active": "on",
        "source": category.source,
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:congress_financecategory_change", args=[category.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="finance_category.changed")
    assert entry.target_id == str(category.pk) and entry.details["fields"] == ["name"]


def test_only_a_superuser_changes_the_tree(treasurer):
    category = FinanceCategory.objects.get(name="其他支出", parent=None)
    category.name = "改名"
    with pytest.raises(services.DisclosureError):
        services.finance_category_save(category=category, actor=treasurer.user, changed=["name"])
    with pytest.raises(services.DisclosureError):
        services.finance_category_delete(category=category, actor=treasurer.user)


def test_a_category_in_use_is_retired_not_deleted(disclosure, superuser):
    used = FinanceCategory.objects.get(name="文体活动支出")
    with pytest.raises(services.DisclosureError):
        services.finance_category_delete(category=used, actor=superuser)
    used.name = "文体支出"
    with pytest.raises(services.DisclosureError):  # a published disclosure shows the name
        services.finance_category_save(category=used, actor=superuser, changed=["name"])
    used.refresh_from_db()
    used.is_active = False
    services.finance_category_save(category=used, actor=superuser, changed=["is_active"])
    assert not FinanceCategory.objects.get(pk=used.pk).is_active


def test_the_inline_lines_are_saved_by_the_service_with_an_audit_entry(
    client_for, treasurer, disclosure_draft, disclosure_form
):
    line = disclosure_draft.lines.order_by("pk").first()
    data = disclosure_form(
        disclosure_draft, line=line, **{"lines-0-budget": "1.00", "lines-0-actual": "2.00"}
    )
    response = client_for(treasurer).post(
        reverse("admin:congress_disclosure_change", args=[disclosure_draft.pk]), data
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert str(line.actual) == "2.00"
    entry = AuditEntry.objects.get(action="disclosure.lines_changed")
    assert entry.details == {"added": 0, "changed": 1, "deleted": 0}

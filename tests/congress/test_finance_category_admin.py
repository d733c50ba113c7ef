"""The finance category tree is shared by every branch: only a superuser changes it."""

from django.urls import reverse

from congress.models import FinanceCategory


def _add_data(name):
    return {
        "kind": FinanceCategory.Kind.EXPENDITURE,
        "parent": "",
        "name": name,
        "sort_order": "99",
        "is_active": "on",
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
    }


def test_it_refuses_a_treasurer_adding_a_category(client_for, treasurer):
    client = client_for(treasurer)
    add_url = reverse("admin:congress_financecategory_add")
    assert client.get(add_url).status_code == 403
    assert client.post(add_url, _add_data("新支出")).status_code == 403
    assert not FinanceCategory.objects.filter(name="新支出").exists()


def test_it_shows_a_treasurer_the_tree_read_only(client_for, treasurer):
    category = FinanceCategory.objects.get(name="文体活动支出")
    client = client_for(treasurer)
    url = reverse("admin:congress_financecategory_change", args=[category.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="name"' not in response.content.decode()
    client.post(url, {**_add_data("改名"), "parent": category.parent_id})
    category.refresh_from_db()
    assert category.name == "文体活动支出"
    assert client.get(reverse("admin:congress_financecategory_delete", args=[category.pk])).status_code == 403


def test_it_lets_a_superuser_add_and_rename_a_category(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:congress_financecategory_add"), _add_data("新支出"))
    assert response.status_code == 302, response.content.decode()[:2000]
    category = FinanceCategory.objects.get(name="新支出")
    data = {**_add_data("改过的支出"), "children-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:congress_financecategory_change", args=[category.pk]), data)
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "改过的支出"

import re

from django.apps import apps

from unionhome.sections import NavItem


def nav_links(html):
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)


def test_it_shows_home_then_what_the_apps_contribute(client_for, member):
    links = nav_links(client_for(member).get("/clubs/").content.decode())
    assert [(url, label) for url, _current, label in links] == [
        ("/", "首页"),
        ("/activities/", "活动"),
        ("/clubs/", "俱乐部"),
        ("/congress/proposals/", "提案"),
        ("/disclosures/", "经费公开"),
        ("/me/", "我的"),
    ]
    assert [label for _url, current, label in links if current] == ["俱乐部"]


def test_it_adds_an_item_an_app_contributes(client_for, member, monkeypatch):
    config = apps.get_app_config("unionhome")
    monkeypatch.setattr(
        config, "nav_items", lambda request: [NavItem("/somewhere/", "别处", False, 40)], raising=False
    )
    labels = [label for _url, _current, label in nav_links(client_for(member).get("/").content.decode())]
    assert labels == ["首页", "活动", "俱乐部", "别处", "提案", "经费公开", "我的"]


def test_it_shows_no_navigation_to_anonymous_visitors(client, db):
    assert 'class="main-nav"' not in client.get("/accounts/login/").content.decode()

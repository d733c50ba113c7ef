"""What several apps contribute to shared pages: the navigation, and sections of / and /me/.

An app's AppConfig may define:
- `nav_items(request)`: a list of `NavItem`s for the header's navigation (signed-in users);
- `home_section(request)` / `me_section(request)`: rendered HTML (or None) for / and /me/.
Pages show them in app order (navigation items sorted by their `weight`, then app order). This
keeps core free of imports from any app: core asks the app registry, never an app module.
"""

from typing import NamedTuple

from django.apps import apps


class NavItem(NamedTuple):
    url: str
    label: str
    active: bool
    weight: int = 50  # lower comes first; the home link is 0, the member's own page 90


def collect_sections(request, hook_name: str) -> list[str]:
    sections = []
    for config in apps.get_app_configs():
        provider = getattr(config, hook_name, None)
        if provider is not None:
            html = provider(request)
            if html:
                sections.append(html)
    return sections


def collect_nav_items(request) -> list[NavItem]:
    items = []
    for config in apps.get_app_configs():
        provider = getattr(config, "nav_items", None)
        if provider is not None:
            items.extend(NavItem(*item) for item in provider(request) or ())
    return sorted(items, key=lambda item: item.weight)


def path_is_under(request, url: str) -> bool:
    """For `NavItem.active`: the page is `url` or below it."""
    return request.path == url or (url.endswith("/") and request.path.startswith(url))

"""What several apps contribute to shared pages: the navigation, and sections of / and /me/.

An app's AppConfig may define:
- `nav_items(request)`: a list of `NavItem`s for the header's navigation (signed-in users);
- `home_section(request)` / `me_section(request)`: rendered HTML (or None) for / and /me/;
- `queue_items(request)`: the officer's work queue (待办, /admin/queue/): a list of `QueueItem`s
  for what waits for the viewer, in her roles and her branch only.
Pages show them in app order (navigation items sorted by their `weight`, then app order). This
keeps core free of imports from any app: core asks the app registry, never an app module.
"""

import datetime
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


class QueueItem(NamedTuple):
    """One thing waiting in an officer's work queue: what, its next step, since when, by when."""

    area: str  # the heading it is listed under (e.g. 困难补助)
    title: str  # the record, without personal data (e.g. 补助申请 #12)
    url: str
    next_step: str
    waiting_since: datetime.date | None = None
    due: datetime.date | None = None
    overdue: bool = False


def collect_queue_items(request) -> list[QueueItem]:
    """Every app's queue items for the viewer: overdue first, then by due date, then the oldest."""
    items = []
    for config in apps.get_app_configs():
        provider = getattr(config, "queue_items", None)
        if provider is not None:
            items.extend(QueueItem(*item) for item in provider(request) or ())
    far = datetime.date.max
    return sorted(items, key=lambda item: (not item.overdue, item.due or far, item.waiting_since or far))

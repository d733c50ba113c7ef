"""The officers' work queue (待办): what waits for the viewer, from every app's `queue_items`
hook (unionhome.sections), grouped by area. Core imports no app: the apps say what waits."""

from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from unionhome.sections import collect_queue_items


def grouped(items):
    """[(area, [items])] in the order the areas first appear (the most urgent area first)."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(str(item.area), []).append(item)
    return list(groups.items())


def queue_summary(request) -> dict:
    """For the admin index: how many items wait, and how many are overdue, per area."""
    items = collect_queue_items(request)
    return {
        "count": len(items),
        "overdue": sum(item.overdue for item in items),
        "areas": [(area, len(rows), sum(i.overdue for i in rows)) for area, rows in grouped(items)],
    }


@never_cache
def work_queue(request):
    items = collect_queue_items(request)
    context = {
        **admin.site.each_context(request),
        "title": _("待办"),
        "groups": grouped(items),
        "count": len(items),
        "today": timezone.localdate(),
    }
    return render(request, "admin/queue.html", context)

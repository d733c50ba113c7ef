import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _


def demo_modules():
    """Each installed app may ship `<app>/demo.py` with `load(context)`; they run in the order of
    INSTALLED_APPS, so later apps use what earlier ones made (context["branch"], ...)."""
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.demo") is not None:
            yield importlib.import_module(f"{config.name}.demo")


class Command(BaseCommand):
    help = _("载入演示分工会（可重复运行）。")

    def handle(self, *args, **options):
        context = {}
        with transaction.atomic():
            for module in demo_modules():
                module.load(context)
        self.stdout.write(self.style.SUCCESS(_("演示数据已就绪：%(branch)s") % {"branch": context["branch"]}))
        self.stdout.write(_("所有演示账号的密码：%(password)s") % {"password": context["password"]})
        for username, role in context["accounts"]:
            self.stdout.write(f"  {username:<12} {role}")

import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

# Each app may ship `<app>/demo.py` with `load(context)`; they run in this order, so later
# apps can use what earlier ones made (context["branch"], context["members"], ...).
DEMO_APPS = ["members", "activities", "welfare", "congress"]


class Command(BaseCommand):
    help = _("载入演示分工会（可重复运行）。")

    def handle(self, *args, **options):
        context = {}
        with transaction.atomic():
            for app in DEMO_APPS:
                if importlib.util.find_spec(f"{app}.demo") is not None:
                    importlib.import_module(f"{app}.demo").load(context)
        self.stdout.write(self.style.SUCCESS(_("演示数据已就绪：%(branch)s") % {"branch": context["branch"]}))
        self.stdout.write(_("所有演示账号的密码：%(password)s") % {"password": context["password"]})
        for username, role in context["accounts"]:
            self.stdout.write(f"  {username:<12} {role}")

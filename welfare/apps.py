from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("帮扶与慰问")

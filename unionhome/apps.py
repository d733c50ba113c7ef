from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionhomeConfig(AppConfig):
    name = "unionhome"
    verbose_name = _("门户")

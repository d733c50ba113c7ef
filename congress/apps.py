from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("教代会与经费公开")

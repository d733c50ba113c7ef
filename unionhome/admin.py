from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("职工小家 · 管理")
admin.site.site_title = _("职工小家")
admin.site.index_title = _("工会工作台")

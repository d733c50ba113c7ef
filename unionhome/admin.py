from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from unionhome.models import AuditEntry

admin.site.site_header = _("职工小家 · 管理")
admin.site.site_title = _("职工小家")
admin.site.index_title = _("工会工作台")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

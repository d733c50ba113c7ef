from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("职工小家 · 管理")
admin.site.site_title = _("职工小家")
admin.site.index_title = _("工会工作台")

# allauth's list of every user's sessions (addresses, browsers) is not an officer's business:
# members see and end their own at /accounts/sessions/, deactivating a user ends theirs.
if apps.is_installed("allauth.usersessions"):
    from allauth.usersessions.models import UserSession

    if admin.site.is_registered(UserSession):
        admin.site.unregister(UserSession)

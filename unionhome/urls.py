from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from unionhome import queue, views

# The admin login goes through allauth's login, so its rate limits cover officers too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("members.urls")),  # first: it turns off allauth's /accounts/email/
    # Before allauth's own: the TOTP set-up that returns to the page the officer came from.
    path("accounts/2fa/totp/activate/", views.activate_totp, name="mfa_activate_totp"),
    path("accounts/", include("allauth.urls")),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/queue/", admin.site.admin_view(queue.work_queue), name="admin_queue"),
    path("admin/", admin.site.urls),
    path("", include("activities.urls")),
    path("disclosures/", include("congress.disclosures.urls")),
    path("", include("welfare.urls")),
    path("", include("congress.urls")),
]

handler400 = "unionhome.views.bad_request"
handler403 = "unionhome.views.permission_denied"
handler404 = "unionhome.views.page_not_found"
handler500 = "unionhome.views.server_error"

from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/notices/", views.notice_settings, name="notice_settings"),
    path("me/email/confirm/<str:token>/", views.email_change_confirmation, name="email_change_confirm"),
    # Before allauth's URLs (see unionhome/urls.py): its e-mail management page is off.
    path("accounts/email/", views.email_management, name="email_management"),
]

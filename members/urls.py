from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("me/", views.me, name="me"),
    # Before allauth's URLs (see unionhome/urls.py): its e-mail management page is off.
    path("accounts/email/", views.email_management, name="email_management"),
]

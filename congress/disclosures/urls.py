"""Finance disclosures' pages (/disclosures/), members only or public by a setting."""

from django.urls import path

from congress.disclosures import views

app_name = "disclosures"
urlpatterns = [
    path("", views.disclosure_list, name="list"),
    path("<int:pk>/", views.disclosure_detail, name="detail"),
    path("<int:pk>.pdf", views.disclosure_pdf, name="pdf"),
    path("<int:pk>/lines.<str:fmt>", views.disclosure_lines_download, name="lines"),
    path("<int:pk>/compare/", views.disclosure_compare, name="compare"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.disclosure_attachment, name="attachment"),
]

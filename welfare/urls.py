from django.urls import path

from welfare import views

app_name = "welfare"
urlpatterns = [
    path("welfare/apply/", views.apply, name="apply"),
    path("welfare/mine/", views.mine, name="mine"),
    path("welfare/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("welfare/cases/<int:pk>/submit/", views.case_submit, name="case_submit"),
    path("welfare/cases/<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("welfare/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("welfare/notices/", views.notices, name="notices"),
    path("welfare/notices/<int:pk>/objection/", views.notice_objection, name="notice_objection"),
    path("welfare/members/<int:pk>/", views.member_overview, name="member_overview"),
    path("welfare/coming-month/", views.coming_month, name="coming_month"),
]

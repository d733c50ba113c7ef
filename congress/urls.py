from django.urls import path

from congress import views

app_name = "congress"
urlpatterns = [
    path("congress/proposals/", views.proposal_list, name="proposal_list"),
    path("congress/proposals/new/", views.proposal_new, name="proposal_new"),
    path("congress/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("congress/proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("congress/proposals/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("congress/proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("congress/proposals/<int:pk>/invite/", views.proposal_invite, name="proposal_invite"),
    path("congress/proposals/<int:pk>/cosign/", views.proposal_cosign, name="proposal_cosign"),
    path("congress/proposals/<int:pk>/decline/", views.proposal_decline, name="proposal_decline"),
    path("congress/proposals/<int:pk>/review/", views.proposal_review, name="proposal_review"),
    path("congress/proposals/<int:pk>/assign/", views.proposal_assign, name="proposal_assign"),
    path("congress/proposals/<int:pk>/extend/", views.proposal_extend, name="proposal_extend"),
    path("congress/proposals/<int:pk>/reopen/", views.proposal_reopen, name="proposal_reopen"),
    path("congress/proposals/<int:pk>/reply/", views.proposal_reply, name="proposal_reply"),
    path("congress/proposals/<int:pk>/input/", views.proposal_input, name="proposal_input"),
    path("congress/proposals/<int:pk>/done/", views.proposal_done, name="proposal_done"),
    path("congress/proposals/<int:pk>/rate/", views.proposal_rate, name="proposal_rate"),
    path("congress/suggestions/", views.suggestion_list, name="suggestion_list"),
    path("congress/suggestions/new/", views.suggestion_new, name="suggestion_new"),
    path("congress/suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("congress/suggestions/<int:pk>/take-up/", views.suggestion_take_up, name="suggestion_take_up"),
    path("congress/sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path(
        "congress/sessions/<int:pk>/proposals.pdf",
        views.session_compilation_pdf,
        name="session_compilation_pdf",
    ),
    path("congress/sessions/<int:pk>/report.pdf", views.session_report_pdf, name="session_report_pdf"),
    path("congress/stats/", views.stats, name="stats"),
]

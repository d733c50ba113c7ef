from django.urls import path

from activities import views

app_name = "activities"
urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/participation/", views.participation, name="participation"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>.ics", views.activity_ics, name="ics"),
    path("activities/<int:pk>/signup/", views.activity_signup, name="signup"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("activities/<int:pk>/sheet/", views.activity_sheet, name="sheet"),
    path("activities/<int:pk>/attendance/", views.activity_attendance, name="attendance"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("clubs/", views.club_list, name="club_list"),
    path("clubs/<int:pk>/", views.club_detail, name="club_detail"),
    path("clubs/<int:pk>/join/", views.club_join, name="club_join"),
    path("clubs/<int:pk>/leave/", views.club_leave, name="club_leave"),
    path("clubs/<int:pk>/activities/new/", views.club_activity_new, name="club_activity_new"),
    path("me/calendar.ics", views.my_calendar, name="my_calendar"),
    path("me/calendar/reset/", views.calendar_reset, name="calendar_reset"),
]

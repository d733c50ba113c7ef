from django.apps import AppConfig
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("活动与俱乐部")

    def nav_items(self, request):
        """The header's links to the activity list and the clubs."""
        from unionhome.sections import NavItem, path_is_under

        activities_url, clubs_url = reverse("activities:list"), reverse("activities:club_list")
        return [
            NavItem(activities_url, _("活动"), path_is_under(request, activities_url), 20),
            NavItem(clubs_url, _("俱乐部"), path_is_under(request, clubs_url), 30),
        ]

    def home_section(self, request):
        """Home: upcoming activities (one tap to the page with the 报名 button) and my next events."""
        from activities import selectors
        from members.access import member_for

        member = member_for(request.user)
        context = {
            "upcoming": selectors.upcoming_for(request.user),
            "mine": selectors.my_registrations(member, upcoming_only=True, limit=5) if member else [],
            "has_member": member is not None,
        }
        return render_to_string("activities/home_section.html", context, request=request)

    def me_section(self, request):
        """/me/: my registrations with waitlist places, my clubs, and the calendar feed.

        Reads only: the feed address is made by the button here (a POST), never by showing the page.
        """
        from activities import selectors
        from members.access import member_for

        member = member_for(request.user)
        if member is None:
            return None
        feed = selectors.calendar_feed_of(member)
        feed_url = None
        if feed is not None:
            feed_url = request.build_absolute_uri(reverse("activities:my_calendar")) + f"?token={feed.token}"
        context = {
            "registrations": selectors.my_registrations(member, upcoming_only=False, limit=20),
            "clubs": selectors.my_clubs(member),
            "feed_url": feed_url,
        }
        return render_to_string("activities/me_section.html", context, request=request)

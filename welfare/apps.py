from django.apps import AppConfig
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from unionhome import roles


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("帮扶与慰问")
    # Who asked for aid is itself confidential: the audit trail's welfare entries are shown
    # only to the branch's welfare officers (members.access.audit_entries_visible_to).
    confidential_audit = ("welfare.", roles.WELFARE_OFFICER)

    def confidential_audit_open_to(self, request) -> bool:
        """The trail's welfare entries need the second factor, like every welfare page."""
        from welfare.middleware import needs_mfa_setup

        return not needs_mfa_setup(request.user)

    def confidential_audit_viewed(self, request, entries) -> None:
        """Reading welfare entries of the trail is itself a view of welfare data: logged."""
        from welfare.services import audit_entries_view_record

        audit_entries_view_record(request=request, entries=entries)

    def me_section(self, request):
        """/me/: the member's own aid requests (state and dates only; never officers' notes)."""
        from members.access import member_for
        from welfare.selectors import my_cases

        member = member_for(request.user)
        if member is None:
            return None
        return render_to_string(
            "welfare/me_section.html", {"cases": list(my_cases(member)[:10])}, request=request
        )

    def queue_items(self, request):
        """The work queue (待办): the branch's cases waiting for this welfare officer, only once
        she has her second factor (like every welfare page)."""
        from django.urls import reverse

        from welfare import access as welfare_access
        from welfare.middleware import needs_mfa_setup
        from welfare.selectors import officer_queue

        user = request.user
        if not welfare_access.is_welfare_officer(user) or needs_mfa_setup(user):
            return []
        return [
            (
                _("困难补助"),
                str(row["case"]),
                reverse("admin:welfare_aidcase_change", args=[row["case"].pk]),
                row["next_step"],
                row["since"],
                row["due"],
                row["overdue"],
            )
            for row in officer_queue(user)
        ]

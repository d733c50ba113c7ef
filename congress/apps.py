from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("教代会与经费公开")

    def nav_items(self, request):
        return [*self.proposal_nav_items(request), *self.disclosure_nav_items(request)]

    def proposal_nav_items(self, request):
        """The header's link to the proposals (every congress page counts as under it)."""
        from members.access import branch_id_for
        from unionhome.sections import NavItem

        if branch_id_for(request.user) is None:  # the proposals are a branch's: no member, no list
            return []
        url = reverse("congress:proposal_list")
        return [NavItem(url, _("提案"), request.path.startswith("/congress/"), 40)]

    def me_section(self, request):
        """/me/: my proposals (and those I co-propose), my co-signatures and invitations, my suggestions."""
        from django.template.loader import render_to_string

        from congress.selectors import my_congress
        from members.access import member_for

        member = member_for(request.user)
        if member is None:
            return None
        return render_to_string("congress/me_section.html", my_congress(member), request=request)

    # --- Finance disclosures ---

    def disclosure_nav_items(self, request):
        """The header's link to the finance disclosures."""
        from unionhome.sections import NavItem, path_is_under

        url = reverse("disclosures:list")
        return [NavItem(url, _("经费公开"), path_is_under(request, url), 70)]

    # --- The work queue (待办, unionhome.sections) ---

    def queue_items(self, request):
        """The secretary's proposals (review, replies due, ratings pending) and the disclosures
        waiting for this person's confirmation, in her branch."""
        from django.urls import reverse

        from congress.disclosures.selectors import confirm_queue
        from congress.selectors import secretary_queue

        items = [
            (
                _("提案"),
                str(row["proposal"]),
                reverse("admin:congress_proposal_change", args=[row["proposal"].pk]),
                row["next_step"],
                row["since"],
                row["due"],
                row["overdue"],
            )
            for row in secretary_queue(request.user)
        ]
        items += [
            (
                _("经费公开"),
                str(row["disclosure"]),
                reverse("admin:congress_disclosure_change", args=[row["disclosure"].pk]),
                row["next_step"],
                row["since"],
                None,
                False,
            )
            for row in confirm_queue(request.user)
        ]
        return items

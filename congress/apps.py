from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("教代会与经费公开")

    def me_section(self, request):
        """/me/: my proposals (and those I co-propose), my co-signatures and invitations, my suggestions."""
        from django.template.loader import render_to_string

        from congress.selectors import my_congress
        from members.access import member_for

        member = member_for(request.user)
        if member is None:
            return None
        return render_to_string("congress/me_section.html", my_congress(member), request=request)

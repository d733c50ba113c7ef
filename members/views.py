from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.forms import ContactForm
from members.services import member_update_contact
from unionhome.notices import unread_notices
from unionhome.sections import collect_sections


def current_member_or_404(request):
    """The signed-in user's member record; accounts without one (a bare superuser) get 404."""
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404(_("这个账号没有会员档案。"))
    return member


def me(request):
    member = current_member_or_404(request)
    if request.method == "POST":
        form = ContactForm(request.POST, instance=member)
        if form.is_valid():
            member_update_contact(
                member=member,
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                actor=request.user,
            )
            messages.success(request, _("联系方式已更新。"))
            return redirect("members:me")
    else:
        form = ContactForm(instance=member)
    return render(
        request,
        "members/me.html",
        {
            "member": member,
            "form": form,
            "sections": collect_sections(request, "me_section"),
            "notices": unread_notices(request.user),
        },
    )

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members import access
from members.forms import ContactForm
from members.services import (
    MemberError,
    email_change_confirm,
    email_change_request_by_token,
    member_update_contact,
)
from unionhome.notices import unread_notices
from unionhome.sections import collect_sections


def me(request):
    member = access.member_or_404(request)
    form = ContactForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            member_update_contact(
                member=member,
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                actor=request.user,
            )
        except MemberError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("联系方式已更新。"))
            return redirect("members:me")
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


def email_management(request):
    """allauth's own e-mail page is off: the login e-mail comes from the roster and /me/."""
    messages.info(request, _("登录邮箱请在“我的”页面的联系方式中修改。"))
    return redirect("members:me")


def email_change_confirmation(request, token):
    """The member confirms an officer's correction of her login e-mail (the link mailed to her)."""
    change = email_change_request_by_token(token)
    if change is None or not access.can_confirm_email_change(request.user, change):
        raise Http404(_("这个确认链接不存在或已失效。"))
    if request.method == "POST":
        try:
            email_change_confirm(change=change, actor=request.user)
        except MemberError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("登录邮箱已更正。"))
        return redirect("members:me")
    return render(request, "members/email_change_confirm.html", {"change": change})

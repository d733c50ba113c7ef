from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import access
from members.forms import ContactForm, NoticeSettingsForm
from members.services import (
    MemberError,
    email_change_confirm,
    email_change_request_by_token,
    member_set_notice_settings,
    member_update_contact,
)
from unionhome.notices import unread_notices
from unionhome.sections import collect_sections


def me(request, notice_form=None):
    member = access.member_or_404(request)
    posted = request.method == "POST" and notice_form is None
    form = ContactForm(request.POST if posted else None, instance=member)
    if posted and form.is_valid():
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
            "notice_form": notice_form or NoticeSettingsForm(member=member),
        },
    )


@require_POST
def notice_settings(request):
    """The /me/ form for the language of notices and e-mails, and which kinds e-mail her."""
    member = access.member_or_404(request)
    form = NoticeSettingsForm(request.POST, member=member)
    if form.is_valid():
        try:
            member = member_set_notice_settings(
                member=member,
                actor=request.user,
                language=form.cleaned_data["language"],
                email_off=form.email_off(),
            )
        except MemberError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("通知设置已保存。"))
            response = redirect("members:me")
            # The portal speaks her language from now on, as her notices and e-mails do.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                member.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    return me(request, notice_form=form)


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

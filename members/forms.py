from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from members import access, services
from members.models import Member
from members.services import MemberError, login_email_check
from unionhome import notices


class ContactForm(forms.ModelForm):
    """The only fields a member may change on their own record; a new e-mail needs the password."""

    password = forms.CharField(
        label=_("当前密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("修改电子邮箱（登录邮箱）时必须填写。"),
    )

    class Meta:
        model = Member
        fields = ["phone", "email"]
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in "+- " for ch in phone):
            raise forms.ValidationError(_("手机号码只能包含数字、空格、+ 和 -。"))
        return phone

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        try:
            login_email_check(email, user_id=self.instance.user_id)
        except MemberError as error:
            raise forms.ValidationError(error.message) from None
        return email


def _masked(address: str) -> str:
    name, _at, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"


class MailedCodeActivateTOTPForm(ActivateTOTPForm):
    """allauth's TOTP set-up (settings.MFA_FORMS), which for a role that requires a second
    factor also asks for a code mailed to the account's login address (or issued by a superuser
    in person): whoever holds only the password cannot enrol an authenticator for her."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_mailed_code = access.second_factor_required(self.user)
        if not self.needs_mailed_code:
            return
        if self.is_bound:
            mailed = bool(self.user.email)
        else:  # the page is shown: mail a code (none while one is still valid)
            mailed = services.mfa_enrolment_code_send(user=self.user)
        help_text = (
            _("已发送到 %(address)s 的 6 位数字确认码（15 分钟内有效）。没有收到，请稍后刷新本页。")
            % {"address": _masked(self.user.email)}
            if mailed
            else _("账号没有登录邮箱：请由系统管理员当面发放确认码。")
        )
        self.fields["email_code"] = forms.CharField(
            label=_("邮件确认码"),
            max_length=12,
            help_text=help_text,
            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.needs_mailed_code and not self.errors:
            if not services.mfa_enrolment_code_check(user=self.user, code=cleaned_data.get("email_code", "")):
                self.add_error("email_code", _("确认码不正确或已失效，请刷新本页获取新的确认码。"))
        return cleaned_data


class NoticeSettingsForm(forms.Form):
    """The language notices and e-mails reach the member in, and which kinds also e-mail her."""

    language = forms.ChoiceField(
        label=_("通知和邮件的语言"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    email_on = forms.MultipleChoiceField(
        label=_("同时发邮件的通知"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不勾选的，只在职工小家显示通知，不再发邮件。"),
    )

    def __init__(self, *args, member: Member, **kwargs):
        kinds = notices.emailing_kinds()
        kwargs.setdefault(
            "initial",
            {
                "language": member.language,
                "email_on": [kind.id for kind in kinds if kind.id not in (member.email_off or [])],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["email_on"].choices = [(kind.id, kind.label) for kind in kinds]

    def email_off(self) -> list[str]:
        on = set(self.cleaned_data["email_on"])
        return [kind.id for kind in notices.emailing_kinds() if kind.id not in on]

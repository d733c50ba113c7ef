from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Member
from members.services import MemberError, login_email_check


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

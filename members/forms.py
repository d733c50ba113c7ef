from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from members.models import Member


class ContactForm(forms.ModelForm):
    """The only fields a member may change on their own record."""

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
        if email:
            taken = get_user_model().objects.filter(email__iexact=email).exclude(pk=self.instance.user_id)
            if taken.exists():
                raise forms.ValidationError(_("这个电子邮箱已被其他账号使用。"))
        return email

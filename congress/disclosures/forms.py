"""Forms of the finance disclosures' admin (heading, lines, attachments, steps, import)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm

from congress.disclosures import services
from congress.disclosures.models import Disclosure, DisclosureAttachment
from members.admin import SizeLimitedImportForm


class DisclosureAdminForm(forms.ModelForm):
    class Meta:
        model = Disclosure
        fields = ["branch", "year", "period", "title", "summary"]

    def clean(self):
        cleaned = super().clean()
        branch = cleaned.get("branch") or (self.instance.branch if self.instance.branch_id else None)
        year = cleaned.get("year", self.instance.year)
        period = cleaned.get("period", self.instance.period)
        if branch is not None and year and period and self.instance.revision == 1:
            taken = Disclosure.objects.filter(branch=branch, year=year, period=period).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                raise ValidationError(
                    _("本分工会这一期间已经有经费公开了：请打开它修改，已公开的请用“更正”生成新版本。")
                )
        if branch is not None:
            names = services.branch_member_names(branch.pk)
            for field in ("title", "summary"):
                found = services.personal_names_in(cleaned.get(field), names)
                if found:
                    self.add_error(field, services.names_error(found))
        return cleaned


class DisclosureLineFormSet(BaseInlineFormSet):
    """No member's name in an item or note (aid is disclosed as counts and totals only)."""

    def clean(self):
        super().clean()
        branch_id = getattr(self.instance, "branch_id", None)
        if branch_id is None:
            return
        names = services.branch_member_names(branch_id)
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            for field in ("item", "note"):
                found = services.personal_names_in(form.cleaned_data.get(field), names)
                if found:
                    form.add_error(field, services.names_error(found))


class DisclosureAttachmentForm(forms.ModelForm):
    """A new attachment: its name and the PDF (checked by content). The stored file is never shown
    or changed here (it has no URL: the row links to the access-checked download)."""

    upload = forms.FileField(label=_("PDF 文件"))

    class Meta:
        model = DisclosureAttachment
        fields = ["title"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            services.check_pdf_upload(upload)
        except services.DisclosureError as error:
            raise ValidationError(str(error)) from None
        return upload


class DisclosureReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("会和新版本一起公开，请不要写个人姓名。"),
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


def _draft_choices(request):
    from congress.disclosures.access import disclosures_visible_to

    return disclosures_visible_to(Disclosure.objects.filter(state=Disclosure.State.DRAFT), request.user)


class LineImportForm(SizeLimitedImportForm):
    """The spreadsheet (within the import size limit), and the draft whose hand-entered lines it replaces."""

    disclosure = forms.ModelChoiceField(
        label=_("导入到草稿"),
        queryset=Disclosure.objects.none(),
        help_text=_("文件里的明细会替换这份草稿原有的手工明细；任何一行有错，都不会写入。"),
    )

    def __init__(self, formats, resources, **kwargs):
        self.request = kwargs.pop("request", None)
        super().__init__(formats, resources, **kwargs)
        if self.request is not None:
            self.fields["disclosure"].queryset = _draft_choices(self.request)


class LineConfirmImportForm(ConfirmImportForm):
    disclosure = forms.ModelChoiceField(queryset=Disclosure.objects.none(), widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["disclosure"].queryset = _draft_choices(self.request)

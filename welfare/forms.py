from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member
from unionhome.uploads import UploadRefused, check_upload
from welfare.models import AidCase, AidRound, BenefitKind, Ground, PaymentForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ApplyForm(forms.Form):
    """A member's application; the files are checked by content before anything is written."""

    track = forms.ChoiceField(
        label=_("申请类别"),
        choices=AidCase.Track.choices,
        initial=AidCase.Track.ANNUAL,
        widget=forms.RadioSelect,
        help_text=_("年度补助在申请时间内受理；遇到突发困难可随时申请临时救助。"),
    )
    ground = forms.ChoiceField(label=_("补助事由"), choices=Ground.choices)
    description = forms.CharField(
        label=_("困难情况说明"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("写明困难的原因和现状；只有本分工会的帮扶专员能看到。"),
    )
    household_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30)
    income_per_head = forms.DecimalField(
        label=_("家庭月人均收入（元）"), min_value=0, max_digits=12, decimal_places=2
    )
    medical_costs = forms.DecimalField(
        label=_("自付医疗费用（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    amount_requested = forms.DecimalField(
        label=_("申请金额（元）"), min_value=1, max_digits=12, decimal_places=2
    )
    household_staff_numbers = forms.CharField(
        label=_("家庭成员中也是本校工会会员的人的工号"),
        required=False,
        max_length=200,
        help_text=_(
            "如配偶也在本校工作，填写其工号，多个用逗号分隔；同一家庭每批次只能申请一次。没有就不填。"
        ),
    )
    attachments = MultipleFileField(
        label=_("证明材料"),
        required=False,
        help_text=_("病历、费用清单、证明等：PDF 文件或照片（JPEG、PNG）。"),
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    consent_to_notice = forms.BooleanField(
        label=_("我同意在本分工会会员范围内公示我的姓名、所在工会小组和补助金额。"),
        required=False,
        help_text=_("根据个人信息保护法，公示需要您单独同意。不同意也可以申请，帮扶专员会记录不公示的原因。"),
    )

    def __init__(self, *args, member, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        if round_ is not None:
            # Each ground says its caps in this round (never what is left of the round's budget).
            caps = {cap.ground: cap for cap in round_.caps.all()}
            self.fields["ground"].choices = [
                (value, cap_label(label, caps.get(value))) for value, label in Ground.choices
            ]
        limit = filesizeformat(settings.WELFARE_ATTACHMENT_MAX_BYTES)
        self.fields["attachments"].help_text = _(
            "病历、费用清单、证明等：PDF 文件或照片（JPEG、PNG），每个不超过 %(limit)s，最多 %(count)s 个。"
        ) % {"limit": limit, "count": settings.WELFARE_ATTACHMENT_MAX_COUNT}

    def clean_household_staff_numbers(self):
        raw = self.cleaned_data.get("household_staff_numbers", "")
        numbers = [n.strip() for n in raw.replace("，", ",").replace("、", ",").split(",") if n.strip()]
        found = list(
            Member.objects.in_good_standing()
            .filter(branch_id=self.member.branch_id, staff_number__in=numbers)
            .exclude(pk=self.member.pk)
        )
        unknown = sorted(set(numbers) - {m.staff_number for m in found} - {self.member.staff_number})
        if unknown:
            raise ValidationError(
                _("本分工会没有这些工号的会员：%(numbers)s") % {"numbers": ", ".join(unknown)}
            )
        self.household_members = found
        return raw

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > settings.WELFARE_ATTACHMENT_MAX_COUNT:
            raise ValidationError(
                _("最多上传 %(count)s 个文件。") % {"count": settings.WELFARE_ATTACHMENT_MAX_COUNT}
            )
        errors = []
        for upload in files:
            try:
                check_upload(upload, max_bytes=settings.WELFARE_ATTACHMENT_MAX_BYTES)
            except UploadRefused as error:
                errors.append(error.message)
        if errors:
            raise ValidationError(errors)
        return files


def cap_text(cap) -> str:
    """“每次最多 2,000.00 元，每人每年最多 5,000.00 元” (empty when the ground has no cap)."""
    from welfare.services import money

    parts = []
    if cap is not None and cap.per_case is not None:
        parts.append(_("每次最多 %(amount)s 元") % {"amount": money(cap.per_case)})
    if cap is not None and cap.per_year is not None:
        parts.append(_("每人每年最多 %(amount)s 元") % {"amount": money(cap.per_year)})
    return "，".join(str(part) for part in parts)


def cap_label(label, cap) -> str:
    text = cap_text(cap)
    return f"{label}（{text}）" if text else str(label)


def current_round(branch_id) -> AidRound | None:
    """The branch's round of this year (the emergency track draws on it too)."""
    today = timezone.localdate()
    return AidRound.objects.filter(branch_id=branch_id, year=today.year).first()


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("异议内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("只有本分工会的帮扶专员能看到您的异议和您的姓名。"),
    )


class BulkBenefitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("慰问类别"),
        choices=[
            (BenefitKind.BIRTHDAY, BenefitKind.BIRTHDAY.label),
            (BenefitKind.RETIREMENT, BenefitKind.RETIREMENT.label),
        ],
    )
    amount = forms.DecimalField(label=_("金额或物品价值（元）"), min_value=0, max_digits=12, decimal_places=2)
    payment_form = forms.ChoiceField(label=_("发放方式"), choices=PaymentForm.choices)
    gift = forms.CharField(label=_("物品"), max_length=200, required=False)
    members = forms.TypedMultipleChoiceField(label=_("会员"), coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(row["member"].pk, row["member"].name) for row in candidates]

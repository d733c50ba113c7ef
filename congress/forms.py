from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress import access
from congress.models import Delegation, Proposal, ProposalCategory, Reply, Session, Unit, Verdict
from members.models import Member


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "reasons", "measures", "category", "suggested_unit"]
        widgets = {
            "reasons": forms.Textarea(attrs={"rows": 6}),
            "measures": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, branch_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProposalCategory.objects.filter(is_active=True)
        self.fields["suggested_unit"].queryset = Unit.objects.filter(branch_id=branch_id)


class InviteForm(forms.Form):
    invitees = forms.ModelMultipleChoiceField(
        label=_("邀请附议人"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        already = proposal.cosigns.values("member")
        self.fields["invitees"].queryset = (
            access.delegates_of(proposal.session.term)
            .exclude(pk=proposal.proposer_id)
            .exclude(pk__in=already)
            .order_by("staff_number")
        )


class ReviewForm(forms.Form):
    ACTIONS = [
        ("accept", _("立案")),
        ("merge", _("并案")),
        ("convert", _("转为意见建议")),
        ("return", _("退回修改")),
        ("reject", _("不予立案")),
    ]
    action = forms.ChoiceField(label=_("审查结论"), choices=ACTIONS, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    merge_into = forms.ModelChoiceField(label=_("并入提案"), queryset=Proposal.objects.none(), required=False)
    follower = forms.ModelChoiceField(label=_("包案委员"), queryset=Member.objects.none(), required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].queryset = (
            Proposal.objects.filter(
                session=proposal.session, state__in=(Proposal.State.REVIEW, *Proposal.ACCEPTED_STATES)
            )
            .exclude(pk=proposal.pk)
            .order_by("sequence")
        )
        self.fields["follower"].queryset = access.committee_of(proposal.session.term)

    def clean(self):
        data = super().clean()
        if data.get("action") == "merge" and not data.get("merge_into"):
            self.add_error("merge_into", _("并案时请选择并入的提案。"))
        return data


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(
        label=_("答复期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则按本次会议的答复期限天数计算。"),
    )

    def __init__(self, *args, branch_id, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(branch_id=branch_id)
        self.fields["lead_unit"].queryset = units
        self.fields["supporting_units"].queryset = units


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("新的答复期限"), widget=forms.DateInput(attrs={"type": "date"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class DoneForm(forms.Form):
    reason = forms.CharField(
        label=_("办结理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("提案人在评价期内未评价时，由教代会秘书写明理由后办结。"),
    )


class ReplyForm(forms.ModelForm):
    class Meta:
        model = Reply
        fields = ["body", "grade", "completion_date"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "completion_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].required = True


class InputForm(forms.Form):
    body = forms.CharField(label=_("协办意见"), widget=forms.Textarea(attrs={"rows": 4}))


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价"), choices=Verdict.Rating.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选择“不满意”时必填，承办单位将据此重新办理。"),
    )


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 8}))


class SuggestionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 4}))


class SuggestionRouteForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("转交单位"), queryset=Unit.objects.none())

    def __init__(self, *args, branch_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(branch_id=branch_id)


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("出席代表"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = access.delegates_of(session.term).order_by("staff_number")


class VoteForm(forms.Form):
    item = forms.CharField(label=_("表决事项"), max_length=200)
    yes = forms.IntegerField(label=_("赞成"), min_value=0)
    no = forms.IntegerField(label=_("反对"), min_value=0)
    abstain = forms.IntegerField(label=_("弃权"), min_value=0)


class ProposalFilterForm(forms.Form):
    session = forms.ModelChoiceField(label=_("会议"), queryset=Session.objects.none(), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False)
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=ProposalCategory.objects.all(), required=False
    )
    delegation = forms.ModelChoiceField(label=_("代表团"), queryset=Delegation.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)

    def __init__(self, *args, branch_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(term__branch_id=branch_id).select_related(
            "term"
        )
        self.fields["state"].choices = [("", _("全部"))] + [
            choice for choice in Proposal.State.choices if choice[0] != Proposal.State.DRAFT
        ]
        self.fields["delegation"].queryset = Delegation.objects.filter(term__branch_id=branch_id)
        self.fields["unit"].queryset = Unit.objects.filter(branch_id=branch_id)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["session"]:
            queryset = queryset.filter(session=data["session"])
        if data["state"]:
            queryset = queryset.filter(state=data["state"])
        if data["category"]:
            queryset = queryset.filter(category=data["category"])
        if data["delegation"]:
            queryset = queryset.filter(delegation=data["delegation"])
        if data["unit"]:
            queryset = queryset.filter(
                Q(lead_unit=data["unit"]) | Q(supporting_units=data["unit"])
            ).distinct()
        if data["overdue"]:
            queryset = queryset.overdue()
        if data["q"]:
            q = data["q"]
            queryset = queryset.filter(
                Q(title__icontains=q)
                | Q(number__icontains=q)
                | Q(proposer__name__icontains=q)
                | Q(reasons__icontains=q)
            )
        return queryset

"""Welfare officers' screens: rounds, cases (read-only fields, steps through services), visits, benefits.

Cases are never edited field by field: every step is a service (welfare.services), reached
from the "办理" panel of the change page or from the list's actions. Only welfare officers of
the case's branch (and superusers) see the case admin at all; every change page opened is
logged as a view, and a case of another branch answers 404 (logged too). No import or export.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import access
from members.admin_scope import BranchScopedAdminMixin, BranchScopedInlineMixin, SuperuserWritesAdminMixin
from unionhome import workdays
from unionhome.admin_refusals import ServiceDeleteAdminMixin, ServiceRefusalAdminMixin
from welfare import access as welfare_access
from welfare import selectors, services
from welfare.models import (
    AidCap,
    AidCase,
    AidRound,
    Attachment,
    Benefit,
    BenefitCap,
    CareVisit,
    CaseEvent,
    priority_expression,
)


class WelfareOnlyMixin:
    """Closed (403) to everyone but welfare officers and superusers, whatever their permissions."""

    def has_module_permission(self, request):
        return welfare_access.is_welfare_officer(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return welfare_access.is_welfare_officer(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return welfare_access.is_welfare_officer(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return welfare_access.is_welfare_officer(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


# --- rounds -------------------------------------------------------------------------------


class AidCapInline(BranchScopedInlineMixin, admin.TabularInline):
    """A round's caps per ground: saved by AidRoundAdmin.save_formset through the services."""

    model = AidCap
    extra = 0
    fields = ["ground", "per_case", "per_year"]

    def has_delete_permission(self, request, obj=None):
        return welfare_access.is_welfare_officer(request.user)


@admin.register(AidRound)
class AidRoundAdmin(
    ServiceRefusalAdminMixin,
    ServiceDeleteAdminMixin,
    WelfareOnlyMixin,
    BranchScopedAdminMixin,
    admin.ModelAdmin,
):
    list_display = [
        "name",
        "year",
        "opens_on",
        "closes_on",
        "budget",
        "places",
        "approved_total",
        "paid_total",
    ]
    list_filter = ["year"]
    inlines = [AidCapInline]
    readonly_fields = ["totals"]

    def get_fields(self, request, obj=None):
        fields = ["year", "name", "opens_on", "closes_on", "budget", "places"]
        if request.user.is_superuser:
            fields.insert(0, "branch")
        return fields + (["totals"] if obj else [])

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.branch_id = access.branch_id_for(request.user)
        services.round_save(actor=request.user, round_=obj)

    def save_formset(self, request, form, formset, change):
        """The caps per ground, each through `aid_cap_save` / `aid_cap_delete` (audited)."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            cap = inline_form.instance
            if formset.can_delete and formset._should_delete_form(inline_form):
                if cap.pk is not None:
                    services.aid_cap_delete(actor=request.user, cap=cap)
                    formset.deleted_objects.append(cap)
            elif inline_form.has_changed():
                created = cap.pk is None
                cap.round = form.instance
                services.aid_cap_save(actor=request.user, cap=cap)
                if created:
                    formset.new_objects.append(cap)
                else:
                    formset.changed_objects.append((cap, inline_form.changed_data))

    delete_service = services.round_delete
    service_argument = "round_"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                approved_sum=Sum(
                    "cases__amount_approved", filter=Q(cases__state__in=AidCase.COMMITTED_STATES)
                ),
                paid_sum=Sum("cases__paid_amount", filter=Q(cases__state__in=selectors.PAID_STATES)),
            )
        )

    @admin.display(description=gettext_lazy("已批准（元）"))
    def approved_total(self, round_):
        return selectors._money(round_.approved_sum)

    @admin.display(description=gettext_lazy("已发放（元）"))
    def paid_total(self, round_):
        return selectors._money(round_.paid_sum)

    @admin.display(description=gettext_lazy("预算执行"))
    def totals(self, round_):
        t = selectors.round_totals(round_)
        return _(
            "预算 %(budget)s 元；已批准 %(approved)s 元；已发放 %(paid)s 元；"
            "余额 %(remaining)s 元；申请 %(cases)s 件。"
        ) % {
            "budget": services.money(t["budget"]),
            "approved": services.money(t["approved"]),
            "paid": services.money(t["paid"]),
            "remaining": services.money(t["remaining"]),
            "cases": t["cases"],
        }


# --- cases ----------------------------------------------------------------------------------


class CaseEventInline(BranchScopedInlineMixin, admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "from_state", "to_state", "actor", "comment"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("办理记录（全过程）")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttachmentInline(BranchScopedInlineMixin, admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("文件"))
    def download(self, attachment):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("welfare:attachment", args=[attachment.pk]),
            attachment.original_name,
        )


class ReviewDueFilter(admin.SimpleListFilter):
    title = gettext_lazy("年度复核")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("已到复核日期"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return selectors.reviews_due(queryset)
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    """ "Mine to do" (a step waits for this officer) and "overdue" (welfare.selectors.case_waiting)."""

    title = gettext_lazy("待办")
    parameter_name = "todo"

    def lookups(self, request, model_admin):
        return [("mine", _("我的待办")), ("overdue", _("已逾期"))]

    def queryset(self, request, queryset):
        if self.value() not in ("mine", "overdue"):
            return queryset
        rows = selectors.officer_queue(request.user)
        if self.value() == "overdue":
            rows = [row for row in rows if row["overdue"]]
        return queryset.filter(pk__in={row["case"].pk for row in rows})


class CaseAddForm(forms.ModelForm):
    """A welfare officer enters an application for a member without a computer."""

    submit = forms.BooleanField(label=gettext_lazy("录入后立即提交"), required=False, initial=True)

    class Meta:
        model = AidCase
        fields = [
            "round",
            "member",
            "household_members",
            "ground",
            "track",
            "description",
            "household_size",
            "income_per_head",
            "medical_costs",
            "amount_requested",
            "consent_to_notice",
        ]


class CaseStepForm(forms.Form):
    """One step of the "办理" panel: built for one `step`, with only that step's fields.

    The page shows one such form per step the officer may take now (welfare.access.case_steps),
    each with its own button; a refusal comes back on the same form, next to its field.
    """

    STEPS = [
        ("group_opinion", gettext_lazy("录入工会小组意见")),
        ("review", gettext_lazy("分工会审核建档")),
        ("decision", gettext_lazy("录入校工会决定")),
        ("approve", gettext_lazy("批准（须由另一位帮扶专员）")),
        ("notice", gettext_lazy("开始公示")),
        ("no_notice", gettext_lazy("不公示并记录原因")),
        ("pay", gettext_lazy("登记发放")),
        ("close", gettext_lazy("结案")),
        ("reject", gettext_lazy("不予批准")),
        ("withdraw", gettext_lazy("代申请人撤回")),
        ("submit", gettext_lazy("代申请人提交")),
        ("note", gettext_lazy("添加内部备注")),
        ("review_date", gettext_lazy("设置复核日期")),
    ]
    # Each step's fields, with the label they carry in that step (None: the field's own label).
    STEP_FIELDS = {
        "group_opinion": {"text": gettext_lazy("工会小组意见")},
        "review": {
            "exclusion_checks": None,
            "day": gettext_lazy("分工会集体审核日期"),
            "decided_by": None,
            "text": gettext_lazy("审核意见（可不填）"),
        },
        "decision": {
            "day": gettext_lazy("校工会决定日期"),
            "reference": None,
            "amount": gettext_lazy("批准金额（元）"),
            "amount_reason": None,
            "override_reason": None,
        },
        "approve": {},
        "notice": {"day": gettext_lazy("公示开始日期")},
        "no_notice": {"text": gettext_lazy("不公示的原因")},
        "pay": {"day": gettext_lazy("发放日期"), "amount": gettext_lazy("发放金额（元）")},
        "close": {"text": gettext_lazy("结案说明（可不填）")},
        "reject": {"text": gettext_lazy("未批准的理由（申请人会看到）")},
        "withdraw": {"text": gettext_lazy("撤回说明（可不填）")},
        "submit": {},
        "note": {"text": gettext_lazy("备注")},
        "review_date": {"day": gettext_lazy("下次复核日期")},
    }
    # The services' field names (DomainError.field) as this form names them.
    SERVICE_FIELDS = {
        "opinion": "text",
        "reason": "text",
        "reasons": "text",
        "comment": "text",
        "exclusion_checks": "exclusion_checks",
        "meeting_on": "day",
        "decided_on": "day",
        "starts_on": "day",
        "paid_on": "day",
        "due_on": "day",
        "decided_by": "decided_by",
        "reference": "reference",
        "amount": "amount",
        "amount_reason": "amount_reason",
        "override_reason": "override_reason",
    }

    step = forms.ChoiceField(choices=STEPS, widget=forms.HiddenInput)
    text = forms.CharField(
        label=gettext_lazy("意见、理由或备注"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    exclusion_checks = forms.CharField(
        label=gettext_lazy("排除情形核查"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    day = forms.DateField(
        label=gettext_lazy("日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decided_by = forms.CharField(label=gettext_lazy("参加审核人员"), required=False, max_length=200)
    reference = forms.CharField(label=gettext_lazy("校工会决定文号"), required=False, max_length=100)
    amount = forms.DecimalField(
        label=gettext_lazy("金额（元）"), required=False, max_digits=12, decimal_places=2
    )
    amount_reason = forms.CharField(
        label=gettext_lazy("批准金额与申请金额不同的原因（申请人会看到）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    override_reason = forms.CharField(
        label=gettext_lazy("超出上限或预算的理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, step=None, **kwargs):
        if step is None:
            data = args[0] if args else kwargs.get("data")
            step = (data or {}).get("step")
        if step not in self.STEP_FIELDS:
            step = None
        kwargs.setdefault("auto_id", f"id_{step or 'step'}_%s")
        super().__init__(*args, **kwargs)
        self.step_name = step
        self.fields["step"].initial = step
        if step is not None:
            wanted = self.STEP_FIELDS[step]
            for name in list(self.fields):
                if name != "step" and name not in wanted:
                    del self.fields[name]
            for name, label in wanted.items():
                if label is not None:
                    self.fields[name].label = label

    @property
    def title(self):
        return dict(self.STEPS).get(self.step_name, "")

    def add_refusal(self, error):
        """Show a service's refusal next to the field it names (else at the top of this form)."""
        field = self.SERVICE_FIELDS.get(getattr(error, "field", None) or "")
        message = str(error.message if hasattr(error, "message") else error)
        self.add_error(field if field in self.fields else None, message)


def run_step(*, actor, case, data) -> str:
    """Call the service for one step; returns the success message (WelfareError on refusal)."""
    step, text, day, amount = data["step"], data.get("text") or "", data.get("day"), data.get("amount")
    if step == "group_opinion":
        services.case_record_group_opinion(actor=actor, case=case, opinion=text)
    elif step == "review":
        services.case_review(
            actor=actor,
            case=case,
            exclusion_checks=data.get("exclusion_checks") or "",
            meeting_on=day,
            decided_by=data.get("decided_by") or "",
            comment=text,
        )
    elif step == "decision":
        services.case_record_decision(
            actor=actor,
            case=case,
            decided_on=day,
            reference=data.get("reference") or "",
            amount=amount,
            override_reason=data.get("override_reason") or "",
            amount_reason=data.get("amount_reason") or "",
        )
    elif step == "approve":
        services.case_approve(actor=actor, case=case)
    elif step == "notice":
        services.case_start_notice(actor=actor, case=case, starts_on=day)
    elif step == "no_notice":
        services.case_skip_notice(actor=actor, case=case, reason=text)
    elif step == "pay":
        services.case_pay(actor=actor, case=case, paid_on=day or timezone.localdate(), amount=amount)
    elif step == "close":
        services.case_close(actor=actor, case=case, comment=text)
    elif step == "reject":
        services.case_reject(actor=actor, case=case, reasons=text)
    elif step == "withdraw":
        services.case_withdraw(actor=actor, case=case, comment=text)
    elif step == "submit":
        services.case_submit(actor=actor, case=case)
    elif step == "note":
        services.case_add_note(actor=actor, case=case, text=text)
    elif step == "review_date":
        services.case_set_review_date(actor=actor, case=case, due_on=day)
    return _("已办理：%(step)s。") % {"step": dict(CaseStepForm.STEPS)[step]}


@admin.register(AidCase)
class AidCaseAdmin(
    ServiceRefusalAdminMixin,
    ServiceDeleteAdminMixin,
    WelfareOnlyMixin,
    BranchScopedAdminMixin,
    admin.ModelAdmin,
):
    list_display = [
        "__str__",
        "member",
        "ground",
        "track",
        "state",
        "household_clash",
        "round",
        "submitted_at",
        "review_due_on",
    ]
    list_filter = [
        WaitingFilter,
        "state",
        "ground",
        "track",
        "household_clash",
        "round",
        "round__year",
        ReviewDueFilter,
    ]
    search_fields = ["member__name", "member__staff_number"]
    list_select_related = ["member", "round"]
    inlines = [AttachmentInline, CaseEventInline]
    actions = ["approve_selected", "notice_selected", "close_selected"]
    change_form_template = "admin/welfare/aidcase/change_form.html"
    change_list_template = "admin/welfare/aidcase/change_list.html"
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        return welfare_access.handled_cases(super().get_queryset(request), request.user)

    def get_list_display(self, request):
        """The list's columns plus what each case waits for from this officer: next step,
        waiting since, due (overdue said in words and marked by a class)."""
        today = timezone.localdate()

        def waiting(case):
            rows = selectors.case_waiting(case, request.user, today)
            # The most urgent: overdue first, then one with a due date.
            return min(rows, key=lambda row: (not row["overdue"], row["due"] is None)) if rows else None

        @admin.display(description=gettext_lazy("下一步"))
        def next_step(case):
            row = waiting(case)
            return row["next_step"] if row else "—"

        @admin.display(description=gettext_lazy("等待自"))
        def waiting_since(case):
            row = waiting(case)
            return row["since"].isoformat() if row and row["since"] else "—"

        @admin.display(description=gettext_lazy("期限"))
        def due(case):
            row = waiting(case)
            if not row or not row["due"]:
                return "—"
            if row["overdue"]:
                return format_html(
                    '{} <span class="queue-overdue-label">{}</span>', row["due"].isoformat(), _("已逾期")
                )
            return row["due"].isoformat()

        return [*super().get_list_display(request), next_step, waiting_since, due]

    def get_ordering(self, request):
        # Own and relatives' serious illness first, then by date (seed 000, §2.3).
        return [priority_expression().asc(), F("submitted_at").asc(nulls_last=True), "pk"]

    def changelist_view(self, request, extra_context=None):
        due = selectors.reviews_due(self.get_queryset(request)).count()
        response = super().changelist_view(request, {**(extra_context or {}), "reviews_due": due})
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method in ("GET", "HEAD") and changelist is not None:
            # A list (or a search by a person's name or staff number) is a view of its cases.
            services.case_list_view_record(
                request=request, cases=list(changelist.result_list), term=changelist.query
            )
        return response

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CaseAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*CaseAddForm.Meta.fields, "submit"]
        return [
            "state",
            "member",
            "member_link",
            "round",
            "track",
            "ground",
            "household_members",
            "household_clash",
            "description",
            "household_size",
            "income_per_head",
            "medical_costs",
            "amount_requested",
            "consent_to_notice",
            "no_notice_reason",
            "group_opinion",
            "exclusion_checks",
            "review_meeting_on",
            "review_decided_by",
            "reviewed_by",
            "decided_on",
            "decision_reference",
            "amount_approved",
            "amount_reason",
            "approved_by",
            "approved_at",
            "notice_starts_on",
            "notice_ends_on",
            "paid_on",
            "paid_amount",
            "paid_by",
            "rejection_reasons",
            "review_due_on",
            "submitted_at",
            "ended_at",
            "created_by",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return self.get_fields(request, obj)

    @admin.display(description=gettext_lazy("该会员的帮扶记录"))
    def member_link(self, case):
        if case.member_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("welfare:member_overview", args=[case.member_id]),
            _("走访、慰问和申请"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field is read-only; steps go through the "办理" panel
        data = form.cleaned_data
        obj_created = services.case_create(
            actor=request.user,
            member=data["member"],
            round=data["round"],
            ground=data["ground"],
            track=data["track"],
            description=data["description"],
            household_size=data["household_size"],
            income_per_head=data["income_per_head"],
            medical_costs=data["medical_costs"],
            amount_requested=data["amount_requested"],
            consent_to_notice=data["consent_to_notice"],
            household_members=list(data["household_members"]),
            submit=data.get("submit", False),
        )
        obj.pk = obj_created.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The service set the household; there are no editable inlines.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        pass  # the timeline and the attachments are read-only here (services write them)

    delete_service = services.case_delete
    service_argument = "case"

    def _case_or_404(self, request, object_id):
        """The case, or 404 with the attempt logged (another branch's case as if it did not exist)."""
        try:
            case = self.get_object(request, object_id)
        except Http404:
            case = None
        if case is None:
            services.case_view_denied(
                request=request, case_id=object_id, branch_id=_branch_of_case(object_id), via="admin"
            )
            raise Http404(_("没有找到这个申请。"))
        return case

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self._case_or_404(request, object_id)
        if request.method == "GET":
            services.case_view_record(request=request, case=case, via="admin")
        extra_context = {
            **(extra_context or {}),
            **self._step_context(request, case, (extra_context or {}).get("refused_form")),
            # Every field is read-only: steps go through the "办理" panel, never a save.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "totals": selectors.round_totals(case.round),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _step_context(self, request, case, refused_form=None):
        """The progress line, the 公示's dates, and one form per step the officer may take now."""
        today = timezone.localdate()
        steps = welfare_access.case_steps(request.user, case, today=today)
        initial = {
            "decision": {"day": today, "amount": case.amount_requested},
            "notice": {"day": today},
            "pay": {"day": today, "amount": case.amount_approved},
        }
        forms_ = []
        for step in steps:
            if not step.allowed:
                continue
            if refused_form is not None and refused_form.step_name == step.name:
                forms_.append(refused_form)
            else:
                forms_.append(CaseStepForm(step=step.name, initial=initial.get(step.name)))
        notice = None
        if case.notice_starts_on and case.notice_ends_on:
            notice = {
                "starts_on": case.notice_starts_on,
                "ends_on": case.notice_ends_on,
                "working_days": selectors.working_days_between(case.notice_starts_on, case.notice_ends_on),
                "ended": today > case.notice_ends_on,
            }
        elif case.state == AidCase.State.APPROVED and case.consent_to_notice:
            days = services.notice_working_days()
            notice = {
                "starts_on": today,
                "ends_on": workdays.add_working_days(today, days),
                "working_days": days,
                "planned": True,
            }
        return {
            "progress": selectors.case_progress(case),
            "step_forms": forms_,
            "held_steps": [
                {"title": dict(CaseStepForm.STEPS)[step.name], "step": step}
                for step in steps
                if not step.allowed
            ],
            "notice_period": notice,
        }

    def history_view(self, request, object_id, extra_context=None):
        case = self._case_or_404(request, object_id)
        services.case_view_record(request=request, case=case, via="admin history")
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/step/",
                self.admin_site.admin_view(self.step_view),
                name="welfare_aidcase_step",
            ),
            *super().get_urls(),
        ]

    def step_view(self, request, pk):
        """One step's form: done (back to the page), or refused (the page again, with what was
        typed and the reason next to its field)."""
        if request.method != "POST":
            raise Http404
        case = self._case_or_404(request, str(pk))
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        form = CaseStepForm(request.POST)
        if form.is_valid():
            try:
                messages.success(request, run_step(actor=request.user, case=case, data=form.cleaned_data))
                return redirect(reverse("admin:welfare_aidcase_change", args=[pk]))
            except services.WelfareError as error:
                form.add_refusal(error)
            except ValidationError as error:
                form.add_error(None, error)
        if form.step_name is None:
            messages.error(request, _("请检查填写的内容：%(errors)s") % {"errors": form.errors.as_text()})
            return redirect(reverse("admin:welfare_aidcase_change", args=[pk]))
        messages.error(request, _("“%(step)s”没有办理，原因见下方。") % {"step": form.title})
        # The page again, as a GET (the change form has nothing to save), with this form bound.
        request.method = "GET"
        return self.change_view(request, str(pk), extra_context={"refused_form": form})

    def _each(self, request, queryset, service, **kwargs):
        done = 0
        for case in queryset:
            try:
                service(actor=request.user, case=case, **kwargs)
                done += 1
            except services.WelfareError as error:
                messages.error(request, f"{case}: {error}")
        if done:
            messages.success(request, _("已办理 %(count)s 件。") % {"count": done})

    @admin.action(
        description=gettext_lazy("批准所选申请（须由审核人以外的帮扶专员）"), permissions=["change"]
    )
    def approve_selected(self, request, queryset):
        self._each(request, queryset, services.case_approve)

    @admin.action(description=gettext_lazy("所选申请今天开始公示"), permissions=["change"])
    def notice_selected(self, request, queryset):
        self._each(request, queryset, services.case_start_notice)

    @admin.action(description=gettext_lazy("所选已发放的申请结案"), permissions=["change"])
    def close_selected(self, request, queryset):
        self._each(request, queryset, services.case_close)


def _branch_of_case(object_id):
    try:
        return AidCase.objects.filter(pk=int(object_id)).values_list("branch_id", flat=True).first()
    except (TypeError, ValueError):
        return None


# --- visits and benefits -----------------------------------------------------------------------


class BranchFromMemberForm(forms.ModelForm):
    """The branch is the member's (the member choices are the officer's branch)."""

    def clean(self):
        cleaned = super().clean()
        member = cleaned.get("member")
        if member is not None:
            self.instance.branch_id = member.branch_id
        return cleaned


class BenefitForm(BranchFromMemberForm):
    """The rules (caps, forms of payment, the relative, never twice) are the service's: its
    refusal is shown on this form by ServiceRefusalAdminMixin."""

    class Meta:
        model = Benefit
        fields = [
            "member",
            "kind",
            "event_date",
            "relative",
            "amount",
            "gift",
            "payment_form",
            "paid_on",
            "receipt_signed",
        ]

    def validate_unique(self):
        pass  # the service says "already paid" in words; the database constraint stays the guard


@admin.register(CareVisit)
class CareVisitAdmin(
    ServiceRefusalAdminMixin,
    ServiceDeleteAdminMixin,
    WelfareOnlyMixin,
    BranchScopedAdminMixin,
    admin.ModelAdmin,
):
    form = type(
        "CareVisitForm",
        (BranchFromMemberForm,),
        {
            "Meta": type(
                "Meta",
                (),
                {
                    "model": CareVisit,
                    "fields": ["member", "visited_on", "visitors", "occasion", "gift", "amount", "notes"],
                },
            )
        },
    )
    list_display = ["visited_on", "member", "occasion", "visitors", "gift", "amount"]
    list_filter = ["occasion", "visited_on"]
    search_fields = ["member__name", "member__staff_number", "visitors"]
    list_select_related = ["member"]
    date_hierarchy = "visited_on"

    def save_model(self, request, obj, form, change):
        services.care_visit_save(actor=request.user, visit=obj)

    delete_service = services.care_visit_delete
    service_argument = "visit"


@admin.register(Benefit)
class BenefitAdmin(
    ServiceRefusalAdminMixin,
    ServiceDeleteAdminMixin,
    WelfareOnlyMixin,
    BranchScopedAdminMixin,
    admin.ModelAdmin,
):
    form = BenefitForm
    list_display = [
        "event_date",
        "member",
        "kind",
        "relative",
        "amount",
        "payment_form",
        "paid_on",
        "receipt_signed",
    ]
    list_filter = ["kind", "relative", "payment_form", "receipt_signed", "event_date"]
    search_fields = ["member__name", "member__staff_number"]
    list_select_related = ["member"]
    date_hierarchy = "event_date"

    def get_readonly_fields(self, request, obj=None):
        # What was typed before the relative became a choice (kept for the officer's check).
        return ["subject"] if obj is not None and obj.subject else []

    def save_model(self, request, obj, form, change):
        services.benefit_save(actor=request.user, benefit=obj)

    delete_service = services.benefit_delete
    service_argument = "benefit"


@admin.register(BenefitCap)
class BenefitCapAdmin(
    ServiceRefusalAdminMixin,
    ServiceDeleteAdminMixin,
    SuperuserWritesAdminMixin,
    BranchScopedAdminMixin,
    admin.ModelAdmin,
):
    """The province's caps: one table for the installation, kept by the administrator.

    It belongs to no branch, so no officer opens it (403); a superuser changes it, row by row,
    through the services (each change audited; no editing in the list).
    """

    list_display = ["kind", "effective_from", "cap", "per", "cash_allowed", "card_allowed", "source"]
    list_filter = ["effective_from", "per"]
    fields = ["kind", "effective_from", "cap", "per", "cash_allowed", "card_allowed", "source"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if request.user.is_superuser else queryset.none()

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        services.benefit_cap_save(actor=request.user, cap=obj)

    delete_service = services.benefit_cap_delete
    service_argument = "cap"

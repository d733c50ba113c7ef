from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from members import access
from unionhome.audit import audit_record
from unionhome.security import client_ip
from unionhome.uploads import EXTENSIONS
from welfare import access as welfare_access
from welfare import selectors, services
from welfare.forms import ApplyForm, BulkBenefitForm, ObjectionForm, current_round
from welfare.middleware import mfa_setup_redirect, needs_mfa_setup
from welfare.models import AidCase, Attachment, Benefit, CareVisit, CaseEvent


def mfa_first(view):
    """Welfare officers (and superusers) without TOTP set it up before a case page opens."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if needs_mfa_setup(request.user):
            return mfa_setup_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


HOUSEHOLD_CHECKED = _lazy("同一家庭每批次只补助一次：帮扶专员会核对您填写的家庭成员，有需要会与您联系。")


def _officer_branch_or_404(request):
    branch = access.branch_for(request.user)
    if branch is None or not welfare_access.is_welfare_officer_of(request.user, branch.pk):
        raise Http404(_("没有找到这个页面。"))
    return branch


# --- the member's side --------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    member = access.member_or_404(request)
    round_ = current_round(member.branch_id)
    form = ApplyForm(request.POST or None, request.FILES or None, member=member, round_=round_)
    if request.method == "POST" and round_ is not None and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor=request.user,
                member=member,
                round=round_,
                ground=data["ground"],
                track=data["track"],
                description=data["description"],
                household_size=data["household_size"],
                income_per_head=data["income_per_head"],
                medical_costs=data["medical_costs"],
                amount_requested=data["amount_requested"],
                consent_to_notice=data["consent_to_notice"],
                household_members=form.household_members,
                files=data["attachments"],
                submit=request.POST.get("action") != "draft",
            )
        except services.WelfareError as error:
            form.add_error(None, str(error))
        else:
            if case.state == AidCase.State.DRAFT:
                messages.success(request, _("申请已保存为草稿，提交后帮扶专员才会收到。"))
            else:
                messages.success(request, _("申请已提交，帮扶专员会尽快联系您。"))
            if form.household_members:
                # The same words whether or not a household member applied too (no oracle).
                messages.info(request, HOUSEHOLD_CHECKED)
            return redirect("welfare:case_detail", pk=case.pk)
    caps = selectors.round_caps(round_) if round_ is not None else []
    return render(
        request, "welfare/apply.html", {"form": form, "round": round_, "member": member, "caps": caps}
    )


@require_safe
def mine(request):
    member = access.member_or_404(request)
    return render(request, "welfare/mine.html", {"cases": selectors.my_cases(member)})


@never_cache
@require_safe
@mfa_first
def case_detail(request, pk):
    case = welfare_access.case_visible_or_404(request, pk)
    services.case_view_record(request=request, case=case, via="portal")
    officer = welfare_access.can_handle_case(request.user, case)
    events = case.events.select_related("actor__member")
    if not officer:
        events = events.filter(kind__in=CaseEvent.APPLICANT_KINDS)
    context = {
        "case": case,
        "officer": officer,
        "events": events,
        "attachments": case.attachments.all(),
        "household": case.household_members.all() if officer else None,
        "totals": selectors.round_totals(case.round) if officer else None,
        "can_withdraw": case.state in AidCase.WITHDRAWABLE_STATES
        and welfare_access.is_applicant(request.user, case),
        "next_step": selectors.next_for_applicant(case),
        "progress": selectors.case_progress(case),
    }
    return render(request, "welfare/case_detail.html", context)


@require_POST
@mfa_first
def case_submit(request, pk):
    case = welfare_access.case_visible_or_404(request, pk)
    try:
        services.case_submit(actor=request.user, case=case)
    except services.WelfareError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("申请已提交，帮扶专员会尽快联系您。"))
        if case.household_members.exists():
            messages.info(request, HOUSEHOLD_CHECKED)
    return redirect("welfare:case_detail", pk=case.pk)


@require_POST
@mfa_first
def case_withdraw(request, pk):
    case = welfare_access.case_visible_or_404(request, pk)
    try:
        services.case_withdraw(actor=request.user, case=case)
    except services.WelfareError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("welfare:case_detail", pk=case.pk)


@never_cache
@require_safe
@mfa_first
def attachment_download(request, pk):
    attachment = Attachment.objects.filter(pk=pk).only("pk", "case_id").first()
    case = welfare_access.case_visible_or_404(
        request, attachment.case_id if attachment else 0, via="attachment"
    )
    attachment = get_object_or_404(Attachment, pk=pk, case=case)
    services.case_view_record(request=request, case=case, via="attachment")
    filename = f"case-{case.pk}-{attachment.pk}{EXTENSIONS.get(attachment.content_type, '')}"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# --- 公示 -----------------------------------------------------------------------------------


@never_cache
@require_safe
def notices(request):
    member = access.member_or_404(request)
    from django.conf import settings

    return render(
        request,
        "welfare/notices.html",
        {
            "cases": selectors.notices_for(member),
            "show_ground": settings.WELFARE_NOTICE_SHOWS_GROUND,
            "phone": settings.WELFARE_SUPERVISION_PHONE,
            "form": ObjectionForm(),
        },
    )


@require_POST
def notice_objection(request, pk):
    member = access.member_or_404(request)
    case = get_object_or_404(selectors.notices_for(member), pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明异议的内容。"))
        return redirect("welfare:notices")
    try:
        services.case_object(actor=request.user, case=case, text=form.cleaned_data["text"])
    except services.WelfareError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("您的异议已经保密转交本分工会帮扶专员。"))
    return redirect("welfare:notices")


# --- the welfare officers' pages -------------------------------------------------------------


@never_cache
@require_safe
@mfa_first
def member_overview(request, pk):
    """A member's visits, benefits, cases and this year's ledger, for the branch's welfare officers."""
    member = welfare_access.member_overview_or_404(request, pk)
    year = timezone.localdate().year
    audit_record(
        actor=request.user,
        action="welfare.member.viewed",
        target=member,
        branch_id=member.branch_id,
        ip=client_ip(request),
    )
    context = {
        "member": member,
        "year": year,
        "cases": AidCase.objects.filter(member=member).select_related("round").order_by("-created_at"),
        "visits": CareVisit.objects.filter(member=member),
        "benefits": Benefit.objects.filter(member=member),
        "ledger": selectors.member_ledger(member, year),
    }
    return render(request, "welfare/member_overview.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@mfa_first
def coming_month(request):
    """Next month's birthdays and retirements, and their benefits recorded in one go."""
    branch = _officer_branch_or_404(request)
    birthdays = selectors.coming_birthdays(branch)
    retirements = selectors.coming_retirements(branch)
    kind = request.POST.get("kind", "birthday")
    candidates = birthdays if kind == "birthday" else retirements
    form = BulkBenefitForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["members"])
        items = [(row["member"], row["date"]) for row in candidates if row["member"].pk in chosen]
        try:
            recorded = services.benefits_record_many(
                actor=request.user,
                branch=branch,
                items=items,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                payment_form=form.cleaned_data["payment_form"],
                gift=form.cleaned_data["gift"],
            )
        except (services.WelfareError, ValidationError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已记录 %(count)s 人的慰问。") % {"count": len(recorded)})
            return redirect("welfare:coming_month")
    recorded_keys = set(
        Benefit.objects.filter(
            branch=branch, kind__in=["birthday", "retirement"], event_date__gte=timezone.localdate()
        ).values_list("member_id", "kind", "event_date")
    )
    for row in birthdays:
        row["recorded"] = (row["member"].pk, "birthday", row["date"]) in recorded_keys
    for row in retirements:
        row["recorded"] = (row["member"].pk, "retirement", row["date"]) in recorded_keys
    return render(
        request,
        "welfare/coming_month.html",
        {
            "sections": [
                (_("生日"), "birthday", birthdays),
                (_("退休"), "retirement", retirements),
            ],
            "form": form,
        },
    )

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from congress import access, reports, selectors, services
from congress.forms import (
    AssignForm,
    AttendanceForm,
    DeadlineForm,
    DoneForm,
    InputForm,
    InviteForm,
    ProposalFilterForm,
    ProposalForm,
    RateForm,
    ReasonForm,
    ReplyForm,
    ReviewForm,
    SuggestionAnswerForm,
    SuggestionForm,
    SuggestionRouteForm,
    VoteForm,
)
from congress.models import CoSign, Proposal, ProposalCategory, Reply, Suggestion
from congress.services import CongressError
from members.access import member_for, member_or_404
from unionhome.pdf import PdfError

PAGE_SIZE = 20


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def _run(request, proposal, action, success: str):
    try:
        action()
    except CongressError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(proposal.get_absolute_url())


# --- proposals ---------------------------------------------------------------------------


@require_safe
def proposal_list(request):
    branch_id = access.branch_id_or_404(request)
    form = ProposalFilterForm(request.GET or None, branch_id=branch_id)
    proposals = form.filter(selectors.proposal_list_queryset(request.user))
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "congress/proposal_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "collecting": selectors.current_collecting_session(branch_id),
            "is_secretary": access.is_secretary(request.user, branch_id),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def proposal_new(request):
    member = member_or_404(request)
    session = selectors.current_collecting_session(member.branch_id)
    if session is None or not access.is_delegate(member, session.term):
        return render(request, "congress/proposal_closed.html", {"session": session}, status=403)
    form = ProposalForm(request.POST or None, branch_id=member.branch_id)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(user=request.user, session=session, data=form.cleaned_data)
        except CongressError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("草稿已保存。邀请附议人后提交。"))
            return redirect(proposal.get_absolute_url())
    return render(
        request, "congress/proposal_form.html", {"form": form, "session": session, "proposal": None}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def proposal_edit(request, pk):
    proposal = access.proposal_or_404(request, pk, edit=True)
    form = ProposalForm(request.POST or None, instance=proposal, branch_id=proposal.session.term.branch_id)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.PROPOSAL_FIELDS}
        proposal = Proposal.objects.get(pk=pk)
        try:
            services.proposal_update(user=request.user, proposal=proposal, data=data)
        except CongressError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("提案已保存。"))
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "congress/proposal_form.html",
        {"form": form, "session": proposal.session, "proposal": proposal},
    )


@require_safe
def proposal_detail(request, pk):
    return _proposal_page(request, access.proposal_or_404(request, pk))


def _proposal_page(request, proposal, *, rate_form=None):
    """The proposal's page; a refused form comes back bound, its errors next to its fields."""
    user = request.user
    member = member_for(user)
    branch_id = proposal.session.term.branch_id
    is_secretary = access.is_secretary(user, branch_id)
    is_proposer = member is not None and member.pk == proposal.proposer_id
    events = (
        proposal.events.all() if (is_secretary or is_proposer) else proposal.events.filter(is_public=True)
    )
    my_cosign = None
    if member is not None:
        my_cosign = next((c for c in proposal.cosigns.all() if c.member_id == member.pk), None)
    cosigns = list(proposal.cosigns.select_related("member"))
    can_reply = access.can_reply(user, proposal)
    supporting_unit = access.supporting_unit_for(user, proposal)
    replies = Reply.objects.filter(proposal=proposal).select_related("unit", "author")
    if not (is_secretary or can_reply or supporting_unit):
        replies = replies.filter(kind=Reply.Kind.REPLY)
    context = {
        "proposal": proposal,
        "events": events.select_related("actor"),
        "cosigns": cosigns,
        "accepted_cosigns": [c for c in cosigns if c.status == CoSign.Status.ACCEPTED],
        "progress": services.cosign_progress(proposal)
        if proposal.state == Proposal.State.COSIGNING
        else None,
        "replies": replies,
        "verdicts": proposal.verdicts.select_related("member"),
        "co_proposers": proposal.co_proposers.all(),
        "supporting_units": proposal.supporting_units.all(),
        "merged_proposals": proposal.merged_proposals.all(),
        "is_proposer": is_proposer,
        "is_secretary": is_secretary,
        "my_cosign": my_cosign,
        "can_edit": access.can_edit_proposal(user, proposal),
        "can_withdraw": access.can_withdraw_proposal(user, proposal),
        "can_cosign": access.can_cosign(user, proposal)
        and (my_cosign is None or my_cosign.status != CoSign.Status.ACCEPTED),
        "can_reply": can_reply and proposal.state in (Proposal.State.HANDLING, Proposal.State.REPLIED),
        "supporting_unit": supporting_unit if proposal.state == Proposal.State.HANDLING else None,
        "can_rate": access.can_rate_now(user, proposal),
    }
    if context["can_edit"] or (
        is_proposer and proposal.state in (Proposal.State.COSIGNING, Proposal.State.REVIEW)
    ):
        context["invite_form"] = InviteForm(proposal=proposal)
    if is_secretary:
        if proposal.state in (Proposal.State.COSIGNING, Proposal.State.REVIEW):
            context["review_form"] = ReviewForm(proposal=proposal)
        if proposal.state == Proposal.State.ACCEPTED:
            context["assign_form"] = AssignForm(branch_id=branch_id)
        if proposal.state == Proposal.State.HANDLING:
            context["deadline_form"] = DeadlineForm()
        if proposal.lead_unit_id and proposal.state in (
            Proposal.State.HANDLING,
            Proposal.State.REPLIED,
            Proposal.State.CLOSED,
        ):
            context["reopen_form"] = ReasonForm()
    if context["can_reply"]:
        context["reply_form"] = ReplyForm()
        if proposal.state == Proposal.State.REPLIED:
            rated = services.proposer_has_rated(proposal)
            context["rated"] = rated
            context["rating_ends_on"] = services.rating_ends_on(proposal)
            if rated or is_secretary:
                context["done_form"] = DoneForm()
    if context["supporting_unit"]:
        context["input_form"] = InputForm()
    if context["can_rate"]:
        context["rate_form"] = rate_form or RateForm()
    return render(request, "congress/proposal_detail.html", context)


@require_POST
def proposal_submit(request, pk):
    proposal = access.proposal_or_404(request, pk)
    form = InviteForm(request.POST, proposal=proposal)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(proposal.get_absolute_url())
    invitees = list(form.cleaned_data["invitees"])
    return _run(
        request,
        proposal,
        lambda: services.proposal_submit(user=request.user, proposal=proposal, invitees=invitees),
        _("提案已提交。"),
    )


@require_POST
def proposal_invite(request, pk):
    proposal = access.proposal_or_404(request, pk)
    form = InviteForm(request.POST, proposal=proposal)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(proposal.get_absolute_url())
    invitees = list(form.cleaned_data["invitees"])
    return _run(
        request,
        proposal,
        lambda: services.cosign_invite(user=request.user, proposal=proposal, invitees=invitees),
        _("已发出附议邀请。"),
    )


@require_POST
def proposal_withdraw(request, pk):
    proposal = access.proposal_or_404(request, pk)
    return _run(
        request,
        proposal,
        lambda: services.proposal_withdraw(user=request.user, proposal=proposal),
        _("提案已撤销。"),
    )


@require_POST
def proposal_cosign(request, pk):
    proposal = access.proposal_or_404(request, pk)
    return _run(
        request,
        proposal,
        lambda: services.cosign_accept(user=request.user, proposal=proposal),
        _("您已附议。"),
    )


@require_POST
def proposal_decline(request, pk):
    proposal = access.proposal_or_404(request, pk)
    return _run(
        request,
        proposal,
        lambda: services.cosign_decline(user=request.user, proposal=proposal),
        _("您已谢绝附议。"),
    )


@require_POST
def proposal_review(request, pk):
    proposal = access.proposal_or_404(request, pk, manage=True)
    form = ReviewForm(request.POST, proposal=proposal)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(proposal.get_absolute_url())
    data = form.cleaned_data
    user, reasons = request.user, data["reasons"]
    actions = {
        "accept": lambda: services.proposal_accept(
            user=user, proposal=proposal, reasons=reasons, follower=data["follower"]
        ),
        "merge": lambda: services.proposal_merge(
            user=user, proposal=proposal, into=data["merge_into"], reasons=reasons
        ),
        "convert": lambda: services.proposal_convert(user=user, proposal=proposal, reasons=reasons),
        "return": lambda: services.proposal_return(user=user, proposal=proposal, reasons=reasons),
        "reject": lambda: services.proposal_reject(user=user, proposal=proposal, reasons=reasons),
    }
    return _run(request, proposal, actions[data["action"]], _("审查结论已记录。"))


@require_POST
def proposal_assign(request, pk):
    proposal = access.proposal_or_404(request, pk, manage=True)
    form = AssignForm(request.POST, branch_id=proposal.session.term.branch_id)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(proposal.get_absolute_url())
    data = form.cleaned_data
    return _run(
        request,
        proposal,
        lambda: services.proposal_assign(
            user=request.user,
            proposal=proposal,
            lead_unit=data["lead_unit"],
            supporting_units=list(data["supporting_units"]),
            deadline=data["deadline"],
        ),
        _("提案已交办。"),
    )


@require_POST
def proposal_extend(request, pk):
    proposal = access.proposal_or_404(request, pk, manage=True)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(proposal.get_absolute_url())
    return _run(
        request,
        proposal,
        lambda: services.proposal_extend_deadline(
            user=request.user, proposal=proposal, deadline=form.cleaned_data["deadline"]
        ),
        _("答复期限已延长。"),
    )


@require_POST
def proposal_reopen(request, pk):
    proposal = access.proposal_or_404(request, pk, manage=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(proposal.get_absolute_url())
    return _run(
        request,
        proposal,
        lambda: services.proposal_reopen(
            user=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
        ),
        _("已要求重新办理。"),
    )


@require_POST
def proposal_reply(request, pk):
    proposal = access.proposal_or_404(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(proposal.get_absolute_url())
    data = form.cleaned_data
    return _run(
        request,
        proposal,
        lambda: services.reply_submit(
            user=request.user,
            proposal=proposal,
            body=data["body"],
            grade=data["grade"],
            completion_date=data["completion_date"],
        ),
        _("答复已提交。"),
    )


@require_POST
def proposal_input(request, pk):
    proposal = access.proposal_or_404(request, pk)
    form = InputForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(proposal.get_absolute_url())
    return _run(
        request,
        proposal,
        lambda: services.reply_input(user=request.user, proposal=proposal, body=form.cleaned_data["body"]),
        _("协办意见已提交给主办单位。"),
    )


@require_POST
def proposal_done(request, pk):
    proposal = access.proposal_or_404(request, pk)
    form = DoneForm(request.POST)
    form.is_valid()
    return _run(
        request,
        proposal,
        lambda: services.proposal_report_done(
            user=request.user, proposal=proposal, reason=form.cleaned_data.get("reason", "")
        ),
        _("提案已办结。"),
    )


@require_POST
def proposal_rate(request, pk):
    proposal = access.proposal_or_404(request, pk)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.verdict_record(
                user=request.user,
                proposal=proposal,
                rating=form.cleaned_data["rating"],
                reason=form.cleaned_data["reason"],
            )
        except CongressError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("评价已提交。"))
            return redirect(proposal.get_absolute_url())
    # Refused: the same page with the member's choice kept and the reason next to the field.
    return _proposal_page(request, proposal, rate_form=form)


# --- suggestions -------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def suggestion_new(request):
    member_or_404(request)
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = services.suggestion_submit(user=request.user, **form.cleaned_data)
        except CongressError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("意见建议已提交，教代会秘书会尽快处理。"))
            return redirect("congress:suggestion_detail", pk=suggestion.pk)
    return render(request, "congress/suggestion_form.html", {"form": form})


@require_safe
def suggestion_list(request):
    """My suggestions; the branch's, for secretaries and delegates (who may take one up)."""
    member_or_404(request)
    suggestions = Suggestion.objects.visible_to(request.user).select_related("author", "unit")
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "congress/suggestion_list.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
def suggestion_detail(request, pk):
    suggestion = access.suggestion_or_404(request, pk, manage=request.method == "POST")
    is_secretary = access.is_secretary(request.user, suggestion.branch_id)
    answer_form = SuggestionAnswerForm(request.POST if request.POST.get("action") == "answer" else None)
    route_form = SuggestionRouteForm(
        request.POST if request.POST.get("action") == "route" else None, branch_id=suggestion.branch_id
    )
    if request.method == "POST":
        form = answer_form if request.POST.get("action") == "answer" else route_form
        if form.is_valid():
            try:
                if form is answer_form:
                    services.suggestion_answer(user=request.user, suggestion=suggestion, **form.cleaned_data)
                else:
                    services.suggestion_route(user=request.user, suggestion=suggestion, **form.cleaned_data)
            except CongressError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("已处理。"))
                return redirect("congress:suggestion_detail", pk=suggestion.pk)
    member = member_for(request.user)
    session = selectors.current_collecting_session(suggestion.branch_id)
    can_take_up = (
        suggestion.state != Suggestion.State.TAKEN_UP
        and session is not None
        and access.is_delegate(member, session.term)
    )
    return render(
        request,
        "congress/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "is_secretary": is_secretary,
            "answer_form": answer_form,
            "route_form": route_form,
            "can_take_up": can_take_up,
            "proposals": suggestion.proposals.submitted(),
        },
    )


@require_POST
def suggestion_take_up(request, pk):
    """A delegate takes the suggestion up: a draft proposal linked to it, opened for editing."""
    suggestion = access.suggestion_or_404(request, pk)
    session = access.collecting_delegate_or_403(
        request, suggestion.branch_id, message=_("只有本届代表可以在征集期内把意见建议转为提案。")
    )
    category = ProposalCategory.objects.filter(is_active=True).first()
    if category is None:
        messages.error(request, _("还没有可用的提案类别，请联系教代会秘书。"))
        return redirect("congress:suggestion_detail", pk=pk)
    data = {
        "title": suggestion.title,
        "reasons": suggestion.body,
        "measures": suggestion.body,
        "category": category,
    }
    try:
        proposal = services.suggestion_take_up(
            user=request.user, suggestion=suggestion, session=session, data=data
        )
    except CongressError as error:
        messages.error(request, str(error))
        return redirect("congress:suggestion_detail", pk=pk)
    messages.success(request, _("已转为提案草稿，请完善后提交。"))
    return redirect("congress:proposal_edit", pk=proposal.pk)


# --- sessions, figures, PDFs -------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def session_detail(request, pk):
    session = access.session_or_404(request, pk, manage=request.method == "POST")
    branch_id = session.term.branch_id
    is_secretary = access.is_secretary(request.user, branch_id)
    action = request.POST.get("action")
    attendance_form = AttendanceForm(
        request.POST if action == "attendance" else None,
        session=session,
        initial={"present": list(session.attendances.values_list("member_id", flat=True))},
    )
    vote_form = VoteForm(request.POST if action == "vote" else None)
    if request.method == "POST":
        if action == "open":
            try:
                services.session_open(user=request.user, session=session)
            except CongressError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("已开会：应到代表人数、法定人数和通过所需票数已确定。"))
            return redirect(session.get_absolute_url())
        form = attendance_form if action == "attendance" else vote_form
        if form.is_valid():
            try:
                if form is attendance_form:
                    services.attendance_record(
                        user=request.user, session=session, members=list(form.cleaned_data["present"])
                    )
                else:
                    services.vote_record(user=request.user, session=session, **form.cleaned_data)
            except CongressError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("已记录。"))
                return redirect(session.get_absolute_url())
    figures = selectors.session_figures(session)
    proposals = selectors.proposal_list_queryset(request.user).filter(session=session)
    return render(
        request,
        "congress/session_detail.html",
        {
            "session": session,
            "quorum": figures["quorum"],
            "votes": figures["votes"],
            "proposals": proposals,
            "is_secretary": is_secretary,
            "attendance_form": attendance_form if is_secretary else None,
            "vote_form": vote_form if is_secretary else None,
            "figures": figures,
        },
    )


@require_safe
def stats(request):
    branch_id = access.branch_id_or_404(request)
    sessions = selectors.sessions_of_branch(branch_id)
    return render(
        request,
        "congress/stats.html",
        {"figures": [selectors.session_figures(session) for session in sessions]},
    )


def _pdf_response(request, session, kind):
    try:
        return reports.pdf_response(request, session, kind)
    except PdfError as error:
        return render(
            request, "congress/pdf_error.html", {"session": session, "error": str(error)}, status=503
        )


@require_safe
def session_compilation_pdf(request, pk):
    return _pdf_response(request, access.session_or_404(request, pk, manage=True), reports.COMPILATION)


@require_safe
def session_report_pdf(request, pk):
    return _pdf_response(request, access.session_or_404(request, pk, manage=True), reports.REPORT)

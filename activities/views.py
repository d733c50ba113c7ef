from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from activities import access, selectors, services
from activities.forms import ActivityFilterForm, AttendanceForm, ClubActivityForm, ParticipationPeriodForm
from activities.ical import ics_bytes
from activities.models import Activity, Club, Registration
from activities.participation import member_dataset, participation_report, report_databook
from members.access import branch_id_for, member_for, member_or_404
from unionhome.exports import spreadsheet_response

PAGE_SIZE = 12


# --- activities --------------------------------------------------------------------------


@require_safe
def activity_list(request):
    clubs = Club.objects.visible_to(request.user).active()
    form = ActivityFilterForm(request.GET, clubs=clubs, member=member_for(request.user))
    activities = selectors.activity_list(request.user, form.filter)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "now": timezone.now(),
        "can_view_participation": access.can_view_participation(request.user, branch_id_for(request.user)),
    }
    return render(request, "activities/activity_list.html", context)


@require_safe
def activity_detail(request, pk):
    activity = access.activity_or_404(request.user, pk)
    member = member_for(request.user)
    registration = selectors.registration_of(member, activity)
    position = registration.position if registration is not None else None
    context = {
        "activity": activity,
        "registration": registration,
        "step": activity.next_step_for(member, registration, position),
        "results": activity.results.all(),
        "can_take_attendance": access.can_take_attendance(request.user, activity),
        "can_plan": activity.club is not None
        and access.can_plan_club_activities(request.user, activity.club),
        "can_manage": access.can_manage_activities(request.user, activity.branch_id),
    }
    return render(request, "activities/activity_detail.html", context)


@require_POST
def activity_signup(request, pk):
    activity = access.activity_or_404(request.user, pk)
    member = member_or_404(request)
    try:
        registration = services.registration_create(activity=activity, member=member, actor=request.user)
    except services.AlreadyRegistered as error:
        messages.info(request, str(error))
    except services.ActivityError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request,
                _("报名成功！活动开始时间：%(when)s。")
                % {"when": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")},
            )
        else:
            messages.warning(
                request,
                _("名额已满，您已进入候补名单，第 %(position)s 位。有人取消时按顺序递补，并会通知您。")
                % {"position": registration.waitlist_position()},
            )
    return redirect(activity)


@require_POST
def activity_cancel(request, pk):
    activity = access.activity_or_404(request.user, pk)
    member = member_or_404(request)
    registration = selectors.registration_of(member, activity)
    if registration is None:
        messages.info(request, _("您还没有报名这个活动。"))
        return redirect(activity)
    was_waiting = registration.status == Registration.Status.WAITLISTED
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except services.ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已退出候补。") if was_waiting else _("已取消报名，名额已让给其他会员。"))
    return redirect(activity)


def club_activity_new(request, pk):
    club = access.club_or_404(request.user, pk)
    access.require(access.can_plan_club_activities(request.user, club))
    form = ClubActivityForm(request.POST or None, instance=Activity(), club=club)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.activity_create(
                activity=form.save(commit=False),
                audience_groups=form.cleaned_data["audience_groups"],
                actor=request.user,
            )
        except services.ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("活动“%(title)s”已保存。") % {"title": saved.title})
            return redirect(saved)
    return render(request, "activities/activity_form.html", {"form": form, "club": club, "activity": None})


def activity_edit(request, pk):
    """The leader's (or an officer's) form for one of the club's activities."""
    activity = access.activity_or_404(request.user, pk)
    if activity.club is None:
        raise Http404(_("分工会主办的活动请在管理后台编辑。"))
    access.require(access.can_plan_club_activities(request.user, activity.club))
    form = ClubActivityForm(request.POST or None, instance=activity, club=activity.club)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.activity_update(
                activity=activity,
                changes=form.changes(),
                audience_groups=form.cleaned_data["audience_groups"],
                version=form.cleaned_data["version"],
                actor=request.user,
            )
        except services.ActivityChanged as error:
            # The second writer sees the new values, with what happened; nothing was written.
            messages.error(request, str(error))
            activity = access.activity_or_404(request.user, pk)
            form = ClubActivityForm(instance=activity, club=activity.club)
        except services.ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("活动“%(title)s”已保存。") % {"title": saved.title})
            return redirect(saved)
    return render(
        request, "activities/activity_form.html", {"form": form, "club": activity.club, "activity": activity}
    )


def _ics_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def activity_ics(request, pk):
    activity = access.activity_or_404(request.user, pk)
    return _ics_response(
        ics_bytes([activity], name=activity.title, request=request),
        f"activity-{activity.pk}.ics",
        attachment=True,
    )


@require_safe
def activity_sheet(request, pk):
    """The printable sign-in sheet (A4), with the attendance form for officers and the club leader."""
    return _sheet(request, pk)


@require_POST
def activity_attendance(request, pk):
    return _sheet(request, pk)


def _sheet(request, pk):
    activity = access.activity_or_404(request.user, pk)
    access.require(access.can_take_attendance(request.user, activity))
    registrations = selectors.confirmed_for_sheet(activity)
    form = AttendanceForm(request.POST or None, registrations=registrations)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.attendance_mark(activity=activity, marks=form.marks(), actor=request.user)
            except services.ActivityError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("出勤已保存，%(count)s 人有变化。") % {"count": changed})
                return redirect("activities:sheet", pk=activity.pk)
        else:
            messages.error(request, _("出勤登记有误，请检查后再保存。"))
    waitlist = selectors.waitlist_for_sheet(activity)
    context = {
        "activity": activity,
        "form": form,
        "waitlist": waitlist,
        "attendance_reason": activity.attendance_reason(timezone.now()),
        "counts": {
            value: sum(1 for registration in registrations if registration.attendance == value)
            for value in Registration.Attendance.values
        },
    }
    return render(request, "activities/sheet.html", context)


# --- participation -----------------------------------------------------------------------


@require_safe
def participation(request):
    branch = access.participation_branch(request.user, request.GET.get("branch"))
    today = timezone.localdate()
    data = request.GET if "start" in request.GET else {"start": date(today.year, 1, 1), "end": today}
    form = ParticipationPeriodForm(data)
    report = None
    if form.is_valid():
        start, end = form.period()
        report = participation_report(branch=branch, start=start, end=end)
    export = request.GET.get("export")
    if report is not None and export in ("csv", "xlsx"):
        stamp = f"{form.cleaned_data['start']:%Y%m%d}-{form.cleaned_data['end']:%Y%m%d}"
        data = member_dataset(report) if export == "csv" else report_databook(report)
        return spreadsheet_response(data, fmt=export, filename=f"participation-{stamp}")
    presets = [
        (_("今年"), date(today.year, 1, 1), today),
        (_("去年"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        (_("近 12 个月"), today - timedelta(days=365), today),
    ]
    return render(
        request,
        "activities/participation.html",
        {"form": form, "report": report, "branch": branch, "presets": presets},
    )


# --- clubs -------------------------------------------------------------------------------


@require_safe
def club_list(request):
    return render(
        request, "activities/club_list.html", {"clubs": selectors.club_list(request.user), "kinds": Club.Kind}
    )


@require_safe
def club_detail(request, pk):
    club = access.club_or_404(request.user, pk)
    member = member_for(request.user)
    can_plan = access.can_plan_club_activities(request.user, club)
    context = {
        "club": club,
        "is_member": selectors.is_club_member(member, club),
        "is_leader": access.leads(request.user, club),
        "member_count": club.memberships.count(),
        "upcoming": selectors.club_upcoming(request.user, club),
        "past": selectors.club_past(club),
        "results": selectors.club_results(club),
        "roster": selectors.club_roster(club) if access.can_see_roster(request.user, club) else None,
        "can_plan": can_plan,
        "drafts": selectors.club_drafts(club) if can_plan else [],
    }
    return render(request, "activities/club_detail.html", context)


@require_POST
def club_join(request, pk):
    club = access.club_or_404(request.user, pk)
    member = member_or_404(request)
    try:
        services.club_join(club=club, member=member, actor=request.user)
    except services.ClubError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("欢迎加入“%(club)s”！") % {"club": club.name})
    return redirect(club)


@require_POST
def club_leave(request, pk):
    club = access.club_or_404(request.user, pk)
    member = member_or_404(request)
    try:
        services.club_leave(club=club, member=member, actor=request.user)
    except services.ClubError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已退出“%(club)s”。") % {"club": club.name})
    return redirect(club)


# --- calendar feeds ----------------------------------------------------------------------


@login_not_required
@never_cache
@require_safe
def my_calendar(request):
    """The personal feed: authenticated by its secret token only (calendar apps have no session)."""
    feed = access.calendar_feed_or_404(request.GET.get("token", ""))
    activities = selectors.feed_activities(feed.member)
    name = _("%(name)s的工会活动") % {"name": feed.member.name}
    return _ics_response(ics_bytes(activities, name=name, request=request), "unionhome.ics", attachment=False)


@require_POST
def calendar_reset(request):
    """Make the feed address (first time) or a new one (the old one stops working): POST only."""
    member = member_or_404(request)
    had_one = selectors.calendar_feed_of(member) is not None
    services.calendar_token_reset(member=member, actor=request.user)
    if had_one:
        messages.success(request, _("日历订阅地址已重置，旧地址已失效；请在日历应用里换成新地址。"))
    else:
        messages.success(request, _("日历订阅地址已生成，请把它添加到日历应用。"))
    return redirect(reverse("members:me") + "#calendar")

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from activities import services
from activities.forms import ActivityFilterForm, AttendanceForm, ClubActivityForm, ParticipationPeriodForm
from activities.ical import ics_bytes
from activities.models import (
    Activity,
    ActivityResult,
    CalendarFeed,
    Club,
    ClubMembership,
    Registration,
    can_manage_activities,
    member_of,
)
from activities.participation import member_dataset, participation_report, report_databook
from members.models import Branch, branch_of
from members.views import current_member_or_404

PAGE_SIZE = 12


# --- access helpers: 404 for what the user may not see --------------------------------------


def activity_visible_or_404(request, pk) -> Activity:
    queryset = (
        Activity.objects.visible_to(request.user)
        .select_related("club__leader", "branch")
        .prefetch_related("audience_groups")
    )
    return get_object_or_404(queryset, pk=pk)


def club_visible_or_404(request, pk) -> Club:
    return get_object_or_404(Club.objects.visible_to(request.user).select_related("leader"), pk=pk)


# --- activities --------------------------------------------------------------------------


@require_safe
def activity_list(request):
    member = member_of(request.user)
    clubs = Club.objects.visible_to(request.user).active()
    form = ActivityFilterForm(request.GET, clubs=clubs, member=member)
    activities = (
        form.filter(Activity.objects.visible_to(request.user).listed())
        .select_related("club", "branch")
        .prefetch_related("audience_groups")
        .with_member_status(member)
        .upcoming_first()
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "activities/activity_list.html", {"form": form, "page": page, "now": timezone.now()}
    )


@require_safe
def activity_detail(request, pk):
    activity = activity_visible_or_404(request, pk)
    member = member_of(request.user)
    registration = None
    position = None
    if member is not None:
        registration = Registration.objects.filter(activity=activity, member=member).first()
        if registration is not None:
            position = registration.waitlist_position()
    context = {
        "activity": activity,
        "registration": registration,
        "step": activity.next_step_for(member, registration, position),
        "results": activity.results.all(),
        "can_take_attendance": services.can_take_attendance(request.user, activity),
        "can_plan": activity.club is not None
        and services.can_plan_club_activities(request.user, activity.club),
        "can_manage": can_manage_activities(request.user, activity.branch_id),
    }
    return render(request, "activities/activity_detail.html", context)


@require_POST
def activity_signup(request, pk):
    activity = activity_visible_or_404(request, pk)
    member = current_member_or_404(request)
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
    activity = activity_visible_or_404(request, pk)
    member = current_member_or_404(request)
    registration = Registration.objects.filter(activity=activity, member=member).first()
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
    club = club_visible_or_404(request, pk)
    return _plan_club_activity(request, club, Activity())


def activity_edit(request, pk):
    activity = activity_visible_or_404(request, pk)
    if activity.club is None:
        raise Http404(_("分工会主办的活动请在管理后台编辑。"))
    return _plan_club_activity(request, activity.club, activity)


def _plan_club_activity(request, club, activity):
    """The leader's (or an officer's) form for one of the club's activities; nothing is half-saved."""
    if not services.can_plan_club_activities(request.user, club):
        raise PermissionDenied
    form = ClubActivityForm(request.POST or None, instance=activity, club=club)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.activity_save(
                    activity=form.save(commit=False), actor=request.user, changed=form.changed_data
                )
                form.save_m2m()
        except services.ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("活动“%(title)s”已保存。") % {"title": saved.title})
            return redirect(saved)
    return render(
        request, "activities/activity_form.html", {"form": form, "club": club, "activity": activity}
    )


def _ics_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def activity_ics(request, pk):
    activity = activity_visible_or_404(request, pk)
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
    activity = activity_visible_or_404(request, pk)
    if not services.can_take_attendance(request.user, activity):
        raise PermissionDenied
    registrations = list(
        activity.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("member__union_group", "member__department")
        .order_by("member__union_group__sort_order", "member__union_group__name", "member__staff_number")
    )
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
    waitlist = list(activity.registrations.waitlist().select_related("member__union_group"))
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
    if not request.user.has_perm("activities.view_participation"):
        raise PermissionDenied
    branch = branch_of(request.user)
    if branch is None:
        if not request.user.is_superuser:
            raise PermissionDenied
        branch = Branch.objects.filter(pk=request.GET.get("branch") or 0).first() or Branch.objects.first()
        if branch is None:
            raise Http404(_("还没有分工会。"))
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
        if export == "csv":
            content = member_dataset(report).export("csv").encode("utf-8-sig")  # BOM: Excel reads it as UTF-8
            content_type = "text/csv; charset=utf-8"
        else:
            content = report_databook(report).export("xlsx")
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="participation-{stamp}.{export}"'
        return response
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


def _next_activity(field):
    return Subquery(
        Activity.objects.listed()
        .filter(club=OuterRef("pk"), starts_at__gte=timezone.now())
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("starts_at")
        .values(field)[:1]
    )


@require_safe
def club_list(request):
    member = member_of(request.user)
    clubs = (
        Club.objects.visible_to(request.user)
        .active()
        .select_related("leader")
        .annotate(
            n_members=Count("memberships", distinct=True),
            is_mine=Exists(ClubMembership.objects.filter(club=OuterRef("pk"), member=member)),
            next_pk=_next_activity("pk"),
            next_title=_next_activity("title"),
            next_starts_at=_next_activity("starts_at"),
        )
        .in_kind_order()
    )
    return render(request, "activities/club_list.html", {"clubs": clubs, "kinds": Club.Kind})


@require_safe
def club_detail(request, pk):
    club = club_visible_or_404(request, pk)
    member = member_of(request.user)
    is_member = member is not None and ClubMembership.objects.filter(club=club, member=member).exists()
    can_manage = can_manage_activities(request.user, club.branch_id)
    is_leader = member is not None and club.leader_id == member.pk
    now = timezone.now()
    upcoming = (
        Activity.objects.visible_to(request.user)
        .listed()
        .filter(club=club, ends_at__gte=now)
        .select_related("club", "branch")
        .prefetch_related("audience_groups")
        .with_member_status(member)
        .order_by("starts_at")
    )
    results = (
        ActivityResult.objects.filter(activity__club=club)
        .exclude(activity__status__in=[Activity.Status.DRAFT, Activity.Status.CANCELLED])
        .select_related("activity")
        .order_by("-activity__starts_at", "sort_order", "pk")
    )
    past = (
        Activity.objects.listed()
        .filter(club=club, ends_at__lt=now)
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("-starts_at")[:10]
    )
    can_plan = can_manage or is_leader
    drafts = (
        Activity.objects.filter(club=club, status=Activity.Status.DRAFT).order_by("starts_at")
        if can_plan
        else Activity.objects.none()
    )
    roster = None
    if can_manage or is_leader:
        roster = club.memberships.select_related("member__union_group").order_by("joined_on", "pk")
    context = {
        "club": club,
        "is_member": is_member,
        "is_leader": is_leader,
        "member_count": club.memberships.count(),
        "upcoming": upcoming,
        "past": past,
        "results": results,
        "roster": roster,
        "can_plan": can_plan,
        "drafts": drafts,
    }
    return render(request, "activities/club_detail.html", context)


@require_POST
def club_join(request, pk):
    club = club_visible_or_404(request, pk)
    member = current_member_or_404(request)
    try:
        services.club_join(club=club, member=member, actor=request.user)
    except services.ClubError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("欢迎加入“%(club)s”！") % {"club": club.name})
    return redirect(club)


@require_POST
def club_leave(request, pk):
    club = club_visible_or_404(request, pk)
    member = current_member_or_404(request)
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
    token = request.GET.get("token", "")
    feed = CalendarFeed.objects.select_related("member").filter(token=token).first() if token else None
    if feed is None:
        raise Http404
    since = timezone.now() - timedelta(days=365)
    activities = (
        Activity.objects.listed()
        .filter(
            registrations__member=feed.member,
            registrations__status=Registration.Status.CONFIRMED,
            starts_at__gte=since,
        )
        .select_related("club")
        .order_by("starts_at")
    )
    name = _("%(name)s的工会活动") % {"name": feed.member.name}
    return _ics_response(ics_bytes(activities, name=name, request=request), "unionhome.ics", attachment=False)


@require_POST
def calendar_reset(request):
    member = current_member_or_404(request)
    services.calendar_token_reset(member=member, actor=request.user)
    messages.success(request, _("日历订阅地址已重置，旧地址已失效；请在日历应用里换成新地址。"))
    return redirect(reverse("members:me") + "#calendar")


# --- sections on / and /me/ ----------------------------------------------------------------


def upcoming_for(user, limit=5):
    member = member_of(user)
    return list(
        Activity.objects.visible_to(user)
        .published()
        .upcoming()
        .select_related("club", "branch")
        .prefetch_related("audience_groups")
        .with_member_status(member)
        .order_by("starts_at", "pk")[:limit]
    )


def my_registrations(member, *, upcoming_only: bool, limit: int):
    queryset = (
        Registration.objects.filter(member=member)
        .exclude(activity__status=Activity.Status.DRAFT)
        .select_related("activity__club")
        .with_position()
    )
    now = timezone.now()
    if upcoming_only:
        return list(
            queryset.active().filter(activity__ends_at__gte=now).order_by("activity__starts_at")[:limit]
        )
    # Upcoming ones first (soonest first), then the last half year's (most recent first).
    recent = list(
        queryset.filter(activity__ends_at__gte=now - timedelta(days=180)).order_by("-activity__starts_at")[
            :limit
        ]
    )
    upcoming = sorted((r for r in recent if r.activity.ends_at >= now), key=lambda r: r.activity.starts_at)
    return upcoming + [r for r in recent if r.activity.ends_at < now]


def my_clubs(member):
    return list(ClubMembership.objects.filter(member=member).select_related("club").order_by("club__name"))

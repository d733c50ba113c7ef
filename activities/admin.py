"""Officers' screens for clubs, activities and registrations.

Registrations are never edited field by field: sign-up on behalf, moving between the waitlist
and confirmed, cancelling and attendance all go through activities.services, so the seat
counter and the waitlist order stay right.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from activities import access, services
from activities.forms import EARLIEST_DAY, LATEST_DAY, ActivityAdminForm, RegisterForMemberForm
from activities.models import Activity, ActivityResult, Club, ClubMembership, Registration
from activities.resources import RegistrationResource
from members.access import in_branch_of
from members.admin_scope import BranchScopedAdminMixin, BranchScopedInlineMixin
from unionhome.admin_refusals import ServiceDeleteAdminMixin, ServiceRefusalAdminMixin


class DatesInRangeChangeList(ChangeList):
    """The date hierarchy accepts the years the portal's forms accept (1900–2999).

    Without it, ?starts_at__year=1 is a 500 on SQLite (out of range in UTC) and an empty list
    on PostgreSQL; refused, it reloads the list with ?e=1 on both, like any bad filter.
    """

    def get_filters(self, request):
        year = self.params.get(f"{self.date_hierarchy}__year") if self.date_hierarchy else None
        if year is not None:
            value = year[-1] if isinstance(year, list) else year
            if not (value.isdigit() and EARLIEST_DAY.year <= int(value) < LATEST_DAY.year):
                raise IncorrectLookupParameters(f"year out of range: {value!r}")
        return super().get_filters(request)


def _report(modeladmin, request, problems, done, done_message):
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for name, error in problems:
        modeladmin.message_user(
            request, _("%(name)s：%(error)s") % {"name": name, "error": error}, messages.ERROR
        )


class ClubMembershipForm(forms.ModelForm):
    """A new row names the member who joins; an existing row can only be removed (退出)."""

    class Meta:
        model = ClubMembership
        fields = ["member"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["member"].disabled = True


class ClubMembershipInline(BranchScopedInlineMixin, admin.TabularInline):
    """Joining and leaving go through activities.services (club_join / club_leave), with audit entries."""

    model = ClubMembership
    form = ClubMembershipForm
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "joined_on"]
    readonly_fields = ["joined_on"]


@admin.register(Club)
class ClubAdmin(ServiceRefusalAdminMixin, ServiceDeleteAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "leader", "member_count", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["leader"]
    inlines = [ClubMembershipInline]
    fields = ["branch", "name", "kind", "description", "leader", "is_active"]
    delete_service = services.club_delete
    service_argument = "club"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("leader").annotate(n_members=Count("memberships"))

    @admin.display(description=gettext_lazy("成员数"), ordering="n_members")
    def member_count(self, club):
        return club.n_members

    def save_model(self, request, obj, form, change):
        services.club_save(club=obj, actor=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        club = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk:
                services.club_leave(club=club, member=row.instance.member, actor=request.user)
                formset.deleted_objects.append(row.instance)
        for row in formset.extra_forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            membership = services.club_join(club=club, member=row.cleaned_data["member"], actor=request.user)
            formset.new_objects.append(membership)
        return None


class ActivityResultInline(BranchScopedInlineMixin, admin.TabularInline):
    """Added, changed and removed through activities.services (activity_result_save/_delete), audited."""

    model = ActivityResult
    extra = 0
    fields = ["event", "award", "winners", "sort_order"]


@admin.register(Activity)
class ActivityAdmin(
    ServiceRefusalAdminMixin, ServiceDeleteAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin
):
    """Status changes: the 状态 field (checked by activities.services) or the list's actions."""

    form = ActivityAdminForm
    list_display = ["title", "club", "starts_at", "status", "capacity", "confirmed_count", "waitlisted"]
    list_filter = ["status", "category", ("club", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"

    def get_changelist(self, request, **kwargs):
        return DatesInRangeChangeList

    list_select_related = ["club"]
    delete_service = services.activity_delete
    service_argument = "activity"
    inlines = [ActivityResultInline]
    actions = ["publish", "cancel_activities", "finish"]
    readonly_fields = ["confirmed_count", "officer_links"]
    fieldsets = [
        (None, {"fields": ["branch", "club", "title", "category", "description", "status", "version"]}),
        (gettext_lazy("时间与地点"), {"fields": ["starts_at", "ends_at", "place"]}),
        (
            gettext_lazy("报名"),
            {
                "fields": [
                    "audience",
                    "audience_groups",
                    "capacity",
                    "confirmed_count",
                    "signup_opens_at",
                    "signup_closes_at",
                    "cancel_deadline",
                    "officer_links",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_waitlisted=Count(
                    "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
                )
            )
        )

    @admin.display(description=gettext_lazy("候补"), ordering="n_waitlisted")
    def waitlisted(self, activity):
        return activity.n_waitlisted

    @admin.display(description=gettext_lazy("报名管理"))
    def officer_links(self, activity):
        if not activity.pk:
            return "—"
        links = [
            (reverse("admin:activities_registration_changelist") + f"?activity={activity.pk}", _("报名名单")),
            (reverse("admin:activities_activity_register", args=[activity.pk]), _("代会员报名")),
            (reverse("activities:sheet", args=[activity.pk]), _("签到表与出勤")),
            (reverse("admin:activities_registration_export") + f"?activity={activity.pk}", _("导出报名名单")),
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def save_model(self, request, obj, form, change):
        groups = form.cleaned_data.get("audience_groups") or []
        if change:
            services.activity_update(
                activity=obj,
                changes=form.changes(),
                audience_groups=groups,
                version=form.cleaned_data.get("version", ""),
                actor=request.user,
            )
        else:
            services.activity_create(activity=obj, audience_groups=groups, actor=request.user)

    def save_related(self, request, form, formsets, change):
        # The audience groups were saved by the service; only the results' rows remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # fills new/changed/deleted_objects; writes nothing
        for result in formset.deleted_objects:
            services.activity_result_delete(result=result, actor=request.user)
        for result in formset.new_objects:
            services.activity_result_save(result=result, actor=request.user)
        for result, _fields in formset.changed_objects:
            services.activity_result_save(result=result, actor=request.user)
        return None

    def _transition(self, request, queryset, service, done_message):
        done, problems = 0, []
        for activity in queryset.select_related("club"):
            try:
                service(activity=activity, actor=request.user)
            except services.ActivityError as error:
                problems.append((activity.title, error))
            else:
                done += 1
        _report(self, request, problems, done, done_message)

    @admin.action(description=gettext_lazy("发布所选活动"), permissions=["change"])
    def publish(self, request, queryset):
        self._transition(request, queryset, services.activity_publish, _("已发布 %(count)s 个活动。"))

    @admin.action(description=gettext_lazy("取消所选活动（通知已报名的会员）"), permissions=["change"])
    def cancel_activities(self, request, queryset):
        self._transition(
            request, queryset, services.activity_cancel, _("已取消 %(count)s 个活动，已通知报名的会员。")
        )

    @admin.action(description=gettext_lazy("标记为已结束"), permissions=["change"])
    def finish(self, request, queryset):
        self._transition(request, queryset, services.activity_finish, _("%(count)s 个活动已标记为已结束。"))

    def get_urls(self):
        return [
            path(
                "<int:object_id>/register/",
                self.admin_site.admin_view(self.register_view),
                name="activities_activity_register",
            ),
            *super().get_urls(),
        ]

    def register_view(self, request, object_id):
        """Sign a member up on their behalf (members without a phone or computer)."""
        activity = get_object_or_404(self.get_queryset(request), pk=object_id)
        access.require(access.can_register_others(request.user, activity))
        form = RegisterForMemberForm(request.POST or None, activity=activity)
        if request.method == "POST" and form.is_valid():
            member = form.cleaned_data["member"]
            try:
                registration = services.registration_create(
                    activity=activity, member=member, actor=request.user
                )
            except services.ActivityError as error:
                form.add_error("member", str(error))
            else:
                if registration.status == Registration.Status.CONFIRMED:
                    self.message_user(
                        request, _("已为 %(name)s 报名成功。") % {"name": member.name}, messages.SUCCESS
                    )
                else:
                    self.message_user(
                        request,
                        _("名额已满，已为 %(name)s 登记候补，第 %(position)s 位。")
                        % {"name": member.name, "position": registration.waitlist_position()},
                        messages.WARNING,
                    )
                return redirect(
                    reverse("admin:activities_registration_changelist") + f"?activity={activity.pk}"
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("代会员报名：%(title)s") % {"title": activity.title},
            "activity": activity,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "activities/admin/register_for.html", context)


class ActivityListFilter(admin.SimpleListFilter):
    """Activities of the officer's own branch, newest first."""

    title = gettext_lazy("活动")
    parameter_name = "activity"

    def lookups(self, request, model_admin):
        activities = in_branch_of(Activity.objects.order_by("-starts_at"), request.user)
        return [
            (str(activity.pk), f"{activity.starts_at:%Y-%m-%d} {activity.title}")
            for activity in activities[:60]
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit() or len(value) > 9:  # junk or beyond any id: nothing matches
            return queryset.none()
        return queryset.filter(activity_id=int(value))


def _run(modeladmin, request, queryset, call, done_message):
    done, problems = 0, []
    for registration in queryset.select_related("member"):
        try:
            call(registration)
        except services.ActivityError as error:
            problems.append((registration.member.name, error))
        else:
            done += 1
    _report(modeladmin, request, problems, done, done_message)


@admin.register(Registration)
class RegistrationAdmin(ServiceRefusalAdminMixin, BranchScopedAdminMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [RegistrationResource]
    formats = [XLSX, CSV]
    list_display = [
        "member_name",
        "union_group",
        "activity",
        "status",
        "position",
        "attendance",
        "signed_up_at",
    ]
    list_filter = [ActivityListFilter, "status", "attendance"]
    search_fields = ["member__name", "member__staff_number", "activity__title"]
    list_select_related = ["activity", "member__union_group"]
    list_per_page = 100
    actions = ["promote", "demote", "cancel", "mark_present", "mark_absent", "mark_unmarked"]
    readonly_fields = [
        "activity",
        "member",
        "status",
        "queue_number",
        "attendance",
        "registered_by",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "attendance_marked_at",
    ]
    fields = [*readonly_fields, "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_position()

    def has_add_permission(self, request):
        return False  # sign-up on behalf: the activity's "代会员报名" page, through the service

    def has_delete_permission(self, request, obj=None):
        return False  # a deleted row would leave the seat counter wrong; cancel instead

    def save_model(self, request, obj, form, change):
        services.registration_note(registration=obj, note=form.cleaned_data["note"], actor=request.user)

    @admin.display(description=gettext_lazy("会员"), ordering="member__staff_number")
    def member_name(self, registration):
        return str(registration.member)

    @admin.display(description=gettext_lazy("报名时间"), ordering="created_at")
    def signed_up_at(self, registration):
        return timezone.localtime(registration.created_at).strftime("%m-%d %H:%M")

    @admin.display(description=gettext_lazy("工会小组"))
    def union_group(self, registration):
        return registration.member.union_group.name

    @admin.display(description=gettext_lazy("候补位次"), ordering="queue_number")
    def position(self, registration):
        return registration.position if registration.status == Registration.Status.WAITLISTED else "—"

    @admin.action(description=gettext_lazy("转为已报名（需有空位）"), permissions=["change"])
    def promote(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(status=Registration.Status.WAITLISTED).order_by("activity", "queue_number"),
            lambda registration: services.registration_promote(
                activity=registration.activity, registration=registration, actor=request.user
            ),
            _("%(count)s 人已转为已报名。"),
        )

    @admin.action(description=gettext_lazy("移到候补末位（名额给候补第一位）"), permissions=["change"])
    def demote(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda registration: services.registration_demote(registration=registration, actor=request.user),
            _("%(count)s 人已移到候补。"),
        )

    @admin.action(description=gettext_lazy("取消报名（不受取消截止时间限制）"), permissions=["change"])
    def cancel(self, request, queryset):
        _run(
            self,
            request,
            queryset.exclude(status=Registration.Status.CANCELLED),
            lambda registration: services.registration_cancel(registration=registration, actor=request.user),
            _("已取消 %(count)s 条报名。"),
        )

    def _mark(self, request, queryset, value):
        confirmed = queryset.filter(status=Registration.Status.CONFIRMED).select_related("activity__club")
        by_activity = {}
        for registration in confirmed:
            by_activity.setdefault(registration.activity, {})[registration.pk] = value
        skipped = queryset.exclude(status=Registration.Status.CONFIRMED).count()
        for activity, marks in by_activity.items():
            try:
                count = services.attendance_mark(activity=activity, marks=marks, actor=request.user)
            except services.ActivityError as error:
                _report(self, request, [(activity.title, error)], 0, "")
            else:
                self.message_user(
                    request,
                    _("%(title)s：已登记 %(count)s 人。") % {"title": activity.title, "count": count},
                    messages.SUCCESS,
                )
        if skipped:
            self.message_user(
                request, _("%(count)s 条不是已报名状态，未登记出勤。") % {"count": skipped}, messages.WARNING
            )

    @admin.action(description=gettext_lazy("登记为出席"), permissions=["change"])
    def mark_present(self, request, queryset):
        self._mark(request, queryset, Registration.Attendance.PRESENT)

    @admin.action(description=gettext_lazy("登记为缺席"), permissions=["change"])
    def mark_absent(self, request, queryset):
        self._mark(request, queryset, Registration.Attendance.ABSENT)

    @admin.action(description=gettext_lazy("出勤改回未登记"), permissions=["change"])
    def mark_unmarked(self, request, queryset):
        self._mark(request, queryset, Registration.Attendance.UNMARKED)

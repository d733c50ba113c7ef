"""Officers' screens for clubs, activities and registrations.

Registrations are never edited field by field: sign-up on behalf, moving between the waitlist
and confirmed, cancelling and attendance all go through activities.services, so the seat
counter and the waitlist order stay right.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
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

from activities import services
from activities.forms import ActivityAdminForm, RegisterForMemberForm
from activities.models import (
    Activity,
    ActivityResult,
    Club,
    ClubMembership,
    Registration,
    can_manage_activities,
)
from activities.resources import RegistrationResource
from members.admin_scope import BranchScopedAdminMixin, BranchScopedInlineMixin
from members.models import UnionGroup, branch_of


class ClubMembershipInline(BranchScopedInlineMixin, admin.TabularInline):
    model = ClubMembership
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "joined_on"]


@admin.register(Club)
class ClubAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "leader", "member_count", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["leader"]
    inlines = [ClubMembershipInline]
    fields = ["branch", "name", "kind", "description", "leader", "is_active"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("leader").annotate(n_members=Count("memberships"))

    @admin.display(description=gettext_lazy("成员数"), ordering="n_members")
    def member_count(self, club):
        return club.n_members


class ActivityResultInline(BranchScopedInlineMixin, admin.TabularInline):
    model = ActivityResult
    extra = 0
    fields = ["event", "award", "winners", "sort_order"]


@admin.register(Activity)
class ActivityAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    form = ActivityAdminForm
    list_display = ["title", "club", "starts_at", "status", "capacity", "confirmed_count", "waitlisted"]
    list_filter = ["status", "category", ("club", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    list_select_related = ["club"]
    inlines = [ActivityResultInline]
    readonly_fields = ["confirmed_count", "officer_links"]
    fieldsets = [
        (None, {"fields": ["branch", "club", "title", "category", "description", "status"]}),
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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "audience_groups" and not request.user.is_superuser:
            field.queryset = UnionGroup.objects.filter(branch=branch_of(request.user))
        return field

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
        services.activity_save(activity=obj, actor=request.user, changed=form.changed_data)

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
        if not can_manage_activities(request.user, activity.branch_id):
            raise PermissionDenied
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
        activities = Activity.objects.order_by("-starts_at")
        if not request.user.is_superuser:
            activities = activities.filter(branch=branch_of(request.user))
        return [
            (str(activity.pk), f"{activity.starts_at:%Y-%m-%d} {activity.title}")
            for activity in activities[:60]
        ]

    def queryset(self, request, queryset):
        if self.value():
            try:
                return queryset.filter(activity_id=int(self.value()))
            except ValueError:
                return queryset.none()
        return queryset


def _run(modeladmin, request, queryset, call, done_message):
    done, failed = 0, []
    for registration in queryset.select_related("member"):
        try:
            call(registration)
        except services.ActivityError as error:
            failed.append(f"{registration.member.name}：{error}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for problem in failed:
        modeladmin.message_user(request, problem, messages.ERROR)


@admin.register(Registration)
class RegistrationAdmin(BranchScopedAdminMixin, ExportMixin, admin.ModelAdmin):
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
        obj.save(update_fields=["note", "updated_at"])

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
                self.message_user(request, f"{activity.title}：{error}", messages.ERROR)
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

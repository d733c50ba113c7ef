"""Clubs (俱乐部), activities, registrations with capacity and waitlist, attendance, results, feeds.

Capacity: `Activity.confirmed_count` counts confirmed registrations. Services change it only
with a conditional UPDATE while holding the activity's row lock (PostgreSQL) or the database
write lock (SQLite, IMMEDIATE transactions), and a CHECK constraint keeps it within capacity.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from members.models import Branch, Member, UnionGroup
from unionhome.text import enumeration

# --- Clubs -------------------------------------------------------------------------------


class ClubQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        from activities import access

        return access.clubs_visible_to(self, user)

    def in_kind_order(self, prefix=""):
        """文体、维权、读书、公益, in the order the seed papers list them, then by name."""
        order = Case(
            *[
                When(**{f"{prefix}kind": kind, "then": Value(index)})
                for index, kind in enumerate(Club.Kind.values)
            ],
            default=Value(len(Club.Kind.values)),
            output_field=models.IntegerField(),
        )
        return self.alias(kind_order=order).order_by("kind_order", f"{prefix}name")


class Club(models.Model):
    """A club (俱乐部) of one of the four kinds the seed papers describe."""

    class Kind(models.TextChoices):
        SPORTS = "sports", _("文体类")
        RIGHTS = "rights", _("维权类")
        READING = "reading", _("读书类")
        SERVICE = "service", _("公益类")

    branch = models.ForeignKey(
        Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="clubs"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("简介"), blank=True)
    leader = models.ForeignKey(
        Member,
        verbose_name=_("负责人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_clubs",
    )
    is_active = models.BooleanField(_("正常活动"), default=True)
    members = models.ManyToManyField(
        Member, verbose_name=_("成员"), through="ClubMembership", related_name="clubs", blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ClubQuerySet.as_manager()

    class Meta:
        verbose_name = _("俱乐部")
        verbose_name_plural = _("俱乐部")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="uniq_club_name_in_branch")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:club_detail", args=[self.pk])


class ClubMembership(models.Model):
    club = models.ForeignKey(
        Club, verbose_name=_("俱乐部"), on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.CASCADE, related_name="club_memberships"
    )
    joined_on = models.DateField(_("加入日期"), default=timezone.localdate)

    branch_lookup = "club__branch"

    class Meta:
        verbose_name = _("俱乐部成员")
        verbose_name_plural = _("俱乐部成员")
        ordering = ["club", "joined_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["club", "member"], name="uniq_club_membership")]

    def __str__(self):
        return f"{self.club} · {self.member.name}"


# --- Activities --------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """What a member can do next on an activity's page: one clear button, or why not."""

    action: str  # "signup", "waitlist", "cancel", "leave_waitlist" or "" (nothing to do)
    message: str = ""
    status: str = ""  # the member's registration status, if any
    position: int | None = None


class ActivityQuerySet(models.QuerySet):
    def listed(self):
        """What members may see: everything except drafts."""
        return self.exclude(status=Activity.Status.DRAFT)

    def published(self):
        return self.filter(status=Activity.Status.PUBLISHED)

    def upcoming(self, now: datetime | None = None):
        return self.filter(ends_at__gte=now or timezone.now())

    def in_branch(self, branch_id):
        return self.filter(branch_id=branch_id)

    def visible_to(self, user):
        """What the user may see (activities.access): drafts only for officers and club leaders."""
        from activities import access

        return access.activities_visible_to(self, user)

    def for_audience_of(self, member):
        """Activities whose audience includes this member (all, women, retirees, young, their group)."""
        if member is None:
            return self
        audiences = [Activity.Audience.ALL]
        if member.gender == Member.Gender.FEMALE:
            audiences.append(Activity.Audience.WOMEN)
        if member.status == Member.Status.RETIRED:
            audiences.append(Activity.Audience.RETIREES)
        if member.is_young_teacher:
            audiences.append(Activity.Audience.YOUNG)
        in_group = Activity.audience_groups.through.objects.filter(
            activity=OuterRef("pk"), uniongroup_id=member.union_group_id
        )
        return self.filter(Q(audience__in=audiences) | Q(Exists(in_group), audience=Activity.Audience.GROUPS))

    def open_for_signup(self, now: datetime | None = None):
        now = now or timezone.now()
        return self.published().filter(
            Q(signup_opens_at__isnull=True) | Q(signup_opens_at__lte=now),
            Q(signup_closes_at__gt=now) | Q(signup_closes_at__isnull=True, starts_at__gt=now),
        )

    def held_between(self, start: datetime, end: datetime, now: datetime | None = None):
        """Activities that took place (begun, not cancelled) with a start in [start, end)."""
        now = now or timezone.now()
        return self.filter(
            status__in=[Activity.Status.PUBLISHED, Activity.Status.FINISHED],
            starts_at__gte=start,
            starts_at__lt=end,
            starts_at__lte=now,
        )

    def upcoming_first(self, now: datetime | None = None):
        """Upcoming ones by start, then past ones, most recent first."""
        now = now or timezone.now()
        return self.annotate(
            is_past=Case(
                When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=models.IntegerField()
            ),
            upcoming_start=Case(When(ends_at__gte=now, then=F("starts_at")), default=None),
        ).order_by("is_past", F("upcoming_start").asc(nulls_last=True), "-starts_at", "pk")

    def with_member_status(self, member):
        """Annotate my_status, my_queue and my_position (place on the waitlist) for one member."""
        if member is None:
            return self.annotate(
                my_status=Value("", output_field=models.CharField()),
                my_position=Value(None, output_field=models.IntegerField()),
            )
        mine = Registration.objects.filter(activity=OuterRef("pk"), member=member)
        return self.annotate(
            my_status=Subquery(mine.values("status")[:1]),
            my_queue=Subquery(mine.values("queue_number")[:1]),
        ).annotate(my_position=waitlist_place(activity=OuterRef("pk"), queue_number=OuterRef("my_queue")))


class Activity(models.Model):
    class Category(models.TextChoices):
        SPORTS = "sports", _("文体活动")
        RIGHTS = "rights", _("维权与健康讲座")
        READING = "reading", _("读书与成长")
        SERVICE = "service", _("公益志愿")
        FESTIVAL = "festival", _("节日与慰问")
        OTHER = "other", _("其他")

    class Audience(models.TextChoices):
        ALL = "all", _("全体会员")
        GROUPS = "groups", _("指定工会小组")
        WOMEN = "women", _("女会员")
        RETIREES = "retirees", _("退休会员")
        YOUNG = "young", _("青年教师")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")
        FINISHED = "finished", _("已结束")

    state_field = "status"
    # The colour of each status's badge ({% state_badge activity %}, unionhome_tags).
    state_badges = {"draft": "muted", "published": "ok", "cancelled": "warn", "finished": "muted"}

    branch = models.ForeignKey(
        Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="activities"
    )
    club = models.ForeignKey(
        Club,
        verbose_name=_("主办俱乐部"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("留空表示由分工会主办。"),
    )
    title = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("活动介绍"), blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.SPORTS)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=120)
    audience = models.CharField(_("参加对象"), max_length=16, choices=Audience.choices, default=Audience.ALL)
    audience_groups = models.ManyToManyField(
        UnionGroup,
        verbose_name=_("限定的工会小组"),
        blank=True,
        related_name="+",
        help_text=_("参加对象为“指定工会小组”时选择。"),
    )
    capacity = models.PositiveIntegerField(
        _("名额"), null=True, blank=True, help_text=_("留空表示不限人数。")
    )
    confirmed_count = models.PositiveIntegerField(_("已报名人数"), default=0, editable=False)
    signup_opens_at = models.DateTimeField(
        _("报名开始"), null=True, blank=True, help_text=_("留空表示发布后即可报名。")
    )
    signup_closes_at = models.DateTimeField(
        _("报名截止"), null=True, blank=True, help_text=_("留空表示活动开始前都可报名。")
    )
    cancel_deadline = models.DateTimeField(
        _("取消截止"), null=True, blank=True, help_text=_("留空表示活动开始前都可在网上取消。")
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "pk"]
        permissions = [("view_participation", _("可查看参与情况统计（覆盖面）"))]
        indexes = [models.Index(fields=["branch", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(confirmed_count__lte=F("capacity")),
                name="activity_confirmed_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="activity_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:detail", args=[self.pk])

    @property
    def organiser_name(self):
        return self.club.name if self.club_id else self.branch.name

    @property
    def when_display(self):
        """Start and end in local time: 2026-05-16（周六）14:00–16:00."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        if start.date() == end.date():
            return _("%(date)s（%(weekday)s）%(start)s–%(end)s") % {
                "date": date_format(start, "Y-m-d"),
                "weekday": date_format(start, "D"),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
            }
        return f"{date_format(start, 'Y-m-d H:i')} – {date_format(end, 'Y-m-d H:i')}"

    @property
    def seats_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed_count >= self.capacity

    @property
    def signup_pending(self) -> bool:
        """Published, but sign-up opens later."""
        return self.signup_opens_at is not None and self.signup_opens_at > timezone.now()

    @property
    def signup_closes(self):
        return self.signup_closes_at or self.starts_at

    @property
    def cancel_closes(self):
        return self.cancel_deadline or self.starts_at

    @property
    def version(self) -> str:
        """Changes with every save: edit forms carry it, so a stale form cannot overwrite a newer edit."""
        return str(int(self.updated_at.timestamp() * 1_000_000)) if self.updated_at else ""

    def has_ended(self, now=None) -> bool:
        return self.ends_at < (now or timezone.now())

    def audience_label(self):
        """Who may join, in words (uses the prefetched audience groups)."""
        if self.audience == self.Audience.GROUPS:
            names = enumeration(group.name for group in self.audience_groups.all())
            return _("限%(groups)s") % {"groups": names or _("指定工会小组")}
        return self.get_audience_display()

    def audience_reason(self, member: Member):
        """Why this member may not sign up for this activity (branch, membership, audience), or None."""
        if member.branch_id != self.branch_id:
            return _("这是其他分工会的活动。")
        if not member.holds_membership:
            return _("您的会籍状态为“%(status)s”，不能报名。") % {"status": member.get_status_display()}
        return self.outside_audience(member)

    def outside_audience(self, member: Member):
        """Why this member is outside the audience (women, retirees, young teachers, groups), or None."""
        if self.audience == self.Audience.WOMEN and member.gender != Member.Gender.FEMALE:
            return _("本活动仅面向女会员。")
        if self.audience == self.Audience.RETIREES and member.status != Member.Status.RETIRED:
            return _("本活动仅面向退休会员。")
        if self.audience == self.Audience.YOUNG and not member.is_young_teacher:
            return _("本活动仅面向 %(age)s 岁及以下的在职青年教师。") % {
                "age": settings.UNIONHOME_YOUNG_TEACHER_MAX_AGE
            }
        if self.audience == self.Audience.GROUPS:
            groups = list(self.audience_groups.all())
            if not any(group.pk == member.union_group_id for group in groups):
                return _("本活动仅面向%(groups)s的会员。") % {
                    "groups": enumeration(group.name for group in groups)
                }
        return None

    def window_reason(self, now: datetime):
        """Why a member cannot sign up online right now (status and window), or None."""
        if self.status == self.Status.DRAFT:
            return _("活动尚未发布。")
        if self.status == self.Status.CANCELLED:
            return _("活动已取消。")
        if self.status == self.Status.FINISHED or self.has_ended(now):
            return _("活动已结束。")
        if self.signup_opens_at and now < self.signup_opens_at:
            return _("报名将于 %(when)s 开始。") % {"when": _local(self.signup_opens_at)}
        if now >= self.signup_closes:
            return _("报名已于 %(when)s 截止。") % {"when": _local(self.signup_closes)}
        return None

    def cancel_reason(self, now: datetime):
        """Why a member cannot cancel online right now, or None."""
        if now >= self.cancel_closes:
            return _("已过取消截止时间（%(when)s），如需取消请联系工会委员。") % {
                "when": _local(self.cancel_closes)
            }
        return None

    def attendance_reason(self, now: datetime):
        """Why attendance cannot be recorded yet (or any more), or None."""
        if self.status not in (self.Status.PUBLISHED, self.Status.FINISHED):
            return _("只能为已发布或已结束的活动登记出勤。")
        if timezone.localdate(self.starts_at) > timezone.localdate(now):
            return _("活动当天起才能登记出勤；现在可以先打印签到表。")
        return None

    def next_step_for(self, member: Member | None, registration=None, position=None, now=None) -> NextStep:
        """The one thing this member can do next, shared by the detail page and the cards."""
        now = now or timezone.now()
        if member is None:
            return NextStep("", _("这个账号没有会员档案，不能报名。"))
        status = registration.status if registration else ""
        if status == Registration.Status.CONFIRMED:
            reason = self.cancel_reason(now) if not self.has_ended(now) else _("活动已结束。")
            if self.status == self.Status.CANCELLED:
                reason = _("活动已取消。")
            return NextStep("" if reason else "cancel", reason or "", status)
        if status == Registration.Status.WAITLISTED:
            reason = self.window_reason(now) if self.status != self.Status.PUBLISHED else None
            return NextStep("" if reason else "leave_waitlist", reason or "", status, position)
        # A cancelled or finished activity says so first; who may join matters only while open.
        closed = self.status != self.Status.PUBLISHED or self.has_ended(now)
        reason = (
            (closed and self.window_reason(now)) or self.audience_reason(member) or self.window_reason(now)
        )
        if reason:
            return NextStep("", reason, status)
        return NextStep("waitlist" if self.is_full else "signup", "", status)


def _local(moment):
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


# --- Registrations -----------------------------------------------------------------------


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED])

    def waitlist(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by("queue_number")

    def with_position(self):
        """Annotate each waitlisted registration with its place (1, 2, ...) in its activity's queue."""
        return self.annotate(
            position=waitlist_place(activity=OuterRef("activity"), queue_number=OuterRef("queue_number"))
        )


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("已报名")
        WAITLISTED = "waitlisted", _("候补")
        CANCELLED = "cancelled", _("已取消")

    state_field = "status"
    state_badges = {"confirmed": "ok", "waitlisted": "warn", "cancelled": "muted"}

    class Attendance(models.TextChoices):
        UNMARKED = "unmarked", _("未登记")
        PRESENT = "present", _("出席")
        ABSENT = "absent", _("缺席")

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="registrations"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="activity_registrations"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    queue_number = models.PositiveIntegerField(
        _("候补序号"), null=True, blank=True, editable=False, help_text=_("越小越靠前；转为已报名后清空。")
    )
    attendance = models.CharField(
        _("出勤"), max_length=16, choices=Attendance.choices, default=Attendance.UNMARKED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代报名人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True, editable=False)
    attendance_marked_at = models.DateTimeField(_("出勤登记时间"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    branch_lookup = "activity__branch"

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["activity", "status", "queue_number", "created_at", "pk"]
        permissions = [("export_registration", _("可导出报名名单"))]
        indexes = [
            models.Index(fields=["activity", "status", "queue_number"]),
            models.Index(fields=["member", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="uniq_registration_per_member"),
            models.UniqueConstraint(
                fields=["activity", "queue_number"],
                condition=Q(queue_number__isnull=False),
                name="uniq_waitlist_place",
            ),
            models.CheckConstraint(
                condition=(Q(status="waitlisted") & Q(queue_number__isnull=False))
                | (~Q(status="waitlisted") & Q(queue_number__isnull=True)),
                name="registration_queue_only_when_waitlisted",
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.member.name}"

    def waitlist_position(self):
        """The place on the waitlist (1 = next to get a seat), or None."""
        if self.status != self.Status.WAITLISTED:
            return None
        return Registration.objects.filter(pk=self.pk).with_position().values_list("position", flat=True)[0]


def waitlist_place(*, activity, queue_number):
    """The waitlist place (1 = next in line) of `queue_number` in `activity`'s queue, as a subquery.

    The one definition of a waitlist position: querysets annotate it (`with_position`,
    `with_member_status`) and `Registration.waitlist_position` reads it. NULL when not waiting.
    """
    ahead = (
        Registration.objects.filter(
            activity=activity, status=Registration.Status.WAITLISTED, queue_number__lte=queue_number
        )
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(ahead[:1], output_field=models.IntegerField())


class ActivityResult(models.Model):
    """A competition result or award (成绩/获奖), e.g. 教职工羽毛球赛 · 全校第五名."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="results"
    )
    event = models.CharField(_("项目"), max_length=120)
    award = models.CharField(_("名次/奖项"), max_length=60)
    winners = models.CharField(_("获奖者/队伍"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    branch_lookup = "activity__branch"

    class Meta:
        verbose_name = _("成绩与获奖")
        verbose_name_plural = _("成绩与获奖")
        ordering = ["activity", "sort_order", "pk"]

    def __str__(self):
        return f"{self.event} {self.award}"


class CalendarFeed(models.Model):
    """A member's secret token for the personal calendar feed (/me/calendar.ics?token=...)."""

    member = models.OneToOneField(
        Member, verbose_name=_("会员"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("令牌"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    branch_lookup = "member__branch"

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self):
        return self.member.name

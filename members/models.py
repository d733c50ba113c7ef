from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members import ages


class Branch(models.Model):
    """A college union branch (分工会)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)

    branch_lookup = "pk"

    class Meta:
        verbose_name = _("分工会")
        verbose_name_plural = _("分工会")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UnionGroup(models.Model):
    """A union group (工会小组), usually one per department or office."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("工会小组")
        verbose_name_plural = _("工会小组")
        ordering = ["branch", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="uniq_group_name_in_branch")]

    def __str__(self):
        return self.name


class Department(models.Model):
    """A department or office (系、所、办公室) of the college."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["branch", "name"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "name"], name="uniq_department_name_in_branch")
        ]

    def __str__(self):
        return self.name


class MemberQuerySet(models.QuerySet):
    def in_good_standing(self):
        """在职 and 退休保留会籍: the members who keep their login and take part."""
        return self.filter(status__in=Member.GOOD_STANDING)


class Member(models.Model):
    """A union member (会员): one per login account, the roster's row."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在职")
        RETIRED = "retired", _("退休保留会籍")
        TRANSFERRED = "transferred", _("调出")
        LEFT = "left", _("退会")

    # Statuses that keep the login and the right to take part; 调出 and 退会 keep only history.
    GOOD_STANDING = (Status.ACTIVE, Status.RETIRED)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), on_delete=models.PROTECT, related_name="member"
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="members"
    )
    staff_number = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    union_group = models.ForeignKey(
        UnionGroup, verbose_name=_("工会小组"), on_delete=models.PROTECT, related_name="members"
    )
    title = models.CharField(_("职称/职务"), max_length=60, blank=True)
    phone = models.CharField(_("手机"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    joined_union_on = models.DateField(_("入会时间"), null=True, blank=True)
    status = models.CharField(_("会籍状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    language = models.CharField(
        _("通知语言"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Notice kinds (unionhome.notices) the member gets no e-mail for; the notice itself stays.
    email_off = models.JSONField(_("不发邮件的通知"), default=list, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["staff_number"]
        permissions = [
            ("import_member", _("可导入会员名册")),
            ("export_member", _("可导出会员名册")),
        ]
        indexes = [models.Index(fields=["branch", "status"]), models.Index(fields=["name"])]

    def __str__(self):
        return gettext("%(name)s（%(staff_number)s）") % {
            "name": self.name,
            "staff_number": self.staff_number,
        }

    def clean(self):
        errors = {}
        if self.union_group_id and self.branch_id and self.union_group.branch_id != self.branch_id:
            errors["union_group"] = _("工会小组不属于该会员的分工会。")
        if self.department_id and self.branch_id and self.department.branch_id != self.branch_id:
            errors["department"] = _("部门不属于该会员的分工会。")
        if self.birth_date and self.birth_date > timezone.localdate():
            errors["birth_date"] = _("出生日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)

    @property
    def holds_membership(self) -> bool:
        return self.status in self.GOOD_STANDING

    def age_on(self, day: date) -> int:
        return ages.age_on(self.birth_date, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def age_band(self):
        return ages.band_for_age(self.age).label

    @property
    def retirement_date(self) -> date:
        """The day the member reaches the legal retirement age (the 2025 reform, members/ages.py)."""
        return ages.retirement_date(self.birth_date, self.gender)

    @property
    def is_young_teacher(self) -> bool:
        """Young teachers (青年教师): active members at or under the configured age."""
        return self.status == self.Status.ACTIVE and self.age <= settings.UNIONHOME_YOUNG_TEACHER_MAX_AGE


class EmailChangeRequest(models.Model):
    """An officer's correction of a member's login e-mail, waiting for the member to confirm it.

    The link is mailed to the address the member has now; only she, signed in, confirms it
    (members.services.email_change_confirm). The token is stored as its SHA-256 hash only.
    """

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.CASCADE, related_name="email_change_requests"
    )
    old_email = models.EmailField(_("原登录邮箱"))
    new_email = models.EmailField(_("新登录邮箱"))
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"), editable=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("作废时间"), null=True, blank=True, editable=False)

    branch_lookup = "member__branch"

    class Meta:
        verbose_name = _("登录邮箱更正请求")
        verbose_name_plural = _("登录邮箱更正请求")
        ordering = ["-created_at"]

    def __str__(self):
        return gettext("%(member)s：%(new)s") % {"member": self.member, "new": self.new_email}

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None and self.cancelled_at is None and self.expires_at > timezone.now()

    @property
    def state_label(self) -> str:
        if self.confirmed_at is not None:
            return gettext("已确认")
        if self.cancelled_at is not None:
            return gettext("已作废")
        if self.expires_at <= timezone.now():
            return gettext("已过期")
        return gettext("待会员确认")

"""Finance disclosures (经费公开): categories, disclosures with their revisions, lines, attachments.

Models of the one Django app `congress` (congress/models.py imports them so the app registry
sees them); every change goes through congress.disclosures.services.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Branch
from unionhome.storage import private_storage

# 经费公开: the branch publishes its income and spending by category, budget against actual.
# A published disclosure is never edited in place: a correction is a new revision (a new row
# that `supersedes` the previous one, with a reason), and every revision stays readable.
# Totals, variance and shares are derived (congress.selectors), never stored.


class FinanceCategory(models.Model):
    """One node of the two-level income/expenditure tree (2017 基层工会经费收支管理办法), editable."""

    class Kind(models.TextChoices):
        INCOME = "income", _("收入")
        EXPENDITURE = "expenditure", _("支出")

    kind = models.CharField(_("收支"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    name = models.CharField(_("名称"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)
    source = models.CharField(
        _("依据"),
        max_length=120,
        blank=True,
        help_text=_("规定的条款，例如“总工办发〔2017〕32号 第八条第（四）项”。"),
    )

    branch_lookup = False  # one national list for every branch

    class Meta:
        verbose_name = _("经费类别")
        verbose_name_plural = _("经费类别")
        ordering = ["kind", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "parent", "name"], name="uniq_finance_category_name"),
        ]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    @property
    def top(self):
        return self.parent if self.parent_id else self

    def clean(self):
        if self.parent_id:
            if self.parent.parent_id:
                raise ValidationError({"parent": _("类别只有两级：上级类别必须是一级类别。")})
            if self.parent.kind != self.kind:
                raise ValidationError({"kind": _("子类别的收支方向必须与上级类别相同。")})
            if self.pk and self.children.exists():
                raise ValidationError({"parent": _("这个类别有子类别，不能再挂到别的类别下。")})


class DisclosureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Disclosure.State.PUBLISHED)

    def current(self):
        """Published revisions that no later published revision replaces."""
        return self.published().exclude(superseded_by__state=Disclosure.State.PUBLISHED)

    def visible_to(self, user):
        from congress.disclosures import access

        return access.disclosures_visible_to(self, user)

    def in_period_order(self):
        return self.order_by("-year", "-period", "-revision")


class Disclosure(models.Model):
    """One revision of a branch's disclosure for one period (year, half-year or quarter)."""

    class Period(models.TextChoices):
        YEAR = "Y", _("全年")
        H1 = "H1", _("上半年")
        H2 = "H2", _("下半年")
        Q1 = "Q1", _("第一季度")
        Q2 = "Q2", _("第二季度")
        Q3 = "Q3", _("第三季度")
        Q4 = "Q4", _("第四季度")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待复核")
        PUBLISHED = "published", _("已公开")

    branch = models.ForeignKey(
        Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="disclosures"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    period = models.CharField(_("期间"), max_length=2, choices=Period.choices, default=Period.YEAR)
    title = models.CharField(_("标题"), max_length=120)
    summary = models.TextField(_("说明"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    revision = models.PositiveSmallIntegerField(_("版本"), default=1, editable=False)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正的版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    reason = models.TextField(_("更正原因"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交复核时间"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("经费公开")
        verbose_name_plural = _("经费公开")
        ordering = ["-year", "-period", "-revision"]
        permissions = [("confirm_disclosure", _("可作为分工会主席复核经费公开"))]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year", "period", "revision"], name="uniq_disclosure_revision"
            ),
        ]
        indexes = [models.Index(fields=["branch", "state", "year"])]

    def __str__(self):
        return f"{self.period_label} {self.title}"

    def get_absolute_url(self):
        return reverse("disclosures:detail", args=[self.pk])

    @property
    def period_label(self):
        return _("%(year)s年%(period)s") % {"year": self.year, "period": self.get_period_display()}

    @property
    def is_draft(self):
        return self.state == self.State.DRAFT

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED

    def chain(self):
        """Every revision of this branch's disclosure for this period, newest first."""
        return Disclosure.objects.filter(
            branch_id=self.branch_id, year=self.year, period=self.period
        ).order_by("-revision")


class DisclosureLine(models.Model):
    """One line of a disclosure: category, item, budget, actual, note. Money in Decimal yuan."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工录入")
        AID = "aid", _("帮扶汇总")
        BENEFIT = "benefit", _("慰问汇总")
        CARE = "care", _("走访慰问汇总")

    disclosure = models.ForeignKey(
        Disclosure, verbose_name=_("经费公开"), on_delete=models.CASCADE, related_name="lines"
    )
    category = models.ForeignKey(
        FinanceCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="lines"
    )
    item = models.CharField(_("项目"), max_length=120)
    budget = models.DecimalField(
        _("预算（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0)],
    )
    actual = models.DecimalField(
        _("实际（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0)],
    )
    headcount = models.PositiveIntegerField(_("人次"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL, editable=False
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    branch_lookup = "disclosure__branch"

    class Meta:
        verbose_name = _("公开明细")
        verbose_name_plural = _("公开明细")
        ordering = ["disclosure", "category__kind", "category__sort_order", "sort_order", "pk"]
        permissions = [
            ("import_disclosureline", _("可导入公开明细")),
            ("export_disclosureline", _("可导出公开明细")),
        ]

    def __str__(self):
        return f"{self.category} · {self.item}"

    @property
    def variance(self) -> Decimal:
        return self.actual - self.budget

    @property
    def public_headcount(self):
        """The count as the page, the PDF and the exports show it: a total pulled from the welfare
        records over fewer people than UNIONHOME_PUBLIC_MIN_COUNT shows as "<3"."""
        if self.source != self.Source.MANUAL and self.headcount is not None:
            minimum = settings.UNIONHOME_PUBLIC_MIN_COUNT
            if self.headcount < minimum:
                return f"<{minimum}"
        return self.headcount


def disclosure_attachment_path(instance, filename):
    """A random name in the private storage: the uploader's file name is kept in `original_name`."""
    return f"disclosures/{instance.disclosure.branch_id}/{instance.disclosure_id}/{uuid.uuid4().hex}.pdf"


class DisclosureAttachment(models.Model):
    """A PDF attached to a disclosure (statements, the congress report); checked by content,
    kept in private storage and streamed only by the access-checked view."""

    disclosure = models.ForeignKey(
        Disclosure, verbose_name=_("经费公开"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("名称"), max_length=120)
    file = models.FileField(
        _("PDF 文件"), storage=private_storage, upload_to=disclosure_attachment_path, max_length=255
    )
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    branch_lookup = "disclosure__branch"

    class Meta:
        verbose_name = _("公开附件")
        verbose_name_plural = _("公开附件")
        ordering = ["disclosure", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("disclosures:attachment", args=[self.disclosure_id, self.pk])

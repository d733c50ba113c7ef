"""Hardship-aid cases (困难补助), care visits (送温暖/慰问) and condolence benefits (会员慰问).

Confidential: a case, its attachments and its timeline are seen only by the welfare officers of
the case's branch, superusers and the applicant (welfare.access). A case's `__str__` carries no
name, so the audit trail and admin messages never say who asked for aid.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Branch, Member
from unionhome.storage import welfare_private_storage as private_storage


class Ground(models.TextChoices):
    OWN_ILLNESS = "own_illness", _("本人大病")
    RELATIVE_ILLNESS = "relative_illness", _("直系亲属大病")
    ACCIDENT = "accident", _("意外灾害")
    LOW_INCOME = "low_income", _("家庭收入低")
    OTHER = "other", _("其他")


# The seriously ill come first in the review list (seed 000, §2.3).
PRIORITY_GROUNDS = (Ground.OWN_ILLNESS, Ground.RELATIVE_ILLNESS)


class AidRound(models.Model):
    """A yearly round (e.g. 2026 年度困难补助): window, the branch's budget, caps per ground."""

    branch = models.ForeignKey(Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    opens_on = models.DateField(_("申请开始日期"))
    closes_on = models.DateField(_("申请截止日期"))
    budget = models.DecimalField(_("预算（元）"), max_digits=12, decimal_places=2)
    places = models.PositiveSmallIntegerField(
        _("名额"),
        null=True,
        blank=True,
        help_text=_("本批次最多补助多少人（含临时救助）；不填则只受预算限制。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("补助年度批次")
        verbose_name_plural = _("补助年度批次")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="welfare_one_round_per_branch_year"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="welfare_round_window"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="welfare_round_budget_not_negative"),
        ]

    def __str__(self):
        return self.name

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class AidCap(models.Model):
    """The caps of one ground in one round: per case and per member in the year (editable)."""

    round = models.ForeignKey(AidRound, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="caps")
    ground = models.CharField(_("补助事由"), max_length=20, choices=Ground.choices)
    per_case = models.DecimalField(
        _("每次上限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    per_year = models.DecimalField(
        _("每人每年上限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    branch_lookup = "round__branch"

    class Meta:
        verbose_name = _("补助上限")
        verbose_name_plural = _("补助上限")
        ordering = ["round", "ground"]
        constraints = [models.UniqueConstraint(fields=["round", "ground"], name="welfare_one_cap_per_ground")]

    def __str__(self):
        return f"{self.round} · {self.get_ground_display()}"


def priority_expression():
    """0 for own and relatives' serious illness, 1 otherwise (the review list's first key)."""
    return models.Case(
        models.When(ground__in=PRIORITY_GROUNDS, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


class AidCase(models.Model):
    class Track(models.TextChoices):
        ANNUAL = "annual", _("年度补助")
        EMERGENCY = "emergency", _("临时救助")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        GROUP_OPINION = "group_opinion", _("工会小组已出具意见")
        REVIEWED = "reviewed", _("分工会已审核建档")
        DECIDED = "decided", _("校工会已决定")
        APPROVED = "approved", _("已批准")
        NOTICE = "notice", _("公示中")
        PAID = "paid", _("已发放")
        CLOSED = "closed", _("已结案")
        REJECTED = "rejected", _("未批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    # The one badge of a case's state ({% state_badge case %}): granted green, refused orange,
    # anything still on its way (or never sent) grey.
    state_badges = {
        **dict.fromkeys(("approved", "notice", "paid", "closed"), "ok"),
        "rejected": "warn",
    }

    OPEN_STATES = (
        State.DRAFT,
        State.SUBMITTED,
        State.GROUP_OPINION,
        State.REVIEWED,
        State.DECIDED,
        State.APPROVED,
        State.NOTICE,
        State.PAID,
    )
    ENDED_STATES = (State.CLOSED, State.REJECTED, State.WITHDRAWN)
    # Amounts that count against the round's budget.
    COMMITTED_STATES = (State.DECIDED, State.APPROVED, State.NOTICE, State.PAID, State.CLOSED)
    WITHDRAWABLE_STATES = (State.DRAFT, State.SUBMITTED, State.GROUP_OPINION, State.REVIEWED, State.DECIDED)
    REJECTABLE_STATES = (
        State.SUBMITTED,
        State.GROUP_OPINION,
        State.REVIEWED,
        State.DECIDED,
        State.APPROVED,
        State.NOTICE,
    )

    branch = models.ForeignKey(Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(
        AidRound, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="cases"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("申请人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household_members = models.ManyToManyField(
        Member,
        verbose_name=_("同住家庭成员中的会员"),
        blank=True,
        related_name="+",
        help_text=_("家庭成员中也是本校工会会员的人；同一家庭每批次只能申请一次。"),
    )
    ground = models.CharField(_("补助事由"), max_length=20, choices=Ground.choices)
    track = models.CharField(_("类别"), max_length=10, choices=Track.choices, default=Track.ANNUAL)
    description = models.TextField(_("困难情况说明"), blank=True)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), null=True, blank=True)
    income_per_head = models.DecimalField(
        _("家庭月人均收入（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    medical_costs = models.DecimalField(
        _("自付医疗费用（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_requested = models.DecimalField(_("申请金额（元）"), max_digits=12, decimal_places=2)
    amount_approved = models.DecimalField(
        _("批准金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_reason = models.TextField(
        _("批准金额与申请金额不同的原因"),
        blank=True,
        help_text=_("校工会决定的金额与申请金额不同时必填；申请人会看到。"),
    )
    consent_to_notice = models.BooleanField(_("同意公示"), default=False)
    no_notice_reason = models.TextField(_("未公示原因"), blank=True)
    state = models.CharField(
        _("办理状态"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )

    # What the officers record along the way (never shown to the applicant).
    group_opinion = models.TextField(_("工会小组意见"), blank=True)
    exclusion_checks = models.TextField(_("排除情形核查"), blank=True)
    review_meeting_on = models.DateField(_("分工会集体审核日期"), null=True, blank=True)
    review_decided_by = models.CharField(_("参加审核人员"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核建档人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("校工会决定日期"), null=True, blank=True)
    decision_reference = models.CharField(_("校工会决定文号"), max_length=100, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    notice_starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示结束"), null=True, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("发放金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发放人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reasons = models.TextField(_("未批准理由"), blank=True)
    household_clash = models.BooleanField(
        _("家庭成员另有申请"),
        default=False,
        help_text=_("同一家庭在本批次另有申请：请核查，同一家庭只能获批一次（申请人不会看到）。"),
    )
    review_due_on = models.DateField(_("下次复核日期"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("困难补助申请")
        verbose_name_plural = _("困难补助申请")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One annual application per applicant per round (the household rule is checked by
            # the service across all the household's members; this is the database's last word).
            models.UniqueConstraint(
                fields=["round", "member"],
                condition=Q(track="annual") & ~Q(state="withdrawn") & Q(member__isnull=False),
                name="welfare_one_annual_case_per_member_round",
            ),
        ]
        indexes = [models.Index(fields=["branch", "state"])]

    def __str__(self):
        # No name: this string reaches the audit trail and admin messages.
        return str(_("补助申请 #%(pk)s") % {"pk": self.pk})

    @property
    def year(self):
        return self.round.year

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when, with which comment."""

    class Kind(models.TextChoices):
        CREATED = "created", _("创建")
        SUBMITTED = "submitted", _("提交")
        GROUP_OPINION = "group_opinion", _("工会小组意见")
        REVIEWED = "reviewed", _("分工会审核建档")
        DECIDED = "decided", _("校工会决定")
        APPROVED = "approved", _("批准")
        NOTICE = "notice", _("公示")
        NO_NOTICE = "no_notice", _("不公示")
        PAID = "paid", _("发放")
        CLOSED = "closed", _("结案")
        REJECTED = "rejected", _("未批准")
        WITHDRAWN = "withdrawn", _("撤回")
        OVERRIDE = "override", _("超出上限或预算的理由")
        OBJECTION = "objection", _("公示异议")
        NOTE = "note", _("备注")
        ATTACHMENT = "attachment", _("上传材料")
        ANONYMISED = "anonymised", _("匿名化")
        HOUSEHOLD = "household", _("家庭成员另有申请")

    # What the applicant sees on their own timeline (never notes, objections or overrides).
    APPLICANT_KINDS = (
        Kind.CREATED,
        Kind.SUBMITTED,
        Kind.GROUP_OPINION,
        Kind.REVIEWED,
        Kind.DECIDED,
        Kind.APPROVED,
        Kind.NOTICE,
        Kind.PAID,
        Kind.CLOSED,
        Kind.REJECTED,
        Kind.WITHDRAWN,
        Kind.ATTACHMENT,
    )

    case = models.ForeignKey(AidCase, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=AidCase.State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=AidCase.State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    branch_lookup = "case__branch"

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.get_kind_display()


def attachment_path(instance, filename):
    # A random name: the original name stays in the database only.
    import uuid

    return f"cases/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """Proof for a case (PDF, JPEG or PNG), stored in private storage and streamed after the check."""

    case = models.ForeignKey(
        AidCase, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    branch_lookup = "case__branch"

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class CareVisit(models.Model):
    """送温暖/慰问: who visited whom, when, what was given."""

    class Occasion(models.TextChoices):
        ILLNESS = "illness", _("生病住院")
        HARDSHIP = "hardship", _("生活困难")
        HOLIDAY = "holiday", _("节日慰问")
        RETIREE = "retiree", _("走访离退休教职工")
        OTHER = "other", _("其他")

    branch = models.ForeignKey(Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, verbose_name=_("慰问对象"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("慰问日期"))
    visitors = models.CharField(_("慰问人"), max_length=200)
    occasion = models.CharField(_("慰问事由"), max_length=20, choices=Occasion.choices)
    gift = models.CharField(_("慰问品"), max_length=200, blank=True)
    amount = models.DecimalField(_("慰问金（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访慰问")
        verbose_name_plural = _("走访慰问")
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return str(_("走访慰问 #%(pk)s") % {"pk": self.pk})


class BenefitKind(models.TextChoices):
    HOLIDAY = "holiday", _("节日慰问品")
    BIRTHDAY = "birthday", _("生日")
    MARRIAGE = "marriage", _("结婚")
    CHILDBIRTH = "childbirth", _("生育")
    HOSPITAL = "hospital", _("住院")
    RETIREMENT = "retirement", _("退休")
    DEATH = "death", _("会员去世")
    RELATIVE_DEATH = "relative_death", _("直系亲属去世")


class CapBasis(models.TextChoices):
    """Anhui 2018: holiday gifts and birthdays are capped per year, the other kinds per event."""

    PER_YEAR = "year", _("每人每年")
    PER_EVENT = "event", _("每次")


class Relative(models.TextChoices):
    """Whose event a benefit is for: the member or a direct relative (配偶、父母、子女)."""

    SELF = "self", _("本人")
    SPOUSE = "spouse", _("配偶")
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")
    CHILD = "child", _("子女")


# A relative's death is paid for these relatives; a member's own death and every other kind is
# the member's own event. Father, mother and the member die once: paid once, whatever the date.
RELATIVES_OF_A_DEATH = (Relative.SPOUSE, Relative.FATHER, Relative.MOTHER, Relative.CHILD)
ONCE_IN_A_LIFE = (Relative.SELF, Relative.FATHER, Relative.MOTHER)
DEATH_KINDS = (BenefitKind.DEATH, BenefitKind.RELATIVE_DEATH)


class PaymentForm(models.TextChoices):
    TRANSFER = "transfer", _("银行转账")
    CASH = "cash", _("现金")
    GOODS = "goods", _("实物")
    CARD = "card", _("购物卡")


class BenefitCap(models.Model):
    """The cap per member of one kind of benefit, per year or per event, in force from a year on.

    One table for the installation (a province's rules, e.g. 安徽 2018), changed only through
    `welfare.services.benefit_cap_save`. Which forms of payment a kind allows is set here per
    kind; holiday gifts are never cash or shopping cards, whatever the row says.
    """

    kind = models.CharField(_("慰问类别"), max_length=20, choices=BenefitKind.choices)
    effective_from = models.PositiveSmallIntegerField(_("起始年度"))
    cap = models.DecimalField(_("上限（元）"), max_digits=12, decimal_places=2)
    per = models.CharField(_("上限计算"), max_length=10, choices=CapBasis.choices, default=CapBasis.PER_EVENT)
    cash_allowed = models.BooleanField(_("可发现金"), default=True)
    card_allowed = models.BooleanField(_("可发购物卡"), default=True)
    source = models.CharField(_("依据"), max_length=200)

    branch_lookup = False  # one table for the installation (a province's rules)

    class Meta:
        verbose_name = _("慰问标准")
        verbose_name_plural = _("慰问标准")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="welfare_one_cap_per_kind_year"),
            models.CheckConstraint(condition=Q(cap__gte=0), name="welfare_benefit_cap_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="holiday") | Q(cash_allowed=False, card_allowed=False),
                name="welfare_holiday_gifts_in_kind",
                violation_error_message=_("节日慰问只能发实物，不能发现金或购物卡。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.effective_from}–)"

    def allows(self, payment_form: str) -> bool:
        if payment_form == PaymentForm.CASH:
            return self.cash_allowed
        if payment_form == PaymentForm.CARD:
            return self.card_allowed
        return True


class Benefit(models.Model):
    """会员慰问: one payment for one event of one member; the same event is never paid twice."""

    branch = models.ForeignKey(Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("慰问类别"), max_length=20, choices=BenefitKind.choices)
    event_date = models.DateField(_("事由日期"))
    # NULL only on rows the data migration could not map (or that collided): the constraints
    # below then leave them alone until an officer chooses; the service never writes NULL.
    relative = models.CharField(  # noqa: DJ001
        _("慰问对象"),
        max_length=10,
        choices=Relative.choices,
        default=Relative.SELF,
        null=True,
        help_text=_("直系亲属去世：选择配偶、父亲、母亲或子女；其他类别为会员本人。"),
    )
    subject = models.CharField(
        _("原填写的亲属"),
        max_length=50,
        blank=True,
        editable=False,
        help_text=_("改为选择项之前填写的文字；迁移时无法对应或重复的记录，慰问对象为空，请帮扶专员核对。"),
    )
    amount = models.DecimalField(_("金额或物品价值（元）"), max_digits=12, decimal_places=2)
    gift = models.CharField(_("物品"), max_length=200, blank=True)
    payment_form = models.CharField(_("发放方式"), max_length=10, choices=PaymentForm.choices)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    receipt_signed = models.BooleanField(_("已实名签收"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会员慰问")
        verbose_name_plural = _("会员慰问")
        ordering = ["-event_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "event_date", "relative"], name="welfare_benefit_event_paid_once"
            ),
            models.UniqueConstraint(
                fields=["member", "relative"],
                condition=Q(kind__in=["death", "relative_death"], relative__in=["self", "father", "mother"]),
                name="welfare_benefit_death_paid_once",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="welfare_benefit_amount_not_negative"),
        ]

    def __str__(self):
        return str(_("会员慰问 #%(pk)s") % {"pk": self.pk})

"""The college staff congress (二级教代会); the finance disclosures are in congress/disclosures/.

Congress: terms (届) with their mode (教代会 with elected delegates, or 教职工大会 where every
active member takes part), sessions (次会议) with the proposal collection window and the reply
deadline, delegations and delegates, units that handle proposals, proposals with co-signatures,
timeline, replies and verdicts, suggestions (意见建议), attendance and votes. Every change goes
through congress.services; who may do what is in congress.access.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Branch, Member

# --- Congress, sessions, delegates, proposals ---------------------------------------------


class Term(models.Model):
    """A term of the congress (届), 3–5 years."""

    class Mode(models.TextChoices):
        CONGRESS = "congress", _("教代会（代表制）")
        ASSEMBLY = "assembly", _("教职工大会（全员参加）")

    branch = models.ForeignKey(Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("届次"))
    mode = models.CharField(
        _("形式"),
        max_length=16,
        choices=Mode.choices,
        default=Mode.CONGRESS,
        help_text=_("规模较小的学院召开教职工大会，全体在职会员都视为代表。"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["branch", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "number"], name="uniq_term_number_in_branch")
        ]

    def __str__(self):
        return _("第%(number)s届") % {"number": self.number}

    @property
    def is_assembly(self) -> bool:
        return self.mode == self.Mode.ASSEMBLY


def default_reply_days():
    return settings.CONGRESS_REPLY_DAYS


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from members import access

        return access.in_branch_of(self, user)


class Session(models.Model):
    """A session (次会议) of a term: its meeting dates, proposal window and reply deadline."""

    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("次"))
    title = models.CharField(_("名称"), max_length=120, blank=True)
    starts_on = models.DateField(_("会议开始日期"))
    ends_on = models.DateField(_("会议结束日期"))
    collect_from = models.DateTimeField(_("提案征集开始"))
    collect_until = models.DateTimeField(_("提案征集截止"))
    reply_days = models.PositiveSmallIntegerField(
        _("答复期限（天）"),
        default=default_reply_days,
        help_text=_("立案交办后，承办单位须在多少天内答复（常见为 15 天至 2 个月）。"),
    )
    # Fixed when the session opens (services.session_open), so that a later change of delegates
    # or of the settings never rewrites a past result or a reprinted PDF.
    opened_at = models.DateTimeField(_("开会时间"), null=True, blank=True, editable=False)
    delegates_count = models.PositiveIntegerField(_("应到代表人数"), null=True, blank=True, editable=False)
    quorum_required = models.PositiveIntegerField(_("法定出席人数"), null=True, blank=True, editable=False)
    majority_required = models.PositiveIntegerField(_("通过所需票数"), null=True, blank=True, editable=False)

    branch_lookup = "term__branch"
    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="uniq_session_number_in_term")]

    def __str__(self):
        if self.title:
            return self.title
        return _("第%(term)s届第%(number)s次会议") % {"term": self.term.number, "number": self.number}

    def get_absolute_url(self):
        return reverse("congress:session_detail", args=[self.pk])

    @property
    def branch_id(self):
        return self.term.branch_id

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def is_collecting(self, now=None) -> bool:
        now = now or timezone.now()
        return self.collect_from <= now <= self.collect_until


class Delegation(models.Model):
    """A delegation (代表团) of a term, usually one per department."""

    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.CASCADE, related_name="delegations")
    name = models.CharField(_("名称"), max_length=100)

    branch_lookup = "term__branch"

    class Meta:
        verbose_name = _("代表团")
        verbose_name_plural = _("代表团")
        ordering = ["term", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="uniq_delegation_name_in_term")]

    def __str__(self):
        return self.name


class Delegate(models.Model):
    """A delegate (代表) of a term. In a 教职工大会 term every active member counts instead."""

    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.CASCADE, related_name="delegates")
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="delegate_seats"
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("代表团"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegates",
    )
    on_committee = models.BooleanField(_("提案工作委员会委员"), default=False)

    branch_lookup = "term__branch"

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        ordering = ["term", "delegation", "member__staff_number"]
        constraints = [models.UniqueConstraint(fields=["term", "member"], name="uniq_delegate_in_term")]
        permissions = [("import_delegate", _("可导入代表名单")), ("export_delegate", _("可导出代表名单"))]

    def __str__(self):
        return str(self.member)


class Unit(models.Model):
    """A unit (职能部门/单位) that handles proposals; its contact members enter its replies."""

    branch = models.ForeignKey(Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    contacts = models.ManyToManyField(
        Member, verbose_name=_("联络人"), related_name="congress_units", blank=True
    )

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["branch", "name"]
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="uniq_unit_name_in_branch")]

    def __str__(self):
        return self.name


class ProposalCategory(models.Model):
    """Proposal categories (教学科研, 民生保障, 管理体制, 教代会建设, …): an editable list."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("可选用"), default=True)

    branch_lookup = False  # one list for the installation

    class Meta:
        verbose_name = _("提案类别")
        verbose_name_plural = _("提案类别")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


def unsubmitted() -> models.Q:
    """A draft, or a draft its proposer withdrew before ever submitting it."""
    return models.Q(state=Proposal.State.DRAFT) | models.Q(
        state=Proposal.State.WITHDRAWN, submitted_at__isnull=True
    )


class ProposalQuerySet(models.QuerySet):
    def submitted(self):
        """Proposals their proposer has submitted: a draft (also one withdrawn before it was ever
        submitted) is the proposer's alone, in lists, figures, admin and the audit trail."""
        return self.exclude(unsubmitted())

    def visible_to(self, user):
        """Every member of the branch reads its proposals, except other people's drafts."""
        from congress import access

        return access.proposals_visible_to(self, user)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state=Proposal.State.HANDLING, deadline__lt=today)


class Proposal(models.Model):
    """A proposal (提案) from a delegate, on record from draft to the proposer's verdict."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        COSIGNING = "cosigning", _("征集附议")
        REVIEW = "review", _("待审查")
        RETURNED = "returned", _("退回修改")
        ACCEPTED = "accepted", _("已立案")
        HANDLING = "handling", _("办理中")
        REPLIED = "replied", _("已答复")
        CLOSED = "closed", _("已办结")
        MERGED = "merged", _("已并案")
        CONVERTED = "converted", _("转为意见建议")
        REJECTED = "rejected", _("不予立案")
        WITHDRAWN = "withdrawn", _("已撤销")

    # The one badge of a proposal's state ({% state_badge proposal %}); any other state waits ("warn").
    state_badges = {
        **dict.fromkeys(("closed", "accepted", "replied"), "ok"),
        **dict.fromkeys(("rejected", "withdrawn", "merged", "converted"), "muted"),
        **dict.fromkeys(("draft", "cosigning", "review", "returned", "handling"), "warn"),
    }

    # The proposer may still change it or withdraw it; the committee has not decided.
    OPEN_STATES = (State.DRAFT, State.COSIGNING, State.REVIEW, State.RETURNED)
    # States after 立案 (counted as accepted in the figures).
    ACCEPTED_STATES = (State.ACCEPTED, State.HANDLING, State.REPLIED, State.CLOSED)
    # What the committee decided on.
    DECIDED_STATES = (*ACCEPTED_STATES, State.MERGED, State.CONVERTED, State.REJECTED)

    session = models.ForeignKey(
        Session, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="proposals"
    )
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True, editable=False)
    number = models.CharField(_("提案号"), max_length=20, blank=True, editable=False)
    title = models.CharField(_("案由"), max_length=200)
    reasons = models.TextField(_("理由"))
    measures = models.TextField(_("建议/措施"))
    category = models.ForeignKey(
        ProposalCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="proposals"
    )
    suggested_unit = models.ForeignKey(
        Unit,
        verbose_name=_("建议承办单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposer = models.ForeignKey(
        Member, verbose_name=_("提案人"), on_delete=models.PROTECT, related_name="congress_proposals"
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("代表团"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    co_proposers = models.ManyToManyField(
        Member,
        verbose_name=_("共同提案人"),
        related_name="congress_co_proposals",
        blank=True,
        help_text=_("并案时被并入提案的提案人。"),
    )
    is_collective = models.BooleanField(_("代表团集体提案"), default=False, editable=False)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    decision_reasons = models.TextField(_("审查意见"), blank=True)
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入提案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_proposals",
    )
    follower = models.ForeignKey(
        Member,
        verbose_name=_("包案委员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_proposals",
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_proposals",
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name=_("协办单位"), related_name="supported_proposals", blank=True
    )
    deadline = models.DateField(_("答复期限"), null=True, blank=True)
    handling_round = models.PositiveSmallIntegerField(_("办理轮次"), default=0)
    overdue_noticed_on = models.DateField(_("逾期提醒日期"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    from_suggestion = models.ForeignKey(
        "Suggestion",
        verbose_name=_("来源意见建议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    branch_lookup = "session__term__branch"
    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["session", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "sequence"], name="uniq_proposal_sequence_in_session")
        ]
        indexes = [models.Index(fields=["session", "state"])]
        permissions = [("manage_proposal", _("可审查和交办提案"))]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("congress:proposal_detail", args=[self.pk])

    @property
    def branch_id(self):
        return self.session.term.branch_id

    @property
    def decision_label(self) -> str:
        """The committee's decision (立案 / 并案 / 转为意见建议 / 不予立案), or "" before it."""
        if self.state in self.ACCEPTED_STATES:
            return self.State.ACCEPTED.label
        if self.state in (self.State.MERGED, self.State.CONVERTED, self.State.REJECTED):
            return self.get_state_display()
        return ""

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None or self.state not in (self.State.DRAFT, self.State.WITHDRAWN)

    @property
    def is_overdue(self) -> bool:
        return (
            self.state == self.State.HANDLING
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )


class CoSign(models.Model):
    """A co-signature (附议): invited by the proposer and accepted or declined, or offered freely."""

    class Status(models.TextChoices):
        INVITED = "invited", _("已邀请")
        ACCEPTED = "accepted", _("已附议")
        DECLINED = "declined", _("已谢绝")

    state_field = "status"
    state_badges = {"invited": "warn", "accepted": "ok", "declined": "ok"}

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="cosigns"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="cosigns"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.INVITED)
    invited = models.BooleanField(_("受邀"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    branch_lookup = "proposal__session__term__branch"

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        ordering = ["proposal", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="uniq_cosign")]

    def __str__(self):
        return f"{self.member.name} · {self.get_status_display()}"


class ProposalEvent(models.Model):
    """One step on a proposal's timeline; public events are shown to every member of the branch."""

    class Kind(models.TextChoices):
        CREATED = "created", _("起草")
        SUBMITTED = "submitted", _("提交")
        INVITED = "invited", _("邀请附议")
        COSIGNED = "cosigned", _("附议")
        DECLINED = "declined", _("谢绝附议")
        READY = "ready", _("附议人数已满，提交审查")
        RETURNED = "returned", _("退回修改")
        ACCEPTED = "accepted", _("立案")
        MERGED = "merged", _("并案")
        CONVERTED = "converted", _("转为意见建议")
        REJECTED = "rejected", _("不予立案")
        WITHDRAWN = "withdrawn", _("撤销")
        ASSIGNED = "assigned", _("交办")
        EXTENDED = "extended", _("延长答复期限")
        INPUT = "input", _("协办意见")
        REPLIED = "replied", _("答复")
        RATED = "rated", _("评价")
        REOPENED = "reopened", _("重新办理")
        DONE = "done", _("办结")
        OVERDUE = "overdue", _("逾期未答复")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=60, blank=True)
    note = models.TextField(_("说明"), blank=True)
    is_public = models.BooleanField(_("公开"), default=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    branch_lookup = "proposal__session__term__branch"

    class Meta:
        verbose_name = _("提案进程")
        verbose_name_plural = _("提案进程")
        ordering = ["proposal", "created_at", "pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.get_kind_display()}"


class Reply(models.Model):
    """A unit's reply (答复), or a supporting unit's input to the lead unit (协办意见)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("主办单位答复")
        INPUT = "input", _("协办单位意见")

    class Grade(models.TextChoices):
        SOLVED = "solved", _("已解决")
        IN_PROGRESS = "in_progress", _("正在解决")
        PLANNED = "planned", _("计划解决")
        REFERENCE = "reference", _("留作参考")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="replies"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="replies")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.REPLY)
    handling_round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    body = models.TextField(_("答复内容"), help_text=_("采取的措施，或不能采纳的原因。"))
    completion_date = models.DateField(_("预计完成日期"), null=True, blank=True)
    grade = models.CharField(_("答复类别"), max_length=16, choices=Grade.choices, blank=True)
    on_time = models.BooleanField(_("按期答复"), default=True)
    author = models.ForeignKey(
        Member, verbose_name=_("填写人"), on_delete=models.PROTECT, related_name="congress_replies"
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    branch_lookup = "proposal__session__term__branch"

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["proposal", "created_at", "pk"]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"


class Verdict(models.Model):
    """The proposer's (or a co-signer's) rating of a reply (满意 / 基本满意 / 不满意)."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="verdicts"
    )
    member = models.ForeignKey(Member, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+")
    handling_round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices)
    reason = models.TextField(_("理由"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    branch_lookup = "proposal__session__term__branch"

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["proposal", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member", "handling_round"], name="uniq_verdict_per_round"
            )
        ]

    def __str__(self):
        return self.get_rating_display()


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from congress import access

        return access.suggestions_visible_to(self, user)


class Suggestion(models.Model):
    """A suggestion (意见建议) any member may send at any time; secretaries answer or route it."""

    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        ROUTED = "routed", _("已转交单位")
        ANSWERED = "answered", _("已答复")
        TAKEN_UP = "taken_up", _("已转为提案")

    state_badges = {"open": "warn", "routed": "ok", "answered": "ok", "taken_up": "ok"}

    branch = models.ForeignKey(Branch, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        Member, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="congress_suggestions"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN)
    unit = models.ForeignKey(
        Unit, verbose_name=_("转交单位"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    from_proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("来源提案"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="as_suggestion",
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """Who attended a session (a delegate, or any active member of a 教职工大会)."""

    session = models.ForeignKey(
        Session, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(Member, verbose_name=_("出席人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    branch_lookup = "session__term__branch"

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")
        ordering = ["session", "member__staff_number"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="uniq_attendance")]

    def __str__(self):
        return str(self.member)


class Vote(models.Model):
    """A vote at a session: it counts only when the attendance reached the quorum, and passes with
    more than half (or, by the setting, half) of ALL delegates of the session voting yes."""

    session = models.ForeignKey(
        Session, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="votes"
    )
    item = models.CharField(_("表决事项"), max_length=200)
    yes = models.PositiveIntegerField(_("赞成"), default=0)
    no = models.PositiveIntegerField(_("反对"), default=0)
    abstain = models.PositiveIntegerField(_("弃权"), default=0)
    present = models.PositiveIntegerField(_("出席人数"), default=0, editable=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    branch_lookup = "session__term__branch"

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["session", "created_at", "pk"]

    def __str__(self):
        return self.item


# The finance disclosures live in congress/disclosures/, models of this same app: imported here so
# the app registry sees them.
from congress.disclosures.models import (  # noqa: E402, F401
    Disclosure,
    DisclosureAttachment,
    DisclosureLine,
    DisclosureQuerySet,
    FinanceCategory,
)

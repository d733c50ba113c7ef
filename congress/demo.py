"""Demo congress: the current term with delegations and delegates, units with contacts, a past
session with proposals in every final state (with replies and verdicts), attendance and votes,
a current session collecting proposals, and suggestions from ordinary members.

Idempotent: terms, sessions, delegations, units and categories are matched by name or number;
a session's proposals and the suggestions are made only when there are none yet. Everything
goes through congress.services, so the timelines, notices and audit entries are the real ones.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from congress import services
from congress.models import (
    Delegate,
    Delegation,
    Disclosure,
    DisclosureLine,
    FinanceCategory,
    Proposal,
    ProposalCategory,
    ProposalEvent,
    Reply,
    Session,
    Suggestion,
    Term,
    Unit,
    Verdict,
)
from members.models import Member

CATEGORIES = ["教学科研", "民生保障", "管理体制", "教代会建设", "其他"]
DELEGATIONS = ["数学系代表团", "统计系代表团", "机关与教辅代表团"]
UNITS = ["学院办公室", "教学办公室", "科研办公室", "人事秘书", "实验与计算中心"]

PAST = [
    # title, category, reasons, measures, outcome
    (
        "增加教师休息室的饮水和微波炉设施",
        "民生保障",
        "教学楼三楼教师休息室只有一台饮水机，午间排队时间长。",
        "在各楼层休息室增设饮水机和微波炉，并由学院办公室定期维护。",
        "closed",
    ),
    (
        "完善青年教师教学导师制度",
        "教学科研",
        "新入职教师缺少系统的教学指导，听课评课流于形式。",
        "为每位新教师配备教学导师，明确听课次数与考核办法。",
        "closed_unsatisfied",
    ),
    (
        "公开学院年度经费预算执行情况",
        "管理体制",
        "教职工对学院经费使用情况了解不多。",
        "每学期在教代会上通报经费预算执行情况，并在学院网站公开。",
        "basic",
    ),
    (
        "改善实验室通风条件",
        "民生保障",
        "计算中心机房夏季温度过高，影响设备和人员健康。",
        "加装空调和新风系统，制定机房值守制度。",
        "overdue",
    ),
    ("教师休息室增设饮水设备", "民生保障", "与饮水设施相关的同类诉求。", "增设饮水机。", "merged"),
    ("调整学院停车位分配方式", "其他", "停车位紧张。", "按需分配车位。", "converted"),
    (
        "为每位教师配备独立办公室",
        "民生保障",
        "现有办公用房紧张，多人合用一间。",
        "新建办公楼，保证每人一间。",
        "rejected",
    ),
    ("增设周末班车", "民生保障", "周末到校加班的老师交通不便。", "开通周末班车。", "withdrawn"),
]

CURRENT = [
    (
        "设立教职工子女假期托管班",
        "民生保障",
        "寒暑假期间双职工子女无人照看。",
        "与校工会合作，在学院开设假期托管班，收取成本费用。",
        "review",
    ),
    (
        "规范科研项目经费报销流程",
        "管理体制",
        "报销环节多、周期长，占用教师大量时间。",
        "推行线上报销，明确各环节办理时限。",
        "cosigning",
    ),
    (
        "建设教代会代表履职档案",
        "教代会建设",
        "代表履职情况缺少记录。",
        "建立代表履职档案，年度通报。",
        "draft",
    ),
]

SUGGESTIONS = [
    ("食堂晚餐供应时间能否延长", "晚上有课的老师下课后食堂已关门，希望延长到 19:30。", "answered"),
    ("学院网站通知栏更新不及时", "很多通知在网站上找不到，建议统一发布。", "routed"),
    ("希望组织教职工体检结果解读讲座", "体检报告看不懂，希望请校医院医生讲解。", "open"),
]


def load(context):
    load_congress(context)
    load_disclosures(context)


def load_congress(context):
    branch = context["branch"]
    members = [m for m in context["members"] if m.status == Member.Status.ACTIVE]
    by_username = {m.staff_number: m for m in context["members"]}
    secretary = by_username["secretary"]

    for order, name in enumerate(CATEGORIES):
        ProposalCategory.objects.get_or_create(name=name, defaults={"sort_order": order})
    categories = {c.name: c for c in ProposalCategory.objects.all()}

    today = timezone.localdate()
    term, _ = Term.objects.get_or_create(
        branch=branch,
        number=3,
        defaults={"starts_on": date(today.year - 2, 1, 1), "ends_on": date(today.year + 2, 12, 31)},
    )
    delegations = [Delegation.objects.get_or_create(term=term, name=name)[0] for name in DELEGATIONS]
    ordinary = [m for m in members if m.staff_number.startswith("m")]
    delegates = ordinary[:18] + [secretary]
    for index, member in enumerate(delegates):
        Delegate.objects.get_or_create(
            term=term,
            member=member,
            defaults={"delegation": delegations[index % 3], "on_committee": member == secretary or index < 2},
        )
    contacts = ordinary[30:35]
    units = []
    for name, contact in zip(UNITS, contacts, strict=True):
        unit, _ = Unit.objects.get_or_create(branch=branch, name=name)
        unit.contacts.add(contact)
        units.append(unit)

    past, created_past = Session.objects.get_or_create(
        term=term,
        number=1,
        defaults=_window(today, starts=today - timedelta(days=330)),
    )
    if created_past or not past.proposals.exists():
        _build_past(past, delegates, categories, units, secretary)
    current, created_current = Session.objects.get_or_create(
        term=term, number=2, defaults=_window(today, starts=today + timedelta(days=20))
    )
    if created_current or not current.proposals.exists():
        _build_current(current, delegates, categories, units)
    _build_suggestions(ordinary[40:43], units, secretary)

    context["accounts"].append((delegates[0].staff_number, "会员 · 教代会代表（提案人）"))
    context["accounts"].append((contacts[0].staff_number, f"会员 · {UNITS[0]}联络人（答复提案）"))


def _window(today, *, starts):
    now = timezone.now()
    return {
        "starts_on": starts,
        "ends_on": starts + timedelta(days=1),
        "collect_from": now - timedelta(days=10),
        "collect_until": now + timedelta(days=15),
        "reply_days": 30,
    }


def _draft(session, proposer, row, categories, unit):
    title, category, reasons, measures, _outcome = row
    return services.proposal_create(
        user=proposer.user,
        session=session,
        data={
            "title": title,
            "reasons": reasons,
            "measures": measures,
            "category": categories[category],
            "suggested_unit": unit,
        },
    )


def _cosigned(proposal, cosigners):
    services.proposal_submit(user=proposal.proposer.user, proposal=proposal, invitees=cosigners)
    for cosigner in cosigners:
        services.cosign_accept(user=cosigner.user, proposal=proposal)
    proposal.refresh_from_db()
    return proposal


def _build_past(session, delegates, categories, units, secretary):
    """Run the past session's proposals through the services, then move their dates back."""
    user = secretary.user
    made = {}
    for index, row in enumerate(PAST):
        proposer = delegates[index]
        cosigners = [delegates[(index + 5) % 18], delegates[(index + 11) % 18]]
        proposal = _draft(session, proposer, row, categories, units[index % len(units)])
        outcome = row[4]
        if outcome == "withdrawn":
            services.proposal_submit(user=proposer.user, proposal=proposal, invitees=cosigners[:1])
            services.proposal_withdraw(user=proposer.user, proposal=proposal)
            continue
        proposal = _cosigned(proposal, cosigners)
        made[outcome] = proposal
        if outcome == "merged":
            services.proposal_merge(
                user=user, proposal=proposal, into=made["closed"], reasons="与 1 号提案内容相同，并案办理。"
            )
        elif outcome == "converted":
            services.proposal_convert(
                user=user, proposal=proposal, reasons="属学院日常管理事项，转学院办公室办理。"
            )
        elif outcome == "rejected":
            services.proposal_reject(
                user=user, proposal=proposal, reasons="超出学院职权和现有条件，暂不立案。"
            )
        else:
            services.proposal_accept(
                user=user, proposal=proposal, reasons="符合立案条件。", follower=secretary
            )
            proposal = services.proposal_assign(
                user=user,
                proposal=proposal,
                lead_unit=units[0 if index != 3 else 4],
                supporting_units=[units[1]],
            )
            if outcome == "overdue":
                continue
            contact = proposal.lead_unit.contacts.first()
            services.reply_input(
                user=units[1].contacts.first().user, proposal=proposal, body="协办单位同意主办单位的方案。"
            )
            services.reply_submit(
                user=contact.user,
                proposal=proposal,
                body="已列入本年度工作计划，分两批落实。",
                grade=Reply.Grade.IN_PROGRESS if outcome == "basic" else Reply.Grade.SOLVED,
                completion_date=timezone.localdate() + timedelta(days=60),
            )
            if outcome == "closed":
                services.verdict_record(
                    user=proposal.proposer.user, proposal=proposal, rating=Verdict.Rating.SATISFIED
                )
            elif outcome == "basic":
                services.verdict_record(
                    user=proposal.proposer.user, proposal=proposal, rating=Verdict.Rating.BASIC
                )
            elif outcome == "closed_unsatisfied":
                services.verdict_record(
                    user=proposal.proposer.user,
                    proposal=proposal,
                    rating=Verdict.Rating.UNSATISFIED,
                    reason="导师人选和考核办法仍不明确。",
                )
                services.reply_submit(
                    user=contact.user,
                    proposal=proposal,
                    body="已公布导师名单和考核细则。",
                    grade=Reply.Grade.SOLVED,
                )
                services.verdict_record(
                    user=proposal.proposer.user,
                    proposal=proposal,
                    rating=Verdict.Rating.UNSATISFIED,
                    reason="考核细则仍未落实到各系。",
                )
    # Attendance and two votes at the meeting.
    services.attendance_record(user=user, session=session, members=delegates[:16])
    services.vote_record(
        user=user, session=session, item="关于学院年度工作报告的决议", yes=15, no=0, abstain=1
    )
    services.vote_record(
        user=user, session=session, item="关于修订学院绩效分配办法的决议", yes=9, no=4, abstain=3
    )
    # The meeting was ten months ago: move the record's dates back, and close the window.
    shift = timedelta(days=300)
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        collect_from=now - shift - timedelta(days=40), collect_until=now - shift - timedelta(days=5)
    )
    proposals = Proposal.objects.filter(session=session)
    for proposal in proposals:
        Proposal.objects.filter(pk=proposal.pk).update(
            submitted_at=proposal.submitted_at and proposal.submitted_at - shift,
            decided_at=proposal.decided_at and proposal.decided_at - shift,
            closed_at=proposal.closed_at and proposal.closed_at - shift,
            deadline=proposal.deadline and proposal.deadline - shift,
        )
    for model in (ProposalEvent, Reply, Verdict):
        for obj in model.objects.filter(proposal__session=session):
            model.objects.filter(pk=obj.pk).update(created_at=obj.created_at - shift)
    Reply.objects.filter(proposal__session=session).update(on_time=True)


def _build_current(session, delegates, categories, units):
    for index, row in enumerate(CURRENT):
        proposer = delegates[index + 3]
        proposal = _draft(session, proposer, row, categories, units[index % len(units)])
        if row[4] == "review":
            _cosigned(proposal, [delegates[0], delegates[7]])
        elif row[4] == "cosigning":
            services.proposal_submit(
                user=proposer.user, proposal=proposal, invitees=[delegates[0], delegates[8]]
            )
            services.cosign_accept(user=delegates[8].user, proposal=proposal)


def _build_suggestions(authors, units, secretary):
    for author, (title, body, outcome) in zip(authors, SUGGESTIONS, strict=True):
        if Suggestion.objects.filter(author=author, title=title).exists():
            continue
        suggestion = services.suggestion_submit(user=author.user, title=title, body=body)
        if outcome == "answered":
            services.suggestion_answer(
                user=secretary.user,
                suggestion=suggestion,
                answer="已与后勤协商，自下月起晚餐供应延长至 19:30。",
            )
        elif outcome == "routed":
            services.suggestion_route(user=secretary.user, suggestion=suggestion, unit=units[0])


# --- Finance disclosures ---
# Last year's four quarters and this year's first three, published by the treasurer and
# confirmed by the chair (four eyes); last year's second quarter was corrected once.

# (first-level, category, item, budget, typical actual as a share of the budget, headcount, note)
EVERY_QUARTER = [
    ("会费收入", None, "会员会费（0.5%）", 21000, 1.0, None, ""),
    ("拨缴经费收入", None, "学校工会返还拨缴经费", 38000, 1.0, None, ""),
    ("行政补助收入", None, "学院行政补助", 8000, 1.0, None, ""),
    ("职工活动支出", "会员活动支出", "会员生日慰问（蛋糕券）", 9000, 0.97, None, "每人不超过 300 元"),
    ("职工活动支出", "宣传活动支出", "宣传栏与活动摄影", 1200, 0.9, None, ""),
    ("业务支出", "其他业务支出", "办公用品与活动室水电", 1500, 0.95, None, ""),
]
SEASONAL = {
    1: [
        (
            "职工活动支出",
            "会员活动支出",
            "春节慰问品",
            45000,
            0.98,
            124,
            "每人不超过 1,500 元/年（含各节日）",
        ),
        ("维权支出", "送温暖支出", "新春走访离退休与困难教职工", 8000, 0.95, 16, ""),
        ("维权支出", "困难职工帮扶支出", "大病补助（春节前一次性）", 12000, 1.0, 3, "人次与金额，不公开姓名"),
        ("职工活动支出", "文体活动支出", "三八妇女节插花沙龙", 3000, 0.92, None, ""),
        ("业务支出", "会议支出", "二级教代会暨会员代表大会", 3000, 0.83, None, ""),
    ],
    2: [
        ("上级补助收入", None, "校工会文体活动专项补助", 10000, 1.0, None, ""),
        (
            "职工活动支出",
            "文体活动支出",
            "春季教职工运动会",
            18000,
            1.08,
            None,
            "增设拔河项目，超出预算部分经分工会委员会同意",
        ),
        ("职工活动支出", "文体活动支出", "教职工羽毛球团体赛", 6000, 0.9, None, ""),
        ("职工活动支出", "文体活动支出", "“五月的鲜花”合唱比赛服装", 7000, 0.96, None, ""),
        ("职工活动支出", "职工教育支出", "法律与心理健康讲座讲课费", 4000, 0.75, None, ""),
        ("职工活动支出", "会员活动支出", "端午节慰问品", 20000, 0.99, 124, ""),
        ("维权支出", "劳动保护支出", "教职工体检加项补贴", 6000, 0.9, None, ""),
    ],
    3: [
        ("职工活动支出", "会员活动支出", "中秋节慰问品", 30000, 0.98, 124, ""),
        ("职工活动支出", "职工集体福利支出", "教师节暨新教职工欢迎会", 5000, 0.93, None, ""),
        ("职工活动支出", "文体活动支出", "中秋游园会", 6000, 0.88, None, ""),
        ("资本性支出", None, "职工之家活动室健身器材", 15000, 0.97, None, "固定资产已登记"),
        ("业务支出", "培训支出", "工会干部培训", 3000, 0.8, None, ""),
    ],
    4: [
        ("职工活动支出", "文体活动支出", "重阳节离退休教职工秋游", 9000, 0.94, 28, ""),
        ("职工活动支出", "文体活动支出", "元旦联欢会", 12000, 0.97, None, ""),
        ("职工活动支出", "会员活动支出", "会员住院与婚育慰问", 8000, 0.85, 11, "人次与金额，不公开姓名"),
        ("维权支出", "困难职工帮扶支出", "年度困难补助", 20000, 0.9, 6, "人次与金额，不公开姓名"),
        ("维权支出", "法律援助支出", "劳动合同咨询律师费", 2000, 1.0, None, ""),
        ("业务支出", "会议支出", "年终工作总结会", 1500, 0.9, None, ""),
    ],
}
QUARTER_TITLES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
QUARTER_PUBLISHED = {1: (4, 15), 2: (7, 15), 3: (10, 15), 4: (1, 15)}
CORRECTION_REASON = "第二季度运动会器材费 1,280 元的发票重复入账，调减“春季教职工运动会”实际支出；其余不变。"


def load_disclosures(context):
    branch = context["branch"]
    User = get_user_model()
    treasurer = User.objects.get(username="treasurer")
    chair = User.objects.get(username="officer")  # 分工会主席: the second person who confirms
    chair.user_permissions.add(
        Permission.objects.get(content_type__app_label="congress", codename="confirm_disclosure")
    )

    categories = {
        (category.parent.name if category.parent_id else None, category.name): category
        for category in FinanceCategory.objects.select_related("parent")
    }

    def category_for(top, leaf):
        return categories[(top, leaf)] if leaf else categories[(None, top)]

    today = timezone.localdate()
    rng = random.Random(2017)
    plan = [(today.year - 1, quarter) for quarter in (1, 2, 3, 4)] + [
        (today.year, quarter) for quarter in (1, 2, 3)
    ]
    made = {}
    for year, quarter in plan:
        month, day = QUARTER_PUBLISHED[quarter]
        published_on = datetime(year + (1 if quarter == 4 else 0), month, day)
        if published_on.date() > today:
            continue
        when = timezone.make_aware(datetime.combine(published_on.date(), time(10, 0)))
        disclosure, created = Disclosure.objects.get_or_create(
            branch=branch,
            year=year,
            period=f"Q{quarter}",
            revision=1,
            defaults={
                "title": f"{branch.short_name or branch.name}{year}年{QUARTER_TITLES[quarter]}经费收支公开",
                "summary": "本季度经费收支情况如下，请各位会员监督。有疑问请联系分工会财务委员。",
                "state": Disclosure.State.PUBLISHED,
                "created_by": treasurer,
                "submitted_by": treasurer,
                "submitted_at": when,
                "confirmed_by": chair,
                "published_at": when,
            },
        )
        made[(year, quarter)] = disclosure
        if not created:
            continue
        growth = Decimal("1.04") if year == today.year else Decimal("1.00")
        lines = []
        for order, (top, leaf, item, budget, ratio, headcount, note) in enumerate(
            EVERY_QUARTER + SEASONAL[quarter]
        ):
            planned = (Decimal(budget) * growth).quantize(Decimal("1"))
            wobble = (
                Decimal(str(round(ratio + rng.uniform(-0.02, 0.02), 3))) if ratio != 1.0 else Decimal("1")
            )
            lines.append(
                DisclosureLine(
                    disclosure=disclosure,
                    category=category_for(top, leaf),
                    item=item,
                    budget=planned,
                    actual=(planned * wobble).quantize(Decimal("0.01")),
                    headcount=headcount,
                    note=note,
                    sort_order=order,
                )
            )
        DisclosureLine.objects.bulk_create(lines)

    # One correction with its reason: last year's second quarter.
    original = made.get((today.year - 1, 2))
    if original is not None and not Disclosure.objects.filter(supersedes=original).exists():
        when = timezone.make_aware(datetime(today.year - 1, 8, 2, 9, 30))
        corrected = Disclosure.objects.create(
            branch=branch,
            year=original.year,
            period=original.period,
            title=original.title,
            summary=original.summary,
            revision=2,
            supersedes=original,
            reason=CORRECTION_REASON,
            state=Disclosure.State.PUBLISHED,
            created_by=treasurer,
            submitted_by=treasurer,
            submitted_at=when,
            confirmed_by=chair,
            published_at=when,
        )
        copies = []
        for line in original.lines.all():
            line.pk = None
            line.disclosure = corrected
            if line.item == "春季教职工运动会":
                line.actual -= Decimal("1280.00")
                line.note = "已调减重复入账的器材费 1,280 元"
            copies.append(line)
        DisclosureLine.objects.bulk_create(copies)

    # A draft of the fourth quarter this year, for the treasurer to finish.
    if today.month >= 11:
        Disclosure.objects.get_or_create(
            branch=branch,
            year=today.year,
            period="Q4",
            revision=1,
            defaults={
                "title": f"{branch.short_name or branch.name}{today.year}年第四季度经费收支公开（草稿）",
                "created_by": treasurer,
            },
        )

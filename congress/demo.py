"""Demo congress: the current term with delegations and delegates, units with contacts, a past
session with proposals in every final state (with replies and verdicts), attendance and votes,
a current session collecting proposals, and suggestions from ordinary members.

Idempotent: terms, sessions, delegations, units and categories are matched by name or number;
a session's proposals and the suggestions are made only when there are none yet. Everything
goes through congress.services, so the timelines, notices and audit entries are the real ones.
"""

from datetime import date, timedelta

from django.utils import timezone

from congress import services
from congress.models import (
    Delegate,
    Delegation,
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
    from congress.disclosures.demo import load_disclosures

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
    # The meeting opens (delegates, quorum and majority fixed), then attendance and two votes.
    session.refresh_from_db()
    if not session.is_open:
        services.session_open(user=user, session=session)
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

"""Demo: this year's hardship-aid round with a dozen cases in every state and ground, one emergency
case, care visits and condolence benefits.

Cases move through the real services (the timeline and audit entries are the ones officers
would leave): `welfare` (林秀英, 帮扶专员, TOTP not yet set up, so the set-up step shows) files
and reviews them, `admin` approves (four eyes). Idempotent: nothing is added to a round that
already has cases, and visits and benefits are matched by member and date.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from welfare import services
from welfare.models import AidCap, AidCase, AidRound, Benefit, BenefitKind, CareVisit, Ground, Relative

# A 1x1 PNG and a one-line PDF: stand-ins for a photographed certificate and a hospital bill.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

CAPS = [
    (Ground.OWN_ILLNESS, "2000", "5000"),
    (Ground.RELATIVE_ILLNESS, "2000", "5000"),
    (Ground.ACCIDENT, "3000", "5000"),
    (Ground.LOW_INCOME, "1500", "3000"),
    (Ground.OTHER, "1000", "2000"),
]

# (staff number, ground, track, target state, requested, consent, description)
CASES = [
    ("m010", Ground.LOW_INCOME, "annual", "draft", "1500", True, "爱人失业，两个孩子上学，家庭月收入偏低。"),
    (
        "m011",
        Ground.OWN_ILLNESS,
        "annual",
        "submitted",
        "2000",
        True,
        "本人今年确诊需长期治疗，自付费用较多。",
    ),
    (
        "m012",
        Ground.RELATIVE_ILLNESS,
        "annual",
        "group_opinion",
        "2000",
        True,
        "母亲住院手术，自付部分较多。",
    ),
    ("m013", Ground.ACCIDENT, "annual", "reviewed", "3000", True, "暑期家中遭水淹，家具电器损失。"),
    ("m014", Ground.OWN_ILLNESS, "annual", "decided", "2000", True, "本人术后康复，需继续用药。"),
    ("m015", Ground.RELATIVE_ILLNESS, "annual", "approved", "1800", False, "父亲长期透析，家庭负担重。"),
    ("m016", Ground.LOW_INCOME, "annual", "notice", "1200", True, "单亲抚养孩子，收入低于学校困难线。"),
    ("m017", Ground.OWN_ILLNESS, "annual", "notice", "2000", True, "本人重病住院两次。"),
    ("m018", Ground.ACCIDENT, "annual", "paid", "2500", True, "车祸受伤，误工并自付医疗费。"),
    ("m019", Ground.OWN_ILLNESS, "annual", "closed", "2000", True, "本人大病治疗，年内费用较高。"),
    ("m020", Ground.OTHER, "annual", "rejected", "1000", True, "购房后还贷压力大。"),
    ("m021", Ground.LOW_INCOME, "annual", "withdrawn", "1000", True, "家庭收入偏低。"),
    ("m022", Ground.ACCIDENT, "emergency", "reviewed", "3000", True, "家中突发火灾，急需救助。"),
]
ORDER = ["draft", "submitted", "group_opinion", "reviewed", "decided", "approved", "notice", "paid", "closed"]


def load(context):
    branch = context["branch"]
    by_number = {member.staff_number: member for member in context["members"]}
    User = get_user_model()
    welfare = User.objects.get(username="welfare")
    approver = User.objects.get(username="admin")
    today = timezone.localdate()

    round_, _ = AidRound.objects.get_or_create(
        branch=branch,
        year=today.year,
        defaults={
            "name": f"{today.year} 年度困难补助",
            "opens_on": today - datetime.timedelta(days=40),
            "closes_on": today + datetime.timedelta(days=20),
            "budget": Decimal("30000"),
        },
    )
    for ground, per_case, per_year in CAPS:
        AidCap.objects.get_or_create(
            round=round_,
            ground=ground,
            defaults={"per_case": Decimal(per_case), "per_year": Decimal(per_year)},
        )
    if not AidCase.objects.filter(round=round_).exists():
        for number, ground, track, target, requested, consent, description in CASES:
            _make_case(
                member=by_number[number],
                round_=round_,
                ground=ground,
                track=track,
                target=target,
                requested=Decimal(requested),
                consent=consent,
                description=description,
                welfare=welfare,
                approver=approver,
                today=today,
                household=[by_number["m030"]] if number == "m010" else [],
            )

    visits = [
        (
            "m011",
            -20,
            CareVisit.Occasion.ILLNESS,
            "林秀英、陈建华",
            "水果、营养品",
            "500",
            "术后在家休养，精神尚可。",
        ),
        ("m017", -35, CareVisit.Occasion.ILLNESS, "林秀英", "慰问金", "800", "住院期间探望，家属陪护。"),
        ("m016", -60, CareVisit.Occasion.HARDSHIP, "陈建华、林秀英", "米、油", None, "了解孩子上学情况。"),
        (
            "m110",
            -300,
            CareVisit.Occasion.RETIREE,
            "陈建华、孙丽娟",
            "春节慰问品",
            None,
            "新春走访退休教师。",
        ),
        ("m112", -300, CareVisit.Occasion.HOLIDAY, "陈建华", "春节慰问品", None, ""),
    ]
    for number, days, occasion, visitors, gift, amount, notes in visits:
        member = by_number[number]
        visit = CareVisit.objects.filter(
            member=member, visited_on=today + datetime.timedelta(days=days)
        ).first()
        if visit is None:
            services.care_visit_save(
                actor=welfare,
                visit=CareVisit(
                    branch=branch,
                    member=member,
                    visited_on=today + datetime.timedelta(days=days),
                    visitors=visitors,
                    occasion=occasion,
                    gift=gift,
                    amount=Decimal(amount) if amount else None,
                    notes=notes,
                ),
            )

    benefits = [
        ("m031", "birthday", -40, "200", "goods", "生日蛋糕券", True),
        ("m032", "marriage", -90, "600", "transfer", "", True),
        ("m033", "childbirth", -75, "600", "transfer", "", True),
        ("m011", "hospital", -25, "1000", "transfer", "", True),
        ("m034", "relative_death", -120, "1000", "cash", "", True),
        ("m035", "holiday", -10, "300", "goods", "中秋月饼", False),
        ("m111", "retirement", -200, "1000", "transfer", "", True),
    ]
    for number, kind, days, amount, form, gift, signed in benefits:
        member = by_number[number]
        day = today + datetime.timedelta(days=days)
        if not Benefit.objects.filter(member=member, kind=kind, event_date=day).exists():
            relative = Relative.FATHER if kind == BenefitKind.RELATIVE_DEATH else Relative.SELF
            services.benefit_save(
                actor=welfare,
                benefit=Benefit(
                    branch=branch,
                    member=member,
                    kind=kind,
                    event_date=day,
                    relative=relative,
                    amount=Decimal(amount),
                    payment_form=form,
                    gift=gift,
                    paid_on=day + datetime.timedelta(days=3),
                    receipt_signed=signed,
                ),
            )


def _make_case(
    *,
    member,
    round_,
    ground,
    track,
    target,
    requested,
    consent,
    description,
    welfare,
    approver,
    today,
    household,
):
    files = [
        SimpleUploadedFile(
            "诊断证明.jpg" if ground in (Ground.OWN_ILLNESS, Ground.RELATIVE_ILLNESS) else "证明.png", PNG
        ),
        SimpleUploadedFile("费用清单.pdf", PDF),
    ]
    case = services.case_create(
        actor=member.user,
        member=member,
        round=round_,
        ground=ground,
        track=track,
        description=description,
        household_size=3 + len(member.name) % 3,
        income_per_head=Decimal("1800") if ground == Ground.LOW_INCOME else Decimal("4200"),
        medical_costs=Decimal("23000") if "illness" in ground else None,
        amount_requested=requested,
        consent_to_notice=consent,
        household_members=household,
        files=files,
        submit=target != "draft",
    )
    if target == "withdrawn":
        services.case_withdraw(actor=member.user, case=case, comment="家里情况好转")
        return
    if target == "rejected":
        services.case_record_group_opinion(actor=welfare, case=case, opinion="小组了解情况属实。")
        services.case_reject(
            actor=welfare,
            case=case,
            reasons="房贷支出不属于本办法规定的补助情形；家庭人均收入高于学校困难线。",
        )
        return
    reached = ORDER.index(target)
    if reached >= ORDER.index("group_opinion"):
        services.case_record_group_opinion(
            actor=welfare, case=case, opinion="小组走访核实，情况属实，同意申请。"
        )
    if reached >= ORDER.index("reviewed"):
        services.case_review(
            actor=welfare,
            case=case,
            exclusion_checks="无违法违纪造成的费用；配偶有工作能力并已就业。",
            meeting_on=today - datetime.timedelta(days=12),
            decided_by="陈建华、林秀英、孙丽娟、赵志远（分工会委员会）",
        )
    if reached >= ORDER.index("decided"):
        services.case_record_decision(
            actor=welfare,
            case=case,
            decided_on=today - datetime.timedelta(days=9),
            reference=f"校工〔{today.year}〕{30 + case.pk}号",
            amount=requested,
        )
    if reached >= ORDER.index("approved"):
        services.case_approve(actor=approver, case=case)
        if not consent:
            services.case_skip_notice(
                actor=welfare, case=case, reason="申请人不同意公示（涉及病情隐私），经分工会集体决定不公示。"
            )
    if reached >= ORDER.index("notice"):
        starts = today - datetime.timedelta(days=1 if target == "notice" else 20)
        services.case_start_notice(actor=welfare, case=case, starts_on=starts)
    if reached >= ORDER.index("paid"):
        services.case_pay(
            actor=welfare, case=case, paid_on=today - datetime.timedelta(days=5), amount=requested
        )
    if reached >= ORDER.index("closed"):
        services.case_close(actor=welfare, case=case)

"""Demo finance disclosures (called from congress.demo.load)."""

import random
from datetime import datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from congress.disclosures.models import Disclosure, DisclosureLine, FinanceCategory

# Last year's four quarters and this year's first three, published by the treasurer and
# confirmed by the chair (four eyes); last year's second quarter was corrected once.

# (first-level, category, item, budget, typical actual as a share of the budget, headcount, note)
EVERY_QUARTER = [
    ("会费收入", None, "会员会费（0.5%）", 21000, 1.0, None, ""),
    ("拨缴经费收入", None, "学校工会返还拨缴经费", 38000, 1.0, None, ""),
    ("行政补助收入", None, "学院行政补助", 8000, 1.0, None, ""),
    ("职工活动支出", "职工集体福利支出", "会员生日慰问（蛋糕券）", 9000, 0.97, None, "每人不超过 300 元"),
    ("职工活动支出", "宣传活动支出", "宣传栏与活动摄影", 1200, 0.9, None, ""),
    ("业务支出", "其他业务支出", "办公用品与活动室水电", 1500, 0.95, None, ""),
]
SEASONAL = {
    1: [
        (
            "职工活动支出",
            "职工集体福利支出",
            "春节慰问品",
            45000,
            0.98,
            124,
            "每人不超过 1,500 元/年（含各节日）",
        ),
        ("维权支出", "送温暖费", "新春走访离退休与困难教职工", 8000, 0.95, 16, ""),
        ("维权支出", "困难职工帮扶费", "大病补助（春节前一次性）", 12000, 1.0, 3, "人次与金额，不公开姓名"),
        ("职工活动支出", "文体活动支出", "三八妇女节插花沙龙", 3000, 0.92, None, ""),
        ("业务支出", "会议费", "二级教代会暨会员代表大会", 3000, 0.83, None, ""),
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
        ("职工活动支出", "职工集体福利支出", "端午节慰问品", 20000, 0.99, 124, ""),
        ("维权支出", "劳动保护费", "教职工体检加项补贴", 6000, 0.9, None, ""),
    ],
    3: [
        ("职工活动支出", "职工集体福利支出", "中秋节慰问品", 30000, 0.98, 124, ""),
        ("职工活动支出", "职工集体福利支出", "教师节暨新教职工欢迎会", 5000, 0.93, None, ""),
        ("职工活动支出", "文体活动支出", "中秋游园会", 6000, 0.88, None, ""),
        ("资本性支出", None, "职工之家活动室健身器材", 15000, 0.97, None, "固定资产已登记"),
        ("业务支出", "培训费", "工会干部培训", 3000, 0.8, None, ""),
    ],
    4: [
        ("职工活动支出", "文体活动支出", "重阳节离退休教职工秋游", 9000, 0.94, 28, ""),
        ("职工活动支出", "文体活动支出", "元旦联欢会", 12000, 0.97, None, ""),
        ("职工活动支出", "职工集体福利支出", "会员住院与婚育慰问", 8000, 0.85, 11, "人次与金额，不公开姓名"),
        ("维权支出", "困难职工帮扶费", "年度困难补助", 20000, 0.9, 6, "人次与金额，不公开姓名"),
        ("维权支出", "法律援助费", "劳动合同咨询律师费", 2000, 1.0, None, ""),
        ("业务支出", "会议费", "年终工作总结会", 1500, 0.9, None, ""),
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

"""Seed the income and expenditure categories of the 2017 rules (基层工会经费收支管理办法).

The tree stays editable in admin (newer provincial rules rename or split some categories).
"""

from django.db import migrations

INCOME = [
    ("会费收入", []),
    ("拨缴经费收入", []),
    ("上级补助收入", []),
    ("行政补助收入", []),
    ("其他收入", []),
]
EXPENDITURE = [
    (
        "职工活动支出",
        ["职工教育支出", "文体活动支出", "宣传活动支出", "职工集体福利支出", "会员活动支出", "其他活动支出"],
    ),
    ("维权支出", ["劳动关系协调支出", "劳动保护支出", "法律援助支出", "困难职工帮扶支出", "送温暖支出", "其他维权支出"]),
    ("业务支出", ["培训支出", "会议支出", "专项业务支出", "其他业务支出"]),
    ("资本性支出", []),
    ("事业支出", []),
    ("其他支出", []),
]


def seed(apps, schema_editor):
    FinanceCategory = apps.get_model("congress", "FinanceCategory")
    for kind, tree in (("income", INCOME), ("expenditure", EXPENDITURE)):
        for order, (name, children) in enumerate(tree, 1):
            parent, _created = FinanceCategory.objects.get_or_create(
                kind=kind, parent=None, name=name, defaults={"sort_order": order * 10}
            )
            for child_order, child in enumerate(children, 1):
                FinanceCategory.objects.get_or_create(
                    kind=kind, parent=parent, name=child, defaults={"sort_order": child_order * 10}
                )


class Migration(migrations.Migration):
    dependencies = [("congress", "0001_disclosures")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

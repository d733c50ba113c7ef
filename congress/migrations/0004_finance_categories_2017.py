"""The fund categories in the names and order of the 2017 rules (基层工会经费收支管理办法,
总工办发〔2017〕32号), each with the article it comes from.

Income gains 事业收入 and 投资收益 (第四条). Member condolences (holidays, birthdays, weddings and
funerals, retirement) are 职工集体福利支出 under 职工活动支出 (第八条第（四）项), not a category of
their own: the lines of the old 会员活动支出 move there. The sub-items of 维权支出 and 业务支出 are
named as the rules and the accountant's chart write them (劳动关系协调费 … 培训费, 会议费 …);
a renamed category keeps its lines. Categories stay an editable tree: this only puts the seeded
names right and adds what was missing.
"""

from django.db import migrations, models

RULES = "总工办发〔2017〕32号"
SOURCE_HELP = "规定的条款，例如“总工办发〔2017〕32号 第八条第（四）项”。"

INCOME = [
    ("会费收入", "第四条第（一）项", []),
    ("拨缴经费收入", "第四条第（二）项", []),
    ("上级补助收入", "第四条第（三）项", []),
    ("行政补助收入", "第四条第（四）项", []),
    ("事业收入", "第四条第（五）项", []),
    ("投资收益", "第四条第（六）项", []),
    ("其他收入", "第四条第（七）项", []),
]
EXPENDITURE = [
    (
        "职工活动支出",
        "第八条",
        [
            "职工教育支出",
            "文体活动支出",
            "宣传活动支出",
            "职工集体福利支出",
            "劳模疗休养支出",
            "其他活动支出",
        ],
    ),
    (
        "维权支出",
        "第九条",
        ["劳动关系协调费", "劳动保护费", "法律援助费", "困难职工帮扶费", "送温暖费", "其他维权支出"],
    ),
    ("业务支出", "第十条", ["培训费", "会议费", "专项业务费", "其他业务支出"]),
    ("资本性支出", "第十一条", []),
    ("事业支出", "第十二条", []),
    ("其他支出", "第十三条", []),
]
# (first level, old name) -> new name under the same first level
MOVED = {
    ("职工活动支出", "会员活动支出"): "职工集体福利支出",
    ("维权支出", "劳动关系协调支出"): "劳动关系协调费",
    ("维权支出", "劳动保护支出"): "劳动保护费",
    ("维权支出", "法律援助支出"): "法律援助费",
    ("维权支出", "困难职工帮扶支出"): "困难职工帮扶费",
    ("维权支出", "送温暖支出"): "送温暖费",
    ("业务支出", "培训支出"): "培训费",
    ("业务支出", "会议支出"): "会议费",
    ("业务支出", "专项业务支出"): "专项业务费",
}


def _item(number):
    return "第（" + "一二三四五六七八九十"[number - 1] + "）项"


def put_right(apps, schema_editor):
    FinanceCategory = apps.get_model("congress", "FinanceCategory")
    DisclosureLine = apps.get_model("congress", "DisclosureLine")
    for (top_name, old_name), new_name in MOVED.items():
        old = FinanceCategory.objects.filter(
            parent__name=top_name, parent__parent=None, name=old_name
        ).first()
        if old is None:
            continue
        new = FinanceCategory.objects.filter(parent=old.parent, name=new_name).first()
        if new is None:
            old.name = new_name
            old.save(update_fields=["name"])
        else:
            DisclosureLine.objects.filter(category=old).update(category=new)
            old.delete()
    for kind, tree in (("income", INCOME), ("expenditure", EXPENDITURE)):
        for order, (name, article, children) in enumerate(tree, 1):
            top, _created = FinanceCategory.objects.get_or_create(kind=kind, parent=None, name=name)
            top.sort_order, top.source = order * 10, f"{RULES} {article}"
            top.save(update_fields=["sort_order", "source"])
            for child_order, child_name in enumerate(children, 1):
                child, _created = FinanceCategory.objects.get_or_create(
                    kind=kind, parent=top, name=child_name
                )
                child.sort_order = child_order * 10
                child.source = f"{RULES} {article}{_item(child_order)}"
                child.save(update_fields=["sort_order", "source"])


class Migration(migrations.Migration):
    dependencies = [("congress", "0003_disclosures_roles")]
    operations = [
        migrations.AddField(
            model_name="financecategory",
            name="source",
            field=models.CharField(blank=True, help_text=SOURCE_HELP, max_length=120, verbose_name="依据"),
        ),
        migrations.RunPython(put_right, migrations.RunPython.noop),
    ]

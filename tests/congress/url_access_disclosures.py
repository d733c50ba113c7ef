"""URL x persona rows of the finance disclosures (/disclosures/): members of the branch read
its published disclosures (the default setting); another branch's officer gets 404; anonymous
visitors are sent to the login page. tests/congress/test_disclosure_*_view.py cover the
"anyone may read" setting and drafts."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from congress.models import Disclosure, DisclosureAttachment, DisclosureLine, FinanceCategory
from tests.url_access import row


def objects(world):
    disclosure = Disclosure.objects.create(
        branch=world.branch,
        year=2025,
        period=Disclosure.Period.Q1,
        title="2025年第一季度经费收支公开",
        state=Disclosure.State.PUBLISHED,
        submitted_by=world.treasurer.user,
        confirmed_by=world.officer.user,
        published_at=timezone.now(),
    )
    for name, item, amount in (("会费收入", "会员会费", "21000"), ("文体活动支出", "春季运动会", "18000")):
        DisclosureLine.objects.create(
            disclosure=disclosure,
            category=FinanceCategory.objects.get(name=name),
            item=item,
            budget=Decimal(amount),
            actual=Decimal(amount),
        )
    attachment = DisclosureAttachment(disclosure=disclosure, title="收支明细表")
    attachment.file.save("q1.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=True)
    return {"disclosure": disclosure, "attachment": attachment}


def _disclosure(objects):
    return {"pk": objects["disclosure"].pk}


ROWS = [
    row("disclosures:list", default=200),
    row("disclosures:detail", _disclosure, default=200, other_branch_officer=404),
    row("disclosures:pdf", _disclosure, default=200, other_branch_officer=404),
    row(
        "disclosures:lines",
        lambda o: {"pk": o["disclosure"].pk, "fmt": "csv"},
        default=200,
        other_branch_officer=404,
    ),
    row("disclosures:compare", _disclosure, default=200, other_branch_officer=404),
    row(
        "disclosures:attachment",
        lambda o: {"pk": o["disclosure"].pk, "attachment_pk": o["attachment"].pk},
        default=200,
        other_branch_officer=404,
    ),
]

"""Welfare URLs x personas.

A case and its attachments are seen by the applicant (member), the branch's welfare officers
and superusers; everybody else gets 404 (and the attempt is logged, as a refused view). Welfare
officers and superusers must set up TOTP before a case page opens: the personas have no TOTP
device, so they are sent to the set-up page (302). With a device they get 200 (tests/welfare).
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.url_access import row
from welfare import services
from welfare.models import AidCase, AidRound

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def objects(world):
    today = timezone.localdate()
    round_ = AidRound.objects.create(
        branch=world.branch,
        year=today.year,
        name=f"{today.year} 年度困难补助",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        budget=Decimal("20000"),
    )
    case = services.case_create(
        actor=world.member.user,
        member=world.member,
        round=round_,
        ground="own_illness",
        description="本人住院治疗",
        amount_requested=Decimal("2000"),
        consent_to_notice=True,
        files=[SimpleUploadedFile("证明.png", PNG)],
        submit=True,
    )
    noticed = AidCase.objects.create(
        branch=world.branch,
        round=round_,
        member=world.other_member,
        ground="low_income",
        track="emergency",
        amount_requested=Decimal("1000"),
        amount_approved=Decimal("1000"),
        consent_to_notice=True,
        state=AidCase.State.NOTICE,
        notice_starts_on=today,
        notice_ends_on=today + datetime.timedelta(days=7),
    )
    return {"case": case, "attachment": case.attachments.get(), "noticed": noticed, "member": world.member}


ROWS = [
    row("welfare:apply", superuser=404),
    row("welfare:mine", superuser=404),
    row("welfare:notices", superuser=404),
    row(
        "welfare:case_detail",
        lambda o: {"pk": o["case"].pk},
        default=404,
        member=200,
        welfare_officer=302,
        superuser=302,
    ),
    row(
        "welfare:attachment",
        lambda o: {"pk": o["attachment"].pk},
        default=404,
        member=200,
        welfare_officer=302,
        superuser=302,
    ),
    row("welfare:case_submit", lambda o: {"pk": o["case"].pk}, default=405),
    row("welfare:case_withdraw", lambda o: {"pk": o["case"].pk}, default=405),
    row("welfare:notice_objection", lambda o: {"pk": o["noticed"].pk}, default=405),
    row(
        "welfare:member_overview",
        lambda o: {"pk": o["member"].pk},
        default=404,
        welfare_officer=302,
        superuser=302,
    ),
    row("welfare:coming_month", default=404, welfare_officer=302, superuser=302),
]

"""Fixtures for the welfare tests: an open round with caps, cases in any state, TOTP devices."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from unionhome import roles
from welfare import services
from welfare.models import AidCap, AidRound

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64

STEPS = ["submitted", "group_opinion", "reviewed", "decided", "approved", "notice", "paid", "closed"]


def png(name="证明.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def with_totp(user):
    """Give a user a TOTP authenticator (as allauth stores it); returns the base32 secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from allauth.mfa.utils import encrypt

    secret = generate_totp_secret()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)})
    return secret


@pytest.fixture
def aid_round(branch):
    today = timezone.localdate()
    round_ = AidRound.objects.create(
        branch=branch,
        year=today.year,
        name=f"{today.year} 年度困难补助",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        budget=Decimal("10000"),
    )
    AidCap.objects.create(
        round=round_, ground="own_illness", per_case=Decimal("2000"), per_year=Decimal("5000")
    )
    AidCap.objects.create(
        round=round_, ground="low_income", per_case=Decimal("1500"), per_year=Decimal("3000")
    )
    return round_


@pytest.fixture
def second_welfare_officer(make_member):
    return make_member("welfare2", name="何静", roles_=(roles.MEMBER, roles.WELFARE_OFFICER), is_staff=True)


@pytest.fixture
def other_branch_welfare_officer(make_member, other_branch):
    return make_member(
        "phys-welfare",
        name="郑洁",
        roles_=(roles.MEMBER, roles.WELFARE_OFFICER),
        is_staff=True,
        member_branch=other_branch,
    )


@pytest.fixture
def mfa_client():
    """A client signed in as the persona, who has a TOTP device (so the MFA gate lets them in)."""

    def make(persona):
        user = getattr(persona, "user", persona)
        with_totp(user)
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def make_case(aid_round, member, welfare_officer, second_welfare_officer):
    """A case of `member` moved through the services up to `state` (default: submitted)."""

    def make(
        state="submitted", *, applicant=None, amount="1000", ground="own_illness", consent=True, **fields
    ):
        applicant = applicant or member
        case = services.case_create(
            actor=applicant.user,
            member=applicant,
            round=aid_round,
            ground=ground,
            description="本人住院，肺部手术",
            household_size=3,
            income_per_head=Decimal("2500"),
            medical_costs=Decimal("30000"),
            amount_requested=Decimal(amount),
            consent_to_notice=consent,
            files=fields.pop("files", [png()]),
            submit=state != "draft",
            **fields,
        )
        if state in ("draft", "submitted"):
            return case
        officer, other = welfare_officer.user, second_welfare_officer.user
        today = timezone.localdate()
        target = STEPS.index(state)
        services.case_record_group_opinion(actor=officer, case=case, opinion="情况属实")
        if target >= STEPS.index("reviewed"):
            services.case_review(
                actor=officer, case=case, exclusion_checks="无", meeting_on=today, decided_by="分工会委员会"
            )
        if target >= STEPS.index("decided"):
            services.case_record_decision(
                actor=officer,
                case=case,
                decided_on=today,
                reference="校工〔2026〕1号",
                amount=Decimal(amount),
            )
        if target >= STEPS.index("approved"):
            services.case_approve(actor=other, case=case)
        if target >= STEPS.index("notice"):
            starts = today if state == "notice" else today - datetime.timedelta(days=20)
            services.case_start_notice(actor=officer, case=case, starts_on=starts)
        if target >= STEPS.index("paid"):
            services.case_pay(actor=officer, case=case, paid_on=today, amount=Decimal(amount))
        if target >= STEPS.index("closed"):
            services.case_close(actor=officer, case=case)
        case.refresh_from_db()
        return case

    return make


def add_role(member, role):
    member.user.groups.add(Group.objects.get_or_create(name=role)[0])

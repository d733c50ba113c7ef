"""The probe's takeover replay: an officer edits a member's login e-mail, asks for a password
reset for the new address, signs in as the member and reads her hardship case. Each step is
refused; only the member (on /me/, or confirming a correction from her old address) and a
superuser change a login e-mail, and every change is mailed to the old address and audited."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import EmailChangeRequest, Member
from members.services import MemberError, email_change_request, member_save
from tests.members.test_member_admin import change_form_data, change_url
from tests.members.test_roster_import import confirm, csv_upload, preview, row
from unionhome.models import AuditEntry

ATTACKER = "attacker@example.com"


def make_case(member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from welfare import services
    from welfare.models import AidRound

    today = timezone.localdate()
    aid_round = AidRound.objects.create(
        branch=member.branch,
        year=today.year,
        name="年度困难补助",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        budget=Decimal("10000"),
    )
    return services.case_create(
        actor=member.user,
        member=member,
        round=aid_round,
        ground="own_illness",
        description="本人住院，肺部手术",
        household_size=3,
        amount_requested=Decimal("1000"),
        consent_to_notice=True,
        files=[SimpleUploadedFile("证明.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")],
        submit=True,
    )


def make_club_leader(member):
    from activities.models import Club

    Club.objects.create(branch=member.branch, name="羽毛球俱乐部", kind="sports", leader=member)


def make_unit_contact(member):
    from congress.models import Unit

    Unit.objects.create(branch=member.branch, name="后勤处").contacts.add(member)


def make_delegate(member):
    from congress.models import Delegate, Term

    term = Term.objects.create(
        branch=member.branch,
        number=1,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
    )
    Delegate.objects.create(term=term, member=member)


MAKERS = {"club leader": make_club_leader, "unit contact": make_unit_contact, "delegate": make_delegate}


@pytest.fixture(params=["plain member", *MAKERS])
def target(request, member):
    MAKERS.get(request.param, bool)(member)
    return member


def reset_links(address):
    return [m.body for m in mail.outbox if address in m.to and "/password/reset/key/" in m.body]


def test_it_refuses_the_takeover_replay_at_every_step(
    target, officer, client_for, django_capture_on_commit_callbacks
):
    case = make_case(target)
    officer_client = client_for(officer)
    # 1. The officer edits the login e-mail in admin: the field is read-only, nothing changes.
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(change_url(target), change_form_data(target, email=ATTACKER))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.email == target.user.email == "2008001@example.edu.cn"
    # ... and the service refuses it whatever form posts it.
    target.email = ATTACKER
    with pytest.raises(MemberError) as refused:
        member_save(member=target, actor=officer.user)
    assert refused.value.field == "email"
    # 2. The officer asks for a correction: the link goes to the member's own address only,
    #    and the officer cannot confirm it.
    links = []
    with django_capture_on_commit_callbacks(execute=True):
        email_change_request(member=target, new_email=ATTACKER, actor=officer.user, confirm_url=links.append)
    assert [m.to for m in mail.outbox] == [["2008001@example.edu.cn"]]
    confirm_url = reverse("members:email_change_confirm", kwargs={"token": links[0]})
    assert officer_client.post(confirm_url).status_code == 404
    assert Member.objects.get(pk=target.pk).user.email == "2008001@example.edu.cn"
    # 3. A password reset for the new address sends nothing there.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": ATTACKER})
    assert not reset_links(ATTACKER) and not [m for m in mail.outbox if ATTACKER in m.to]
    # 4. Nobody signs in with it.
    attacker = Client()
    response = attacker.post(reverse("account_login"), {"login": ATTACKER, "password": "pw-123456"})
    assert response.status_code == 200
    # 5. So the case page stays closed to the officer and to the stranger.
    case_url = reverse("welfare:case_detail", args=[case.pk])
    assert attacker.get(case_url).status_code == 302
    assert officer_client.get(case_url).status_code == 404


def test_it_changes_the_address_when_the_member_confirms_from_her_old_one(
    member, officer, client_for, django_capture_on_commit_callbacks
):
    links = []
    with django_capture_on_commit_callbacks(execute=True):
        email_change_request(
            member=member, new_email="li.fang@example.edu.cn", actor=officer.user, confirm_url=links.append
        )
    assert "li.fang@example.edu.cn" in mail.outbox[0].body and mail.outbox[0].to == ["2008001@example.edu.cn"]
    url = reverse("members:email_change_confirm", kwargs={"token": links[0]})
    client = client_for(member)
    assert "li.fang@example.edu.cn" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    member.refresh_from_db()
    assert member.email == member.user.email == "li.fang@example.edu.cn"
    assert (
        mail.outbox[-1].to == ["2008001@example.edu.cn"] and "li.fang@example.edu.cn" in mail.outbox[-1].body
    )
    actions = list(AuditEntry.objects.filter(target_id=str(member.pk)).values_list("action", flat=True))
    assert "member.email_change_requested" in actions and "member.email_change_confirmed" in actions
    # The link works once.
    assert client.get(url).status_code == 404


def test_it_lets_a_link_expire_and_a_newer_request_replace_an_older_one(member, officer, client_for):
    first, second = [], []
    email_change_request(
        member=member, new_email="a@example.edu.cn", actor=officer.user, confirm_url=first.append
    )
    email_change_request(
        member=member, new_email="b@example.edu.cn", actor=officer.user, confirm_url=second.append
    )
    client = client_for(member)
    assert client.get(reverse("members:email_change_confirm", kwargs={"token": first[0]})).status_code == 404
    EmailChangeRequest.objects.filter(new_email="b@example.edu.cn").update(expires_at=timezone.now())
    assert client.get(reverse("members:email_change_confirm", kwargs={"token": second[0]})).status_code == 404


def test_it_starts_a_correction_in_admin_and_mails_the_old_address(
    officer, member, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(officer).post(
            reverse("admin:members_emailchangerequest_add"),
            {"member": str(member.pk), "new_email": "li.fang@example.edu.cn"},
        )
    assert response.status_code == 302
    change = EmailChangeRequest.objects.get()
    assert change.requested_by == officer.user and change.old_email == "2008001@example.edu.cn"
    assert mail.outbox[0].to == ["2008001@example.edu.cn"]
    assert re.search(r"https?://[^/\s]+/me/email/confirm/[\w-]+/", mail.outbox[0].body)
    member.refresh_from_db()
    assert member.email == "2008001@example.edu.cn"


def test_it_shows_an_officer_only_her_branchs_corrections(officer, other_branch_officer, member, client_for):
    email_change_request(member=member, new_email="x@example.edu.cn", actor=officer.user, confirm_url=str)
    changelist = reverse("admin:members_emailchangerequest_changelist")
    assert "x@example.edu.cn" in client_for(officer).get(changelist).content.decode()
    assert "x@example.edu.cn" not in client_for(other_branch_officer).get(changelist).content.decode()
    with pytest.raises(MemberError):
        email_change_request(
            member=member, new_email="y@example.edu.cn", actor=other_branch_officer.user, confirm_url=str
        )


def test_a_superuser_changes_a_login_email_and_the_old_address_is_told(
    superuser, member, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post(
            change_url(member), change_form_data(member, email="lf@example.edu.cn")
        )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.email == "lf@example.edu.cn"
    assert [message.to for message in mail.outbox] == [["2008001@example.edu.cn"]]
    entry = AuditEntry.objects.get(action="member.changed")
    assert entry.details["before"] == {"email": "2008001@example.edu.cn"}


def test_an_officer_gives_an_unused_account_its_first_address(officer, make_member):
    newcomer = make_member("2021001", email="")
    newcomer.user.email = ""
    newcomer.user.set_unusable_password()
    newcomer.user.save()
    newcomer.email = "first@example.edu.cn"
    member_save(member=newcomer, actor=officer.user)
    assert Member.objects.get(pk=newcomer.pk).user.email == "first@example.edu.cn"
    # Once someone may have signed in with a password, an empty address is not the officer's to fill.
    used = make_member("2021002", email="")
    used.user.email = ""
    used.user.save()
    used.email = ATTACKER
    with pytest.raises(MemberError):
        member_save(member=used, actor=officer.user)


def test_the_roster_import_reports_a_changed_address_and_keeps_the_login_email(
    officer_client, member, make_member
):
    newcomer = make_member("2021001", name="新人", email="")
    newcomer.user.email = ""
    newcomer.user.set_unusable_password()
    newcomer.user.save()
    rows = [
        row(member.staff_number, "李芳", ATTACKER),
        row("2021001", "新人", "xinren@example.edu.cn"),
        row("2015001", "刘洋", "ly@example.edu.cn"),
    ]
    response = preview(officer_client, csv_upload(rows))
    assert not response.context["result"].has_validation_errors()
    html = response.content.decode()
    assert "登录邮箱不会随导入更改" in html and member.staff_number in html and ATTACKER in html
    assert confirm(officer_client, response).status_code == 302
    member.refresh_from_db()
    assert member.email == member.user.email == "2008001@example.edu.cn"
    assert Member.objects.get(staff_number="2021001").user.email == "xinren@example.edu.cn"
    assert Member.objects.get(staff_number="2015001").user.email == "ly@example.edu.cn"

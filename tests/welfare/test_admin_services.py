"""Welfare admin: every change through a service (audited), refusals shown on the form, never a 500."""

import hashlib
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from unionhome.admin_refusals import ServiceRefusalAdminMixin
from unionhome.models import AuditEntry
from welfare.models import AidCap, AidRound, Benefit, BenefitCap

CASES = reverse("admin:welfare_aidcase_changelist")


def welfare_admins():
    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "welfare"
    ]


def test_every_welfare_admin_saves_and_deletes_through_services_and_shows_refusals():
    for model_admin in welfare_admins():
        cls = type(model_admin)
        name = cls.__name__
        assert cls.__mro__[1] is ServiceRefusalAdminMixin, f"{name}: ServiceRefusalAdminMixin first"
        assert not model_admin.list_editable, f"{name} edits in the list"
        for method in ("save_model", "delete_model", "delete_queryset"):
            assert getattr(cls, method) is not getattr(admin.ModelAdmin, method), f"{name}: Django's {method}"
        if model_admin.inlines:
            assert cls.save_formset is not admin.ModelAdmin.save_formset, f"{name}: inlines saved by Django"


def test_it_shows_the_refusal_to_record_her_own_benefit_on_the_form(mfa_client, welfare_officer):
    response = mfa_client(welfare_officer).post(
        reverse("admin:welfare_benefit_add"),
        {
            "member": welfare_officer.pk,
            "kind": "birthday",
            "event_date": timezone.localdate().isoformat(),
            "relative": "self",
            "amount": "200",
            "gift": "",
            "payment_form": "goods",
            "paid_on": "",
        },
    )
    assert response.status_code == 200
    assert "不能为自己记录慰问" in response.content.decode()
    assert response.context["adminform"].form.errors["member"]
    assert not Benefit.objects.exists()


def round_form(round_, caps=(), **changes):
    data = {
        "year": round_.year,
        "name": round_.name,
        "opens_on": round_.opens_on.isoformat(),
        "closes_on": round_.closes_on.isoformat(),
        "budget": str(round_.budget),
        "places": "",
        "caps-TOTAL_FORMS": str(len(caps)),
        "caps-INITIAL_FORMS": str(sum(1 for cap in caps if cap.get("id"))),
        "caps-MIN_NUM_FORMS": "0",
        "caps-MAX_NUM_FORMS": "1000",
    }
    for index, cap in enumerate(caps):
        for key, value in cap.items():
            data[f"caps-{index}-{key}"] = value
    data.update(changes)
    return data


def existing_caps(round_):
    return [
        {
            "id": str(cap.pk),
            "round": str(round_.pk),
            "ground": cap.ground,
            "per_case": str(cap.per_case),
            "per_year": str(cap.per_year),
        }
        for cap in round_.caps.order_by("pk")
    ]


def test_it_changes_a_rounds_caps_through_the_service_with_audit_entries(
    mfa_client, welfare_officer, aid_round
):
    caps = existing_caps(aid_round)
    caps[0]["per_case"] = "2500"
    caps[1]["DELETE"] = "on"
    caps.append({"round": str(aid_round.pk), "ground": "accident", "per_case": "3000", "per_year": ""})
    url = reverse("admin:welfare_aidround_change", args=[aid_round.pk])
    response = mfa_client(welfare_officer).post(url, round_form(aid_round, caps, places="12"))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert dict(AidCap.objects.filter(round=aid_round).values_list("ground", "per_case")) == {
        "own_illness": Decimal("2500"),
        "accident": Decimal("3000"),
    }
    actions = sorted(
        AuditEntry.objects.filter(action__startswith="welfare.aid_cap.").values_list("action", flat=True)
    )
    assert actions == ["welfare.aid_cap.changed", "welfare.aid_cap.created", "welfare.aid_cap.deleted"]
    aid_round.refresh_from_db()
    assert aid_round.places == 12
    assert AuditEntry.objects.get(action="welfare.round.changed").details["places"] == 12


def test_it_refuses_a_budget_below_what_is_decided_on_the_form(
    make_case, mfa_client, welfare_officer, aid_round
):
    make_case("decided", amount="1500")
    url = reverse("admin:welfare_aidround_change", args=[aid_round.pk])
    response = mfa_client(welfare_officer).post(
        url, round_form(aid_round, existing_caps(aid_round), budget="1000")
    )
    assert response.status_code == 200
    assert "预算不能少于" in str(response.context["adminform"].form.errors["budget"])
    aid_round.refresh_from_db()
    assert aid_round.budget == Decimal("10000")


def test_it_keeps_the_benefit_caps_out_of_the_list_and_audits_each_change(mfa_client, superuser):
    cap = BenefitCap.objects.get(kind="birthday", effective_from=2018)
    client = mfa_client(superuser)
    url = reverse("admin:welfare_benefitcap_change", args=[cap.pk])
    data = {
        "kind": "birthday",
        "effective_from": "2018",
        "cap": "350",
        "per": "year",
        "cash_allowed": "on",
        "card_allowed": "on",
        "source": cap.source,
    }
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="welfare.benefit_cap.changed")
    assert entry.details["cap"] == "350" and entry.actor == superuser

    holiday = BenefitCap.objects.get(kind="holiday", effective_from=2018)
    response = client.post(
        reverse("admin:welfare_benefitcap_change", args=[holiday.pk]),
        {**data, "kind": "holiday", "cap": "1500", "source": holiday.source},
    )
    assert response.status_code == 200 and "不能发现金或购物卡" in response.content.decode()
    holiday.refresh_from_db()
    assert not holiday.cash_allowed


def test_it_refuses_to_delete_a_case_or_a_benefit_record(make_case, welfare_officer):
    from welfare import services

    case = make_case()
    with pytest.raises(services.WelfareError, match="不能删除"):
        services.case_delete(actor=welfare_officer.user, case=case)
    assert AidRound.objects.filter(pk=case.round_id).exists()
    with pytest.raises(services.WelfareError, match="已经有申请"):
        services.round_delete(actor=welfare_officer.user, round_=case.round)


# --- the case list and its search are views of the cases shown (issue 15, hole 5) ------------


def test_it_logs_the_cases_the_list_shows(make_case, make_member, mfa_client, welfare_officer):
    cases = {make_case(applicant=make_member(name=n)).pk for n in ("甲", "乙")}
    mfa_client(welfare_officer).get(CASES, REMOTE_ADDR="10.0.0.3")
    viewed = AuditEntry.objects.filter(action="welfare.case.viewed", details__via="admin list")
    assert {int(e.target_id) for e in viewed} == cases
    assert all(e.actor == welfare_officer.user and e.details["ip"] == "10.0.0.3" for e in viewed)


def test_it_logs_a_search_by_staff_number_without_the_number(make_case, mfa_client, welfare_officer, member):
    case = make_case()
    mfa_client(welfare_officer).get(CASES, {"q": member.staff_number})
    entry = AuditEntry.objects.get(action="welfare.case.viewed", details__via="admin search")
    assert entry.target_id == str(case.pk)
    written = str(entry.details) + entry.target_repr
    assert member.staff_number not in written
    assert entry.details["search"] not in (hashlib.sha256(member.staff_number.encode()).hexdigest(),)
    assert len(entry.details["search"]) == 32


def test_it_logs_nothing_for_an_empty_list(mfa_client, welfare_officer, aid_round):
    mfa_client(welfare_officer).get(CASES, {"q": "no-such-person"})
    assert not AuditEntry.objects.filter(action="welfare.case.viewed").exists()

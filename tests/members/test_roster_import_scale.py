"""A whole university's roster in one file: the import's queries do not grow with its rows, and
the bulk writes keep every rule of member_save (accounts, one audit entry per member changed,
sessions of members who left ended)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member
from tests.members.test_roster_import import confirm, csv_upload, preview
from unionhome.models import AuditEntry


def rows(count, *, start=0, phone_prefix="139", status="在职"):
    return [
        [
            f"30{n:05d}",
            f"会员{n}",
            "女" if n % 2 else "男",
            "1980-01-01",
            "数学系",
            "数学系工会小组" if n % 3 else "学院办公室工会小组",
            "讲师",
            f"{phone_prefix}{n:08d}",
            f"m{n}@example.edu.cn",
            "2010-09-01",
            status,
        ]
        for n in range(start, start + count)
    ]


def import_counting_queries(client, file_rows):
    with CaptureQueriesContext(connection) as queries:
        response = confirm(client, preview(client, csv_upload(file_rows)))
    assert response.status_code == 302, response.content[:2000]
    return len(queries)


def test_it_imports_ten_times_the_rows_with_few_more_queries(officer_client):
    small = import_counting_queries(officer_client, rows(30))
    large = import_counting_queries(officer_client, rows(300, start=1000))
    assert Member.objects.filter(staff_number__startswith="30").count() == 330
    # SQLite inserts at most 999 values per statement, so bulk writes split into batches; one
    # query per ten rows is still a tenth of one per row (it was about nine per row).
    assert large - small < 270 / 10, (small, large)


def test_it_changes_many_members_with_one_audit_entry_each(officer_client, officer):
    import_counting_queries(officer_client, rows(120))
    AuditEntry.objects.all().delete()
    changed = rows(120, phone_prefix="137")
    changed[0][2] = "男" if changed[0][2] == "女" else "女"
    import_counting_queries(officer_client, changed)
    entries = AuditEntry.objects.filter(action="member.changed")
    assert entries.count() == 120
    first = entries.get(target_id=str(Member.objects.get(staff_number="3000000").pk))
    assert set(first.details["before"]) == {"phone", "gender"}
    assert first.details["before"]["phone"] == "13900000000"
    assert {entry.branch_id for entry in entries} == {officer.branch_id}
    assert Member.objects.get(staff_number="3000119").phone == "13700000119"
    assert all(entry.actor_id == officer.user_id for entry in entries)


def test_it_ends_the_sessions_of_members_the_file_marks_as_left(officer_client, client_for, member):
    from django.contrib.sessions.models import Session

    session_client = client_for(member)
    assert session_client.get("/me/").status_code == 200
    left = [
        [
            member.staff_number,
            member.name,
            member.get_gender_display(),
            str(member.birth_date),
            "",
            member.union_group.name,
            "",
            "",
            member.email,
            "",
            "调出",
        ]
    ]
    import_counting_queries(officer_client, left)
    member.user.refresh_from_db()
    assert not member.user.is_active
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(member.user_id)
    ]
    assert session_client.get("/me/").status_code == 302

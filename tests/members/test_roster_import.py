import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member, UnionGroup

IMPORT_URL = reverse("admin:members_member_import")
PROCESS_URL = reverse("admin:members_member_process_import")
HEADER = [
    "工号",
    "姓名",
    "性别",
    "出生日期",
    "部门",
    "工会小组",
    "职称/职务",
    "手机",
    "电子邮箱",
    "入会时间",
    "会籍状态",
]
CSV_FORMAT = "1"
XLSX_FORMAT = "0"


def csv_upload(rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("roster.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv")


def preview(client, upload, fmt=CSV_FORMAT):
    return client.post(IMPORT_URL, {"import_file": upload, "format": fmt, "resource": "0"})


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(
        PROCESS_URL,
        {name: form.initial[name] for name in form.fields if name in form.initial}
        | {"format": form.initial["format"], "resource": form.initial.get("resource", "0")},
    )


def good_rows():
    return [
        [
            "2015001",
            "刘洋",
            "男",
            "1988-03-14",
            "数学系",
            "数学系工会小组",
            "副教授",
            "13800000001",
            "ly@example.edu.cn",
            "2015-09-01",
            "在职",
        ],
        ["2015002", "黄丽", "女", "1991/11/02", "学院办公室", "学院办公室工会小组", "科员", "", "", "", ""],
    ]


def test_it_previews_then_creates_members_with_accounts(officer_client):
    response = preview(officer_client, csv_upload(good_rows()))
    assert response.status_code == 200
    assert not response.context["result"].has_validation_errors()
    assert (
        Member.objects.filter(staff_number__in=["2015001", "2015002"]).count() == 0
    )  # preview writes nothing
    response = confirm(officer_client, response)
    assert response.status_code == 302
    liu = Member.objects.get(staff_number="2015001")
    assert liu.name == "刘洋" and liu.gender == "M" and str(liu.birth_date) == "1988-03-14"
    assert liu.union_group.name == "数学系工会小组" and liu.department.name == "数学系"
    assert liu.user.username == "2015001" and not liu.user.has_usable_password()
    assert liu.user.email == "ly@example.edu.cn"
    huang = Member.objects.get(staff_number="2015002")
    assert huang.status == Member.Status.ACTIVE and str(huang.birth_date) == "1991-11-02"


def test_it_updates_an_existing_member_in_place(officer_client, member):
    rows = [
        [
            member.staff_number,
            "李芳",
            "女",
            "1985-06-01",
            "数学系",
            "学院办公室工会小组",
            "教授",
            "13900000000",
            member.email,
            "",
            "退休保留会籍",
        ]
    ]
    response = confirm(officer_client, preview(officer_client, csv_upload(rows)))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.title == "教授" and member.status == Member.Status.RETIRED
    assert member.union_group.name == "学院办公室工会小组"
    assert Member.objects.filter(staff_number=member.staff_number).count() == 1


def test_it_writes_nothing_and_names_the_row_and_column_when_one_row_is_bad(officer_client):
    rows = good_rows() + [
        ["2015003", "赵敏", "女", "1990-02-30", "数学系", "数学系工会小组", "", "", "", "", ""],
    ]
    response = preview(officer_client, csv_upload(rows))
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "confirm_form" not in response.context
    invalid = result.invalid_rows
    assert [row.number for row in invalid] == [3]
    assert "出生日期" in invalid[0].field_specific_errors
    html = response.content.decode()
    assert "1990-02-30" in html and "不是有效日期" in html
    assert re.search(r"<td>4</td><td>出生日期</td><td>[^<]*不是有效日期", html)  # spreadsheet line 4
    assert not Member.objects.filter(staff_number__startswith="2015").exists()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (
            ["2015004", "钱进", "男", "1980-01-01", "数学系", "不存在的小组", "", "", "", "", ""],
            "工会小组",
            "没有名为“不存在的小组”的工会小组",
        ),
        (["2015005", "", "男", "1980-01-01", "数学系", "数学系工会小组", "", "", "", "", ""], "姓名", "必填"),
        (
            ["2015006", "孙悦", "X", "1980-01-01", "数学系", "数学系工会小组", "", "", "", "", ""],
            "性别",
            "不是有效值",
        ),
        (
            ["2015007", "周杰", "男", "1980-01-01", "火星系", "数学系工会小组", "", "", "", "", ""],
            "部门",
            "没有名为“火星系”的部门",
        ),
    ],
)
def test_it_explains_each_kind_of_bad_value(officer_client, row, field, message):
    response = preview(officer_client, csv_upload([row]))
    invalid = response.context["result"].invalid_rows
    assert len(invalid) == 1 and list(invalid[0].field_specific_errors) == [field]
    assert message in " ".join(str(e) for e in invalid[0].field_specific_errors[field])


def test_it_refuses_a_staff_number_twice_in_one_file(officer_client):
    rows = good_rows() + [
        ["2015001", "刘洋", "男", "1988-03-14", "数学系", "数学系工会小组", "", "", "", "", ""]
    ]
    response = preview(officer_client, csv_upload(rows))
    invalid = response.context["result"].invalid_rows
    assert [row.number for row in invalid] == [3]
    assert "表格第 2 行" in str(invalid[0].field_specific_errors["工号"])
    assert not Member.objects.filter(staff_number__startswith="2015").exists()


def test_it_rolls_back_the_whole_file_if_a_row_fails_at_confirm_time(officer_client):
    response = preview(officer_client, csv_upload(good_rows()))
    UnionGroup.objects.filter(name="学院办公室工会小组").update(
        name="改名的小组"
    )  # changed between preview and confirm
    confirm(officer_client, response)
    assert not Member.objects.filter(staff_number__startswith="2015").exists()


def test_it_reads_xlsx_with_numeric_staff_numbers(officer_client):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(
        [2016001, "吴桐", "男", "1987-07-07", "数学系", "数学系工会小组", "讲师", "", "", "", "在职"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("roster.xlsx", buffer.getvalue())
    response = confirm(officer_client, preview(officer_client, upload, fmt=XLSX_FORMAT))
    assert response.status_code == 302
    assert Member.objects.get(staff_number="2016001").name == "吴桐"


def test_it_refuses_an_oversized_file_before_parsing(officer_client, settings):
    settings.UNIONHOME_IMPORT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("roster.csv", b"x" * 2048, content_type="text/csv")
    response = preview(officer_client, upload)
    assert response.status_code == 200
    assert "文件太大" in response.content.decode()
    assert "result" not in response.context or response.context["result"] is None


def test_it_imports_into_the_officers_branch_only(other_branch_officer, client_for, roster_setup, member):
    client = client_for(other_branch_officer)
    rows = [
        [
            member.staff_number,
            "李芳",
            "女",
            "1985-06-01",
            "",
            other_branch_officer.union_group.name,
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    response = preview(client, csv_upload(rows))
    invalid = response.context["result"].invalid_rows
    assert invalid and "另一个分工会" in str(invalid[0].field_specific_errors["工号"])


def test_it_gives_403_to_staff_without_the_import_permission(
    staff_without_permissions, client_for, roster_setup
):
    client = client_for(staff_without_permissions)
    assert client.get(IMPORT_URL).status_code == 403
    assert (
        client.post(IMPORT_URL, {"import_file": csv_upload(good_rows()), "format": CSV_FORMAT}).status_code
        == 403
    )
    assert not Member.objects.filter(staff_number__startswith="2015").exists()


def test_it_sends_anonymous_users_to_the_login(client, roster_setup):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and re.search(r"/accounts/login/", response["Location"])


def row(staff_number, name, email="", status=""):
    return [staff_number, name, "女", "1990-01-01", "数学系", "数学系工会小组", "", "", email, "", status]


def test_it_refuses_two_rows_with_one_email_address(officer_client):
    rows = [row("2015001", "刘洋", "same@example.edu.cn"), row("2015002", "黄丽", "SAME@example.edu.cn")]
    response = preview(officer_client, csv_upload(rows))
    invalid = response.context["result"].invalid_rows
    assert [r.number for r in invalid] == [2]
    assert "已被其他账号使用" in str(invalid[0].field_specific_errors["电子邮箱"])
    assert not Member.objects.filter(staff_number__startswith="2015").exists()


def test_it_refuses_the_superusers_address(officer_client, superuser):
    response = preview(officer_client, csv_upload([row("2015001", "刘洋", "Root@example.edu.cn")]))
    invalid = response.context["result"].invalid_rows
    assert [r.number for r in invalid] == [1]
    assert "已被其他账号使用" in str(invalid[0].field_specific_errors["电子邮箱"])
    assert not Member.objects.filter(staff_number="2015001").exists()


def test_it_keeps_the_login_email_of_an_account_with_a_role(officer_client, welfare_officer):
    rows = [row(welfare_officer.staff_number, welfare_officer.name, "attacker@example.com")]
    response = preview(officer_client, csv_upload(rows))
    assert not response.context["result"].has_validation_errors()
    assert "登录邮箱不会随导入更改" in response.content.decode()
    assert confirm(officer_client, response).status_code == 302
    welfare_officer.user.refresh_from_db()
    assert welfare_officer.user.email == "welfare@example.edu.cn"


def test_it_deactivates_the_login_of_a_member_who_left_and_a_reimport_restores_it(
    officer_client, member, client_for
):
    from unionhome.models import AuditEntry

    members_client = client_for(member)
    response = confirm(
        officer_client,
        preview(officer_client, csv_upload([row(member.staff_number, "李芳", member.email, "退会")])),
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert not member.user.is_active
    assert members_client.get("/me/").status_code == 302
    response = confirm(
        officer_client,
        preview(officer_client, csv_upload([row(member.staff_number, "李芳", member.email, "在职")])),
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.is_active
    entries = AuditEntry.objects.filter(action="member.changed", target_id=str(member.pk)).order_by("id")
    assert [entry.details["before"]["status"] for entry in entries] == ["active", "left"]


def test_it_leaves_one_audit_entry_per_member_created(officer_client, officer):
    from unionhome.models import AuditEntry

    confirm(officer_client, preview(officer_client, csv_upload(good_rows())))
    entries = AuditEntry.objects.filter(action="member.created")
    assert sorted(entry.target_repr for entry in entries) == ["刘洋（2015001）", "黄丽（2015002）"]
    assert {entry.branch_id for entry in entries} == {officer.branch_id}
    assert AuditEntry.objects.count() == 2


def test_it_names_the_allowed_values_in_the_language_of_the_page(officer_client):
    officer_client.cookies["django_language"] = "en"
    bad = ["2015006", "孙悦", "X", "1980-01-01", "数学系", "数学系工会小组", "", "", "", "", ""]
    invalid = preview(officer_client, csv_upload([bad])).context["result"].invalid_rows
    assert "Male, Female" in str(invalid[0].field_specific_errors["性别"])


def test_it_reads_the_rosters_chinese_values_on_an_english_page(officer_client):
    officer_client.cookies["django_language"] = "en"
    row = ["2015007", "周强", "男", "1980-01-01", "数学系", "数学系工会小组", "", "", "", "", "退休保留会籍"]
    response = confirm(officer_client, preview(officer_client, csv_upload([row])))
    assert response.status_code == 302
    zhou = Member.objects.get(staff_number="2015007")
    assert zhou.gender == Member.Gender.MALE and zhou.status == Member.Status.RETIRED


def test_a_second_confirm_of_the_same_file_says_it_was_imported_and_writes_nothing_more(officer_client):
    previewed = preview(officer_client, csv_upload(good_rows()))
    assert confirm(officer_client, previewed).status_code == 302
    again = confirm(officer_client, previewed)
    assert again.status_code == 302 and again["Location"] == IMPORT_URL
    page = officer_client.get(IMPORT_URL).content.decode()
    assert "这份文件已经导入过" in page
    assert Member.objects.filter(staff_number__in=["2015001", "2015002"]).count() == 2


@pytest.mark.parametrize("forged", ["7", "-1", "x", XLSX_FORMAT])
def test_a_confirm_with_a_forged_format_is_a_bad_request(officer_client, forged):
    form = preview(officer_client, csv_upload(good_rows())).context["confirm_form"]
    assert form.initial["format"] == CSV_FORMAT
    data = {name: form.initial[name] for name in form.fields if name in form.initial}
    response = officer_client.post(PROCESS_URL, data | {"format": forged, "resource": "0"})
    assert response.status_code == 400
    assert not Member.objects.filter(staff_number__in=["2015001", "2015002"]).exists()

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.models import DisclosureLine
from unionhome.models import AuditEntry

IMPORT_URL = reverse("admin:congress_disclosureline_import")
PROCESS_URL = reverse("admin:congress_disclosureline_process_import")
HEADER = ["一级类别", "类别", "项目", "预算（元）", "实际（元）", "人次", "备注"]
CSV_FORMAT = "1"


def csv_upload(rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("lines.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv")


def preview(client, disclosure_draft, rows):
    return client.post(
        IMPORT_URL,
        {
            "import_file": csv_upload(rows),
            "format": CSV_FORMAT,
            "resource": "0",
            "disclosure": disclosure_draft.pk,
        },
    )


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(PROCESS_URL, {name: form.initial.get(name, "") for name in form.fields})


GOOD = [
    ["", "会费收入", "会员会费", "60,000", "58800.5", "", ""],
    ["职工活动支出", "文体活动支出", "春季运动会", "12000", "13500 元", "", "超支：增加了拔河项目"],
    ["", "困难职工帮扶费", "大病补助", "10000", "8000", "3", ""],
]


@pytest.fixture
def treasurer_client(client_for, treasurer):
    return client_for(treasurer)


def test_it_previews_then_replaces_the_drafts_hand_entered_lines(treasurer_client, disclosure_draft):
    response = preview(treasurer_client, disclosure_draft, GOOD)
    assert response.status_code == 200 and "confirm_form" in response.context
    assert disclosure_draft.lines.count() == 7  # a preview writes nothing
    done = confirm(treasurer_client, response)
    assert done.status_code == 302 and done.url == reverse(
        "admin:congress_disclosure_change", args=[disclosure_draft.pk]
    )
    lines = {line.item: line for line in disclosure_draft.lines.all()}
    assert set(lines) == {"会员会费", "春季运动会", "大病补助"}
    assert lines["会员会费"].budget == Decimal("60000.00") and lines["会员会费"].actual == Decimal("58800.50")
    assert lines["大病补助"].headcount == 3 and lines["春季运动会"].category.name == "文体活动支出"
    entry = AuditEntry.objects.get(action="disclosure.lines_imported")
    assert entry.target_id == str(disclosure_draft.pk) and entry.details["added"] == 3


def test_errors_name_the_row_and_column_and_nothing_is_written(treasurer_client, disclosure_draft):
    rows = GOOD + [
        ["", "不存在的类别", "x", "1", "1", "", ""],
        ["", "会议费", "代表大会", "abc", "1", "", ""],
        ["", "会议费", "代表大会", "1", "-5", "", ""],
    ]
    response = preview(treasurer_client, disclosure_draft, rows)
    assert "confirm_form" not in response.context
    content = response.content.decode()
    assert "没有名为“不存在的类别”的经费类别" in content
    assert "“abc”不是有效金额" in content
    result = response.context["result"]
    invalid = {row.number: set(row.error_dict) for row in result.invalid_rows}
    assert invalid == {4: {"类别"}, 5: {"预算（元）"}, 6: {"实际（元）"}}
    assert disclosure_draft.lines.count() == 7


def test_a_members_name_in_the_import_is_refused(treasurer_client, disclosure_draft, second_member):
    rows = [["", "困难职工帮扶费", "大病补助", "0", "5000", "1", f"{second_member.name}，住院"]]
    response = preview(treasurer_client, disclosure_draft, rows)
    assert "confirm_form" not in response.context
    assert "不能出现个人姓名（王强）" in response.content.decode()
    rows = [["", "困难职工帮扶费", f"补助 {second_member.name}", "0", "5000", "1", ""]]
    assert "不能出现个人姓名（王强）" in preview(treasurer_client, disclosure_draft, rows).content.decode()
    assert not DisclosureLine.objects.filter(note__contains="王强").exists()


def test_it_imports_only_into_drafts_of_the_treasurers_branch(
    client_for, treasurer, disclosure, other_branch_treasurer, disclosure_draft
):
    response = preview(client_for(treasurer), disclosure, GOOD)  # published
    assert "confirm_form" not in response.context and response.context["form"].errors.get("disclosure")
    response = preview(client_for(other_branch_treasurer), disclosure_draft, GOOD)
    assert "confirm_form" not in response.context and response.context["form"].errors.get("disclosure")
    assert disclosure_draft.lines.count() == 7


def test_members_and_officers_cannot_import(client_for, member, officer):
    assert client_for(member).get(IMPORT_URL).status_code == 302
    assert client_for(officer).get(IMPORT_URL).status_code == 403


def test_an_oversized_file_is_refused_before_parsing(treasurer_client, disclosure_draft, settings):
    settings.UNIONHOME_IMPORT_MAX_BYTES = 1024
    rows = [["", "会议费", f"会议 {n}", "1", "1", "", "x" * 40] for n in range(40)]
    response = preview(treasurer_client, disclosure_draft, rows)
    assert "confirm_form" not in response.context and "文件太大" in response.content.decode()
    assert disclosure_draft.lines.count() == 7

"""The delegates and ledger-lines imports judge uploads by content like the roster import: the same
refusals in the page's language, nothing written, and a GBK CSV read correctly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.models import Delegate, DisclosureLine
from tests import spreadsheet_files as files

DELEGATE_HEADER = ["工号", "届次", "代表团", "提案工作委员会委员"]
LINE_HEADER = ["一级类别", "类别", "项目", "预算（元）", "实际（元）", "人次", "备注"]


class Delegates:
    name = "delegates"
    model = Delegate
    url = reverse("admin:congress_delegate_import")
    process_url = reverse("admin:congress_delegate_process_import")

    def __init__(self, request):
        self.client = request.getfixturevalue("client_for")(request.getfixturevalue("congress_secretary"))
        request.getfixturevalue("delegation")
        self.member = request.getfixturevalue("member")

    def extra(self):
        return {}

    def gbk_csv(self):
        return files.csv_text(
            DELEGATE_HEADER, [[self.member.staff_number, "3", "数学系代表团", "是"]]
        ).encode("gbk")

    def check_imported(self):
        delegate = Delegate.objects.get(member=self.member)
        assert delegate.delegation.name == "数学系代表团" and delegate.on_committee


class Lines:
    name = "ledger lines"
    model = DisclosureLine
    url = reverse("admin:congress_disclosureline_import")
    process_url = reverse("admin:congress_disclosureline_process_import")

    def __init__(self, request):
        self.client = request.getfixturevalue("client_for")(request.getfixturevalue("treasurer"))
        self.draft = request.getfixturevalue("disclosure_draft")

    def extra(self):
        return {"disclosure": self.draft.pk}

    def gbk_csv(self):
        rows = [["职工活动支出", "文体活动支出", "春季运动会", "12000", "13500", "", "增加了拔河项目"]]
        return files.csv_text(LINE_HEADER, rows).encode("gbk")

    def check_imported(self):
        line = self.draft.lines.get()
        assert line.item == "春季运动会" and line.note == "增加了拔河项目"
        assert line.category.name == "文体活动支出"


@pytest.fixture(params=[Delegates, Lines], ids=["delegates", "lines"])
def importer(request, db):
    return request.param(request)


def post(importer, content, name, fmt="0"):
    data = {"import_file": SimpleUploadedFile(name, content), "format": fmt, "resource": "0"}
    return importer.client.post(importer.url, data | importer.extra())


@pytest.mark.parametrize(
    ("make", "name", "chinese", "english"),
    [
        (lambda: files.PNG, "list.xlsx", "这不是表格文件", "This is not a spreadsheet"),
        (lambda: files.OLD_XLS, "list.xls", "旧版 Excel 文件（.xls）", "an old Excel file (.xls)"),
        (lambda: files.zip_bomb(80 * 1024 * 1024), "list.xlsx", "表格展开后有 80.0\xa0MB", "expands to 80.0"),
        (
            lambda: "a,b\n1,Café\n".encode("latin-1"),
            "list.csv",
            "试过 UTF-8、GBK/GB18030",
            "tried UTF-8, GBK/GB18030",
        ),
    ],
    ids=["png", "xls", "zip-bomb", "latin1"],
)
def test_it_refuses_by_content_in_the_pages_language_and_writes_nothing(
    importer, make, name, chinese, english
):
    content = make()
    before = importer.model.objects.count()
    for language, expected in (("zh-hans", chinese), ("en", english)):
        importer.client.cookies["django_language"] = language
        response = post(importer, content, name)
        assert response.status_code == 200 and "confirm_form" not in response.context
        assert expected in " ".join(response.context["form"].errors["import_file"])
    assert importer.model.objects.count() == before


def test_it_imports_a_gbk_csv(importer):
    response = post(importer, importer.gbk_csv(), "list.xlsx")
    assert response.status_code == 200 and "confirm_form" in response.context, response.context["form"].errors
    assert "GBK（GB18030）" in response.content.decode()
    form = response.context["confirm_form"]
    done = importer.client.post(
        importer.process_url, {name: form.initial.get(name, "") for name in form.fields}
    )
    assert done.status_code == 302
    importer.check_imported()

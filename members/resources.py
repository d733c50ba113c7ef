"""Roster import and export (django-import-export), with Chinese column headers.

Rows are matched on 工号: an existing member is updated in place, a new one is created with a
login account. Every problem is reported against its row and column, and any error rolls the
whole file back. Each row is checked by members.services.MemberBatch (the rules of member_save)
and the accepted rows are written together at the end, so the number of queries does not grow
with the file.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader, CachedInstanceLoader

from members.models import Department, Member, UnionGroup
from members.services import MemberBatch, MemberError
from unionhome.exports import FormulaSafeExportMixin
from unionhome.spreadsheets import ImportHeadersMixin
from unionhome.text import enumeration

# Roster files are written by the university in Chinese, whatever the officer's page language.
ROSTER_LANGUAGE = "zh-hans"
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")


class NamedInBranchWidget(widgets.ForeignKeyWidget):
    """Find a group or department by its name inside the importing branch."""

    def __init__(self, model, *, not_found_message, required):
        super().__init__(model, field="name")
        self.not_found_message = not_found_message
        self.required = required
        self.branch = None
        self._by_name = None

    def forget(self) -> None:
        """Read the names afresh (a new file)."""
        self._by_name = None

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            if self.required:
                raise ValueError(_("必填，不能为空。"))
            return None
        if self._by_name is None:  # one query per file, not one per row
            candidates = self.model.objects.all()
            if self.branch is not None:
                candidates = candidates.filter(branch=self.branch)
            self._by_name = {}
            for candidate in candidates:
                self._by_name.setdefault(candidate.name, []).append(candidate)
        found = self._by_name.get(name, [])
        if len(found) != 1:
            raise ValueError(self.not_found_message % {"name": name})
        return found[0]


class ChoiceLabelWidget(widgets.Widget):
    """Read and write a TextChoices field by its Chinese label (男/女, 在职...)."""

    def __init__(self, choices, *, required, default=None):
        self.choices = choices
        self.required = required
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            if self.default is not None:
                return self.default
            raise ValueError(_("必填，不能为空。"))
        for choice in self.choices:
            if text in (choice.value, str(choice.label), self.roster_label(choice)):
                return choice.value
        allowed = enumeration(choice.label for choice in self.choices)
        raise ValueError(
            _("“%(value)s”不是有效值，应为：%(allowed)s。") % {"value": text, "allowed": allowed}
        )

    @staticmethod
    def roster_label(choice) -> str:
        """The label in the roster's own language (男, 在职), whatever the officer's page language."""
        with translation.override(ROSTER_LANGUAGE):
            return str(choice.label)

    def render(self, value, obj=None, **kwargs):
        for choice in self.choices:
            if choice.value == value:
                return str(choice.label)
        return value or ""


class RosterDateWidget(widgets.DateWidget):
    def __init__(self, *, required):
        super().__init__(format=DATE_FORMATS[0])
        self.formats = DATE_FORMATS
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            if self.required:
                raise ValueError(_("必填，不能为空。"))
            return None
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s”不是有效日期，请写成 2024-09-01 的形式。") % {"value": value}
            ) from None


class RequiredTextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # spreadsheets turn numeric staff numbers into floats
        if not text:
            raise ValueError(_("必填，不能为空。"))
        return text


def staff_number_of(value) -> str | None:
    try:
        return RequiredTextWidget().clean(value)
    except ValueError:
        return None


class RosterInstanceLoader(CachedInstanceLoader):
    """The file's existing members in one query; a row without a valid staff number matches none
    (its row then reports the missing value). These instances take the file's values; MemberBatch
    keeps its own copy of each member as stored, to compare and audit against."""

    def __init__(self, resource, dataset=None):
        BaseInstanceLoader.__init__(self, resource, dataset)
        self.pk_field = resource.fields["staff_number"]
        column = self.pk_field.column_name
        numbers = set()
        if dataset is not None and column in (dataset.headers or []):
            numbers = {staff_number_of(value) for value in dataset[column]} - {None}
        queryset = self.get_queryset().filter(staff_number__in=numbers) if numbers else []
        self.all_instances = {member.staff_number: member for member in queryset}

    def get_instance(self, row):
        return self.all_instances.get(staff_number_of(row.get(self.pk_field.column_name)))


class MemberResource(ImportHeadersMixin, FormulaSafeExportMixin, resources.ModelResource):
    staff_number = fields.Field(attribute="staff_number", column_name="工号", widget=RequiredTextWidget())
    name = fields.Field(attribute="name", column_name="姓名", widget=RequiredTextWidget())
    gender = fields.Field(
        attribute="gender", column_name="性别", widget=ChoiceLabelWidget(Member.Gender, required=True)
    )
    birth_date = fields.Field(
        attribute="birth_date", column_name="出生日期", widget=RosterDateWidget(required=True)
    )
    department = fields.Field(
        attribute="department",
        column_name="部门",
        widget=NamedInBranchWidget(
            Department, not_found_message=_("没有名为“%(name)s”的部门。"), required=False
        ),
    )
    union_group = fields.Field(
        attribute="union_group",
        column_name="工会小组",
        widget=NamedInBranchWidget(
            UnionGroup, not_found_message=_("没有名为“%(name)s”的工会小组。"), required=True
        ),
    )
    title = fields.Field(attribute="title", column_name="职称/职务", widget=widgets.CharWidget())
    phone = fields.Field(attribute="phone", column_name="手机", widget=widgets.CharWidget())
    email = fields.Field(attribute="email", column_name="电子邮箱", widget=widgets.CharWidget())
    joined_union_on = fields.Field(
        attribute="joined_union_on", column_name="入会时间", widget=RosterDateWidget(required=False)
    )
    status = fields.Field(
        attribute="status",
        column_name="会籍状态",
        widget=ChoiceLabelWidget(Member.Status, required=False, default=Member.Status.ACTIVE),
    )

    class Meta:
        model = Member
        import_id_fields = ["staff_number"]
        fields = [
            "staff_number",
            "name",
            "gender",
            "birth_date",
            "department",
            "union_group",
            "title",
            "phone",
            "email",
            "joined_union_on",
            "status",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        # Rows are checked one by one and written together by MemberBatch (see bulk_create).
        use_bulk = True
        instance_loader_class = RosterInstanceLoader

    def __init__(self, *, branch=None, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.branch = branch
        self.actor = actor
        for field_name in ("department", "union_group"):
            self.fields[field_name].widget.branch = branch
        self._first_row_of = {}
        self._duplicate_rows = {}
        self.batch = MemberBatch(actor=actor, keep_login_emails=True)

    @classmethod
    def get_display_name(cls):
        return _("会员名册")

    def get_queryset(self):
        # Rows are matched across all branches so that a staff number of another branch is
        # reported as such; exports are limited by the admin's branch-scoped changelist.
        return Member.objects.select_related("department", "union_group")

    def before_import(self, dataset, **kwargs):
        # A staff number twice in one file is an error on every later row that repeats it.
        self._first_row_of = {}
        self._duplicate_rows = {}
        self.batch = MemberBatch(actor=self.actor, keep_login_emails=True)
        for field_name in ("department", "union_group"):
            self.fields[field_name].widget.forget()
        headers = dataset.headers or []
        if "工号" not in headers:
            return
        staff_numbers = [staff_number_of(value) for value in dataset["工号"]]
        emails = [str(value or "").strip() for value in dataset["电子邮箱"]] if "电子邮箱" in headers else []
        self.batch.preload(staff_numbers=staff_numbers, emails=emails)
        for row_number, staff_number in enumerate(staff_numbers, 1):
            if staff_number is None:
                continue
            first = self._first_row_of.setdefault(staff_number, row_number)
            if first != row_number:
                self._duplicate_rows[row_number] = first

    def after_import(self, dataset, result, **kwargs):
        """Rows whose new e-mail was not applied (MemberBatch keeps the login e-mail), for the preview."""
        super().after_import(dataset, result, **kwargs)
        result.kept_emails = [
            _("%(member)s（名册中为 %(email)s）") % {"member": member, "email": email or _("空")}
            for member, email in self.batch.kept_emails
        ]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        first = self._duplicate_rows.get(kwargs.get("row_number"))
        if first is not None:
            errors.setdefault("staff_number", []).append(
                ValidationError(_("工号在文件中重复（与表格第 %(row)s 行相同）。") % {"row": first + 1})
            )
        if errors:
            raise ValidationError(errors)

    def get_or_init_instance(self, instance_loader, row):
        instance, is_new = super().get_or_init_instance(instance_loader, row)
        if not is_new and self.branch is not None and instance.branch_id != self.branch.pk:
            raise ValidationError({"工号": _("这个工号属于另一个分工会的会员。")})
        return instance, is_new

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.branch_id:
            instance.branch = self.branch or instance.union_group.branch

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write every row the batch accepted, new and changed, all at once (after the last row)."""
        if using_transactions or not dry_run:
            try:
                self.batch.save()
            except MemberError as error:  # someone else's change in between: the whole file fails
                self.handle_import_error(result, ValidationError(error.message), raise_errors)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The changed rows were written with the new ones by bulk_create."""
        self.update_instances.clear()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if "union_group" not in errors and not instance.branch_id and instance.union_group_id:
            instance.branch = self.branch or instance.union_group.branch
        # The account is created on save and the branch follows the group: not the file's concern.
        # The widgets found the group and department in the branch; MemberBatch checks that the
        # staff number and e-mail are free, against the database and the rows above.
        exclude = {"user", "branch", "department", "union_group", *errors.keys()}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            try:
                self.batch.check(instance)
            except MemberError as error:
                errors = {error.field or NON_FIELD_ERRORS: [error.message]}
        if errors:
            raise ValidationError(self.by_column_name(errors))

    def by_column_name(self, errors):
        """Key errors by the file's column headers (出生日期), which the officer sees, not by attribute."""
        columns = {field.attribute: field.column_name for field in self.fields.values()}
        return {columns.get(key, key): value for key, value in errors.items()}


def roster_template_xlsx(branch) -> bytes:
    """The import template: the Chinese headers and two example rows (the branch's own group names).

    The rows are data in the roster's language (Chinese), whatever the officer's interface language.
    """
    import tablib

    groups = UnionGroup.objects.filter(branch=branch).order_by("sort_order", "name")[:2] if branch else []
    departments = Department.objects.filter(branch=branch).order_by("name")[:1] if branch else []
    group_names = [group.name for group in groups] or ["数学系工会小组"]
    department = departments[0].name if len(departments) else ""
    dataset = tablib.Dataset(headers=[field.column_name for field in MemberResource().get_import_fields()])
    dataset.append(
        [
            "2024001",
            "张三",
            "男",
            "1990-05-01",
            department,
            group_names[0],
            "讲师",
            "13800000000",
            "zhangsan@example.edu.cn",
            "2024-09-01",
            "在职",
        ]
    )
    dataset.append(["2024002", "李四", "女", "1985-11-20", "", group_names[-1], "", "", "", "", "在职"])
    return dataset.export("xlsx")

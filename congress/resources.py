"""Delegate import (django-import-export): 工号, 届次, 代表团, 提案工作委员会委员.

Rows are matched on (届次, 工号) inside the importing secretary's branch: a delegate already in
the term is updated, a new one is added. Unknown staff numbers, terms and delegations are
reported against their row and column, and any error rolls the whole file back.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from congress.models import Delegate, Delegation, DisclosureLine, FinanceCategory, Term
from congress.services import DisclosureError, branch_member_names, names_error, personal_names_in
from members.models import Member
from members.resources import RequiredTextWidget
from unionhome.exports import FormulaSafeExportMixin
from unionhome.spreadsheets import ImportHeadersMixin


class _InBranch(widgets.Widget):
    def __init__(self):
        self.branch = None

    def _scope(self, queryset, branch_path):
        if self.branch is not None:
            queryset = queryset.filter(**{branch_path: self.branch})
        return queryset


class MemberByStaffNumberWidget(_InBranch):
    def clean(self, value, row=None, **kwargs):
        staff_number = RequiredTextWidget().clean(value)
        member = self._scope(Member.objects.filter(staff_number=staff_number), "branch").first()
        if member is None:
            raise ValueError(_("本分工会没有工号为“%(value)s”的会员。") % {"value": staff_number})
        return member

    def render(self, value, obj=None, **kwargs):
        return value.staff_number if value else ""


class TermByNumberWidget(_InBranch):
    def clean(self, value, row=None, **kwargs):
        text = RequiredTextWidget().clean(value)
        if not text.isdigit():
            raise ValueError(_("届次应为数字，例如 3。"))
        term = self._scope(Term.objects.filter(number=int(text)), "branch").first()
        if term is None:
            raise ValueError(_("本分工会没有第 %(value)s 届。") % {"value": text})
        return term

    def render(self, value, obj=None, **kwargs):
        return value.number if value else ""


class DelegationByNameWidget(_InBranch):
    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            return None
        term_number = str((row or {}).get("届次") or "").strip().removesuffix(".0")
        found = self._scope(
            Delegation.objects.filter(name=name, term__number=term_number or -1), "term__branch"
        ).first()
        if found is None:
            raise ValueError(_("该届没有名为“%(name)s”的代表团。") % {"name": name})
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class YesNoWidget(widgets.Widget):
    YES = {"是", "1", "true", "yes", "y", "√"}
    NO = {"", "否", "0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("“%(value)s”应为“是”或“否”。") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class DelegateResource(ImportHeadersMixin, FormulaSafeExportMixin, resources.ModelResource):
    member = fields.Field(attribute="member", column_name="工号", widget=MemberByStaffNumberWidget())
    term = fields.Field(attribute="term", column_name="届次", widget=TermByNumberWidget())
    delegation = fields.Field(attribute="delegation", column_name="代表团", widget=DelegationByNameWidget())
    on_committee = fields.Field(
        attribute="on_committee", column_name="提案工作委员会委员", widget=YesNoWidget()
    )

    class Meta:
        model = Delegate
        import_id_fields = ["term", "member"]
        fields = ["member", "term", "delegation", "on_committee"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, branch=None, **kwargs):
        super().__init__(**kwargs)
        for name in ("member", "term", "delegation"):
            self.fields[name].widget.branch = branch
        self.branch = branch

    @classmethod
    def get_display_name(cls):
        return _("代表名单")

    def get_queryset(self):
        queryset = Delegate.objects.select_related("member", "term", "delegation")
        if self.branch is not None:
            queryset = queryset.filter(term__branch=self.branch)
        return queryset

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors and instance.delegation_id and instance.delegation.term_id != instance.term_id:
            errors["delegation"] = [_("代表团不属于该届。")]
        if errors:
            columns = {field.attribute: field.column_name for field in self.fields.values()}
            raise ValidationError({columns.get(key, key): value for key, value in errors.items()})


# --- Finance disclosures ---


class MoneyWidget(widgets.Widget):
    """Yuan with at most two decimals; '1,234.50', '1234.5 元' and spreadsheet numbers are read."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return Decimal("0.00")
        text = str(value).strip().replace(",", "").replace("，", "").replace("元", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s”不是有效金额，请写成 1234.50 的形式。") % {"value": value}
            ) from None
        if amount != amount.quantize(Decimal("0.01")) or not amount.is_finite():
            raise ValueError(_("“%(value)s”最多两位小数。") % {"value": value})
        return amount.quantize(Decimal("0.01"))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value:.2f}"


class CountWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip()
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit():
            raise ValueError(_("“%(value)s”不是有效人次（应为整数）。") % {"value": value})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CategoryWidget(widgets.Widget):
    """A category by its name; "一级类别/二级类别" or the 一级类别 column tell same-named ones apart."""

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        parent_name = str((row or {}).get("一级类别") or "").strip()
        if "/" in name:
            parent_name, name = (part.strip() for part in name.split("/", 1))
        if not name and parent_name:
            name, parent_name = parent_name, ""
        if not name:
            raise ValueError(_("必填，不能为空。"))
        candidates = FinanceCategory.objects.filter(is_active=True, name=name).select_related("parent")
        if parent_name and parent_name != name:
            candidates = candidates.filter(parent__name=parent_name)
        found = list(candidates[:2])
        if len(found) != 1:
            if found:
                raise ValueError(_("有多个名为“%(name)s”的类别，请在“一级类别”列注明。") % {"name": name})
            raise ValueError(_("没有名为“%(name)s”的经费类别。") % {"name": name})
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class DisclosureLineResource(ImportHeadersMixin, FormulaSafeExportMixin, resources.ModelResource):
    kind = fields.Field(column_name="收支", readonly=True)
    top = fields.Field(column_name="一级类别", readonly=True)
    category = fields.Field(attribute="category", column_name="类别", widget=CategoryWidget())
    item = fields.Field(attribute="item", column_name="项目", widget=widgets.CharWidget())
    budget = fields.Field(attribute="budget", column_name="预算（元）", widget=MoneyWidget())
    actual = fields.Field(attribute="actual", column_name="实际（元）", widget=MoneyWidget())
    headcount = fields.Field(attribute="headcount", column_name="人次", widget=CountWidget())
    note = fields.Field(attribute="note", column_name="备注", widget=widgets.CharWidget())

    class Meta:
        model = DisclosureLine
        fields = ["kind", "top", "category", "item", "budget", "actual", "headcount", "note"]
        export_order = fields
        import_id_fields = []
        force_init_instance = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, disclosure=None, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.disclosure = disclosure
        self.actor = actor
        self._names = None

    @classmethod
    def get_display_name(cls):
        return _("公开明细")

    def get_queryset(self):
        return DisclosureLine.objects.none()

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("category__parent")

    def dehydrate_kind(self, line):
        return str(line.category.get_kind_display())

    def dehydrate_top(self, line):
        return line.category.top.name

    def dehydrate_category(self, line):
        return line.category.name

    # import: all rows replace the draft's hand-entered lines, or nothing is written.

    def before_import(self, dataset, **kwargs):
        if self.disclosure is None:
            raise DisclosureError(_("请选择要导入明细的经费公开草稿。"))
        if not self.disclosure.is_draft:
            raise DisclosureError(_("只能向草稿导入明细。"))
        self._names = branch_member_names(self.disclosure.branch_id)
        self.disclosure.lines.filter(source=DisclosureLine.Source.MANUAL).delete()

    def before_save_instance(self, instance, row, **kwargs):
        instance.disclosure = self.disclosure
        instance.source = DisclosureLine.Source.MANUAL

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        instance.disclosure = self.disclosure
        for attribute in ("item", "note"):
            found = personal_names_in(getattr(instance, attribute), self._names or [])
            if found:
                errors.setdefault(attribute, []).append(ValidationError(names_error(found)))
        if "item" not in errors and not (instance.item or "").strip():
            errors["item"] = [ValidationError(_("必填，不能为空。"))]
        try:
            instance.full_clean(exclude={"disclosure", *errors.keys()}, validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            columns = {field.attribute: field.column_name for field in self.fields.values()}
            raise ValidationError({columns.get(key, key): value for key, value in errors.items()})

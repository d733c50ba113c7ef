"""Disclosure lines to and from spreadsheets: 收支, 类别, 项目, 预算, 实际, 人次, 备注."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from congress.disclosures import services
from congress.disclosures.models import DisclosureLine, FinanceCategory
from congress.disclosures.services import DisclosureError, branch_member_names, names_error, personal_names_in
from unionhome.exports import FormulaSafeExportMixin
from unionhome.spreadsheets import ImportHeadersMixin


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

    def dehydrate_headcount(self, line):
        count = line.public_headcount
        return "" if count is None else str(count)

    # import: all rows replace the draft's hand-entered lines, or nothing is written.

    def before_import(self, dataset, **kwargs):
        if self.disclosure is None:
            raise DisclosureError(_("请选择要导入明细的经费公开草稿。"))
        if not self.disclosure.is_draft:
            raise DisclosureError(_("只能向草稿导入明细。"))
        self._names = branch_member_names(self.disclosure.branch_id)
        self._pending = []

    def before_save_instance(self, instance, row, **kwargs):
        instance.disclosure = self.disclosure
        instance.source = DisclosureLine.Source.MANUAL

    def do_instance_save(self, instance, is_create):
        self._pending.append(instance)  # written all at once by the service (after_import)

    def after_import(self, dataset, result, **kwargs):
        if result.has_errors() or result.has_validation_errors() or self._is_dry_run(kwargs):
            return
        services.disclosure_lines_import(disclosure=self.disclosure, actor=self.actor, lines=self._pending)

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

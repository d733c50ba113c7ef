"""Delegate import (django-import-export): 工号, 届次, 代表团, 提案工作委员会委员.

Rows are matched on (届次, 工号) inside the importing secretary's branch: a delegate already in
the term is updated, a new one is added. Unknown staff numbers, terms and delegations are
reported against their row and column, and any error rolls the whole file back.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from congress.models import Delegate, Delegation, Term
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

    def __init__(self, *, branch=None, actor=None, **kwargs):
        super().__init__(**kwargs)
        for name in ("member", "term", "delegation"):
            self.fields[name].widget.branch = branch
        self.branch = branch
        self.actor = actor

    def save_instance(self, instance, is_create, row, **kwargs):
        """Each row is seated by delegate_save (its rules and its audit entry), like a seat
        entered by hand; a refusal is that row's error and the whole file rolls back."""
        from congress import services

        self.before_save_instance(instance, row, **kwargs)
        services.delegate_save(actor=self.actor, delegate=instance, imported=True)
        self.after_save_instance(instance, row, **kwargs)

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

"""Officers of one branch see, choose and reference only their branch's rows in admin.

Every ModelAdmin uses `BranchScopedAdminMixin` and every inline `BranchScopedInlineMixin`
(tests/test_admin_scoping.py walks the admin registry and fails on one that does not). Both
restrict the rows listed, the choices offered for foreign keys and many-to-many fields, and
therefore what a submitted form may reference: a crafted POST naming another branch's row fails
the field's validation ("select a valid choice") and nothing is written. The changelist's
filters offer only the branch's rows too: a related field's choices are limited the same way,
and a value read across a relation ("round__year") is taken from the admin's scoped rows.
"""

from django.contrib.admin.filters import (
    AllValuesFieldListFilter,
    RelatedFieldListFilter,
    RelatedOnlyFieldListFilter,
)
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.db import DataError, transaction
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from members import access


def _scoped(queryset, request):
    """`queryset` limited to the user's branch; unchanged for a superuser or a declared global list."""
    model = queryset.model
    if request.user.is_superuser:
        return queryset
    if access.branch_lookup(model) is None:
        if getattr(model, "branch_lookup", None) is False:  # declared global (e.g. a category list)
            return queryset
        raise ImproperlyConfigured(
            f"{model._meta.label} is offered as a choice in admin but declares no branch_lookup"
        )
    return access.in_branch_of(queryset, request.user)


def _scoped_choices(field, request):
    if field is None or not hasattr(field, "queryset"):
        return field
    field.queryset = _scoped(field.queryset, request)
    return field


class _ScopedRelatedChoices:
    """A related field's filter (Django's RelatedFieldListFilter or RelatedOnlyFieldListFilter)
    offers only the branch's rows; one query, as before."""

    def field_choices(self, field, request, model_admin):
        every = field.related_model._default_manager.all()
        rows = _scoped(every, request)
        if rows is every:
            return super().field_choices(field, request, model_admin)
        limit = Q(pk__in=rows.values("pk"))
        if isinstance(self, RelatedOnlyFieldListFilter):
            used = model_admin.get_queryset(request).values(f"{self.field_path}__pk")
            limit &= Q(pk__in=used)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=limit, ordering=ordering)


class _ScopedValues(AllValuesFieldListFilter):
    """Values read across a relation come from the admin's own (scoped) rows, not the whole table."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        rows = model_admin.get_queryset(request)
        self.lookup_choices = rows.distinct().order_by(field_path).values_list(field_path, flat=True)


def _scoped_list_filter(model, entry):
    if isinstance(entry, str):
        path, filter_class = entry, None
    elif isinstance(entry, (list, tuple)):
        path, filter_class = entry
    else:
        return entry  # a SimpleListFilter: its own lookups() scope (tests walk every filter)
    field = get_fields_from_path(model, path)[-1]
    if field.is_relation:
        base = filter_class or RelatedFieldListFilter
        if base not in (RelatedFieldListFilter, RelatedOnlyFieldListFilter):
            return entry  # a filter of its own: its field_choices scope (tests walk every filter)
        return (path, type(f"Scoped{base.__name__}", (_ScopedRelatedChoices, base), {}))
    if "__" in path and filter_class in (None, AllValuesFieldListFilter) and not field.choices:
        if field.get_internal_type() not in ("BooleanField", "DateField", "DateTimeField"):
            return (path, _ScopedValues)
    return entry


class JunkSafeChangelistMixin:
    """A changelist filter value the database cannot hold (a 20-digit id, the year 99999, the
    date 0001-01-01 in local time) reaches the query only when the list is counted; the admin
    then treats it like any other bad filter (the list reloads with "?e=1"), never a 500."""

    def get_changelist_instance(self, request):
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL aborts the transaction on DataError
                return super().get_changelist_instance(request)
        except (OverflowError, DataError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class ReadOnlyAdminMixin:
    """Listed and opened, never added, changed or deleted in admin (written by services only,
    or by the third-party app's own flows)."""

    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_delete_permission = has_add_permission


class SuperuserWritesAdminMixin:
    """An installation-wide list (categories, caps): only a superuser adds, changes or deletes it."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class _BranchScoped(JunkSafeChangelistMixin):
    def _require_lookup(self):
        if access.branch_lookup(self.model) is None:
            raise ImproperlyConfigured(f"{self.model._meta.label} declares no branch_lookup")

    def get_queryset(self, request):
        self._require_lookup()
        return access.in_branch_of(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _scoped_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _scoped_choices(super().formfield_for_manytomany(db_field, request, **kwargs), request)


class AuditHistoryAdminMixin:
    """An object's "history" page shows the portal's one trail: the object's audit entries, as
    the audit admin scopes them (confidential entries only to the role that may read them).

    Django's own LogEntry rows are not shown anywhere (the index's "recent actions" block is
    dropped in templates/admin/index.html): they are written by the admin, not by the services,
    and miss every change made outside it. A ModelAdmin that logs reads of its records (welfare
    cases) overrides history_view and calls this one.
    """

    def history_view(self, request, object_id, extra_context=None):
        from unionhome.models import AuditEntry

        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = access.audit_entries_visible_to(
            AuditEntry.objects.filter(target_type=self.opts.label_lower, target_id=str(obj.pk)),
            request.user,
        ).select_related("actor")
        page = Paginator(entries, 100).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("操作记录：%(object)s") % {"object": obj},
            "subtitle": None,
            "page": page,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/audit_history.html", context)


class BranchScopedAdminMixin(AuditHistoryAdminMixin, _BranchScoped):
    """For a ModelAdmin: list, change, choices and list filters limited to the officer's branch;
    its history page is the object's audit entries."""

    branch_scoped = True

    def get_list_filter(self, request):
        return [_scoped_list_filter(self.model, entry) for entry in super().get_list_filter(request)]

    def get_object(self, request, object_id, from_field=None):
        # Another branch's record answers 404, exactly like a record that does not exist.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class BranchScopedInlineMixin(_BranchScoped):
    """For an InlineModelAdmin: the same limits on the inline's rows and its choices."""

    branch_scoped = True

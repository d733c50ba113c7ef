"""Officers of one branch see, choose and reference only their branch's rows in admin.

Every ModelAdmin uses `BranchScopedAdminMixin` and every inline `BranchScopedInlineMixin`
(tests/test_admin_scoping.py walks the admin registry and fails on one that does not). Both
restrict the rows listed, the choices offered for foreign keys and many-to-many fields, and
therefore what a submitted form may reference: a crafted POST naming another branch's row fails
the field's validation ("select a valid choice") and nothing is written.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ImproperlyConfigured
from django.db import DataError, transaction
from django.http import Http404

from members import access


def _scoped_choices(field, request):
    if field is None or request.user.is_superuser or not hasattr(field, "queryset"):
        return field
    model = field.queryset.model
    if access.branch_lookup(model) is None:
        if getattr(model, "branch_lookup", None) is False:  # declared global (e.g. a category list)
            return field
        raise ImproperlyConfigured(
            f"{model._meta.label} is offered as a choice in admin but declares no branch_lookup"
        )
    field.queryset = access.in_branch_of(field.queryset, request.user)
    return field


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

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class BranchScopedAdminMixin(_BranchScoped):
    """For a ModelAdmin: list, change and choices limited to the officer's branch."""

    branch_scoped = True

    def get_object(self, request, object_id, from_field=None):
        # Another branch's record answers 404, exactly like a record that does not exist.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class BranchScopedInlineMixin(_BranchScoped):
    """For an InlineModelAdmin: the same limits on the inline's rows and its choices."""

    branch_scoped = True

"""Officers of one branch see and change only their branch's rows in admin."""

from members.models import branch_of


class BranchScopedAdminMixin:
    """For a ModelAdmin whose model reaches its branch through `branch_field`."""

    branch_field = "branch"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        branch = branch_of(request.user)
        if branch is None:
            return queryset.none()
        return queryset.filter(**{self.branch_field: branch})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the officer's own branch's groups, departments, members...
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is None or request.user.is_superuser:
            return field
        branch = branch_of(request.user)
        model = db_field.remote_field.model
        if model._meta.label_lower == "members.branch":
            field.queryset = field.queryset.filter(pk=branch.pk if branch else None)
        elif any(f.name == "branch" for f in model._meta.get_fields()):
            field.queryset = field.queryset.filter(branch=branch)
        return field

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from members.admin_scope import BranchScopedAdminMixin, JunkSafeChangelistMixin
from members.models import Branch, Department, Member, UnionGroup, birth_dates_for_ages, branch_of
from members.resources import MemberResource
from unionhome.models import AuditEntry


class SizeLimitedImportForm(ImportForm):
    """Refuse an oversized upload before anything parses it."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.UNIONHOME_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("文件太大（%(size)s），上限是 %(limit)s。")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class RosterImportExportMixin:
    """Roster import/export bound to the officer's branch, all or nothing."""

    import_form_class = SizeLimitedImportForm
    formats = [XLSX, CSV]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"branch": branch_of(request.user), "actor": request.user}

    def get_import_data_kwargs(self, **kwargs):
        # Never let a row with a validation error be skipped silently at the confirm step.
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs


@admin.register(Branch)
class BranchAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name"]


@admin.register(UnionGroup)
class UnionGroupAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "branch", "sort_order"]
    list_filter = ["branch"]
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "branch"]
    list_filter = ["branch"]
    search_fields = ["name"]


class AgeBandFilter(admin.SimpleListFilter):
    title = gettext_lazy("年龄段")
    parameter_name = "age_band"

    def lookups(self, request, model_admin):
        return [(str(low), label) for low, _high, label in Member.AGE_BANDS]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        low = int(self.value())
        high = next(high for band_low, high, _label in Member.AGE_BANDS if band_low == low)
        earliest, latest = birth_dates_for_ages(low, high, timezone.localdate())
        return queryset.filter(birth_date__gte=earliest, birth_date__lte=latest)


@admin.register(Member)
class MemberAdmin(RosterImportExportMixin, BranchScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [MemberResource]
    list_display = [
        "staff_number",
        "name",
        "gender",
        "union_group",
        "department",
        "title",
        "status",
        "age_display",
    ]
    list_filter = ["status", "union_group", "department", "gender", AgeBandFilter]
    search_fields = ["staff_number", "name", "phone", "email"]
    list_select_related = ["union_group", "department"]
    readonly_fields = ["user", "updated_at"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["staff_number", "name", "gender", "birth_date", "status"]}),
        (
            gettext_lazy("单位"),
            {"fields": ["branch", "union_group", "department", "title", "joined_union_on"]},
        ),
        (gettext_lazy("联系方式"), {"fields": ["phone", "email"]}),
        (gettext_lazy("账号"), {"fields": ["user", "updated_at"]}),
    ]

    @admin.display(description=gettext_lazy("年龄"))
    def age_display(self, member):
        return member.age

    def save_model(self, request, obj, form, change):
        from members.services import member_ensure_account

        member_ensure_account(member=obj, actor=request.user)
        super().save_model(request, obj, form, change)


@admin.register(AuditEntry)
class AuditEntryAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    """The portal's audit trail (core's model, scoped here because branches live in this app).

    Read-only for everyone: entries are written by services only.
    """

    list_display = ["created_at", "actor", "action", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Django's and allauth's own screens are for superusers only; they get the same guard against
# filter values the database cannot hold.
def _guard_third_party_admins():
    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label in ("auth", "account", "mfa"):
            guarded = type(type(model_admin).__name__, (JunkSafeChangelistMixin, type(model_admin)), {})
            admin.site.unregister(model)
            admin.site.register(model, guarded)


_guard_third_party_admins()

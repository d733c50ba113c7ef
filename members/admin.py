from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from members import access, ages, services
from members.admin_scope import (
    AuditHistoryAdminMixin,
    BranchScopedAdminMixin,
    JunkSafeChangelistMixin,
    ReadOnlyAdminMixin,
)
from members.models import Branch, Department, EmailChangeRequest, Member, UnionGroup
from members.resources import MemberResource, roster_template_xlsx
from members.services import (
    MemberError,
    account_roles_set,
    account_save,
    login_email_check,
    member_check,
    member_save,
)
from unionhome import spreadsheets
from unionhome.admin_refusals import ServiceDeleteAdminMixin, ServiceRefusalAdminMixin
from unionhome.exports import spreadsheet_response
from unionhome.models import AuditEntry


class SizeLimitedImportForm(ImportForm):
    """Refuse an oversized upload, or one that is no table, before anything parses it.

    The format is recognised by content (unionhome.spreadsheets), never by the file's name or a
    choice: the format field is hidden and set from the content, for the preview and (through
    get_confirm_form_initial) for the confirm step. A GBK CSV is handed on converted to UTF-8.
    """

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = list(formats)
        self.table = None
        field = self.fields["format"]
        field.choices = [choice for choice in field.choices if choice[0] != ""]
        field.required = False
        field.widget = forms.HiddenInput()
        field.initial = self._format_index(spreadsheets.XLSX)
        upload = self.fields["import_file"]
        upload.widget.attrs.pop("class", None)  # no guessing the format from the name
        upload.help_text = gettext_lazy(
            "Excel 工作簿（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码）。文件类型按内容识别，与文件名无关。"
        )

    @property
    def media(self):
        return forms.Media()  # no format select, so no script guessing it

    def _format_index(self, title):
        for index, format_class in enumerate(self.format_classes):
            if format_class().get_title() == title:
                return str(index)
        return None

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.UNIONHOME_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("文件太大（%(size)s），上限是 %(limit)s。")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        upload.seek(0)
        table = spreadsheets.table_inspect(upload.read())
        if self._format_index(table.format) is None:
            raise ValidationError(_("这里不能导入这种表格。"))
        self.table = table
        if table.encoding == spreadsheets.GB18030:
            return SimpleUploadedFile(upload.name, table.content, content_type="text/csv")
        return upload

    def clean(self):
        cleaned_data = super().clean()
        if self.table is not None:
            cleaned_data["format"] = self._format_index(self.table.format)
        return cleaned_data

    @property
    def note(self):
        """What the officer should know about how the file was read, for the preview page."""
        if self.table is not None and self.table.encoding == spreadsheets.GB18030:
            return _(
                "这个 CSV 文件是按 GBK（GB18030）编码读取的，已转换为 UTF-8。请在预览里核对中文是否正确。"
            )
        return ""


class SpreadsheetImportMixin:
    """Every spreadsheet import: the file judged by content, every message in the page's language."""

    import_form_class = SizeLimitedImportForm

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            _(
                "无法读取这个表格文件：它可能已损坏，或内容不是表格。"
                "请在 Excel 或 WPS 中打开，“另存为”.xlsx 或“CSV UTF-8（逗号分隔）”后再上传。"
            ),
        )

    def process_import(self, request, **kwargs):
        """The confirm step: a format that is none of ours is a forged request (400); a file that
        is no longer waiting (already imported by a second click, or left for a day) is said so."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if form.is_valid():
            formats = self.get_import_formats()
            try:
                index = int(form.cleaned_data["format"])
            except (TypeError, ValueError):
                index = -1
            if not 0 <= index < len(formats):
                raise SuspiciousOperation("import confirmed with an unknown format")
            input_format = formats[index](encoding=self.from_encoding)
            waiting = self.get_tmp_storage_class()(
                name=form.cleaned_data["import_file_name"],
                encoding=None if input_format.is_binary() else self.from_encoding,
                read_mode=input_format.get_read_mode(),
                **self.get_tmp_storage_class_kwargs(),
            )
            content = waiting.read()
            if content:
                head = content[:4] if isinstance(content, bytes) else content[:4].encode()
                if (head == b"PK\x03\x04") != (input_format.get_title() == spreadsheets.XLSX):
                    raise SuspiciousOperation("import confirmed with a format that is not the file's")
            else:
                self.message_user(
                    request,
                    _("这份文件已经导入过，或上传后等待太久已失效。如需导入，请重新上传。"),
                    messages.WARNING,
                )
                opts = self.model._meta
                return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_import(request, **kwargs)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if form is not None and form.is_bound:
            _translate_library_errors(form)
            note = getattr(form, "note", "")
            if note and not form.errors:
                messages.info(request, note)
        return response


# The library's own message for a file with no data rows (its catalogue has no Chinese for it).
LIBRARY_NO_DATA = "No valid data to import. Ensure your file has the correct headers or data for import."


def _translate_library_errors(form):
    errors = form.errors.get("import_file")
    if not errors:
        return
    library = {LIBRARY_NO_DATA, _(LIBRARY_NO_DATA)}
    for index, error in enumerate(errors.as_data()):
        if set(error.messages) & library:
            errors.data[index] = ValidationError(spreadsheets.no_rows_message())


class RosterImportExportMixin(SpreadsheetImportMixin):
    """Roster import/export bound to the officer's branch, all or nothing."""

    formats = [XLSX, CSV]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/template.xlsx",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{opts.app_label}_{opts.model_name}_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        """An xlsx with the roster's Chinese headers and two example rows, to fill in and import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        content = roster_template_xlsx(access.branch_for(request.user))
        return spreadsheet_response(content, fmt="xlsx", filename="roster-template")

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"branch": access.branch_for(request.user), "actor": request.user}

    def get_import_data_kwargs(self, **kwargs):
        # Never let a row with a validation error be skipped silently at the confirm step.
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs


class StructureServiceAdminMixin(ServiceDeleteAdminMixin):
    """Saves and deletes go through members.services (`save_service` / `delete_service`), audited.

    A refusal is shown by ServiceRefusalAdminMixin; a record still in use stays protected by the
    database (PROTECT), which Django's delete page already reports.
    """

    save_service = None

    def save_model(self, request, obj, form, change):
        type(self).save_service(**{self.service_argument: obj}, actor=request.user)


@admin.register(Branch)
class BranchAdmin(
    ServiceRefusalAdminMixin, StructureServiceAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin
):
    list_display = ["name", "short_name"]
    search_fields = ["name"]
    save_service = services.branch_save
    delete_service = services.branch_delete
    service_argument = "branch"


@admin.register(UnionGroup)
class UnionGroupAdmin(
    ServiceRefusalAdminMixin, StructureServiceAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin
):
    list_display = ["name", "branch", "sort_order"]
    list_filter = ["branch"]
    search_fields = ["name"]
    save_service = services.union_group_save
    delete_service = services.union_group_delete
    service_argument = "group"


@admin.register(Department)
class DepartmentAdmin(
    ServiceRefusalAdminMixin, StructureServiceAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin
):
    list_display = ["name", "branch"]
    list_filter = ["branch"]
    search_fields = ["name"]
    save_service = services.department_save
    delete_service = services.department_delete
    service_argument = "department"


class AgeBandFilter(admin.SimpleListFilter):
    title = gettext_lazy("年龄段")
    parameter_name = "age_band"

    def lookups(self, request, model_admin):
        return [(band.key, band.label) for band in ages.AGE_BANDS]

    def queryset(self, request, queryset):
        band = ages.band_by_key(self.value())
        if band is None:  # no filter, or a value that names no band: show everyone
            return queryset
        earliest, latest = ages.birth_dates_for_band(band, timezone.localdate())
        return queryset.filter(birth_date__gte=earliest, birth_date__lte=latest)


class MemberAdminForm(forms.ModelForm):
    """Shows what member_save would refuse (e-mail taken, a protected login e-mail) on the field."""

    actor = None  # the signed-in officer, set per request by MemberAdmin.get_form

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            member_check(member=self.instance, actor=self.actor)
        except MemberError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)


@admin.register(Member)
class MemberAdmin(
    ServiceRefusalAdminMixin, RosterImportExportMixin, BranchScopedAdminMixin, ImportExportModelAdmin
):
    resource_classes = [MemberResource]
    # Few columns, so that names never wrap at 1280px; gender, age band, department are filters.
    list_display = ["staff_number", "name", "union_group", "status"]
    list_filter = ["status", "union_group", "department", "gender", AgeBandFilter]
    search_fields = ["staff_number", "name", "phone", "email"]
    list_select_related = ["union_group", "department"]
    readonly_fields = ["user", "updated_at", "language", "email_off"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["staff_number", "name", "gender", "birth_date", "status"]}),
        (
            gettext_lazy("单位"),
            {"fields": ["branch", "union_group", "department", "title", "joined_union_on"]},
        ),
        (
            gettext_lazy("联系方式"),
            {
                "fields": ["phone", "email"],
                "description": gettext_lazy(
                    "登录邮箱由会员本人在“我的”页面修改；工会委员如需更正，请在“登录邮箱更正请求”中发起，"
                    "由会员从原邮箱确认。"
                ),
            },
        ),
        (gettext_lazy("账号"), {"fields": ["user", "updated_at"]}),
        (
            gettext_lazy("通知设置"),
            {
                "fields": ["language", "email_off"],
                "description": gettext_lazy("由会员本人在“我的”页面设置。"),
            },
        ),
    ]

    form = MemberAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_readonly_fields(self, request, obj=None):
        """The login e-mail of an existing member is read-only unless the user may replace it
        (a superuser; an officer giving an unused account its first address): an officer
        corrects it with a request the member confirms (登录邮箱更正请求)."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk is not None and not access.can_replace_login_email(request.user, obj):
            readonly.append("email")
        return readonly

    def save_model(self, request, obj, form, change):
        member_save(member=obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # a member leaves by status (离会/退休); the record and its history stay

    def import_action(self, request, **kwargs):
        """The preview says which rows' new e-mail addresses were not applied, and why."""
        response = super().import_action(request, **kwargs)
        result = (getattr(response, "context_data", None) or {}).get("result")
        kept = getattr(result, "kept_emails", None)
        if kept:
            messages.warning(
                request,
                _(
                    "以下会员的电子邮箱与名册不同，但登录邮箱不会随导入更改（仍用原邮箱）：%(rows)s。"
                    "如需更正，请在“登录邮箱更正请求”中发起，由会员从原邮箱确认。"
                )
                % {"rows": "、".join(kept)},
            )
        return response


@admin.register(AuditEntry)
class AuditEntryAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    """The portal's audit trail (core's model, scoped here because branches live in this app).

    Read-only for everyone: entries are written by services only.
    """

    list_display = ["created_at", "actor", "action", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "actor__username"]
    date_hierarchy = "created_at"

    @staticmethod
    def _confidential_apps():
        """(app config, prefix) of each app whose entries are confidential (`confidential_audit`).

        Such an app may also say who may read its entries in this request
        (`confidential_audit_open_to(request)`, e.g. only after a second factor) and log each
        reading (`confidential_audit_viewed(request, entries)`).
        """
        from django.apps import apps

        for config in apps.get_app_configs():
            rule = getattr(config, "confidential_audit", None)
            if rule is not None:
                yield config, rule[0]

    @staticmethod
    def _of_prefix(prefix):
        from django.db.models import Q

        return Q(action__startswith=prefix) | Q(target_type__startswith=prefix)

    def get_queryset(self, request):
        queryset = access.audit_entries_visible_to(super().get_queryset(request), request.user)
        for config, prefix in self._confidential_apps():
            open_to = getattr(config, "confidential_audit_open_to", None)
            if open_to is not None and not open_to(request):
                queryset = queryset.exclude(self._of_prefix(prefix))
        return queryset

    def _record_reading(self, request, entries):
        for config, prefix in self._confidential_apps():
            viewed = getattr(config, "confidential_audit_viewed", None)
            shown = [e for e in entries if e.action.startswith(prefix) or e.target_type.startswith(prefix)]
            if viewed is not None and shown:
                viewed(request, shown)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and changelist is not None:
            self._record_reading(request, list(changelist.result_list))
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and original is not None:
            self._record_reading(request, [original])
        return response

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EmailChangeRequestForm(forms.ModelForm):
    class Meta:
        model = EmailChangeRequest
        fields = ["member", "new_email"]


@admin.register(EmailChangeRequest)
class EmailChangeRequestAdmin(ServiceRefusalAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    """An officer's correction of a login e-mail: started here, confirmed by the member from the
    link mailed to her old address (members.services.email_change_request). Read-only after."""

    form = EmailChangeRequestForm
    list_display = ["member", "new_email", "requested_by", "created_at", "state"]
    list_select_related = ["member", "requested_by"]
    search_fields = ["member__staff_number", "member__name"]
    autocomplete_fields = ["member"]
    readonly_fields = [
        "old_email",
        "requested_by",
        "created_at",
        "expires_at",
        "confirmed_at",
        "cancelled_at",
    ]

    @admin.display(description=gettext_lazy("状态"))
    def state(self, change):
        return change.state_label

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member", "new_email"]
        return ["member", "new_email", *self.readonly_fields]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        path = reverse("members:email_change_confirm", kwargs={"token": "TOKEN"})
        saved = services.email_change_request(
            member=obj.member,
            new_email=obj.new_email,
            actor=request.user,
            confirm_url=lambda token: request.build_absolute_uri(path.replace("TOKEN", token)),
        )
        obj.pk = saved.pk


class AccountChangeForm(UserChangeForm):
    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        try:
            login_email_check(email, user_id=self.instance.pk)
        except MemberError as error:
            raise ValidationError(error.message) from None
        return email


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(ServiceRefusalAdminMixin, UserAdmin):
    """Login accounts, for superusers only (no role grants the auth permissions).

    A member's username and e-mail follow the roster: they are read-only here and changed on the
    member record (member_save); any other change of a login e-mail goes through account_save,
    which announces it to the old address.
    """

    form = AccountChangeForm
    actions = ["issue_mfa_code"]

    @admin.action(description=gettext_lazy("当面发放两步验证确认码"))
    def issue_mfa_code(self, request, queryset):
        """For an officer with no address to mail (or in person): the code her TOTP set-up asks
        for, shown once to the superuser who hands it over."""
        for user in queryset:
            code = services.mfa_enrolment_code_issue(user=user, actor=request.user)
            self.message_user(
                request,
                _("%(user)s 的两步验证确认码：%(code)s（15 分钟内有效，请当面交给本人）。")
                % {"user": user.get_username(), "code": code},
                messages.WARNING,
            )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and Member.objects.filter(user=obj).exists():
            readonly += ["username", "email"]
        return readonly

    def save_model(self, request, obj, form, change):
        account_save(user=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        # Roles are the one many-to-many the form edits; direct permissions are not offered.
        if "groups" in form.cleaned_data:
            account_roles_set(user=form.instance, groups=form.cleaned_data["groups"], actor=request.user)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_fieldsets(self, request, obj=None):
        # Direct permissions bypass the roles (and their audit): only roles are granted here.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "user_permissions"]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def has_delete_permission(self, request, obj=None):
        return False  # an account is switched off (is_active), never deleted: the audit trail names it


# Django's and allauth's own screens are for superusers only; they get the same guard against
# filter values the database cannot hold. Roles (groups) come from data migrations, e-mail
# addresses follow account_save and authenticators the owner's own MFA pages: read-only here,
# so that nothing changes without a service and its audit entry.
_READ_ONLY_THIRD_PARTY = {"auth.group", "account.emailaddress", "mfa.authenticator"}


def _guard_third_party_admins():
    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label in ("auth", "account", "mfa"):
            bases = (AuditHistoryAdminMixin, JunkSafeChangelistMixin, type(model_admin))
            if model._meta.label_lower in _READ_ONLY_THIRD_PARTY:
                bases = (ReadOnlyAdminMixin, *bases)
            guarded = type(type(model_admin).__name__, bases, {})
            admin.site.unregister(model)
            admin.site.register(model, guarded)


_guard_third_party_admins()

"""Registrations export (xlsx/csv) for officers, formula-safe; headers in the user's language."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from activities.models import Registration
from unionhome.exports import FormulaSafeExportMixin


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class RegistrationResource(FormulaSafeExportMixin, resources.ModelResource):
    activity = fields.Field(column_name=gettext_lazy("活动"), attribute="activity__title")
    starts_at = fields.Field(column_name=gettext_lazy("活动时间"))
    staff_number = fields.Field(column_name=gettext_lazy("工号"), attribute="member__staff_number")
    name = fields.Field(column_name=gettext_lazy("姓名"), attribute="member__name")
    union_group = fields.Field(column_name=gettext_lazy("工会小组"), attribute="member__union_group__name")
    department = fields.Field(column_name=gettext_lazy("部门"))
    phone = fields.Field(column_name=gettext_lazy("手机"), attribute="member__phone")
    status = fields.Field(column_name=gettext_lazy("状态"))
    position = fields.Field(column_name=gettext_lazy("候补位次"))
    attendance = fields.Field(column_name=gettext_lazy("出勤"))
    created_at = fields.Field(column_name=gettext_lazy("报名时间"))
    registered_by = fields.Field(column_name=gettext_lazy("代报名人"))
    note = fields.Field(column_name=gettext_lazy("备注"), attribute="note")

    class Meta:
        model = Registration
        fields = [
            "activity",
            "starts_at",
            "staff_number",
            "name",
            "union_group",
            "department",
            "phone",
            "status",
            "position",
            "attendance",
            "created_at",
            "registered_by",
            "note",
        ]
        export_order = fields

    @classmethod
    def get_display_name(cls):
        return _("报名名单")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(
            "activity", "member__union_group", "member__department", "registered_by"
        ).with_position()

    def dehydrate_starts_at(self, registration):
        return _local(registration.activity.starts_at)

    def dehydrate_department(self, registration):
        department = registration.member.department
        return department.name if department else ""

    def dehydrate_status(self, registration):
        return str(registration.get_status_display())

    def dehydrate_position(self, registration):
        return (
            getattr(registration, "position", None)
            if registration.status == Registration.Status.WAITLISTED
            else ""
        )

    def dehydrate_attendance(self, registration):
        return str(registration.get_attendance_display())

    def dehydrate_created_at(self, registration):
        return _local(registration.created_at)

    def dehydrate_registered_by(self, registration):
        return registration.registered_by.get_username() if registration.registered_by_id else ""

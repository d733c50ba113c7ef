import copy
import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities import services
from activities.models import Activity, Club, Registration
from members.models import Member

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")

# Dates outside these are typing mistakes (or probes); they would not fit the database's range
# once converted to UTC, so every date a form accepts lies within them.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def _check_day(day: date) -> None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise forms.ValidationError(
            _("请填写 %(first)s 年到 %(last)s 年之间的日期。"),
            params={"first": EARLIEST_DAY.year, "last": LATEST_DAY.year},
            code="out_of_range",
        )


class MonthInput(forms.TextInput):
    """<input type="month"> that never echoes back a value the browser cannot show (invalid HTML)."""

    input_type = "month"

    def format_value(self, value):
        value = super().format_value(value)
        match = MONTH_PATTERN.match(value or "")
        return value if match and 1 <= int(match.group(2)) <= 12 else None


class ActivityFilterForm(forms.Form):
    """The filters on /activities/ (GET; every field optional)."""

    club = forms.ModelChoiceField(
        label=_("俱乐部"), queryset=Club.objects.none(), required=False, empty_label=_("全部俱乐部")
    )
    category = forms.ChoiceField(label=_("类别"), required=False)
    month = forms.CharField(
        label=_("月份"),
        required=False,
        widget=MonthInput(),
    )
    open = forms.BooleanField(label=_("只看可报名的"), required=False)
    mine = forms.BooleanField(label=_("只看我能报名的"), required=False)
    # Sent with the form: tells a submitted form (checkbox off) from a first visit (filter on).
    filtered = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, data=None, *args, clubs, member=None, **kwargs):
        if data is not None and not data.get("filtered"):
            data = data.copy()
            data["mine"] = "on"  # on by default: hide what the member cannot join
            data["filtered"] = "1"
        super().__init__(data, *args, **kwargs)
        self.member = member
        self.fields["club"].queryset = clubs
        self.fields["category"].choices = [("", _("全部类别")), *Activity.Category.choices]

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = MONTH_PATTERN.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) == 0:
            raise forms.ValidationError(_("请按 2026-05 的格式填写月份。"))
        first = date(int(match.group(1)), int(match.group(2)), 1)
        _check_day(first)
        return first

    def filter(self, queryset):
        """Apply the valid filters; an invalid field is ignored (and shown with its error)."""
        self.is_valid()  # keeps the valid fields in cleaned_data even when another one is wrong
        data = self.cleaned_data
        if data.get("club"):
            queryset = queryset.filter(club=data["club"])
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("month"):
            first = data["month"]
            following = (first + timedelta(days=32)).replace(day=1)
            queryset = queryset.filter(starts_at__gte=_start_of(first), starts_at__lt=_start_of(following))
        if data.get("open"):
            queryset = queryset.open_for_signup()
        if data.get("mine") and self.member is not None:
            queryset = queryset.for_audience_of(self.member)
        return queryset


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class ParticipationPeriodForm(forms.Form):
    start = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_start(self):
        _check_day(self.cleaned_data["start"])
        return self.cleaned_data["start"]

    def clean_end(self):
        _check_day(self.cleaned_data["end"])
        return self.cleaned_data["end"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("截止日期不能早于起始日期。"))
        return data

    def period(self) -> tuple[datetime, datetime]:
        """[start 00:00, the day after end 00:00) in local time."""
        return _start_of(self.cleaned_data["start"]), _start_of(self.cleaned_data["end"] + timedelta(days=1))


DATETIME_FIELDS = ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at", "cancel_deadline")


class ActivityAdminForm(forms.ModelForm):
    """An activity's fields, for officers in admin and (without branch and club) for club leaders.

    `version` carries the activity's version as loaded: activities.services.activity_update
    refuses the save if somebody saved the activity in between. The rules themselves live in
    the services: the form asks them (`activity_check_values`) to put a mistake next to its field.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = [
            "branch",
            "club",
            "title",
            "category",
            "description",
            "status",
            "starts_at",
            "ends_at",
            "place",
            "audience",
            "audience_groups",
            "capacity",
            "signup_opens_at",
            "signup_closes_at",
            "cancel_deadline",
        ]
        widgets = {"audience_groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else ""
        if not self.instance.pk:
            self.fields["status"].choices = [
                (value, label)
                for value, label in Activity.Status.choices
                if value in (Activity.Status.DRAFT, Activity.Status.PUBLISHED)
            ]

    def clean(self):
        data = super().clean()
        for name in DATETIME_FIELDS:
            if data.get(name):
                try:
                    _check_day(timezone.localdate(data[name]))
                except forms.ValidationError as error:
                    self.add_error(name, error)
                    data.pop(name, None)
        probe = copy.copy(self.instance)
        for name in (*services.ACTIVITY_FIELDS, "status"):
            if name in data:
                setattr(probe, name, data[name])
        try:
            services.activity_check_values(activity=probe, audience_groups=data.get("audience_groups") or [])
        except services.ActivityError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
        return data

    def changes(self) -> dict:
        """The changed fields and their new values, for activities.services.activity_update."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in services.ACTIVITY_FIELDS or name == "status"
        }


LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class ClubActivityForm(ActivityAdminForm):
    """A club leader (or officer) plans one of the club's activities on the portal, from a phone."""

    class Meta(ActivityAdminForm.Meta):
        fields = [name for name in ActivityAdminForm.Meta.fields if name not in ("branch", "club")]
        widgets = {
            "audience_groups": forms.CheckboxSelectMultiple,
            **{
                name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE)
                for name in DATETIME_FIELDS
            },
        }

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.club = club
        self.instance.branch = club.branch
        self.fields["audience_groups"].queryset = club.branch.groups.all()
        for name in DATETIME_FIELDS:
            self.fields[name].input_formats = [LOCAL_MINUTE, "%Y-%m-%d %H:%M"]


class RegisterForMemberForm(forms.Form):
    """An officer signs a member up on their behalf (admin)."""

    member = forms.ModelChoiceField(label=_("会员"), queryset=Member.objects.none())

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Registration.objects.filter(
            activity=activity, status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
        ).values("member_id")
        self.fields["member"].queryset = (
            Member.objects.in_good_standing()
            .filter(branch_id=activity.branch_id)
            .exclude(pk__in=taken)
            .select_related("union_group")
            .order_by("union_group__sort_order", "staff_number")
        )


SHEET_ORDER = [
    Registration.Attendance.PRESENT,
    Registration.Attendance.ABSENT,
    Registration.Attendance.UNMARKED,
]


class AttendanceForm(forms.Form):
    """One radio group per confirmed registration on the sign-in sheet."""

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[f"r{registration.pk}"] = forms.ChoiceField(
                label=registration.member.name,
                choices=[(value, Registration.Attendance(value).label) for value in SHEET_ORDER],
                initial=registration.attendance,
                widget=forms.RadioSelect,
            )

    def rows(self):
        for number, registration in enumerate(self.registrations, 1):
            yield number, registration, self[f"r{registration.pk}"]

    def marks(self) -> dict[int, str]:
        return {
            registration.pk: self.cleaned_data[f"r{registration.pk}"] for registration in self.registrations
        }

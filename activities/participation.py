"""Participation (覆盖面、参与面): who the branch's activities reached in a period.

Coverage = active members (在职) who attended at least one activity held in the period
÷ active members. Every figure comes from aggregate queries: a handful of GROUP BY queries,
whatever the number of members or activities. Age bands are the members app's
(`members.ages`: the bands, turned into birth-date ranges), so the report, the roster filter
and a member's `age_band` agree.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import tablib
from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, Registration
from members import ages
from members.models import Member


@dataclass
class CoverageRow:
    label: str
    members: int
    reached: int

    @property
    def coverage(self) -> float:
        return self.reached / self.members if self.members else 0.0

    @property
    def percent(self) -> str:
        return f"{self.coverage * 100:.1f}%"


@dataclass
class Breakdown:
    title: str
    rows: list[CoverageRow] = field(default_factory=list)


@dataclass
class ParticipationReport:
    start: datetime
    end: datetime
    activities_held: int
    signups: int
    waitlisted: int
    present: int
    absent: int
    overall: CoverageRow
    retirees: CoverageRow
    breakdowns: list[Breakdown]
    members: list  # Member objects annotated with signups, attended, absent

    @property
    def attendance_rate(self) -> str:
        marked = self.present + self.absent
        return f"{self.present / marked * 100:.1f}%" if marked else "—"


def _rows(queryset, label_of, reached) -> list[CoverageRow]:
    rows = [
        CoverageRow(label=str(label_of(row)), members=row["members"], reached=row["reached"])
        for row in queryset.annotate(members=Count("pk"), reached=Count("pk", filter=reached))
        if row["members"]
    ]
    # The least-reached first: these are where the branch should go next.
    return sorted(rows, key=lambda row: (row.coverage, -row.members, row.label))


def participation_report(*, branch, start: datetime, end: datetime, now: datetime | None = None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    held = Activity.objects.in_branch(branch.pk).held_between(start, end, now)
    confirmed = Registration.objects.filter(activity__in=held, status=Registration.Status.CONFIRMED)
    totals = Registration.objects.filter(activity__in=held).aggregate(
        signups=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        present=Count(
            "pk", filter=Q(status=Registration.Status.CONFIRMED, attendance=Registration.Attendance.PRESENT)
        ),
        absent=Count(
            "pk", filter=Q(status=Registration.Status.CONFIRMED, attendance=Registration.Attendance.ABSENT)
        ),
    )
    attended = confirmed.filter(attendance=Registration.Attendance.PRESENT, member=OuterRef("pk"))
    # The Exists goes straight into each Count's filter (an annotation referenced from an
    # aggregate is lost when Django wraps the query in a subquery).
    reached = Exists(attended)
    members = Member.objects.filter(branch=branch).order_by()
    active = members.filter(status=Member.Status.ACTIVE)

    overall = active.aggregate(members=Count("pk"), reached=Count("pk", filter=reached))
    retired = members.filter(status=Member.Status.RETIRED).aggregate(
        members=Count("pk"), reached=Count("pk", filter=reached)
    )

    band_cases = []
    for index, band in enumerate(ages.AGE_BANDS):
        earliest, latest = ages.birth_dates_for_band(band, today)
        band_cases.append(When(birth_date__gte=earliest, birth_date__lte=latest, then=Value(index)))
    band_labels = {index: band.label for index, band in enumerate(ages.AGE_BANDS)}
    gender_labels = dict(Member.Gender.choices)
    young_label = _("青年教师（%(age)s 岁及以下）") % {"age": settings.UNIONHOME_YOUNG_TEACHER_MAX_AGE}
    cutoff = ages.young_teacher_birth_cutoff(today)

    breakdowns = [
        Breakdown(
            _("按工会小组"),
            _rows(active.values("union_group__name"), lambda row: row["union_group__name"], reached),
        ),
        Breakdown(
            _("按部门"),
            _rows(
                active.values("department__name"),
                lambda row: row["department__name"] or _("未填部门"),
                reached,
            ),
        ),
        Breakdown(
            _("按性别"),
            _rows(active.values("gender"), lambda row: gender_labels.get(row["gender"], "—"), reached),
        ),
        Breakdown(
            _("按年龄段"),
            _rows(
                active.annotate(
                    band=Case(*band_cases, default=Value(len(band_cases) - 1), output_field=IntegerField())
                ).values("band"),
                lambda row: band_labels[row["band"]],
                reached,
            ),
        ),
        Breakdown(
            _("青年教师"),
            _rows(
                active.annotate(
                    young=Case(
                        When(birth_date__gte=cutoff, then=Value(1)),
                        default=Value(0),
                        output_field=IntegerField(),
                    )
                ).values("young"),
                lambda row: young_label if row["young"] else _("其他在职会员"),
                reached,
            ),
        ),
    ]

    in_period = Q(
        activity_registrations__activity__in=held,
        activity_registrations__status=Registration.Status.CONFIRMED,
    )
    per_member = list(
        Member.objects.in_good_standing()
        .filter(branch=branch)
        .select_related("union_group", "department")
        .annotate(
            signups=Count("activity_registrations", filter=in_period),
            attended=Count(
                "activity_registrations",
                filter=in_period & Q(activity_registrations__attendance=Registration.Attendance.PRESENT),
            ),
            absent=Count(
                "activity_registrations",
                filter=in_period & Q(activity_registrations__attendance=Registration.Attendance.ABSENT),
            ),
        )
        .order_by("attended", "signups", "union_group__sort_order", "staff_number")
    )
    return ParticipationReport(
        start=start,
        end=end,
        activities_held=held.count(),
        signups=totals["signups"],
        waitlisted=totals["waitlisted"],
        present=totals["present"],
        absent=totals["absent"],
        overall=CoverageRow(_("全体在职会员"), overall["members"], overall["reached"]),
        retirees=CoverageRow(_("退休会员"), retired["members"], retired["reached"]),
        breakdowns=breakdowns,
        members=per_member,
    )


def _member_headers():
    return [
        _("工号"),
        _("姓名"),
        _("工会小组"),
        _("部门"),
        _("性别"),
        _("年龄段"),
        _("会籍状态"),
        _("报名次数"),
        _("出席次数"),
        _("缺席次数"),
    ]


def member_dataset(report: ParticipationReport) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=_member_headers(), title=_("会员参与")[:31])
    for member in report.members:
        dataset.append(
            [
                member.staff_number,
                member.name,
                member.union_group.name,
                member.department.name if member.department_id else "",
                member.get_gender_display(),
                str(member.age_band),
                member.get_status_display(),
                member.signups,
                member.attended,
                member.absent,
            ]
        )
    return dataset


def report_databook(report: ParticipationReport) -> tablib.Databook:
    summary = tablib.Dataset(headers=[_("指标"), _("数值")], title=_("概况")[:31])
    local_end = timezone.localdate(report.end) - timedelta(days=1)
    for label, value in [
        (_("统计期间"), f"{timezone.localdate(report.start):%Y-%m-%d} – {local_end:%Y-%m-%d}"),
        (_("开展活动（次）"), report.activities_held),
        (_("报名人次"), report.signups),
        (_("候补人次"), report.waitlisted),
        (_("出席人次"), report.present),
        (_("缺席人次"), report.absent),
        (_("出席率"), report.attendance_rate),
        (_("在职会员（人）"), report.overall.members),
        (_("至少出席一次（人）"), report.overall.reached),
        (_("覆盖面"), report.overall.percent),
        (_("退休会员覆盖面"), f"{report.retirees.reached}/{report.retirees.members}"),
    ]:
        summary.append([label, value])
    coverage = tablib.Dataset(
        headers=[_("维度"), _("分组"), _("会员数"), _("至少出席一次"), _("覆盖面")], title=_("覆盖面")[:31]
    )
    for breakdown in report.breakdowns:
        for row in breakdown.rows:
            coverage.append([breakdown.title, row.label, row.members, row.reached, row.percent])
    return tablib.Databook([summary, coverage, member_dataset(report)])

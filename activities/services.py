"""Every state change of clubs, activities, registrations and attendance.

Registration services start by locking the activity's row (SELECT ... FOR UPDATE on PostgreSQL;
on SQLite every transaction is IMMEDIATE, so writers queue on the database lock). Under that
lock a seat is taken with a conditional UPDATE on `confirmed_count`, which a CHECK constraint
keeps within capacity, and the waitlist is filled in order in the same transaction.
"""

import logging
import secrets
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import F, Max, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import access
from activities.models import Activity, ActivityResult, CalendarFeed, Club, ClubMembership, Registration
from members.models import Member
from unionhome import notices
from unionhome.audit import audit_record
from unionhome.errors import DomainError
from unionhome.notices import notice_send, notices_send
from unionhome.text import enumeration

logger = logging.getLogger(__name__)


class ActivityError(DomainError):
    """A change the rules forbid; the message is shown to the user as it is."""


class RegistrationError(ActivityError):
    pass


class AlreadyRegistered(RegistrationError):
    """The member already holds a seat or a waitlist place (e.g. a double submit)."""

    def __init__(self, message, registration):
        super().__init__(message)
        self.registration = registration


class AttendanceError(ActivityError):
    pass


class ClubError(ActivityError):
    pass


# --- seats and the waitlist (call only while holding the activity lock) --------------------


def _lock_activity(pk) -> Activity:
    return Activity.objects.select_for_update(of=("self",)).select_related("branch", "club").get(pk=pk)


def _take_seat(activity: Activity) -> bool:
    """Count one more confirmed seat if one is free; the database has the last word."""
    seats = Activity.objects.filter(pk=activity.pk)
    if activity.capacity is not None:
        seats = seats.filter(confirmed_count__lt=F("capacity"))
    taken = seats.update(confirmed_count=F("confirmed_count") + 1) == 1
    if taken:
        activity.confirmed_count += 1
    return taken


def _free_seat(activity: Activity) -> None:
    Activity.objects.filter(pk=activity.pk, confirmed_count__gt=0).update(
        confirmed_count=F("confirmed_count") - 1
    )
    activity.confirmed_count = max(activity.confirmed_count - 1, 0)


def _next_queue_number(activity: Activity) -> int:
    last = activity.registrations.aggregate(last=Max("queue_number"))["last"]
    return (last or 0) + 1


def _seat(registration: Registration, now) -> None:
    registration.status = Registration.Status.CONFIRMED
    registration.queue_number = None
    registration.confirmed_at = now
    registration.save(update_fields=["status", "queue_number", "confirmed_at", "updated_at"])


def _tell_promoted(registration: Registration) -> None:
    """A notice on the member's pages now, and an e-mail once the transaction commits."""
    activity = registration.activity
    member = registration.member

    def body():  # the mail's own text, rendered in the member's language
        return _(
            "%(name)s，您好：\n\n您候补的活动“%(title)s”有了空位，您已转为正式报名。\n时间：%(when)s\n地点：%(place)s\n\n如不能参加，请在取消截止前在职工小家取消报名，把名额让给其他会员。"
        ) % {  # noqa: E501
            "name": member.name,
            "title": activity.title,
            "when": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
            "place": activity.place,
        }

    notice_send(
        user=member.user,
        kind=notices.ACTIVITY_PROMOTED,
        params={"title": activity.title},
        url=activity.get_absolute_url(),
        body=body,
    )


def _fill_seats(*, activity: Activity, actor, now) -> list[Registration]:
    """Give free seats to the waitlist, first in line first (the caller holds the lock)."""
    promoted = []
    if activity.status != Activity.Status.PUBLISHED or activity.has_ended(now):
        return promoted
    while True:
        head = activity.registrations.waitlist().select_related("member__user").first()
        if head is None or not _take_seat(activity):
            break
        _seat(head, now)
        head.activity = activity
        _tell_promoted(head)
        audit_record(
            actor=actor,
            action="registration.promoted",
            target=head,
            branch_id=activity.branch_id,
            automatic=True,
        )
        promoted.append(head)
    return promoted


# --- registrations -----------------------------------------------------------------------


def registration_create(*, activity: Activity, member: Member, actor) -> Registration:
    """Sign a member up: a seat while seats remain (and nobody waits), else a waitlist place.

    A member signs up for themselves within the sign-up window; an officer of the branch may
    sign a member up on their behalf at any time while the activity is published.
    """
    with transaction.atomic():
        activity = _lock_activity(activity.pk)
        now = timezone.now()
        on_behalf = not access.acts_for_self(actor, member)
        if on_behalf and not access.can_register_others(actor, activity):
            raise RegistrationError(_("只有本分工会的工会委员可以代会员报名。"))
        if on_behalf and activity.status != Activity.Status.PUBLISHED:
            raise RegistrationError(_("只能为已发布的活动代报名。"))
        reason = activity.audience_reason(member) or (None if on_behalf else activity.window_reason(now))
        if reason:
            raise RegistrationError(reason)

        registration = (
            Registration.objects.select_for_update().filter(activity=activity, member=member).first()
        )
        if registration is not None and registration.status != Registration.Status.CANCELLED:
            if registration.status == Registration.Status.CONFIRMED:
                message = (
                    _("您已报名这个活动，无需重复提交。")
                    if not on_behalf
                    else _("%(name)s 已报名这个活动。") % {"name": member.name}
                )
            else:
                message = _("您已在候补名单中，第 %(position)s 位，无需重复提交。") % {
                    "position": registration.waitlist_position()
                }
            raise AlreadyRegistered(message, registration)

        someone_waits = activity.registrations.waitlist().exists()
        seated = not someone_waits and _take_seat(activity)
        is_new = registration is None
        if is_new:
            registration = Registration(activity=activity, member=member, created_at=now)
        registration.status = Registration.Status.CONFIRMED if seated else Registration.Status.WAITLISTED
        registration.queue_number = None if seated else _next_queue_number(activity)
        registration.confirmed_at = now if seated else None
        registration.cancelled_at = None
        registration.attendance = Registration.Attendance.UNMARKED
        registration.attendance_marked_at = None
        registration.registered_by = actor if on_behalf and actor.is_authenticated else None
        if is_new:
            try:
                with transaction.atomic():
                    registration.save()
            except IntegrityError:  # a twin request got in first; the lock makes this very rare
                raise AlreadyRegistered(_("您已报名这个活动，无需重复提交。"), registration) from None
        else:
            registration.created_at = now
            registration.save(
                update_fields=[
                    "status",
                    "queue_number",
                    "confirmed_at",
                    "cancelled_at",
                    "attendance",
                    "attendance_marked_at",
                    "registered_by",
                    "created_at",
                    "updated_at",
                ]
            )
        audit_record(
            actor=actor,
            action="registration.created",
            target=registration,
            branch_id=activity.branch_id,
            status=registration.status,
            on_behalf=on_behalf,
        )
    registration.activity = activity
    return registration


def registration_cancel(*, registration: Registration, actor) -> Registration:
    """Cancel a sign-up or leave the waitlist; a freed seat goes to the first waiting member.

    Members may cancel their own until the cancellation deadline; officers at any time.
    """
    with transaction.atomic():
        activity = _lock_activity(registration.activity_id)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("member")
            .get(pk=registration.pk)
        )
        now = timezone.now()
        is_officer = access.can_register_others(actor, activity)
        if not is_officer and not access.acts_for_self(actor, registration.member):
            raise RegistrationError(_("您只能取消自己的报名。"))
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationError(_("这条报名已经取消了。"))
        if not is_officer and registration.status == Registration.Status.CONFIRMED:
            reason = activity.cancel_reason(now)
            if reason:
                raise RegistrationError(reason)
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        before = registration.status
        registration.status = Registration.Status.CANCELLED
        registration.queue_number = None
        registration.cancelled_at = now
        registration.attendance = Registration.Attendance.UNMARKED
        registration.save(
            update_fields=["status", "queue_number", "cancelled_at", "attendance", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="registration.cancelled",
            target=registration,
            branch_id=activity.branch_id,
            before=before,
        )
        if was_confirmed:
            _free_seat(activity)
            _fill_seats(activity=activity, actor=actor, now=now)
    registration.activity = activity
    return registration


def registration_promote(
    *, activity: Activity, actor, registration: Registration | None = None
) -> Registration:
    """An officer moves a waitlisted member (the given one, else the first in line) to a free seat."""
    with transaction.atomic():
        activity = _lock_activity(activity.pk)
        if not access.can_register_others(actor, activity):
            raise RegistrationError(_("只有本分工会的工会委员可以调整候补名单。"))
        if activity.status != Activity.Status.PUBLISHED:
            raise RegistrationError(_("只能调整已发布活动的报名。"))
        waiting = (
            activity.registrations.waitlist().select_related("member__user").select_for_update(of=("self",))
        )
        if registration is not None:
            registration = waiting.filter(pk=registration.pk).first()
            if registration is None:
                raise RegistrationError(_("只有候补中的报名可以转为已报名。"))
        else:
            registration = waiting.first()
            if registration is None:
                raise RegistrationError(_("候补名单是空的。"))
        if not _take_seat(activity):
            raise RegistrationError(
                _("名额已满（%(capacity)s 人），不能再转为已报名：请先提高名额，或取消一位已报名会员的报名。")
                % {"capacity": activity.capacity}
            )
        now = timezone.now()
        _seat(registration, now)
        registration.activity = activity
        _tell_promoted(registration)
        audit_record(
            actor=actor,
            action="registration.promoted",
            target=registration,
            branch_id=activity.branch_id,
            automatic=False,
        )
    return registration


def registration_demote(*, registration: Registration, actor) -> Registration:
    """An officer moves a confirmed member to the end of the waitlist; the first in line gets the seat."""
    with transaction.atomic():
        activity = _lock_activity(registration.activity_id)
        if not access.can_register_others(actor, activity):
            raise RegistrationError(_("只有本分工会的工会委员可以调整候补名单。"))
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.CONFIRMED:
            raise RegistrationError(_("只有已报名的会员可以移到候补。"))
        if activity.status != Activity.Status.PUBLISHED:
            raise RegistrationError(_("只能调整已发布活动的报名。"))
        if not activity.registrations.waitlist().exists():
            raise RegistrationError(
                _("没有人在候补，移到候补后名额会马上还给本人；如需让出名额，请取消报名。")
            )
        now = timezone.now()
        registration.status = Registration.Status.WAITLISTED
        registration.queue_number = _next_queue_number(activity)
        registration.confirmed_at = None
        registration.save(update_fields=["status", "queue_number", "confirmed_at", "updated_at"])
        audit_record(
            actor=actor, action="registration.demoted", target=registration, branch_id=activity.branch_id
        )
        _free_seat(activity)
        _fill_seats(activity=activity, actor=actor, now=now)
    registration.activity = activity
    return registration


# --- activities: create, edit, and the status transitions ----------------------------------


ACTIVITY_FIELDS = (
    "branch",
    "club",
    "title",
    "description",
    "category",
    "starts_at",
    "ends_at",
    "place",
    "audience",
    "capacity",
    "signup_opens_at",
    "signup_closes_at",
    "cancel_deadline",
)

Status = Activity.Status


class ActivityChanged(ActivityError):
    """Somebody saved the activity after the form was loaded: the second writer must look again."""

    reload = True

    def __init__(self, activity: Activity):
        super().__init__(
            _("“%(title)s”刚刚被其他人修改过（%(when)s）。下面是最新的内容，请核对后重新修改再保存。")
            % {
                "title": activity.title,
                "when": timezone.localtime(activity.updated_at).strftime("%Y-%m-%d %H:%M:%S"),
            }
        )
        self.activity = activity


def _status_problem(activity: Activity, target: str, now) -> str | None:
    """Why the activity cannot move from its current status to `target`, or None."""
    current = activity.status
    if target == current:
        return None
    if current == Status.CANCELLED:
        return _("已取消的活动不能再发布或改变状态；如需再办，请新建一个活动。")
    if current == Status.FINISHED:
        return _("已结束的活动不能再改变状态。")
    if target == Status.DRAFT and activity.registrations.active().exists():
        return _("已有会员报名的活动不能改回草稿；如活动不再举行，请取消活动（会通知已报名的会员）。")
    if target == Status.FINISHED:
        if current == Status.DRAFT:
            return _("草稿不能直接标记为已结束。")
        if activity.starts_at > now:
            return _("活动开始后才能标记为已结束。")
    return None


def _check_permission(actor, activity: Activity) -> None:
    if not access.can_change_activity(actor, activity):
        raise ActivityError(_("只有本分工会的工会委员或主办俱乐部的负责人可以修改这个活动。"))


def activity_check_values(*, activity: Activity, audience_groups) -> None:
    """The rules every saved activity keeps, whoever saves it; forms call it to place the error."""
    groups = list(audience_groups)
    if activity.starts_at and activity.ends_at and activity.ends_at < activity.starts_at:
        raise ActivityError(_("结束时间不能早于开始时间。"), "ends_at")
    if activity.signup_opens_at and activity.signup_closes_at:
        if activity.signup_closes_at <= activity.signup_opens_at:
            raise ActivityError(_("报名截止必须晚于报名开始。"), "signup_closes_at")
    if activity.branch_id is not None:
        if activity.club_id is not None and activity.club.branch_id != activity.branch_id:
            raise ActivityError(_("俱乐部不属于这个分工会。"), "club")
        if any(group.branch_id != activity.branch_id for group in groups):
            raise ActivityError(_("只能选择本分工会的工会小组。"), "audience_groups")
    if activity.audience == Activity.Audience.GROUPS and not groups:
        raise ActivityError(_("参加对象为“指定工会小组”时，请至少选择一个小组。"), "audience_groups")


def _tell_registered(activity: Activity, kind: str, params: dict) -> int:
    """A notice to everyone holding a seat or a waitlist place: one query and one INSERT, however
    many registered (the activity's lock is held meanwhile)."""
    user_ids = (
        activity.registrations.active().exclude(member__user=None).values_list("member__user_id", flat=True)
    )
    return notices_send(user_ids=list(user_ids), kind=kind, params=params, url=activity.get_absolute_url())


def _move_to(activity: Activity, target: str, *, actor, now) -> None:
    """Apply a checked status change and its consequences (the caller holds the lock and saves)."""
    before = activity.status
    if target == before:
        return
    problem = _status_problem(activity, target, now)
    if problem:
        raise ActivityError(problem)
    activity.status = target
    activity.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=f"activity.{target}", target=activity, before=before)
    if target == Status.CANCELLED:
        _tell_registered(activity, notices.ACTIVITY_CANCELLED, {"title": activity.title})


def activity_create(*, activity: Activity, audience_groups=(), actor) -> Activity:
    """Save a new activity (a draft, or published at once) with its audience groups."""
    groups = list(audience_groups)
    with transaction.atomic():
        _check_permission(actor, activity)
        if activity.status not in (Status.DRAFT, Status.PUBLISHED):
            raise ActivityError(_("新活动只能保存为草稿或直接发布。"))
        activity_check_values(activity=activity, audience_groups=groups)
        activity.confirmed_count = 0
        activity.save()
        activity.audience_groups.set(groups)
        audit_record(actor=actor, action="activity.created", target=activity, status=activity.status)
    return activity


def activity_update(
    *, activity: Activity, changes: Mapping, audience_groups=None, version: str, actor
) -> Activity:
    """Change an activity in a way that keeps its registrations valid.

    `changes` maps field names (and "status") to new values; `version` is the activity's
    `version` when the form was loaded: if somebody saved it since, ActivityChanged is raised
    and nothing is written. Capacity cannot drop below the confirmed seats, the audience cannot
    shut out members already registered, a published activity with registrations cannot go back
    to draft and a cancelled one cannot come back; added seats go to the waitlist in order, and
    registered members are told when the time or place changes or the activity is cancelled.
    """
    unknown = set(changes) - set(ACTIVITY_FIELDS) - {"status"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        current = _lock_activity(activity.pk)
        _check_permission(actor, current)
        if str(version) != current.version:
            raise ActivityChanged(current)
        now = timezone.now()
        target = changes.get("status", current.status)
        fields = [
            name for name in ACTIVITY_FIELDS if name in changes and getattr(current, name) != changes[name]
        ]
        before = {name: getattr(current, name) for name in fields}
        for name in fields:
            setattr(current, name, changes[name])
        if "club" in fields and current.club is not None:
            _check_permission(actor, current)  # a leader cannot hand an activity to another club
        registered = current.registrations.active().exists()
        if "branch" in fields and registered:
            raise ActivityError(_("已有会员报名的活动不能改到其他分工会。"))
        if current.capacity is not None and current.capacity < current.confirmed_count:
            raise ActivityError(
                _("已有 %(count)s 人报名，名额不能少于这个数；请先把多出的会员移到候补或取消其报名。")
                % {"count": current.confirmed_count}
            )
        groups = list(audience_groups) if audience_groups is not None else list(current.audience_groups.all())
        groups_changed = audience_groups is not None and {g.pk for g in groups} != set(
            current.audience_groups.values_list("pk", flat=True)
        )
        activity_check_values(activity=current, audience_groups=groups)
        if fields:
            current.save(update_fields=[*fields, "updated_at"])
        if groups_changed:
            current.audience_groups.set(groups)
        if registered and ({"audience"} & set(fields) or groups_changed):
            _refuse_shutting_out(current)
        _move_to(current, target, actor=actor, now=now)
        if fields or groups_changed:
            audit_record(
                actor=actor,
                action="activity.changed",
                target=current,
                fields=[*fields, *(["audience_groups"] if groups_changed else [])],
                before={name: str(value) for name, value in before.items()},
            )
        moved = {"starts_at", "ends_at", "place"} & set(fields)
        if moved and registered and current.status == Status.PUBLISHED:
            params = {
                "title": current.title,
                "when": timezone.localtime(current.starts_at).strftime("%Y-%m-%d %H:%M"),
                "place": current.place,
            }
            _tell_registered(current, notices.ACTIVITY_MOVED, params)
        _fill_seats(activity=current, actor=actor, now=now)
    return current


def _refuse_shutting_out(activity: Activity) -> None:
    """The new audience must still include everyone who holds a seat or a waitlist place."""
    prefetch_related_objects([activity], "audience_groups")  # read once, for every registrant
    shut_out = [
        registration.member.name
        for registration in activity.registrations.active().select_related("member").order_by("pk")
        # members who left keep their history; only those still taking part must fit the audience
        if registration.member.holds_membership and activity.outside_audience(registration.member)
    ]
    if shut_out:
        raise ActivityError(
            _(
                "新的参加对象不包括已报名的 %(names)s；请先取消他们的报名（会通知本人），"
                "或保留原来的参加对象。"
            )
            % {"names": enumeration(shut_out)}
        )


def _transition(activity: Activity, target: str, *, actor) -> Activity:
    with transaction.atomic():
        current = _lock_activity(activity.pk)
        _check_permission(actor, current)
        if current.status == target:
            raise ActivityError(
                _("活动已经是“%(status)s”状态了。") % {"status": current.get_status_display()}
            )
        now = timezone.now()
        _move_to(current, target, actor=actor, now=now)
        _fill_seats(activity=current, actor=actor, now=now)
    return current


def activity_publish(*, activity: Activity, actor) -> Activity:
    """A draft goes public: members of the audience may sign up within the window."""
    return _transition(activity, Status.PUBLISHED, actor=actor)


def activity_cancel(*, activity: Activity, actor) -> Activity:
    """The activity will not take place: everyone with a seat or a waitlist place gets a notice."""
    return _transition(activity, Status.CANCELLED, actor=actor)


def activity_finish(*, activity: Activity, actor) -> Activity:
    """Mark a held activity as over (it then counts as held in the coverage figures)."""
    return _transition(activity, Status.FINISHED, actor=actor)


def activity_delete(*, activity: Activity, actor) -> None:
    """Remove an activity nobody ever signed up for (a mistaken entry), audited.

    One with registrations, even cancelled ones, is kept (its history counts): cancel it instead.
    """
    with transaction.atomic():
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            return
        _check_permission(actor, current)
        if current.registrations.exists():
            message = _("“%(title)s”已有报名记录，不能删除；如活动不再举行，请取消活动。")
            raise ActivityError(message % {"title": current.title})
        audit_record(
            actor=actor, action="activity.deleted", target=current, title=current.title, status=current.status
        )
        current.delete()


# --- registrations: the officers' note ---------------------------------------------------


def registration_note(*, registration: Registration, note: str, actor) -> Registration:
    """An officer's note on a registration (e.g. needs a seat); nothing else is edited by hand."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("activity")
            .get(pk=registration.pk)
        )
        if not access.can_register_others(actor, registration.activity):
            raise RegistrationError(_("只有本分工会的工会委员可以修改报名备注。"))
        before = registration.note
        registration.note = note
        registration.save(update_fields=["note", "updated_at"])
        audit_record(
            actor=actor,
            action="registration.noted",
            target=registration,
            branch_id=registration.activity.branch_id,
            before=before,
        )
    return registration


# --- attendance --------------------------------------------------------------------------


def attendance_mark(*, activity: Activity, marks: Mapping[int, str], actor) -> int:
    """Record who came (出席) and who did not (缺席) for confirmed registrations; returns changes."""
    allowed = set(Registration.Attendance.values)
    with transaction.atomic():
        activity = _lock_activity(activity.pk)
        if not access.can_take_attendance(actor, activity):
            raise AttendanceError(_("只有工会委员或本俱乐部负责人可以登记出勤。"))
        now = timezone.now()
        reason = activity.attendance_reason(now)
        if reason:
            raise AttendanceError(reason)
        if any(value not in allowed for value in marks.values()):
            raise AttendanceError(_("出勤只能是：出席、缺席或未登记。"))
        registrations = list(
            activity.registrations.filter(
                pk__in=list(marks), status=Registration.Status.CONFIRMED
            ).select_for_update()
        )
        if len(registrations) != len(marks):
            raise AttendanceError(_("名单已有变化（有人取消或不在已报名名单中），请刷新后重新登记。"))
        changed = []
        for registration in registrations:
            value = marks[registration.pk]
            if registration.attendance != value:
                registration.attendance = value
                registration.attendance_marked_at = now
                registration.updated_at = now
                changed.append(registration)
        Registration.objects.bulk_update(changed, ["attendance", "attendance_marked_at", "updated_at"])
        if changed:
            audit_record(
                actor=actor,
                action="attendance.marked",
                target=activity,
                marks={str(registration.pk): registration.attendance for registration in changed},
            )
    return len(changed)


# --- clubs -------------------------------------------------------------------------------


def club_save(*, club: Club, actor, changed=()) -> Club:
    """Create or change a club (officers, in admin): its leader is a member of its branch."""
    with transaction.atomic():
        if not access.can_manage_activities(actor, club.branch_id):
            raise ClubError(_("只有本分工会的工会委员可以管理俱乐部。"))
        created = club.pk is None
        if not created:
            before = Club.objects.select_for_update().get(pk=club.pk)
            if before.branch_id != club.branch_id:
                if before.memberships.exists() or before.activities.exists():
                    raise ClubError(_("已有成员或活动的俱乐部不能改到其他分工会。"), "branch")
                if not access.can_manage_activities(actor, before.branch_id):
                    raise ClubError(_("只有本分工会的工会委员可以管理俱乐部。"))
        if club.leader_id is not None and club.leader.branch_id != club.branch_id:
            raise ClubError(_("负责人必须是本分工会的会员。"), "leader")
        club.save()
        audit_record(
            actor=actor,
            action="club.created" if created else "club.changed",
            target=club,
            fields=[str(name) for name in changed],
        )
    return club


def club_delete(*, club: Club, actor) -> None:
    """Remove a club that never held an activity (its memberships go with it), audited.

    A club with activities is kept for their history: mark it inactive instead.
    """
    with transaction.atomic():
        current = Club.objects.select_for_update().filter(pk=club.pk).first()
        if current is None:
            return
        if not access.can_manage_activities(actor, current.branch_id):
            raise ClubError(_("只有本分工会的工会委员可以管理俱乐部。"))
        if current.activities.exists():
            raise ClubError(_("“%(name)s”办过活动，不能删除；请改为停用。") % {"name": current.name})
        audit_record(
            actor=actor,
            action="club.deleted",
            target=current,
            name=current.name,
            members=current.memberships.count(),
        )
        current.delete()


def club_join(*, club: Club, member: Member, actor) -> ClubMembership:
    """A member joins a club (themselves on the portal; an officer of the branch adds them in admin)."""
    with transaction.atomic():
        club = Club.objects.select_for_update().get(pk=club.pk)
        own = access.acts_for_self(actor, member)
        if not own and not access.can_manage_club_members(actor, club):
            raise ClubError(_("只有本分工会的工会委员可以为其他会员办理加入俱乐部。"))
        if club.branch_id != member.branch_id:
            raise ClubError(
                _("这是其他分工会的俱乐部。")
                if own
                else _("%(name)s 不是本分工会的会员，不能加入“%(club)s”。")
                % {"name": member.name, "club": club.name}
            )
        if not club.is_active:
            raise ClubError(_("这个俱乐部已暂停活动，暂不接收新成员。"))
        if not member.holds_membership:
            raise ClubError(
                _("%(name)s 的会籍状态为“%(status)s”，不能加入俱乐部。")
                % {"name": member.name, "status": member.get_status_display()}
            )
        membership, created = ClubMembership.objects.get_or_create(club=club, member=member)
        if not created:
            raise ClubError(
                _("您已经是“%(club)s”的成员了。") % {"club": club.name}
                if own
                else _("%(name)s 已经是“%(club)s”的成员了。") % {"name": member.name, "club": club.name}
            )
        audit_record(
            actor=actor,
            action="club.joined",
            target=membership,
            branch_id=club.branch_id,
            club=club.pk,
            member=member.pk,
        )
    return membership


def club_leave(*, club: Club, member: Member, actor) -> None:
    """A member leaves a club (themselves, or an officer of the branch removes them in admin)."""
    with transaction.atomic():
        club = Club.objects.select_for_update().get(pk=club.pk)
        own = access.acts_for_self(actor, member)
        if not own and not access.can_manage_club_members(actor, club):
            raise ClubError(_("只有本分工会的工会委员可以为其他会员办理退出俱乐部。"))
        membership = ClubMembership.objects.select_for_update().filter(club=club, member=member).first()
        if membership is None:
            raise ClubError(
                _("您不是“%(club)s”的成员。") % {"club": club.name}
                if own
                else _("%(name)s 不是“%(club)s”的成员。") % {"name": member.name, "club": club.name}
            )
        if club.leader_id == member.pk:
            raise ClubError(
                _("您是这个俱乐部的负责人：请先请工会委员更换负责人，再退出。")
                if own
                else _("%(name)s 是这个俱乐部的负责人：请先更换负责人，再移出。") % {"name": member.name}
            )
        audit_record(
            actor=actor,
            action="club.left",
            target=membership,
            branch_id=club.branch_id,
            club=club.pk,
            member=member.pk,
            joined_on=str(membership.joined_on),
        )
        membership.delete()


# --- results and awards ------------------------------------------------------------------

_RESULT_FIELDS = ["event", "award", "winners", "sort_order"]


def _check_results_permission(actor, activity: Activity) -> None:
    if not access.can_record_results(actor, activity):
        raise ActivityError(_("只有本分工会的工会委员可以登记活动的成绩与获奖。"))


def activity_result_save(*, result: ActivityResult, actor) -> ActivityResult:
    """Add or change one result of an activity (officers of its branch, in admin), audited."""
    with transaction.atomic():
        activity = _lock_activity(result.activity_id)
        _check_results_permission(actor, activity)
        created = result.pk is None
        if created:
            result.save()
            audit_record(
                actor=actor,
                action="activity_result.created",
                target=result,
                branch_id=activity.branch_id,
                activity=activity.pk,
                **{name: getattr(result, name) for name in _RESULT_FIELDS},
            )
            return result
        current = ActivityResult.objects.select_for_update().filter(pk=result.pk).first()
        if current is None or current.activity_id != activity.pk:
            raise ActivityError(_("这条成绩已被删除或不属于这个活动。"))
        before = {
            name: getattr(current, name)
            for name in _RESULT_FIELDS
            if getattr(current, name) != getattr(result, name)
        }
        if not before:
            return result
        result.save(update_fields=list(before))
        audit_record(
            actor=actor,
            action="activity_result.changed",
            target=result,
            branch_id=activity.branch_id,
            activity=activity.pk,
            before=before,
        )
    return result


def activity_result_delete(*, result: ActivityResult, actor) -> None:
    """Remove one result of an activity (officers of its branch, in admin), audited."""
    with transaction.atomic():
        activity = _lock_activity(result.activity_id)
        _check_results_permission(actor, activity)
        current = ActivityResult.objects.select_for_update().filter(pk=result.pk, activity=activity).first()
        if current is None:
            return
        audit_record(
            actor=actor,
            action="activity_result.deleted",
            target=current,
            branch_id=activity.branch_id,
            activity=activity.pk,
            **{name: getattr(current, name) for name in _RESULT_FIELDS},
        )
        current.delete()


# --- calendar feeds ----------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_token_reset(*, member: Member, actor) -> CalendarFeed:
    """Make the member's feed address, or a new one: the old address stops working at once.

    Only ever on an explicit request (a POST from /me/): reading a page never makes a token.
    """
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            member=member, defaults={"token": _new_token()}
        )
        if not created:
            feed.token = _new_token()
            feed.created_at = timezone.now()
            feed.save(update_fields=["token", "created_at"])
        audit_record(
            actor=actor,
            action="calendar.token_created" if created else "calendar.token_reset",
            target=feed,
            branch_id=member.branch_id,
        )
    return feed

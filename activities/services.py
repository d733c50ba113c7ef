"""Every state change of clubs, activities, registrations and attendance.

Registration services start by locking the activity's row (SELECT ... FOR UPDATE on PostgreSQL;
on SQLite every transaction is IMMEDIATE, so writers queue on the database lock). Under that
lock a seat is taken with a conditional UPDATE on `confirmed_count`, which a CHECK constraint
keeps within capacity, and the waitlist is filled in order in the same transaction.
"""

import logging
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.models import (
    Activity,
    CalendarFeed,
    Club,
    ClubMembership,
    Registration,
    can_manage_activities,
    member_of,
)
from members.models import Member
from unionhome.audit import audit_record
from unionhome.notices import notice_send

logger = logging.getLogger(__name__)


class ActivityError(Exception):
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


def can_take_attendance(user, activity: Activity) -> bool:
    """Officers of the branch, and the leader of the organising club."""
    if can_manage_activities(user, activity.branch_id):
        return True
    member = member_of(user)
    return member is not None and activity.club_id is not None and activity.club.leader_id == member.pk


def can_plan_club_activities(user, club: Club) -> bool:
    """Officers of the branch, and the club's own leader, create and edit the club's activities."""
    if can_manage_activities(user, club.branch_id):
        return True
    member = member_of(user)
    return member is not None and club.leader_id == member.pk


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
    with translation.override(settings.LANGUAGE_CODE):
        message = _("候补成功：您已转为“%(title)s”的正式报名。") % {"title": activity.title}
        body = _(
            "%(name)s，您好：\n\n您候补的活动“%(title)s”有了空位，您已转为正式报名。\n时间：%(when)s\n地点：%(place)s\n\n如不能参加，请在取消截止前在职工小家取消报名，把名额让给其他会员。"
        ) % {  # noqa: E501
            "name": member.name,
            "title": activity.title,
            "when": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
            "place": activity.place,
        }
    notice_send(user=member.user, message=message, url=activity.get_absolute_url())
    if member.email:
        recipient = member.email

        def mail():
            try:
                send_mail(message, body, None, [recipient])
            except Exception:  # the promotion stands even if the mail server is down
                logger.exception("could not e-mail the promotion to %s", recipient)

        transaction.on_commit(mail)


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
        audit_record(actor=actor, action="registration.promoted", target=head, automatic=True)
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
        acting_member = member_of(actor)
        on_behalf = acting_member is None or acting_member.pk != member.pk
        if on_behalf and not can_manage_activities(actor, activity.branch_id):
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
        is_officer = can_manage_activities(actor, activity.branch_id)
        acting_member = member_of(actor)
        if not is_officer and (acting_member is None or acting_member.pk != registration.member_id):
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
        audit_record(actor=actor, action="registration.cancelled", target=registration, before=before)
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
        if not can_manage_activities(actor, activity.branch_id):
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
        audit_record(actor=actor, action="registration.promoted", target=registration, automatic=False)
    return registration


def registration_demote(*, registration: Registration, actor) -> Registration:
    """An officer moves a confirmed member to the end of the waitlist; the first in line gets the seat."""
    with transaction.atomic():
        activity = _lock_activity(registration.activity_id)
        if not can_manage_activities(actor, activity.branch_id):
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
        audit_record(actor=actor, action="registration.demoted", target=registration)
        _free_seat(activity)
        _fill_seats(activity=activity, actor=actor, now=now)
    registration.activity = activity
    return registration


# --- activities (admin saves) ------------------------------------------------------------


EDITABLE_ACTIVITY_FIELDS = [
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
    "status",
    "updated_at",
]


def activity_save(*, activity: Activity, actor, changed: list[str] | tuple = ()) -> Activity:
    """Create or change an activity from the officers' form.

    The seat counter is never written from a form: the row is locked, capacity is checked
    against the live count, and added seats go to the waitlist in order. Cancelling an
    activity tells everyone registered.
    """
    with transaction.atomic():
        if activity.pk is None:
            activity.confirmed_count = 0
            activity.save()
            audit_record(actor=actor, action="activity.created", target=activity)
            return activity
        current = _lock_activity(activity.pk)
        activity.confirmed_count = current.confirmed_count
        if activity.capacity is not None and activity.capacity < current.confirmed_count:
            raise ActivityError(
                _("已有 %(count)s 人报名，名额不能少于这个数；请先把多出的会员移到候补或取消其报名。")
                % {"count": current.confirmed_count}
            )
        activity.save(update_fields=EDITABLE_ACTIVITY_FIELDS)
        audit_record(
            actor=actor, action="activity.changed", target=activity, fields=[str(name) for name in changed]
        )
        now = timezone.now()
        if current.status != Activity.Status.CANCELLED and activity.status == Activity.Status.CANCELLED:
            with translation.override(settings.LANGUAGE_CODE):
                message = _("活动“%(title)s”已取消。") % {"title": activity.title}
            for registration in activity.registrations.active().select_related("member__user"):
                notice_send(user=registration.member.user, message=message, url=activity.get_absolute_url())
        _fill_seats(activity=activity, actor=actor, now=now)
    return activity


# --- attendance --------------------------------------------------------------------------


def attendance_mark(*, activity: Activity, marks: Mapping[int, str], actor) -> int:
    """Record who came (出席) and who did not (缺席) for confirmed registrations; returns changes."""
    allowed = set(Registration.Attendance.values)
    with transaction.atomic():
        activity = _lock_activity(activity.pk)
        if not can_take_attendance(actor, activity):
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


def club_join(*, club: Club, member: Member, actor) -> ClubMembership:
    with transaction.atomic():
        club = Club.objects.select_for_update().get(pk=club.pk)
        if club.branch_id != member.branch_id:
            raise ClubError(_("这是其他分工会的俱乐部。"))
        if not club.is_active:
            raise ClubError(_("这个俱乐部已暂停活动，暂不接收新成员。"))
        if member.status not in (Member.Status.ACTIVE, Member.Status.RETIRED):
            raise ClubError(
                _("您的会籍状态为“%(status)s”，不能加入俱乐部。") % {"status": member.get_status_display()}
            )
        membership, created = ClubMembership.objects.get_or_create(club=club, member=member)
        if not created:
            raise ClubError(_("您已经是“%(club)s”的成员了。") % {"club": club.name})
        audit_record(actor=actor, action="club.joined", target=membership, club=club.pk, member=member.pk)
    return membership


def club_leave(*, club: Club, member: Member, actor) -> None:
    with transaction.atomic():
        club = Club.objects.select_for_update().get(pk=club.pk)
        membership = ClubMembership.objects.select_for_update().filter(club=club, member=member).first()
        if membership is None:
            raise ClubError(_("您不是“%(club)s”的成员。") % {"club": club.name})
        if club.leader_id == member.pk:
            raise ClubError(_("您是这个俱乐部的负责人：请先请工会委员更换负责人，再退出。"))
        audit_record(
            actor=actor,
            action="club.left",
            target=membership,
            club=club.pk,
            member=member.pk,
            joined_on=str(membership.joined_on),
        )
        membership.delete()


# --- calendar feeds ----------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_ensure(*, member: Member) -> CalendarFeed:
    """The member's feed token, made on first use."""
    feed = CalendarFeed.objects.filter(member=member).first()
    if feed is not None:
        return feed
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.get_or_create(member=member, defaults={"token": _new_token()})
    return feed


def calendar_token_reset(*, member: Member, actor) -> CalendarFeed:
    """A new secret token: the old feed address stops working at once."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            member=member, defaults={"token": _new_token()}
        )
        if not created:
            feed.token = _new_token()
            feed.created_at = timezone.now()
            feed.save(update_fields=["token", "created_at"])
        audit_record(actor=actor, action="calendar.token_reset", target=feed)
    return feed

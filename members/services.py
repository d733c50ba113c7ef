"""Every change to the roster and to the login accounts that follow it.

`member_save` is the one way a member record is created or changed (admin form and roster
import); `member_update_contact` is the member's own change of phone and e-mail on /me/. Both
keep the login account in step: its username is the staff number, its e-mail the member's, and
it is active only while the membership is in good standing (在职, 退休保留会籍).
"""

from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Member
from unionhome.audit import audit_record


class MemberError(Exception):
    """A roster change that the rules forbid; the message is shown to the user.

    `field` names the form field (or the import's attribute) the message belongs to, if any.
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# Fields whose change is recorded (with the value before) in the audit entry.
_TRACKED_FIELDS = [
    field for field in Member._meta.concrete_fields if field.name not in {"id", "user", "updated_at"}
]


# --- checks (no writes): forms and the import call them to show errors on the right field --


def member_check(*, member: Member, actor) -> None:
    """Raise MemberError if `actor` may not save `member` as it now stands (nothing is written)."""
    current = None
    if member.pk is not None:
        current = Member.objects.select_related("user").filter(pk=member.pk).first()
    _check(member=member, current=current, actor=actor)


def _check(*, member: Member, current: Member | None, actor) -> None:
    if not access.can_manage_member(actor, member) or (
        current is not None and not access.can_manage_member(actor, current)
    ):
        raise MemberError(_("您无权管理这个会员的档案。"))
    user_id = current.user_id if current is not None else None
    User = get_user_model()
    if User.objects.filter(username=member.staff_number).exclude(pk=user_id).exists():
        raise MemberError(
            _("工号 %(staff_number)s 已被另一个登录账号使用。") % {"staff_number": member.staff_number},
            field="staff_number",
        )
    login_email_check(member.email, user_id=user_id)
    if current is not None and _addresses_differ(current.user.email, member.email):
        if not access.can_change_login_email(actor, current):
            raise MemberError(_("担任工会职务的账号，其登录邮箱只能由本人或系统管理员修改。"), field="email")


def login_email_check(email: str, *, user_id) -> None:
    """An address logs in to one account only (case-insensitive; the database enforces it too)."""
    if not email:
        return
    taken = (
        get_user_model().objects.filter(email__iexact=email).exclude(pk=user_id).exists()
        or EmailAddress.objects.filter(email__iexact=email).exclude(user_id=user_id).exists()
    )
    if taken:
        raise MemberError(_("这个电子邮箱已被其他账号使用。"), field="email")


def _addresses_differ(old: str, new: str) -> bool:
    """Login e-mails compare case-insensitively: a change of case is not a new address."""
    return old.strip().lower() != new.strip().lower()


# --- member_save -----------------------------------------------------------------------------


def member_save(*, member: Member, actor) -> Member:
    """Create or change a member (an unsaved instance carrying the new values) and its login.

    Checks that the actor keeps this branch's roster, that the staff number and e-mail belong to
    no other account, and who may change a login e-mail; then saves the member, keeps the
    account in step (deactivating it and ending its sessions on 调出/退会, restoring it on
    在职/退休保留会籍), announces a changed login e-mail to the old address, and records one
    audit entry with the values before the change.
    """
    with transaction.atomic():
        current = None
        if member.pk is not None:
            current = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
        _check(member=member, current=current, actor=actor)
        if current is None:
            return _member_create(member=member, actor=actor)
        before = {
            field.name: field.value_to_string(current)
            for field in _TRACKED_FIELDS
            if field.value_from_object(current) != field.value_from_object(member)
        }
        member.user = current.user
        _account_in_step(user=current.user, member=member, actor=actor)
        if before:
            changed = [field.name for field in _TRACKED_FIELDS if field.name in before]
            member.save(update_fields=[*changed, "updated_at"])
            audit_record(actor=actor, action="member.changed", target=member, before=before)
    return member


def _member_create(*, member: Member, actor) -> Member:
    """A new member gets a login named by the staff number, with no usable password yet."""
    user = get_user_model()(
        username=member.staff_number, email=member.email, is_active=member.holds_membership
    )
    user.set_unusable_password()
    _save_account(user)
    member.user = user
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # another officer entered the same staff number meanwhile
        raise MemberError(_("工号或电子邮箱已被其他账号使用。"), field="staff_number") from None
    audit_record(actor=actor, action="member.created", target=member, account=user.username)
    return member


def _account_in_step(*, user, member: Member, actor) -> None:
    changed = []
    if user.username != member.staff_number:
        user.username = member.staff_number
        changed.append("username")
    old_email = user.email
    if old_email != member.email:
        user.email = member.email
        changed.append("email")
    if user.is_active != member.holds_membership:
        user.is_active = member.holds_membership
        changed.append("is_active")
    if not changed:
        return
    _save_account(user, update_fields=changed)
    if "email" in changed and _addresses_differ(old_email, member.email):
        _login_email_changed(user=user, old_email=old_email, actor=actor)
    if not user.is_active:
        user_sessions_end(user=user)


def _save_account(user, update_fields=None) -> None:
    try:
        with transaction.atomic():
            user.save(update_fields=update_fields)
    except IntegrityError:  # another account took the address or the name meanwhile
        raise MemberError(_("工号或电子邮箱已被其他账号使用。"), field="email") from None


def _login_email_changed(*, user, old_email: str, actor) -> None:
    """Drop the account's other addresses (allauth) and tell the old address, once committed."""
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    if not old_email:
        return
    subject = _("职工小家：您的登录邮箱已更改")
    body = _(
        "您在职工小家的账号 %(username)s 的登录邮箱已由 %(old)s 改为 %(new)s（操作人：%(actor)s，"
        "时间：%(when)s）。\n\n如果这不是您本人的操作，请立即联系本分工会委员或系统管理员。"
    ) % {
        "username": user.get_username(),
        "old": old_email,
        "new": user.email or _("（无）"),
        "actor": actor.get_username() if actor is not None else "—",
        "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [old_email], fail_silently=True)
    )


def user_sessions_end(*, user) -> int:
    """End every database session of the user (an inactive user is also refused on the next request)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not issubclass(store, DatabaseSessionStore):
        return 0
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    for key in keys:
        store(session_key=key).delete()
    return len(keys)


# --- login accounts edited directly (superusers, Django's user admin) -------------------------


def account_save(*, user, actor) -> None:
    """A superuser saves a login account in admin: its e-mail must be free, and a changed login
    e-mail is announced to the old address. (A member's username and e-mail follow the roster and
    are changed on the member record, through member_save.)"""
    with transaction.atomic():
        if actor is None or not actor.is_superuser:
            raise MemberError(_("只有系统管理员可以直接修改登录账号。"))
        old_email = None
        if user.pk is not None:
            old_email = (
                get_user_model().objects.select_for_update().values_list("email", flat=True).get(pk=user.pk)
            )
        login_email_check(user.email, user_id=user.pk)
        _save_account(user)
        if old_email is not None and _addresses_differ(old_email, user.email):
            _login_email_changed(user=user, old_email=old_email, actor=actor)
        member = Member.objects.filter(user_id=user.pk).only("branch_id").first()
        audit_record(
            actor=actor,
            action="account.saved",
            target=user,
            branch_id=member.branch_id if member is not None else None,
            before={"email": old_email} if old_email is not None and old_email != user.email else {},
        )


# --- the member's own contact details ------------------------------------------------------


def member_update_contact(*, member: Member, phone: str, email: str, actor, password: str = "") -> Member:
    """A member corrects their own phone and e-mail; a new login e-mail needs their password."""
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
        if actor is None or actor.pk != member.user_id:
            raise MemberError(_("只能修改自己的联系方式。"))
        email_changes = _addresses_differ(member.user.email, email)
        if email_changes:
            login_email_check(email, user_id=member.user_id)
            if not member.user.check_password(password):
                raise MemberError(_("修改登录邮箱需要输入当前密码，密码不正确。"), field="password")
        before = {"phone": member.phone, "email": member.email}
        member.phone = phone
        member.email = email
        member.save(update_fields=["phone", "email", "updated_at"])
        if member.user.email != email:
            old_email = member.user.email
            member.user.email = email
            _save_account(member.user, update_fields=["email"])
            if email_changes:
                _login_email_changed(user=member.user, old_email=old_email, actor=actor)
        audit_record(actor=actor, action="member.contact_updated", target=member, before=before)
    return member

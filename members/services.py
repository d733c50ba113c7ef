"""Every change to the roster and to the login accounts that follow it.

`member_save` is the one way a member record is created or changed (admin form and roster
import); `member_update_contact` is the member's own change of phone and e-mail on /me/. Both
keep the login account in step: its username is the staff number, its e-mail the member's, and
it is active only while the membership is in good standing (在职, 退休保留会籍).
"""

import hashlib
import secrets
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Branch, Department, EmailChangeRequest, Member, UnionGroup
from unionhome import notices, security
from unionhome.audit import audit_entry, audit_record
from unionhome.errors import DomainError
from unionhome.models import AuditEntry
from unionhome.notices import notice_send


class MemberError(DomainError):
    """A roster change that the rules forbid; `field` names the form field (or the import's
    attribute) the message belongs to, if any."""


# Fields whose change is recorded (with the value before) in the audit entry.
_TRACKED_FIELDS = [
    field for field in Member._meta.concrete_fields if field.name not in {"id", "user", "updated_at"}
]


# --- checks and saves, for one member or a whole roster file ----------------------------------


def _update_each(model, objects, field_names) -> None:
    """UPDATE these fields of each object, as one executemany of a plain UPDATE ... WHERE pk.

    QuerySet.bulk_update writes one CASE WHEN per field per statement and the database compares
    every row with every WHEN: 10,000 changed members took PostgreSQL 150 s unbatched and 15 s in
    batches of 250; the same rows as one prepared UPDATE repeated take a fraction of that.
    """
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class MemberBatch:
    """The rules of `member_save`, applied to one member or to every row of a roster file.

    `check(member)` takes an unsaved instance carrying the new values and raises MemberError if
    the actor may not save it: the actor keeps this branch's roster, the staff number and the
    e-mail belong to no other account (nor to a member checked before it in this batch), and a
    login e-mail is replaced only by those `access.can_replace_login_email` names. It writes
    nothing. With `keep_login_emails` (the roster import) a new address that may not be applied
    is not an error: the stored one is kept and the row listed in `kept_emails`.

    `save()` then writes every checked member in a fixed number of queries: the login accounts,
    the members, and one audit entry per member created or changed. The accounts, addresses and
    roles a file touches are loaded once by `preload`, so a 10,000-row import is a few dozen
    queries rather than ten per row; without it each check loads what it needs.
    """

    def __init__(self, *, actor, lock: bool = False, keep_login_emails: bool = False):
        self.actor = actor
        self.lock = lock  # select_for_update the stored members (a single save)
        self.keep_login_emails = keep_login_emails
        self.kept_emails = []  # (member, the address it asked for) not applied
        self._current = {}  # member pk -> the member as stored, with its user
        self._username_owner = {}  # username -> user pk (None: free)
        self._address_owners = {}  # lower-case e-mail -> user pks holding it
        self._claimed_usernames = {}  # in this batch: username -> the member claiming it
        self._claimed_addresses = {}
        self._checked = []  # (member, current or None)

    # --- loading ---

    def _members(self):
        queryset = Member.objects.select_related("user")
        return queryset.select_for_update() if self.lock else queryset

    def preload(self, *, staff_numbers, emails) -> None:
        """Load the members, accounts and addresses that these staff numbers and e-mails touch."""
        staff_numbers = {number for number in staff_numbers if number}
        for current in self._members().filter(staff_number__in=staff_numbers):
            self._current[current.pk] = current
        self._load_usernames(staff_numbers)
        self._load_addresses({address.strip().lower() for address in emails if address})

    def _load_usernames(self, usernames) -> None:
        usernames = {name for name in usernames if name not in self._username_owner}
        if not usernames:
            return
        self._username_owner.update(dict.fromkeys(usernames))
        taken = get_user_model().objects.filter(username__in=usernames).values_list("username", "pk")
        self._username_owner.update(taken)

    def _load_addresses(self, addresses) -> None:
        addresses = {address for address in addresses if address not in self._address_owners}
        if not addresses:
            return
        self._address_owners.update(address_holders(addresses))

    def _current_of(self, member: Member) -> Member | None:
        if member.pk is None:
            return None
        if member.pk not in self._current:
            current = self._members().filter(pk=member.pk).first()
            if current is None:
                raise MemberError(_("这条记录已被删除。"))
            self._current[member.pk] = current
        return self._current[member.pk]

    # --- checking ---

    def check(self, member: Member) -> None:
        current = self._current_of(member)
        actor = self.actor
        if not access.can_manage_member(actor, member) or (
            current is not None and not access.can_manage_member(actor, current)
        ):
            raise MemberError(_("您无权管理这个会员的档案。"))
        user_id = current.user_id if current is not None else None
        self._load_usernames([member.staff_number])
        owner = self._username_owner[member.staff_number]
        claimant = self._claimed_usernames.get(member.staff_number)
        if (owner is not None and owner != user_id) or (claimant not in (None, member)):
            raise MemberError(
                _("工号 %(staff_number)s 已被另一个登录账号使用。") % {"staff_number": member.staff_number},
                field="staff_number",
            )
        if current is not None and _addresses_differ(current.user.email, member.email):
            if not access.can_replace_login_email(actor, current):
                if not self.keep_login_emails:
                    raise MemberError(
                        _(
                            "登录邮箱只能由会员本人（在“我的”页面）或系统管理员修改；"
                            "如需更正，请发起登录邮箱更正请求，由会员从原邮箱确认。"
                        ),
                        field="email",
                    )
                self.kept_emails.append((member, member.email))
                member.email = current.user.email
        address = member.email.strip().lower()
        if address:
            self._load_addresses([address])
            claimant = self._claimed_addresses.get(address)
            if self._address_owners[address] - {user_id} or claimant not in (None, member):
                raise MemberError(_("这个电子邮箱已被其他账号使用。"), field="email")
        self._claimed_usernames[member.staff_number] = member
        if address:
            self._claimed_addresses[address] = member
        self._checked.append((member, current))

    # --- saving ---

    def save(self) -> None:
        """Write every checked member: accounts, members and their audit entries, all or nothing."""
        entries = []
        with transaction.atomic():
            created = [member for member, current in self._checked if current is None]
            changed = [(member, current) for member, current in self._checked if current is not None]
            if created:
                entries += self._create(created)
            if changed:
                entries += self._change(changed)
            AuditEntry.objects.bulk_create(entries)
        self._checked = []

    def _create(self, members) -> list:
        """New members get a login named by the staff number, with no usable password yet."""
        User = get_user_model()
        users = []
        for member in members:
            user = User(username=member.staff_number, email=member.email, is_active=member.holds_membership)
            user.set_unusable_password()
            users.append(user)
        try:
            with transaction.atomic():
                User.objects.bulk_create(users)
                for member, user in zip(members, users, strict=True):
                    member.user = user
                Member.objects.bulk_create(members)
        except IntegrityError:  # another officer entered the same staff number meanwhile
            raise MemberError(_("工号或电子邮箱已被其他账号使用。"), field="staff_number") from None
        return [
            audit_entry(
                actor=self.actor, action="member.created", target=member, account=member.user.username
            )
            for member in members
        ]

    def _change(self, pairs) -> list:
        """Changed members keep their accounts in step; one entry each, with the values before."""
        now = timezone.now()
        entries, members, member_fields, users, user_fields = [], [], set(), [], set()
        emails_changed, deactivated = [], []
        for member, current in pairs:
            user = current.user
            member.user = user
            before = {
                field.name: field.value_to_string(current)
                for field in _TRACKED_FIELDS
                if field.value_from_object(current) != field.value_from_object(member)
            }
            old_email = user.email
            account_changes = _account_in_step(user=user, member=member)
            if account_changes:
                users.append(user)
                user_fields.update(account_changes)
                if "email" in account_changes and _addresses_differ(old_email, member.email):
                    emails_changed.append((user, old_email))
                if "is_active" in account_changes and not user.is_active:
                    deactivated.append(user.pk)
            if before:
                member.updated_at = now
                members.append(member)
                member_fields.update(before)
                entries.append(
                    audit_entry(actor=self.actor, action="member.changed", target=member, before=before)
                )
        try:
            with transaction.atomic():
                if users:
                    _update_each(get_user_model(), users, sorted(user_fields))
                if members:
                    _update_each(Member, members, [*sorted(member_fields), "updated_at"])
        except IntegrityError:  # another account took the address or the name meanwhile
            raise MemberError(_("工号或电子邮箱已被其他账号使用。"), field="email") from None
        for user, old_email in emails_changed:
            _login_email_changed(user=user, old_email=old_email, actor=self.actor)
        if deactivated:
            users_sessions_end(user_ids=deactivated)
        return entries


def member_check(*, member: Member, actor) -> None:
    """Raise MemberError if `actor` may not save `member` as it now stands (nothing is written)."""
    MemberBatch(actor=actor).check(member)


def address_holders(addresses) -> dict[str, set]:
    """For each lower-case address, the accounts holding it as login e-mail or allauth address."""
    holders = {address: set() for address in addresses}
    for queryset in (
        get_user_model().objects.annotate(address=Lower("email")).values_list("address", "pk"),
        EmailAddress.objects.annotate(address=Lower("email")).values_list("address", "user_id"),
    ):
        for address, user_id in queryset.filter(address__in=holders):
            holders[address].add(user_id)
    return holders


def login_email_check(email: str, *, user_id) -> None:
    """An address logs in to one account only (case-insensitive; the database enforces it too)."""
    if not email:
        return
    address = email.strip().lower()
    if address_holders([address])[address] - {user_id}:
        raise MemberError(_("这个电子邮箱已被其他账号使用。"), field="email")


def _addresses_differ(old: str, new: str) -> bool:
    """Login e-mails compare case-insensitively: a change of case is not a new address."""
    return old.strip().lower() != new.strip().lower()


def member_save(*, member: Member, actor) -> Member:
    """Create or change a member (an unsaved instance carrying the new values) and its login.

    The checks and writes are MemberBatch's: the account follows the member (deactivated, with
    its sessions ended, on 调出/退会; restored on 在职/退休保留会籍), a changed login e-mail is
    announced to the old address, and one audit entry records the values before the change.
    """
    with transaction.atomic():
        batch = MemberBatch(actor=actor, lock=True)
        batch.check(member)
        batch.save()
    return member


def _account_in_step(*, user, member: Member) -> list[str]:
    """Bring the account in line with the member; returns the account fields that changed."""
    changed = []
    if user.username != member.staff_number:
        user.username = member.staff_number
        changed.append("username")
    if user.email != member.email:
        user.email = member.email
        changed.append("email")
    if user.is_active != member.holds_membership:
        user.is_active = member.holds_membership
        changed.append("is_active")
    return changed


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
    with notices.in_language_of(user):
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


def users_sessions_end(*, user_ids) -> int:
    """End every session of these users: the database sessions now, in one pass over them, and
    allauth's session records once committed (a bulk update sends no signal to do it)."""
    user_ids = {str(user_id) for user_id in user_ids}
    ended = 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if issubclass(store, DatabaseSessionStore):
        keys = [
            session.session_key
            for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if session.get_decoded().get(SESSION_KEY) in user_ids
        ]
        for key in keys:
            store(session_key=key).delete()
        ended = len(keys)
    for user_id in user_ids:
        transaction.on_commit(lambda user_id=user_id: security.user_sessions_end(user_id=int(user_id)))
    return ended


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


def account_roles_set(*, user, groups, actor) -> None:
    """A superuser grants or removes roles (Django groups) and direct permissions on a login
    account in admin; each change is audited with the roles before and after."""
    with transaction.atomic():
        if actor is None or not actor.is_superuser:
            raise MemberError(_("只有系统管理员可以授予或取消角色。"))
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        before = sorted(user.groups.values_list("name", flat=True))
        after = sorted(group.name for group in groups)
        if before == after:
            return
        user.groups.set(groups)
        member = Member.objects.filter(user_id=user.pk).only("branch_id").first()
        audit_record(
            actor=actor,
            action="account.roles_set",
            target=user,
            branch_id=member.branch_id if member is not None else None,
            before=before,
            after=after,
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
            if access.second_factor_required(member.user) and not access.has_second_factor(member.user):
                # The enrolment code goes to this address: with the password alone it must not move.
                raise MemberError(
                    _("请先设置两步验证，再修改登录邮箱；如需帮助，请联系系统管理员。"), field="email"
                )
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


def member_set_notice_settings(*, member: Member, actor, language: str, email_off) -> Member:
    """A member chooses the language of her notices and e-mails, and the kinds that e-mail her
    (the notice on her pages always stays)."""
    if language not in dict(settings.LANGUAGES):
        raise MemberError(_("请选择通知和邮件的语言。"), field="language")
    unknown = set(email_off) - {kind.id for kind in notices.emailing_kinds()}
    if unknown:
        raise MemberError(_("没有这种通知。"), field="email_on")
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if actor is None or actor.pk != member.user_id:
            raise MemberError(_("只能修改自己的通知设置。"))
        before = {"language": member.language, "email_off": member.email_off}
        member.language = language
        member.email_off = sorted(email_off)
        member.save(update_fields=["language", "email_off", "updated_at"])
        audit_record(actor=actor, action="member.notice_settings_updated", target=member, before=before)
    return member


# --- an officer's correction of a login e-mail, confirmed by the member -----------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def email_change_request(*, member: Member, new_email: str, actor, confirm_url) -> EmailChangeRequest:
    """An officer asks the member to confirm a corrected login e-mail.

    Nothing changes yet: the link (`confirm_url(token)`, absolute) is mailed to the address she
    has now, and only she, signed in, confirms it (email_change_confirm) before it expires. An
    earlier pending request for her is void. A member with no address to mail gets hers from a
    superuser.
    """
    new_email = new_email.strip()
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
        if not access.can_request_email_change(actor, member):
            raise MemberError(_("您无权管理这个会员的档案。"))
        old_email = member.user.email
        if not old_email:
            raise MemberError(
                _("这个会员没有可以接收确认邮件的登录邮箱，请联系系统管理员设置。"), field="new_email"
            )
        if not _addresses_differ(old_email, new_email):
            raise MemberError(_("新邮箱与现在的登录邮箱相同。"), field="new_email")
        try:
            login_email_check(new_email, user_id=member.user_id)
        except MemberError as error:
            raise MemberError(error.message, field="new_email") from None
        now = timezone.now()
        EmailChangeRequest.objects.filter(
            member=member, confirmed_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
        token = secrets.token_urlsafe(32)
        change = EmailChangeRequest.objects.create(
            member=member,
            old_email=old_email,
            new_email=new_email,
            token_hash=_token_hash(token),
            requested_by=actor,
            expires_at=now + timedelta(days=settings.UNIONHOME_EMAIL_CHANGE_DAYS),
        )
        audit_record(
            actor=actor,
            action="member.email_change_requested",
            target=member,
            values={"old_email": old_email, "new_email": new_email},
        )
        with notices.in_language_of(member.user):
            subject = _("职工小家：请确认更正您的登录邮箱")
            body = _(
                "%(actor)s 申请把您在职工小家的账号 %(username)s 的登录邮箱由 %(old)s 更正为 %(new)s。\n\n"
                "如果同意，请在 %(days)s 天内打开下面的链接，用您自己的账号登录后确认：\n%(url)s\n\n"
                "如果您不知道这项申请，请不要确认，并联系本分工会；不确认，登录邮箱就不会改变。"
            ) % {
                "actor": actor.get_username(),
                "username": member.user.get_username(),
                "old": old_email,
                "new": new_email,
                "days": settings.UNIONHOME_EMAIL_CHANGE_DAYS,
                "url": confirm_url(token),
            }
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [old_email], fail_silently=True)
        )
    return change


def email_change_request_by_token(token: str) -> EmailChangeRequest | None:
    """The request a confirmation link names, if any (any state)."""
    return (
        EmailChangeRequest.objects.select_related("member__user", "requested_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )


def email_change_confirm(*, change: EmailChangeRequest, actor) -> Member:
    """The member confirms the correction: her login e-mail changes and the old address is told."""
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("user").get(pk=change.member_id)
        change = EmailChangeRequest.objects.select_for_update().get(pk=change.pk)
        if not access.can_confirm_email_change(actor, change):
            raise MemberError(_("这个确认链接已失效。"))
        if _addresses_differ(member.user.email, change.old_email):
            raise MemberError(_("登录邮箱在申请之后已经改过，这个确认链接已失效。"))
        login_email_check(change.new_email, user_id=member.user_id)
        old_email = member.user.email
        before = {"email": member.email}
        member.email = change.new_email
        member.save(update_fields=["email", "updated_at"])
        member.user.email = change.new_email
        _save_account(member.user, update_fields=["email"])
        change.confirmed_at = timezone.now()
        change.save(update_fields=["confirmed_at"])
        _login_email_changed(user=member.user, old_email=old_email, actor=actor)
        audit_record(actor=actor, action="member.email_change_confirmed", target=member, before=before)
    return member


# --- enrolling a second factor (TOTP) --------------------------------------------------------

ENROLMENT_CODE_SECONDS = 15 * 60
ENROLMENT_CODE_ATTEMPTS = 5


def _enrolment_key(user) -> str:
    return f"unionhome:mfa-enrolment:{user.pk}"


def _enrolment_code_store(user) -> str:
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(_enrolment_key(user), {"hash": _token_hash(code), "attempts": 0}, ENROLMENT_CODE_SECONDS)
    return code


def mfa_enrolment_code_send(*, user) -> bool:
    """Mail the account's login address a code that confirms a TOTP enrolment, unless one is
    still valid (a reload sends no second mail). False when there is no address to mail."""
    if not user.email:
        return False
    if cache.get(_enrolment_key(user)) is not None:
        return True
    code = _enrolment_code_store(user)
    with notices.in_language_of(user):
        subject = _("职工小家：设置两步验证的确认码")
        body = _(
            "有人正在为您在职工小家的账号 %(username)s 设置两步验证（身份验证器）。确认码：%(code)s"
            "（%(minutes)s 分钟内有效）。\n\n如果这不是您本人的操作，请不要把确认码告诉任何人，"
            "并立即修改密码、联系系统管理员。"
        ) % {"username": user.get_username(), "code": code, "minutes": ENROLMENT_CODE_SECONDS // 60}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
    with transaction.atomic():
        audit_record(actor=user, action="account.mfa_code_mailed", target=user, branch_id=_branch_id_of(user))
    return True


def mfa_enrolment_code_issue(*, user, actor) -> str:
    """A superuser, with the officer in person, issues the code instead of mailing it."""
    if actor is None or not actor.is_superuser:
        raise MemberError(_("只有系统管理员可以当面发放两步验证确认码。"))
    with transaction.atomic():
        code = _enrolment_code_store(user)
        audit_record(
            actor=actor, action="account.mfa_code_issued", target=user, branch_id=_branch_id_of(user)
        )
    return code


def mfa_enrolment_code_check(*, user, code: str) -> bool:
    """Whether `code` is the account's valid enrolment code; used up when right, void after
    five wrong tries."""
    key = _enrolment_key(user)
    stored = cache.get(key)
    if stored is None:
        return False
    if secrets.compare_digest(stored["hash"], _token_hash(code.strip())):
        cache.delete(key)
        return True
    stored["attempts"] += 1
    if stored["attempts"] >= ENROLMENT_CODE_ATTEMPTS:
        cache.delete(key)
    else:
        cache.set(key, stored, ENROLMENT_CODE_SECONDS)
    return False


def mfa_activation_announce(*, user) -> None:
    """Tell the account's holder that an authenticator was set up: by mail and with a notice."""
    with transaction.atomic():
        notice_send(user=user, kind=notices.MFA_ACTIVATED)
        audit_record(actor=user, action="account.mfa_activated", target=user, branch_id=_branch_id_of(user))
    if user.email:
        with notices.in_language_of(user):
            subject = _("职工小家：您的账号已设置两步验证")
            body = _(
                "您在职工小家的账号 %(username)s 已于 %(when)s 设置两步验证（身份验证器）。\n\n"
                "如果这不是您本人的操作，请立即联系系统管理员。"
            ) % {"username": user.get_username(), "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)


def _branch_id_of(user) -> int | None:
    member = Member.objects.filter(user_id=user.pk).only("branch_id").first()
    return member.branch_id if member is not None else None


# --- the branch's structure: union groups, departments, branches ---------------------------


def _tracked(model) -> list:
    return [field for field in model._meta.concrete_fields if field.name != "id"]


def _branch_of(record) -> int | None:
    return record.pk if isinstance(record, Branch) else record.branch_id


def _structure_save(*, obj, actor, allowed, refusal: str, name: str):
    """Create or change `obj` (an unsaved instance with the new values); audit the values before.

    `allowed(branch_id)` says whether the actor may manage a record of that branch; a record
    moved to another branch needs the actor to manage both.
    """
    model = type(obj)
    with transaction.atomic():
        current = None
        if obj.pk is not None:
            current = model.objects.select_for_update().filter(pk=obj.pk).first()
            if current is None:
                raise MemberError(_("这条记录已被删除。"))
        for record in (obj, current):
            if record is not None and not allowed(_branch_of(record)):
                raise MemberError(refusal)
        if current is None:
            obj.save()
            audit_record(
                actor=actor,
                action=f"{name}.created",
                target=obj,
                values={field.name: field.value_to_string(obj) for field in _tracked(model)},
            )
            return obj
        before = {
            field.name: field.value_to_string(current)
            for field in _tracked(model)
            if field.value_from_object(current) != field.value_from_object(obj)
        }
        if before:
            obj.save(update_fields=list(before))
            audit_record(actor=actor, action=f"{name}.changed", target=obj, before=before)
    return obj


def _structure_delete(*, obj, actor, allowed, refusal: str, name: str) -> None:
    """Delete `obj`, audited; the database's PROTECT still refuses one that is in use."""
    model = type(obj)
    with transaction.atomic():
        current = model.objects.select_for_update().filter(pk=obj.pk).first()
        if current is None:
            return
        if not allowed(_branch_of(current)):
            raise MemberError(refusal)
        audit_record(
            actor=actor,
            action=f"{name}.deleted",
            target=current,
            values={field.name: field.value_to_string(current) for field in _tracked(model)},
        )
        current.delete()  # ProtectedError (members still in it) rolls back the entry too


def _officer_of(actor):
    return lambda branch_id: access.can_manage_structure(actor, branch_id)


def _superuser(actor):
    return lambda branch_id: access.can_manage_branches(actor)


def union_group_save(*, group: UnionGroup, actor) -> UnionGroup:
    """Create or change a union group (工会小组): officers of its branch."""
    return _structure_save(
        obj=group,
        actor=actor,
        allowed=_officer_of(actor),
        refusal=_("只有本分工会的工会委员可以管理工会小组。"),
        name="union_group",
    )


def union_group_delete(*, group: UnionGroup, actor) -> None:
    _structure_delete(
        obj=group,
        actor=actor,
        allowed=_officer_of(actor),
        refusal=_("只有本分工会的工会委员可以管理工会小组。"),
        name="union_group",
    )


def department_save(*, department: Department, actor) -> Department:
    """Create or change a department (部门): officers of its branch."""
    return _structure_save(
        obj=department,
        actor=actor,
        allowed=_officer_of(actor),
        refusal=_("只有本分工会的工会委员可以管理部门。"),
        name="department",
    )


def department_delete(*, department: Department, actor) -> None:
    _structure_delete(
        obj=department,
        actor=actor,
        allowed=_officer_of(actor),
        refusal=_("只有本分工会的工会委员可以管理部门。"),
        name="department",
    )


def branch_save(*, branch: Branch, actor) -> Branch:
    """Create or rename a branch (分工会): superusers only."""
    return _structure_save(
        obj=branch,
        actor=actor,
        allowed=_superuser(actor),
        refusal=_("只有系统管理员可以管理分工会。"),
        name="branch",
    )


def branch_delete(*, branch: Branch, actor) -> None:
    _structure_delete(
        obj=branch,
        actor=actor,
        allowed=_superuser(actor),
        refusal=_("只有系统管理员可以管理分工会。"),
        name="branch",
    )

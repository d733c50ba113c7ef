"""Notices: stored as a kind and its parameters, rendered in the reader's language when shown.

A kind names a message template (a gettext_lazy msgid with named %(params)s). The services pass the
kind and raw parameters; a parameter that is itself translatable (a state label, a translated object
name) is stored as `tr(msgid, **params)` and translated when the notice is shown, like the template.
Some kinds also send an e-mail, rendered in the recipient's preferred language, unless she turned
that kind's e-mail off on /me/. A notice may name what settles it (`settles_on`): the service that
takes that later step calls `notices_settle`, and the stale notice no longer shows.
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from unionhome.models import Notice

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NoticeKind:
    id: str
    template: Promise
    label: Promise = None  # how /me/ names its e-mail; None: this kind sends no e-mail
    private: bool = False  # the e-mail names no content: "sign in to see it"

    @property
    def emails(self) -> bool:
        return self.label is not None


KINDS: dict[str, NoticeKind] = {}


def _kind(id, template, label=None, private=False) -> str:
    KINDS[id] = NoticeKind(id, template, label, private)
    return id


# --- the kinds ------------------------------------------------------------------------------
MFA_ACTIVATED = _kind(
    "members.mfa_activated",
    _("您的账号已设置两步验证（身份验证器）。如果这不是您本人的操作，请立即联系系统管理员。"),
)
ACTIVITY_PROMOTED = _kind(
    "activities.promoted", _("候补成功：您已转为“%(title)s”的正式报名。"), label=_("活动候补转为正式报名")
)
ACTIVITY_CANCELLED = _kind("activities.cancelled", _("活动“%(title)s”已取消。"))
ACTIVITY_MOVED = _kind("activities.moved", _("活动“%(title)s”的时间或地点有变化：%(when)s，%(place)s。"))
CASE_SUBMITTED = _kind("welfare.submitted", _("收到一份新的困难补助申请（%(case)s）。"))
CASE_REJECTED = _kind(
    "welfare.rejected",
    _("您的困难补助申请未获批准，理由请在“我的申请”中查看。"),
    label=_("困难补助申请的进展"),
    private=True,
)
CASE_OBJECTION = _kind("welfare.objection", _("%(case)s 在公示期间收到一条异议，请查看办理记录。"))
DISCLOSURE_PENDING = _kind(
    "disclosures.pending", _("经费公开“%(title)s”等待您复核后公开。"), label=_("经费公开等待复核")
)
DISCLOSURE_RETURNED = _kind("disclosures.returned", _("经费公开“%(title)s”被退回修改：%(reason)s"))
PROPOSAL_READY = _kind("congress.ready", _("提案《%(title)s》附议人数已满，已提交提案工作委员会审查。"))
SUGGESTION_NEW = _kind("congress.suggestion_new", _("收到新的意见建议：%(title)s"))
COSIGN_INVITED = _kind(
    "congress.cosign_invited", _("%(proposer)s 邀请您附议提案《%(title)s》。"), label=_("附议邀请")
)
COSIGN_DECLINED = _kind("congress.cosign_declined", _("%(name)s 谢绝附议提案《%(title)s》。"))
PROPOSAL_ACCEPTED = _kind("congress.accepted", _("提案 %(number)s《%(title)s》已立案。"))
PROPOSAL_MERGED = _kind("congress.merged", _("提案 %(number)s《%(title)s》已并案办理。"))
PROPOSAL_CONVERTED = _kind("congress.converted", _("提案 %(number)s《%(title)s》转为意见建议办理。"))
PROPOSAL_RETURNED = _kind("congress.returned", _("提案 %(number)s《%(title)s》被退回修改。"))
PROPOSAL_DECLINED = _kind("congress.declined", _("提案 %(number)s《%(title)s》不予立案。"))
PROPOSAL_ASSIGNED = _kind(
    "congress.assigned",
    _("提案 %(number)s《%(title)s》已交贵单位办理，请于 %(deadline)s 前答复。"),
    label=_("交办给本单位的提案"),
)
PROPOSAL_INPUT = _kind("congress.input", _("%(unit)s 提交了协办意见：%(title)s"))
PROPOSAL_REPLIED = _kind(
    "congress.replied", _("提案 %(number)s《%(title)s》收到答复，请评价。"), label=_("提案收到答复")
)
PROPOSAL_REOPENED = _kind(
    "congress.reopened", _("提案 %(number)s《%(title)s》需重新办理，请于 %(deadline)s 前再次答复。")
)
REPLY_DUE_SOON = _kind(
    "congress.reply_due_soon",
    _("提醒：提案 %(number)s《%(title)s》的答复期限是 %(deadline)s，请按时答复。"),
    label=_("答复期限临近的提醒"),
)
PROPOSAL_DONE = _kind("congress.done", _("提案 %(number)s《%(title)s》已办结。"))
PROPOSAL_OVERDUE = _kind(
    "congress.overdue", _("提案 %(number)s《%(title)s》已超过答复期限（%(deadline)s）。")
)
SUGGESTION_ANSWERED = _kind("congress.suggestion_answered", _("您的意见建议《%(title)s》已答复。"))
SUGGESTION_ROUTED_UNIT = _kind("congress.suggestion_to_unit", _("转交贵单位的意见建议：%(title)s"))
SUGGESTION_ROUTED = _kind("congress.suggestion_routed", _("您的意见建议《%(title)s》已转交%(unit)s。"))
SUGGESTION_TAKEN_UP = _kind("congress.suggestion_taken_up", _("您的意见建议《%(title)s》已由代表转为提案。"))


def emailing_kinds() -> list[NoticeKind]:
    """The kinds a member can turn e-mail off for on /me/."""
    return [kind for kind in KINDS.values() if kind.emails]


# --- parameters -----------------------------------------------------------------------------
def tr(msgid, **params) -> dict:
    """A translatable parameter: a msgid (or a gettext_lazy value) and its own parameters,
    translated when the notice is shown."""
    if isinstance(msgid, Promise):
        msgid = msgid._args[0]  # the msgid gettext_lazy was given
    return {"_t": str(msgid), "_p": {key: _raw(value) for key, value in params.items()}}


def _raw(value):
    if isinstance(value, Promise):
        return tr(value)
    if isinstance(value, dict | int | float) or value is None:
        return value
    return str(value)


def _shown(value):
    if isinstance(value, dict) and "_t" in value:
        text = gettext(value["_t"])
        params = {key: _shown(item) for key, item in (value.get("_p") or {}).items()}
        return text % params if params else text
    return value


def notice_text(kind_id: str, params: dict, fallback: str = "") -> str:
    """The notice in the active language (the fallback: the text an old notice was stored with)."""
    kind = KINDS.get(kind_id)
    if kind is None:
        return fallback
    template = str(kind.template)
    try:
        return template % {key: _shown(value) for key, value in params.items()} if params else template
    except (KeyError, TypeError, ValueError):
        return fallback or template


# --- the reader -----------------------------------------------------------------------------
def member_of(user):
    try:
        return user.member
    except (ObjectDoesNotExist, AttributeError):  # no member record: an officer-only account
        return None


def language_of(user) -> str:
    """The person's preferred language (Chinese for anyone without a member record)."""
    member = member_of(user) if user is not None else None
    return getattr(member, "language", "") or settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user):
    """Render a mail to `user` in her language: subject and body inside this block."""
    with translation.override(language_of(user)):
        yield


def email_wanted(user, kind_id: str) -> bool:
    member = member_of(user)
    return kind_id not in (getattr(member, "email_off", None) or [])


def _address(user) -> str:
    member = member_of(user)
    return getattr(member, "email", "") or getattr(user, "email", "") or ""


def _mail(notice: Notice, kind: NoticeKind, body: str | None) -> None:
    user = notice.user
    address = _address(user)
    if not address or not email_wanted(user, kind.id):
        return
    with in_language_of(user):
        if kind.private:
            subject = gettext("职工小家：您有一条新通知")
            text = gettext("您的申请有新的进展，请登录职工小家查看。")
        else:
            subject = gettext("职工小家：%(notice)s") % {"notice": notice.text}
            if body is None:
                text = f"{notice.text}\n\n" + gettext("请登录职工小家查看详情。")
            else:
                text = body() if callable(body) else str(body)

    def send():
        try:
            send_mail(subject[:200], text, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # the step stands even if the mail server is down
            logger.exception("could not e-mail the notice %s to %s", kind.id, address)

    transaction.on_commit(send)


# --- sending and settling -------------------------------------------------------------------
def _new(user_id, kind: str, params: dict, url: str, settles_on: str) -> Notice:
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    raw = {key: _raw(value) for key, value in (params or {}).items()}
    with translation.override(settings.LANGUAGE_CODE):
        text = notice_text(kind, raw)[:300]  # the stored text: a fallback, never what is shown
    return Notice(user_id=user_id, kind=kind, params=raw, message=text, url=url, settles_on=settles_on)


def notice_send(
    *, user, kind: str, params: dict | None = None, url: str = "", settles_on: str = "", body=None
) -> Notice:
    """Leave a notice for a user (call inside the service's transaction); kinds that e-mail also
    mail her, in her language, once committed. `body`: the mail's text (a callable is called
    inside her language) instead of the notice's."""
    notice = _new(user.pk, kind, params, url, settles_on)
    notice.save()
    notice.user = user
    if KINDS[kind].emails:
        _mail(notice, KINDS[kind], body)
    return notice


def notices_send(
    *, user_ids, kind: str, params: dict | None = None, url: str = "", settles_on: str = ""
) -> int:
    """The same notice for many users in one INSERT (call inside the service's transaction); kinds
    sent this way send no e-mail."""
    notices = [_new(user_id, kind, params, url, settles_on) for user_id in dict.fromkeys(user_ids)]
    Notice.objects.bulk_create(notices)
    return len(notices)


def settles_key(obj, kind: str) -> str:
    """The key of the notice of `kind` about `obj` that a later step settles."""
    return f"{obj._meta.label_lower}:{obj.pk}:{kind}"


def notices_settle(*, obj, kind: str, user=None) -> int:
    """The later step was taken: the notice asking for it no longer shows (marked read)."""
    notices = Notice.objects.filter(settles_on=settles_key(obj, kind), read_at__isnull=True)
    if user is not None:
        notices = notices.filter(user=user)
    return notices.update(read_at=timezone.now())


def notices_mark_read(*, user) -> int:
    with transaction.atomic():
        return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def unread_notices(user, limit: int = 10):
    return list(Notice.objects.filter(user=user, read_at__isnull=True)[:limit])

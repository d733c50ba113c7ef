"""Who a signed-in user is, and what they may see and change: the portal's rules, written once.

Views, admin, services, templates (through `members.context_processors`) and querysets
(`visible_to`) ask here; nothing else derives "my member", "my branch" or "my roles". Apps add
the rules for their own objects in their own `access.py`, built on these.

A superuser is the installation's administrator: every role in every branch. Everybody else
works for exactly one branch, the one of their member record, and only while their membership
is in good standing (在职 or 退休保留会籍); a login without a member record sees nothing.
"""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.translation import gettext as _

from members.models import Branch, Member
from unionhome import roles

_MEMBER_CACHE = "_unionhome_member"
_ROLES_CACHE = "_unionhome_roles"


# --- identity ----------------------------------------------------------------------------


def member_for(user) -> Member | None:
    """The user's member record while their membership is in good standing, else None."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, _MEMBER_CACHE):
        accessor = Member.user.field.remote_field  # `user.member`
        if accessor.is_cached(user):
            member = accessor.get_cached_value(user)
        else:  # one query for the member and the branch every page names
            member = Member.objects.select_related("branch").filter(user_id=user.pk).first()
            accessor.set_cached_value(user, member)
            if member is not None:
                Member.user.field.set_cached_value(member, user)
        if member is not None and not member.holds_membership:
            member = None
        setattr(user, _MEMBER_CACHE, member)
    return getattr(user, _MEMBER_CACHE)


def branch_for(user) -> Branch | None:
    """The branch the user works for (None for a superuser without a member record)."""
    member = member_for(user)
    return member.branch if member is not None else None


def branch_id_for(user) -> int | None:
    member = member_for(user)
    return member.branch_id if member is not None else None


def member_or_404(request) -> Member:
    """For pages about "me": accounts without a member in good standing get 404."""
    member = member_for(request.user)
    if member is None:
        raise Http404(_("这个账号没有会员档案。"))
    return member


def roles_of(user) -> frozenset[str]:
    """The user's roles (Django groups); a superuser holds every role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(roles.ROLE_LABELS)
    if not hasattr(user, _ROLES_CACHE):
        setattr(user, _ROLES_CACHE, frozenset(user.groups.values_list("name", flat=True)))
    return getattr(user, _ROLES_CACHE)


def has_role(user, role: str) -> bool:
    return role in roles_of(user)


def holds_role_in(user, role: str, branch_id) -> bool:
    """The user holds `role` for this branch: a superuser, or a member of the branch with the role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return branch_id is not None and branch_id_for(user) == branch_id and has_role(user, role)


def role_holders(branch_id, role: str):
    """The accounts that hold `role` for the branch (whom to tell, who may act): active logins
    of the branch's members in good standing with the role's group.

    The counterpart of holds_role_in for a list; superusers are the installation's
    administrators and are not counted among a branch's holders.
    """
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=role,
            member__branch_id=branch_id,
            member__status__in=Member.GOOD_STANDING,
        )
        .distinct()
        .order_by("pk")
    )


def is_officer_of(user, branch_id) -> bool:
    return holds_role_in(user, roles.OFFICER, branch_id)


# --- branch scoping ----------------------------------------------------------------------


def branch_lookup(model) -> str | None:
    """The ORM path from a model to its branch's pk, or None when the model belongs to no branch.

    A model declares `branch_lookup` when the path is indirect (e.g. "activity__branch");
    a model with a `branch` field, Branch itself and the user model are known here.
    """
    from django.contrib.auth import get_user_model

    declared = getattr(model, "branch_lookup", None)
    if declared:
        return declared
    if model is Branch:
        return "pk"
    if model is get_user_model():
        return "member__branch"
    if any(field.name == "branch" for field in model._meta.get_fields()):
        return "branch"
    return None


def in_branch_of(queryset, user):
    """Rows of the user's branch: all for a superuser, none for a user without a branch."""
    if user.is_superuser:
        return queryset
    lookup = branch_lookup(queryset.model)
    if lookup is None:
        raise LookupError(f"{queryset.model._meta.label} declares no branch_lookup")
    branch_id = branch_id_for(user)
    if branch_id is None:
        return queryset.none()
    return queryset.filter(**{lookup: branch_id})


# --- members -----------------------------------------------------------------------------


def can_manage_member(user, member: Member) -> bool:
    """Officers of the member's branch keep the roster."""
    return is_officer_of(user, member.branch_id)


def can_replace_login_email(user, member: Member) -> bool:
    """Who may replace a member's login e-mail directly (the admin form, the roster import).

    The login e-mail receives the password reset, so whoever sets it can sign in as the member
    and read her records (her hardship case among them). Only a superuser replaces one. An
    officer of her branch may give an account the address it starts with — a new member, or one
    with no address and no password yet, whom nobody can have signed in as. The holder changes
    her own on /me/ with her password (`member_update_contact`); an officer who must correct an
    address asks her to confirm it from the old one (`can_request_email_change`).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    account = member.user
    return not account.email and not account.has_usable_password() and can_manage_member(user, member)


def can_request_email_change(user, member: Member) -> bool:
    """Officers of the member's branch ask her to confirm a corrected login e-mail."""
    return can_manage_member(user, member)


def can_confirm_email_change(user, change) -> bool:
    """A correction is confirmed by the member herself, signed in, while it is pending."""
    member = member_for(user)
    return member is not None and change.member_id == member.pk and change.is_pending


# --- the second factor ----------------------------------------------------------------------


def second_factor_required(user) -> bool:
    """Holders of a role whose pages need a second factor (welfare officers, and superusers, who
    hold every role) while settings.WELFARE_MFA_REQUIRED: their TOTP enrolment is confirmed by a
    code mailed to them, since their password alone must not be enough to enrol one."""
    from django.conf import settings

    return settings.WELFARE_MFA_REQUIRED and has_role(user, roles.WELFARE_OFFICER)


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


# --- the branch's structure: union groups, departments, branches ---------------------------


def can_manage_structure(user, branch_id) -> bool:
    """Union groups (工会小组) and departments of a branch: its officers (and superusers)."""
    return is_officer_of(user, branch_id)


def can_manage_branches(user) -> bool:
    """The list of branches itself belongs to no branch: superusers only."""
    return user is not None and user.is_authenticated and user.is_active and user.is_superuser


# --- the audit trail -----------------------------------------------------------------------


def audit_entries_visible_to(queryset, user):
    """The branch's audit entries, less those of confidential records the user may not see.

    An app whose records are confidential declares `confidential_audit = ("welfare.", role)` on
    its AppConfig: entries whose action or target starts with the prefix are shown only to
    holders of that role in the entry's branch (superusers see all).
    """
    from django.apps import apps
    from django.db.models import Q

    queryset = in_branch_of(queryset, user)
    if user.is_superuser:
        return queryset
    for config in apps.get_app_configs():
        rule = getattr(config, "confidential_audit", None)
        if rule is None:
            continue
        prefix, role = rule
        if not has_role(user, role):
            queryset = queryset.exclude(Q(action__startswith=prefix) | Q(target_type__startswith=prefix))
    return queryset

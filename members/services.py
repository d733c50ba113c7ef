from django.contrib.auth import get_user_model
from django.db import transaction

from members.models import Member
from unionhome.audit import audit_record


class MemberError(Exception):
    """A roster change that the rules forbid; the message is shown to the user."""


def member_ensure_account(*, member: Member, actor=None) -> None:
    """Give a roster member a login account named by their staff number.

    New accounts have no usable password: the member sets one through the reset link.
    An existing account follows the roster's staff number and e-mail.
    """
    User = get_user_model()
    with transaction.atomic():
        if member.user_id:
            user = member.user
            changed = []
            if user.username != member.staff_number:
                user.username = member.staff_number
                changed.append("username")
            if user.email != member.email:
                user.email = member.email
                changed.append("email")
            if changed:
                user.save(update_fields=changed)
            return
        if User.objects.filter(username=member.staff_number).exists():
            raise MemberError(f"An account named {member.staff_number} already exists")
        user = User(username=member.staff_number, email=member.email)
        user.set_unusable_password()
        user.save()
        member.user = user
        audit_record(actor=actor, action="member.account_created", target=user)


def member_update_contact(*, member: Member, phone: str, email: str, actor) -> Member:
    """A member corrects their own phone and e-mail; the login e-mail follows."""
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
        before = {"phone": member.phone, "email": member.email}
        member.phone = phone
        member.email = email
        member.save(update_fields=["phone", "email", "updated_at"])
        if member.user.email != email:
            member.user.email = email
            member.user.save(update_fields=["email"])
            from allauth.account.models import EmailAddress

            EmailAddress.objects.filter(user=member.user).exclude(email__iexact=email).delete()
        audit_record(actor=actor, action="member.contact_updated", target=member, before=before)
    return member

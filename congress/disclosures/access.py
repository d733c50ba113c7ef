"""Who may read, manage and confirm the finance disclosures (built on members.access)."""

from django.conf import settings

from members import access
from unionhome import roles


def disclosures_are_public() -> bool:
    """The setting: published disclosures readable by anyone, without logging in."""
    return bool(settings.UNIONHOME_DISCLOSURES_PUBLIC)


def can_manage_disclosures(user, branch_id) -> bool:
    """Treasurers (财务委员) of the branch draft, publish and correct its disclosures."""
    return access.holds_role_in(user, roles.TREASURER, branch_id)


def can_confirm_disclosure(user, disclosure) -> bool:
    """Four eyes: another treasurer of the branch, or its chair (the confirm permission).

    Never the person who submitted it for publication.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if disclosure.submitted_by_id is not None and disclosure.submitted_by_id == user.pk:
        return False
    if can_manage_disclosures(user, disclosure.branch_id):
        return True
    return access.branch_id_for(user) == disclosure.branch_id and user.has_perm("congress.confirm_disclosure")


def can_read_disclosures(user, branch_id) -> bool:
    """Published disclosures: the branch's members (default), or anyone when the setting says so."""
    if disclosures_are_public():
        return True
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or access.branch_id_for(user) == branch_id


def disclosures_visible_to(queryset, user):
    """Published revisions the user may read, plus the unpublished ones of branches they manage."""
    from django.db.models import Q

    from congress.disclosures.models import Disclosure

    published = Q(state=Disclosure.State.PUBLISHED)
    if user is not None and user.is_authenticated and user.is_superuser:
        return queryset
    branch_id = access.branch_id_for(user) if user is not None else None
    if disclosures_are_public():
        readable = published
    elif branch_id is None:
        return queryset.none()
    else:
        readable = published & Q(branch_id=branch_id)
    if branch_id is not None and can_manage_disclosures(user, branch_id):
        readable |= Q(branch_id=branch_id)
    return queryset.filter(readable)

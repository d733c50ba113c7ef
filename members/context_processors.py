from django.conf import settings

from members import access
from members.models import Branch


def portal(request):
    """The signed-in member (`current_member`) and the branch named in the header.

    The branch is the member's own; without one (anonymous, a superuser without a member record)
    it is the configured UNIONHOME_BRANCH_NAME, else the first branch on record.
    """
    member = access.member_for(request.user)
    if member is not None:
        branch_name = member.branch.name
    else:
        branch_name = settings.UNIONHOME_BRANCH_NAME
        if not branch_name:
            first = Branch.objects.order_by("pk").only("name").first()
            branch_name = first.name if first else ""
    return {"branch_name": branch_name, "current_member": member}

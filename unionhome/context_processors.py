from django.conf import settings


def portal(request):
    """The branch name in the header: the signed-in member's branch, else the configured one."""
    branch_name = settings.UNIONHOME_BRANCH_NAME
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    if member is not None:
        branch_name = member.branch.name
    if not branch_name:
        from members.models import Branch

        first = Branch.objects.order_by("pk").first()
        branch_name = first.name if first else ""
    return {"branch_name": branch_name, "current_member": member}

"""members.access.role_holders: who holds a role for a branch, written once."""

from django.contrib.auth import get_user_model

from members.access import role_holders
from members.models import Member
from unionhome import roles


def test_it_lists_the_branchs_holders_of_the_role_only(
    branch, officer, welfare_officer, other_branch_officer, superuser, make_member
):
    inactive = make_member("off-inactive", roles_=(roles.MEMBER, roles.OFFICER))
    get_user_model().objects.filter(pk=inactive.user_id).update(is_active=False)
    departed = make_member("off-left", roles_=(roles.MEMBER, roles.OFFICER), status=Member.Status.LEFT)
    retired = make_member("off-retired", roles_=(roles.MEMBER, roles.OFFICER), status=Member.Status.RETIRED)

    holders = list(role_holders(branch.pk, roles.OFFICER))

    assert holders == [officer.user, retired.user]
    assert departed.user not in holders and superuser not in holders
    assert list(role_holders(other_branch_officer.branch_id, roles.OFFICER)) == [other_branch_officer.user]
    assert list(role_holders(branch.pk, roles.WELFARE_OFFICER)) == [welfare_officer.user]

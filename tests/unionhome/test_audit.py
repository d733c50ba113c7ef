from unionhome.audit import audit_record


def test_it_records_the_branch_of_the_target_along_its_branch_lookup(member, other_branch):
    from django.utils import timezone

    from activities.models import Activity, Registration

    activity = Activity.objects.create(
        branch=member.branch,
        title="羽毛球赛",
        place="体育馆",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
    )
    registration = Registration.objects.create(activity=activity, member=member, status="confirmed")

    assert audit_record(actor=None, action="t.direct", target=activity).branch_id == member.branch_id
    assert audit_record(actor=None, action="t.path", target=registration).branch_id == member.branch_id
    assert audit_record(actor=None, action="t.branch", target=member.branch).branch_id == member.branch_id
    named = audit_record(actor=None, action="t.named", target=member.user, branch_id=other_branch.pk)
    assert named.branch_id == other_branch.pk

from django.contrib.auth import get_user_model
from django.core.management import call_command

from members.models import Branch, Member, UnionGroup
from unionhome import roles


def test_it_loads_a_realistic_branch_and_is_idempotent(db, capsys):
    call_command("demo")
    first_counts = (
        Branch.objects.count(),
        UnionGroup.objects.count(),
        Member.objects.count(),
        get_user_model().objects.count(),
    )
    output = capsys.readouterr().out
    call_command("demo")
    assert (
        Branch.objects.count(),
        UnionGroup.objects.count(),
        Member.objects.count(),
        get_user_model().objects.count(),
    ) == first_counts
    assert first_counts[:2] == (1, 6)
    assert Member.objects.count() >= 120
    for account in ["admin", "officer", "welfare", "secretary", "treasurer", "m001"]:
        assert account in output
        assert get_user_model().objects.get(username=account).check_password("unionhome-demo")
    assert "unionhome-demo" in output
    assert get_user_model().objects.get(username="officer").groups.filter(name=roles.OFFICER).exists()
    assert Member.objects.filter(status=Member.Status.RETIRED).count() >= 10
    ages = [member.age for member in Member.objects.all()]
    assert min(ages) <= 30 and max(ages) >= 60
    assert all("\u4e00" <= member.name[0] <= "\u9fff" for member in Member.objects.all())

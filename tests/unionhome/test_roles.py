from django.contrib.auth.models import Group

from unionhome import roles


def test_it_creates_every_role_by_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_LABELS)


def test_it_gives_officers_the_roster_permissions(db):
    officer = Group.objects.get(name=roles.OFFICER)
    codenames = set(officer.permissions.values_list("codename", flat=True))
    assert {"view_member", "change_member", "import_member", "export_member"} <= codenames
    assert "delete_member" not in codenames


def test_it_keeps_the_roster_import_away_from_other_roles(db):
    for role in (roles.MEMBER, roles.WELFARE_OFFICER, roles.CONGRESS_SECRETARY, roles.TREASURER):
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert "import_member" not in codenames

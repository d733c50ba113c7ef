from django.db import migrations

from unionhome import roles


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in roles.ROLE_LABELS:
        Group.objects.get_or_create(name=role)
    roster = [
        "members.view_branch",
        "members.view_uniongroup",
        "members.add_uniongroup",
        "members.change_uniongroup",
        "members.view_department",
        "members.add_department",
        "members.change_department",
        "members.view_member",
        "members.add_member",
        "members.change_member",
        "members.import_member",
        "members.export_member",
    ]
    roles.grant_role_permissions(apps, roles.OFFICER, roster)
    for role in (roles.WELFARE_OFFICER, roles.CONGRESS_SECRETARY, roles.TREASURER):
        roles.grant_role_permissions(apps, role, ["members.view_member", "members.view_uniongroup"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

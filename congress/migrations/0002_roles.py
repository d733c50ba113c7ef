from django.db import migrations

from unionhome import roles


def grant(apps, schema_editor):
    manage = ["term", "session", "delegation", "delegate", "unit"]
    permissions = []
    for model in manage:
        permissions += [f"congress.{verb}_{model}" for verb in ("view", "add", "change", "delete")]
    permissions += [
        "congress.import_delegate",
        "congress.export_delegate",
        "congress.view_attendance",
        "congress.view_vote",
        "congress.view_proposal",
        "congress.change_proposal",
        "congress.manage_proposal",
        "congress.view_cosign",
        "congress.view_proposalevent",
        "congress.view_reply",
        "congress.view_verdict",
        "congress.view_suggestion",
        "congress.change_suggestion",
    ]
    roles.grant_role_permissions(apps, roles.CONGRESS_SECRETARY, permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0001_initial"),
        ("members", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

from django.db import migrations

from unionhome import roles


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, roles.OFFICER, ["unionhome.view_auditentry"])


class Migration(migrations.Migration):
    """Officers read their branch's audit trail in admin (read-only; scoped by members.admin)."""

    dependencies = [
        ("members", "0004_unique_login_email"),
        ("unionhome", "0003_audit_branch"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

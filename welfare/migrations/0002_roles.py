from django.db import migrations

from unionhome import roles


def grant(apps, schema_editor):
    roles.grant_role_permissions(
        apps,
        roles.WELFARE_OFFICER,
        [
            "welfare.view_aidround",
            "welfare.add_aidround",
            "welfare.change_aidround",
            "welfare.view_aidcap",
            "welfare.add_aidcap",
            "welfare.change_aidcap",
            "welfare.delete_aidcap",
            "welfare.view_aidcase",
            "welfare.add_aidcase",
            "welfare.change_aidcase",
            "welfare.view_caseevent",
            "welfare.view_attachment",
            "welfare.view_carevisit",
            "welfare.add_carevisit",
            "welfare.change_carevisit",
            "welfare.view_benefit",
            "welfare.add_benefit",
            "welfare.change_benefit",
            "welfare.view_benefitcap",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("welfare", "0001_initial"),
        ("members", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

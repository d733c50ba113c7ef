from django.db import migrations

from unionhome import roles


def grant(apps, schema_editor):
    roles.grant_role_permissions(
        apps,
        roles.OFFICER,
        [
            "activities.view_club",
            "activities.add_club",
            "activities.change_club",
            "activities.view_clubmembership",
            "activities.add_clubmembership",
            "activities.change_clubmembership",
            "activities.delete_clubmembership",
            "activities.view_activity",
            "activities.add_activity",
            "activities.change_activity",
            "activities.delete_activity",
            "activities.view_participation",
            "activities.view_activityresult",
            "activities.add_activityresult",
            "activities.change_activityresult",
            "activities.delete_activityresult",
            "activities.view_registration",
            "activities.change_registration",
            "activities.export_registration",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
        ("members", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

from django.db import migrations

from unionhome import roles


def grant(apps, schema_editor):
    roles.grant_role_permissions(
        apps,
        roles.TREASURER,
        [
            "congress.view_financecategory",
            "congress.add_financecategory",
            "congress.change_financecategory",
            "congress.view_disclosure",
            "congress.add_disclosure",
            "congress.change_disclosure",
            "congress.delete_disclosure",
            "congress.view_disclosureline",
            "congress.add_disclosureline",
            "congress.change_disclosureline",
            "congress.delete_disclosureline",
            "congress.import_disclosureline",
            "congress.export_disclosureline",
            "congress.view_disclosureattachment",
            "congress.add_disclosureattachment",
            "congress.change_disclosureattachment",
            "congress.delete_disclosureattachment",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0002_disclosures_categories"),
        ("members", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

"""One e-mail address logs in to one account: case-insensitive unique indexes on the login
accounts' addresses (blank ones excepted) and on allauth's e-mail addresses.

Plain expression indexes with a condition, created through the schema editor: the same on
SQLite and PostgreSQL. The accounts' models belong to other apps (auth, allauth), so the
indexes live here, in the app that keeps the login accounts in step with the roster.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Lower

USER_EMAIL = models.UniqueConstraint(
    Lower("email"), condition=~models.Q(email=""), name="unionhome_user_email_ci_uniq"
)
EMAILADDRESS_EMAIL = models.UniqueConstraint(Lower("email"), name="unionhome_emailaddress_email_ci_uniq")


def _targets(apps):
    return [
        (apps.get_model(settings.AUTH_USER_MODEL), USER_EMAIL),
        (apps.get_model("account", "EmailAddress"), EMAILADDRESS_EMAIL),
    ]


def _refuse_duplicates(model):
    rows = (
        model.objects.exclude(email="")
        .annotate(address=Lower("email"))
        .values("address")
        .annotate(count=models.Count("pk"))
        .filter(count__gt=1)
    )
    duplicates = sorted(row["address"] for row in rows)
    if duplicates:
        raise RuntimeError(
            f"{model._meta.db_table}: these e-mail addresses belong to more than one account; give "
            f"each account its own address (or none) before migrating: {', '.join(duplicates)}"
        )


def add_indexes(apps, schema_editor):
    for model, constraint in _targets(apps):
        _refuse_duplicates(model)
        schema_editor.add_constraint(model, constraint)


def remove_indexes(apps, schema_editor):
    for model, constraint in _targets(apps):
        schema_editor.remove_constraint(model, constraint)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_permission_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]
    operations = [migrations.RunPython(add_indexes, remove_indexes)]

"""The portal's roles are Django groups; data migrations give each its permissions."""

from django.utils.translation import gettext_lazy as _

MEMBER = "member"
OFFICER = "officer"
WELFARE_OFFICER = "welfare officer"
CONGRESS_SECRETARY = "congress secretary"
TREASURER = "treasurer"

ROLE_LABELS = {
    MEMBER: _("会员"),
    OFFICER: _("工会委员"),
    WELFARE_OFFICER: _("帮扶专员"),
    CONGRESS_SECRETARY: _("教代会秘书"),
    TREASURER: _("财务委员"),
}


def grant_role_permissions(apps, role: str, permissions: list[str]) -> None:
    """Give a role (group) permissions named "app_label.codename"; for use in data migrations.

    Permissions are normally created after all migrations ran, so this creates the ones of
    the named apps first.
    """
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label in {name.split(".")[0] for name in permissions}:
        app_config = apps.get_app_config(app_label)
        # Migration state apps are stubs without models_module; create_permissions skips those.
        app_config.models_module = getattr(app_config, "models_module", None) or True
        create_permissions(app_config, verbosity=0, apps=apps)
    group, _created = Group.objects.get_or_create(name=role)
    for name in permissions:
        app_label, codename = name.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))

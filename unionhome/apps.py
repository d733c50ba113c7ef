from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionhomeConfig(AppConfig):
    name = "unionhome"
    verbose_name = _("门户")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_migrate, pre_save

        from unionhome import security

        # `migrate` also creates the database cache's table, so every set-up has it.
        post_migrate.connect(security.create_cache_table, sender=self, dispatch_uid="unionhome.cache_table")
        user_login_failed.connect(security.log_failed_login, dispatch_uid="unionhome.log_failed_login")
        pre_save.connect(
            security.end_sessions_of_deactivated_user,
            sender=get_user_model(),
            dispatch_uid="unionhome.end_sessions_of_deactivated_user",
        )

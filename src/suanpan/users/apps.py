from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "suanpan.users"
    label = "users"
    verbose_name = _("users")

    def ready(self) -> None:
        from suanpan.users.services import roles_sync_after_migrate

        # Permissions exist only after every app has migrated, so roles are kept in step here.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="suanpan_roles_sync")

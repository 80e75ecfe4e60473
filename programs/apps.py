from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_delete


def sync_role_groups(sender, **kwargs) -> None:
    """Keep the Adviser and Editor-in-chief groups covering every directory model, including
    models added by migrations after the one that first created the groups."""
    from programs.catalogue.roles import ensure_groups

    ensure_groups()


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Directory"

    def ready(self) -> None:
        from programs.caching import generation
        from programs.catalogue.loading import DIRECTORY_MODELS, record_deletion
        from programs.listing import search_sync

        # A row the fixtures wrote and an editor deletes stays deleted on the next load.
        for label in DIRECTORY_MODELS:
            pre_delete.connect(
                record_deletion,
                sender=self.get_model(label.split(".")[1]),
                dispatch_uid=f"tombstone-{label}",
            )
        generation.connect_signals()
        search_sync.connect_signals()
        post_migrate.connect(sync_role_groups, sender=self)

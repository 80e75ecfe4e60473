from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Directory"

    def ready(self) -> None:
        from programs import caching, search

        caching.connect_signals()
        search.connect_signals()

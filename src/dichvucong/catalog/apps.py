from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "dichvucong.catalog"
    label = "catalog"
    verbose_name = "Danh mục thủ tục hành chính"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the cache invalidation

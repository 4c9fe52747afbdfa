from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dichvucong.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

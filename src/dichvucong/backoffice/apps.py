from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "dichvucong.backoffice"
    label = "backoffice"
    verbose_name = "Một cửa điện tử (cán bộ)"

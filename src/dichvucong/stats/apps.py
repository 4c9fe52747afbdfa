from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "dichvucong.stats"
    label = "stats"
    verbose_name = "Thống kê, đánh giá, phản ánh"

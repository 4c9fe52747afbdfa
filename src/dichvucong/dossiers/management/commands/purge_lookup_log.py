from django.core.management.base import BaseCommand

from dichvucong.dossiers.lookup import lookup_log_purge


class Command(BaseCommand):
    help = "Xóa nhật ký tra cứu cũ hơn LOOKUP_LOG_RETENTION_DAYS ngày."

    def handle(self, *args, **options):
        self.stdout.write(f"Đã xóa {lookup_log_purge()} lượt tra cứu cũ.")

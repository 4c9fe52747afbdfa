"""`manage.py purge_idempotency_keys`: remove the API's expired Idempotency-Key answers (run
daily beside purge_lookup_log; a key is also forgotten when its user sends it again after
it expired)."""

from django.core.management.base import BaseCommand

from dichvucong.api.idempotency import idempotency_purge


class Command(BaseCommand):
    help = "Xóa các khóa Idempotency-Key đã hết hạn của API."

    def handle(self, *args, **options):
        deleted = idempotency_purge()
        self.stdout.write(f"Đã xóa {deleted} khóa Idempotency-Key hết hạn.")

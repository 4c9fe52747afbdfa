import time

from django.core.management.base import BaseCommand

from dichvucong.notifications.services import notifications_deliver_due


class Command(BaseCommand):
    help = (
        "Gửi các thông báo đến hạn (gửi lại khi lỗi, nhận lại thông báo bị bỏ dở) ngay trong "
        "tiến trình này: lượt quét của cấu hình không có Redis. --loop chạy liên tục."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=int, default=30)

    def handle(self, *args, **options):
        while True:
            sent = notifications_deliver_due()
            self.stdout.write(f"Đã gửi {sent} thông báo.")
            if not options["loop"]:
                return
            time.sleep(options["interval"])

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dichvucong.accounts.demo import demo_staff_load
from dichvucong.catalog.demo import demo_catalogue_load


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (tỉnh Bình Phước, các sở, lĩnh vực, thủ tục hành chính, "
        "7 tài khoản cán bộ mẫu). Chạy lại không sao."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Cho phép cả khi DEBUG tắt.")

    def handle(self, *args, **options):
        if not settings.DEV_OUTBOX_ENABLED and not options["force"]:
            raise CommandError("Dữ liệu mẫu chỉ dành cho môi trường chạy thử (dùng --force).")
        catalogue = demo_catalogue_load()
        staff = demo_staff_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu mẫu: {catalogue.agencies} đơn vị, {catalogue.procedures_total} thủ tục "
                f"(tạo mới {catalogue.procedures_created}); "
                f"tạo mới {len(staff)} tài khoản cán bộ."
            )
        )

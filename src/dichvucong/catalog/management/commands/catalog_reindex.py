from django.core.management.base import BaseCommand

from dichvucong.catalog.services import catalogue_reindex


class Command(BaseCommand):
    help = (
        "Tính lại cột tìm kiếm của mọi thủ tục (sau khi sửa bảng từ viết tắt "
        "catalog/data/abbreviations.json hoặc nâng cấp cách chuẩn hóa)."
    )

    def handle(self, *args, **options):
        count = catalogue_reindex()
        self.stdout.write(self.style.SUCCESS(f"Đã cập nhật chỉ mục tìm kiếm của {count} thủ tục."))

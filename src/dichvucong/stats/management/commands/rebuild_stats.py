import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dichvucong.stats import services
from dichvucong.stats.constants import RebuildTrigger


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {value} (dạng YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = (
        "Tính lại bảng số liệu thống kê theo ngày từ hồ sơ (mặc định: hôm qua và hôm nay). "
        "Chạy lại không sao: mỗi ngày được thay toàn bộ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="day_from", help="Từ ngày (YYYY-MM-DD).")
        parser.add_argument("--to", dest="day_to", help="Đến ngày (YYYY-MM-DD), mặc định hôm nay.")
        parser.add_argument(
            "--days", type=int, help="Số ngày gần nhất trước hôm nay cần tính lại (kèm hôm nay)."
        )
        parser.add_argument(
            "--all", action="store_true", help="Từ ngày có hồ sơ đầu tiên đến hôm nay."
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        day_to = _day(options["day_to"]) if options["day_to"] else today
        if options["all"]:
            day_from = services.first_day() or today
        elif options["day_from"]:
            day_from = _day(options["day_from"])
        elif options["days"] is not None:
            day_from = today - dt.timedelta(days=max(0, options["days"]))
        else:
            day_from = today - dt.timedelta(days=1)
        if day_from > day_to:
            raise CommandError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
        result = services.stats_rebuild(
            day_from=day_from, day_to=day_to, trigger=RebuildTrigger.COMMAND
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tính lại {result.days} ngày ({result.day_from:%d/%m/%Y}–"
                f"{result.day_to:%d/%m/%Y}): {result.dossiers} hồ sơ, {result.rows} dòng số "
                f"liệu, {result.seconds:.1f} giây."
            )
        )

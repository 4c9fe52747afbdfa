"""Statistics benchmark: the "Thống kê" page over 1,000,000 dossiers' worth of daily figures.

    make bench-stats                # or: .venv/bin/python bench/stats.py --help
    .venv/bin/python bench/stats.py --keep            # reuse the generated database

Issue 8, item 4: the public page answers in < 1 s over 1M dossiers because it reads only the
pre-aggregated figures (stats.DailyAgencyStats, rolled up by month into
stats.MonthlyAgencyStats), never the dossiers.

1. Data: creates (or recreates) the PostgreSQL database `dichvucong_bench_stats`, migrates it,
   loads the demo catalogue of Bình Phước and enough generated agencies (departments and
   communes, 6–8 fields each) to reach --agencies, then fills the daily table for --years
   years up to today in one INSERT … SELECT generate_series: per day × agency × field ×
   level, counts drawn around each agency's share of --dossiers receipts (decisions early /
   on time / late, returns, refusals, withdrawals, ratings, and the open dossiers of each
   evening), so that the table holds what 1M dossiers would have produced; then rolls it up
   by month with the app's own `stats_roll_up` (what the pages read). The dossiers
   themselves are not generated (the pages never read them).
2. Page: requests the public page (and its CSV, and an officer's report) in-process with
   Django's test client, several filter combinations, --repeat times each after a warm-up,
   and reports p50 / p95 / max of the wall time and of this thread's CPU plus database time.
3. Rebuild (optional, read-only): when the lookup benchmark's database
   (`dichvucong_bench`, bench/generate.py: 1M real dossiers with their events) exists,
   times `stats_compute` on it — what the beat's every-15-minutes run (today) and nightly run
   (the last 3 days) read and count — without writing anything there. Skipped when absent.

Target: p95 < 1000 ms for every page scenario. Exit status 1 when it is missed.
Everything printed is also written to var/bench/stats.json.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT)]
from pg import prepare_database  # noqa: E402 - bench/ is the script's own folder

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dichvucong_bench_stats"
LOOKUP_URL = "postgres://postgres@127.0.0.1:5432/dichvucong_bench"
VAR = ROOT / "var" / "bench"
TARGET_P95_MS = 1000.0

COMMUNE_PARTS = (["Tân", "Minh", "Phú", "Lộc", "Thanh", "Đồng", "Bình"], ["Hưng", "Thành", "Lợi"])
DEPARTMENTS = [
    "Sở Y tế",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Thông tin và Truyền thông",
    "Sở Khoa học và Công nghệ",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Ban Quản lý các khu công nghiệp",
]
FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Đăng ký kinh doanh", "Môi trường"]


def database_exists(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            return bool(
                connection.execute("SELECT to_regclass('dossiers_dossier') IS NOT NULL").fetchone()[
                    0
                ]
            )
    except psycopg.Error:
        return False


def load_catalogue(agencies_wanted: int) -> list:
    """The demo agencies plus generated departments and communes, each with its fields."""
    from django.db import transaction

    from dichvucong.catalog.demo import demo_catalogue_load
    from dichvucong.catalog.models import Agency, AgencyLevel, Field

    demo_catalogue_load()
    province = Agency.objects.get(level=AgencyLevel.PROVINCE)
    with transaction.atomic():
        agencies = list(Agency.objects.exclude(level=AgencyLevel.PROVINCE))
        index = 0
        while len(agencies) < agencies_wanted:
            if index < len(DEPARTMENTS):
                name, level = DEPARTMENTS[index], AgencyLevel.DEPARTMENT
                code = f"000.00.{60 + index:02d}.H10"
            else:
                first, second = COMMUNE_PARTS
                name = f"Ủy ban nhân dân xã {first[index % 7]} {second[index % 3]} {index}"
                level, code = AgencyLevel.COMMUNE, f"{index:03d}.01.00.H10"
            agency, _ = Agency.objects.get_or_create(
                code=code, defaults={"name": name, "level": level, "parent": province}
            )
            agencies.append(agency)
            index += 1
        for agency in agencies:
            have = set(Field.objects.filter(agency=agency).values_list("name", flat=True))
            missing = [name for name in FIELDS if name not in have][: max(0, 6 - len(have))]
            Field.objects.bulk_create(
                [Field(agency=agency, name=name, position=50 + i) for i, name in enumerate(missing)]
            )
    return agencies


FILL_SQL = """
WITH combos AS (
    SELECT f.agency_id, f.id AS field_id, lv.level,
           -- agencies differ in size: weight 1…4 by id; level 4 is a third of receipts
           (1 + (f.agency_id * 7 + f.id) %% 4) * CASE lv.level WHEN 4 THEN 0.5 ELSE 1.0 END AS w
    FROM catalog_field f CROSS JOIN (VALUES (3), (4)) AS lv(level)
), scaled AS (
    SELECT agency_id, field_id, level, w * %(per_weight)s AS mean FROM combos
), days AS (
    SELECT d::date AS day FROM generate_series(%(first)s::date, %(last)s::date, '1 day') d
), counts AS (
    SELECT day, date_trunc('month', day)::date AS month, agency_id, field_id, level,
           floor(random() * (2 * mean + 1))::int AS received_online,
           floor(random() * (2 * mean * 0.55 + 1))::int AS resolved_early,
           floor(random() * (2 * mean * 0.30 + 1))::int AS resolved_on_time,
           floor(random() * (2 * mean * 0.12 + 0.6))::int AS resolved_late,
           floor(random() * (2 * mean * 0.90 + 1))::int AS returned,
           floor(random() * (2 * mean * 0.03 + 0.2))::int AS refused,
           floor(random() * (2 * mean * 0.02 + 0.1))::int AS withdrawn,
           floor(random() * (2 * mean * 0.20 + 0.6))::int AS rated_very_satisfied,
           floor(random() * (2 * mean * 0.10 + 0.4))::int AS rated_satisfied,
           floor(random() * (2 * mean * 0.02 + 0.2))::int AS rated_unsatisfied,
           floor(random() * (2 * mean * 6 + 1))::int AS open_on_time,
           floor(random() * (2 * mean * 0.5 + 0.5))::int AS open_overdue,
           floor(random() * (2 * mean * 0.3 + 0.5))::int AS paused
    FROM days CROSS JOIN scaled
)
INSERT INTO stats_dailyagencystats (
    day, month, agency_id, field_id, level, received_online, received_in_person,
    resolved_early, resolved_on_time, resolved_late, returned, refused, withdrawn,
    rated_very_satisfied, rated_satisfied, rated_unsatisfied, open_on_time, open_overdue, paused
)
SELECT day, month, agency_id, field_id, level, received_online, 0,
       resolved_early, resolved_on_time, resolved_late, returned, refused, withdrawn,
       rated_very_satisfied, rated_satisfied, rated_unsatisfied, open_on_time, open_overdue, paused
FROM counts
WHERE received_online + resolved_early + resolved_on_time + resolved_late + returned + refused
      + withdrawn + rated_very_satisfied + rated_satisfied + rated_unsatisfied + open_on_time
      + open_overdue + paused > 0
"""


def fill_table(*, dossiers: int, years: int) -> dict:
    """The daily table for `years` years up to today, about `dossiers` receipts in all."""
    from django.db import connection, transaction
    from django.utils import timezone

    from dichvucong.stats.constants import RebuildTrigger
    from dichvucong.stats.models import DailyAgencyStats, RebuildLog

    today = timezone.localdate()
    first = today - dt.timedelta(days=365 * years)
    days = (today - first).days + 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum((1 + (agency_id * 7 + id) % 4) * 1.5), 0) FROM catalog_field"
        )
        weights = float(cursor.fetchone()[0])
    # E[received] of a row is its mean; means are proportional to the weights
    per_weight = dossiers / (days * weights)
    with transaction.atomic():
        DailyAgencyStats.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.2026)")
            cursor.execute(FILL_SQL, {"per_weight": per_weight, "first": first, "last": today})
        now = timezone.now()
        RebuildLog.objects.all().delete()
        RebuildLog.objects.create(
            day_from=first,
            day_to=today,
            as_of=now,
            started_at=now,
            finished_at=now,
            trigger=RebuildTrigger.COMMAND,
        )
    from dichvucong.stats.selectors import months_between
    from dichvucong.stats.services import stats_roll_up

    start = time.perf_counter()
    monthly = stats_roll_up(months=months_between(first, today), today=today)
    roll_up_seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stats_dailyagencystats")
        cursor.execute("ANALYZE stats_monthlyagencystats")
        cursor.execute(
            "SELECT count(*), sum(received_online), pg_size_pretty("
            "pg_total_relation_size('stats_dailyagencystats')) FROM stats_dailyagencystats"
        )
        rows, received, size = cursor.fetchone()
    return {
        "rows": rows,
        "received": int(received),
        "size": size,
        "days": days,
        "from": first,
        "monthly_rows": monthly,
        "roll_up_seconds": roll_up_seconds,
    }


def staff_session(client) -> None:
    """An officer of Sở Lao động - Thương binh và Xã hội, logged in with both factors."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from staff import officer_create

    from dichvucong.catalog.models import Agency

    agency = Agency.objects.get(code="000.00.17.H10")
    user, device = officer_create(
        username="bench.baocao", agency=agency, roles=("leader",), full_name="Bench"
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def scenarios() -> list[tuple[str, str, dict[str, str], bool]]:
    """(label, path, GET parameters, needs an officer's session)."""
    from django.utils import timezone

    from dichvucong.catalog.models import Agency, Field
    from dichvucong.stats.selectors import add_months, month_start

    this_month = month_start(timezone.localdate())

    def month(offset: int) -> str:
        return add_months(this_month, offset).strftime("%Y-%m")

    ldtbxh = Agency.objects.get(code="000.00.17.H10")
    field = Field.objects.filter(agency=ldtbxh).order_by("position", "name").first()
    commune = Agency.objects.filter(level="xa").order_by("code").first() or ldtbxh
    full = {"tu_thang": month(-35), "den_thang": month(0)}
    return [
        ("Toàn tỉnh, 12 tháng (mặc định)", "/thong-ke/", {}, False),
        ("Toàn tỉnh, 36 tháng", "/thong-ke/", full, False),
        (
            "Toàn tỉnh, mức độ 4, 24 tháng",
            "/thong-ke/",
            {"tu_thang": month(-23), "muc_do": "4"},
            False,
        ),
        ("Một sở, 12 tháng", "/thong-ke/", {"don_vi": str(ldtbxh.pk)}, False),
        (
            "Sở + lĩnh vực + mức độ, 36 tháng",
            "/thong-ke/",
            {**full, "don_vi": str(ldtbxh.pk), "linh_vuc": str(field.pk), "muc_do": "3"},
            False,
        ),
        ("Một xã, 1 tháng", "/thong-ke/", {"don_vi": str(commune.pk), "tu_thang": month(0)}, False),
        ("CSV toàn tỉnh, 12 tháng", "/thong-ke/tai-csv/", {}, False),
        ("CSV toàn tỉnh, 36 tháng", "/thong-ke/tai-csv/", full, False),
        ("Cán bộ: báo cáo, 36 tháng", "/can-bo/bao-cao/", full, True),
        ("Cán bộ: tải XLSX, 12 tháng", "/can-bo/bao-cao/tai-xlsx/", {}, True),
    ]


def measure(repeat: int) -> list[dict]:
    """Wall time per request, and this thread's CPU time plus database time (the two agree on
    an idle machine; on a busy one the first includes waiting for a CPU)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    db_time = [0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_time[0] += time.perf_counter() - start

    public, officer = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    staff_session(officer)
    rows = []
    for label, path, params, staff in scenarios():
        client = officer if staff else public
        url = path + ("?" + urlencode(params) if params else "")
        for _ in range(3):  # warm up
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)
        wall, work = [], []
        with connection.execute_wrapper(timed):
            for _ in range(repeat):
                db_time[0] = 0.0
                cpu = time.thread_time()
                start = time.perf_counter()
                response = client.get(url)
                wall.append((time.perf_counter() - start) * 1000)
                work.append((time.thread_time() - cpu + db_time[0]) * 1000)
        wall.sort()
        work.sort()
        rows.append(
            {
                "label": label,
                "url": url,
                "bytes": len(response.content),
                "queries": queries,
                "p50": statistics.median(wall),
                "p95": wall[max(0, int(len(wall) * 0.95) - 1)],
                "max": wall[-1],
                "work_p50": statistics.median(work),
                "work_p95": work[max(0, int(len(work) * 0.95) - 1)],
            }
        )
    return rows


def explain() -> str:
    """The plan of the page's biggest query: the monthly sums of the whole province, 36 months."""
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from dichvucong.stats.models import MonthlyAgencyStats

    today = timezone.localdate()
    queryset = (
        MonthlyAgencyStats.objects.filter(month__range=(today - dt.timedelta(days=1095), today))
        .values("month")
        .annotate(n=Sum("received_online"), e=Sum("resolved_early"))
        .order_by()
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def time_rebuild_reads(lookup_url: str) -> list[dict] | None:
    """`stats_compute` (what a rebuild reads and counts, no writing) on the lookup benchmark's
    1M dossiers, through a second database alias. None when that database is absent."""
    if not database_exists(lookup_url):
        return None
    import dj_database_url
    from django.db import connections
    from django.utils import timezone

    from dichvucong.stats.services import stats_compute

    configured = connections.configure_settings(
        {
            "default": dict(connections.settings["default"]),
            "lookup": dj_database_url.parse(lookup_url),
        }
    )
    connections.settings["lookup"] = configured["lookup"]
    results = []
    now = timezone.now()
    today = timezone.localdate()
    with connections["lookup"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(received_at), max(received_at) FROM dossiers_dossier"
        )
        total, received, last_received = cursor.fetchone()
    # the generated dossiers may end before today: measure at the data's last day too
    data_day = timezone.localtime(last_received).date() if last_received else today
    data_now = min(now, timezone.localtime(last_received) + dt.timedelta(hours=1))
    for label, day_from, day_to, moment in [
        ("Hôm nay (mỗi 15 phút)", today, today, now),
        ("3 ngày gần nhất (hằng đêm)", today - dt.timedelta(days=3), today, now),
        ("Ngày cuối của dữ liệu", data_day, data_day, data_now),
        ("30 ngày cuối của dữ liệu", data_day - dt.timedelta(days=29), data_day, data_now),
    ]:
        start = time.perf_counter()
        counts, dossiers = stats_compute(
            day_from=day_from, day_to=day_to, now=moment, using="lookup", ratings=False
        )
        seconds = time.perf_counter() - start
        results.append(
            {
                "label": label,
                "from": str(day_from),
                "to": str(day_to),
                "dossiers_read": dossiers,
                "rows": len(counts.rows),
                "seconds": seconds,
            }
        )
    results.append({"label": "database", "dossiers": total, "received": received})
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--lookup-url", default=os.environ.get("BENCH_LOOKUP_URL", LOOKUP_URL))
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse the database as it is")
    parser.add_argument("--explain", action="store_true", help="print the biggest query's plan")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the rebuild timing")
    options = parser.parse_args()
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs on PostgreSQL (--database-url postgres://…)")

    prepare_database(options.database_url, recreate=not options.keep)
    os.environ["DATABASE_URL"] = options.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "dichvucong.config.settings.test"
    os.environ.setdefault("VAR_DIR", str(VAR))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # The figures are generated, not rebuilt: no page may "refresh" them from the (absent)
    # dossiers. The rebuild's own cost is measured separately (time_rebuild_reads).
    settings.STATS_REFRESH_MINUTES = 10**9
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    report: dict = {"target_p95_ms": TARGET_P95_MS}
    if options.keep and _table_filled():
        print("Dùng lại bảng số liệu đã sinh (--keep).")
    else:
        start = time.perf_counter()
        agencies = load_catalogue(options.agencies)
        filled = fill_table(dossiers=options.dossiers, years=options.years)
        seconds = time.perf_counter() - start
        print(
            f"{len(agencies)} đơn vị; bảng số liệu ngày: {filled['rows']:,} dòng "
            f"({filled['size']}) cho {filled['days']} ngày từ {filled['from']:%d/%m/%Y}, tổng "
            f"{filled['received']:,} hồ sơ tiếp nhận (sinh trong {seconds:.1f} s); "
            f"gộp theo tháng: {filled['monthly_rows']:,} dòng ({filled['roll_up_seconds']:.1f} s)"
        )
        report["data"] = {**filled, "from": str(filled["from"]), "agencies": len(agencies)}

    rows = measure(options.repeat)
    report["pages"] = rows
    width = max(len(row["label"]) for row in rows)
    print(
        f"\n{'Kịch bản':<{width}}  {'truy vấn':>8}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}"
        f"  {'CPU+CSDL p50':>12}  {'p95':>7}"
    )
    for row in rows:
        print(
            f"{row['label']:<{width}}  {row['queries']:>8}  {row['p50']:7.1f}  {row['p95']:7.1f}  "
            f"{row['max']:7.1f}  {row['work_p50']:12.1f}  {row['work_p95']:7.1f}"
        )
    worst = max(row["p95"] for row in rows)
    verdict = "đạt" if worst < TARGET_P95_MS else "CHƯA ĐẠT"
    print(f"\np95 lớn nhất: {worst:.1f} ms — mục tiêu < {TARGET_P95_MS:.0f} ms: {verdict}")
    load_average = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"(tải máy trong lúc đo — load average: {load_average}; {os.cpu_count()} nhân)")
    if options.explain:
        plan = explain()
        report["plan"] = plan
        print("\n" + plan)
    if not options.no_rebuild:
        try:
            rebuild = time_rebuild_reads(options.lookup_url)
        except Exception as error:  # another benchmark's database, maybe of another schema
            rebuild = None
            print(f"\nKhông đo được thời gian tổng hợp trên {options.lookup_url}: {error}")
        report["rebuild_reads"] = rebuild
        if rebuild is None:
            print(f"\nBỏ qua đo thời gian tổng hợp: không có CSDL {options.lookup_url}.")
        else:
            database = rebuild[-1]
            print(
                f"\nĐọc và đếm để tổng hợp (không ghi) trên CSDL của bench/generate.py "
                f"({database['dossiers']:,} hồ sơ, {database['received']:,} đã tiếp nhận):"
            )
            for item in rebuild[:-1]:
                print(
                    f"  {item['label']:<28} {item['from']}…{item['to']}: "
                    f"{item['dossiers_read']:>8,} hồ sơ đọc, {item['rows']:>6,} dòng, "
                    f"{item['seconds']:6.1f} s"
                )
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "stats.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return 0 if worst < TARGET_P95_MS else 1


def _table_filled() -> bool:
    from dichvucong.stats.models import DailyAgencyStats

    return DailyAgencyStats.objects.exists()


if __name__ == "__main__":
    sys.exit(main())

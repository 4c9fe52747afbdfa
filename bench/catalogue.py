"""Catalogue benchmark: 2,000 procedures on PostgreSQL, p50/p95 of the list and search pages.

    make bench-catalogue            # or: .venv/bin/python bench/catalogue.py --help

Creates (or recreates) a PostgreSQL database, migrates it, loads the demo catalogue of Bình
Phước and enough generated procedures (realistic Vietnamese names, 40 agencies, their fields,
levels, components) to reach the requested number, then requests the pages in-process with
Django's test client and reports the server time per request: the whole Django stack
(middleware, view, queries, template) without the network and the WSGI server. The issue's
target is p95 < 20 ms on PostgreSQL. Not part of `make test`.
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from pg import prepare_database  # noqa: E402 - bench/ is the script's own folder

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dichvucong_bench_catalogue"
TARGET_P95_MS = 20.0

ACTIONS = [
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Gia hạn",
    "Điều chỉnh",
    "Thu hồi",
    "Đăng ký",
    "Xác nhận",
    "Thẩm định",
    "Phê duyệt",
    "Công nhận",
    "Chấm dứt hoạt động",
]
OBJECTS = [
    "giấy phép lao động cho người lao động nước ngoài",
    "giấy chứng nhận đủ điều kiện hoạt động huấn luyện an toàn, vệ sinh lao động",
    "giấy phép hoạt động dịch vụ việc làm",
    "giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp",
    "giấy phép kinh doanh vận tải bằng xe ô tô",
    "giấy phép xây dựng công trình",
    "giấy chứng nhận quyền sử dụng đất",
    "giấy phép hoạt động khám bệnh, chữa bệnh",
    "chứng chỉ hành nghề dược",
    "giấy chứng nhận đủ điều kiện an toàn thực phẩm",
    "giấy phép tổ chức lễ hội",
    "giấy phép khai thác khoáng sản",
    "giấy chứng nhận đăng ký hợp tác xã",
    "giấy phép hoạt động cơ sở trợ giúp xã hội",
    "quyết định công nhận trường đạt chuẩn quốc gia",
    "thẻ đi lại của doanh nhân APEC",
    "giấy phép hoạt động in",
    "giấy phép tổ chức hội nghị, hội thảo quốc tế",
    "giấy chứng nhận đăng ký đầu tư",
    "giấy phép môi trường",
]
QUALIFIERS = [
    "",
    "thuộc thẩm quyền cấp tỉnh",
    "đối với doanh nghiệp nhỏ và vừa",
    "trong khu công nghiệp",
    "cho cá nhân",
    "cho tổ chức nước ngoài",
    "do bị mất, hư hỏng",
    "khi thay đổi nội dung",
]
AGENCY_NAMES = [
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
    "Ban Dân tộc",
    "Ban Quản lý các khu công nghiệp",
    "Công an tỉnh",
    "Bảo hiểm xã hội tỉnh",
]
FIELD_NAMES = [
    "Cấp phép",
    "Đăng ký kinh doanh",
    "Quản lý chất lượng",
    "Thanh tra, kiểm tra",
    "Đầu tư",
    "Môi trường",
    "Đất đai",
    "Xây dựng",
    "Y tế dự phòng",
    "Dược phẩm",
    "Giáo dục",
    "Văn hóa",
]


def load(total: int, seed: int, *, agencies: int = 40) -> int:
    """Demo catalogue + generated agencies up to `agencies` (besides the province) and
    procedures up to `total`; returns the public count. Also bench/generate.py's catalogue."""
    from django.db import connection, transaction

    from dichvucong.catalog import services
    from dichvucong.catalog.demo import demo_agencies_load, demo_catalogue_load
    from dichvucong.catalog.models import Agency, AgencyLevel, Field, Procedure

    rng = random.Random(seed)
    demo_catalogue_load()
    province = next(a for a in demo_agencies_load().values() if a.level == AgencyLevel.PROVINCE)
    with transaction.atomic():
        wanted, agencies = agencies, list(Agency.objects.exclude(level=AgencyLevel.PROVINCE))
        for index, name in enumerate(AGENCY_NAMES[: max(0, wanted - len(agencies))]):
            agency, _ = Agency.objects.get_or_create(
                code=f"000.00.{60 + index:02d}.H10",
                defaults={"name": name, "level": AgencyLevel.DEPARTMENT, "parent": province},
            )
            agencies.append(agency)
        for index in range(wanted - len(agencies)):
            agency, _ = Agency.objects.get_or_create(
                code=f"{index + 1:03d}.01.00.H10",
                defaults={
                    "name": "Ủy ban nhân dân xã "
                    f"{rng.choice(['Tân', 'Minh', 'Phú', 'Lộc', 'Thanh'])} "
                    f"{rng.choice(['Hưng', 'Thành', 'Lợi', 'Hòa', 'Bình', 'Phước'])} {index + 1}",
                    "level": AgencyLevel.COMMUNE,
                    "parent": province,
                },
            )
            agencies.append(agency)
        fields: dict[int, list[Field]] = {}
        for agency in agencies:
            existing = list(Field.objects.filter(agency=agency))
            wanted = rng.randint(6, 10)
            for position, name in enumerate(FIELD_NAMES[: max(0, wanted - len(existing))]):
                if not any(f.name == name for f in existing):
                    existing.append(
                        services.field_create(agency=agency, name=name, position=position + 20)
                    )
            fields[agency.pk] = existing
        count = Procedure.objects.count()
        serial = 0
        while count < total:
            serial += 1
            agency = rng.choice(agencies)
            name = " ".join(
                part
                for part in (rng.choice(ACTIONS), rng.choice(OBJECTS), rng.choice(QUALIFIERS))
                if part
            )
            levels = rng.choice([(3,), (4,), (3, 4)])
            services.procedure_create(
                agency=agency,
                field=rng.choice(fields[agency.pk]),
                national_code=f"{rng.choice([1, 2, 3])}.{100000 + serial:06d}",
                content={
                    "name": name[0].upper() + name[1:],
                    "level_3": 3 in levels,
                    "level_4": 4 in levels,
                    "processing_days": rng.choice([0, 1, 3, 5, 7, 10, 15, 20, 30]),
                    "fee": rng.choice([0, 0, 50000, 100000, 200000, 600000]),
                    "requirements": "Theo quy định hiện hành.",
                    "legal_basis": "Luật số 01/2020/QH14\nNghị định số 02/2021/NĐ-CP",
                    "result": "Văn bản chấp thuận",
                    "steps": "1. Nộp hồ sơ.\n2. Tiếp nhận.\n3. Giải quyết.\n4. Trả kết quả.",
                },
                components=[
                    {"name": "Đơn đề nghị", "kind": "original"},
                    {"name": "Giấy tờ tùy thân", "kind": "certified_copy", "required": False},
                ],
                publish=True,
            )
            count += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Procedure.objects.exclude(current_version=None).count()


SCENARIOS: list[tuple[str, dict[str, str]]] = [
    ("Danh sách (trang 1)", {}),
    ("Danh sách (trang 40)", {"trang": "40"}),
    ("Lọc theo đơn vị", {"don_vi": "000.00.17.H10"}),
    ("Đơn vị + lĩnh vực + mức độ", {"don_vi": "000.00.17.H10", "linh_vuc": "", "muc_do": "4"}),
    ("Tìm: an toan ve sinh lao dong", {"tu_khoa": "an toan ve sinh lao dong"}),
    ("Tìm: giấy phép lao động", {"tu_khoa": "giấy phép lao động"}),
    ("Tìm: viết tắt ATVSLĐ", {"tu_khoa": "ATVSLĐ"}),
    ("Tìm: mã 1.000105", {"tu_khoa": "1.000105"}),
    ("Tìm: một phần từ 'cap lai giay'", {"tu_khoa": "cap lai giay"}),
    ("Tìm: + đơn vị + mức độ", {"tu_khoa": "giay phep", "don_vi": "000.00.17.H10", "muc_do": "3"}),
    ("Tìm: không có kết quả", {"tu_khoa": "khong co thu tuc nay"}),
]


def measure(repeat: int) -> list[dict]:
    """Wall time per request, and CPU time of this thread plus database time: on a busy
    machine the first includes waiting for a CPU, the second is what the request itself
    cost (the two agree on an idle machine)."""
    from django.db import connection
    from django.test import Client

    from dichvucong.catalog.models import Field

    db_time = [0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_time[0] += time.perf_counter() - start

    client = Client(HTTP_HOST="127.0.0.1")
    field = Field.objects.filter(agency__code="000.00.17.H10").order_by("position").first()
    rows = []
    for label, params in SCENARIOS:
        if "linh_vuc" in params:
            params = {**params, "linh_vuc": str(field.pk)}
        url = "/thu-tuc/" + ("?" + urlencode(params) if params else "")
        for _ in range(5):  # warm up caches and connections
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        wall, work = [], []
        with connection.execute_wrapper(timed):
            for _ in range(repeat):
                db_time[0] = 0.0
                cpu = time.thread_time()
                start = time.perf_counter()
                response = client.get(url)
                wall.append((time.perf_counter() - start) * 1000)
                work.append((time.thread_time() - cpu + db_time[0]) * 1000)
        content = response.content.decode()
        found = content.split("Tìm thấy ", 1)[1].split(" ", 1)[0] if "Tìm thấy " in content else "?"
        wall.sort()
        work.sort()
        rows.append(
            {
                "label": label,
                "url": url,
                "found": found,
                "p50": statistics.median(wall),
                "p95": wall[int(len(wall) * 0.95) - 1],
                "max": wall[-1],
                "work_p50": statistics.median(work),
                "work_p95": work[int(len(work) * 0.95) - 1],
            }
        )
    return rows


def profile(repeat: int, top: int) -> list[dict]:
    """Load-independent costs per request: CPU time of the process (`time.process_time`),
    database time, queries, and the number of Python function calls under cProfile (a
    separate run: the profiler slows the calls it counts). `top` > 0 prints the functions
    with the most own time over all scenarios."""
    from django.db import connection
    from django.test import Client

    from dichvucong.catalog.models import Field

    db = {"time": 0.0, "queries": 0}

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db["time"] += time.perf_counter() - start
            db["queries"] += 1

    client = Client(HTTP_HOST="127.0.0.1")
    field = Field.objects.filter(agency__code="000.00.17.H10").order_by("position").first()
    everything: pstats.Stats | None = None
    rows = []
    for label, params in SCENARIOS:
        if "linh_vuc" in params:
            params = {**params, "linh_vuc": str(field.pk)}
        url = "/thu-tuc/" + ("?" + urlencode(params) if params else "")
        for _ in range(5):
            client.get(url)
        cpu, db_ms = [], []
        with connection.execute_wrapper(timed):
            db["queries"] = 0
            for _ in range(repeat):
                db["time"] = 0.0
                start = time.process_time()
                client.get(url)
                cpu.append((time.process_time() - start) * 1000)
                db_ms.append(db["time"] * 1000)
            queries = db["queries"] / repeat
        profiler = cProfile.Profile()
        runs = max(repeat // 10, 5)
        for _ in range(runs):
            profiler.enable()
            client.get(url)
            profiler.disable()
        stats = pstats.Stats(profiler)
        everything = pstats.Stats(profiler) if everything is None else everything.add(profiler)
        rows.append(
            {
                "label": label,
                "cpu_p50": statistics.median(cpu),
                "cpu_min": min(cpu),
                "db_p50": statistics.median(db_ms),
                "queries": queries,
                "calls": stats.total_calls / runs,
            }
        )
    if top and everything is not None:
        everything.sort_stats("tottime").print_stats(top)
    return rows


def explain() -> str:
    """The plan of the search query, to see the trigram index at work."""
    from django.db import connection

    from dichvucong.catalog import selectors

    queryset = selectors.procedure_list(
        selectors.ProcedureFilters(query="an toan ve sinh lao dong")
    )[:20]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the database as it is (no recreate)"
    )
    parser.add_argument("--explain", action="store_true", help="print the search query plan")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also report CPU ms, database ms, queries and Python calls per request "
        "(independent of the machine's load)",
    )
    parser.add_argument(
        "--profile-top", type=int, default=0, help="with --profile: print the N costliest functions"
    )
    options = parser.parse_args()
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs on PostgreSQL (--database-url postgres://…)")

    prepare_database(options.database_url, recreate=not options.keep)
    os.environ["DATABASE_URL"] = options.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "dichvucong.config.settings.test"
    os.environ.setdefault("VAR_DIR", str(ROOT / "var" / "bench"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    count = load(options.procedures, options.seed)
    print(f"{count} thủ tục công khai (nạp trong {time.perf_counter() - start:.1f} s)")
    rows = measure(options.repeat)
    width = max(len(row["label"]) for row in rows)
    print(
        f"\n{'Kịch bản':<{width}}  {'kết quả':>7}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}"
        f"  {'CPU+CSDL p50':>12}  {'p95':>6}"
    )
    for row in rows:
        print(
            f"{row['label']:<{width}}  {row['found']:>7}  {row['p50']:7.2f}  "
            f"{row['p95']:7.2f}  {row['max']:7.2f}  {row['work_p50']:12.2f}  {row['work_p95']:6.2f}"
        )
    worst = max(row["p95"] for row in rows)
    worst_work = max(row["work_p95"] for row in rows)
    verdict = "đạt" if worst < TARGET_P95_MS else "CHƯA ĐẠT"
    print(f"\np95 lớn nhất: {worst:.2f} ms — mục tiêu < {TARGET_P95_MS:.0f} ms: {verdict}")
    print(f"p95 lớn nhất tính theo CPU của tiến trình + thời gian CSDL: {worst_work:.2f} ms")
    load_average = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"(tải máy trong lúc đo — load average: {load_average}; {os.cpu_count()} nhân)")
    if options.profile:
        rows = profile(options.repeat, options.profile_top)
        print(
            f"\n{'Kịch bản':<{width}}  {'CPU p50':>7}  {'CPU min':>7}  {'CSDL p50':>8}"
            f"  {'truy vấn':>8}  {'lệnh gọi Python':>15}"
        )
        for row in rows:
            print(
                f"{row['label']:<{width}}  {row['cpu_p50']:7.2f}  {row['cpu_min']:7.2f}  "
                f"{row['db_p50']:8.2f}  {row['queries']:8.1f}  {row['calls']:15,.0f}"
            )
        print("(ms mỗi yêu cầu; CPU = time.process_time của cả tiến trình)")
    if options.explain:
        print("\n" + explain())
    return 0 if worst < TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())

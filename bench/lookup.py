"""Lookup benchmark (issue 7, item 3): throughput and p50/p95/p99 of "Tra cứu hồ sơ" by code
over 1,000,000 dossiers, next to a bare Django view, plus what one lookup costs inside.

    make bench-lookup               # or: .venv/bin/python bench/lookup.py --help
    .venv/bin/python bench/lookup.py --reuse          # keep the generated database

The lookup scenarios of bench/load.py (which runs every page of issue 11) with the lookup's
own diagnostics:

1. Data: bench/generate.py's data set (1M dossiers, their events, 300,000 citizens, 2,000
   procedures) in `dichvucong_bench`, shared with bench/load.py; --reuse keeps it when its
   marker holds the same parameters.
2. In-process: the SQL one lookup runs, their plans (EXPLAIN ANALYZE, BUFFERS), and the CPU
   and wall time of the bare view, the empty lookup page and a lookup through Django's WSGI
   handler in this process; with --profile, cProfile of 300 lookups.
3. Server and load: gunicorn (2 × cores sync workers, bench/settings.py), 32 connections, a
   warm-up then a fixed duration each: /bench/bare; /bench/bare-query (the same plus one
   prepared `SELECT 1`: the ceiling of any page that asks the database anything); /tra-cuu/
   (empty page, same layout, no database); /tra-cuu/?ma= with codes drawn from the database
   (some in lower case, some with spaces), by wrk (or the Python client without it).
   --rounds times (3) in turn: each scenario's median round is reported, and the lookup/bare
   ratio is the median of the ratios within each round (this machine's speed drifts from one
   run to the next). The CPU time of every process per request, by kind (bench/cpu.py),
   shows where the time goes.
4. Report: requests/s, p50/p95/p99/max, errors, lookup/bare ratio, what the lookup log
   recorded; everything also in var/bench/lookup.json. Target: p99 < 50 ms at 32 connections
   and at least half the bare view's throughput; exit status 1 when it is missed.
"""

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT)]
import load  # noqa: E402
from generate import add_arguments, django_setup, ensure, params_of  # noqa: E402
from pg import prewarm  # noqa: E402
from server import free_port, start_server, stop_server  # noqa: E402

VAR = ROOT / "var" / "bench"
TARGET_P99_MS = 50.0
TARGET_RATIO = 0.5
# The scenarios measured on the server, in this order, with their names in the report.
SCENARIOS = {
    "bare": "Bare Django view",
    "bare_query": "Bare view + SELECT 1",
    "empty_page": "Trang tra cứu trống",
    "lookup": "Tra cứu theo mã",
}


# --- What one lookup costs inside the process -------------------------------------------------


def wsgi_caller():
    """Call Django's WSGI handler in this process: the whole stack (every middleware, view,
    queries, template) without the network and the WSGI server."""
    import io

    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()

    def call(path: str, query: str = "") -> tuple[int, bytes]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.9",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        statuses: list[str] = []
        response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        try:
            body = b"".join(response)
        finally:
            response.close()
        return int(statuses[0].split()[0]), body

    return call


def inspect_lookup(codes: list[str], repeat: int) -> dict:
    """Queries of one lookup and their plans; the CPU and wall time in this process of the
    bare view, of the empty lookup page and of a lookup by code, measured in turn (so that
    the machine's other work weighs on the three alike)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dichvucong.dossiers import lookup

    call = wsgi_caller()
    code = codes[0]
    status, body = call("/tra-cuu/", "ma=" + quote(code.lower()))
    assert status == 200, status
    assert code.encode() in body, "lookup did not find the dossier"
    with CaptureQueriesContext(connection) as captured:
        call("/tra-cuu/", "ma=" + quote(code))
    queries = [q["sql"] for q in captured.captured_queries]

    # The lookup's statement with its values (its log shows it with $1, $2: core.db)
    sql = connection.ops.compose_sql(lookup._by_code_sql(), [code, "draft"])
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plans.append({"sql": sql, "plan": "\n".join(row[0] for row in cursor.fetchall())})

    db_time = [0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_time[0] += time.perf_counter() - start

    kinds = {"bare": "/bench/bare", "empty_page": "/tra-cuu/", "lookup": "/tra-cuu/"}
    samples: dict[str, dict[str, list[float]]] = {
        kind: {"cpu": [], "wall": [], "db": []} for kind in kinds
    }
    rng = random.Random(7)
    # CPU and wall time with nothing watching the queries (a wrapper would send the lookup's
    # statement through Django's cursor instead of libpq: core.db.fetch_all), then the time
    # spent waiting for the database, measured by a wrapper, in a pass of its own.
    for number in range(repeat + 20):
        for kind, path in kinds.items():
            query = "ma=" + quote(rng.choice(codes)) if kind == "lookup" else ""
            cpu, wall = time.thread_time(), time.perf_counter()
            call(path, query)
            if number >= 20:  # the first ones warm up
                samples[kind]["cpu"].append((time.thread_time() - cpu) * 1000)
                samples[kind]["wall"].append((time.perf_counter() - wall) * 1000)
    with connection.execute_wrapper(timed):
        for _number in range(max(repeat // 4, 20)):
            for kind, path in kinds.items():
                query = "ma=" + quote(rng.choice(codes)) if kind == "lookup" else ""
                db_time[0] = 0.0
                call(path, query)
                samples[kind]["db"].append(db_time[0] * 1000)
    timings = {
        kind: {
            "cpu_p50_ms": round(statistics.median(values["cpu"]), 3),
            "wall_p50_ms": round(statistics.median(values["wall"]), 3),
            "db_wall_p50_ms": round(statistics.median(values["db"]), 3),
        }
        for kind, values in samples.items()
    }
    return {"queries": queries, "plans": plans, "in_process": timings}


def profile_lookups(codes: list[str], count: int) -> str:
    """cProfile (CPU time) of `count` lookups through the WSGI handler in this process."""
    import cProfile
    import io
    import pstats

    call = wsgi_caller()
    queries = ["ma=" + quote(random.choice(codes)) for _ in range(count)]
    for query in queries[:20]:
        call("/tra-cuu/", query)
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for query in queries:
        call("/tra-cuu/", query)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    return out.getvalue()


def lookup_log_check(dsn: str, since: float) -> dict:
    """What the server logged during the run: every lookup counted, and found."""
    import psycopg

    with psycopg.connect(dsn) as connection:
        total, found = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE found) FROM dossiers_lookuplog "
            "WHERE created_at >= to_timestamp(%s)",
            (since,),
        ).fetchone()
    return {"logged": total, "found": found}


def median_round(results: list[dict]) -> dict:
    """The round whose throughput is the median (its latencies and CPU figures with it)."""
    ordered = sorted(results, key=lambda r: r["rps"])
    return ordered[(len(ordered) - 1) // 2]


# --- Main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", load.DEFAULT_URL)
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--load-generator", choices=["auto", "python"], default="auto")
    parser.add_argument("--codes", type=int, default=20_000, help="distinct codes requested")
    parser.add_argument("--profile", action="store_true", help="cProfile 300 lookups in-process")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of the four scenarios, medians reported"
    )
    parser.add_argument("--output", default=str(VAR / "lookup.json"))
    add_arguments(parser)
    options = parser.parse_args()
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs on PostgreSQL (--database-url postgres://…)")

    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)  # the same in every worker
    os.environ["VAR_DIR"] = str(VAR)
    django_setup(options.database_url)
    from django.core.management import call_command
    from django.db import connections

    dsn = options.database_url
    data = ensure(dsn, params_of(options), reuse=options.reuse)
    call_command("collectstatic", interactive=False, verbosity=0)
    codes = [code for _id, code in load.sample_codes(dsn, options.codes, options.seed)]
    material = {
        "lookup": load.write_lines(
            "paths_lookup", load.lookup_paths([(0, code) for code in codes], options.seed)
        )
    }

    warmed = prewarm(dsn)
    print(
        f"\nĐọc trước dữ liệu tra cứu (pg_prewarm {warmed['mode']}): {warmed['mb']} MB, "
        f"{warmed['seconds']} s"
    )
    print("\nTrong tiến trình (WSGI handler của Django, không qua mạng), trung vị mỗi yêu cầu:")
    sample = random.Random(options.seed).sample(codes, min(len(codes), 2000))
    inspected = inspect_lookup(sample, repeat=300)
    print(f"  Một lượt tra cứu theo mã: {len(inspected['queries'])} câu SQL")
    for sql in inspected["queries"]:
        print(f"    - {sql[:150]}{'…' if len(sql) > 150 else ''}")
    cores = os.cpu_count() or 1
    for label, timing in inspected["in_process"].items():
        print(
            f"  {label:<10} CPU {timing['cpu_p50_ms']:6.2f} ms, thời gian thực "
            f"{timing['wall_p50_ms']:6.2f} ms (chờ CSDL {timing['db_wall_p50_ms']:5.2f} ms)"
            f" → trần {cores * 1000 / timing['cpu_p50_ms']:7.0f} yêu cầu/s trên {cores} nhân "
            "(chưa tính máy chủ WSGI, PostgreSQL, bộ tạo tải)"
        )
    print("\nEXPLAIN (ANALYZE, BUFFERS) của các câu SQL tra cứu theo mã:")
    for plan in inspected["plans"]:
        print(f"\n{plan['sql'][:200]}{'…' if len(plan['sql']) > 200 else ''}\n{plan['plan']}")
    profile = profile_lookups(codes, 300) if options.profile else None
    if profile:
        print("\ncProfile của 300 lượt tra cứu trong tiến trình:\n" + profile)
    connections.close_all()

    port = free_port()
    print(
        f"\ngunicorn: {options.workers} worker sync, 127.0.0.1:{port}; {options.connections} "
        f"kết nối, khởi động {options.warmup:g} s + đo {options.duration:g} s"
    )
    run_start = time.time()
    server = start_server(env=load.server_env(dsn), port=port, workers=options.workers)
    run = SimpleNamespace(
        connections=dict.fromkeys(SCENARIOS, options.connections),
        warmup=options.warmup,
        duration=options.duration,
        workers=options.workers,
        wrk_threads=options.wrk_threads,
        load_generator=options.load_generator,
    )
    rounds: list[dict] = []
    try:
        base = f"http://127.0.0.1:{port}"
        for number in range(options.rounds):
            if options.rounds > 1:
                print(f"  — lượt {number + 1}/{options.rounds}")
            rounds.append({name: load.run_http(name, base, material, run) for name in SCENARIOS})
            run.warmup = min(options.warmup, 1.0)  # the server is warm after the first round
    finally:
        stop_server(server)
    logged = lookup_log_check(dsn, run_start)

    # Each scenario's median round; the ratio paired within each round (the machine's speed
    # drifts between rounds, alike for the bare view and the lookup measured seconds apart).
    results = {name: median_round([r[name] for r in rounds]) for name in SCENARIOS}
    ratios = [r["lookup"]["rps"] / r["bare"]["rps"] for r in rounds if r["bare"]["rps"]]
    bare, found = results["bare"], results["lookup"]
    ratio = statistics.median(ratios) if ratios else 0.0
    p99_ok = found["latency_ms"]["p99"] < TARGET_P99_MS
    if len(rounds) > 1:
        print("\nTừng lượt (req/s bare · bare + SELECT 1 · trống · tra cứu; p99 tra cứu; tỉ lệ):")
        for number, r in enumerate(rounds, start=1):
            print(
                f"  {number}: {r['bare']['rps']:7.1f} · {r['bare_query']['rps']:7.1f} · "
                f"{r['empty_page']['rps']:7.1f} · "
                f"{r['lookup']['rps']:7.1f}; {r['lookup']['latency_ms']['p99']:6.2f} ms; "
                f"{r['lookup']['rps'] / r['bare']['rps']:.2f}"
            )
    ratio_ok = ratio >= TARGET_RATIO
    errors_ok = found["error_count"] == 0 and bare["error_count"] == 0
    print(
        f"\n{'':<22} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'lỗi':>6} {'số yêu cầu':>11}"
    )
    for label, title in SCENARIOS.items():
        r = results[label]
        lat = r["latency_ms"]
        print(
            f"{title:<22} {r['rps']:9.1f} {lat['p50']:8.2f} {lat['p95']:8.2f} {lat['p99']:8.2f} "
            f"{lat['max']:8.2f} {r['error_count']:6d} {r['requests']:11d}"
        )
    print("\nCPU mỗi yêu cầu theo tiến trình (ms; bench/cpu.py):")
    kinds = sorted({kind for r in results.values() for kind in r.get("cpu_ms_per_request", {})})
    kinds = [kind for kind in kinds if kind != "total"] + ["total"]
    print(f"{'':<22} " + " ".join(f"{kind:>9}" for kind in kinds))
    for label, title in SCENARIOS.items():
        shares = results[label].get("cpu_ms_per_request", {})
        print(f"{title:<22} " + " ".join(f"{shares.get(kind, 0):9.3f}" for kind in kinds))
    print(
        f"\nTỉ lệ thông lượng tra cứu / bare (trung vị của các lượt): {ratio:.2f} "
        f"(mục tiêu ≥ {TARGET_RATIO})"
    )
    print(
        "(tham khảo) tra cứu / trang tra cứu trống cùng bố cục: "
        f"{found['rps'] / results['empty_page']['rps']:.2f}; bare + SELECT 1 / bare (trần của "
        f"mọi trang hỏi CSDL): {results['bare_query']['rps'] / bare['rps']:.2f}"
    )
    print(f"p99 tra cứu: {found['latency_ms']['p99']:.2f} ms (mục tiêu < {TARGET_P99_MS:.0f} ms)")
    print(
        f"Nhật ký tra cứu trong lượt đo (cả khởi động): {logged['logged']} lượt, "
        f"{logged['found']} tìm thấy"
    )
    verdict = "ĐẠT" if p99_ok and ratio_ok and errors_ok else "CHƯA ĐẠT"
    print(
        f"Kết luận: {verdict} (p99 {'đạt' if p99_ok else 'chưa đạt'}, tỉ lệ "
        f"{'đạt' if ratio_ok else 'chưa đạt'}, lỗi {'không' if errors_ok else 'có'})"
    )
    load_average = [round(value, 2) for value in os.getloadavg()]
    print(f"(máy: {os.cpu_count()} nhân; load average sau lượt đo: {load_average})")

    report = {
        "benchmark": "lookup",
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "load_average_after": load_average},
        "server": {
            "gunicorn_workers": options.workers,
            "worker_class": "sync",
            "settings": "bench.settings (production profile)",
            "cache": "redis" if os.environ.get("REDIS_URL") else "locmem (per process)",
        },
        "load": {
            "connections": options.connections,
            "warmup_s": options.warmup,
            "duration_s": options.duration,
            "distinct_codes": len(codes),
            "generator": found["generator"],
        },
        "data": data,
        "results": results,
        "rounds": rounds,
        "ratio_lookup_to_bare": ratio,
        "ratios_by_round": ratios,
        "ratio_lookup_to_empty_page": found["rps"] / results["empty_page"]["rps"],
        "ratio_bare_query_to_bare": results["bare_query"]["rps"] / bare["rps"],
        "targets": {
            "p99_ms": TARGET_P99_MS,
            "ratio": TARGET_RATIO,
            "p99_met": p99_ok,
            "ratio_met": ratio_ok,
            "no_errors": errors_ok,
        },
        "lookup_log": logged,
        "queries_per_lookup": len(inspected["queries"]),
        "queries": inspected["queries"],
        "in_process_ms": inspected["in_process"],
        "explain": inspected["plans"],
    }
    Path(options.output).parent.mkdir(parents=True, exist_ok=True)
    Path(options.output).write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"Kết quả: {options.output}")
    return 0 if verdict == "ĐẠT" else 1


if __name__ == "__main__":
    sys.exit(main())

"""Load benchmarks at provincial scale (issue 11): every page of the issue over HTTP on
gunicorn, side by side with the ceilings of the same machine, in one run.

    make bench                                        # generate (or reuse) the data, run all
    .venv/bin/python bench/load.py --reuse            # keep the databases already generated
    .venv/bin/python bench/load.py --reuse --only lookup search --duration 10

1. Data: bench/generate.py's data set in `dichvucong_bench` (1,000,000 dossiers by default)
   and, for the flat-latency check, the same generator at 100,000 dossiers in
   `dichvucong_bench_100k` (both kept with --reuse when their marker holds the same
   parameters).
2. Server: gunicorn, 2 × cores sync workers, bench/settings.py (the production profile; only
   the per-client lookup limit is lifted: the load comes from one address).
3. Scenarios, each with a warm-up then a fixed duration at a stated concurrency:
   bare (/bench/bare: the Django stack answering "ok", the app's ceiling), lookup by code,
   catalogue search (keywords with and without diacritics), catalogue procedure page, login
   (POST with CSRF), submission (logged-in verified citizens: the level, then the declaration
   with 2 × 1 MB PDF attachments, then "Nộp hồ sơ"; one submission = three POSTs), the staff
   inbox (an officer whose session is logged in and OTP-verified, built server-side), the
   statistics page; the lookup again on the 100k database; `pgbench -S` (the database
   server's ceiling: pgbench's own tables in the scratch database `dichvucong_bench_pgbench`
   of the same server, `pgbench -i` never touches ours) and `pgbench -f` with the lookup's
   own SELECT on our data, prepared as the app prepares it.
   GET scenarios and the login are driven by wrk (a Lua script: random path or body per
   request, statuses checked); the submission by a Python asyncio client (each connection a
   citizen of its own, its session cookie and CSRF token).
4. Report: throughput, p50/p95/p99, errors (socket errors, timeouts, statuses other than
   expected) and the ratios to the bare view and to pgbench -S; written to
   var/bench/results.json and, as a markdown table with the command, date, machine and data
   size, into bench/README.md between its marker comments (--no-readme to skip).

The issue's targets are printed next to the numbers; they are not asserted (exit status 0
unless a scenario could not run at all).
"""

import argparse
import json
import os
import random
import re
import secrets
import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT)]
import cpu  # noqa: E402
import loadgen  # noqa: E402
from generate import PASSWORD, add_arguments, django_setup, ensure, params_of  # noqa: E402
from pg import prepare_database, prewarm  # noqa: E402
from server import drain, free_port, start_server, stop_server  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dichvucong_bench"
SMALL_URL = "postgres://postgres@127.0.0.1:5432/dichvucong_bench_100k"
PGBENCH_URL = "postgres://postgres@127.0.0.1:5432/dichvucong_bench_pgbench"
VAR = ROOT / "var" / "bench"
README = ROOT / "bench" / "README.md"
MARK_START, MARK_END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
CSRF = "Bench0Csrf0Secret0For0The0Load00"  # 32 letters and digits: a valid CSRF secret

# (name, title, connections, target text, target check on the result)
SCENARIOS = {
    "bare": ("Bare Django view /bench/bare", 32),
    "lookup": ("Tra cứu theo mã (1M)", 32),
    "empty_page": ("Trang tra cứu trống (tham khảo)", 32),
    "bare_query": ("Bare view + SELECT 1 (tham khảo)", 32),
    "search": ("Tìm thủ tục (có dấu / không dấu)", 32),
    "procedure": ("Trang thủ tục", 32),
    "login": ("Đăng nhập (POST, CSRF)", 8),
    "submission": ("Nộp hồ sơ, 2 × 1 MB (3 POST)", 16),
    "inbox": ("Hộp hồ sơ cán bộ (2FA)", 8),
    "stats": ("Trang thống kê", 8),
    "lookup_100k": ("Tra cứu theo mã (100k)", 32),
    "pgbench_select": ("pgbench -S (bảng pgbench)", 32),
    "pgbench_lookup": ("pgbench -f: SELECT của tra cứu", 32),
}
KEYWORDS = [
    "giấy phép lao động",
    "giay phep lao dong",
    "cấp lại giấy chứng nhận",
    "cap lai giay chung nhan",
    "an toàn thực phẩm",
    "an toan thuc pham",
    "an toan ve sinh lao dong",
    "xây dựng công trình",
    "xay dung",
    "ATVSLĐ",
    "hộ tịch",
    "giấy phép môi trường",
    "gia han",
    "khong co thu tuc nay",
]


# The latency targets: (scenario, percentile, limit in ms, as the issue says it).
LATENCY_TARGETS = [
    ("lookup", "p99", 50, "p99 < 50 ms ở 32 kết nối"),
    ("search", "p95", 20, "p95 < 20 ms"),
    ("submission", "p99", 2000, "p99 < 2 s"),
    ("inbox", "p95", 150, "p95 < 150 ms"),
    ("stats", "p99", 1000, "< 1 s (p99)"),
]


def targets(results: dict) -> list[tuple[str, str, str, bool]]:
    """(scenario, the issue's target, measured, met) for the report."""
    rows = []
    for name, percentile, limit, text in LATENCY_TARGETS:
        if results.get(name):
            value = results[name]["latency_ms"][percentile]
            rows.append((name, text, f"{percentile} {value:.1f} ms", value < limit))
    bare = results.get("bare", {}).get("rps")
    lookup, small = results.get("lookup"), results.get("lookup_100k")
    if lookup and bare:
        ratio = lookup["rps"] / bare
        rows.append(("lookup", "≥ 0,5 × bare", f"{ratio:.2f} × bare", ratio >= 0.5))
    if results.get("submission"):
        rps = results["submission"]["rps"]
        rows.append(("submission", "≥ 30 hồ sơ/s", f"{rps:.1f}/s", rps >= 30))
    errors = sum(r.get("error_count", 0) for r in results.values())
    rows.append(("*", "0 lỗi", f"{errors} lỗi", errors == 0))
    if lookup and small:
        change = lookup["latency_ms"]["p50"] / small["latency_ms"]["p50"] - 1
        rows.append(
            ("lookup 100k → 1M", "p50 phẳng (±20 %)", f"{change:+.0%} (p50)", abs(change) <= 0.2)
        )
    return rows


# --- What the scenarios request -------------------------------------------------------------


def vary(code: str, rng: random.Random) -> str:
    """A code as people type it: some in lower case, some with spaces around or inside."""
    r = rng.random()
    if r < 0.2:
        return code.lower()
    if r < 0.3:
        return f"  {code} "
    if r < 0.35:
        return code.replace("-", " - ")
    return code


def sample_codes(dsn: str, count: int, seed: int) -> list[tuple[int, str]]:
    """(id, code) of `count` dossiers drawn evenly over the table."""
    import psycopg

    with psycopg.connect(dsn) as connection:
        low, high = connection.execute(
            "SELECT min(id), max(id) FROM dossiers_dossier WHERE status <> 'draft'"
        ).fetchone()
        rng = random.Random(seed)
        ids = [rng.randint(low, high) for _ in range(count)]
        return connection.execute(
            "SELECT id, code FROM dossiers_dossier WHERE id = ANY(%s) AND status <> 'draft' "
            "ORDER BY id",
            (ids,),
        ).fetchall()


def lookup_paths(codes: list[tuple[int, str]], seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"/tra-cuu/?ma={quote(vary(code, rng))}" for _id, code in codes]


def write_lines(name: str, lines: list[str]) -> Path:
    path = VAR / f"{name}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pdf_bytes(size: int, seed: int) -> bytes:
    """A plain PDF of about `size` bytes (one page, an uncompressed stream of text lines):
    recognised as application/pdf by its bytes, no active content."""
    rng = random.Random(seed)
    lines = []
    total = 0
    while total < size - 400:
        line = f"BT /F1 9 Tf 20 {rng.randint(20, 800)} Td ({rng.getrandbits(300):x}) Tj ET\n"
        lines.append(line)
        total += len(line)
    stream = "".join(lines).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def materials(dsn: str, state: dict, options) -> dict:
    """Everything the scenarios request, read from (or, for sessions, written to) the data."""
    from django.conf import settings
    from django.db import connection
    from generate import OFFICER
    from staff import officer_create, session_create

    from dichvucong.accounts.models import User
    from dichvucong.catalog.models import Procedure
    from dichvucong.stats.constants import RebuildTrigger
    from dichvucong.stats.services import stats_rebuild_recent

    rng = random.Random(options.seed)
    codes = sample_codes(dsn, options.codes, options.seed)
    procedures = list(
        Procedure.objects.filter(is_published=True).order_by("id").values_list("id", flat=True)
    )
    usernames = list(
        User.objects.filter(kind="citizen")
        .order_by("id")
        .values_list("username", flat=True)[:: max(1, state["counts"]["applicants"] // 2000)]
    )
    # The submission: level-4 citizen procedures without a declaration form whose required
    # components fit in the two files, the first of each agency (submissions spread over
    # agencies, as in a province); one citizen per connection.
    targets_by_agency: dict[int, dict] = {}
    for candidate in (
        Procedure.objects.filter(
            is_published=True,
            current_version__level_4=True,
            current_version__for_citizen=True,
            current_version__form_schema__isnull=True,
        )
        .order_by("id")
        .select_related("current_version")
        .prefetch_related("current_version__components")
    ):
        components = sorted(candidate.current_version.components.all(), key=lambda c: c.position)
        required = {c.pk for c in components if c.required}
        if len(components) >= 2 and required <= {c.pk for c in components[:2]}:
            targets_by_agency.setdefault(
                candidate.agency_id,
                {"procedure": candidate.pk, "components": [c.pk for c in components[:2]]},
            )
    submission_targets = list(targets_by_agency.values())[: options.submission_agencies]
    citizens = User.objects.filter(kind="citizen").order_by("-id")[: options.submitters]
    submitters = [
        (session_create(user), submission_targets[index % len(submission_targets)])
        for index, user in enumerate(citizens)
    ]
    officer = User.objects.get(username=OFFICER)
    _user, device = officer_create(
        username=OFFICER, agency=officer.agency, roles=(), full_name=officer.full_name
    )
    inbox_session = session_create(officer, device)
    # Fresh figures, as the beat keeps them: the page must not rebuild them itself.
    rebuilt = stats_rebuild_recent(days_back=1, trigger=RebuildTrigger.COMMAND)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_codes")
        cursor.execute("CREATE TABLE bench_codes (n int PRIMARY KEY, id bigint, code text)")
        cursor.execute(
            "INSERT INTO bench_codes SELECT row_number() OVER (ORDER BY id), id, code "
            "FROM dossiers_dossier WHERE id = ANY(%s)",
            ([dossier_id for dossier_id, _code in codes],),
        )
    return {
        "codes": codes,
        "lookup": write_lines("paths_lookup", lookup_paths(codes, options.seed)),
        "search": write_lines(
            "paths_search", [f"/thu-tuc/?{urlencode({'tu_khoa': word})}" for word in KEYWORDS]
        ),
        "procedure": write_lines("paths_procedure", [f"/thu-tuc/{pk}/" for pk in procedures]),
        "login": write_lines(
            "bodies_login",
            [
                urlencode({"csrfmiddlewaretoken": CSRF, "username": name, "password": PASSWORD})
                for name in usernames
            ],
        ),
        "inbox": write_lines(
            "paths_inbox",
            ["/can-bo/", "/can-bo/?trang=2", "/can-bo/?han=overdue", "/can-bo/?sap_xep=submitted"],
        ),
        "stats": write_lines("paths_stats", ["/thong-ke/"]),
        "inbox_session": inbox_session,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "submission": {
            "agencies": len(submission_targets),
            "sessions": submitters,
            "files": [pdf_bytes(1_000_000, 1), pdf_bytes(1_000_000, 2)],
        },
        "stats_refresh": {"days": rebuilt.days, "seconds": round(rebuilt.seconds, 1)},
        "rng": rng,
    }


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def submission_journey(host: str, plan: dict, cookies: tuple[str, str]):
    """One submission: POST the level (302 to the declaration), POST the declaration with the
    two files and "Nộp hồ sơ" (302 to the review), POST the review (302 to the receipt)."""
    session_cookie, csrf_cookie = cookies
    location = re.compile(rb"(?i)\r\nlocation:\s*(\S+)")

    async def journey(connection, context: tuple[str, dict], rng: random.Random) -> int:
        session, target = context
        cookie = f"{session_cookie}={session}; {csrf_cookie}={CSRF}"
        form = "application/x-www-form-urlencoded"

        async def post(target: str, body: bytes, content_type: str, expect: str) -> str:
            status, head, _body = await connection.request(
                loadgen.request_bytes(
                    "POST",
                    target,
                    host,
                    headers={"Cookie": cookie, "Content-Type": content_type},
                    body=body,
                )
            )
            found = location.search(head)
            if status != 302 or not found or expect not in found.group(1).decode():
                raise loadgen.UnexpectedStatus(status)
            return found.group(1).decode()

        body = urlencode(
            {"csrfmiddlewaretoken": CSRF, "level": "4", "start_token": str(uuid.uuid4())}
        ).encode()
        edit = await post(f"/ho-so/nop/{target['procedure']}/", body, form, "/to-khai/")
        edit = urlparse(edit).path
        files = [
            (f"tp-{component}", f"giay-to-{index}.pdf", content)
            for index, (component, content) in enumerate(
                zip(target["components"], plan["files"], strict=False), 1
            )
        ]
        body, content_type = multipart([("csrfmiddlewaretoken", CSRF), ("action", "submit")], files)
        review = urlparse(await post(edit, body, content_type, "/xem-lai/")).path
        body = urlencode({"csrfmiddlewaretoken": CSRF}).encode()
        await post(review, body, form, "/da-nop/")
        return 3

    return journey


# --- Running ---------------------------------------------------------------------------------


def spec_for(name: str, base: str, material: dict) -> dict:
    """What wrk requests in scenario `name` (url, lines file, method, expected, headers)."""
    if name == "bare":
        return {"url": f"{base}/bench/bare"}
    if name == "empty_page":
        return {"url": f"{base}/tra-cuu/"}
    if name == "bare_query":
        return {"url": f"{base}/bench/bare-query"}
    if name in ("lookup", "lookup_100k", "search", "procedure", "stats"):
        return {"url": base, "lines": material[name.removesuffix("_100k")]}
    if name == "inbox":
        cookie = f"Cookie: {material['session_cookie']}={material['inbox_session']}"
        return {"url": base, "lines": material["inbox"], "headers": [cookie]}
    if name == "login":
        return {
            "url": f"{base}/tai-khoan/dang-nhap/",
            "lines": material["login"],
            "method": "POST",
            "expected": "302",
            "headers": [
                f"Cookie: {material['csrf_cookie']}={CSRF}",
                "Content-Type: application/x-www-form-urlencoded",
            ],
        }
    raise ValueError(name)


def run_http(name: str, base: str, material: dict, options) -> dict:
    """Warm-up then measurement of one scenario, after the server drained the previous one."""
    connections = options.connections.get(name, SCENARIOS[name][1])
    result = None
    for phase, seconds in (("khởi động", options.warmup), ("đo", options.duration)):
        drain(urlparse(base).port, options.workers)
        print(f"  {name}: {phase} {seconds:g} s, {connections} kết nối …", flush=True)
        before = cpu.snapshot()
        if name == "submission":
            plan = material["submission"]
            cookies = (material["session_cookie"], material["csrf_cookie"])
            result = loadgen.run_python(
                base,
                connections=connections,
                seconds=seconds,
                journey=submission_journey(urlparse(base).netloc, plan, cookies),
                contexts=plan["sessions"],
            )
        elif loadgen.have_wrk() and options.load_generator != "python":
            result = loadgen.run_wrk(
                connections=connections,
                seconds=seconds,
                threads=options.wrk_threads,
                **spec_for(name, base, material),
            )
        else:
            spec = spec_for(name, base, material)
            result = _python_get(base, spec, connections, seconds)
    result["connections"] = connections
    result["cpu_ms_per_request"] = cpu.per_request(before, cpu.snapshot(), result["requests"])
    return result


def _python_get(base: str, spec: dict, connections: int, seconds: float) -> dict:
    """The wrk scenarios with the Python client (slower; it shares the CPUs with the server)."""
    host = urlparse(base).netloc
    headers = dict(h.split(": ", 1) for h in spec.get("headers", []))
    if spec.get("method") == "POST":
        bodies = spec["lines"].read_text().split()
        target = urlparse(spec["url"]).path

        async def journey(connection, _context, rng):
            status, _h, _b = await connection.request(
                loadgen.request_bytes(
                    "POST", target, host, headers=headers, body=rng.choice(bodies).encode()
                )
            )
            if status != int(spec["expected"]):
                raise loadgen.UnexpectedStatus(status)
            return 1
    else:
        paths = (
            spec["lines"].read_text().split() if spec.get("lines") else [urlparse(spec["url"]).path]
        )
        journey = loadgen.get_journey(paths, host, headers=headers)
    return loadgen.run_python(base, connections=connections, seconds=seconds, journey=journey)


def pgbench(args: list[str], dsn: str, seconds: float, label: str) -> dict:
    """pgbench for `seconds` with per-transaction logs: tps and latency percentiles."""
    logs = VAR / "pgbench"
    logs.mkdir(parents=True, exist_ok=True)
    for old in logs.glob(f"{label}*"):
        old.unlink()
    parsed = urlparse(dsn)
    command = ["pgbench", "-h", parsed.hostname, "-p", str(parsed.port or 5432)]
    command += ["-U", parsed.username or "postgres", "-n", "-T", str(max(1, round(seconds)))]
    command += ["-l", "--log-prefix", str(logs / label), *args, parsed.path.lstrip("/")]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    tps = float(re.search(r"tps = ([\d.]+)", output).group(1))
    latencies = []
    failed = 0
    for path in logs.glob(f"{label}*"):
        for line in path.read_text().splitlines():
            fields = line.split()
            if len(fields) >= 3 and fields[2].isdigit():
                latencies.append(int(fields[2]) / 1000)
            elif len(fields) >= 3:
                failed += 1
    failed_match = re.search(r"number of failed transactions: (\d+)", output)
    errors = {"failed": int(failed_match.group(1)) if failed_match else failed}
    result = loadgen.summarise(latencies, requests=len(latencies), seconds=seconds, errors=errors)
    result["rps"] = tps
    result["generator"] = "pgbench"
    result["command"] = shlex.join(command)
    return result


def pgbench_scenarios(dsn: str, options) -> dict:
    """pgbench -S in the scratch database (initialised once, scale --pgbench-scale), then the
    lookup's two SELECTs on our data (bench_codes: the sampled codes, by number)."""
    import psycopg

    connections = options.connections.get("pgbench_select", 32)
    threads = str(min(connections, os.cpu_count() or 1))
    prepare_database(PGBENCH_URL, recreate=False)
    with psycopg.connect(PGBENCH_URL) as connection:
        ready = connection.execute("SELECT to_regclass('pgbench_accounts')").fetchone()[0]
    if not ready:
        parsed = urlparse(PGBENCH_URL)
        subprocess.run(
            [
                "pgbench",
                "-h",
                parsed.hostname,
                "-U",
                "postgres",
                "-i",
                "-q",
                "-s",
                str(options.pgbench_scale),
                parsed.path.lstrip("/"),
            ],
            check=True,
            capture_output=True,
        )
    results = {}
    select = ["-S", "-c", str(connections), "-j", threads]
    print(f"  pgbench_select: khởi động {options.warmup:g} s + đo {options.duration:g} s …")
    pgbench(select, PGBENCH_URL, options.warmup, "warmup")
    results["pgbench_select"] = pgbench(select, PGBENCH_URL, options.duration, "select")
    script = VAR / "pgbench_lookup.sql"
    script.write_text(lookup_script(dsn))
    with psycopg.connect(dsn) as connection:
        count = connection.execute("SELECT count(*) FROM bench_codes").fetchone()[0]
    custom = ["-f", str(script), "-M", "prepared", "-D", f"codes={count}"]
    custom += ["-c", str(connections), "-j", threads]
    print(f"  pgbench_lookup: khởi động {options.warmup:g} s + đo {options.duration:g} s …")
    pgbench(custom, dsn, options.warmup, "warmup")
    results["pgbench_lookup"] = pgbench(custom, dsn, options.duration, "lookup")
    for result in results.values():
        result["connections"] = connections
    return results


def lookup_script(dsn: str) -> str:
    """The SQL the lookup page runs for one code (dossiers.lookup's statement), the code read
    from bench_codes by a random number. Run with -M prepared, as the app prepares it (core.db)."""
    from dichvucong.dossiers import lookup

    sql = lookup._by_code_sql() % ("(SELECT code FROM bench_codes WHERE n = :n)", "'draft'")
    return "\\set n random(1, :codes)\n" + sql + ";\n"


def server_env(dsn: str) -> dict:
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": dsn})
    return env


def run_on_server(dsn: str, names: list[str], material: dict, options) -> dict:
    port = free_port()
    process = start_server(env=server_env(dsn), port=port, workers=options.workers)
    try:
        return {
            name: run_http(name, f"http://127.0.0.1:{port}", material, options) for name in names
        }
    finally:
        stop_server(process)


def small_database(options) -> dict:
    """The 100k data set (a subprocess of the generator, --reuse) and its lookup paths."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "generate.py"),
        "--database-url",
        options.small_database_url,
        "--dossiers",
        str(options.small_dossiers),
        "--applicants",
        str(max(1000, options.applicants * options.small_dossiers // max(1, options.dossiers))),
        "--reuse",
        "--no-stats",
    ]
    for key in ("procedures", "agencies", "days", "seed"):
        command += [f"--{key}", str(getattr(options, key))]
    if not options.reuse:
        command.remove("--reuse")
    subprocess.run(command, check=True)
    codes = sample_codes(options.small_database_url, options.codes, options.seed)
    return {"lookup": write_lines("paths_lookup_100k", lookup_paths(codes, options.seed))}


# --- Report ----------------------------------------------------------------------------------


def markdown(report: dict) -> str:
    results = report["results"]
    bare = results.get("bare", {}).get("rps")
    ceiling = results.get("pgbench_select", {}).get("rps")
    machine, load = report["machine"], report["load"]
    header = "| Kịch bản | Kết nối | Thông lượng /s | p50 ms | p95 ms | p99 ms | Lỗi "
    lines = [
        f"Đo lúc {report['at']}, lệnh: `{report['command']}`",
        "",
        f"Máy: {machine['cpus']} nhân; load average trước khi đo {machine['load_average_before']}"
        f", sau {machine['load_average_after']}; gunicorn {report['server']['workers']} worker "
        f"sync; mỗi kịch bản khởi động {load['warmup_s']:g} s rồi đo {load['duration_s']:g} s.",
        f"Dữ liệu: {report['data']['summary']}.",
        "",
        header + "| × bare | × pgbench -S |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, (title, _c) in SCENARIOS.items():
        r = results.get(name)
        if not r:
            continue
        lat = r["latency_ms"]
        to_bare = f"{r['rps'] / bare:.2f}" if bare else "–"
        to_pg = f"{r['rps'] / ceiling:.3f}" if ceiling else "–"
        lines.append(
            f"| {title} | {r['connections']} | {r['rps']:.1f} | {lat['p50']:.1f} | "
            f"{lat['p95']:.1f} | {lat['p99']:.1f} | {r['error_count']} | {to_bare} | {to_pg} |"
        )
    lines += ["", "| Mục tiêu (issue 11) | Đo được | Đạt |", "| --- | --- | --- |"]
    for scenario, target, measured, met in report["targets"]:
        lines.append(f"| {scenario}: {target} | {measured} | {'có' if met else 'KHÔNG'} |")
    return "\n".join(lines)


def number(value: int) -> str:
    """1 000 000: thousands apart with a space, as Vietnamese text writes them."""
    return f"{value:,}".replace(",", " ")


def write_readme(text: str) -> None:
    content = README.read_text(encoding="utf-8")
    start, end = content.index(MARK_START) + len(MARK_START), content.index(MARK_END)
    README.write_text(content[:start] + "\n" + text + "\n" + content[end:], encoding="utf-8")


def print_table(results: dict) -> None:
    bare = results.get("bare", {}).get("rps") or 0
    ceiling = results.get("pgbench_select", {}).get("rps") or 0
    print(
        f"\n{'':<34} {'kết nối':>7} {'/s':>9} {'p50':>7} {'p95':>7} {'p99':>7} {'lỗi':>5}"
        f" {'×bare':>6} {'×pgb':>6}"
    )
    for name, (title, _c) in SCENARIOS.items():
        r = results.get(name)
        if r:
            lat = r["latency_ms"]
            print(
                f"{title:<34} {r['connections']:>7} {r['rps']:9.1f} {lat['p50']:7.1f} "
                f"{lat['p95']:7.1f} {lat['p99']:7.1f} {r['error_count']:5d} "
                f"{r['rps'] / bare if bare else 0:6.2f} {r['rps'] / ceiling if ceiling else 0:6.3f}"
            )


def parse_connections(values: list[str]) -> dict[str, int]:
    result = {}
    for value in values:
        name, _, number = value.partition("=")
        if name not in SCENARIOS or not number.isdigit():
            raise SystemExit(f"--connections {value}: expected <scenario>=<number>")
        result[name] = int(number)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--small-database-url", default=SMALL_URL)
    parser.add_argument("--small-dossiers", type=int, default=100_000)
    parser.add_argument("--only", nargs="+", choices=list(SCENARIOS), help="these scenarios")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--load-generator", choices=["auto", "python"], default="auto")
    parser.add_argument("--connections", nargs="*", default=[], help="scenario=N …")
    parser.add_argument("--codes", type=int, default=20_000, help="distinct codes looked up")
    parser.add_argument("--submitters", type=int, default=64, help="citizens submitting")
    parser.add_argument(
        "--submission-agencies", type=int, default=8, help="agencies the submissions go to"
    )
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument("--no-readme", action="store_true", help="leave bench/README.md alone")
    parser.add_argument("--output", default=str(VAR / "results.json"))
    add_arguments(parser)
    options = parser.parse_args()
    options.connections = parse_connections(options.connections)
    names = options.only or [n for n in SCENARIOS if n not in ("empty_page", "bare_query")]
    load_before = [round(value, 2) for value in os.getloadavg()]
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)  # the same in every worker
    os.environ["VAR_DIR"] = str(VAR)
    django_setup(options.database_url)
    from django.core.management import call_command
    from django.db import connections

    state = ensure(options.database_url, params_of(options), reuse=options.reuse)
    call_command("collectstatic", interactive=False, verbosity=0)
    material = materials(options.database_url, state, options)
    results: dict[str, dict] = {}
    http = [n for n in names if n not in ("lookup_100k", "pgbench_select", "pgbench_lookup")]
    connections.close_all()
    warmed = prewarm(options.database_url)
    print(
        f"\nĐọc trước dữ liệu tra cứu (pg_prewarm {warmed['mode']}): {warmed['mb']} MB, "
        f"{warmed['seconds']} s"
    )
    print(f"\ngunicorn {options.workers} worker trên {urlparse(options.database_url).path[1:]}:")
    results.update(run_on_server(options.database_url, http, material, options))
    if any(n.startswith("pgbench") for n in names):
        results.update(pgbench_scenarios(options.database_url, options))
    small = None
    if "lookup_100k" in names:
        connections.close_all()
        small = small_database(options)
        prewarm(options.small_database_url)
        print(f"\ngunicorn trên {urlparse(options.small_database_url).path[1:]}:")
        results.update(
            run_on_server(
                options.small_database_url,
                ["lookup_100k"],
                {**material, **small, "lookup": small["lookup"]},
                options,
            )
        )
    load_after = [round(value, 2) for value in os.getloadavg()]
    counts = state["counts"]
    rebuild = state.get("phases", {}).get("statistics rebuild", 0)
    report = {
        "at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "command": shlex.join(["python", "bench/load.py", *sys.argv[1:]]),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": load_after,
        },
        "server": {"workers": options.workers, "settings": "bench.settings (production profile)"},
        "load": {"warmup_s": options.warmup, "duration_s": options.duration},
        "data": {
            "summary": (
                f"{number(counts['dossiers_dossier'])} hồ sơ, "
                f"{number(counts['dossiers_dossierevent'])} diễn biến, "
                f"{number(counts['applicants'])} công dân, {number(counts['catalog_procedure'])}"
                f" thủ tục, {counts['catalog_agency']} đơn vị; nạp trong "
                f"{state.get('load_seconds', 0):.0f} s, thêm {rebuild:.0f} s tính lại số liệu"
                " thống kê"
            ),
            "state": state,
            "small": {"database": options.small_database_url, "dossiers": options.small_dossiers}
            if small
            else None,
            "stats_refresh": material["stats_refresh"],
        },
        "results": results,
        "targets": targets(results),
    }
    print_table(results)
    print("\nMục tiêu của issue 11:")
    for scenario, target, measured, met in report["targets"]:
        print(f"  {scenario:<18} {target:<28} {measured:<22} {'đạt' if met else 'CHƯA ĐẠT'}")
    Path(options.output).write_text(
        json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    print(f"Kết quả: {options.output}")
    if not options.no_readme:
        write_readme(markdown(report))
        print(f"Bảng: {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

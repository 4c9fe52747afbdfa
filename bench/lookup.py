"""Lookup benchmark: 1M dossiers on PostgreSQL, throughput and p50/p95/p99 of "Tra cứu hồ sơ".

    make bench-lookup               # or: .venv/bin/python bench/lookup.py --help
    .venv/bin/python bench/lookup.py --reuse          # keep the generated database

Issue 7, item 3: lookups by code (/tra-cuu/?ma=<code>) against a database of 1,000,000
submitted dossiers, measured over HTTP on a real multi-process server (gunicorn, production
profile: bench/settings.py) next to a bare Django view (/bench/bare, same server, same
middleware, same run). Target: p99 < 50 ms at 32 connections, and a lookup throughput of at
least half the bare view's.

1. Data: creates (or recreates) the database `dichvucong_bench_lookup`, migrates it, loads the
   demo catalogue, then generates citizens (one precomputed password hash for all) and
   dossiers with realistic codes `<agency code>-<yymmdd>-<NNNN>`, statuses across the
   workflow and their timeline events, all in SQL (INSERT … SELECT generate_series, secondary
   indexes and foreign keys dropped during the load and rebuilt after, the foreign keys
   validated). With --reuse a database that already holds the same generated data is kept.
2. Server: gunicorn, 2 × cores sync workers by default, on a free port of 127.0.0.1.
3. Load: wrk (Debian package `wrk`; `make bench-lookup` installs it when it can), 32
   connections, a warm-up then a fixed duration, in turn: /bench/bare; the empty lookup page
   /tra-cuu/ (same layout, no database: for reference, it separates the page's cost from the
   lookup's); /tra-cuu/?ma= with codes drawn from the database (some in lower case, some with
   spaces). Without wrk, a Python asyncio client in its own process does the same (slower,
   and it takes CPU from the server: compare runs made with the same generator only).
4. Report: requests/s, p50/p95/p99/max, errors, lookup/bare ratio; the queries one lookup
   makes and their plans (EXPLAIN ANALYZE); the in-process cost of one request of each kind;
   everything also in var/bench/lookup.json. Exit status 1 when a target is missed.
"""

import argparse
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dichvucong_bench_lookup"
VAR = ROOT / "var" / "bench"
TARGET_P99_MS = 50.0
TARGET_RATIO = 0.5
PASSWORD = "Bench-Password-2026"  # noqa: S105 (hashed once; the generated citizens share it)

# Status mix of the generated dossiers (percent) and the transitions that lead to each.
STATUS_MIX = [
    ("submitted", 25),
    ("supplement_requested", 5),
    ("refused", 3),
    ("withdrawn", 2),
    ("received", 15),
    ("processing", 20),
    ("awaiting_approval", 5),
    ("resolved", 5),
    ("not_resolved", 2),
    ("returned", 18),
]
_SUBMIT = ("submit", "draft", "submitted", "applicant")
_RECEIVE = ("receive", "submitted", "received", "reception")
_START = ("start_processing", "received", "processing", "handler")
_PROPOSE = ("propose", "processing", "awaiting_approval", "handler")
PATHS: dict[str, list[tuple[str, str, str, str]]] = {
    "submitted": [_SUBMIT],
    "supplement_requested": [
        _SUBMIT,
        ("request_supplement", "submitted", "supplement_requested", "reception"),
    ],
    "refused": [_SUBMIT, ("refuse", "submitted", "refused", "reception")],
    "withdrawn": [_SUBMIT, ("withdraw", "submitted", "withdrawn", "applicant")],
    "received": [_SUBMIT, _RECEIVE],
    "processing": [_SUBMIT, _RECEIVE, _START],
    "awaiting_approval": [_SUBMIT, _RECEIVE, _START, _PROPOSE],
    "resolved": [
        _SUBMIT,
        _RECEIVE,
        _START,
        _PROPOSE,
        ("approve", "awaiting_approval", "resolved", "leader"),
    ],
    "not_resolved": [
        _SUBMIT,
        _RECEIVE,
        _START,
        _PROPOSE,
        ("decline", "awaiting_approval", "not_resolved", "leader"),
    ],
    "returned": [
        _SUBMIT,
        _RECEIVE,
        _START,
        _PROPOSE,
        ("approve", "awaiting_approval", "resolved", "leader"),
        ("return_result", "resolved", "returned", "reception"),
    ],
}
INTERNAL_NOTES = {
    "request_supplement": "Bổ sung bản sao chứng thực giấy tờ tùy thân.",
    "refuse": "Thủ tục không thuộc thẩm quyền giải quyết của đơn vị.",
    "decline": "Không đủ điều kiện theo quy định.",
}

FAMILY = ["Nguyễn"] * 8 + [
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân"]
MIDDLE_FEMALE = ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Phương"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc"]
GIVEN_MALE += ["Quân", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt", "Vinh"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh"]
GIVEN_FEMALE += ["Mai", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Trang", "Yến"]
STREETS = ["Trần Hưng Đạo", "Hùng Vương", "Lê Duẩn", "Phú Riềng Đỏ", "Nguyễn Huệ", "Quốc lộ 14"]
WARDS = ["phường Tân Phú", "phường Tân Bình", "xã Tiến Hưng", "phường Phú Thịnh", "xã Tân Thành"]

# wrk's Lua: random codes from a file (some in lower case or with spaces), JSON at the end.
WRK_SCRIPT = r"""
local codes = {}
local path = nil
function setup(thread)
  counter = (counter or 0) + 1
  thread:set("seed", counter)
end
function init(args)
  path = args[1]
  math.randomseed(os.time() * 100 + (seed or 0))
  if path then
    for line in io.lines(path) do
      if #line > 0 then codes[#codes + 1] = line end
    end
  end
end
function request()
  if #codes == 0 then return wrk.request() end
  local code = codes[math.random(#codes)]
  local r = math.random()
  if r < 0.2 then
    code = string.lower(code)
  elseif r < 0.3 then
    code = "++" .. code .. "+"
  elseif r < 0.35 then
    code = string.gsub(code, "%-", "+-+")
  end
  return wrk.format("GET", wrk.path .. code)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


# --- Data ---------------------------------------------------------------------------------


def database_state(url: str) -> dict | None:
    """The generation parameters stored on the database (COMMENT ON DATABASE) once its data
    was complete; None when the database is missing or unfinished."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    if not row or not row[0]:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        return None


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_secondary(cursor, tables: list[str]) -> list[str]:
    """Drop the plain indexes and foreign keys of `tables` (kept: primary keys, unique and
    check constraints); returns the statements that put them back."""
    cursor.execute(
        """
        SELECT 'CONSTRAINT', c.conrelid::regclass::text, c.conname,
               format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s',
                      c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
        UNION ALL
        SELECT 'INDEX', i.indrelid::regclass::text, i.indexrelid::regclass::text,
               pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        (tables, tables),
    )
    restore = []
    for kind, table, name, statement in cursor.fetchall():
        if kind == "CONSTRAINT":
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        else:
            cursor.execute(f"DROP INDEX {name}")
        restore.append(statement)
    # Indexes first (the foreign keys' validation uses the referenced tables' keys).
    return sorted(restore, key=lambda s: not s.startswith("CREATE"))


def generate(dsn: str, *, dossiers: int, users: int, days: int, seed: int) -> dict:
    """Citizens, dossiers and events in SQL; returns the counts and the time of each step."""
    import psycopg
    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)  # once: the citizens share it
    steps: dict[str, float] = {}

    def step(label: str, sql: str, params: dict | tuple | None = None) -> None:
        start = time.perf_counter()
        cursor.execute(sql, params)
        steps[label] = steps.get(label, 0.0) + time.perf_counter() - start

    with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SELECT setseed(%s)", (((seed % 2000) - 1000) / 1000,))
        restore = drop_secondary(
            cursor, ["accounts_user", "dossiers_dossier", "dossiers_dossierevent"]
        )
        # Citizens: CCCD of Bình Phước (070) consistent with birth year and gender; unique
        # phone; an email for some; names drawn from common Vietnamese names.
        step(
            "citizens",
            """
            INSERT INTO accounts_user (password, is_superuser, username, kind, full_name,
                id_kind, id_number, birth_date, gender, phone, email, address,
                organisation_name, tax_code, phone_verified_at, email_verified_at,
                notify_by_email, notify_by_sms, is_active, is_staff, date_joined)
            SELECT %(password)s, false, id_number, 'citizen', full_name, 'cccd', id_number,
                   birth, CASE WHEN female THEN 'female' ELSE 'male' END,
                   '09' || lpad(i::text, 8, '0'),
                   CASE WHEN i %% 3 = 0 THEN 'congdan' || i || '@example.vn' END,
                   'Số ' || (1 + i %% 300) || ' đường '
                       || (%(streets)s::text[])[1 + i %% cardinality(%(streets)s::text[])]
                       || ', ' || (%(wards)s::text[])[1 + i %% cardinality(%(wards)s::text[])]
                       || ', tỉnh Bình Phước',
                   '', '', joined, CASE WHEN i %% 3 = 0 THEN joined END, true, true, true,
                   false, joined
            FROM (
                SELECT i, birth, female, joined,
                       '070' || ((extract(year FROM birth)::int - 1900) / 100 * 2
                                 + female::int)::text
                             || to_char(birth, 'YY') || lpad(i::text, 6, '0') AS id_number,
                       family || ' ' || middle || ' ' || given AS full_name
                FROM (
                    SELECT i, birth, female,
                           now() - random() * interval '1500 days' AS joined,
                           (%(family)s::text[])[1 + floor(random()
                               * cardinality(%(family)s::text[]))::int] AS family,
                           CASE WHEN female
                               THEN (%(mf)s::text[])[1 + floor(random() * 8)::int]
                               ELSE (%(mm)s::text[])[1 + floor(random() * 8)::int]
                           END AS middle,
                           CASE WHEN female
                               THEN (%(gf)s::text[])[1 + floor(random()
                                   * cardinality(%(gf)s::text[]))::int]
                               ELSE (%(gm)s::text[])[1 + floor(random()
                                   * cardinality(%(gm)s::text[]))::int]
                           END AS given
                    FROM (
                        SELECT i, random() < 0.5 AS female,
                               date '1950-01-01' + floor(random() * 20800)::int AS birth
                        FROM generate_series(1, %(users)s) AS i
                    ) base
                ) named
            ) citizens
            """,
            {
                "password": password,
                "users": users,
                "family": FAMILY,
                "mm": MIDDLE_MALE,
                "mf": MIDDLE_FEMALE,
                "gm": GIVEN_MALE,
                "gf": GIVEN_FEMALE,
                "streets": STREETS,
                "wards": WARDS,
            },
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_users AS
            SELECT row_number() OVER (ORDER BY id)::int AS n, id
            FROM accounts_user WHERE kind = 'citizen';
            CREATE UNIQUE INDEX ON bench_users (n);
            CREATE TEMP TABLE bench_procedures AS
            SELECT row_number() OVER (ORDER BY p.id)::int AS n, p.id AS procedure_id,
                   v.id AS version_id, p.agency_id, a.code AS agency_code, v.level_3,
                   v.level_4, greatest(v.processing_days, 1) AS processing_days
            FROM catalog_procedure p
            JOIN catalog_procedureversion v ON v.id = p.current_version_id
            JOIN catalog_agency a ON a.id = p.agency_id
            WHERE p.is_published;
            CREATE TEMP TABLE bench_paths (status text, step int, action text,
                from_status text, to_status text, actor_role text, note text);
            """
        )
        with cursor.copy("COPY bench_paths FROM STDIN") as copy:
            for status, path in PATHS.items():
                for number, (action, source, target, role) in enumerate(path, start=1):
                    note = INTERNAL_NOTES.get(action, "")
                    copy.write_row((status, number, action, source, target, role, note))
        cursor.execute("SELECT count(*) FROM bench_procedures")
        procedures = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM bench_users")
        citizens = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossier")
        offset = cursor.fetchone()[0]
        thresholds, total = [], 0
        for status, weight in STATUS_MIX:
            total += weight
            thresholds.append(f"WHEN rs < {total / 100:.4f} THEN '{status}'")
        status_case = "CASE " + " ".join(thresholds[:-1]) + f" ELSE '{STATUS_MIX[-1][0]}' END"
        # Dossiers: submitted over `days` days up to yesterday, 7:00–21:00 local time; the
        # code's sequence numbers each agency's dossiers of a day in order of submission.
        step(
            "dossiers",
            f"""
            CREATE TEMP TABLE bench_gen AS
            SELECT g, p.procedure_id, p.version_id, p.agency_id, p.agency_code,
                   CASE WHEN p.level_3 AND p.level_4 THEN CASE WHEN rl < 0.5 THEN 3 ELSE 4 END
                        WHEN p.level_4 THEN 4 ELSE 3 END AS level,
                   {status_case} AS status, u.id AS applicant_id, r.day,
                   (r.day + r.tod) AT TIME ZONE 'Asia/Ho_Chi_Minh' AS submitted_at,
                   p.processing_days, r1, r2, r3
            FROM (
                SELECT g, 1 + floor(random() * %(procedures)s)::int AS pn,
                       1 + floor(random() * %(citizens)s)::int AS un,
                       random() AS rs, random() AS rl, random() AS r1, random() AS r2,
                       random() AS r3,
                       current_date - 1 - floor(random() * %(days)s)::int AS day,
                       make_interval(secs => 25200 + floor(random() * 50400)) AS tod
                FROM generate_series(1, %(dossiers)s) AS g
            ) r
            JOIN bench_procedures p ON p.n = r.pn
            JOIN bench_users u ON u.n = r.un
            """,  # noqa: S608 (status_case is built from STATUS_MIX above)
            {"procedures": procedures, "citizens": citizens, "days": days, "dossiers": dossiers},
        )
        step(
            "dossiers",
            """
            INSERT INTO dossiers_dossier (id, code, level, status, draft_data, form_data,
                result_delivery, created_at, updated_at, submitted_at, received_at, due_at,
                finished_at, returned_at, version, agency_id, applicant_id, procedure_id,
                procedure_version_id)
            SELECT %(offset)s + g,
                   agency_code || '-' || to_char(day, 'YYMMDD') || '-' || lpad((row_number()
                       OVER (PARTITION BY agency_id, day ORDER BY submitted_at, g))::text,
                       4, '0'),
                   level, status, '{}'::jsonb,
                   jsonb_build_object('noi_dung', 'Đề nghị giải quyết thủ tục hành chính',
                                      'so_ban', 1 + g %% 3),
                   CASE WHEN level = 4 THEN 'online' ELSE 'in_person' END,
                   submitted_at - interval '30 minutes' * r1,
                   coalesce(returned_at, finished_at, received_at, submitted_at),
                   submitted_at, received_at, due_at, finished_at, returned_at,
                   1 + s.steps, agency_id, applicant_id, procedure_id, version_id
            FROM (
                SELECT t.*, CASE WHEN status IN ('resolved', 'not_resolved', 'returned')
                           THEN least(received_at + (due_at - received_at) * (0.3 + r2 * 0.8),
                                      now() - interval '2 minutes') END AS finished_at,
                       CASE WHEN status = 'returned'
                           THEN least(received_at + (due_at - received_at) * (0.3 + r2 * 0.8)
                                      + interval '1 hour' * (2 + r3 * 70),
                                      now() - interval '1 minute') END AS returned_at
                FROM (
                    SELECT gen.*, received_at,
                           received_at + interval '1 day' * processing_days * 1.4 AS due_at
                    FROM bench_gen gen,
                    LATERAL (SELECT CASE WHEN status IN ('received', 'processing',
                                'awaiting_approval', 'resolved', 'not_resolved', 'returned')
                            THEN least(submitted_at + interval '1 hour' * (1 + r1 * 47),
                                       now() - interval '3 minutes') END AS received_at) rec
                ) t
            ) d
            JOIN (SELECT status, count(*) AS steps FROM bench_paths GROUP BY status) s
                USING (status)
            """,
            {"offset": offset},
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), "
            "(SELECT max(id) FROM dossiers_dossier))"
        )
        # Events: the transitions that led to each dossier's status, dated along its life.
        step(
            "events",
            """
            INSERT INTO dossiers_dossierevent (type, action, from_status, to_status,
                actor_role, created_at, note, data, is_public, actor_id, dossier_id)
            SELECT 'transition', b.action, b.from_status, b.to_status, b.actor_role,
                   CASE b.action
                       WHEN 'submit' THEN d.submitted_at
                       WHEN 'receive' THEN d.received_at
                       WHEN 'start_processing' THEN d.received_at + (coalesce(d.finished_at,
                           least(d.received_at + interval '2 days', now())) - d.received_at)
                           * 0.2
                       WHEN 'propose' THEN d.received_at + (coalesce(d.finished_at,
                           least(d.received_at + interval '2 days', now())) - d.received_at)
                           * 0.8
                       WHEN 'approve' THEN d.finished_at
                       WHEN 'decline' THEN d.finished_at
                       WHEN 'return_result' THEN d.returned_at
                       ELSE least(d.submitted_at + interval '1 hour' * (1 + d.id %% 47),
                                  now() - interval '1 minute')
                   END,
                   b.note, '{}'::jsonb, true,
                   CASE WHEN b.actor_role = 'applicant' THEN d.applicant_id END, d.id
            FROM dossiers_dossier d
            JOIN bench_paths b ON b.status = d.status
            WHERE d.id > %(offset)s
            ORDER BY d.id, b.step
            """,
            {"offset": offset},
        )
        for statement in restore:
            label = "indexes" if statement.startswith("CREATE") else "foreign keys"
            step(label, statement)
        connection.commit()
    with psycopg.connect(dsn, autocommit=True) as connection:
        start = time.perf_counter()
        for table in ("accounts_user", "dossiers_dossier", "dossiers_dossierevent"):
            connection.execute(f"VACUUM (ANALYZE) {table}")
        steps["vacuum analyze"] = time.perf_counter() - start
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("accounts_user", "dossiers_dossier", "dossiers_dossierevent")
        }
    return {"steps": steps, "counts": counts}


def prepare(options, dsn: str) -> dict:
    """The database with its data: kept with --reuse when it holds the same generated data."""
    wanted = {
        "dossiers": options.dossiers,
        "users": options.users,
        "days": options.days,
        "seed": options.seed,
    }
    state = database_state(dsn) if options.reuse else None
    if state and all(state.get(key) == value for key, value in wanted.items()):
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(
            f"Dùng lại CSDL {urlparse(dsn).path.lstrip('/')}: {state['counts']} "
            f"(đã sinh trong {state['load_seconds']:.0f} s)"
        )
        return {**state, "reused": True}
    from django.core.management import call_command
    from django.db import connections

    start = time.perf_counter()
    print(f"Tạo CSDL {urlparse(dsn).path.lstrip('/')} …", flush=True)
    recreate_database(dsn)
    call_command("migrate", verbosity=0)
    call_command("load_demo", force=True, verbosity=0)
    connections.close_all()
    prepared = time.perf_counter() - start
    print(
        f"  migrate + load_demo: {prepared:.1f} s; sinh {options.dossiers:,} hồ sơ, "
        f"{options.users:,} công dân …",
        flush=True,
    )
    generated = generate(
        dsn, dossiers=options.dossiers, users=options.users, days=options.days, seed=options.seed
    )
    total = time.perf_counter() - start
    for label, seconds in generated["steps"].items():
        print(f"  {label:<16} {seconds:6.1f} s")
    print(f"  tổng cộng        {total:6.1f} s  {generated['counts']}")
    state = {
        **wanted,
        "counts": generated["counts"],
        "load_seconds": round(total, 1),
        "steps": {k: round(v, 1) for k, v in generated["steps"].items()},
    }
    import psycopg
    from psycopg import sql

    name = urlparse(dsn).path.lstrip("/")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(json.dumps(state))
            )
        )
    return {**state, "reused": False}


def sample_codes(dsn: str, count: int, seed: int) -> list[str]:
    import psycopg

    with psycopg.connect(dsn) as connection:
        low, high = connection.execute(
            "SELECT min(id), max(id) FROM dossiers_dossier WHERE status <> 'draft'"
        ).fetchone()
        rng = random.Random(seed)
        ids = [rng.randint(low, high) for _ in range(count)]
        rows = connection.execute(
            "SELECT code FROM dossiers_dossier WHERE id = ANY(%s) AND status <> 'draft'", (ids,)
        ).fetchall()
    return [row[0] for row in rows]


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

    with CaptureQueriesContext(connection) as captured:
        lookup.by_code(code)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plans.append(
                {"sql": query["sql"], "plan": "\n".join(row[0] for row in cursor.fetchall())}
            )

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
    with connection.execute_wrapper(timed):
        for number in range(repeat + 20):
            for kind, path in kinds.items():
                query = "ma=" + quote(rng.choice(codes)) if kind == "lookup" else ""
                db_time[0] = 0.0
                cpu, wall = time.thread_time(), time.perf_counter()
                call(path, query)
                if number >= 20:  # the first ones warm up
                    samples[kind]["cpu"].append((time.thread_time() - cpu) * 1000)
                    samples[kind]["wall"].append((time.perf_counter() - wall) * 1000)
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


# --- Server and load ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(options, env: dict, port: int) -> subprocess.Popen:
    log = open(VAR / "gunicorn.log", "w")  # noqa: SIM115 (the server outlives this block)
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "dichvucong.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(options.workers),
        "--worker-class",
        options.worker_class,
        "--threads",
        str(options.threads),
        "--pythonpath",
        f"{ROOT / 'src'},{ROOT}",
        "--chdir",
        str(ROOT),
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start: see {VAR / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_wrk(url: str, *, connections: int, seconds: float, threads: int, codes: Path | None):
    script = VAR / "lookup.lua"
    script.write_text(WRK_SCRIPT)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    if codes:
        command += ["--", str(codes)]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, start_new_session=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    return {
        "requests": raw["requests"],
        "seconds": raw["duration_us"] / 1e6,
        "errors": raw["errors"],
        "latency_ms": {k: v / 1000 for k, v in raw["latency_us"].items()},
    }


def run_python_client(url: str, *, connections: int, seconds: float, codes: Path | None):
    """The fallback load generator, in a process of its own (see client_main)."""
    command = [sys.executable, __file__, "--client", url, str(connections), str(seconds)]
    command.append(str(codes) if codes else "-")
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, start_new_session=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def vary(code: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.2:
        return code.lower()
    if r < 0.3:
        return f"  {code} "
    if r < 0.35:
        return code.replace("-", " - ")
    return code


def client_main(url: str, connections: int, seconds: float, codes_path: str) -> None:
    """asyncio HTTP/1.1 client: `connections` tasks, each sends a request, reads the whole
    response (keep-alive when the server allows it, else a new connection) and sends the
    next. Latency includes connecting. One Python process: it tops out at a few thousand
    requests a second and shares the CPUs with the server, which the report says."""
    import asyncio

    parsed = urlparse(url)
    codes = Path(codes_path).read_text().split() if codes_path != "-" else []
    rng = random.Random()
    latencies: list[float] = []
    errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}

    async def worker(deadline: float) -> None:
        reader = writer = None
        while time.monotonic() < deadline:
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if codes:
                target += quote(vary(rng.choice(codes), rng))
            start = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
                writer.write(
                    f"GET {target} HTTP/1.1\r\nHost: {parsed.netloc}\r\n\r\n".encode("ascii")
                )
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                status = int(head.split(b" ", 2)[1])
                length = re.search(rb"(?i)content-length:\s*(\d+)", head)
                if length:
                    await reader.readexactly(int(length.group(1)))
                else:
                    await reader.read()
                latencies.append((time.perf_counter() - start) * 1000)
                if status >= 400:
                    errors["status"] += 1
                if not length or re.search(rb"(?i)connection:\s*close", head):
                    writer.close()
                    reader = writer = None
            except TimeoutError:
                errors["timeout"] += 1
                reader = writer = None
            except OSError:
                errors["connect" if writer is None else "read"] += 1
                reader = writer = None
            except asyncio.IncompleteReadError:
                errors["read"] += 1
                reader = writer = None

    async def main() -> float:
        start = time.monotonic()
        await asyncio.gather(*(worker(start + seconds) for _ in range(connections)))
        return time.monotonic() - start

    elapsed = asyncio.run(main())
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))]

    print(
        json.dumps(
            {
                "requests": len(latencies),
                "seconds": elapsed,
                "errors": errors,
                "latency_ms": {
                    "p50": pct(50),
                    "p90": pct(90),
                    "p95": pct(95),
                    "p99": pct(99),
                    "max": latencies[-1],
                    "mean": statistics.fmean(latencies),
                },
            }
        )
    )


def drive(options, base: str, codes: Path) -> dict[str, dict]:
    use_wrk = options.load_generator == "wrk" or (
        options.load_generator == "auto" and shutil.which("wrk")
    )
    results = {}
    for label, url, code_file in (
        ("bare", f"{base}/bench/bare", None),
        ("empty_page", f"{base}/tra-cuu/", None),
        ("lookup", f"{base}/tra-cuu/?ma=", codes),
    ):
        for phase, seconds in (("warm-up", options.warmup), ("measure", options.duration)):
            print(f"  {label}: {phase} {seconds:g} s …", flush=True)
            if use_wrk:
                result = run_wrk(
                    url,
                    connections=options.connections,
                    seconds=seconds,
                    threads=options.wrk_threads,
                    codes=code_file,
                )
            else:
                result = run_python_client(
                    url, connections=options.connections, seconds=seconds, codes=code_file
                )
        result["rps"] = result["requests"] / result["seconds"]
        result["error_count"] = sum(result["errors"].values())
        result["load_generator"] = "wrk" if use_wrk else "python-asyncio"
        results[label] = result
    return results


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


# --- Main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=200_000, help="generated citizens")
    parser.add_argument("--days", type=int, default=1095, help="dossiers submitted over …")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database when it holds the same data"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--load-generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--codes", type=int, default=20_000, help="distinct codes requested")
    parser.add_argument("--profile", action="store_true", help="cProfile 300 lookups in-process")
    parser.add_argument("--output", default=str(VAR / "lookup.json"))
    options = parser.parse_args()
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs on PostgreSQL (--database-url postgres://…)")
    if options.load_generator == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (Debian: apt-get install wrk)")

    VAR.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(64)
    env_extra = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": options.database_url,
        "SECRET_KEY": secret,
        "VAR_DIR": str(VAR),
    }
    os.environ.update(env_extra)
    # The cache: local memory per process unless BENCH_REDIS_URL names a Redis to use.
    os.environ.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    import django
    from django.core.management import call_command

    django.setup()
    dsn = options.database_url
    data = prepare(options, dsn)
    call_command("collectstatic", interactive=False, verbosity=0)
    codes = sample_codes(dsn, options.codes, options.seed)
    codes_file = VAR / "lookup_codes.txt"
    codes_file.write_text("\n".join(codes) + "\n")

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
    from django.db import connections

    connections.close_all()

    port = free_port()
    server_env = dict(os.environ)
    print(
        f"\ngunicorn: {options.workers} worker {options.worker_class}"
        f"{f' × {options.threads} luồng' if options.threads > 1 else ''}, 127.0.0.1:{port}; "
        f"{options.connections} kết nối, khởi động {options.warmup:g} s + đo {options.duration:g} s"
    )
    run_start = time.time()
    server = start_server(options, server_env, port)
    try:
        results = drive(options, f"http://127.0.0.1:{port}", codes_file)
    finally:
        stop_server(server)
    logged = lookup_log_check(dsn, run_start)

    bare, found = results["bare"], results["lookup"]
    ratio = found["rps"] / bare["rps"] if bare["rps"] else 0.0
    p99_ok = found["latency_ms"]["p99"] < TARGET_P99_MS
    ratio_ok = ratio >= TARGET_RATIO
    errors_ok = found["error_count"] == 0 and bare["error_count"] == 0
    print(
        f"\n{'':<22} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'lỗi':>6} {'số yêu cầu':>11}"
    )
    for label, title in (
        ("bare", "Bare Django view"),
        ("empty_page", "Trang tra cứu trống"),
        ("lookup", "Tra cứu theo mã"),
    ):
        r = results[label]
        lat = r["latency_ms"]
        print(
            f"{title:<22} {r['rps']:9.1f} {lat['p50']:8.2f} {lat['p95']:8.2f} {lat['p99']:8.2f} "
            f"{lat['max']:8.2f} {r['error_count']:6d} {r['requests']:11d}"
        )
    print(f"\nTỉ lệ thông lượng tra cứu / bare: {ratio:.2f} (mục tiêu ≥ {TARGET_RATIO})")
    print(
        "(tham khảo) tra cứu / trang tra cứu trống cùng bố cục: "
        f"{found['rps'] / results['empty_page']['rps']:.2f}"
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
            "worker_class": options.worker_class,
            "threads": options.threads,
            "settings": "bench.settings (production profile)",
            "cache": "redis" if server_env.get("REDIS_URL") else "locmem (per process)",
        },
        "load": {
            "connections": options.connections,
            "warmup_s": options.warmup,
            "duration_s": options.duration,
            "distinct_codes": len(codes),
            "generator": found["load_generator"],
        },
        "data": data,
        "results": results,
        "ratio_lookup_to_bare": ratio,
        "ratio_lookup_to_empty_page": found["rps"] / results["empty_page"]["rps"],
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
    if len(sys.argv) == 6 and sys.argv[1] == "--client":
        client_main(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
        sys.exit(0)
    sys.exit(main())

"""Data set of the benchmarks (issue 11): a province's portal after three years, on PostgreSQL.

    make bench-data                                   # or: .venv/bin/python bench/generate.py
    .venv/bin/python bench/generate.py --reuse        # keep a database holding the same data
    .venv/bin/python bench/generate.py --dossiers 100000 --database-url …/dichvucong_bench_100k

Deterministic for a given --seed (PostgreSQL's setseed and Python's random): the same
parameters give the same rows, codes and names (ids and "now"-relative dates aside).

1. catalogue: the demo catalogue of Bình Phước, then generated departments and communes up to
   40 agencies, their fields, and procedures up to 2,000 with a published version and two
   components each (bench/catalogue.py's generator, through the catalogue's own services);
2. applicants: 300,000 citizens (CCCD of Bình Phước consistent with birth year and gender,
   unique phones, verified, Vietnamese names), sharing one password hashed once (Argon2);
3. dossiers: 1,000,000 submitted over the last 3 years (7:00–21:00), a few procedures much
   more asked for than most, codes in the real format `<agency code>-<yymmdd>-<NNNN>` (each
   agency's sequence of the day, stored in the code sequence table too), and each one's fate
   (3 % refused, 2 % withdrawn, 4 % asked for a supplement when recent, 2 % not approved, the
   rest approved) played along its real dates (reception 1–48 h after submission, processing
   within 30–110 % of its legal time, result returned 2–72 h after the decision): its status
   is where that timeline stands now, so old dossiers are closed and a few weeks' worth are
   open in the back office — a realistic status mix rather than a fixed one;
4. events: each dossier's timeline, 5 events (draft created, files attached, the
   transitions), except dossiers whose result was returned: the workflow needs 6 transitions
   to get there (submit, receive, start, propose, approve or decline, return), so they have
   those 6;
5. an officer of the busiest generated agency (`bench.canbo`, every role, a confirmed TOTP
   device) for the staff inbox, and the statistics' daily and monthly figures rebuilt from the
   dossiers by the stats app's own `stats_rebuild` (what the statistics page reads).

Citizens, dossiers and events are written with INSERT … SELECT generate_series with the
secondary indexes and foreign keys dropped during the load and rebuilt (and validated) after.
Each phase's time and the total are printed, and kept in the database's `bench_marker` table
with the parameters: --reuse keeps a database whose marker holds the same parameters.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
from pg import drop_secondary, marker_read, marker_write, prepare_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dichvucong_bench"
VAR = ROOT / "var" / "bench"
PASSWORD = "Bench-Password-2026"  # noqa: S105 (hashed once; the generated citizens share it)
OFFICER = "bench.canbo"
DEFAULTS = {
    "dossiers": 1_000_000,
    "applicants": 300_000,
    "procedures": 2_000,
    "agencies": 40,
    "days": 1095,
    "seed": 2026,
}
TABLES = ["accounts_user", "dossiers_dossier", "dossiers_dossierevent"]

FAMILY = ["Nguyễn"] * 8 + ["Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan"]
FAMILY += ["Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân"]
MIDDLE_FEMALE = ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Phương"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc"]
GIVEN_MALE += ["Quân", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt", "Vinh"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh"]
GIVEN_FEMALE += ["Mai", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Trang", "Yến"]
STREETS = ["Trần Hưng Đạo", "Hùng Vương", "Lê Duẩn", "Phú Riềng Đỏ", "Nguyễn Huệ", "Quốc lộ 14"]
WARDS = ["phường Tân Phú", "phường Tân Bình", "xã Tiến Hưng", "phường Phú Thịnh", "xã Tân Thành"]

# A dossier's fate (share of all dossiers) and its timeline: (event type, action, from, to,
# actor role, moment). Moments: created/attached (the draft), submitted, first (the
# reception's or the applicant's first answer), received, started, proposed, finished,
# returned — computed per dossier in DOSSIERS_SQL. Its status is the last step already past.
FATES = [("refuse", 3), ("withdraw", 2), ("supplement", 4), ("decline", 2), ("approve", 89)]
_DRAFT = [
    ("created", "", "", "", "applicant", "created"),
    ("attachment_added", "", "", "", "applicant", "attached"),
    ("attachment_added", "", "", "", "applicant", "attached"),
    ("attachment_added", "", "", "", "applicant", "attached"),
]
_SUBMIT = ("transition", "submit", "draft", "submitted", "applicant", "submitted")
_RECEIVE = ("transition", "receive", "submitted", "received", "reception", "received")
_START = ("transition", "start_processing", "received", "processing", "handler", "started")
_PROPOSE = ("transition", "propose", "processing", "awaiting_approval", "handler", "proposed")
_APPROVE = ("transition", "approve", "awaiting_approval", "resolved", "leader", "finished")
_DECLINE = ("transition", "decline", "awaiting_approval", "not_resolved", "leader", "finished")
_RETURN = ("transition", "return_result", "resolved", "returned", "reception", "returned")
TIMELINES: dict[str, list[tuple[str, ...]]] = {
    "submitted": [*_DRAFT, _SUBMIT],
    "refused": [
        *_DRAFT[:3],
        _SUBMIT,
        ("transition", "refuse", "submitted", "refused", "reception", "first"),
    ],
    "withdrawn": [
        *_DRAFT[:3],
        _SUBMIT,
        ("transition", "withdraw", "submitted", "withdrawn", "applicant", "first"),
    ],
    "supplement_requested": [
        *_DRAFT[:3],
        _SUBMIT,
        (
            "transition",
            "request_supplement",
            "submitted",
            "supplement_requested",
            "reception",
            "first",
        ),
    ],
    "received": [*_DRAFT[:3], _SUBMIT, _RECEIVE],
    "processing": [*_DRAFT[:2], _SUBMIT, _RECEIVE, _START],
    "awaiting_approval": [_DRAFT[0], _SUBMIT, _RECEIVE, _START, _PROPOSE],
    "resolved": [_SUBMIT, _RECEIVE, _START, _PROPOSE, _APPROVE],
    "not_resolved": [_SUBMIT, _RECEIVE, _START, _PROPOSE, _DECLINE],
    "returned": [_SUBMIT, _RECEIVE, _START, _PROPOSE, _APPROVE, _RETURN],
    # a returned "not approved" result (the join's key: see INSERT_EVENTS_SQL)
    "returned_declined": [
        *[_SUBMIT, _RECEIVE, _START, _PROPOSE, _DECLINE],
        ("transition", "return_result", "not_resolved", "returned", "reception", "returned"),
    ],
}
NOTES = {
    "request_supplement": "Bổ sung bản sao chứng thực giấy tờ tùy thân.",
    "refuse": "Thủ tục không thuộc thẩm quyền giải quyết của đơn vị.",
    "decline": "Không đủ điều kiện theo quy định.",
}

APPLICANTS_SQL = """
INSERT INTO accounts_user (password, is_superuser, username, kind, full_name, id_kind,
    id_number, birth_date, gender, phone, email, address, organisation_name, tax_code,
    phone_verified_at, email_verified_at, notify_by_email, notify_by_sms, is_active, is_staff,
    date_joined)
SELECT %(password)s, false, id_number, 'citizen', full_name, 'cccd', id_number, birth,
       CASE WHEN female THEN 'female' ELSE 'male' END, '09' || lpad(i::text, 8, '0'),
       CASE WHEN i %% 3 = 0 THEN 'congdan' || i || '@example.vn' END,
       'Số ' || (1 + i %% 300) || ' đường '
           || (%(streets)s::text[])[1 + i %% cardinality(%(streets)s::text[])] || ', '
           || (%(wards)s::text[])[1 + i %% cardinality(%(wards)s::text[])] || ', tỉnh Bình Phước',
       '', '', joined, CASE WHEN i %% 3 = 0 THEN joined END, true, true, true, false, joined
FROM (
    SELECT i, birth, female, joined,
           '070' || ((extract(year FROM birth)::int - 1900) / 100 * 2 + female::int)::text
                 || to_char(birth, 'YY') || lpad(i::text, 6, '0') AS id_number,
           family || ' ' || middle || ' ' || given AS full_name
    FROM (
        SELECT i, birth, female, now() - random() * interval '1500 days' AS joined,
               (%(family)s::text[])[1 + floor(random() * cardinality(%(family)s::text[]))::int]
                   AS family,
               CASE WHEN female THEN (%(mf)s::text[])[1 + floor(random() * 8)::int]
                    ELSE (%(mm)s::text[])[1 + floor(random() * 8)::int] END AS middle,
               CASE WHEN female
                   THEN (%(gf)s::text[])[1 + floor(random() * cardinality(%(gf)s::text[]))::int]
                   ELSE (%(gm)s::text[])[1 + floor(random() * cardinality(%(gm)s::text[]))::int]
               END AS given
        FROM (
            SELECT i, random() < 0.5 AS female,
                   date '1950-01-01' + floor(random() * 20800)::int AS birth
            FROM generate_series(1, %(applicants)s) AS i
        ) base
    ) named
) citizens
"""

# The dossiers with their whole timeline, in a temporary table the two inserts read. `now` is
# a few minutes back so that every moment written is in the past.
DOSSIERS_SQL = """
CREATE TEMP TABLE bench_d AS
SELECT t.*,
       CASE WHEN fate = 'refuse' THEN CASE WHEN first < cutoff THEN 'refused' ELSE 'submitted' END
            WHEN fate = 'withdraw' THEN CASE WHEN first < cutoff THEN 'withdrawn'
                                             ELSE 'submitted' END
            WHEN fate = 'supplement' THEN CASE WHEN first < cutoff THEN 'supplement_requested'
                                               ELSE 'submitted' END
            WHEN first >= cutoff THEN 'submitted'
            WHEN started >= cutoff THEN 'received'
            WHEN proposed >= cutoff THEN 'processing'
            WHEN finished >= cutoff THEN 'awaiting_approval'
            WHEN returned >= cutoff THEN CASE WHEN fate = 'decline' THEN 'not_resolved'
                                              ELSE 'resolved' END
            ELSE 'returned' END AS status
FROM (
    SELECT s.*, received + span * 0.2 AS started, received + span * 0.8 AS proposed,
           received + span AS finished,
           received + span + interval '1 hour' * (2 + r3 * 70) AS returned
    FROM (
        SELECT f.*, first AS received, first + interval '1 day' * processing_days * 1.4 AS due,
               interval '1 day' * processing_days * 1.4 * (0.3 + r2 * 0.8) AS span
        FROM (
            SELECT %(offset)s + g AS id, p.procedure_id, p.version_id, p.agency_id,
                   p.agency_code,
                   CASE WHEN p.level_3 AND p.level_4 THEN CASE WHEN rl < 0.5 THEN 3 ELSE 4 END
                        WHEN p.level_4 THEN 4 ELSE 3 END AS level,
                   CASE WHEN rf < %(refuse)s THEN 'refuse' WHEN rf < %(withdraw)s THEN 'withdraw'
                        WHEN rf < %(supplement)s THEN CASE WHEN day > current_date - 45
                                                           THEN 'supplement' ELSE 'approve' END
                        WHEN rf < %(decline)s THEN 'decline' ELSE 'approve' END AS fate,
                   u.id AS applicant_id, day, submitted, submitted - interval '40 minutes'
                   * (0.2 + r1) AS created, submitted + interval '1 hour' * (1 + r1 * 47)
                   AS first, greatest(p.processing_days, 1) AS processing_days, r1, r2, r3,
                   g, now() - interval '5 minutes' AS cutoff
            FROM (
                SELECT g, 1 + floor(power(random(), 2) * %(procedures)s)::int AS pn,
                       1 + floor(random() * %(applicants)s)::int AS un,
                       random() AS rf, random() AS rl, random() AS r1, random() AS r2,
                       random() AS r3, day,
                       (day + make_interval(secs => 25200 + floor(random() * 50400)))
                           AT TIME ZONE 'Asia/Ho_Chi_Minh' AS submitted
                FROM (SELECT g, random() AS rd FROM generate_series(1, %(dossiers)s) AS g) x,
                     LATERAL (SELECT current_date - 1 - floor(rd * %(days)s)::int AS day) d
            ) r
            JOIN bench_procedures p ON p.n = r.pn
            JOIN bench_applicants u ON u.n = r.un
        ) f
    ) s
) t
"""

INSERT_DOSSIERS_SQL = """
INSERT INTO dossiers_dossier (id, code, level, status, draft_data, form_data, result_delivery,
    created_at, updated_at, submitted_at, received_at, due_at, finished_at, returned_at,
    version, agency_id, applicant_id, procedure_id, procedure_version_id)
SELECT id, agency_code || '-' || to_char(day, 'YYMMDD') || '-'
           || lpad(row_number() OVER (PARTITION BY agency_id, day ORDER BY submitted, g)::text,
                   4, '0'),
       level, status, '{}'::jsonb,
       jsonb_build_object('noi_dung', 'Đề nghị giải quyết thủ tục hành chính', 'so_ban', 1 + g % 3),
       CASE WHEN level = 4 THEN 'online' ELSE 'in_person' END, created,
       CASE status WHEN 'returned' THEN returned WHEN 'resolved' THEN finished
           WHEN 'not_resolved' THEN finished WHEN 'awaiting_approval' THEN proposed
           WHEN 'processing' THEN started WHEN 'submitted' THEN submitted ELSE first END,
       submitted, CASE WHEN status IN ('submitted', 'refused', 'withdrawn',
                                      'supplement_requested') THEN NULL ELSE received END,
       CASE WHEN status IN ('submitted', 'refused', 'withdrawn', 'supplement_requested')
            THEN NULL ELSE due END,
       CASE WHEN status IN ('resolved', 'not_resolved', 'returned') THEN finished END,
       CASE WHEN status = 'returned' THEN returned END,
       1 + steps.n, agency_id, applicant_id, procedure_id, version_id
FROM bench_d
JOIN (SELECT status AS s, count(*) FILTER (WHERE type = 'transition') AS n
      FROM bench_timelines GROUP BY status) steps ON steps.s = bench_d.status
"""

INSERT_EVENTS_SQL = """
INSERT INTO dossiers_dossierevent (type, action, from_status, to_status, actor_role, created_at,
    note, data, is_public, actor_id, dossier_id)
SELECT e.type, e.action, e.from_status, e.to_status, e.actor_role,
       CASE e.moment WHEN 'created' THEN d.created
           WHEN 'attached' THEN d.created + (d.submitted - d.created) * e.step / 5
           WHEN 'submitted' THEN d.submitted WHEN 'first' THEN d.first
           WHEN 'received' THEN d.received WHEN 'started' THEN d.started
           WHEN 'proposed' THEN d.proposed WHEN 'finished' THEN d.finished
           ELSE d.returned END,
       e.note, CASE WHEN e.type = 'attachment_added'
                    THEN jsonb_build_object('component', e.step) ELSE '{}'::jsonb END,
       e.type = 'transition', CASE WHEN e.actor_role = 'applicant' THEN d.applicant_id END, d.id
FROM bench_d d
JOIN bench_timelines e ON e.status = CASE WHEN d.status = 'returned' AND d.fate = 'decline'
                                         THEN 'returned_declined' ELSE d.status END
ORDER BY d.id, e.step
"""


class Phases:
    """Times each phase (wall clock) and prints it as it ends."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.started = time.perf_counter()

    def run(self, label: str, function, *args, **kwargs):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        elapsed = time.perf_counter() - start
        self.seconds[label] = self.seconds.get(label, 0.0) + elapsed
        print(f"  {label:<28} {elapsed:7.1f} s", flush=True)
        return result

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def django_setup(url: str) -> None:
    """Django on the bench database with the benchmark server's settings (bench/settings.py:
    the production profile)."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("VAR_DIR", str(VAR))
    os.environ.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load_catalogue(*, procedures: int, agencies: int, seed: int) -> int:
    from catalogue import load

    return load(procedures, seed, agencies=agencies)


def _execute_all(cursor, statements: list[str]) -> None:
    for statement in statements:
        cursor.execute(statement)


def load_rows(dsn: str, *, dossiers: int, applicants: int, days: int, seed: int, phases) -> None:
    """Applicants, dossiers and events in SQL, secondary indexes and foreign keys off."""
    import psycopg
    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)  # once: the citizens share it
    shares, total = {}, 0
    for fate, percent in FATES:
        total += percent
        shares[fate] = total / 100
    with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute("SET work_mem = '128MB'")
        cursor.execute("SELECT setseed(%s)", (((seed % 2000) - 1000) / 1000,))
        restore = drop_secondary(cursor, TABLES)
        phases.run(
            "applicants",
            cursor.execute,
            APPLICANTS_SQL,
            {
                "password": password,
                "applicants": applicants,
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
            CREATE TEMP TABLE bench_applicants AS
            SELECT row_number() OVER (ORDER BY id)::int AS n, id
            FROM accounts_user WHERE kind = 'citizen';
            CREATE UNIQUE INDEX ON bench_applicants (n);
            CREATE TEMP TABLE bench_procedures AS
            SELECT row_number() OVER (ORDER BY p.id)::int AS n, p.id AS procedure_id,
                   v.id AS version_id, p.agency_id, a.code AS agency_code, v.level_3,
                   v.level_4, v.processing_days
            FROM catalog_procedure p
            JOIN catalog_procedureversion v ON v.id = p.current_version_id
            JOIN catalog_agency a ON a.id = p.agency_id
            WHERE p.is_published AND (v.level_3 OR v.level_4);
            CREATE UNIQUE INDEX ON bench_procedures (n);
            CREATE TEMP TABLE bench_timelines (status text, step int, type text, action text,
                from_status text, to_status text, actor_role text, moment text, note text);
            """
        )
        with cursor.copy("COPY bench_timelines FROM STDIN") as copy:
            for status, timeline in TIMELINES.items():
                for step, (kind, action, source, target, role, moment) in enumerate(timeline, 1):
                    copy.write_row(
                        (
                            status,
                            step,
                            kind,
                            action,
                            source,
                            target,
                            role,
                            moment,
                            NOTES.get(action, ""),
                        )
                    )
        procedures = cursor.execute("SELECT count(*) FROM bench_procedures").fetchone()[0]
        citizens = cursor.execute("SELECT count(*) FROM bench_applicants").fetchone()[0]
        offset = cursor.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossier").fetchone()[0]
        phases.run(
            "dossiers: timelines",
            cursor.execute,
            DOSSIERS_SQL,
            {
                "offset": offset,
                "procedures": procedures,
                "applicants": citizens,
                "days": days,
                "dossiers": dossiers,
                **shares,
            },
        )
        phases.run("dossiers: insert", cursor.execute, INSERT_DOSSIERS_SQL)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), "
            "(SELECT max(id) FROM dossiers_dossier))"
        )
        # The code sequences: a dossier submitted later on one of these days numbers on.
        cursor.execute(
            """
            INSERT INTO dossiers_dossiercodesequence (agency_id, day, last)
            SELECT agency_id, day, count(*) FROM bench_d GROUP BY agency_id, day
            ON CONFLICT (agency_id, day) DO UPDATE SET last = excluded.last
                + dossiers_dossiercodesequence.last
            """
        )
        phases.run("events: insert", cursor.execute, INSERT_EVENTS_SQL)
        cursor.execute("DROP TABLE bench_d")
        indexes = [s for s in restore if s.startswith("CREATE")]
        keys = [s for s in restore if not s.startswith("CREATE")]
        phases.run(f"indexes ({len(indexes)})", _execute_all, cursor, indexes)
        phases.run(f"foreign keys ({len(keys)}, validated)", _execute_all, cursor, keys)
        connection.commit()
    with psycopg.connect(dsn, autocommit=True) as connection:
        start = time.perf_counter()
        for table in TABLES:
            connection.execute(f"VACUUM (ANALYZE) {table}")
        phases.seconds["vacuum analyze"] = time.perf_counter() - start
        print(f"  {'vacuum analyze':<28} {phases.seconds['vacuum analyze']:7.1f} s")


def officer_setup() -> dict:
    """The inbox scenario's officer: every role in the agency that receives most dossiers."""
    from django.db import connection
    from staff import officer_create

    from dichvucong.catalog.models import Agency

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT agency_id, count(*) FROM dossiers_dossier "
            "WHERE status IN ('submitted', 'received', 'processing', 'awaiting_approval', "
            "'resolved', 'not_resolved', 'supplement_requested') "
            "GROUP BY agency_id ORDER BY 2 DESC, 1 LIMIT 1"
        )
        row = cursor.fetchone()
    agency = Agency.objects.get(pk=row[0]) if row else Agency.objects.order_by("code").first()
    user, _device = officer_create(
        username=OFFICER,
        agency=agency,
        roles=("reception", "handler", "leader"),
        full_name="Trần Văn Cán Bộ",
    )
    return {"username": user.username, "agency": agency.code, "open_dossiers": row[1] if row else 0}


def stats_rebuild_all() -> dict:
    """The statistics' figures from the first dossier to today (the app's rebuild service)."""
    from django.utils import timezone

    from dichvucong.stats import services
    from dichvucong.stats.constants import RebuildTrigger

    today = timezone.localdate()
    result = services.stats_rebuild(
        day_from=services.first_day() or today, day_to=today, trigger=RebuildTrigger.COMMAND
    )
    return {"days": result.days, "dossiers_read": result.dossiers, "rows": result.rows}


def counts(dsn: str) -> dict:
    import psycopg

    with psycopg.connect(dsn) as connection:
        result = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in [*TABLES, "catalog_agency", "catalog_procedure"]
        }
        result["applicants"] = connection.execute(
            "SELECT count(*) FROM accounts_user WHERE kind = 'citizen'"
        ).fetchone()[0]
        result["status_mix"] = dict(
            connection.execute(
                "SELECT status, count(*) FROM dossiers_dossier GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        )
    return result


def ensure(url: str, params: dict, *, reuse: bool, stats: bool = True) -> dict:
    """The database of `url` holding the data set of `params` (DEFAULTS' keys): kept when
    `reuse` and its marker holds the same parameters, else recreated and generated. Django must
    be set up on `url` (django_setup). Returns the marker's state."""
    from django.core.management import call_command
    from django.db import connections

    wanted = {**DEFAULTS, **params, "stats": stats}
    state = marker_read(url) if reuse else None
    name = urlparse(url).path.lstrip("/")
    if state and state.get("params") == wanted:
        call_command("migrate", verbosity=0)
        print(
            f"Dùng lại CSDL {name} (sinh trong {state['total_seconds']:.0f} s): "
            f"{state['counts']['dossiers_dossier']:,} hồ sơ"
        )
        return {**state, "reused": True}
    print(f"Tạo CSDL {name}: {wanted}", flush=True)
    phases = Phases()
    connections.close_all()
    prepare_database(url, recreate=True)
    phases.run("migrate", call_command, "migrate", verbosity=0)
    random.seed(wanted["seed"])
    phases.run(
        "catalogue (services)",
        load_catalogue,
        procedures=wanted["procedures"],
        agencies=wanted["agencies"],
        seed=wanted["seed"],
    )
    connections.close_all()
    load_rows(
        url,
        dossiers=wanted["dossiers"],
        applicants=wanted["applicants"],
        days=wanted["days"],
        seed=wanted["seed"],
        phases=phases,
    )
    officer = phases.run("officer", officer_setup)
    rebuilt = phases.run("statistics rebuild", stats_rebuild_all) if stats else None
    total = phases.total
    loading = total - phases.seconds.get("statistics rebuild", 0.0)
    print(f"  {'TOTAL':<28} {total:7.1f} s", flush=True)
    print(f"  {'(without the stats rebuild)':<28} {loading:7.1f} s", flush=True)
    state = {
        "params": wanted,
        "counts": counts(url),
        "phases": {label: round(seconds, 1) for label, seconds in phases.seconds.items()},
        "total_seconds": round(total, 1),
        "load_seconds": round(loading, 1),
        "officer": officer,
        "stats": rebuilt,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    connections.close_all()
    marker_write(url, state)
    return {**state, "reused": False}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dossiers", type=int, default=DEFAULTS["dossiers"])
    parser.add_argument("--applicants", type=int, default=DEFAULTS["applicants"])
    parser.add_argument("--procedures", type=int, default=DEFAULTS["procedures"])
    parser.add_argument("--agencies", type=int, default=DEFAULTS["agencies"])
    parser.add_argument("--days", type=int, default=DEFAULTS["days"], help="submitted over …")
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database when it holds the same data"
    )


def params_of(options) -> dict:
    return {key: getattr(options, key) for key in DEFAULTS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--no-stats", action="store_true", help="skip the statistics rebuild")
    add_arguments(parser)
    options = parser.parse_args()
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the generator writes to PostgreSQL (--database-url postgres://…)")
    django_setup(options.database_url)
    state = ensure(
        options.database_url, params_of(options), reuse=options.reuse, stats=not options.no_stats
    )
    print(f"Số dòng: {state['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

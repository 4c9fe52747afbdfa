"""PostgreSQL helpers shared by the benchmark scripts (run as `python bench/<name>.py`)."""

import json
import time
from urllib.parse import urlparse

MARKER_TABLE = "bench_marker"


def _admin_url(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    return parsed.path.lstrip("/"), parsed._replace(path="/postgres").geturl()


def prepare_database(url: str, *, recreate: bool) -> None:
    """Create the benchmark database named in `url` (dropping it first when `recreate`)."""
    import psycopg

    name, admin = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if exists and recreate:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def marker_read(url: str) -> dict | None:
    """What the generator wrote in the database's marker table once its data was complete
    (parameters, counts, timings); None when the database, the table or the row is missing."""
    import psycopg

    name, admin = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone():
            return None
    with psycopg.connect(url) as connection:
        if not connection.execute("SELECT to_regclass(%s)", (MARKER_TABLE,)).fetchone()[0]:
            return None
        row = connection.execute(f"SELECT state FROM {MARKER_TABLE}").fetchone()  # noqa: S608
    return row[0] if row else None


def marker_write(url: str, state: dict) -> None:
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(url) as connection:
        connection.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (state jsonb NOT NULL)")
        connection.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608
        connection.execute(
            f"INSERT INTO {MARKER_TABLE} (state) VALUES (%s)",  # noqa: S608
            (Jsonb(json.loads(json.dumps(state, default=str))),),
        )


def drop_secondary(cursor, tables: list[str]) -> list[str]:
    """Drop the plain indexes and foreign keys of `tables` (kept: primary keys, unique and
    check constraints); returns the statements that put them back, indexes first (the foreign
    keys' validation uses the referenced tables' keys)."""
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
    return sorted(restore, key=lambda s: not s.startswith("CREATE"))


# What a lookup by code reads: the dossiers, their events, applicants, procedure versions and
# agencies, with their indexes.
LOOKUP_TABLES = (
    "dossiers_dossier",
    "dossiers_dossierevent",
    "accounts_user",
    "catalog_procedureversion",
    "catalog_agency",
)


def prewarm(url: str, tables: tuple[str, ...] = LOOKUP_TABLES) -> dict:
    """Read `tables` and their indexes into memory before a measurement (pg_prewarm), as on a
    server that has been answering lookups for a while.

    Into PostgreSQL's shared buffers when they can hold them; otherwise only into the kernel's
    page cache, with a warning: this machine's kernel pages idle cache out within seconds
    (DAMON reclaim), so a lookup over 1M dossiers then reads from disk and the run measures the
    disk. A database server is configured with shared_buffers of about a quarter of its memory
    (docs/deployment.md); here `ALTER SYSTEM SET shared_buffers = '3GB'` and a restart."""
    import psycopg

    relations = (
        "SELECT c.oid FROM pg_class c WHERE c.relname = ANY(%(t)s) OR c.oid IN "
        "(SELECT indexrelid FROM pg_index WHERE indrelid IN "
        "(SELECT oid FROM pg_class WHERE relname = ANY(%(t)s)))"
    )
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        size = connection.execute(
            f"SELECT coalesce(sum(pg_relation_size(oid)), 0) FROM ({relations}) r",  # noqa: S608
            {"t": list(tables)},
        ).fetchone()[0]
        buffers = connection.execute(
            "SELECT setting::bigint * current_setting('block_size')::bigint "
            "FROM pg_settings WHERE name = 'shared_buffers'"
        ).fetchone()[0]
        mode = "buffer" if size < 0.8 * buffers else "read"
        if mode == "read":
            print(
                f"  CẢNH BÁO: shared_buffers ({buffers // 2**20} MB) không chứa được dữ liệu tra "
                f"cứu ({size // 2**20} MB): kết quả có thể đo tốc độ đĩa. "
                "ALTER SYSTEM SET shared_buffers = '3GB' rồi khởi động lại PostgreSQL."
            )
        started = time.perf_counter()
        connection.execute(
            f"SELECT sum(pg_prewarm(oid, %(mode)s)) FROM ({relations}) r",  # noqa: S608
            {"t": list(tables), "mode": mode},
        )
    return {
        "mb": round(size / 2**20),
        "mode": mode,
        "shared_buffers_mb": buffers // 2**20,
        "seconds": round(time.perf_counter() - started, 1),
    }

"""Dossier codes: `<agency code>-<yymmdd>-<4-digit sequence of that agency that day>`.

The sequence is one upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), atomic on
PostgreSQL and SQLite alike, so concurrent submissions never get the same number. It runs in
the submission's transaction: a rolled-back submission gives its number back only if nothing
else took the next one (numbers may skip; they never repeat).
"""

import datetime as dt

from django.db import connection
from django.utils import timezone

from ..models import DossierCodeSequence


def next_sequence(*, agency_id: int, day: dt.date) -> int:
    table = connection.ops.quote_name(DossierCodeSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608
            "ON CONFLICT (agency_id, day) DO UPDATE SET last = "
            f"{table}.last + 1 RETURNING last",
            [agency_id, day],
        )
        return int(cursor.fetchone()[0])


def dossier_code_next(*, agency, when: dt.datetime | None = None) -> str:
    day = timezone.localdate(when or timezone.now())
    number = next_sequence(agency_id=agency.pk, day=day)
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"

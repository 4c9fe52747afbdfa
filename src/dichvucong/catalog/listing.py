"""One page of the public list ("Thủ tục hành chính"), as plain rows, from SQL compiled once.

`selectors.procedure_list` is the reference: the filters and the ranked search built with the
ORM. Building that queryset and compiling it costs more CPU than the database spends answering
it (about 4 ms for a ranked search, bench/catalogue.py), although its text depends only on the
*shape* of the request: which filters are set, how many words the query has and how many
alternatives (abbreviations) each word brings. So the queryset is built and compiled once per
shape, with stand-ins for the agency, the field and the words, and each request only puts its
own values in place of the stand-ins and runs the SQL through a cursor (no model instances).

The words reach the SQL exactly as the ORM would pass them: the query's words are made only of
[a-z0-9.] (`search.normalise`), so no LIKE escaping applies, and `_compile` checks that every
stand-in was found. tests/test_listing.py compares the two ways over many queries and filters.
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Window

from . import search, selectors

# Private-use characters: neither LIKE wildcards nor escaped, never in a normalised word.
_SLOT = "\ue000{}\ue001"
_SLOT_PATTERN = re.compile("\ue000(\\d+)\ue001")
_AGENCY = -7_000_000_001
_FIELD = -7_000_000_002
_WORD = re.compile(r"^[a-z0-9. ]+$")

ROW_COLUMNS = (
    "id",
    "name",
    "national_code",
    "agency__name",
    "field__name",
    "current_version__level_3",
    "current_version__level_4",
    "current_version__processing_days",
)


@dataclass(frozen=True)
class ListRow:
    """A row of the list as read: booleans may be 0/1 (SQLite, no converters on a cursor)."""

    pk: int
    name: str
    national_code: str
    agency_name: str
    field_name: str
    level_3: bool
    level_4: bool
    processing_days: int


@dataclass(frozen=True)
class _Param:
    """One parameter of the compiled SQL: a constant, the agency or field id, or a text with
    one word of the query in place of `slot`."""

    constant: object = None
    source: str = ""  # "", "agency", "field" or "word"
    slot: int = 0
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class _Compiled:
    rows_sql: str
    rows_params: tuple[_Param, ...]
    count_sql: str
    count_params: tuple[_Param, ...]
    windowed: bool


def _params(params) -> tuple[_Param, ...]:
    compiled = []
    for param in params:
        if isinstance(param, int) and param in (_AGENCY, _FIELD):
            compiled.append(_Param(source="agency" if param == _AGENCY else "field"))
        elif isinstance(param, str) and "\ue000" in param:
            slots = list(_SLOT_PATTERN.finditer(param))
            if len(slots) != 1:
                raise AssertionError(f"one stand-in per parameter expected: {param!r}")
            match = slots[0]
            compiled.append(
                _Param(
                    source="word",
                    slot=int(match.group(1)),
                    before=param[: match.start()],
                    after=param[match.end() :],
                )
            )
        else:
            compiled.append(_Param(constant=param))
    return tuple(compiled)


@dataclass(frozen=True)
class _Stand:
    pk: int


@lru_cache(maxsize=512)
def _compile(
    vendor: str,
    has_agency: bool,
    has_field: bool,
    level: int | None,
    has_query: bool,
    group_sizes: tuple[int, ...],
    phrase_count: int,
) -> _Compiled:
    """The SQL of one shape (`vendor` keys the cache: tests run on both databases)."""
    slots = iter(range(10_000))
    text = _SLOT.format(next(slots)) if group_sizes else ""
    groups = tuple(tuple(_SLOT.format(next(slots)) for _ in range(size)) for size in group_sizes)
    phrases = (text, *(_SLOT.format(next(slots)) for _ in range(phrase_count - 1)))
    parsed = search.ParsedQuery(text=text, groups=groups, phrases=phrases if group_sizes else ())
    filters = selectors.ProcedureFilters(
        agency=_Stand(_AGENCY) if has_agency else None,
        field=_Stand(_FIELD) if has_field else None,
        level=level,
        query="-" if has_query else "",
    )
    queryset = selectors.procedure_list(filters, parsed=parsed)
    windowed = has_query  # a search counts its results in its page (one pass over the matches)
    if windowed:
        rows = queryset.annotate(total_rows=Window(expression=Count("pk")))
        rows = rows.values_list(*ROW_COLUMNS, "total_rows")
    else:
        rows = queryset.values_list(*ROW_COLUMNS)
    rows_sql, rows_params = rows.query.sql_with_params()
    count_sql, count_params = queryset.order_by().values_list("id").query.sql_with_params()
    compiled = _Compiled(
        rows_sql=rows_sql,
        rows_params=_params(rows_params),
        count_sql=f"SELECT COUNT(*) FROM ({count_sql}) counted",  # noqa: S608 - compiled SQL
        count_params=_params(count_params),
        windowed=windowed,
    )
    wanted = set(range(1 + sum(group_sizes) + phrase_count - 1)) if group_sizes else set()
    found = {p.slot for p in compiled.rows_params if p.source == "word"}
    sources = {p.source for p in compiled.rows_params}
    if found != wanted or has_agency != ("agency" in sources) or has_field != ("field" in sources):
        raise AssertionError("a stand-in of the catalogue list is missing from its SQL")
    return compiled


def _fill(params: tuple[_Param, ...], words: list[str], agency_pk, field_pk) -> list:
    values = []
    for param in params:
        if param.source == "word":
            values.append(param.before + words[param.slot] + param.after)
        elif param.source == "agency":
            values.append(agency_pk)
        elif param.source == "field":
            values.append(field_pk)
        else:
            values.append(param.constant)
    return values


def procedure_page(filters: selectors.ProcedureFilters, number, per_page: int) -> Page:
    """The page `number` (1 when missing or not a number; the last when past the end) of
    `selectors.procedure_list(filters)`, its `object_list` made of `ListRow`s, and its
    paginator's count set: a search counts in its page's query (`COUNT(*) OVER ()`), a plain
    list by a separate COUNT (cheaper than numbering every row in a window)."""
    try:
        wanted = max(int(str(number)), 1)
    except (TypeError, ValueError):
        wanted = 1
    parsed = search.parse_query(filters.query) if filters.query else search.ParsedQuery("")
    words = [parsed.text, *(w for group in parsed.groups for w in group), *parsed.phrases[1:]]
    if not all(_WORD.match(word) for word in words if word):
        raise AssertionError("a normalised query holds only [a-z0-9. ]")
    compiled = _compile(
        connection.vendor,
        filters.agency is not None,
        filters.field is not None,
        filters.level if filters.level in (3, 4) else None,
        bool(filters.query),
        tuple(len(group) for group in parsed.groups),
        len(parsed.phrases),
    )
    agency_pk = filters.agency.pk if filters.agency is not None else None
    field_pk = filters.field.pk if filters.field is not None else None
    rows_params = _fill(compiled.rows_params, words, agency_pk, field_pk)

    def fetch(page_number: int) -> list[tuple]:
        limit = f" LIMIT {int(per_page)} OFFSET {(page_number - 1) * int(per_page)}"
        with connection.cursor() as cursor:
            cursor.execute(compiled.rows_sql + limit, rows_params)
            return cursor.fetchall()

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                compiled.count_sql, _fill(compiled.count_params, words, agency_pk, field_pk)
            )
            return cursor.fetchone()[0]

    if compiled.windowed:
        rows = fetch(wanted)
        if rows:
            total = rows[0][-1]
        elif wanted > 1:
            total = count()
            wanted = max(math.ceil(total / per_page), 1)
            rows = fetch(wanted)
        else:
            total = 0
    else:
        total = count()
        wanted = min(wanted, max(math.ceil(total / per_page), 1))
        rows = fetch(wanted)
    paginator = Paginator([], per_page)
    paginator.__dict__["count"] = total  # Paginator.count is a cached_property
    width = len(ROW_COLUMNS)
    return Page([ListRow(*row[:width]) for row in rows], wanted, paginator)

"""Vietnamese catalogue search (DESIGN §6), identical on SQLite and PostgreSQL.

Both databases compare on a normalised column, `Procedure.search_text`, written by the services:
text folded by `core.text.fold` (lower case, marks removed, so "đ" = "d" and "hòa" = "hoà"),
punctuation turned into spaces, national codes kept whole ("1.000105"). A query is normalised the
same way and split into words; every word must occur at the start of a word of the text (so
partial words match: "lao d" finds "lao động", while "an" does not find "toàn"), and a word
that is a known abbreviation (data/abbreviations.json) may match its full phrase instead.
National codes are also indexed without their prefix ("000105" finds "1.000105").
On PostgreSQL a trigram GIN index serves these LIKE '%…%' tests (migration 0003);
SQLite scans the folded column, which is fine at a province's scale.

Ranking: exact national code, then exact name, then the phrase inside the name, then the
phrase anywhere, then every word in the name, then the rest; ties by folded name.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate

from dichvucong.core.text import fold

ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.json"
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12

_TOKEN = re.compile(r"\d+(?:\.\d+)+|[a-z0-9]+")
_CODE = re.compile(r"^\d+(?:\.\d+)+$")


def normalise(text: str) -> str:
    """'Cấp giấy phép (GPLĐ) – 1.000105' -> 'cap giay phep gpld 1.000105'."""
    return " ".join(_TOKEN.findall(fold(text or "")))


@cache
def abbreviations() -> dict[str, tuple[str, ...]]:
    """Normalised abbreviation -> normalised full phrases, from data/abbreviations.json."""
    raw = json.loads(ABBREVIATIONS_FILE.read_text(encoding="utf-8"))
    table: dict[str, tuple[str, ...]] = {}
    for key, phrases in raw.items():
        if key.startswith("_"):
            continue
        table[normalise(key)] = tuple(normalise(p) for p in phrases)
    return table


def search_document(*parts: str) -> str:
    """The `search_text` of a procedure: its texts normalised, plus the full phrases of the
    abbreviations they contain (so "ATVSLĐ" in a name is found by "an toan ve sinh lao dong").

    It starts with a space, so that "a word starting with x" is the single test LIKE '% x%'.
    """
    text = " ".join(p for p in (normalise(part) for part in parts) if p)
    words = set(text.split())
    codes = [word for word in words if _CODE.match(word)]
    variants = [v for code in codes for v in (code.replace(".", ""), code.split(".", 1)[1])]
    expansions = [
        phrase
        for abbreviation, phrases in abbreviations().items()
        if abbreviation in words
        for phrase in phrases
    ]
    return " " + " ".join([text, *sorted(set(variants)), *expansions]).strip()


@dataclass(frozen=True)
class ParsedQuery:
    """A normalised query: `text` as typed (normalised), `groups` of alternatives per word,
    and `phrases` (the text, and the text with abbreviations written out)."""

    text: str
    groups: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    phrases: tuple[str, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.groups)


def parse_query(raw: str) -> ParsedQuery:
    text = normalise((raw or "")[:MAX_QUERY_LENGTH])
    words = text.split()[:MAX_QUERY_WORDS]
    text = " ".join(words)
    table = abbreviations()
    groups = tuple((word, *table.get(word, ())) for word in words)
    expanded = " ".join(table[word][0] if word in table else word for word in words)
    phrases = tuple(dict.fromkeys(p for p in (text, expanded) if p))
    return ParsedQuery(text=text, groups=groups, phrases=phrases)


def _at_word_start(column: str, alternatives: tuple[str, ...]) -> Q:
    """`column` has one of the alternatives at the start of one of its words."""
    condition = Q()
    for alternative in alternatives:
        condition |= Q(**{f"{column}__startswith": alternative})
        condition |= Q(**{f"{column}__contains": f" {alternative}"})
    return condition


def _in_document(alternatives: tuple[str, ...]) -> Q:
    """`search_text` (which starts with a space) has one of the alternatives at a word start."""
    condition = Q()
    for alternative in alternatives:
        condition |= Q(search_text__contains=f" {alternative}")
    return condition


def name_order():
    """Order by the folded name byte by byte on every database: PostgreSQL databases created
    with a linguistic collation (en_US, vi_VN) would otherwise ignore spaces and sort
    differently from SQLite."""
    if connection.vendor == "postgresql":
        return Collate(F("name_search"), "C").asc()
    return F("name_search").asc()


def apply_search(queryset: QuerySet, raw_query: str) -> QuerySet:
    """Filter `queryset` (of Procedure) by the query and order it by relevance.

    Without a usable query the queryset is returned unchanged.
    """
    return apply_parsed(queryset, parse_query(raw_query))


def apply_parsed(queryset: QuerySet, query: ParsedQuery) -> QuerySet:
    """`apply_search` with the query already parsed (listing.py compiles the SQL once per
    shape of query, with stand-ins for the words)."""
    if not query:
        return queryset
    matches = Q()
    in_name = Q()
    for group in query.groups:
        matches &= _in_document(group)
        in_name &= _at_word_start("name_search", group)
    exact_name = Q()
    phrase_in_name = Q()
    phrase_anywhere = Q()
    for phrase in query.phrases:
        exact_name |= Q(name_search=phrase)
        phrase_in_name |= _at_word_start("name_search", (phrase,))
        phrase_anywhere |= _in_document((phrase,))
    is_code = Q(national_code=query.text)
    rank = Case(
        When(is_code, then=Value(0)),
        When(exact_name, then=Value(1)),
        When(phrase_in_name, then=Value(2)),
        When(phrase_anywhere, then=Value(3)),
        When(in_name, then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(matches | is_code)
        .annotate(search_rank=rank)
        .order_by("search_rank", name_order(), "id")
    )

"""Vietnamese text helpers that know no app: normalisation for input, search and SMS."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """Input is stored in Unicode NFC so that 'ệ' typed two ways is one letter."""
    return unicodedata.normalize("NFC", value)


def clean_spaces(value: str) -> str:
    return _SPACES.sub(" ", nfc(value)).strip()


def fold(value: str) -> str:
    """Lower case without diacritics, with 'đ' as 'd': the form search and SMS compare on.

    Both tone placements ('hòa' / 'hoà') fold to the same letters because the marks go.
    """
    decomposed = unicodedata.normalize("NFD", value.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return clean_spaces(stripped.replace("đ", "d").replace("Đ", "d"))


def without_diacritics(value: str) -> str:
    """Same letters without marks, case kept: SMS for gateways that cannot send Unicode."""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D")

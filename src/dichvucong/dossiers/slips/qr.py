"""The QR code printed on every slip: it opens the dossier on the public lookup page
("Tra cứu hồ sơ", built at /tra-cuu/?ma=<code>), so anyone holding the paper can follow it."""

from urllib.parse import urlencode

import segno
from django.conf import settings


def lookup_url(code: str) -> str:
    """The public lookup page of a dossier: PORTAL_BASE_URL + /tra-cuu/?ma=<code>."""
    return settings.PORTAL_BASE_URL.rstrip("/") + "/tra-cuu/?" + urlencode({"ma": code})


def _qr(url: str) -> segno.QRCode:
    # Level M survives a fold or a stain on printed paper; never a Micro QR (phones miss them).
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> str:
    """The QR code as SVG markup, one unit per module and no quiet zone (the slip's white
    margin around the image gives it)."""
    return _qr(url).svg_inline(scale=1, border=0, dark="#000")


def qr_data_uri(url: str) -> str:
    """The same SVG as a data: URI for an <img> (WeasyPrint draws it as vector paths)."""
    return _qr(url).svg_data_uri(scale=1, border=0, dark="#000")


def qr_matrix(url: str) -> list[list[bool]]:
    """The modules (True = dark), row by row: what a scanner must read back."""
    return [[bool(cell) for cell in row] for row in _qr(url).matrix]

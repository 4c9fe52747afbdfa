"""HTML → PDF with WeasyPrint, fetching nothing from outside.

The slips carry text typed by people (names, notes, reasons): the templates escape it, and the
fetcher accepts only data: URIs, so no slip can make the server read a file or call a URL.
"""

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def render_html(template: str, context: dict) -> str:
    return render_to_string(f"dossiers/slips/{template}.html", context)


def html_to_pdf(html: str) -> bytes:
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()

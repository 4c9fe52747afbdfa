"""How a dossier's files and slips are sent: one place for the headers the applicant pages,
the back office and the API all use (never sniffed, never cached, no script in a file)."""

from django.http import FileResponse, HttpResponse


def attachment_response(attachment, *, inline: bool = False, framed: bool = False) -> FileResponse:
    """A dossier file as a download (or inline for a preview; `framed`: the back office shows
    previews in a frame of its own pages). The caller has checked who may see it."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    frames = " frame-ancestors 'self';" if framed else ""
    response["Content-Security-Policy"] = f"default-src 'none';{frames} sandbox"
    return response


def slip_response(pdf: bytes, *, kind: str, dossier) -> HttpResponse:
    """A slip's PDF, shown in the browser, named after the slip and the dossier code."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{dossier.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response

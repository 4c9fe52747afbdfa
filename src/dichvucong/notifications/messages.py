"""Message wording: the file templates, the administrators' overrides, and rendering.

A message is `notifications/messages/<name>.<channel>.txt` (any app's templates folder; an
email's first line is its subject) unless an active `MessageTemplate` row for (name, channel)
replaces it. Both are Django templates rendered without HTML escaping: they are plain text.
"""

import datetime as dt
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine, Template, TemplateSyntaxError, engines
from django.template.loader import render_to_string
from django.template.utils import get_app_template_dirs
from django.utils.translation import gettext as _

from dichvucong.core.text import without_diacritics

from .models import MessageTemplate, NotificationChannel

MESSAGES_DIR = "notifications/messages"
# UCS-2 (Vietnamese with marks): 70 characters in one SMS, 67 per part when split.
SMS_ONE_SEGMENT = 70
SMS_TWO_SEGMENTS = 134


class MessageTemplateError(ValueError):
    """An administrator's template does not compile or does not render."""


def sms_segments(text: str) -> int:
    """How many SMS parts `text` costs (UCS-2 if any character is outside plain ASCII)."""
    if text.isascii():
        single, part = 160, 153
    else:
        single, part = SMS_ONE_SEGMENT, SMS_TWO_SEGMENTS // 2
    return 1 if len(text) <= single else -(-len(text) // part)


def _engine() -> Engine:
    """The project's Django template engine (its filters, libraries and loaders)."""
    return engines["django"].engine  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _template_dirs() -> tuple[Path, ...]:
    dirs = [Path(d) for d in _engine().dirs]
    dirs += [Path(d) for d in get_app_template_dirs("templates")]
    return tuple(d / MESSAGES_DIR for d in dirs if (d / MESSAGES_DIR).is_dir())


def file_templates() -> list[tuple[str, str]]:
    """Every (name, channel) that has a file template, sorted."""
    found = set()
    for folder in _template_dirs():
        for path in folder.glob("*.txt"):
            name, _dot, channel = path.stem.rpartition(".")
            if name and channel in NotificationChannel.values:
                found.add((name, channel))
    return sorted(found)


def file_template_source(*, name: str, channel: str) -> tuple[str, str]:
    """Subject and body of the file template as written (for the admin's starting point)."""
    for folder in _template_dirs():
        path = folder / f"{name}.{channel}.txt"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            text = text.replace("{% autoescape off %}", "").replace("{% endautoescape %}", "")
            text = text.strip()
            if channel == NotificationChannel.EMAIL:
                first, _nl, rest = text.partition("\n")
                return first.strip(), rest.strip()
            return "", text
    return "", ""


def _compile(source: str) -> Template:
    """A plain-text template: autoescape off, the project's engine (filters, libraries)."""
    try:
        return _engine().from_string("{% autoescape off %}" + source + "{% endautoescape %}")
    except TemplateSyntaxError as exc:
        raise MessageTemplateError(_("Mẫu có lỗi cú pháp: %(error)s") % {"error": exc}) from exc


def render_source(*, subject: str, body: str, context: dict) -> tuple[str, str]:
    """Render an administrator's subject and body (raises MessageTemplateError)."""
    subject_template, body_template = _compile(subject), _compile(body)
    try:
        rendered_subject = subject_template.render(Context(context))
        rendered_body = body_template.render(Context(context))
    except Exception as exc:  # a filter may raise anything on odd values
        raise MessageTemplateError(
            _("Mẫu không hiển thị được với dữ liệu mẫu: %(error)s") % {"error": exc}
        ) from exc
    return " ".join(rendered_subject.split()), rendered_body.strip()


def render_message(*, template: str, channel: str, context: dict) -> tuple[str, str]:
    """Subject and body of the message `template` on `channel` for `context`.

    The administrators' active wording wins over the file; SMS lose their marks when the
    gateway needs it (SMS_WITHOUT_DIACRITICS). SMS and in-app messages have no subject.
    """
    override = (
        MessageTemplate.objects.filter(name=template, channel=channel, is_active=True)
        .only("subject", "body")
        .first()
    )
    if override is not None:
        subject, text = render_source(subject=override.subject, body=override.body, context=context)
        if channel != NotificationChannel.EMAIL:
            subject = ""
    else:
        text = render_to_string(f"{MESSAGES_DIR}/{template}.{channel}.txt", context).strip()
        subject = ""
        if channel == NotificationChannel.EMAIL:
            first, _nl, rest = text.partition("\n")
            subject, text = first.strip(), rest.strip()
    if channel == NotificationChannel.SMS:
        text = " ".join(text.split())
        if settings.SMS_WITHOUT_DIACRITICS:
            text = without_diacritics(text)
    return subject, text


# --- Sample data: the admin's preview and the length checks ----------------------------------


def _dossier_sample(**extra) -> dict:
    today = dt.date(2026, 11, 23)
    return {
        "name": "Nguyễn Thị Thanh Hương",
        "code": "000.00.31.H10-261123-0007",
        "procedure": "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
        "agency": "Sở Lao động - Thương binh và Xã hội",
        "status": "Đã tiếp nhận",
        "level": 3,
        "processing_days": 10,
        "due": (today + dt.timedelta(days=14)).strftime("%d/%m/%Y"),
        "link": settings.PORTAL_BASE_URL.rstrip("/") + "/ho-so/1234/",
        "portal": settings.PORTAL_NAME,
        "hotline": settings.PORTAL_HOTLINE,
        "note": "",
        **extra,
    }


def sample_context(name: str) -> dict:
    """Realistic values for `name`'s context (longest plausible), for previews and checks."""
    common = {"portal": settings.PORTAL_NAME, "hotline": settings.PORTAL_HOTLINE}
    samples = {
        "verify_email": {
            **common,
            "name": "Nguyễn Thị Thanh Hương",
            "code": "482913",
            "minutes": settings.VERIFICATION_CODE_TTL_MINUTES,
            "link": settings.PORTAL_BASE_URL.rstrip("/")
            + "/tai-khoan/xac-thuc/email/Zk3xJ9aP0q2Lw7Rt5Yb1Hc8Nd4Mf6Gs/",
        },
        "verify_phone": {**common, "code": "482913", "minutes": 15},
        "reset_password": {
            **common,
            "name": "Nguyễn Thị Thanh Hương",
            "code": "482913",
            "minutes": settings.VERIFICATION_CODE_TTL_MINUTES,
        },
        "dossier_supplement_requested": _dossier_sample(
            status="Yêu cầu bổ sung hồ sơ",
            note="Bản sao hộ chiếu bị mờ, không đọc được số hộ chiếu; đề nghị nộp lại bản rõ nét.",
            missing=["Bản sao hộ chiếu", "Giấy chứng nhận sức khỏe"],
        ),
        "dossier_refused": _dossier_sample(
            status="Từ chối tiếp nhận",
            note="Thủ tục không thuộc thẩm quyền giải quyết của Sở; đề nghị nộp tại UBND cấp xã.",
        ),
        "dossier_result_ready": _dossier_sample(status="Đã có kết quả"),
        "dossier_not_resolved": _dossier_sample(
            status="Không giải quyết (kèm lý do)",
            note="Người lao động chưa đủ điều kiện theo Điều 151 Bộ luật Lao động.",
        ),
        "dossier_returned": _dossier_sample(status="Đã trả kết quả"),
        "dossier_apology": _dossier_sample(
            due="15/12/2026",
            new_due="15/12/2026",
            old_due="07/12/2026",
            note="Cần lấy ý kiến của cơ quan công an về lý lịch người lao động.",
        ),
        "staff_digest": {
            **common,
            "name": "Trần Văn Bình",
            "agency": "Sở Lao động - Thương binh và Xã hội",
            "date": "23/11/2026",
            "link": settings.PORTAL_BASE_URL.rstrip("/") + "/",
            "due_soon": [
                {
                    "code": "000.00.31.H10-261110-0003",
                    "procedure": "Cấp giấy phép lao động cho người lao động nước ngoài",
                    "due": "24/11/2026",
                }
            ],
            "overdue": [
                {
                    "code": "000.00.31.H10-261028-0012",
                    "procedure": "Cấp lại giấy phép lao động",
                    "due": "20/11/2026",
                }
            ],
        },
    }
    return samples.get(name) or _dossier_sample()

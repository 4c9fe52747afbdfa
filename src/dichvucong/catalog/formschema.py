"""Declaration forms (tờ khai) described as JSON: the schema, its validator, the Django form.

A procedure version carries a schema such as::

    {"title": "Tờ khai ...",
     "fields": [
        {"name": "ho_ten", "type": "text", "label": "Họ và tên", "required": true,
         "help": "…", "validation": {"max_length": 150}},
        {"name": "loai", "type": "select", "label": "…", "options": [{"value": "a", "label": "A"}]},
        {"name": "thiet_bi", "type": "rows", "label": "…", "min_rows": 1, "max_rows": 50,
         "columns": [ …fields of the simple types… ]}]}

`validate_schema(schema)` refuses a bad schema with a `ValidationError` whose messages (in
Vietnamese) list every problem and where it is; the admin's schema editor shows them.
`schema_form_class(schema)` builds the Django form the submission pages render with the
`{% field %}` tag: labels, "*" for required fields, hints, Vietnamese errors, and values cleaned
to JSON-serialisable data (dates as ISO strings, addresses as dicts, rows as lists of dicts) so
a dossier can store them as they are and give them back as `initial` to edit a draft.

Types: text, textarea, number, date, select, checkbox, id_number (CMND/CCCD/passport), phone,
email, address (province + ward + street) and rows (a table of the simple types, with a fixed
number of blank rows so that it works without JavaScript).
"""

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dichvucong.core.forms import TextField, VnDateField
from dichvucong.core.text import nfc
from dichvucong.core.validators import normalise_phone, parse_id_number, validate_mobile_phone

SCHEMA_FORMAT_VERSION = 1
FIELD_TYPES = (
    "text",
    "textarea",
    "number",
    "date",
    "select",
    "checkbox",
    "id_number",
    "phone",
    "email",
    "address",
    "rows",
)
COLUMN_TYPES = tuple(t for t in FIELD_TYPES if t not in ("address", "rows"))
TYPE_LABELS = {
    "text": gettext_lazy("Chữ một dòng"),
    "textarea": gettext_lazy("Đoạn văn"),
    "number": gettext_lazy("Số"),
    "date": gettext_lazy("Ngày"),
    "select": gettext_lazy("Chọn một trong danh sách"),
    "checkbox": gettext_lazy("Ô đánh dấu"),
    "id_number": gettext_lazy("Số CMND/CCCD/Hộ chiếu"),
    "phone": gettext_lazy("Số điện thoại"),
    "email": gettext_lazy("Thư điện tử"),
    "address": gettext_lazy("Địa chỉ (tỉnh, xã/phường, số nhà)"),
    "rows": gettext_lazy("Bảng nhiều dòng"),
}
VALIDATION_KEYS: dict[str, frozenset[str]] = {
    "text": frozenset({"max_length", "min_length", "pattern", "pattern_message"}),
    "textarea": frozenset({"max_length", "min_length"}),
    "number": frozenset({"min", "max", "decimal_places"}),
    "date": frozenset({"min_date", "max_date"}),
    "select": frozenset(),
    "checkbox": frozenset(),
    "id_number": frozenset({"pattern", "pattern_message"}),
    "phone": frozenset({"pattern", "pattern_message"}),
    "email": frozenset({"max_length"}),
    "address": frozenset(),
    "rows": frozenset(),
}
TOP_KEYS = frozenset({"title", "fields", "schema_version", "description"})
FIELD_KEYS = frozenset(
    {
        "name",
        "type",
        "label",
        "required",
        "help",
        "validation",
        "options",
        "columns",
        "min_rows",
        "max_rows",
    }
)
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
RELATIVE_DATE = re.compile(r"^today(?:([+-])(\d{1,5}))?$")
MAX_FIELDS = 200
MAX_COLUMNS = 20
MAX_OPTIONS = 500
MAX_ROWS_LIMIT = 500
DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 5000, "email": 254}
MAX_LENGTH_LIMIT = 100_000
MAX_NUMBER_DIGITS = 18
BLANK_ROWS = 3

PROVINCES_FILE = Path(__file__).resolve().parent / "data" / "provinces.json"


@cache
def provinces() -> tuple[str, ...]:
    """The provinces offered by the address type (data/provinces.json)."""
    return tuple(json.loads(PROVINCES_FILE.read_text(encoding="utf-8"))["provinces"])


# --- Validation of a schema ---------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def resolve_date(value: str, today: dt.date | None = None) -> dt.date:
    """'today', 'today+30', 'today-7' or an ISO date -> a date (today in Asia/Ho_Chi_Minh)."""
    match = RELATIVE_DATE.match(value)
    if match:
        base = today or timezone.localdate()
        sign, days = match.groups()
        offset = int(days or 0) * (-1 if sign == "-" else 1)
        return base + dt.timedelta(days=offset)
    return dt.date.fromisoformat(value)


class _Problems:
    """Collects Vietnamese messages, each prefixed with where the problem is."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}" if where else message)


def _where(index: int, item: Any, parent: str = "") -> str:
    name = item.get("name") if isinstance(item, dict) else None
    if parent:
        base = _("Cột số %(n)s của %(parent)s") % {"n": index + 1, "parent": parent}
    else:
        base = _("Trường số %(n)s") % {"n": index + 1}
    if isinstance(name, str) and name:
        return f'{base} ("{name}")'
    return base


def _check_validation(item: dict, kind: str, where: str, problems: _Problems) -> None:
    rules = item.get("validation", {})
    if rules is None:
        return
    if not isinstance(rules, dict):
        problems.add(
            where, _('"validation" phải là một đối tượng JSON, ví dụ {"max_length": 255}.')
        )
        return
    allowed = VALIDATION_KEYS[kind]
    unknown = sorted(set(rules) - allowed)
    if unknown:
        if allowed:
            problems.add(
                where,
                _("kiểu %(type)s không dùng quy tắc %(keys)s (được dùng: %(allowed)s).")
                % {
                    "type": kind,
                    "keys": ", ".join(unknown),
                    "allowed": ", ".join(sorted(allowed)),
                },
            )
        else:
            problems.add(
                where,
                _("kiểu %(type)s không có quy tắc kiểm tra nào, bỏ %(keys)s.")
                % {"type": kind, "keys": ", ".join(unknown)},
            )
    for key in ("max_length", "min_length"):
        if key in rules and not (_is_int(rules[key]) and 0 < rules[key] <= MAX_LENGTH_LIMIT):
            problems.add(
                where,
                _("%(key)s phải là số nguyên từ 1 đến %(limit)s.")
                % {"key": key, "limit": MAX_LENGTH_LIMIT},
            )
    if (
        _is_int(rules.get("min_length"))
        and _is_int(rules.get("max_length"))
        and rules["min_length"] > rules["max_length"]
    ):
        problems.add(where, _("min_length không được lớn hơn max_length."))
    if "pattern" in rules:
        pattern = rules["pattern"]
        if not isinstance(pattern, str) or not pattern or len(pattern) > 500:
            problems.add(where, _("pattern phải là một biểu thức chính quy (tối đa 500 ký tự)."))
        else:
            try:
                re.compile(pattern)
            except re.error as error:
                problems.add(
                    where,
                    _("pattern không phải biểu thức chính quy hợp lệ (%(error)s).")
                    % {"error": error},
                )
    if "pattern_message" in rules:
        if "pattern" not in rules:
            problems.add(where, _("pattern_message chỉ dùng cùng với pattern."))
        elif not isinstance(rules["pattern_message"], str) or not rules["pattern_message"].strip():
            problems.add(where, _("pattern_message phải là một câu thông báo lỗi."))
    for key in ("min", "max"):
        if key in rules and not _is_number(rules[key]):
            problems.add(where, _("%(key)s phải là một số.") % {"key": key})
    if (
        _is_number(rules.get("min"))
        and _is_number(rules.get("max"))
        and rules["min"] > rules["max"]
    ):
        problems.add(where, _("min không được lớn hơn max."))
    if "decimal_places" in rules and not (
        _is_int(rules["decimal_places"]) and 0 <= rules["decimal_places"] <= 6
    ):
        problems.add(where, _("decimal_places phải là số nguyên từ 0 đến 6."))
    dates: dict[str, dt.date] = {}
    for key in ("min_date", "max_date"):
        if key not in rules:
            continue
        value = rules[key]
        try:
            if not isinstance(value, str):
                raise ValueError
            dates[key] = resolve_date(value, today=dt.date(2000, 1, 1))
        except ValueError:
            problems.add(
                where,
                _(
                    '%(key)s phải là "today", "today+N", "today-N" (N ngày) '
                    "hoặc một ngày dạng YYYY-MM-DD."
                )
                % {"key": key},
            )
    fixed_dates = len(dates) == 2 and all(not RELATIVE_DATE.match(rules[k]) for k in dates)
    if fixed_dates and dates["min_date"] > dates["max_date"]:
        problems.add(where, _("min_date không được sau max_date."))


def _check_options(item: dict, where: str, problems: _Problems) -> None:
    options = item.get("options")
    if not isinstance(options, list) or not options:
        problems.add(
            where,
            _('kiểu select cần "options": danh sách [{"value": "...", "label": "..."}].'),
        )
        return
    if len(options) > MAX_OPTIONS:
        problems.add(where, _("tối đa %(n)s lựa chọn.") % {"n": MAX_OPTIONS})
    seen: set[str] = set()
    for number, option in enumerate(options, start=1):
        if (
            not isinstance(option, dict)
            or set(option) - {"value", "label"}
            or not isinstance(option.get("value"), str)
            or not option["value"].strip()
            or not isinstance(option.get("label"), str)
            or not option["label"].strip()
        ):
            problems.add(
                where,
                _('lựa chọn số %(n)s phải có dạng {"value": "...", "label": "..."}, không rỗng.')
                % {"n": number},
            )
            continue
        if option["value"] in seen:
            problems.add(
                where,
                _('giá trị lựa chọn "%(value)s" bị lặp.') % {"value": option["value"]},
            )
        seen.add(option["value"])


def _check_field(
    index: int, item: Any, problems: _Problems, *, parent: str = "", names: set[str]
) -> None:
    where = _where(index, item, parent)
    if not isinstance(item, dict):
        problems.add(where, _("phải là một đối tượng JSON có name, type và label."))
        return
    unknown = sorted(set(item) - FIELD_KEYS)
    if unknown:
        problems.add(where, _("khóa không được hỗ trợ: %(keys)s.") % {"keys": ", ".join(unknown)})
    name = item.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        problems.add(
            where,
            _(
                '"name" phải gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng '
                "chữ cái (ví dụ ho_ten), tối đa 63 ký tự."
            ),
        )
    elif name in names:
        problems.add(where, _('tên "%(name)s" bị trùng.') % {"name": name})
    else:
        names.add(name)
    allowed_types = COLUMN_TYPES if parent else FIELD_TYPES
    kind = item.get("type")
    if kind not in allowed_types:
        problems.add(
            where,
            _('kiểu "%(type)s" không hợp lệ; dùng một trong: %(types)s.')
            % {"type": kind, "types": ", ".join(allowed_types)},
        )
        kind = None
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.add(where, _('cần "label" (nhãn hiển thị cho người dân).'))
    elif len(label) > 500:
        problems.add(where, _('"label" tối đa 500 ký tự.'))
    if "required" in item and not isinstance(item["required"], bool):
        problems.add(where, _('"required" phải là true hoặc false.'))
    if "help" in item and item["help"] is not None and not isinstance(item["help"], str):
        problems.add(where, _('"help" phải là một đoạn chữ.'))
    if kind is None:
        return
    _check_validation(item, kind, where, problems)
    if kind == "select":
        _check_options(item, where, problems)
    elif item.get("options") is not None:
        problems.add(where, _('chỉ kiểu select mới có "options".'))
    if kind == "rows":
        _check_rows(item, where, problems)
    else:
        for key in ("columns", "min_rows", "max_rows"):
            if item.get(key) is not None:
                problems.add(where, _('chỉ kiểu rows mới có "%(key)s".') % {"key": key})


def _check_rows(item: dict, where: str, problems: _Problems) -> None:
    columns = item.get("columns")
    if not isinstance(columns, list) or not columns:
        problems.add(where, _('kiểu rows cần "columns": danh sách các cột.'))
    elif len(columns) > MAX_COLUMNS:
        problems.add(where, _("tối đa %(n)s cột.") % {"n": MAX_COLUMNS})
    else:
        names: set[str] = set()
        for number, column in enumerate(columns):
            _check_field(number, column, problems, parent=where, names=names)
    min_rows = item.get("min_rows", 0)
    max_rows = item.get("max_rows", MAX_ROWS_LIMIT)
    if not (_is_int(min_rows) and 0 <= min_rows <= MAX_ROWS_LIMIT):
        problems.add(where, _("min_rows phải là số nguyên từ 0 đến %(n)s.") % {"n": MAX_ROWS_LIMIT})
    if not (_is_int(max_rows) and 1 <= max_rows <= MAX_ROWS_LIMIT):
        problems.add(where, _("max_rows phải là số nguyên từ 1 đến %(n)s.") % {"n": MAX_ROWS_LIMIT})
    if _is_int(min_rows) and _is_int(max_rows) and min_rows > max_rows:
        problems.add(where, _("min_rows không được lớn hơn max_rows."))


def validate_schema(schema: Any) -> dict:
    """Return the schema when it is well formed; else raise ValidationError listing every
    problem in Vietnamese (used by the admin editor, the demo loader and publishing)."""
    problems = _Problems()
    if not isinstance(schema, dict):
        raise ValidationError(
            [_('Mẫu tờ khai phải là một đối tượng JSON có "title" và "fields".')],
            code="schema",
        )
    unknown = sorted(set(schema) - TOP_KEYS)
    if unknown:
        problems.add("", _("Khóa không được hỗ trợ: %(keys)s.") % {"keys": ", ".join(unknown)})
    if "schema_version" in schema and schema["schema_version"] != SCHEMA_FORMAT_VERSION:
        problems.add(
            "",
            _("schema_version chỉ nhận giá trị %(v)s.") % {"v": SCHEMA_FORMAT_VERSION},
        )
    title = schema.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.add("", _('Cần "title": tên tờ khai.'))
    if "description" in schema and not isinstance(schema["description"], str):
        problems.add("", _('"description" phải là một đoạn chữ.'))
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        problems.add("", _('Cần "fields": danh sách ít nhất một trường.'))
    elif len(fields) > MAX_FIELDS:
        problems.add("", _("Tờ khai có tối đa %(n)s trường.") % {"n": MAX_FIELDS})
    else:
        names: set[str] = set()
        for index, item in enumerate(fields):
            _check_field(index, item, problems, names=names)
    if problems.messages:
        raise ValidationError(problems.messages, code="schema")
    return schema


def schema_errors(schema: Any) -> list[str]:
    """The problems of a schema as a list of messages (empty when it is valid)."""
    try:
        validate_schema(schema)
    except ValidationError as error:
        return [str(message) for message in error.messages]
    return []


# --- Building the Django form -------------------------------------------------------------


def _lower_first(label: str) -> str:
    """'Họ và tên' -> 'họ và tên' for use inside a sentence; 'ABTC' stays."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _short(label: str, limit: int = 70) -> str:
    label = label.strip().rstrip(".:")
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def format_number(value: int | float | Decimal) -> str:
    """1000000 -> '1.000.000' (Vietnamese thousands separator)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = f"{value}"
    whole, _sep, fraction = text.partition(".")
    return format_number(int(whole)) + ("," + fraction if fraction else "")


class _Rules:
    """A field or column description with the defaults filled in."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.name: str = spec["name"]
        self.kind: str = spec["type"]
        self.label: str = spec["label"].strip()
        self.required: bool = bool(spec.get("required", False))
        self.help: str = (spec.get("help") or "").strip()
        self.rules: dict = spec.get("validation") or {}

    @property
    def in_sentence(self) -> str:
        return _lower_first(_short(self.label))

    def required_message(self) -> str:
        if self.kind in ("select",):
            return _("Vui lòng chọn %(label)s.") % {"label": self.in_sentence}
        if self.kind == "checkbox":
            return _('Vui lòng đánh dấu ô "%(label)s".') % {"label": _short(self.label, 60)}
        return _("Vui lòng nhập %(label)s.") % {"label": self.in_sentence}


def _check_pattern(value: str, rules: _Rules) -> None:
    pattern = rules.rules.get("pattern")
    if pattern and value and not re.fullmatch(pattern, value):
        raise ValidationError(
            rules.rules.get("pattern_message")
            or _("%(label)s không đúng định dạng.") % {"label": _short(rules.label)},
            code="pattern",
        )


def _check_length(value: str, rules: _Rules, default_max: int) -> None:
    max_length = rules.rules.get("max_length", default_max)
    min_length = rules.rules.get("min_length")
    if value and len(value) > max_length:
        raise ValidationError(
            _("%(label)s tối đa %(limit)s ký tự (đang có %(count)s).")
            % {"label": _short(rules.label), "limit": max_length, "count": len(value)},
            code="max_length",
        )
    if value and min_length and len(value) < min_length:
        raise ValidationError(
            _("%(label)s cần ít nhất %(limit)s ký tự.")
            % {"label": _short(rules.label), "limit": min_length},
            code="min_length",
        )


class SchemaTextField(TextField):
    """text: one line, NFC, spaces collapsed; max/min length and pattern."""

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["maxlength"] = str(self.rules.rules.get("max_length", DEFAULT_MAX_LENGTH["text"]))
        return attrs

    def validate(self, value):
        super().validate(value)
        _check_length(value, self.rules, DEFAULT_MAX_LENGTH["text"])
        _check_pattern(value, self.rules)


class SchemaTextareaField(forms.CharField):
    """textarea: several lines kept as typed (NFC, line ends unified, outer spaces removed)."""

    widget = forms.Textarea

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"rows": "4", "cols": "60"})
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        return nfc(value.replace("\r\n", "\n").replace("\r", "\n")).strip() if value else value

    def validate(self, value):
        super().validate(value)
        _check_length(value, self.rules, DEFAULT_MAX_LENGTH["textarea"])


_GROUPED = re.compile(r"^\d{1,3}([., ])\d{3}(?:\1\d{3})*$")


def _number_text(raw: str, *, decimals: bool) -> str:
    """Typed number -> '1234.5' form. Vietnamese writes '1.000.000' and '12,5'; '12.5' and
    '1 000 000' are understood too."""
    text = raw.strip().replace("\u00a0", " ")
    grouped = _GROUPED.match(text)
    if grouped:
        separator = grouped.group(1)
        if decimals and separator == "," and text.count(",") == 1:
            return text.replace(",", ".")
        return text.replace(separator, "")
    text = text.replace(" ", "")
    if decimals:
        if "," in text and "." in text:
            if text.rfind(",") > text.rfind("."):
                return text.replace(".", "").replace(",", ".")
            return text.replace(",", "")
        return text.replace(",", ".")
    return text


class SchemaNumberField(forms.Field):
    """number: whole numbers by default ('1.000.000' and '1 000 000' accepted); with
    decimal_places, a comma (or a point) separates decimals. Cleaned to an int, or to a string
    of the exact decimal ('12.5') so that JSON keeps it exactly."""

    widget = forms.TextInput

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        self.decimal_places = rules.rules.get("decimal_places", 0)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "decimal" if self.decimal_places else "numeric"
        attrs["class"] = "input-number"
        return attrs

    def _error(self, message: str, code: str) -> ValidationError:
        return ValidationError(message % {"label": _short(self.rules.label)}, code=code)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            raise self._error(_("%(label)s phải là một số."), "invalid")
        if isinstance(value, int | float | Decimal):
            return Decimal(str(value))
        negative = str(value).strip().startswith("-")
        raw = str(value).strip().removeprefix("-")
        text = _number_text(raw, decimals=bool(self.decimal_places))
        if not self.decimal_places and re.fullmatch(r"\d+[.,]\d+", text):
            raise self._error(_("%(label)s phải là số nguyên."), "integer")
        if not re.fullmatch(r"\d+(\.\d+)?", text) or len(text) > MAX_NUMBER_DIGITS + 8:
            raise self._error(
                _("%(label)s phải là một số, ví dụ 12,5.")
                if self.decimal_places
                else _("%(label)s phải là một số nguyên, ví dụ 1.000."),
                "invalid",
            )
        number = Decimal(text)
        return -number if negative else number

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if len(str(abs(int(value)))) > MAX_NUMBER_DIGITS:
            raise self._error(_("%(label)s quá lớn."), "too_large")
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            if self.decimal_places == 0:
                raise self._error(_("%(label)s phải là số nguyên."), "integer")
            raise ValidationError(
                _("%(label)s chỉ có tối đa %(n)s chữ số thập phân.")
                % {"label": _short(self.rules.label), "n": self.decimal_places},
                code="decimal_places",
            )
        minimum = self.rules.rules.get("min")
        maximum = self.rules.rules.get("max")
        if minimum is not None and value < Decimal(str(minimum)):
            raise ValidationError(
                _("%(label)s phải từ %(min)s trở lên.")
                % {"label": _short(self.rules.label), "min": format_number(minimum)},
                code="min",
            )
        if maximum is not None and value > Decimal(str(maximum)):
            raise ValidationError(
                _("%(label)s không được lớn hơn %(max)s.")
                % {"label": _short(self.rules.label), "max": format_number(maximum)},
                code="max",
            )

    def clean(self, value):
        number = super().clean(value)
        if number is None:
            return None
        if not self.decimal_places:
            return int(number)
        text = format(number, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value)
        if isinstance(value, str) and re.fullmatch(r"-?\d+\.\d+", value):
            return value.replace(".", ",")
        return value


class SchemaDateField(VnDateField):
    """date: dd/mm/yyyy typed in a text box; min_date/max_date ('today', 'today±N', ISO).
    Cleaned to an ISO string ('2026-03-01')."""

    default_error_messages = {"required": gettext_lazy("Vui lòng nhập ngày.")}

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {"autocomplete": "off", "placeholder": "dd/mm/yyyy", "class": "input-date"}

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value
        date = super().to_python(value)
        if date is not None and not 1900 <= date.year <= 2200:
            raise ValidationError(
                _("%(label)s không hợp lệ: năm phải từ 1900 đến 2200.")
                % {"label": _short(self.rules.label)},
                code="year",
            )
        return date

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        rules = self.rules.rules
        if "min_date" in rules:
            earliest = resolve_date(rules["min_date"])
            if value < earliest:
                raise ValidationError(
                    _("%(label)s không được trước ngày %(date)s.")
                    % {"label": _short(self.rules.label), "date": earliest.strftime("%d/%m/%Y")},
                    code="min_date",
                )
        if "max_date" in rules:
            latest = resolve_date(rules["max_date"])
            if value > latest:
                raise ValidationError(
                    _("%(label)s không được sau ngày %(date)s.")
                    % {"label": _short(self.rules.label), "date": latest.strftime("%d/%m/%Y")},
                    code="max_date",
                )

    def clean(self, value):
        date = super().clean(value)
        return date.isoformat() if date else None

    def prepare_value(self, value):
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return value
        return super().prepare_value(value)


class SchemaIdNumberField(forms.CharField):
    """id_number: CMND (9), CCCD (12, province code checked) or passport; then the pattern."""

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        super().__init__(max_length=32, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "spellcheck": "false", "class": "input-id"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        number = parse_id_number(value).value
        _check_pattern(number, self.rules)
        return number


class SchemaPhoneField(forms.CharField):
    """phone: a Vietnamese mobile number unless the schema gives its own pattern (which then
    also admits landlines); '+84' and separators are accepted and normalised away."""

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        super().__init__(max_length=20, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"type": "tel", "inputmode": "tel", "autocomplete": "tel"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        if self.rules.rules.get("pattern"):
            number = normalise_phone(value)
            _check_pattern(number, self.rules)
            return number
        return validate_mobile_phone(value)


class SchemaEmailField(forms.CharField):
    """email: one address, checked by Django's validator, with Vietnamese messages."""

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "type": "email",
                "autocomplete": "email",
                "spellcheck": "false",
                "maxlength": str(self.rules.rules.get("max_length", DEFAULT_MAX_LENGTH["email"])),
            }
        )
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        _check_length(value, self.rules, DEFAULT_MAX_LENGTH["email"])
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("%(label)s không hợp lệ, ví dụ: ten@example.com.")
                % {"label": _short(self.rules.label)},
                code="invalid",
            ) from None
        return value


class SchemaSelectField(forms.ChoiceField):
    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        options = [(o["value"], o["label"]) for o in rules.spec["options"]]
        super().__init__(choices=[("", _("— Chọn —")), *options], **kwargs)
        self.error_messages["invalid_choice"] = _(
            "Lựa chọn không hợp lệ cho %(label)s; hãy chọn trong danh sách."
        ) % {"label": self.rules.in_sentence}


class SchemaCheckboxField(forms.BooleanField):
    """checkbox: cleaned to True/False; a required checkbox must be ticked."""

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        super().__init__(**kwargs)


# --- address ----------------------------------------------------------------------------


class AddressWidget(forms.MultiWidget):
    """Province (select) + ward + street. The field's <label> points at the province select;
    ward and street carry their own visible labels (template catalog/widgets/address.html)."""

    template_name = "catalog/widgets/address.html"

    def __init__(self, attrs=None):
        province_choices = [("", _("— Chọn tỉnh, thành phố —"))] + [(p, p) for p in provinces()]
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "tinh": forms.Select(choices=province_choices, attrs={"autocomplete": "off"}),
            "xa": forms.TextInput(attrs={"maxlength": "100"}),
            "duong": forms.TextInput(attrs={"maxlength": "255"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("province", ""), value.get("ward", ""), value.get("street", "")]
        return ["", "", ""]

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = [
            _("Tỉnh/thành phố"),
            _("Xã/phường/đặc khu"),
            _("Số nhà, đường, thôn/ấp/tổ"),
        ]
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["part_label"] = label
        context["widget"]["wrapper_id"] = (attrs or {}).get("id", "")
        return context


class AddressField(forms.Field):
    """address: {"province", "ward", "street"}; when required, all three are needed; when
    optional, either all blank (cleaned to None) or province and ward given."""

    widget = AddressWidget

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        super().__init__(**kwargs)

    def clean(self, value):
        parts = list(value) if isinstance(value, list | tuple) else ["", "", ""]
        parts = [(nfc(str(p)).strip() if p else "") for p in [*parts, "", "", ""][:3]]
        province, ward, street = (re.sub(r"\s+", " ", p) for p in parts)
        label = self.rules.in_sentence
        if not any((province, ward, street)):
            if self.required:
                raise ValidationError(self.rules.required_message(), code="required")
            return None
        errors = []
        if not province:
            errors.append(_("Vui lòng chọn tỉnh/thành phố của %(label)s.") % {"label": label})
        elif province not in provinces():
            errors.append(
                _("Tỉnh/thành phố của %(label)s không có trong danh sách.") % {"label": label}
            )
        if not ward:
            errors.append(_("Vui lòng nhập xã/phường của %(label)s.") % {"label": label})
        elif len(ward) > 100:
            errors.append(_("Tên xã/phường tối đa 100 ký tự."))
        if not street and self.required:
            errors.append(
                _("Vui lòng nhập số nhà, đường, thôn/ấp của %(label)s.") % {"label": label}
            )
        elif len(street) > 255:
            errors.append(_("Số nhà, đường, thôn/ấp tối đa 255 ký tự."))
        if errors:
            raise ValidationError(errors)
        return {"province": province, "ward": ward, "street": street}


# --- rows -------------------------------------------------------------------------------


class RowsWidget(forms.Widget):
    """A table: one header per column, one input per cell named '<field>-<row>-<column>',
    each cell labelled '<column>, dòng N' for screen readers. Shows the filled rows plus
    BLANK_ROWS blank ones (at least min_rows, at most max_rows): no JavaScript needed."""

    template_name = "catalog/widgets/rows.html"

    def __init__(
        self,
        *,
        label: str,
        columns: list[tuple[_Rules, forms.Field]],
        min_rows: int,
        max_rows: int,
    ):
        self.label = label
        self.columns = columns
        self.min_rows = min_rows
        self.max_rows = max_rows
        super().__init__()

    def value_from_datadict(self, data, files, name):
        rows = []
        # One row past max_rows is read so that too many rows is reported, not dropped.
        for index in range(self.max_rows + 1):
            keys = {rules.name: f"{name}-{index}-{rules.name}" for rules, _field in self.columns}
            if not any(key in data for key in keys.values()):
                continue
            rows.append(
                {
                    column: field.widget.value_from_datadict(data, files, keys[column])
                    for column, field in ((rules.name, field) for rules, field in self.columns)
                }
            )
        return rows

    def value_omitted_from_data(self, data, files, name):
        prefix = f"{name}-"
        return not any(str(key).startswith(prefix) for key in data)

    def id_for_label(self, id_):
        return f"{id_}-0-{self.columns[0][0].name}" if id_ and self.columns else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = [row for row in (value or []) if isinstance(row, dict)]
        filled = [row for row in rows if not _row_is_blank(row, self.columns)]
        count = min(self.max_rows, max(self.min_rows, len(filled) + BLANK_ROWS))
        shown = filled + [{}] * max(0, count - len(filled))
        base_id = (attrs or {}).get("id") or f"id_{name}"
        shared = {
            key: value
            for key, value in (attrs or {}).items()
            if key in ("aria-describedby", "aria-invalid")
        }
        body = []
        for index, row in enumerate(shown):
            cells = []
            for rules, field in self.columns:
                cell_attrs = {
                    **shared,
                    "id": f"{base_id}-{index}-{rules.name}",
                    "aria-label": _("%(column)s, dòng %(n)s")
                    % {"column": rules.label, "n": index + 1},
                }
                cells.append(
                    field.widget.render(
                        f"{name}-{index}-{rules.name}",
                        field.prepare_value(row.get(rules.name)),
                        cell_attrs,
                    )
                )
            body.append({"number": index + 1, "cells": cells})
        context["widget"].update(
            {
                "wrapper_id": base_id,
                "label": self.label,
                "columns": [rules for rules, _field in self.columns],
                "rows": body,
                "max_rows": self.max_rows,
            }
        )
        return context


def _row_is_blank(row: dict, columns: Iterable[tuple[_Rules, forms.Field]]) -> bool:
    for rules, _field in columns:
        value = row.get(rules.name)
        if rules.kind == "checkbox":
            if value in (True, "on", "true", "1", 1):
                return False
        elif value is not None and str(value).strip():
            return False
    return True


class RowsField(forms.Field):
    """rows: a list of dicts, one per filled row, each cleaned by its column's rules; blank
    rows are dropped; at least min_rows (1 when required) and at most max_rows."""

    def __init__(self, *, rules: _Rules, **kwargs):
        self.rules = rules
        self.columns = [
            (column_rules, _build_field(column_rules))
            for column_rules in (_Rules(c) for c in rules.spec["columns"])
        ]
        self.min_rows = max(rules.spec.get("min_rows", 0), 1 if rules.required else 0)
        self.max_rows = rules.spec.get("max_rows", MAX_ROWS_LIMIT)
        kwargs["widget"] = RowsWidget(
            label=rules.label,
            columns=self.columns,
            min_rows=max(self.min_rows, 1),
            max_rows=self.max_rows,
        )
        super().__init__(**kwargs)

    def clean(self, value):
        rows = [row for row in (value or []) if isinstance(row, dict)]
        filled = [row for row in rows if not _row_is_blank(row, self.columns)]
        if not filled:
            if self.required:
                raise ValidationError(
                    _("Vui lòng nhập ít nhất %(n)s dòng cho %(label)s.")
                    % {"n": self.min_rows, "label": self.rules.in_sentence},
                    code="required",
                )
            return []
        errors: list[str] = []
        cleaned_rows = []
        # Row numbers as the person sees them in the table (blank rows in between count).
        for number, row in enumerate(rows, start=1):
            if _row_is_blank(row, self.columns):
                continue
            cleaned = {}
            for rules, field in self.columns:
                try:
                    cleaned[rules.name] = field.clean(row.get(rules.name))
                except ValidationError as error:
                    for message in error.messages:
                        errors.append(
                            _("Dòng %(n)s, cột “%(column)s”: %(message)s")
                            % {"n": number, "column": _short(rules.label, 50), "message": message}
                        )
            cleaned_rows.append(cleaned)
        if len(filled) < self.min_rows:
            errors.append(
                _("%(label)s cần ít nhất %(n)s dòng.")
                % {"label": _short(self.rules.label), "n": self.min_rows}
            )
        if len(filled) > self.max_rows:
            errors.append(
                _("%(label)s có tối đa %(n)s dòng.")
                % {"label": _short(self.rules.label), "n": self.max_rows}
            )
        if errors:
            raise ValidationError(errors)
        return cleaned_rows

    def has_changed(self, initial, data):
        return True


# --- the form ---------------------------------------------------------------------------

_BUILDERS: dict[str, Callable[..., forms.Field]] = {
    "text": SchemaTextField,
    "textarea": SchemaTextareaField,
    "number": SchemaNumberField,
    "date": SchemaDateField,
    "select": SchemaSelectField,
    "checkbox": SchemaCheckboxField,
    "id_number": SchemaIdNumberField,
    "phone": SchemaPhoneField,
    "email": SchemaEmailField,
    "address": AddressField,
    "rows": RowsField,
}


def _build_field(rules: _Rules) -> forms.Field:
    field_class = _BUILDERS[rules.kind]
    field = field_class(
        rules=rules,
        label=rules.label,
        required=rules.required,
        help_text=rules.help,
    )
    field.error_messages["required"] = rules.required_message()
    return field


class DeclarationForm(forms.Form):
    """Base of the generated forms: `schema` is the schema it was built from."""

    schema: dict = {}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @property
    def title(self) -> str:
        return self.schema.get("title", "")

    def cleaned_json(self) -> dict:
        """The cleaned values of the schema's fields only (JSON-serialisable)."""
        return {spec["name"]: self.cleaned_data.get(spec["name"]) for spec in self.schema["fields"]}


def schema_form_class(schema: dict, *, base: type[forms.Form] = DeclarationForm) -> type:
    """Build the declaration form class of a (validated) schema."""
    validate_schema(schema)
    attrs: dict[str, Any] = {"schema": schema}
    for spec in schema["fields"]:
        attrs[spec["name"]] = _build_field(_Rules(spec))
    return type("DeclarationForm", (base,), attrs)

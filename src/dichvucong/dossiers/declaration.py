"""The declaration form (tờ khai) of a dossier: binding what was typed, prefilling the
applicant's data, and showing the answers back in words (review page, dossier page, staff).

Drafts keep what was typed exactly as posted (`draft_data`: input name → list of values) so
that an invalid draft re-renders as the person left it; the cleaned JSON (`form_data`) is
written only at submission.
"""

import datetime as dt

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from dichvucong.catalog.formschema import schema_form_class

PREFIX = "tk"


class NoDeclaration(forms.Form):
    """For procedures without an online form: nothing to fill, nothing to store."""

    title = ""

    def cleaned_json(self) -> dict:
        return {}


def declaration_form(version, *, data: dict | None = None):
    """The bound (or unbound, when data is None) declaration form of a procedure version."""
    form_class = schema_form_class(version.form_schema) if version.form_schema else NoDeclaration
    if data is None:
        return form_class(prefix=PREFIX)
    return form_class(data=MultiValueDict({k: list(v) for k, v in data.items()}), prefix=PREFIX)


def raw_from_post(post) -> dict[str, list[str]]:
    """The declaration's inputs out of a POST, as typed."""
    return {key: post.getlist(key) for key in post if key.startswith(f"{PREFIX}-")}


def _key(name: str) -> str:
    return f"{PREFIX}-{name}"


def prefill(schema: dict | None, user) -> dict[str, list[str]]:
    """Fill the applicant's own data into the fields that ask for it (DESIGN: name, ID,
    phone, email, address), recognised by type and by the usual field names."""
    if not schema:
        return {}
    values: dict[str, list[str]] = {}
    name_like = ("ho_ten", "ho_va_ten", "ten_nguoi", "nguoi_de_nghi", "full_name")
    org_like = ("ten_to_chuc", "ten_doanh_nghiep", "ten_co_quan", "ten_don_vi")
    used_types: set[str] = set()
    for spec in schema.get("fields", []):
        kind, name = spec["type"], spec["name"]
        if kind == "id_number" and "id_number" not in used_types and user.id_number:
            values[_key(name)] = [user.id_number]
        elif kind == "phone" and "phone" not in used_types and user.phone:
            values[_key(name)] = [user.phone]
        elif kind == "email" and "email" not in used_types and user.email:
            values[_key(name)] = [user.email]
        elif kind == "address" and "address" not in used_types and user.address:
            values[f"{_key(name)}_duong"] = [user.address]
        elif kind == "text" and any(hint in name for hint in name_like) and user.full_name:
            values[_key(name)] = [user.full_name]
        elif kind == "text" and any(hint in name for hint in org_like) and user.organisation_name:
            values[_key(name)] = [user.organisation_name]
        elif kind == "date" and "ngay_sinh" in name and user.birth_date:
            values[_key(name)] = [user.birth_date.strftime("%d/%m/%Y")]
        else:
            continue
        used_types.add(kind)
    return values


def missing_components(dossier) -> list:
    """Required components with no file yet."""
    present = set(
        dossier.attachments.filter(component__isnull=False).values_list("component_id", flat=True)
    )
    return [
        c for c in dossier.procedure_version.components.all() if c.required and c.pk not in present
    ]


def _display(spec: dict, value) -> str:
    kind = spec["type"]
    if value in (None, "", [], {}):
        return "—"
    if kind == "checkbox":
        return _("Có") if value else _("Không")
    if kind == "select":
        labels = {str(o["value"]): o["label"] for o in spec.get("options", [])}
        return labels.get(str(value), str(value))
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    if kind == "address" and isinstance(value, dict):
        parts = [value.get("street"), value.get("ward"), value.get("province")]
        return ", ".join(p for p in parts if p)
    return str(value)


def answers(schema: dict | None, data: dict) -> list[dict]:
    """Label/value pairs of a cleaned declaration, in the schema's order; a rows field gives
    a table (headers + rows of display strings)."""
    if not schema:
        return []
    result = []
    for spec in schema.get("fields", []):
        value = data.get(spec["name"])
        if spec["type"] == "rows":
            columns = spec.get("columns", [])
            result.append(
                {
                    "label": spec["label"],
                    "table": {
                        "headers": [c["label"] for c in columns],
                        "rows": [
                            [_display(c, row.get(c["name"])) for c in columns]
                            for row in (value or [])
                        ],
                    },
                }
            )
        else:
            result.append({"label": spec["label"], "value": _display(spec, value)})
    return result

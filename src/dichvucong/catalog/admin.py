"""Catalogue administration (Vietnamese): agencies (rename with history, merge), fields,
procedures and their versions, components and the declaration-form schema editor.

Who may edit is Django's permission system: administrators (superusers, or staff given the
catalogue permissions by one); officials and citizens do not reach the admin at all. Changes
that carry rules go through `catalog.services`: renaming and merging agencies, creating a
procedure, drafting, publishing and discarding versions. Published versions are shown read-only.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dichvucong.core.errors import ApplicationError

from . import services
from .formschema import schema_form_class, validate_schema
from .models import (
    Agency,
    AgencyNameHistory,
    Component,
    Field,
    Procedure,
    ProcedureVersion,
    VersionStatus,
)

# --- the schema editor --------------------------------------------------------------------


class SchemaJSONField(forms.JSONField):
    """A JSON text area for the declaration-form schema: indented, Vietnamese errors saying
    where the JSON is broken, and the schema rules of `formschema.validate_schema`."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.Textarea(attrs={"rows": 24, "cols": 100, "class": "vLargeTextField"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                json.loads(value)
            except json.JSONDecodeError as error:
                raise ValidationError(
                    _("JSON không hợp lệ ở dòng %(line)s, cột %(column)s: %(message)s.")
                    % {"line": error.lineno, "column": error.colno, "message": error.msg},
                    code="invalid",
                ) from error
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value not in (None, "", {}):
            validate_schema(value)

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if value is None:
            return ""
        return json.dumps(value, ensure_ascii=False, indent=2)


class SchemaEditorForm(forms.Form):
    form_schema = SchemaJSONField(label=gettext_lazy("Mẫu tờ khai (JSON)"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def schema_preview_html(schema: dict | None, data=None) -> tuple[forms.Form | None, list[str]]:
    """The declaration form of `schema` (bound to `data` to try it) or the schema's problems."""
    if not schema:
        return None, []
    try:
        form_class = schema_form_class(schema)
    except ValidationError as error:
        return None, list(error.messages)
    return form_class(data) if data is not None else form_class(), []


# --- agencies -----------------------------------------------------------------------------


class AgencyNameHistoryInline(admin.TabularInline):
    model = AgencyNameHistory
    extra = 0
    can_delete = False
    fields = ["name", "short_name", "valid_until", "note"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Tên cũ (giữ cho các hồ sơ, phiếu đã lập trước khi đổi)")

    def has_add_permission(self, request, obj=None):
        return False


class AgencyMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=gettext_lazy("Sáp nhập vào đơn vị"),
        queryset=Agency.objects.none(),
        help_text=gettext_lazy(
            "Lĩnh vực, thủ tục, đơn vị cấp dưới và cán bộ được chuyển sang đơn vị này; đơn vị "
            "hiện tại ngừng hoạt động, hồ sơ cũ vẫn giữ nguyên đơn vị và tên của nó."
        ),
    )

    def __init__(self, *args, source: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Agency.objects.filter(is_active=True).exclude(pk=source.pk)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "level",
            "parent",
            "address",
            "hotline",
            "is_active",
        ]

    def clean_is_active(self):
        is_active = self.cleaned_data["is_active"]
        if is_active and self.instance.merged_into_id:
            raise ValidationError(
                _("Đơn vị đã sáp nhập vào đơn vị khác nên không thể hoạt động lại.")
            )
        return is_active


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyForm
    list_display = ["name", "code", "level", "parent", "is_active", "merged_into"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code", "short_name"]
    readonly_fields = ["merged_into", "merged_at"]
    fields = [
        "code",
        "name",
        "short_name",
        "level",
        "parent",
        "address",
        "hotline",
        "is_active",
        "merged_into",
        "merged_at",
    ]
    inlines = [AgencyNameHistoryInline]
    change_form_template = "admin/catalog/agency/change_form.html"

    def has_delete_permission(self, request, obj=None):
        # Agencies are merged or deactivated, never deleted (dossiers point at them).
        return False

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change and ("name" in form.changed_data or "short_name" in form.changed_data):
            new_name, new_short = obj.name, obj.short_name
            stored = Agency.objects.get(pk=obj.pk)
            obj.name, obj.short_name = stored.name, stored.short_name
            obj.save()
            services.agency_rename(agency=obj, name=new_name, short_name=new_short)
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/sap-nhap/",
                self.admin_site.admin_view(self.merge_view),
                name="catalog_agency_merge",
            ),
            *super().get_urls(),
        ]

    def merge_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        source = get_object_or_404(Agency, pk=object_id)
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        form = AgencyMergeForm(request.POST or None, source=source)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.agency_merge(source=source, target=form.cleaned_data["target"])
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                message = _(
                    "Đã sáp nhập %(source)s vào %(target)s: chuyển %(procedures)s thủ tục, "
                    "%(fields)s lĩnh vực, %(staff)s cán bộ."
                ) % {
                    "source": source.name,
                    "target": result.target.name,
                    "procedures": result.moved_procedures,
                    "fields": result.moved_fields + result.merged_fields,
                    "staff": result.moved_staff,
                }
                self.message_user(request, message, messages.SUCCESS)
                if result.hidden_duplicates:
                    self.message_user(
                        request,
                        _("Ẩn %(n)s thủ tục trùng mã với đơn vị nhận.")
                        % {"n": len(result.hidden_duplicates)},
                        messages.WARNING,
                    )
                return HttpResponseRedirect(
                    reverse("admin:catalog_agency_change", args=[result.target.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": source,
            "form": form,
            "title": _("Sáp nhập đơn vị %(name)s") % {"name": source.name},
        }
        return TemplateResponse(request, "admin/catalog/agency/merge.html", context)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "position", "is_active"]
    list_filter = ["agency", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["agency"]
    fields = ["agency", "name", "code", "position", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        # A field moves to another agency only with a merge.
        return ["agency"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            services.field_update(
                field=obj,
                **{
                    key: form.cleaned_data[key] for key in ("name", "code", "position", "is_active")
                },
            )
        else:
            super().save_model(request, obj, form, change)


# --- procedures and versions --------------------------------------------------------------


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["number", "status", "name", "published_at", "superseded_at"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Các phiên bản")

    def has_add_permission(self, request, obj=None):
        return False


class ProcedureAddForm(forms.ModelForm):
    """Creating a procedure asks its first facts; the rest is filled in its draft version."""

    version_name = forms.CharField(label=gettext_lazy("Tên thủ tục"), max_length=500)
    processing_days = forms.IntegerField(
        label=gettext_lazy("Thời hạn giải quyết (ngày làm việc)"), min_value=0, max_value=3650
    )

    class Meta:
        model = Procedure
        fields = ["agency", "field", "national_code", "is_published"]

    def clean(self):
        data = super().clean()
        agency, field = data.get("agency"), data.get("field")
        if agency and field and field.agency_id != agency.pk:
            self.add_error("field", _("Lĩnh vực không thuộc đơn vị đã chọn."))
        return data


class ProcedureChangeForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ["field", "national_code", "is_published"]

    def clean_field(self):
        field = self.cleaned_data["field"]
        if field is not None and field.agency_id != self.instance.agency_id:
            raise ValidationError(_("Lĩnh vực không thuộc đơn vị của thủ tục."))
        return field


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["name", "national_code", "agency", "field", "is_published", "version_info"]
    list_filter = ["is_published", "agency"]
    search_fields = ["national_code", "name", "search_text"]
    list_select_related = ["agency", "field", "current_version"]
    fields = ["name", "agency", "field", "national_code", "is_published", "current_version"]
    readonly_fields = ["name", "agency", "current_version"]
    inlines = [VersionInline]
    change_form_template = "admin/catalog/procedure/change_form.html"

    @admin.display(description=gettext_lazy("Phiên bản"))
    def version_info(self, obj: Procedure) -> str:
        if obj.current_version is None:
            return _("Chưa công bố")
        return _("Số %(n)s") % {"n": obj.current_version.number}

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ProcedureAddForm if obj is None else ProcedureChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "agency",
                "field",
                "national_code",
                "version_name",
                "processing_days",
                "is_published",
            ]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            if change:
                services.procedure_update(
                    procedure=obj,
                    field=form.cleaned_data["field"],
                    national_code=form.cleaned_data["national_code"],
                    is_published=form.cleaned_data["is_published"],
                )
                return
            created = services.procedure_create(
                agency=form.cleaned_data["agency"],
                field=form.cleaned_data["field"],
                national_code=form.cleaned_data["national_code"],
                content={
                    "name": form.cleaned_data["version_name"],
                    "processing_days": form.cleaned_data["processing_days"],
                },
                actor=request.user,
            )
        except ApplicationError as error:
            raise ValidationError(error.message) from error
        obj.pk = created.pk
        obj.is_published = form.cleaned_data["is_published"]
        Procedure.objects.filter(pk=created.pk).update(is_published=obj.is_published)

    def response_add(self, request, obj, post_url_continue=None):
        draft = obj.versions.get(status=VersionStatus.DRAFT)
        self.message_user(
            request,
            _("Đã tạo thủ tục. Hãy điền đủ nội dung, thành phần hồ sơ rồi công bố phiên bản 1."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:catalog_procedureversion_change", args=[draft.pk])
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/phien-ban-moi/",
                self.admin_site.admin_view(self.new_version_view),
                name="catalog_procedure_new_version",
            ),
            *super().get_urls(),
        ]

    def new_version_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        procedure = get_object_or_404(Procedure, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, procedure):
            raise PermissionDenied
        try:
            draft = services.procedure_version_draft(procedure=procedure, actor=request.user)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:catalog_procedure_change", args=[procedure.pk])
            )
        return HttpResponseRedirect(
            reverse("admin:catalog_procedureversion_change", args=[draft.pk])
        )


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 1
    fields = ["position", "name", "kind", "quantity", "required", "template_file", "template_link"]
    readonly_fields = ["template_link"]
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    @admin.display(description=gettext_lazy("Tệp mẫu hiện có"))
    def template_link(self, obj: Component | None) -> str:
        if obj is None or not obj.pk or not obj.template_file:
            return "—"
        url = reverse("admin:catalog_component_template", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.template_file.name.rsplit("/", 1)[-1])

    def _editable(self, obj) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def get_fields(self, request, obj=None):
        if self._editable(obj):
            return self.fields
        return [name for name in self.fields if name != "template_file"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if self._editable(obj) else self.get_fields(request, obj)

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if self._editable(obj) else 0

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ProcedureVersionForm(forms.ModelForm):
    form_schema = SchemaJSONField(
        label=gettext_lazy("Mẫu tờ khai (JSON)"),
        required=False,
        help_text=gettext_lazy(
            'Dạng {"title": "...", "fields": [{"name": "ho_ten", "type": "text", "label": '
            '"Họ và tên", "required": true}]}. Kiểu trường: text, textarea, number, date, '
            "select, checkbox, id_number, phone, email, address, rows. Để trống nếu thủ tục "
            "không có tờ khai. Lưu xong, xem trước tờ khai ở ô bên dưới."
        ),
    )

    class Meta:
        model = ProcedureVersion
        fields = [*services.VERSION_CONTENT_FIELDS, "note"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    form = ProcedureVersionForm
    list_display = ["name", "number", "status", "procedure_code", "published_at"]
    list_filter = ["status", "procedure__agency"]
    search_fields = ["name", "procedure__national_code"]
    list_select_related = ["procedure"]
    inlines = [ComponentInline]
    change_form_template = "admin/catalog/procedureversion/change_form.html"
    content_fields = [*services.VERSION_CONTENT_FIELDS, "note"]
    fieldsets = [
        (
            gettext_lazy("Phiên bản"),
            {
                "fields": [
                    "procedure",
                    "number",
                    "status",
                    "created_at",
                    "created_by",
                    "published_at",
                    "published_by",
                    "superseded_at",
                ]
            },
        ),
        (
            gettext_lazy("Nội dung thủ tục"),
            {
                "fields": [
                    "name",
                    ("level_3", "level_4"),
                    "processing_days",
                    ("fee", "fee_text"),
                    ("for_citizen", "for_organisation"),
                    "requirements",
                    "legal_basis",
                    "result",
                    "steps",
                    "channels",
                    "keywords",
                    "note",
                ]
            },
        ),
        (gettext_lazy("Tờ khai trực tuyến"), {"fields": ["form_schema", "schema_preview"]}),
    ]
    status_fields = [
        "procedure",
        "number",
        "status",
        "created_at",
        "created_by",
        "published_at",
        "published_by",
        "superseded_at",
        "schema_preview",
    ]

    @admin.display(description=gettext_lazy("Mã thủ tục"))
    def procedure_code(self, obj: ProcedureVersion) -> str:
        return obj.procedure.national_code

    @admin.display(description=gettext_lazy("Xem trước tờ khai"))
    def schema_preview(self, obj: ProcedureVersion | None) -> str:
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:catalog_procedureversion_preview", args=[obj.pk])
        if not obj.form_schema:
            return format_html(
                '{} <a href="{}">{}</a>',
                _("Chưa có tờ khai."),
                url,
                _("Soạn và xem trước"),
            )
        return format_html(
            '{} <a href="{}">{}</a>',
            _("%(n)s trường.") % {"n": len(obj.form_schema.get("fields", []))},
            url,
            _("Xem trước tờ khai như người dân thấy, thử nhập dữ liệu"),
        )

    def has_add_permission(self, request):
        # Versions are created from their procedure ("Tạo phiên bản mới").
        return False

    def has_change_permission(self, request, obj=None):
        # A published or superseded version is shown read-only (the admin's "view" page).
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == VersionStatus.DRAFT
            and (super().has_delete_permission(request, obj))
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return [*self.status_fields, *self.content_fields]
        return self.status_fields

    def delete_model(self, request, obj):
        services.procedure_version_discard(version=obj)

    def save_model(self, request, obj, form, change):
        try:
            services.procedure_version_update(
                version=obj,
                **{key: form.cleaned_data[key] for key in self.content_fields},
            )
        except ApplicationError as error:
            raise ValidationError(error.message) from error

    def get_urls(self):
        return [
            path(
                "<path:object_id>/cong-bo/",
                self.admin_site.admin_view(self.publish_view),
                name="catalog_procedureversion_publish",
            ),
            path(
                "<path:object_id>/xem-truoc/",
                self.admin_site.admin_view(self.preview_view),
                name="catalog_procedureversion_preview",
            ),
            path(
                "thanh-phan/<int:component_id>/mau/",
                self.admin_site.admin_view(self.template_view),
                name="catalog_component_template",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        version = get_object_or_404(ProcedureVersion, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        try:
            services.procedure_version_publish(version=version, actor=request.user)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Đã công bố phiên bản %(n)s; phiên bản trước (nếu có) được thay thế.")
                % {"n": version.number},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(
            reverse("admin:catalog_procedureversion_change", args=[version.pk])
        )

    def template_view(self, request: HttpRequest, component_id: int) -> FileResponse:
        """Download a component's template, drafts included (the public download serves
        published versions only)."""
        component = get_object_or_404(Component.objects.exclude(template_file=""), pk=component_id)
        if not self.has_view_permission(request, component.version):
            raise PermissionDenied
        name = component.template_file.name.rsplit("/", 1)[-1]
        return FileResponse(component.template_file.open("rb"), as_attachment=True, filename=name)

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Check a schema and see the declaration form as citizens will, without saving."""
        version = get_object_or_404(
            ProcedureVersion.objects.select_related("procedure"), pk=object_id
        )
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        schema = version.form_schema
        data = None
        if request.method == "POST":
            editor = SchemaEditorForm(request.POST)
            schema = editor.cleaned_data["form_schema"] if editor.is_valid() else None
            if schema is not None and "_thu" in request.POST:
                data = request.POST
        else:
            editor = SchemaEditorForm(initial={"form_schema": schema})
        preview, problems = schema_preview_html(schema, data)
        if preview is not None and data is not None:
            preview.is_valid()
        context = {
            "version": version,
            "editor": editor,
            "preview": preview,
            "problems": problems,
            "schema_json": json.dumps(schema, ensure_ascii=False) if schema else "",
            "tried": data is not None,
            "admin_url": reverse("admin:catalog_procedureversion_change", args=[version.pk]),
        }
        return TemplateResponse(request, "catalog/admin_schema_preview.html", context)

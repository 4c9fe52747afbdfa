"""Recompute the folded search columns: `search_text` now starts with a space (one LIKE per
word instead of two, see catalog/search.py)."""

from django.db import migrations


def reindex(apps, schema_editor):
    from dichvucong.catalog import search

    Procedure = apps.get_model("catalog", "Procedure")
    for procedure in Procedure.objects.exclude(current_version=None).select_related(
        "agency", "field", "current_version"
    ):
        version = procedure.current_version
        procedure.name_search = search.normalise(version.name)
        procedure.search_text = search.search_document(
            procedure.national_code,
            version.name,
            version.keywords,
            procedure.field.name,
            procedure.agency.name,
            procedure.agency.short_name,
        )
        procedure.save(update_fields=["name_search", "search_text"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_trigram_index")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]

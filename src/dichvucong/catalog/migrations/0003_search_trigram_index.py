"""Trigram GIN index on the folded search column, PostgreSQL only (DESIGN §6).

The catalogue search runs `search_text LIKE '%word%'` on both databases; pg_trgm's GIN index
serves those on PostgreSQL. SQLite has no such index and scans the (small) folded column.
`CREATE EXTENSION pg_trgm` needs a role allowed to create it (pg_trgm is a trusted extension
since PostgreSQL 13, so the database owner can).
"""

from django.db import migrations

INDEXES = {
    "procedure_search_trgm_idx": "search_text",
    "procedure_name_trgm_idx": "name_search",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON catalog_procedure "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_procedures")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]

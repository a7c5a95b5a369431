"""A trigram index for the customer look-up on PostgreSQL; nothing on SQLite.

The look-up is `search_text LIKE '%typed%'` (selectors.dimension_search). A B-tree cannot serve
a leading wildcard, a pg_trgm GIN index can, for any text of three characters or more. The
index lives outside the model state because SQLite has no equivalent.
"""

from django.db import migrations

INDEX_NAME = "ledger_dimension_search_trgm"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON ledger_dimension "
        "USING gin (search_text gin_trgm_ops)"
    )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0008_dimension_pinyin_fill"),
    ]

    operations = [
        migrations.RunPython(index_create, index_drop, elidable=False),
    ]

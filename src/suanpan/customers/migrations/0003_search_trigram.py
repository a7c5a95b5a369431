"""A trigram index for customer search on PostgreSQL; nothing on SQLite.

Customer search is `search_text LIKE '%query%'` (CustomerFilter.filter_search). A B-tree cannot
serve a leading wildcard, a pg_trgm GIN index can, for any query of three characters or more.
The index lives outside the model state because SQLite has no equivalent; `makemigrations`
therefore never sees it.
"""

from django.db import migrations

INDEX_NAME = "customers_search_trgm"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON customers_customer "
        "USING gin (search_text gin_trgm_ops)"
    )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other tables may use it, and dropping it needs more rights.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(index_create, index_drop, elidable=False),
    ]

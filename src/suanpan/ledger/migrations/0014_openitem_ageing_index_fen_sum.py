"""What ageing reads of an open item, in the open-item index; a by-value sum of fen on PostgreSQL.

The index of open items by (account, customer) now carries the due date, the posting date and
the open amount (INCLUDE, PostgreSQL only; Django leaves the clause out on SQLite), so ageing
reads the index alone, in customer order, and sums each customer as its items come. It replaces
the index with the same key and condition, so a posting still writes one index entry per item.

`ledger_fen_sum(bigint)` adds BIGINT into BIGINT with the built-in `int8pl` (an error on
overflow, past 92 million billion yuan), so its state is kept by value; the built-in SUM of a
BIGINT keeps a 128-bit state per group and sum and answers NUMERIC. Nothing on SQLite, whose
SUM of integers is already exact 64-bit arithmetic.
"""

from django.db import migrations, models


def fen_sum_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE OR REPLACE AGGREGATE ledger_fen_sum(bigint) ("
        " SFUNC = int8pl, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE)"
    )


def fen_sum_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP AGGREGATE IF EXISTS ledger_fen_sum(bigint)")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0013_transfer_templates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="openitem",
            index=models.Index(
                condition=models.Q(("open_amount", 0), _negated=True),
                fields=["account", "dimension"],
                include=("due_on", "posted_on", "open_amount"),
                name="ledger_item_open_aged",
            ),
        ),
        migrations.RemoveIndex(
            model_name="openitem",
            name="ledger_item_open",
        ),
        migrations.RunPython(fen_sum_create, fen_sum_drop, elidable=False),
    ]

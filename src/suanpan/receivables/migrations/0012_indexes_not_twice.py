"""Foreign keys whose look-ups a composite index starting with them already serves lose
their own index: one index fewer to write per posted line, item, match and total.

Only the indexes go (DROP INDEX); Django's AlterField would also drop and re-add each foreign
key constraint, validating every row of tables that hold millions."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_credit_hold"),
        ("receivables", "0011_dunning_run_promises"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="settlement",
                    name="customer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="settlements",
                        to="customers.customer",
                        verbose_name="customer",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "receivables_settlement_customer_id_cdf7cfa9"',
                    reverse_sql='CREATE INDEX "receivables_settlement_customer_id_cdf7cfa9" ON "receivables_settlement" ("customer_id")',
                ),
            ],
        ),
    ]

"""Foreign keys whose look-ups a composite index starting with them already serves lose
their own index: one index fewer to write per posted line, item, match and total.

Only the indexes go (DROP INDEX); Django's AlterField would also drop and re-add each foreign
key constraint, validating every row of tables that hold millions."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0017_period_total_account_dimension_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="openitem",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ledger.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="openitem",
                    name="dimension",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="open_items",
                        to="ledger.dimension",
                    ),
                ),
                migrations.AlterField(
                    model_name="openitemmatch",
                    name="credit_item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="credit_matches",
                        to="ledger.openitem",
                        verbose_name="credit item",
                    ),
                ),
                migrations.AlterField(
                    model_name="openitemmatch",
                    name="debit_item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="debit_matches",
                        to="ledger.openitem",
                        verbose_name="debit item",
                    ),
                ),
                migrations.AlterField(
                    model_name="periodtotal",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ledger.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="periodtotal",
                    name="period",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ledger.period",
                    ),
                ),
                migrations.AlterField(
                    model_name="voucher",
                    name="period",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="vouchers",
                        to="ledger.period",
                        verbose_name="period",
                    ),
                ),
                migrations.AlterField(
                    model_name="voucherline",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lines",
                        to="ledger.account",
                        verbose_name="account",
                    ),
                ),
                migrations.AlterField(
                    model_name="voucherline",
                    name="voucher",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="ledger.voucher",
                        verbose_name="voucher",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "ledger_openitem_account_id_13fa0fd7"',
                    reverse_sql='CREATE INDEX "ledger_openitem_account_id_13fa0fd7" ON "ledger_openitem" ("account_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "ledger_openitem_dimension_id_a6f53e14"',
                    reverse_sql='CREATE INDEX "ledger_openitem_dimension_id_a6f53e14" ON "ledger_openitem" ("dimension_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "ledger_openitemmatch_credit_item_id_f695b14b"',
                    reverse_sql='CREATE INDEX "ledger_openitemmatch_credit_item_id_f695b14b" ON "ledger_openitemmatch" ("credit_item_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "ledger_openitemmatch_debit_item_id_8f7e9647"',
                    reverse_sql='CREATE INDEX "ledger_openitemmatch_debit_item_id_8f7e9647" ON "ledger_openitemmatch" ("debit_item_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "ledger_periodtotal_account_id_7227fdf5"',
                    reverse_sql='CREATE INDEX "ledger_periodtotal_account_id_7227fdf5" ON "ledger_periodtotal" ("account_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "ledger_periodtotal_period_id_df619976"',
                    reverse_sql='CREATE INDEX "ledger_periodtotal_period_id_df619976" ON "ledger_periodtotal" ("period_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "ledger_voucher_period_id_e0d26f8e"',
                    reverse_sql='CREATE INDEX "ledger_voucher_period_id_e0d26f8e" ON "ledger_voucher" ("period_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "ledger_voucherline_account_id_ac3a049b"',
                    reverse_sql='CREATE INDEX "ledger_voucherline_account_id_ac3a049b" ON "ledger_voucherline" ("account_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "ledger_voucherline_voucher_id_6931b8b3"',
                    reverse_sql='CREATE INDEX "ledger_voucherline_voucher_id_6931b8b3" ON "ledger_voucherline" ("voucher_id")',
                ),
            ],
        ),
    ]

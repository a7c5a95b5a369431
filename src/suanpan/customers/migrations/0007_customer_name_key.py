"""Customers keep their name in the form duplicates are compared in (NFKC, spaces collapsed,
case folded); existing customers get it here, in batches, so a large table migrates in bounded
memory."""

import unicodedata

from django.db import migrations, models

BATCH = 2000


def name_key(name):
    # As customers.calculations.name_key at the time of this migration (kept here so that a
    # later change to the rule does not change what this migration did).
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()[:600]


def name_keys_fill(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    last = 0
    while True:
        batch = list(Customer.objects.filter(pk__gt=last).order_by("pk").only("pk", "name")[:BATCH])
        if not batch:
            return
        for customer in batch:
            customer.name_key = name_key(customer.name)
        Customer.objects.bulk_update(batch, ["name_key"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0006_ledger_dimensions"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="name_key",
            field=models.CharField(
                blank=True, editable=False, max_length=600, verbose_name="name for comparison"
            ),
        ),
        migrations.RunPython(name_keys_fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["name_key"], name="customers_name_key"),
        ),
    ]

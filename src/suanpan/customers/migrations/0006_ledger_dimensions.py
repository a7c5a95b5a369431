"""Give every customer that exists already its ledger dimension (核算项目); data only."""

from django.db import migrations

BATCH = 2000


def create_dimensions(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    Dimension = apps.get_model("ledger", "Dimension")
    rows = (
        Customer.objects.order_by("pk")
        .values_list("number", "name", "status", "merged_into_id")
        .iterator(chunk_size=BATCH)
    )
    batch = []
    for number, name, status, merged_into_id in rows:
        batch.append(
            Dimension(
                kind="customer",
                code=number,
                name=name[:200],
                is_active=status != "closed" and merged_into_id is None,
            )
        )
        if len(batch) >= BATCH:
            Dimension.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Dimension.objects.bulk_create(batch, ignore_conflicts=True)
    # Merged customers point at their survivor, as customer_merge keeps them.
    merged = Customer.objects.filter(merged_into__isnull=False).values_list(
        "number", "merged_into__number"
    )
    codes = dict(Dimension.objects.filter(kind="customer").values_list("code", "pk"))
    for number, survivor in merged.iterator(chunk_size=BATCH):
        if number in codes and survivor in codes:
            Dimension.objects.filter(pk=codes[number]).update(merged_into_id=codes[survivor])


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_customer_list_order_index"),
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_dimensions, migrations.RunPython.noop),
    ]

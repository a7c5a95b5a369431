"""Spell the names of the customers the ledger knows already in pinyin; data only."""

from django.db import migrations

from suanpan.ledger.calculations.lookup import spelling

BATCH = 2000


def pinyin_fill(apps, schema_editor):
    Dimension = apps.get_model("ledger", "Dimension")
    batch = []
    for dimension in Dimension.objects.only("pk", "name").order_by("pk").iterator(chunk_size=BATCH):
        dimension.name_pinyin, dimension.name_initials = spelling(dimension.name)
        dimension.name_pinyin = dimension.name_pinyin[:600]
        dimension.name_initials = dimension.name_initials[:200]
        batch.append(dimension)
        if len(batch) >= BATCH:
            Dimension.objects.bulk_update(batch, ["name_pinyin", "name_initials"])
            batch = []
    if batch:
        Dimension.objects.bulk_update(batch, ["name_pinyin", "name_initials"])


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_dimension_pinyin"),
    ]

    operations = [
        migrations.RunPython(pinyin_fill, migrations.RunPython.noop, elidable=True),
    ]

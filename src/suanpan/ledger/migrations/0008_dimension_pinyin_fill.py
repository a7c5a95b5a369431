"""Spell the names of the customers the ledger knows already in pinyin; data only."""

from django.db import migrations

from suanpan.ledger.calculations.lookup import search_text, spelling

BATCH = 2000


def pinyin_fill(apps, schema_editor):
    Dimension = apps.get_model("ledger", "Dimension")
    batch = []
    fields = ["name_pinyin", "name_initials", "search_text"]
    rows = Dimension.objects.only("pk", "code", "name").order_by("pk")
    for dimension in rows.iterator(chunk_size=BATCH):
        pinyin, initials = spelling(dimension.name)
        dimension.name_pinyin = pinyin[:600]
        dimension.name_initials = initials[:200]
        dimension.search_text = search_text(dimension.code, dimension.name)[:1100]
        batch.append(dimension)
        if len(batch) >= BATCH:
            Dimension.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        Dimension.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_dimension_pinyin"),
    ]

    operations = [
        migrations.RunPython(pinyin_fill, migrations.RunPython.noop, elidable=True),
    ]

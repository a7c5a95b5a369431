"""Fill OpenItem.open_amount from the matches not undone (data only; the column comes in 0003)."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

FEN = models.BigIntegerField()


def _matched(OpenItemMatch, side):  # noqa: ANN001, ANN202 - historical models
    total = (
        OpenItemMatch.objects.filter(undone_on__isnull=True, **{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(total=Sum("amount", output_field=FEN))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=FEN), Value(0, output_field=FEN))


def fill(apps, schema_editor):  # noqa: ANN001, ANN201
    OpenItem = apps.get_model("ledger", "OpenItem")
    OpenItemMatch = apps.get_model("ledger", "OpenItemMatch")
    # Both columns hold fen, so the arithmetic stays in integers. A positive item is only
    # ever the debit side of a match and a negative one the credit side.
    OpenItem.objects.filter(amount__gt=0).update(
        open_amount=F("amount") - _matched(OpenItemMatch, "debit_item")
    )
    OpenItem.objects.filter(amount__lt=0).update(
        open_amount=F("amount") + _matched(OpenItemMatch, "credit_item")
    )


def empty(apps, schema_editor):  # noqa: ANN001, ANN201
    OpenItem = apps.get_model("ledger", "OpenItem")
    OpenItem.objects.update(open_amount=0)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_openitem_open_amount"),
    ]

    operations = [
        migrations.RunPython(fill, empty),
    ]

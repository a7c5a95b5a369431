"""Copy each open item's voucher number and line summary onto it (data only; columns in 0005)."""

from django.db import migrations, models
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Concat, LPad

TEXT = models.CharField()


def _number(prefix: str = ""):
    """记-202611-0001, as Voucher.display_number writes it (four digits at least)."""

    def text(name: str) -> Cast:
        return Cast(F(f"{prefix}{name}"), TEXT)

    return Concat(
        F(f"{prefix}word"),
        Value("-"),
        text("period__year"),
        LPad(text("period__month"), 2, Value("0")),
        Value("-"),
        Case(
            When(**{f"{prefix}number__gte": 10000}, then=text("number")),
            default=LPad(text("number"), 4, Value("0")),
        ),
        output_field=TEXT,
    )


def fill(apps, schema_editor):
    OpenItem = apps.get_model("ledger", "OpenItem")
    VoucherLine = apps.get_model("ledger", "VoucherLine")
    line = VoucherLine.objects.filter(pk=OuterRef("line_id"))
    OpenItem.objects.update(
        summary=Subquery(line.values("summary")[:1]),
        voucher_number=Subquery(
            line.annotate(display=_number("voucher__")).values("display")[:1]
        ),
    )


def empty(apps, schema_editor):
    OpenItem = apps.get_model("ledger", "OpenItem")
    OpenItem.objects.update(summary="", voucher_number="")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_openitem_voucher_number_summary"),
    ]

    operations = [
        migrations.RunPython(fill, empty),
    ]

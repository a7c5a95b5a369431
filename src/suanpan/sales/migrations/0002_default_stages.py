"""The pipeline a new company starts with (issue: 初步接洽 10% … 赢单 100%, 输单 0%); editable."""

from decimal import Decimal

from django.db import migrations

DEFAULT_STAGES = [
    ("初步接洽", Decimal("0.10"), "open"),
    ("需求确认", Decimal("0.30"), "open"),
    ("方案报价", Decimal("0.50"), "open"),
    ("谈判", Decimal("0.70"), "open"),
    ("赢单", Decimal("1.00"), "won"),
    ("输单", Decimal("0.00"), "lost"),
]


def stages_create(apps, schema_editor):
    Stage = apps.get_model("sales", "OpportunityStage")
    if Stage.objects.exists():
        return
    Stage.objects.bulk_create(
        Stage(name=name, probability=probability, outcome=outcome, position=(i + 1) * 10)
        for i, (name, probability, outcome) in enumerate(DEFAULT_STAGES)
    )


def stages_delete(apps, schema_editor):
    Stage = apps.get_model("sales", "OpportunityStage")
    Stage.objects.filter(
        name__in=[name for name, _, _ in DEFAULT_STAGES], opportunities__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial")]
    operations = [migrations.RunPython(stages_create, stages_delete)]

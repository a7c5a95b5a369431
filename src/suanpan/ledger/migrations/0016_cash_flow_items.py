"""The cash-flow items (现金流量项目) every install starts with: the lines of the general
format's 现金流量表 (会企03表), with 分配股利、利润或偿付利息支付的现金 split in two so that the
small enterprises' format (会小企03表), which shows interest and profit paid apart, reads the
same tags. Codes: activity (1 operating, 2 investing, 3 financing, 4 exchange rates), then
0x for money received and 1x for money paid. Left alone where an item with the code exists.
"""

from django.db import migrations

DEFAULT_ITEMS = [
    ("CF101", "销售商品、提供劳务收到的现金", "operating", "inflow"),
    ("CF102", "收到的税费返还", "operating", "inflow"),
    ("CF103", "收到其他与经营活动有关的现金", "operating", "inflow"),
    ("CF111", "购买商品、接受劳务支付的现金", "operating", "outflow"),
    ("CF112", "支付给职工以及为职工支付的现金", "operating", "outflow"),
    ("CF113", "支付的各项税费", "operating", "outflow"),
    ("CF114", "支付其他与经营活动有关的现金", "operating", "outflow"),
    ("CF201", "收回投资收到的现金", "investing", "inflow"),
    ("CF202", "取得投资收益收到的现金", "investing", "inflow"),
    ("CF203", "处置固定资产、无形资产和其他长期资产收回的现金净额", "investing", "inflow"),
    ("CF204", "处置子公司及其他营业单位收到的现金净额", "investing", "inflow"),
    ("CF205", "收到其他与投资活动有关的现金", "investing", "inflow"),
    ("CF211", "购建固定资产、无形资产和其他长期资产支付的现金", "investing", "outflow"),
    ("CF212", "投资支付的现金", "investing", "outflow"),
    ("CF213", "取得子公司及其他营业单位支付的现金净额", "investing", "outflow"),
    ("CF214", "支付其他与投资活动有关的现金", "investing", "outflow"),
    ("CF301", "吸收投资收到的现金", "financing", "inflow"),
    ("CF302", "取得借款收到的现金", "financing", "inflow"),
    ("CF303", "收到其他与筹资活动有关的现金", "financing", "inflow"),
    ("CF311", "偿还债务支付的现金", "financing", "outflow"),
    ("CF312", "偿付利息支付的现金", "financing", "outflow"),
    ("CF313", "分配股利、利润支付的现金", "financing", "outflow"),
    ("CF314", "支付其他与筹资活动有关的现金", "financing", "outflow"),
    ("CF401", "汇率变动对现金及现金等价物的影响", "other", "inflow"),
]


def items_create(apps, schema_editor):
    CashFlowItem = apps.get_model("ledger", "CashFlowItem")
    taken = set(CashFlowItem.objects.values_list("code", flat=True))
    CashFlowItem.objects.bulk_create(
        [
            CashFlowItem(code=code, name=name, activity=activity, direction=direction)
            for code, name, activity, direction in DEFAULT_ITEMS
            if code not in taken
        ]
    )


def items_remove(apps, schema_editor):
    CashFlowItem = apps.get_model("ledger", "CashFlowItem")
    CashFlowMapping = apps.get_model("ledger", "CashFlowMapping")
    mapped = set(CashFlowMapping.objects.values_list("inflow_item_id", flat=True)) | set(
        CashFlowMapping.objects.values_list("outflow_item_id", flat=True)
    )
    CashFlowItem.objects.filter(
        code__in=[code for code, *_rest in DEFAULT_ITEMS], tags__isnull=True
    ).exclude(pk__in=mapped - {None}).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0015_statements_and_cash_flow"),
    ]

    operations = [migrations.RunPython(items_create, items_remove)]

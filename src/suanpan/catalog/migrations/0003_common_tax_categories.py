"""A fresh install starts with the tax categories most small companies invoice under, so the
first product import finds a category for its rows; all editable, and left alone where a
category with the code exists already.

Codes and names are those of the official 商品和服务税收分类编码表 (the classification table the
State Taxation Administration publishes for invoicing, as loaded in the invoicing software;
19 digits, a level per pair of digits). The rates are the general VAT rates since
2019-04-01 (财政部 税务总局 海关总署公告2019年第39号): 13 % goods, 9 % agricultural products and
transport, 6 % modern services. The 3 % levy and the 0 % export rate depend on the taxpayer and
the sale rather than on the category; a company that invoices so adds such a category itself.
"""

from django.db import migrations

COMMON_TAX_CATEGORIES = [
    ("1010101010000000000", "稻谷", "9"),
    ("1010101020000000000", "小麦", "9"),
    ("1090511030000000000", "计算机外部设备", "13"),
    ("3010102020000000000", "道路货物运输服务", "9"),
    ("3040201010000000000", "软件开发服务", "6"),
    ("3040201030000000000", "软件维护服务", "6"),
    ("3040201990000000000", "其他软件服务", "6"),
]


def categories_create(apps, schema_editor):
    TaxCategory = apps.get_model("catalog", "TaxCategory")
    taken = set(TaxCategory.objects.values_list("code", flat=True))
    TaxCategory.objects.bulk_create(
        [
            TaxCategory(code=code, name=name, vat_rate_key=rate)
            for code, name, rate in COMMON_TAX_CATEGORIES
            if code not in taken
        ]
    )


def categories_remove(apps, schema_editor):
    TaxCategory = apps.get_model("catalog", "TaxCategory")
    TaxCategory.objects.filter(
        code__in=[code for code, _name, _rate in COMMON_TAX_CATEGORIES], products__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_product_code_case_insensitive_unique"),
    ]

    operations = [migrations.RunPython(categories_create, categories_remove)]

"""Demo catalogue: tax categories and products, goods and services, with list prices and
standard costs."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from suanpan.catalog import selectors as catalog_selectors
from suanpan.catalog import services as catalog
from suanpan.catalog.choices import ProductKind
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

# (code, name, rate key). Codes follow the shape of the 税收分类编码 table; demo data only.
TAX_CATEGORIES = [
    ("1090511030000000000", "计算机外部设备", "13"),
    ("1090512990000000000", "其他通信设备", "13"),
    ("1060512000000000000", "纸制品", "13"),
    ("3040201000000000000", "软件服务", "6"),
    ("3040203000000000000", "信息系统服务", "6"),
]

# (code, name, specification, unit, kind, category index, list price incl. tax, standard cost)
PRODUCTS = [
    ("SP-1001", "条码扫描枪", "有线 1D/2D", "把", ProductKind.GOODS, 0, "299.00", "150.00"),
    ("SP-1002", "热敏标签打印机", "203dpi 108mm", "台", ProductKind.GOODS, 0, "1380.00", "820.00"),
    ("SP-1003", "收银一体机", "15.6寸 双屏", "台", ProductKind.GOODS, 0, "3999.00", "2600.00"),
    ("SP-1004", "工业级平板电脑", "10.1寸 IP65", "台", ProductKind.GOODS, 0, "4580.00", "3100.00"),
    ("SP-2001", "无线数据终端", "安卓 4G", "台", ProductKind.GOODS, 1, "2680.00", "1700.00"),
    ("SP-2002", "无线接入点", "Wi-Fi 6 吸顶式", "个", ProductKind.GOODS, 1, "860.00", "480.00"),
    ("SP-3001", "热敏标签纸", "60×40mm 800张/卷", "卷", ProductKind.GOODS, 2, "12.50", "6.20"),
    ("SP-3002", "碳带", "110mm×300m 混合基", "卷", ProductKind.GOODS, 2, "45.00", "22.00"),
    ("FW-0001", "仓储管理软件授权", "标准版 一年", "套", ProductKind.SERVICE, 3, "12000.00", "0"),
    ("FW-0002", "安装调试服务", "现场 一人天", "人天", ProductKind.SERVICE, 4, "1500.00", "0"),
]


def catalog_exists(*, user: User) -> bool:
    products, _filterset = catalog_selectors.product_list(user=user)
    return products.exists()


def demo_catalog(*, admin: User) -> list[Product]:
    """The tax categories and products, in the order of PRODUCTS."""
    # A fresh install has some common categories already (catalog migration 0003).
    categories = [
        catalog_selectors.tax_category_by_code(code=code)
        or catalog.tax_category_create(
            actor=admin, data={"code": code, "name": name, "vat_rate_key": key}
        )
        for code, name, key in TAX_CATEGORIES
    ]
    return [
        catalog.product_create(
            actor=admin,
            data={
                "code": code,
                "name": name,
                "specification": spec,
                "unit": unit,
                "kind": kind,
                "tax_category": categories[category],
                "list_price": Decimal(price),
                "price_includes_tax": True,
                "standard_cost": Decimal(cost),
            },
        )
        for code, name, spec, unit, kind, category, price, cost in PRODUCTS
    ]

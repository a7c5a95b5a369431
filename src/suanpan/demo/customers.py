"""Demo customers: a believable, deterministic set with contacts and a few follow-ups.

Deterministic for a seed, so benchmarks can generate the same 100,000 customers on any machine.
"""

# Demo data needs reproducible randomness, not secrecy.
# ruff: noqa: S311

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from stdnum.cn import uscc

from suanpan.customers import selectors as customer_selectors
from suanpan.customers import services as customer_services
from suanpan.customers.choices import (
    CustomerGrade,
    CustomerKind,
    CustomerSource,
    CustomerStatus,
    FollowUpWay,
)

# customer_bulk_create takes unsaved rows, so the demo builds the models it hands in.
from suanpan.customers.models import Contact, Customer
from suanpan.users.models import User

CITIES = [
    ("北京", "北京市海淀区"),
    ("上海", "上海市浦东新区"),
    ("广州", "广东省广州市天河区"),
    ("深圳", "广东省深圳市南山区"),
    ("杭州", "浙江省杭州市西湖区"),
    ("成都", "四川省成都市高新区"),
    ("武汉", "湖北省武汉市洪山区"),
    ("南京", "江苏省南京市鼓楼区"),
    ("重庆", "重庆市渝北区"),
    ("西安", "陕西省西安市雁塔区"),
    ("苏州", "江苏省苏州市工业园区"),
    ("天津", "天津市滨海新区"),
]
WORDS = [
    "小米",
    "星辰",
    "华信",
    "联创",
    "宏达",
    "恒通",
    "远景",
    "金桥",
    "瑞丰",
    "天成",
    "博雅",
    "云帆",
    "鼎盛",
    "安泰",
    "启明",
    "东方",
    "新锐",
    "汇智",
    "卓越",
    "嘉禾",
    "中科",
    "长青",
    "正大",
    "同创",
]
TRADES = [
    ("科技", "信息技术"),
    ("贸易", "批发零售"),
    ("制造", "制造业"),
    ("电子", "电子元器件"),
    ("医疗器械", "医疗"),
    ("建设工程", "建筑业"),
    ("物流", "交通运输"),
    ("食品", "食品饮料"),
]
FORMS = ["有限公司", "股份有限公司", "有限责任公司"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "强",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
]
TITLES = ["采购经理", "财务经理", "总经理", "出纳", "行政主管", "技术总监"]


def _mobile(rng: random.Random) -> str:
    prefix = rng.choice(["138", "139", "150", "151", "158", "186", "188", "135", "137"])
    return f"{prefix} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"


def credit_code(rng: random.Random, region: str) -> str:
    """A unified social credit code with a correct check character (GB 32100-2015)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    org = "".join(rng.choice(alphabet) for _ in range(9))
    body = f"91{region}{org}"
    return body + uscc.calc_check_digit(body)


def _customer_rows(
    *, count: int, seed: int, owners: list[User], start: int = 0
) -> list[tuple[Customer, list[Contact]]]:
    rng = random.Random(seed + start)
    rows = []
    for index in range(start, start + count):
        city, address = CITIES[index % len(CITIES)]
        word = WORDS[rng.randrange(len(WORDS))]
        trade, industry = TRADES[rng.randrange(len(TRADES))]
        if index == 0:
            word, (trade, industry) = "小米", TRADES[0]  # 北京小米科技…, the guide's example
        # A serial makes names unique at any count while keeping them readable.
        serial = "" if index < 200 else str(index)
        name = f"{city}{word}{trade}{serial}{FORMS[index % len(FORMS)]}"
        region = f"{110000 + (index % 12) * 10000:06d}"
        status = rng.choices(
            [
                CustomerStatus.ACTIVE,
                CustomerStatus.PROSPECT,
                CustomerStatus.ON_HOLD,
                CustomerStatus.CLOSED,
            ],
            weights=[70, 20, 6, 4],
        )[0]
        customer = Customer(
            name=name,
            short_name=f"{word}{trade}",
            credit_code=credit_code(rng, region),
            kind=CustomerKind.ENTERPRISE,
            industry=industry,
            grade=rng.choice(CustomerGrade.values),
            source=rng.choice(CustomerSource.values),
            region=city,
            address=f"{address}{rng.randint(1, 999)}号",
            owner=rng.choice(owners),
            payment_terms_days=rng.choice([0, 15, 30, 45, 60, 90]),
            credit_limit_amount=rng.choice([0, 50_000, 100_000, 200_000, 500_000, 1_000_000]),
            status=status,
            invoice_title=name,
        )
        customer.invoice_tax_number = customer.credit_code
        contacts = []
        for _ in range(rng.randint(1, 2)):
            contacts.append(
                Contact(
                    name=rng.choice(SURNAMES)
                    + rng.choice(GIVEN)
                    + (rng.choice(GIVEN) if rng.random() < 0.5 else ""),
                    title=rng.choice(TITLES),
                    phone=_mobile(rng),
                    email=f"contact{index}@example.com",
                )
            )
        rows.append((customer, contacts))
    return rows


def customers_exist(*, user: User) -> bool:
    return customer_selectors.customer_visible(user=user).exists()


def active_customers(*, user: User, limit: int) -> QuerySet[Customer]:
    """The first `limit` active customers in the order they were made: the ones every later
    area of the demo (follow-ups, books, sales) works with."""
    # No customers selector filters by status in creation order; the demo narrows the visible set.
    return (
        customer_selectors.customer_visible(user=user)
        .filter(status=CustomerStatus.ACTIVE)
        .select_related("owner")
        .order_by("id")[:limit]
    )


def demo_customers(
    *,
    users: dict[str, User],
    count: int,
    seed: int,
    batch: int,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Make `count` customers in batches of `batch`, each batch all or nothing."""
    owners = [users["sales1"], users["sales2"], users["salesmgr"]]
    actor = users["admin"]
    made = 0
    while made < count:
        size = min(batch, count - made)
        with transaction.atomic():
            rows = _customer_rows(count=size, seed=seed, owners=owners, start=made)
            customer_services.customer_bulk_create(
                actor=actor, rows=rows, change_reason="demo data"
            )
        made += size
        if progress:
            progress(size)
    return made


def demo_followups(*, users: dict[str, User], seed: int) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    for customer in active_customers(user=users["admin"], limit=20):
        author = customer.owner
        for days_ago in sorted(rng.sample(range(1, 60), 2), reverse=True):
            customer_services.followup_create(
                actor=author,
                customer=customer,
                data={
                    "followed_on": today - timedelta(days=days_ago),
                    "way": rng.choice(FollowUpWay.values),
                    "content": rng.choice(
                        [
                            "电话沟通年度采购计划",
                            "上门拜访，介绍新产品",
                            "对账确认上月发货",
                            "催收逾期款项",
                            "确认开票信息",
                        ]
                    ),
                    "next_step": rng.choice(["发送报价单", "约技术交流", "寄送对账单", ""]),
                    "next_on": today + timedelta(days=rng.randint(-3, 10)),
                },
            )
    shared = (
        customer_selectors.customer_visible(user=users["admin"])
        .filter(owner=users["sales1"])
        .order_by("id")
        .first()
    )
    if shared is not None:
        # customer_update would also record a change in the customer's history, which the
        # demo's customers do not have; sharing alone is what the demo shows.
        shared.shared_with.add(users["sales2"])

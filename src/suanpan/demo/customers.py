"""Demo data: users for every role and a believable set of customers.

`demo_load()` is idempotent (it does nothing the second time) and deterministic for a seed, so
benchmarks can generate the same 100,000 customers on any machine.
"""

# Demo data needs reproducible randomness, not secrecy.
# ruff: noqa: S311

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from suanpan.core.tax import split_gross
from suanpan.customers import services as customer_services
from suanpan.customers.choices import (
    CustomerGrade,
    CustomerKind,
    CustomerSource,
    CustomerStatus,
    FollowUpWay,
)
from suanpan.customers.models import Contact, Customer
from suanpan.demo.sales import demo_sales
from suanpan.ledger import services as ledger
from suanpan.ledger.choices import AccountingStandard, AccountRole, RevenuePolicy
from suanpan.ledger.models import Account, Company, OpenItem
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import roles_sync, user_create

DEMO_PASSWORD = "suanpan-demo"  # noqa: S105 - printed for the demo logins on purpose


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role


DEMO_USERS = (
    DemoUser("admin", "系统管理员", Role.ADMINISTRATOR),
    DemoUser("finance", "王会计主管", Role.FINANCE_MANAGER),
    DemoUser("accountant", "李会计", Role.ACCOUNTANT),
    DemoUser("salesmgr", "赵销售经理", Role.SALES_MANAGER),
    DemoUser("sales1", "张伟", Role.SALES),
    DemoUser("sales2", "刘洋", Role.SALES),
    DemoUser("service", "陈客服", Role.CUSTOMER_SERVICE),
)

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


def demo_users() -> dict[str, User]:
    roles_sync()
    users = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                username=spec.username,
                password=DEMO_PASSWORD,
                roles=[spec.role],
                display_name=spec.display_name,
            )
        users[spec.username] = user
    return users


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


def demo_load(
    *,
    customers: int = 60,
    seed: int = 2026,
    batch: int = 5000,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Load demo users, and `customers` customers unless some exist; return how many were made."""
    users = demo_users()
    if Customer.objects.exists():
        return 0
    owners = [users["sales1"], users["sales2"], users["salesmgr"]]
    actor = users["admin"]
    made = 0
    while made < customers:
        size = min(batch, customers - made)
        with transaction.atomic():
            rows = _customer_rows(count=size, seed=seed, owners=owners, start=made)
            customer_services.customer_bulk_create(
                actor=actor, rows=rows, change_reason="demo data"
            )
        made += size
        if progress:
            progress(size)
    _demo_followups(users=users, seed=seed)
    demo_books(users=users, seed=seed)
    demo_sales(users=users, seed=seed)
    return made


def _demo_followups(*, users: dict[str, User], seed: int) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    for customer in Customer.objects.filter(status=CustomerStatus.ACTIVE).order_by("id")[:20]:
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
    shared = Customer.objects.filter(owner=users["sales1"]).order_by("id").first()
    if shared is not None:
        shared.shared_with.add(users["sales2"])


def demo_books(*, users: dict[str, User], seed: int) -> None:
    """Books under 企业会计准则 from two months back: opening capital, invoices and receipts of
    twenty customers (some settled), and a manual voucher waiting for review.

    Invoices and receipts are posted as synthetic events (`demo.invoice`, `demo.receipt`) until
    the invoicing and receivables modules post the real ones.
    """
    if Company.objects.exists():
        return
    rng = random.Random(seed)
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=40)).replace(day=1)
    admin, finance, accountant = users["admin"], users["finance"], users["accountant"]
    ledger.company_setup(
        actor=admin,
        name="算盘演示科技有限公司",
        tax_number=credit_code(rng, "110108"),
        standard=AccountingStandard.CAS,
        first_period=first,
        revenue_policy=RevenuePolicy.ON_INVOICE,
        voucher_words="记收付转",
    )
    accounts = {a.code: a for a in Account.objects.filter(code__in=["1002", "4001"])}
    capital = ledger.voucher_create(
        actor=accountant,
        date=first,
        summary="收到股东投资款",
        word="收",
        lines=[
            ledger.LineInput(accounts["1002"], debit=Decimal("1000000.00")),
            ledger.LineInput(accounts["4001"], credit=Decimal("1000000.00")),
        ],
    )
    ledger.voucher_review(actor=finance, voucher=capital)
    ledger.voucher_post(actor=finance, voucher=capital)

    customers = list(Customer.objects.filter(status=CustomerStatus.ACTIVE).order_by("id")[:20])
    events = []
    receipts = []
    for index, customer in enumerate(customers):
        on = min(first + timedelta(days=rng.randint(0, 50)), today)
        gross = Decimal(rng.randint(5_000, 120_000)).quantize(Decimal("0.01"))
        net, tax = split_gross(gross, Decimal("0.13"))
        events.append(
            ledger.PostingEvent(
                source_type="demo.invoice",
                source_id=f"{index + 1:04d}",
                event="issued",
                date=on,
                summary=f"销售发票 {customer.name}",
                lines=(
                    ledger.RoleLine(
                        AccountRole.RECEIVABLE,
                        debit=gross,
                        dimension_code=customer.number,
                        due_on=on + timedelta(days=customer.payment_terms_days),
                    ),
                    ledger.RoleLine(AccountRole.REVENUE, credit=net),
                    ledger.RoleLine(AccountRole.VAT_OUTPUT, credit=tax),
                ),
            )
        )
        if index % 3 == 0:
            paid_on = min(on + timedelta(days=rng.randint(5, 30)), today)
            paid = gross if index % 2 == 0 else (gross / 2).quantize(Decimal("0.01"))
            receipts.append(
                ledger.PostingEvent(
                    source_type="demo.receipt",
                    source_id=f"{index + 1:04d}",
                    event="received",
                    date=paid_on,
                    summary=f"收到货款 {customer.name}",
                    word="收",
                    lines=(
                        ledger.RoleLine(AccountRole.BANK, debit=paid),
                        ledger.RoleLine(
                            AccountRole.RECEIVABLE, credit=paid, dimension_code=customer.number
                        ),
                    ),
                )
            )
    # Numbers follow posting order; posting in date order makes them read chronologically.
    ledger.posting_post_batch(events=sorted(events, key=lambda e: e.date), actor=accountant)
    ledger.posting_post_batch(events=sorted(receipts, key=lambda e: e.date), actor=accountant)
    for receipt in receipts:
        credit = OpenItem.objects.get(source_type="demo.receipt", source_id=receipt.source_id)
        debit = OpenItem.objects.get(source_type="demo.invoice", source_id=receipt.source_id)
        ledger.open_item_match(
            actor=accountant,
            debit_item=debit,
            credit_item=credit,
            amount=-credit.amount,
            on=max(credit.posted_on, debit.posted_on),
        )
    ledger.voucher_create(
        actor=accountant,
        date=today,
        summary="支付本月办公用品费",
        word="付",
        lines=[
            ledger.LineInput(Account.objects.get(code="6602"), debit=Decimal("1280.00")),
            ledger.LineInput(accounts["1002"], credit=Decimal("1280.00")),
        ],
    )

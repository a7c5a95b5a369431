"""Issued-invoice matching benchmark on PostgreSQL: the platform's export of N invoices read
and matched to N exported requests (the import's dry run).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/invoicing_match.py \
        [--rows 50000] [--customers 2000]

Creates its own database (`suanpan_bench_invoicing`) on the server named by DATABASE_URL and
migrates it; inserts N exported invoice requests with bulk inserts (half to be matched by the
request number in 备注, half by buyer taxpayer number + total + date), writes an issued-invoice
export (sheet 发票基础信息) of N rows, then times `issued_import(commit=False)` — reading the
workbook and matching every row — against a plain bulk INSERT of the same N rows into a table
of their columns. The target: under 30 s for 50,000 rows. The database is dropped at the end
unless --keep is given.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from sales import database_drop, database_prepare, machine_lines, uptime  # noqa: E402

TARGET_S = 30.0
SEED = 2026
HEADERS = [
    "序号",
    "发票代码",
    "发票号码",
    "数电发票号码",
    "销方识别号",
    "销方名称",
    "购方识别号",
    "购买方名称",
    "开票日期",
    "金额",
    "税额",
    "价税合计",
    "发票来源",
    "发票票种",
    "发票状态",
    "是否正数发票",
    "发票风险等级",
    "开票人",
    "备注",
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000, help="requests and invoices")
    parser.add_argument("--customers", type=int, default=2_000, help="buyers")
    parser.add_argument("--database", default="suanpan_bench_invoicing", help="database to use")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def setup(args: argparse.Namespace) -> tuple[object, list[tuple]]:
    """An accountant, customers, one export batch and N exported requests; returns the
    accountant and, per request, what the platform would have issued for it."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from suanpan.customers.models import Customer
    from suanpan.invoicing.choices import BatchKind, InvoiceType, RequestSource, RequestStatus
    from suanpan.invoicing.models import InvoiceBatch, InvoiceRequest
    from suanpan.ledger.models import Company
    from suanpan.users.choices import Role
    from suanpan.users.models import User
    from suanpan.users.services import roles_sync

    roles_sync()
    today = timezone.localdate()
    Company.objects.create(
        name="基准测试公司", tax_number="91350100M000100Y43", first_period=date(today.year, 1, 1)
    )
    accountant = User.objects.create_user(username="accountant", display_name="会计")
    accountant.groups.add(Group.objects.get(name=str(Role.ACCOUNTANT)))
    owner = User.objects.create_user(username="sales", display_name="销售")
    rng = random.Random(SEED)
    customers = Customer.objects.bulk_create(
        [
            Customer(number=f"KH-{n:06d}", name=f"客户{n}有限公司", owner=owner)
            for n in range(1, args.customers + 1)
        ],
        batch_size=2000,
    )
    batch = InvoiceBatch.objects.create(
        number="PC-BENCH-0001", kind=BatchKind.EXPORT, row_count=args.rows, created_by=accountant
    )
    period = today.strftime("%Y%m")
    requests = []
    issued = []
    for n in range(1, args.rows + 1):
        customer = customers[n % len(customers)]
        tax_number = f"91350100M{n % len(customers):08d}X"[:18]
        # Totals unique per buyer, so the buyer + total fallback has one candidate.
        net = Decimal(rng.randrange(10_000, 10_000_000)) / 100 + Decimal(n) / 100
        tax = (net * Decimal("0.13")).quantize(Decimal("0.01"))
        number = f"KP-{period}-{n:06d}"
        requests.append(
            InvoiceRequest(
                number=number,
                customer=customer,
                source=RequestSource.ORDER,
                invoice_type=InvoiceType.E_SPECIAL,
                status=RequestStatus.EXPORTED,
                buyer_name=customer.name,
                buyer_tax_number=tax_number,
                net_amount=net,
                tax_amount=tax,
                gross_amount=net + tax,
                requested_by=owner,
                requested_on=today,
                batch=batch,
            )
        )
        remarks = number if n % 2 else "客户自提"
        issued.append((f"26{n:018d}", tax_number, customer.name, today, net, tax, remarks))
    InvoiceRequest.objects.bulk_create(requests, batch_size=5000)
    return accountant, issued


def workbook(rows: list[tuple]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("发票基础信息")
    sheet.append(HEADERS)
    for index, (number, tax_number, name, on, net, tax, remarks) in enumerate(rows, start=1):
        sheet.append(
            [
                str(index),
                "",
                "",
                number,
                "91350100M000100Y43",
                "基准测试公司",
                tax_number,
                name,
                f"{on:%Y-%m-%d} 10:00:00",
                f"{net:.2f}",
                f"{tax:.2f}",
                f"{net + tax:.2f}",
                "电子发票服务平台",
                "数电发票（增值税专用发票）",
                "正常",
                "是",
                "正常",
                "会计",
                remarks,
            ]
        )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def plain_insert(rows: list[tuple]) -> float:
    """The same rows, bulk-inserted into a table of their columns: the floor to compare with."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_issued (number varchar(20), buyer varchar(20), "
            "name varchar(100), issued_on date, net numeric(14,2), tax numeric(14,2), "
            "remarks varchar(230))"
        )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_issued VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1/postgres"
        )
    bench_url, _fresh = database_prepare(url=url, name=args.database, reuse=False)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "suanpan.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Database {args.database} on {urlsplit(url).hostname}; started with {uptime()}.")
    try:
        call_command("migrate", verbosity=0, interactive=False)
        start = time.perf_counter()
        accountant, rows = setup(args)
        print(f"{args.rows:,} exported requests inserted in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        data = workbook(rows)
        print(
            f"Issued export of {args.rows:,} rows written ({len(data) / 1e6:.1f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        from suanpan.invoicing.services import issued_import

        start = time.perf_counter()
        report = issued_import(data=data, filename="bench.xlsx", actor=accountant, commit=False)
        match_s = time.perf_counter() - start
        counts = report.as_dict()["counts"]
        if counts["matched"] != args.rows:
            print(f"Unexpected result: {counts}")
            return 1
        insert_s = plain_insert(rows)
        verdict = "meets" if match_s < TARGET_S else "misses"
        print(
            f"Parse + match (dry run) of {args.rows:,} rows: **{match_s:.1f} s** "
            f"({args.rows / match_s:,.0f} rows/s; {verdict} the {TARGET_S:.0f} s target); "
            f"plain bulk INSERT of the same rows: {insert_s:.1f} s; ratio {match_s / insert_s:.1f}×. "
            f"All {counts['matched']:,} matched. Finished with {uptime()}."
        )
        for line in machine_lines():
            print(line)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database_drop(url=url, name=args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())

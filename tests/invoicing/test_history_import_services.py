"""History import: the dry run finds every kind of error and writes nothing; the commit writes
invoices (and posts them when asked) all or nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.core.errors import PermissionDeniedError
from suanpan.core.tax import VAT_RATES, split_gross, tax_from_net
from suanpan.invoicing.choices import BatchStatus, InvoiceKind, InvoiceSource
from suanpan.invoicing.errors import HistoryFileInvalid, HistoryImportInvalid
from suanpan.invoicing.models import Invoice, InvoiceBatch, InvoiceLine
from suanpan.invoicing.services.history_import import history_import_check, history_import_commit
from suanpan.invoicing.services.history_rows import HistoryOptions, amounts_split
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import OpenItem, Voucher
from tests.factories import UserFactory
from tests.inventory.deliveries_support import balance, customer_with_dimension
from tests.invoicing.history_support import HEADER, csv_file, number, xlsx_file

pytestmark = pytest.mark.django_db
D = Decimal
ON = "2026-11-12"


@pytest.fixture
def acme(db: None):
    return customer_with_dimension(payment_terms_days=30)


@pytest.fixture
def walk_in(db: None):
    return customer_with_dimension(name="零售散客")


def check(actor, path, **options):
    return history_import_check(
        actor=actor, path=path, filename=path.name, options=HistoryOptions(**options)
    )


def commit(actor, path, **options):
    return history_import_commit(
        actor=actor, path=path, filename=path.name, options=HistoryOptions(**options)
    )


def test_dry_run_reports_totals_and_writes_nothing(delivery_books, clerk, acme, tmp_path):
    path = csv_file(
        tmp_path,
        [
            (number(1), ON, acme.number, "咨询服务", "", "", "1130.00", "13", ""),
            (number(1), ON, acme.number, "安装", "2", "56.50", "", "13%", ""),
            (
                number(2),
                "2026/11/13",
                acme.number,
                "咨询服务",
                "",
                "",
                "-113.00",
                "0.13",
                number(1),
            ),
        ],
    )
    report = check(clerk, path)
    assert report.ok, report.errors
    assert (report.invoice_count, report.line_count, report.red_count) == (2, 3, 1)
    first, second = report.totals
    assert first["gross_amount"] == "1243.00"
    assert first["net_amount"] == "1100.00"
    assert first["tax_amount"] == "143.00"
    assert second["kind"] == InvoiceKind.RED
    assert second["gross_amount"] == "-113.00"
    assert report.gross_amount == D("1130.00")
    assert not Invoice.objects.exists()
    assert not InvoiceBatch.objects.exists()


def test_dry_run_finds_every_kind_of_error(delivery_books, clerk, acme, tmp_path):
    taken = Invoice.objects.create(
        number=number(9),
        invoice_type="e_normal",
        source=InvoiceSource.HISTORY,
        customer=acme,
        issued_on=date(2026, 11, 1),
        net_amount=D(100),
        tax_amount=D(13),
        gross_amount=D(113),
        created_by=clerk,
        buyer_name="x",
    )
    path = csv_file(
        tmp_path,
        [
            (number(1), "2026-13-45", acme.number, "A", "", "", "100", "13", ""),  # row 2
            (number(2), ON, "KH-NOBODY", "B", "", "", "100", "13", ""),  # row 3
            (number(3), ON, acme.number, "C", "", "", "100", "", ""),  # row 4
            (number(4), ON, acme.number, "D", "", "", "100", "13", ""),  # row 5
            (number(5), ON, acme.number, "E", "", "", "100", "13", ""),  # row 6
            (number(4), ON, acme.number, "F", "", "", "100", "13", ""),  # row 7
            (taken.number, ON, acme.number, "G", "", "", "100", "13", ""),  # row 8
            (number(6), ON, acme.number, "H", "", "", "-100", "13", number(77)),  # row 9
        ],
    )
    report = check(clerk, path)
    found = {(error.row, error.column) for error in report.errors}
    assert (2, "开票日期") in found
    assert (3, "客户编码") in found
    assert (4, "税率") in found
    assert (7, "发票号码") in found
    assert "row 5" in next(e.message for e in report.errors if e.row == 7)
    assert (8, "发票号码") in found
    assert (9, "原发票号码") in found
    assert report.error_count == 6
    assert not report.ok
    with pytest.raises(HistoryImportInvalid):
        commit(clerk, path)
    assert Invoice.objects.count() == 1
    assert not InvoiceBatch.objects.exists()
    assert not Voucher.objects.exists()


def test_default_rate_and_walk_in(delivery_books, clerk, walk_in, tmp_path):
    path = csv_file(
        tmp_path,
        [
            (number(1), ON, "", "零售", "", "", "106.00", "", ""),
            (number(2), ON, "KH-GONE", "零售", "", "", "212.00", "", ""),
        ],
    )
    missing = check(clerk, path)
    assert {e.column for e in missing.errors} == {"税率", "客户编码"}
    report = check(clerk, path, default_rate="6", walk_in=walk_in.number)
    assert report.ok, report.errors
    assert report.walk_in_count == 2
    assert report.tax_amount == D("18.00")
    with pytest.raises(HistoryFileInvalid):
        check(clerk, path, default_rate="6", walk_in="KH-NOT-THERE")


def test_rounding_is_noted_per_line(delivery_books, clerk, acme, tmp_path):
    path = csv_file(
        tmp_path,
        [
            (number(1), ON, acme.number, "A", "", "", "10.005", "13", ""),
            (number(1), ON, acme.number, "B", "3", "3.335", "", "13", ""),
            (number(1), ON, acme.number, "C", "", "", "-0.125", "13", ""),
        ],
    )
    report = check(clerk, path)
    assert report.ok, report.errors
    assert report.rounding == [
        "line 2: 10.005 → 10.01",
        "line 3: 10.005 → 10.01",
        "line 4: -0.125 → -0.13",
    ]
    assert report.totals[0]["gross_amount"] == "19.89"


def test_commit_history_only_writes_invoices_and_no_vouchers(delivery_books, clerk, acme, tmp_path):
    path = csv_file(
        tmp_path,
        [
            (number(1), ON, acme.number, "咨询服务", "", "", "1130.00", "13", ""),
            (number(2), ON, acme.number, "退款", "", "", "-113.00", "13", number(1)),
            (number(3), ON, acme.number, "退款", "", "", "-56.50", "13", ""),
        ],
    )
    report = commit(clerk, path)
    assert report.committed
    blue, red, loose = Invoice.objects.order_by("number")
    assert blue.source == InvoiceSource.HISTORY
    assert (blue.kind, blue.gross_amount, blue.posted) == (InvoiceKind.BLUE, D("1130.00"), False)
    assert blue.first_due_on == date(2026, 11, 12) + timedelta(days=30)
    assert red.kind == InvoiceKind.RED
    assert red.original == blue
    assert loose.kind == InvoiceKind.RED and loose.original is None
    assert InvoiceLine.objects.count() == 3
    assert not Voucher.objects.exists()
    batch = InvoiceBatch.objects.get()
    assert batch.status == BatchStatus.DONE
    assert batch.matched_count == 3
    assert blue.batch == batch
    with pytest.raises(HistoryImportInvalid):
        commit(clerk, path)  # already recorded
    assert Invoice.objects.count() == 3


def test_commit_with_posting(on_invoice, clerk, acme, tmp_path):
    other = customer_with_dimension(payment_terms_days=10)
    path = csv_file(
        tmp_path,
        [
            (number(1), ON, acme.number, "A", "", "", "1130.00", "13", ""),
            (number(1), ON, acme.number, "B", "", "", "106.00", "6", ""),
            (number(2), ON, other.number, "C", "", "", "565.00", "13", ""),
            (number(3), "2026-11-20", acme.number, "A", "", "", "-113.00", "13", number(1)),
        ],
    )
    commit(clerk, path, post=True)
    assert Voucher.objects.count() == 3
    for customer, expected in ((acme, D("1123.00")), (other, D("565.00"))):
        assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == expected
        items = OpenItem.objects.filter(dimension__code=customer.number)
        assert sum(item.open_amount for item in items) == expected
    assert balance(AccountRole.REVENUE) == D("-1500.00")
    assert balance(AccountRole.VAT_OUTPUT) == D("-188.00")
    assert OpenItem.objects.get(amount=D("565.00")).due_on == date(2026, 11, 22)
    assert all(invoice.posted for invoice in Invoice.objects.all())


def test_a_later_error_at_commit_rolls_everything_back(on_invoice, clerk, acme, tmp_path):
    """Postings fail inside the transaction (no receivable role for a customer without a
    ledger dimension is one way; here the walk-in has none): nothing stays."""
    from tests.factories import CustomerFactory

    bare = CustomerFactory()
    path = csv_file(
        tmp_path,
        [
            (number(1), ON, acme.number, "A", "", "", "1130.00", "13", ""),
            (number(2), ON, bare.number, "B", "", "", "113.00", "13", ""),
        ],
    )
    with pytest.raises(Exception):  # noqa: B017 - whichever the ledger raises
        commit(clerk, path, post=True)
    assert not Invoice.objects.exists()
    assert not Voucher.objects.exists()
    assert not InvoiceBatch.objects.exists()


def test_csv_gbk_utf8_bom_and_xlsx(delivery_books, clerk, acme, tmp_path):
    rows = [(number(1), ON, acme.number, "咨询服务费", "", "", "1130.00", "13", "")]
    gbk = csv_file(tmp_path, rows, encoding="gbk", name="gbk.csv")
    bom = csv_file(tmp_path, rows, encoding="utf-8-sig", name="bom.csv")
    for path in (gbk, bom):
        report = check(clerk, path)
        assert report.ok, report.errors
        assert report.totals[0]["gross_amount"] == "1130.00"
    xlsx = xlsx_file(
        tmp_path,
        [(number(1), date(2026, 11, 12), acme.number, "咨询", None, None, 1130, 0.13, None)],
    )
    report = check(clerk, xlsx)
    assert report.ok, report.errors
    assert report.format == "xlsx"
    commit(clerk, xlsx)
    assert Invoice.objects.get().lines.get().item_name == "咨询"


def test_english_headers_and_price_excluding_tax(delivery_books, clerk, acme, tmp_path):
    header = (
        "invoice number",
        "date",
        "customer code",
        "description",
        "amount",
        "rate",
        "price includes tax?",
    )
    path = csv_file(
        tmp_path,
        [(number(1), ON, acme.number, "Service", "1000.00", "13", "否")],
        header=[h.rstrip("?") for h in header],
    )
    report = check(clerk, path)
    assert report.ok, report.errors
    assert report.totals[0]["gross_amount"] == "1130.00"


def test_unreadable_files_and_missing_columns(delivery_books, clerk, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(HistoryFileInvalid):
        check(clerk, empty)
    no_date = csv_file(tmp_path, [("1", "x")], header=("发票号码", "金额"))
    with pytest.raises(HistoryFileInvalid):
        check(clerk, no_date)


def test_needs_permission(delivery_books, acme, tmp_path):
    path = csv_file(tmp_path, [(number(1), ON, acme.number, "A", "", "", "1", "13", "")])
    with pytest.raises(PermissionDeniedError):
        check(UserFactory(), path)


def test_header_constant_matches_columns():
    from suanpan.invoicing.services.history_rows import COLUMNS

    headers = {column.header for column in COLUMNS}
    assert set(HEADER) <= headers


@given(
    fen=st.integers(min_value=0, max_value=10**13),
    rate=st.sampled_from(sorted(VAT_RATES)),
    includes=st.booleans(),
)
def test_amounts_split_matches_core_tax(fen, rate, includes):
    amount = Decimal(fen).scaleb(-2)
    expected = (
        split_gross(amount, VAT_RATES[rate])
        if includes
        else (amount, tax_from_net(amount, VAT_RATES[rate]))
    )
    assert amounts_split(amount, rate, includes_tax=includes) == expected

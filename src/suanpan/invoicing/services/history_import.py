"""Import invoices issued elsewhere (another system, or before Suanpan) from a line-level csv or
xlsx file: a dry run that checks every row and writes nothing, then an all-or-nothing commit.

The file is streamed, never held: rows are read one by one and grouped by invoice number (the
file is sorted by number; rows of one invoice must stand together), and invoices are checked
and written in chunks of CHUNK, with one query per chunk for customers, products, numbers
already recorded and original invoices. The commit is a second pass over the file, inside one
transaction: Invoice and InvoiceLine rows are bulk-inserted (source HISTORY, batch = the
import's InvoiceBatch), and when posting is chosen each invoice posts one voucher (Dr
receivable / Cr revenue, Cr output VAT; cost 0; due = date + the customer's payment terms)
through `ledger.services.posting_post_batch`, one call per chunk.

Amounts with more places than the fen are rounded per line, half up; the report notes each
(`line 12: 10.005 → 10.01`) and gives per-invoice totals before anything is written.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.catalog.selectors import products_by_id, products_by_reference
from suanpan.core.date_checks import business_window, window_message
from suanpan.core.errors import DomainError
from suanpan.core.fields import ScaledIntegerField
from suanpan.core.money import CENT
from suanpan.core.spreadsheet_imports import (
    Column,
    RowError,
    cell_date,
    cell_money,
    header_index,
    word_norm,
)
from suanpan.core.tax import VAT_RATES
from suanpan.customers.selectors import customers_by_reference
from suanpan.invoicing.calculations import postings
from suanpan.invoicing.calculations.lines import LINE_LIMIT, unit_price_net
from suanpan.invoicing.choices import (
    BatchStatus,
    InvoiceKind,
    InvoiceSource,
    InvoiceStatus,
    InvoiceType,
)
from suanpan.invoicing.errors import HistoryFileInvalid, HistoryImportInvalid
from suanpan.invoicing.models import Invoice, InvoiceBatch, InvoiceLine
from suanpan.invoicing.services.history_batches import (
    BatchProgress,
    history_batch_create,
    history_batch_finish,
)
from suanpan.invoicing.services.history_copy import copy_available, ids_draw, rows_copy
from suanpan.invoicing.services.history_reader import HistoryRows, history_rows_open
from suanpan.ledger.services import PostingEvent, books_first_period, posting_post_batch
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

__all__ = [
    "CHUNK",
    "COLUMNS",
    "HistoryInvoice",
    "HistoryLine",
    "HistoryOptions",
    "HistoryReport",
    "history_import_check",
    "history_import_commit",
    "history_import_run",
    "history_invoices_write",
]

PERMISSION = "invoicing.issue_invoice"
CHUNK = 1000  # invoices per query round and per write
TOTALS_SHOWN = 200
NOTES_KEPT = 500
ERRORS_KEPT = 1000
ZERO = Decimal(0)
_MAX_AMOUNT = Decimal("1e12")
_QUANTITY_PLACES = 4
_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z./_-]{0,19}$")
_CODE = re.compile(r"^\d{10}$|^\d{12}$")
Progress = Callable[[int], object]

COLUMNS: tuple[Column, ...] = (
    Column("number", "发票号码", ("invoice number", "发票号", "number"), gettext_lazy("Required.")),
    Column(
        "code",
        "发票代码",
        ("invoice code",),
        gettext_lazy("Paper invoices only: the 10- or 12-digit code."),
    ),
    Column("date", "开票日期", ("date", "issue date", "日期"), gettext_lazy("Required.")),
    Column(
        "customer",
        "客户编码",
        ("customer code", "customer", "客户编号", "客户"),
        gettext_lazy("Empty or unknown: the walk-in customer, when one is named."),
    ),
    Column("product", "商品编码", ("product code", "product"), gettext_lazy("Optional.")),
    Column(
        "description",
        "项目名称",
        ("description", "item name", "货物或应税劳务、服务名称"),
        gettext_lazy("Required when there is no product code."),
    ),
    Column("quantity", "数量", ("quantity", "qty"), gettext_lazy("Optional.")),
    Column("unit_price", "单价", ("unit price", "price"), gettext_lazy("With the quantity.")),
    Column("amount", "金额", ("amount",), gettext_lazy("Or quantity × unit price.")),
    Column("rate", "税率", ("rate", "vat rate", "tax rate"), gettext_lazy("13, 13%, 0.13, 免税.")),
    Column(
        "includes_tax",
        "含税",
        ("price includes tax", "includes tax", "价格含税"),
        gettext_lazy("是/否; empty: the file's choice."),
    ),
    Column(
        "original",
        "原发票号码",
        ("original number", "original invoice", "original"),
        gettext_lazy("Credit notes: the invoice reversed."),
    ),
    Column("type", "发票类型", ("type", "invoice type"), gettext_lazy("Optional.")),
)
_INDEX = header_index(COLUMNS)
_HEADERS = {column.key: column.header for column in COLUMNS}

_YES = {word_norm(w) for w in ("是", "含税", "yes", "y", "true", "1", "✓")}
_NO = {word_norm(w) for w in ("否", "不含税", "no", "n", "false", "0")}
_TYPES: dict[str, str] = {
    word_norm(alias): choice
    for choice, aliases in {
        InvoiceType.E_SPECIAL: ("数电专票", "专票", "增值税专用发票", "special", "e_special"),
        InvoiceType.E_NORMAL: ("数电普票", "普票", "普通发票", "normal", "e_normal"),
        InvoiceType.PAPER_SPECIAL: ("纸质专票", "paper special", "paper_special"),
        InvoiceType.PAPER_NORMAL: ("纸质普票", "paper normal", "paper_normal"),
        InvoiceType.E_NORMAL_LEGACY: ("电子普票", "电子普通发票", "e_normal_legacy"),
    }.items()
    for alias in aliases
}


@dataclass(frozen=True)
class HistoryOptions:
    """What the user chose for the whole file."""

    default_rate: str = ""  # a key of core.tax.VAT_RATES, or "" (every row names its rate)
    price_includes_tax: bool = True
    post: bool = False
    walk_in: str = ""  # the customer number unknown or empty customer codes go to
    encoding: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "default_rate": self.default_rate,
            "price_includes_tax": self.price_includes_tax,
            "post": self.post,
            "walk_in": self.walk_in,
            "encoding": self.encoding,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HistoryOptions:
        return cls(**{key: data[key] for key in cls().as_dict() if key in data})


@dataclass
class HistoryReport:
    """What a dry run (or a commit) found: counts, totals, per-invoice totals (the first
    TOTALS_SHOWN), rounding notes and errors (the first NOTES_KEPT / ERRORS_KEPT, with counts)."""

    filename: str
    format: str = ""
    options: HistoryOptions = field(default_factory=HistoryOptions)
    row_count: int = 0
    line_count: int = 0
    invoice_count: int = 0
    red_count: int = 0
    walk_in_count: int = 0
    net_amount: Decimal = ZERO
    tax_amount: Decimal = ZERO
    gross_amount: Decimal = ZERO
    totals: list[dict[str, Any]] = field(default_factory=list)
    rounding: list[str] = field(default_factory=list)
    rounding_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    committed: bool = False
    batch_number: str = ""

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(RowError(row, _HEADERS.get(column, column), message))

    def note(self, text: str) -> None:
        self.rounding_count += 1
        if len(self.rounding) < NOTES_KEPT:
            self.rounding.append(text)

    def as_dict(self) -> dict[str, Any]:
        """JSON for the batch row and the API: amounts as text."""
        return {
            "filename": self.filename,
            "format": self.format,
            "options": self.options.as_dict(),
            "row_count": self.row_count,
            "line_count": self.line_count,
            "invoice_count": self.invoice_count,
            "red_count": self.red_count,
            "walk_in_count": self.walk_in_count,
            "net_amount": str(self.net_amount),
            "tax_amount": str(self.tax_amount),
            "gross_amount": str(self.gross_amount),
            "totals": self.totals,
            "rounding": self.rounding,
            "rounding_count": self.rounding_count,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message, "text": str(e)}
                for e in sorted(self.errors)
            ],
            "error_count": self.error_count,
            "ignored_columns": self.ignored_columns,
            "committed": self.committed,
            "batch_number": self.batch_number,
            "ok": self.ok,
        }


@dataclass
class HistoryLine:
    """One line as read: signed amounts rounded to the fen."""

    row: int
    product_ref: str
    item_name: str
    quantity: Decimal | None
    net: Decimal
    tax: Decimal
    gross: Decimal
    rate_key: str
    product_id: int | None = None
    tax_code: str = ""


@dataclass
class HistoryInvoice:
    """The rows of one invoice number; `customer` once resolved, `bad` when any row failed."""

    code: str
    number: str
    row: int
    issued_on: date | None
    customer_ref: str
    invoice_type: str
    price_includes_tax: bool
    original_ref: str
    lines: list[HistoryLine] = field(default_factory=list)
    date_text: str = ""
    bad: bool = False
    customer: Any = None
    original_id: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.number)

    @property
    def label(self) -> str:
        return f"{self.code}{self.number}"

    def total(self, name: str) -> Decimal:
        return sum((getattr(line, name) for line in self.lines), ZERO)


def _half_up(dividend: int, divisor: int) -> int:
    quotient, rest = divmod(dividend, divisor)
    return quotient + 1 if 2 * rest >= divisor else quotient


def amounts_split(amount: Decimal, rate_key: str, *, includes_tax: bool) -> tuple[Decimal, Decimal]:
    """(net, tax) of an amount in fen, zero or more, at a rate of whole percents: what
    core.tax.split_gross (including tax) or tax_from_net (excluding) give, in integers — exact
    and some twenty times faster, which a 500,000-line file notices."""
    fen = int(amount.scaleb(2))
    percent = int(VAT_RATES[rate_key].rate * 100)
    if includes_tax:
        net = _half_up(fen * 100, 100 + percent)
        tax = fen - net
    else:
        net, tax = fen, _half_up(fen * percent, 100)
    return Decimal(net).scaleb(-2), Decimal(tax).scaleb(-2)


@functools.lru_cache(maxsize=256)
def _rate_key(text: str) -> str | None:
    value = unicodedata.normalize("NFKC", text).strip().replace("%", "").replace(" ", "")
    if value in ("免税", "exempt", "免征"):
        return "exempt"
    if value in ("不征税", "***"):
        return "0"
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if 0 < number < 1:
        number *= 100
    for key, rate in VAT_RATES.items():
        if not rate.is_exempt and rate.rate * 100 == number:
            return key
    return None


class _Scanner:
    """One pass over the file: rows → invoices → chunks handed to `flush`."""

    def __init__(
        self,
        *,
        actor: User,
        options: HistoryOptions,
        report: HistoryReport,
        rows: HistoryRows,
        flush: Callable[[list[HistoryInvoice]], None],
        progress: Callable[[float], None],
    ) -> None:
        self.actor = actor
        self.options = options
        self.report = report
        self.rows = rows
        self.flush_chunk = flush
        self.progress = progress
        self.positions: dict[str, int] = {}
        for position, text in enumerate(rows.header):
            key = _INDEX.get(word_norm(text)) if text else None
            if key is None:
                if text:
                    report.ignored_columns.append(text)
                continue
            if key in self.positions:
                raise HistoryFileInvalid(
                    reason=_("the columns “%(first)s” and “%(second)s” mean the same")
                    % {"first": rows.header[self.positions[key]], "second": text}
                )
            self.positions[key] = position
        for required in ("number", "date"):
            if required not in self.positions:
                raise HistoryFileInvalid(
                    reason=_("it has no column “%(column)s”") % {"column": _HEADERS[required]}
                )
        if "amount" not in self.positions and not {"quantity", "unit_price"} <= set(self.positions):
            raise HistoryFileInvalid(
                reason=_("it has neither an amount column (金额) nor quantity and unit price")
            )
        self.positions_seen: dict[str, int] = {}
        self.in_file: dict[str, str] = {}
        self.later: dict[str, list[tuple[int, str]]] = {}
        self.walk_in: Any = None
        self.window = business_window(first_period=books_first_period()) if options.post else None
        self.today = timezone.localdate()

    def cell(self, cells: tuple[str, ...], key: str) -> str:
        position = self.positions.get(key)
        if position is None or position >= len(cells):
            return ""
        return cells[position]

    def run(self) -> None:
        report = self.report
        current: HistoryInvoice | None = None
        chunk: list[HistoryInvoice] = []
        for row, cells in self.rows.rows:
            if not any(cells):
                continue
            report.row_count += 1
            code = "".join(self.cell(cells, "code").split())
            number = "".join(self.cell(cells, "number").split())
            if not number:
                report.error(row, "number", _("The invoice number is empty."))
                continue
            if current is None or current.key != (code, number):
                if current is not None:
                    chunk.append(current)
                    if len(chunk) >= CHUNK:
                        self._flush(chunk)
                        chunk = []
                current = self._start(row, cells, code, number)
            else:
                self._same_invoice(current, row, cells)
            line = self._line(current, row, cells)
            if line is None:
                current.bad = True
            else:
                current.lines.append(line)
            if report.row_count % CHUNK == 0:
                self.progress(self.rows.fraction())
        if current is not None:
            chunk.append(current)
        if chunk:
            self._flush(chunk)
        self.progress(1.0)

    def _flush(self, chunk: list[HistoryInvoice]) -> None:
        report = self.report
        for invoice in chunk:
            if len(invoice.lines) > LINE_LIMIT:
                report.error(
                    invoice.row,
                    "number",
                    _("Invoice %(number)s has more than %(limit)s lines.")
                    % {"number": invoice.label, "limit": LINE_LIMIT},
                )
                invoice.bad = True
            gross = invoice.total("gross")
            if invoice.lines and gross == 0 and not invoice.bad:
                report.error(
                    invoice.row,
                    "amount",
                    _("Invoice %(number)s adds up to zero.") % {"number": invoice.label},
                )
                invoice.bad = True
            if invoice.original_ref and gross > 0:
                report.error(
                    invoice.row,
                    "original",
                    _("Only a credit note (a negative total) names an original invoice."),
                )
                invoice.bad = True
        self._resolve(chunk)
        self.flush_chunk(chunk)

    def _start(self, row: int, cells: tuple[str, ...], code: str, number: str) -> HistoryInvoice:
        report = self.report
        label = f"{code}{number}"
        if label in self.positions_seen:
            report.error(
                row,
                "number",
                _(
                    "Invoice %(number)s is also on row %(first)s; the rows of one invoice must "
                    "stand together (sort the file by invoice number)."
                )
                % {"number": label, "first": self.positions_seen[label]},
            )
        else:
            self.positions_seen[label] = row
        bad = False
        if not _NUMBER.match(number):
            report.error(
                row, "number", _("“%(number)s” is not an invoice number.") % {"number": number}
            )
            bad = True
        if code and not _CODE.match(code):
            report.error(row, "code", _("An invoice code is 10 or 12 digits."))
            bad = True
        issued_on = self._date(row, self.cell(cells, "date"))
        if issued_on is None:
            bad = True
        type_text = self.cell(cells, "type")
        if type_text:
            invoice_type = _TYPES.get(word_norm(type_text), "")
            if not invoice_type:
                report.error(
                    row, "type", _("Unknown invoice type “%(type)s”.") % {"type": type_text}
                )
                bad = True
        elif code:
            invoice_type = InvoiceType.PAPER_NORMAL
        elif len(number) == 20 and number.isdigit():
            invoice_type = InvoiceType.E_NORMAL
        else:
            invoice_type = InvoiceType.E_NORMAL_LEGACY
        includes = self._includes(row, self.cell(cells, "includes_tax"))
        return HistoryInvoice(
            code=code,
            number=number,
            row=row,
            issued_on=issued_on,
            date_text=self.cell(cells, "date"),
            customer_ref=self.cell(cells, "customer"),
            invoice_type=invoice_type,
            price_includes_tax=self.options.price_includes_tax if includes is None else includes,
            original_ref="".join(self.cell(cells, "original").split()),
            bad=bad,
        )

    def _same_invoice(self, invoice: HistoryInvoice, row: int, cells: tuple[str, ...]) -> None:
        text = self.cell(cells, "date")
        if text and text != invoice.date_text:
            try:
                same = cell_date(text) == invoice.issued_on
            except ValueError:
                same = False
            if not same:
                self.report.error(
                    row,
                    "date",
                    _("The date differs from row %(row)s of invoice %(number)s.")
                    % {"row": invoice.row, "number": invoice.label},
                )
                invoice.bad = True
        customer = self.cell(cells, "customer")
        if customer and customer != invoice.customer_ref:
            self.report.error(
                row,
                "customer",
                _("The customer differs from row %(row)s of invoice %(number)s.")
                % {"row": invoice.row, "number": invoice.label},
            )
            invoice.bad = True
        original = "".join(self.cell(cells, "original").split())
        if original and not invoice.original_ref:
            invoice.original_ref = original

    def _date(self, row: int, text: str) -> date | None:
        if not text:
            self.report.error(row, "date", _("The date is empty."))
            return None
        try:
            issued_on = cell_date(text)
        except ValueError:
            self.report.error(row, "date", _("“%(text)s” is not a date.") % {"text": text})
            return None
        if self.window is not None:
            outside = self.window.outside(issued_on)
            if outside is not None:
                self.report.error(row, "date", window_message(self.window, outside))
                return None
        elif issued_on > self.today:
            self.report.error(row, "date", _("The date is in the future."))
            return None
        return issued_on

    def _includes(self, row: int, text: str) -> bool | None:
        if not text:
            return None
        word = word_norm(text)
        if word in _YES:
            return True
        if word in _NO:
            return False
        self.report.error(row, "includes_tax", _("Write 是 or 否."))
        return None

    def _decimal(self, row: int, key: str, text: str) -> Decimal | None:
        try:
            # Most cells are plain numbers: Decimal first, the spelling people use after.
            value = Decimal(text)
            if value.is_finite():
                return value
        except InvalidOperation:
            pass
        try:
            return cell_money(text)
        except ValueError:
            self.report.error(row, key, _("“%(text)s” is not a number.") % {"text": text})
            return None

    def _line(
        self, invoice: HistoryInvoice, row: int, cells: tuple[str, ...]
    ) -> HistoryLine | None:
        report = self.report
        ok = True
        rate_text = self.cell(cells, "rate")
        rate_key = _rate_key(rate_text) if rate_text else (self.options.default_rate or None)
        if rate_key is None or rate_key not in VAT_RATES:
            if rate_text:
                report.error(row, "rate", _("“%(text)s” is not a VAT rate.") % {"text": rate_text})
            else:
                report.error(row, "rate", _("The rate is empty and the file has no default rate."))
            ok = False
        includes = self._includes(row, self.cell(cells, "includes_tax"))
        if includes is not None and includes != invoice.price_includes_tax:
            report.error(
                row,
                "includes_tax",
                _("Prices include tax on one row of an invoice and not on another."),
            )
            ok = False
        quantity: Decimal | None = None
        quantity_text = self.cell(cells, "quantity")
        if quantity_text:
            quantity = self._decimal(row, "quantity", quantity_text)
            if quantity is None:
                ok = False
            elif quantity == 0:
                quantity = None
            elif quantity != quantity.quantize(Decimal(1).scaleb(-_QUANTITY_PLACES)):
                report.error(row, "quantity", _("A quantity has at most four decimals."))
                ok = False
        amount_text = self.cell(cells, "amount")
        price_text = self.cell(cells, "unit_price")
        raw: Decimal | None = None
        if amount_text:
            raw = self._decimal(row, "amount", amount_text)
        elif price_text and quantity is not None:
            price = self._decimal(row, "unit_price", price_text)
            raw = None if price is None else quantity * price
        else:
            report.error(row, "amount", _("Give the amount, or the quantity and the unit price."))
        if raw is None:
            return None
        amount = raw.quantize(CENT, rounding=ROUND_HALF_UP)
        if amount != raw:
            if len(report.rounding) < NOTES_KEPT:
                report.note(
                    _("line %(row)s: %(raw)s → %(rounded)s")
                    % {"row": row, "raw": format(raw.normalize(), "f"), "rounded": amount}
                )
            else:
                report.rounding_count += 1
        if amount == 0:
            report.error(row, "amount", _("The amount is zero."))
            ok = False
        elif abs(amount) >= _MAX_AMOUNT:
            report.error(row, "amount", _("The amount is too large."))
            ok = False
        product_ref = self.cell(cells, "product")
        item_name = self.cell(cells, "description")[:100]
        if not item_name and not product_ref:
            report.error(row, "description", _("Give a description or a product code."))
            ok = False
        if not ok or rate_key is None:
            return None
        sign = -1 if amount < 0 else 1
        net, tax = amounts_split(abs(amount), rate_key, includes_tax=invoice.price_includes_tax)
        if quantity is not None:
            quantity = abs(quantity) * sign
        return HistoryLine(
            row=row,
            product_ref=product_ref,
            item_name=item_name,
            quantity=quantity,
            net=net * sign,
            tax=tax * sign,
            gross=(net + tax) * sign,
            rate_key=rate_key,
        )

    # --- one chunk against the database --------------------------------------------------

    def _resolve(self, chunk: list[HistoryInvoice]) -> None:
        report = self.report
        refs = {invoice.customer_ref for invoice in chunk if invoice.customer_ref}
        found = customers_by_reference(user=self.actor, references=refs) if refs else {}
        for invoice in chunk:
            matches = found.get(invoice.customer_ref.strip(), [])
            if len(matches) == 1:
                invoice.customer = matches[0]
            elif len(matches) > 1:
                report.error(
                    invoice.row,
                    "customer",
                    _("“%(ref)s” names several customers.") % {"ref": invoice.customer_ref},
                )
                invoice.bad = True
            elif self.walk_in is not None:
                invoice.customer = self.walk_in
                report.walk_in_count += 1
            elif invoice.customer_ref:
                report.error(
                    invoice.row,
                    "customer",
                    _("There is no customer “%(ref)s”.") % {"ref": invoice.customer_ref},
                )
                invoice.bad = True
            else:
                report.error(
                    invoice.row,
                    "customer",
                    _("The customer is empty and no walk-in customer is named."),
                )
                invoice.bad = True
        self._resolve_products(chunk)
        taken = set(
            Invoice.objects.filter(number__in={invoice.number for invoice in chunk}).values_list(
                "code", "number"
            )
        )
        for invoice in chunk:
            if invoice.key in taken:
                report.error(
                    invoice.row,
                    "number",
                    _("Invoice %(number)s is already recorded.") % {"number": invoice.label},
                )
                invoice.bad = True
        originals = {invoice.original_ref for invoice in chunk if invoice.original_ref}
        recorded: dict[str, int] = {}
        if originals:
            for pk, code, number in Invoice.objects.filter(
                number__in={part for ref in originals for part in (ref, ref[-8:])}
            ).values_list("pk", "code", "number"):
                recorded[f"{code}{number}"] = pk
        for invoice in chunk:
            ref = invoice.original_ref
            if not ref:
                continue
            if ref in recorded:
                invoice.original_id = recorded[ref]
            elif ref in self.positions_seen:
                self.in_file[invoice.label] = ref
            else:
                self.later.setdefault(ref, []).append((invoice.row, invoice.label))

    def _resolve_products(self, chunk: list[HistoryInvoice]) -> None:
        refs = {line.product_ref for invoice in chunk for line in invoice.lines if line.product_ref}
        if not refs:
            for invoice in chunk:
                for line in invoice.lines:
                    line.tax_code = ""
            return
        found = products_by_reference(refs)
        single = {ref: matches[0].pk for ref, matches in found.items() if len(matches) == 1}
        products = products_by_id(single.values(), with_tax_category=True)
        for invoice in chunk:
            for line in invoice.lines:
                if not line.product_ref:
                    continue
                matches = found.get(line.product_ref.strip(), [])
                if len(matches) != 1:
                    message = (
                        _("“%(ref)s” names several products.")
                        if matches
                        else _("There is no product “%(ref)s”.")
                    )
                    self.report.error(line.row, "product", message % {"ref": line.product_ref})
                    invoice.bad = True
                    continue
                product = products[matches[0].pk]
                line.product_id = product.pk
                line.item_name = line.item_name or product.name[:100]
                category = getattr(product, "tax_category", None)
                line.tax_code = category.code if category is not None else ""

    def finish(self) -> None:
        """Credit notes whose original came later in the file, or never."""
        for ref, reds in self.later.items():
            for row, label in reds:
                if ref in self.positions_seen:
                    self.in_file[label] = ref
                else:
                    self.report.error(
                        row,
                        "original",
                        _("There is no invoice %(number)s to reverse.") % {"number": ref},
                    )


def _scanner(
    *,
    actor: User,
    path: str | Path,
    options: HistoryOptions,
    report: HistoryReport,
    flush: Callable[[list[HistoryInvoice]], None],
    progress: Callable[[float], None],
) -> _Scanner:
    rows = history_rows_open(path, encoding=options.encoding)
    report.format = rows.format
    scanner = _Scanner(
        actor=actor, options=options, report=report, rows=rows, flush=flush, progress=progress
    )
    if options.walk_in:
        found = customers_by_reference(user=actor, references=[options.walk_in])
        matches = found.get(options.walk_in.strip(), [])
        if len(matches) != 1:
            raise HistoryFileInvalid(
                _("There is no walk-in customer “%(ref)s”."), ref=options.walk_in
            )
        scanner.walk_in = matches[0]
    if options.default_rate and options.default_rate not in VAT_RATES:
        raise HistoryFileInvalid(reason=_("the default rate is not a VAT rate"))
    return scanner


def _totals_row(invoice: HistoryInvoice) -> dict[str, Any]:
    return {
        "row": invoice.row,
        "number": invoice.label,
        "date": invoice.issued_on.isoformat() if invoice.issued_on else "",
        "customer": invoice.customer.number if invoice.customer is not None else "",
        "customer_name": invoice.customer.name if invoice.customer is not None else "",
        "kind": InvoiceKind.RED if invoice.total("gross") < 0 else InvoiceKind.BLUE,
        "lines": len(invoice.lines),
        "net_amount": str(invoice.total("net")),
        "tax_amount": str(invoice.total("tax")),
        "gross_amount": str(invoice.total("gross")),
    }


def _count(report: HistoryReport, chunk: list[HistoryInvoice]) -> None:
    for invoice in chunk:
        if invoice.bad:
            continue
        report.invoice_count += 1
        report.line_count += len(invoice.lines)
        net, tax = invoice.total("net"), invoice.total("tax")
        report.net_amount += net
        report.tax_amount += tax
        report.gross_amount += net + tax
        if net + tax < 0:
            report.red_count += 1
        if len(report.totals) < TOTALS_SHOWN:
            report.totals.append(_totals_row(invoice))


def _percent(progress: Progress | None, start: int, span: int) -> Callable[[float], None]:
    last = [-1]

    def report(fraction: float) -> None:
        value = start + int(span * fraction)
        if progress is not None and value != last[0]:
            last[0] = value
            progress(value)

    return report


def history_import_check(
    *,
    actor: User,
    path: str | Path,
    filename: str,
    options: HistoryOptions,
    progress: Progress | None = None,
    _span: tuple[int, int] = (0, 100),
) -> HistoryReport:
    """The dry run: read the whole file, check every row against the database, write nothing.
    A file that cannot be read at all raises HistoryFileInvalid; row errors go in the report."""
    permission_require(actor, PERMISSION)
    report = HistoryReport(filename=filename, options=options)
    scanner = _scanner(
        actor=actor,
        path=path,
        options=options,
        report=report,
        flush=lambda chunk: _count(report, chunk),
        progress=_percent(progress, *_span),
    )
    scanner.run()
    scanner.finish()
    if report.error_count:
        # Figures of a file with errors describe only its good invoices; keep the errors.
        report.errors.sort()
    return report


@dataclass
class _Writer:
    actor: User
    options: HistoryOptions
    batch: InvoiceBatch
    report: HistoryReport
    created: dict[str, int] = field(default_factory=dict)

    def write(self, chunk: list[HistoryInvoice]) -> None:
        bad = [invoice for invoice in chunk if invoice.bad]
        if bad:
            # The file or the books changed since the dry run (a number recorded meanwhile).
            raise HistoryImportInvalid(count=self.report.error_count or len(bad))
        _count(self.report, chunk)
        heads = [self._invoice_values(item) for item in chunk]
        if copy_available():
            ids = ids_draw(Invoice, len(chunk))
            for head, pk in zip(heads, ids, strict=True):
                head["id"] = pk
            rows_copy(Invoice, [_db_values(Invoice, head) for head in heads])
            rows_copy(
                InvoiceLine,
                [
                    _db_values(InvoiceLine, values)
                    for item, pk in zip(chunk, ids, strict=True)
                    for values in self._line_values(item, pk)
                ],
            )
        else:
            invoices = Invoice.objects.bulk_create([Invoice(**head) for head in heads])
            ids = [invoice.pk for invoice in invoices]
            InvoiceLine.objects.bulk_create(
                InvoiceLine(**values)
                for item, pk in zip(chunk, ids, strict=True)
                for values in self._line_values(item, pk)
            )
        for item, pk in zip(chunk, ids, strict=True):
            self.created[item.label] = pk
        if self.options.post:
            posting_post_batch(
                events=[
                    self._event(item, head, pk)
                    for item, head, pk in zip(chunk, heads, ids, strict=True)
                ],
                actor=self.actor,
            )

    def _invoice_values(self, item: HistoryInvoice) -> dict[str, Any]:
        customer = item.customer
        net, tax = item.total("net"), item.total("tax")
        gross = net + tax
        issued_on = item.issued_on
        if issued_on is None:  # a bad date marks the invoice bad; never written
            raise HistoryImportInvalid(count=1)
        red = gross < 0
        return {
            "code": item.code,
            "number": item.number,
            "kind": InvoiceKind.RED.value if red else InvoiceKind.BLUE.value,
            "invoice_type": str(item.invoice_type),
            "status": InvoiceStatus.ISSUED.value,
            "source": InvoiceSource.HISTORY.value,
            "customer_id": customer.pk,
            "original_id": item.original_id,
            "issued_on": issued_on,
            "price_includes_tax": item.price_includes_tax,
            "net_amount": net,
            "tax_amount": tax,
            "gross_amount": gross,
            "posted": self.options.post,
            "first_due_on": issued_on if red else _due(issued_on, customer),
            "batch_id": self.batch.pk,
            "created_by_id": self.actor.pk,
            "buyer_name": (customer.invoice_title or customer.name)[:100],
            "buyer_tax_number": customer.invoice_tax_number or "",
        }

    def _line_values(self, item: HistoryInvoice, invoice_id: int) -> Iterator[dict[str, Any]]:
        for position, line in enumerate(item.lines, start=1):
            yield {
                "invoice_id": invoice_id,
                "position": position,
                "product_id": line.product_id,
                "item_name": line.item_name,
                "tax_code": line.tax_code,
                "quantity": line.quantity,
                "unit_price": unit_price_net(line.net, line.quantity),
                "net_amount": line.net,
                "vat_rate_key": line.rate_key,
                "vat_rate": VAT_RATES[line.rate_key].rate,
                "tax_amount": line.tax,
                "gross_amount": line.gross,
            }

    def _event(self, item: HistoryInvoice, head: dict[str, Any], pk: int) -> PostingEvent:
        red = head["kind"] == InvoiceKind.RED
        kind = _("Red invoice") if red else _("Invoice")
        summary = (
            _("%(kind)s %(number)s, %(customer)s")
            % {"kind": kind, "number": item.label, "customer": item.customer.name}
        )[:200]
        amounts = postings.InvoiceAmounts(
            net=head["net_amount"],
            tax=head["tax_amount"],
            cost=ZERO,
            customer_code=item.customer.number,
            due_parts=((head["first_due_on"], head["gross_amount"]),),
        )
        return PostingEvent(
            source_type=postings.SOURCE_INVOICE,
            source_id=str(pk),
            event=postings.EVENT_ISSUE,
            date=head["issued_on"],
            summary=summary,
            lines=postings.invoice_lines(amounts, on_invoice=True, summary=summary),
            red=red,
        )


_SCALED: dict[type[Any], dict[str, int]] = {
    model: {
        f.attname: f.places
        for f in model._meta.concrete_fields
        if isinstance(f, ScaledIntegerField)
    }
    for model in (Invoice, InvoiceLine)
}


def _db_values(model: type[Any], values: dict[str, Any]) -> dict[str, Any]:
    """Scaled fields as the integers they store; the rest as they are (psycopg adapts them)."""
    scaled = _SCALED[model]
    return {
        key: (int(value.scaleb(scaled[key])) if key in scaled and value is not None else value)
        for key, value in values.items()
    }


def history_invoices_write(
    *, actor: User, batch: InvoiceBatch, invoices: list[HistoryInvoice], post: bool
) -> list[int]:
    """The batch writer on its own: insert checked invoices (customer set, nothing bad) with
    their lines and, when `post`, post one voucher each. Inside the caller's transaction;
    returns the new invoices' ids in order."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("history_invoices_write() must run inside transaction.atomic()")
    permission_require(actor, PERMISSION)
    writer = _Writer(
        actor=actor,
        options=HistoryOptions(post=post),
        batch=batch,
        report=HistoryReport(filename=batch.file_name),
    )
    writer.write(invoices)
    return [writer.created[invoice.label] for invoice in invoices]


def _due(issued_on: date, customer: Any) -> date:
    return issued_on + timedelta(days=customer.payment_terms_days or 0)


def history_import_commit(
    *,
    actor: User,
    path: str | Path,
    filename: str,
    options: HistoryOptions,
    batch: InvoiceBatch | None = None,
    progress: Progress | None = None,
) -> HistoryReport:
    """Check the file (a full dry run), then write it: every invoice or none.

    The first pass writes nothing and raises HistoryImportInvalid (with the report on
    `exc.report`) when any row has an error. The second pass runs in one transaction:
    invoices, lines, the batch's counts and, when posting, one voucher per invoice."""
    permission_require(actor, PERMISSION)
    check = history_import_check(
        actor=actor,
        path=path,
        filename=filename,
        options=options,
        progress=progress,
        _span=(0, 50),
    )
    if not check.ok:
        error = HistoryImportInvalid(count=check.error_count)
        error.report = check  # type: ignore[attr-defined]
        raise error
    report = HistoryReport(filename=filename, options=options)
    with transaction.atomic():
        if batch is None:  # inside: a failed import leaves no batch behind
            batch = history_batch_create(actor=actor, filename=filename, options=options.as_dict())
        writer = _Writer(actor=actor, options=options, batch=batch, report=report)
        scanner = _scanner(
            actor=actor,
            path=path,
            options=options,
            report=report,
            flush=writer.write,
            progress=_percent(progress, 50, 50),
        )
        scanner.run()
        scanner.finish()
        if report.error_count:
            error = HistoryImportInvalid(count=report.error_count)
            error.report = report  # type: ignore[attr-defined]
            raise error
        # Credit notes whose original stands in the same file.
        reds = [(writer.created[red], writer.created[ref]) for red, ref in scanner.in_file.items()]
        for start in range(0, len(reds), CHUNK):
            part = reds[start : start + CHUNK]
            rows = Invoice.objects.in_bulk([red for red, _ref in part])
            for red, ref in part:
                rows[red].original_id = ref
            Invoice.objects.bulk_update(list(rows.values()), ["original"])
        report.rounding, report.rounding_count = check.rounding, check.rounding_count
        report.committed = True
        report.batch_number = batch.number
        batch.row_count = report.row_count
        batch.matched_count = report.invoice_count
        batch.failed_count = 0
        batch.status = BatchStatus.DONE
        batch.progress = 100
        batch.report = report.as_dict()
        batch.save()
    return report


def history_import_run(*, batch_id: int) -> HistoryReport | None:
    """The background job: check (or check and commit) the file a queued batch names, with
    progress and the report on the batch row. Safe to retry: a batch done is left alone, and a
    commit is one transaction, so a job stopped half-way wrote nothing."""
    batch = InvoiceBatch.objects.select_related("created_by").get(pk=batch_id)
    job = dict(batch.report.get("job") or {})
    if batch.status == BatchStatus.DONE and not job.get("pending"):
        return None
    path = Path(job.get("path", ""))
    options = HistoryOptions.from_dict(job.get("options", {}))
    commit = bool(job.get("commit"))
    filename = batch.file_name
    progress = BatchProgress(batch_id)

    def tick(percent: int) -> None:
        progress(percent, BatchStatus.WRITING if commit and percent >= 50 else BatchStatus.CHECKING)

    report: HistoryReport | None = None
    try:
        if commit:
            report = history_import_commit(
                actor=batch.created_by,
                path=path,
                filename=filename,
                options=options,
                batch=batch,
                progress=tick,
            )
        else:
            report = history_import_check(
                actor=batch.created_by, path=path, filename=filename, options=options, progress=tick
            )
            kept = {**job, "pending": False}
            history_batch_finish(
                batch_id=batch_id,
                status=BatchStatus.DONE,
                report={**report.as_dict(), "job": kept},
                row_count=report.row_count,
            )
    except HistoryImportInvalid as exc:
        report = getattr(exc, "report", None)
        data = report.as_dict() if report is not None else {"error_count": 1}
        history_batch_finish(
            batch_id=batch_id,
            status=BatchStatus.FAILED,
            report={**data, "message": exc.message},
            row_count=report.row_count if report is not None else 0,
        )
    except DomainError as exc:
        history_batch_finish(
            batch_id=batch_id,
            status=BatchStatus.FAILED,
            report={"message": exc.message, "error_count": 1, "errors": [], "ok": False},
        )
    finally:
        progress.close()
        if commit or report is None or not report.ok:
            path.unlink(missing_ok=True)
    return report


def history_import_queue_commit(*, actor: User, batch: InvoiceBatch) -> InvoiceBatch:
    """After a clean dry run on the page: queue the same file for import."""
    permission_require(actor, PERMISSION)
    job = dict(batch.report.get("job") or {})
    if (
        batch.status != BatchStatus.DONE
        or not batch.report.get("ok")
        or not job
        or job.get("commit")
    ):
        raise HistoryImportInvalid(
            _("This batch cannot be imported: check the file again."), count=0
        )
    batch.report = {**batch.report, "job": {**job, "commit": True, "pending": True}}
    batch.status = BatchStatus.QUEUED
    batch.progress = 0
    batch.save(update_fields=["report", "status", "progress"])
    return batch

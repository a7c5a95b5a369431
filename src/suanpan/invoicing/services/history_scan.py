"""Reading a history file once, streamed: rows grouped by invoice number and checked, in chunks."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.catalog.selectors import products_by_id, products_by_reference
from suanpan.core.date_checks import business_window, window_message
from suanpan.core.money import CENT
from suanpan.core.spreadsheet_imports import (
    cell_date,
    cell_money,
    header_index,
    word_norm,
)
from suanpan.core.tax import VAT_RATES
from suanpan.customers.selectors import customers_by_reference
from suanpan.invoicing.calculations.lines import LINE_LIMIT
from suanpan.invoicing.choices import (
    InvoiceType,
)
from suanpan.invoicing.errors import HistoryFileInvalid
from suanpan.invoicing.models import Invoice
from suanpan.invoicing.services.history_reader import HistoryRows, history_rows_open
from suanpan.invoicing.services.history_rows import (
    _HEADERS,
    CHUNK,
    COLUMNS,
    NOTES_KEPT,
    HistoryInvoice,
    HistoryLine,
    HistoryOptions,
    HistoryReport,
    _rate_key,
    amounts_split,
)
from suanpan.ledger.services import books_first_period
from suanpan.users.models import User

_MAX_AMOUNT = Decimal("1e12")
_QUANTITY_PLACES = 4
_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z./_-]{0,19}$")
_CODE = re.compile(r"^\d{10}$|^\d{12}$")
Progress = Callable[[int], object]

_INDEX = header_index(COLUMNS)
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

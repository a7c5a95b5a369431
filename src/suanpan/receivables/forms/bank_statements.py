"""The bank statement pages' forms: the file to import (account, layout, file), and what the
queue posts (the ticked lines, a customer picked for a line without a suggestion, a reason to
ignore one), one line opened to choose its customer and what it settles, and a bank account's
column mapping. The services check the lines, customers, amounts and mappings."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import StyledFormMixin
from suanpan.core.spreadsheets import MAX_BYTES
from suanpan.core.uploads import SpreadsheetImportForm
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import CustomerPicker, customer_picker_use
from suanpan.receivables import selectors
from suanpan.receivables.calculations.bank_layouts import (
    HEADER_SEARCH_ROWS,
    MAPPING_FIELDS,
    PRESETS,
)
from suanpan.receivables.forms.receipts import SettleAmountsMixin
from suanpan.receivables.services import Allocation, LineConfirm
from suanpan.users.models import User

CUSTOMER_PREFIX = "customer_"


def _ids(raw: list[str]) -> list[int]:
    return [int(value) for value in raw if value.isdigit() and len(value) < 12]


class StatementFileForm(SpreadsheetImportForm):
    bank_account = forms.ModelChoiceField(
        label=_("Bank account"), queryset=selectors.bank_accounts(), empty_label=None
    )
    preset = forms.ChoiceField(
        label=_("Layout"),
        required=False,
        help_text=_("Blank: the account's saved column mapping, else the layout the headers show."),
    )

    field_order = ["bank_account", "preset", "file", "encoding"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        preset = self.fields["preset"]
        if isinstance(preset, forms.ChoiceField):
            preset.choices = [
                ("", _("Saved mapping or detect")),
                *((code, f"{layout.bank} ({code})") for code, layout in PRESETS.items()),
            ]


class IgnoreForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why ignored"), max_length=300)


def _allocations(raw: Any) -> tuple[Allocation, ...]:
    """The line's suggested allocations as stored ([[item id, "amount"], …])."""
    allocations = []
    for entry in raw or []:
        try:
            allocations.append(Allocation(item_id=int(entry[0]), amount=Decimal(str(entry[1]))))
        except (TypeError, ValueError, IndexError, InvalidOperation):
            continue
    return tuple(allocations)


def ticked_ids(data: QueryDict) -> list[int]:
    return list(dict.fromkeys(_ids(data.getlist("line"))))


def lines_to_confirm(data: QueryDict, lines: list[Any]) -> tuple[list[LineConfirm], list[Any]]:
    """Each ticked line with the customer picked for it, else its suggested customer and the
    invoices suggested with it; and the ticked lines that have neither."""
    confirms: list[LineConfirm] = []
    missing: list[Any] = []
    for line in lines:
        picked = str(data.get(f"{CUSTOMER_PREFIX}{line.pk}", ""))
        if picked.isdigit() and len(picked) < 12 and int(picked) != line.suggested_customer_id:
            confirms.append(LineConfirm(line_id=line.pk, customer_id=int(picked)))
        elif line.suggested_customer_id is not None:
            confirms.append(
                LineConfirm(
                    line_id=line.pk,
                    customer_id=line.suggested_customer_id,
                    allocations=_allocations(line.suggested_allocations),
                )
            )
        else:
            missing.append(line)
    return confirms, missing


def customer_picker_html(line_id: int) -> str:
    """The customer picker of a line without a suggestion."""
    widget = CustomerPicker(attrs={"id": f"id_{CUSTOMER_PREFIX}{line_id}"})
    return str(widget.render(f"{CUSTOMER_PREFIX}{line_id}", None))


class LineConfirmForm(SettleAmountsMixin, StyledFormMixin, forms.Form):
    """One bank line opened from the queue: its customer (the suggested one to start with) and
    the amount each of the customer's open invoices is settled by; the rest is their advance."""

    customer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Customer")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["customer"])
        field.queryset = customer_visible(user=user).exclude(status=CustomerStatus.CLOSED)
        customer_picker_use(field)

    def line_confirm(self, line: Any) -> LineConfirm:
        return LineConfirm(
            line_id=line.pk,
            customer_id=self.cleaned_data["customer"].pk,
            allocations=tuple(self.allocations),
        )


def suggested_amounts(line: Any) -> dict[int, str]:
    """The amounts the line's suggestion settles, by open item, as the editor shows them."""
    return {
        allocation.item_id: f"{allocation.amount:.2f}"
        for allocation in _allocations(line.suggested_allocations)
    }


SUMMARY_SPLIT = re.compile(r"[,，、;；]")


class MappingForm(StyledFormMixin, forms.Form):
    """A bank account's column mapping: the header text of each column, how the file is laid
    out, and a sample file to preview it with. The service checks that it is complete."""

    date = forms.CharField(label=_("Date column"), max_length=100, required=False)
    time = forms.CharField(label=_("Time column"), max_length=100, required=False)
    credit = forms.CharField(label=_("Credit (received) column"), max_length=100, required=False)
    debit = forms.CharField(label=_("Debit (paid out) column"), max_length=100, required=False)
    amount = forms.CharField(
        label=_("Amount column"),
        max_length=100,
        required=False,
        help_text=_("Instead of credit and debit: one signed amount, or with a direction column."),
    )
    direction = forms.CharField(
        label=_("Direction column"),
        max_length=100,
        required=False,
        help_text=_("借/贷 or 收/付 beside the amount."),
    )
    balance = forms.CharField(label=_("Balance column"), max_length=100, required=False)
    counterparty_name = forms.CharField(
        label=_("Payer name column"), max_length=100, required=False
    )
    counterparty_account = forms.CharField(
        label=_("Payer account column"), max_length=100, required=False
    )
    counterparty_bank = forms.CharField(
        label=_("Payer bank column"), max_length=100, required=False
    )
    serial = forms.CharField(label=_("Bank serial column"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("Remark columns"),
        max_length=300,
        required=False,
        help_text=_("One or more, separated by commas: their texts are read together."),
    )
    header_row = forms.IntegerField(
        label=_("Header row"),
        min_value=0,
        max_value=HEADER_SEARCH_ROWS,
        initial=0,
        required=False,
        help_text=_("0: found by the column names among the first rows."),
    )
    skip_footer = forms.IntegerField(
        label=_("Rows to skip at the end"), min_value=0, max_value=100, initial=0, required=False
    )
    date_format = forms.CharField(
        label=_("Date format"),
        max_length=30,
        required=False,
        help_text=_("Blank: the usual spellings. Otherwise e.g. %Y%m%d or %Y-%m-%d %H:%M:%S."),
    )
    sample = forms.FileField(
        label=_("Sample statement"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("An .xlsx or .csv file from the bank, to preview its first rows."),
    )

    def clean_sample(self) -> Any:
        upload = self.cleaned_data.get("sample")
        if upload is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; split it into smaller files.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def mapping(self) -> dict[str, Any]:
        """The mapping typed, as the service reads it."""
        data = self.cleaned_data
        mapping: dict[str, Any] = {
            name: data.get(name) or ""
            for name in MAPPING_FIELDS
            if name not in ("summary", "header_row", "skip_footer")
        }
        mapping["summary"] = [
            part.strip() for part in SUMMARY_SPLIT.split(data.get("summary") or "") if part.strip()
        ]
        mapping["header_row"] = data.get("header_row") or 0
        mapping["skip_footer"] = data.get("skip_footer") or 0
        return mapping


def mapping_initial(mapping: dict[str, Any]) -> dict[str, Any]:
    """A saved mapping (or a preset's) as the form's starting values."""
    initial = {name: value for name, value in mapping.items() if name in MAPPING_FIELDS}
    initial["summary"] = "，".join(mapping.get("summary") or [])
    return initial

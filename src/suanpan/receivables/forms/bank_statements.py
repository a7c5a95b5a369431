"""The bank statement pages' forms: the file to import (account, layout, file), and what the
queue posts (the ticked lines, a customer picked for a line without a suggestion, a reason to
ignore one), and one line opened to choose its customer and what it settles. The services check
the lines, customers and amounts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import StyledFormMixin
from suanpan.core.uploads import SpreadsheetImportForm
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import CustomerPicker, customer_picker_use
from suanpan.receivables import selectors
from suanpan.receivables.calculations.bank_layouts import PRESETS
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

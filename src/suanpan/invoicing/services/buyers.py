"""The buyer a fapiao prints (购买方): the customer's invoicing details, split into the fields the
tax platform wants, and what a request or an invoice entered by hand changes of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from suanpan.customers.models import Customer


@dataclass(frozen=True)
class BuyerInput:
    """The buyer as the invoice should print it; empty fields take the customer's details."""

    name: str = ""
    tax_number: str = ""
    is_person: bool | None = None
    address: str = ""
    phone: str = ""
    bank: str = ""
    account: str = ""
    email: str = ""


_PHONE_TAIL = re.compile(r"^(?P<address>.*?)[\s,，]+(?P<phone>[\d()（）+\-]{7,20})$")
_ACCOUNT_TAIL = re.compile(r"^(?P<bank>.*?)[\s,，]+(?P<account>[\d\-\s]{8,40})$")


def address_phone_split(text: str) -> tuple[str, str]:
    """“北京市海淀区中关村大街1号 010-62345678” → (address, phone): the platform wants them
    apart; without a trailing number all of it is the address."""
    match = _PHONE_TAIL.match((text or "").strip())
    if match is None:
        return (text or "").strip(), ""
    return match["address"].strip(), match["phone"]


def bank_account_split(text: str) -> tuple[str, str]:
    """“招商银行北京分行 1109 0123 4567 890” → (bank, account without spaces)."""
    match = _ACCOUNT_TAIL.match((text or "").strip())
    if match is None:
        return (text or "").strip(), ""
    return match["bank"].strip(), "".join(match["account"].split())


def buyer_fields(customer: Customer, buyer: BuyerInput) -> dict[str, object]:
    address, phone = address_phone_split(customer.invoice_address_phone)
    bank, account = bank_account_split(customer.invoice_bank_account)
    return {
        "buyer_name": (buyer.name or customer.invoice_title or customer.name).strip()[:100],
        "buyer_tax_number": (buyer.tax_number or customer.invoice_tax_number).strip().upper(),
        "buyer_is_person": (
            buyer.is_person if buyer.is_person is not None else customer.kind == "individual"
        ),
        "buyer_address": (buyer.address or address).strip()[:300],
        "buyer_phone": (buyer.phone or phone).strip()[:60],
        "buyer_bank": (buyer.bank or bank).strip()[:100],
        "buyer_account": (buyer.account or account).strip()[:60],
        "buyer_email": buyer.email.strip(),
    }


def buyer_defaults(customer: Customer) -> dict[str, object]:
    """The buyer fields a new request starts with: the customer's invoicing details."""
    return buyer_fields(customer, BuyerInput())

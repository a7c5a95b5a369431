"""Builders the goods receipt, stock adjustment, warehouse and stock tests share."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.test import Client

from suanpan.inventory.models import GoodsReceipt, Warehouse
from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_post
from suanpan.users.models import User
from suanpan.users.services import api_token_create


def posted_receipt(
    actor: User, warehouse: Warehouse, product, quantity: str, cost: str
) -> GoodsReceipt:  # type: ignore[no-untyped-def]
    receipt = receipt_create(
        actor=actor,
        data={"warehouse": warehouse, "received_on": date(2026, 11, 2), "supplier": "华强电子"},
        lines=[ReceiptLineInput(product, Decimal(quantity), Decimal(cost))],
    )
    return receipt_post(actor=actor, receipt=receipt)


def lines_post(rows: list[tuple[str, str, str, str]], **header: str) -> dict[str, str]:
    """The POST of a line grid page: header fields and one form per row."""
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0", **header}
    for index, (product, label, quantity, cost) in enumerate(rows):
        data[f"lines-{index}-product"] = product
        data[f"lines-{index}-product_label"] = label
        data[f"lines-{index}-quantity"] = quantity
        data[f"lines-{index}-unit_cost"] = cost
    return data


def client_for(user: User) -> Client:
    """An API client with a token of `user`."""
    _token, key = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {key}"})


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    response = getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )
    return response.status_code, response.json()

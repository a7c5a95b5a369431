"""Sales orders entered in a batch (imports, the benchmark): the same checks as one order at a
time, in a constant number of queries per batch, all or nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.errors import NotFound
from suanpan.core.numbering import number_format, sequence_reserve
from suanpan.customers.selectors import (
    customer_delivery_addresses,
    customer_visible,
)
from suanpan.ledger.services import business_dates_require
from suanpan.sales.choices import (
    OrderActivityKind,
    OrderStatus,
)
from suanpan.sales.models import (
    OrderActivity,
    SalesOrder,
    SalesOrderLine,
)
from suanpan.sales.services.lines import (
    lines_price,
    lines_products,
    lines_rows,
    lines_totals,
)
from suanpan.sales.services.order_common import (
    ORDER_SERIES,
    OrderInput,
    header_check,
    header_set,
    number_period,
    owner_check,
    sources_check,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    pass


@transaction.atomic
def order_bulk_create(*, actor: User, orders: Sequence[OrderInput]) -> list[SalesOrder]:
    """Create draft orders in one transaction with a constant number of queries per batch.

    For imports and the benchmark: the same checks as `order_create` (visible customers,
    active products, owners), numbers reserved per month in one step each, and the orders,
    lines and activities inserted with one `bulk_create` each. All or nothing.
    """
    permission_require(actor, "sales.add_salesorder")
    if not orders:
        return []
    customer_ids = {data.customer.pk for data in orders}
    visible = set(
        customer_visible(user=actor).filter(pk__in=customer_ids).values_list("pk", flat=True)
    )
    if customer_ids - visible:
        raise NotFound(_("No such customer."))
    # The dates of the whole batch in one check (one look-up of the books' first period).
    business_dates_require(
        {f"orders.{index}.ordered_on": data.ordered_on for index, data in enumerate(orders)},
        {
            f"orders.{index}.delivery_due_on": data.delivery_due_on
            for index, data in enumerate(orders)
        },
    )
    for data in orders:
        sources_check(data=data)
        header_check(data, checked=True)
    addresses = customer_delivery_addresses(customers=[data.customer for data in orders])
    owners = {data.owner.pk: data.owner for data in orders if data.owner is not None}
    for owner in owners.values():
        owner_check(actor=actor, owner=owner)
    products = lines_products(line.product_id for data in orders for line in data.lines)
    priced = [
        lines_price(
            inputs=data.lines,
            price_includes_tax=data.price_includes_tax,
            products=products,
            field_prefix=f"orders.{index}.",
        )
        for index, data in enumerate(orders)
    ]

    by_period: dict[str, list[int]] = defaultdict(list)
    for index, data in enumerate(orders):
        by_period[number_period(data.ordered_on)].append(index)
    numbers: dict[int, str] = {}
    for period, indexes in sorted(by_period.items()):
        first = sequence_reserve(series=ORDER_SERIES, period=period, count=len(indexes))
        for offset, index in enumerate(indexes):
            numbers[index] = number_format(series=ORDER_SERIES, period=period, value=first + offset)

    rows = []
    for index, (data, lines) in enumerate(zip(orders, priced, strict=True)):
        totals = lines_totals(lines)
        order = SalesOrder(
            number=numbers[index],
            owner=data.owner or actor,
            status=OrderStatus.DRAFT,
            net_amount=totals.net_amount,
            tax_amount=totals.tax_amount,
            gross_amount=totals.gross_amount,
        )
        header_set(order, data)
        order.delivery_address = order.delivery_address or addresses.get(data.customer.pk, "")
        rows.append(order)
    created = SalesOrder.objects.bulk_create(rows)
    if any(order.pk is None for order in created):
        # Backends that do not return ids from a bulk insert: read them back by number.
        ids = dict(
            SalesOrder.objects.filter(number__in=[o.number for o in created]).values_list(
                "number", "pk"
            )
        )
        for order in created:
            order.pk = ids[order.number]
    SalesOrderLine.objects.bulk_create(
        row
        for order, lines in zip(created, priced, strict=True)
        for row in lines_rows(
            document=order, lines=lines, line_model=SalesOrderLine, parent_field="order"
        )
    )
    OrderActivity.objects.bulk_create(
        OrderActivity(
            order=order,
            kind=OrderActivityKind.CREATED,
            to_status=OrderStatus.DRAFT,
            actor=actor,
        )
        for order in created
    )
    return created

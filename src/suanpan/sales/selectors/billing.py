"""What invoicing reads of sales: the order or contract instalment a request bills.

Visibility follows the customer, as everywhere in sales; another salesperson's order answers
404. Accountants see every customer.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from suanpan.customers.selectors import customer_scoped, customer_visible
from suanpan.sales.choices import ContractStatus
from suanpan.sales.models import PaymentInstalment, QuoteLine, SalesOrder, SalesOrderLine
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.catalog.models import TaxCategory


def order_for_invoicing(*, user: User, pk: int | str) -> SalesOrder:
    """An order the user sees, with its customer and lines (product and tax category)."""
    orders = customer_scoped(SalesOrder.objects.all(), user=user)
    lines = SalesOrderLine.objects.select_related("product__tax_category").order_by("position")
    try:
        return (
            orders.select_related("customer", "contract")
            .prefetch_related(Prefetch("lines", queryset=lines))
            .get(pk=pk)
        )
    except (SalesOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def instalment_for_invoicing(*, user: User, pk: int | str) -> PaymentInstalment:
    """A contract instalment the user sees, with its contract and customer."""
    instalments = PaymentInstalment.objects.all()
    if not user.has_perm("customers.view_all_customers"):
        instalments = instalments.filter(
            contract__customer_id__in=customer_visible(user=user).values("pk")
        )
    try:
        return instalments.select_related("contract__customer").get(pk=pk)
    except (PaymentInstalment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def contract_instalments(*, contract_id: int) -> list[PaymentInstalment]:
    """A contract's payment plan in due-date order."""
    return list(
        PaymentInstalment.objects.filter(contract_id=contract_id).order_by("due_on", "position")
    )


def contract_order_ids(*, contract_id: int) -> list[int]:
    """The ids of the orders placed under a contract."""
    return list(SalesOrder.objects.filter(contract_id=contract_id).values_list("pk", flat=True))


def contract_tax_category(*, contract_id: int) -> TaxCategory | None:
    """The tax category of the contract's products: its orders' lines first, else its quote's
    lines, in line order; None when no product of the contract has one."""
    for lines in (
        SalesOrderLine.objects.filter(order__contract_id=contract_id).order_by(
            "order_id", "position"
        ),
        QuoteLine.objects.filter(quote__contracts__id=contract_id).order_by("position"),
    ):
        line = (
            lines.filter(product__tax_category__isnull=False)
            .select_related("product__tax_category")
            .first()
        )
        if line is not None:
            return line.product.tax_category
    return None


def instalment_visible(*, user: User) -> QuerySet[PaymentInstalment]:
    """The contract instalments of the customers the user sees, with the contract, its
    customer and owner: the payment plans other apps list and remind of."""
    instalments = PaymentInstalment.objects.select_related("contract__customer", "contract__owner")
    if user.has_perm("customers.view_all_customers"):
        return instalments
    return instalments.filter(contract__customer_id__in=customer_visible(user=user).values("pk"))


def instalments_due(*, due_from: date, due_to: date) -> list[PaymentInstalment]:
    """The instalments due in these days of every contract signed (in force or completed; not
    drafts nor terminated ones), whoever asks, with the contract, its customer and owner: for
    work done for the company (reminding each owner)."""
    return list(
        PaymentInstalment.objects.select_related("contract__customer", "contract__owner")
        .filter(
            due_on__gte=due_from,
            due_on__lte=due_to,
            contract__status__in=[ContractStatus.ACTIVE, ContractStatus.COMPLETED],
        )
        .order_by("due_on", "contract_id", "position")
    )

"""Every read of contracts, scoped by who is asking: a user sees a contract iff they see its
customer; any other id answers 404."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from suanpan.customers.selectors import customer_scoped
from suanpan.sales.filters.contracts import ContractFilter
from suanpan.sales.models import Contract, ContractAttachment, PaymentInstalment
from suanpan.sales.selectors.common import filtered_list
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

LIST_ORDER = ("-created_at", "-id")


def contract_visible(*, user: User) -> QuerySet[Contract]:
    """Contracts of the customers the user sees."""
    return customer_scoped(Contract.objects.all(), user=user, perm="sales.view_contract")


def contract_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Contract], ContractFilter]:
    """The filtered, sorted list a user sees; the FilterSet comes back for forms and errors."""
    return filtered_list(
        contract_visible(user=user).select_related("customer", "owner"),
        filterset_class=ContractFilter,
        filters=filters,
        default_order=LIST_ORDER,
    )


def contract_get(*, user: User, pk: int | str) -> Contract:
    """One contract the user may see, with its plan and attachments; else 404."""
    try:
        return (
            contract_visible(user=user)
            .select_related("customer", "owner", "quote")
            .prefetch_related(
                Prefetch("instalments", queryset=PaymentInstalment.objects.order_by("position")),
                Prefetch(
                    "attachments",
                    queryset=ContractAttachment.objects.select_related("uploaded_by"),
                ),
            )
            .get(pk=pk)
        )
    except (Contract.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def attachment_get(*, user: User, contract_pk: int, pk: int) -> ContractAttachment:
    """An attachment of a contract the user may see; else 404."""
    contract = contract_get(user=user, pk=contract_pk)
    try:
        return ContractAttachment.objects.select_related("contract").get(pk=pk, contract=contract)
    except ContractAttachment.DoesNotExist as exc:
        raise Http404 from exc


def plan_total(contract: Contract) -> Decimal:
    """The sum of the plan's instalments (from the prefetched plan)."""
    return sum((i.amount for i in contract.instalments.all()), Decimal("0.00"))


def contract_history(*, contract: Contract, limit: int = 50) -> list[Any]:
    """Who changed the contract when (newest first), with the reason (termination, plan)."""
    return list(contract.history.select_related("history_user").order_by("-history_id")[:limit])


def contracts_tab_context(user: User, customer: Customer, params: Any) -> dict[str, Any]:
    """The customer page's Contracts tab: the latest contracts and how many there are."""
    visible = contract_visible(user=user).filter(customer=customer)
    return {
        "contracts": list(visible.select_related("owner").order_by(*LIST_ORDER)[:50]),
        "contracts_count": visible.count(),
    }

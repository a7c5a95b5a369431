"""What the customers API modules share."""

from django.http import HttpRequest
from ninja import Router

from suanpan.customers import selectors
from suanpan.customers.models import Customer
from suanpan.users.http import request_user

# Operation ids name the module the API lived in before it became a package: clients
# generated from the schema keep their method names.
OPERATION_PREFIX = "suanpan_customers_api_"

# One router for every module of the package: its operations share the /customers prefix.
router = Router(tags=["customers"])


def customer_detail(request: HttpRequest, pk: int) -> Customer:
    """The customer the caller sees under `pk`, with what the detail schema shows; else 404."""
    return selectors.customer_get(user=request_user(request), pk=pk)


def customer_answer(request: HttpRequest, pk: int) -> Customer:
    """`customer_detail` as an answer shows it: with its `figures` (what it owes) when the
    caller may see them, in one more query."""
    customer = customer_detail(request, pk)
    figures = selectors.customer_figures(user=request_user(request), customer=customer)
    customer.figures = figures  # type: ignore[attr-defined]
    return customer

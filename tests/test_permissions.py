"""Who may do what with a customer: every endpoint (pages and API) tried as every role.

A salesperson sees and edits only the customers they own or that are shared with them;
managers, accounting and customer service see all. A customer the user may not see answers
404 (never 403, which would confirm it exists); an action the role may not take on a customer
it sees answers 403. Every refused request leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from suanpan.customers.choices import CustomerStatus
from suanpan.customers.models import Address, Contact, Customer, FollowUp
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "administrator",
    "finance_manager",
    "accountant",
    "sales_manager",
    "sales_owner",  # the salesperson who owns the customer
    "sales_shared",  # a salesperson the customer is shared with
    "sales_other",  # another salesperson
    "customer_service",
    "no_role",  # signed in, but in no role group
    "anonymous",
)


@dataclass
class World:
    customer: Customer
    contact: Contact
    address: Address
    merge_target: Customer
    actors: dict[str, User | None]


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]] | None = None
    api: bool = False
    prepare: Callable[[World], None] | None = None
    writes: bool | None = None  # does success change data? by default, unless a GET

    @property
    def changes_state(self) -> bool:
        return self.method != "get" if self.writes is None else self.writes


def _customer_form(world: World, **changes: Any) -> dict[str, Any]:
    c = world.customer
    data = {
        "name": c.name,
        "kind": c.kind,
        "payment_terms_days": c.payment_terms_days,
        "credit_limit_amount": c.credit_limit_amount,
        "status": c.status,
    }
    return {**data, **changes}


def _close(world: World) -> None:
    Customer.objects.filter(pk=world.customer.pk).update(status=CustomerStatus.CLOSED)


def _c(world: World) -> str:
    return f"/customers/{world.customer.pk}/"


def _api(world: World) -> str:
    return f"/api/v1/customers/{world.customer.pk}"


FOLLOWUP = {"followed_on": "2026-03-02", "way": "phone", "content": "回访，客户满意"}

ENDPOINTS: dict[str, Endpoint] = {
    # pages
    "list": Endpoint("get", lambda w: "/customers/"),
    "create_form": Endpoint("get", lambda w: "/customers/new/"),
    "create": Endpoint(
        "post",
        lambda w: "/customers/new/",
        lambda w: {
            "name": "新建客户有限公司",
            "kind": "enterprise",
            "payment_terms_days": 30,
            "credit_limit_amount": "0",
            "status": "active",
        },
    ),
    "detail": Endpoint("get", _c),
    "edit_form": Endpoint("get", lambda w: f"{_c(w)}edit/"),
    "edit": Endpoint("post", lambda w: f"{_c(w)}edit/", lambda w: _customer_form(w, name="改名")),
    "deactivate": Endpoint("post", lambda w: f"{_c(w)}deactivate/", lambda w: {"reason": "停业"}),
    "delete": Endpoint("post", lambda w: f"{_c(w)}delete/"),
    "merge": Endpoint(
        "post", lambda w: f"{_c(w)}merge/", lambda w: {"target_number": w.merge_target.number}
    ),
    "contact_add": Endpoint(
        "post", lambda w: f"{_c(w)}contacts/", lambda w: {"contact-name": "王五"}
    ),
    "contact_form": Endpoint("get", lambda w: f"{_c(w)}contacts/{w.contact.pk}/edit/"),
    "contact_edit": Endpoint(
        "post", lambda w: f"{_c(w)}contacts/{w.contact.pk}/edit/", lambda w: {"name": "赵六"}
    ),
    "contact_delete": Endpoint("post", lambda w: f"{_c(w)}contacts/{w.contact.pk}/delete/"),
    "address_add": Endpoint(
        "post",
        lambda w: f"{_c(w)}addresses/",
        lambda w: {"address-kind": "billing", "address-address": "上海市浦东新区世纪大道1号"},
    ),
    "address_delete": Endpoint("post", lambda w: f"{_c(w)}addresses/{w.address.pk}/delete/"),
    "followup_add": Endpoint(
        "post",
        lambda w: f"{_c(w)}followups/",
        lambda w: {f"followup-{k}": v for k, v in FOLLOWUP.items()},
    ),
    "export": Endpoint("get", lambda w: "/customers/export/?format=csv"),
    "import_form": Endpoint("get", lambda w: "/customers/import/"),
    "import_cancel": Endpoint(
        "post", lambda w: "/customers/import/", lambda w: {"action": "cancel"}, writes=False
    ),
    # API, with a bearer token
    "api_list": Endpoint("get", lambda w: "/api/v1/customers", api=True),
    "api_create": Endpoint(
        "post", lambda w: "/api/v1/customers", lambda w: {"name": "接口客户有限公司"}, api=True
    ),
    "api_get": Endpoint("get", _api, api=True),
    "api_update": Endpoint("patch", _api, lambda w: {"notes": "改过了"}, api=True),
    "api_deactivate": Endpoint("post", lambda w: f"{_api(w)}/deactivate", api=True),
    "api_reactivate": Endpoint("post", lambda w: f"{_api(w)}/reactivate", api=True, prepare=_close),
    "api_contact_add": Endpoint(
        "post", lambda w: f"{_api(w)}/contacts", lambda w: {"name": "孙七"}, api=True
    ),
    "api_followups": Endpoint("get", lambda w: f"{_api(w)}/followups", api=True),
    "api_followup_add": Endpoint(
        "post", lambda w: f"{_api(w)}/followups", lambda w: FOLLOWUP, api=True
    ),
}

# Expected status by endpoint (rows) and role (columns, in the order of ROLES).
# 302 on a page POST is the redirect after success; for "anonymous" it is the way to log in.
MATRIX: dict[str, tuple[int, ...]] = {
    #                  admin  fin_m  acct  sale_m owner shared other  c_svc  none  anon
    "list":            (200,  200,   200,  200,   200,  200,   200,   200,   403,  302),
    "create_form":     (200,  200,   200,  200,   200,  200,   200,   403,   403,  302),
    "create":          (302,  302,   302,  302,   302,  302,   302,   403,   403,  302),
    "detail":          (200,  200,   200,  200,   200,  200,   404,   200,   403,  302),
    "edit_form":       (200,  200,   200,  200,   200,  200,   404,   403,   403,  302),
    "edit":            (302,  302,   302,  302,   302,  302,   404,   403,   403,  302),
    "deactivate":      (302,  302,   403,  302,   302,  302,   404,   403,   404,  302),
    "delete":          (302,  403,   403,  302,   403,  403,   404,   403,   404,  302),
    "merge":           (302,  403,   403,  302,   403,  403,   404,   403,   404,  302),
    "contact_add":     (302,  302,   302,  302,   302,  302,   404,   403,   404,  302),
    "contact_form":    (200,  200,   200,  200,   200,  200,   404,   403,   404,  302),
    "contact_edit":    (302,  302,   302,  302,   302,  302,   404,   403,   404,  302),
    "contact_delete":  (302,  302,   302,  302,   302,  302,   404,   403,   404,  302),
    "address_add":     (302,  302,   302,  302,   302,  302,   404,   403,   404,  302),
    "address_delete":  (302,  302,   302,  302,   302,  302,   404,   403,   404,  302),
    "followup_add":    (302,  302,   403,  302,   302,  302,   404,   302,   404,  302),
    "export":          (200,  200,   200,  200,   200,  200,   200,   403,   403,  302),
    "import_form":     (200,  200,   403,  200,   403,  403,   403,   403,   403,  302),
    "import_cancel":   (302,  302,   403,  302,   403,  403,   403,   403,   403,  302),
    "api_list":        (200,  200,   200,  200,   200,  200,   200,   200,   403,  401),
    "api_create":      (201,  201,   201,  201,   201,  201,   201,   403,   403,  401),
    "api_get":         (200,  200,   200,  200,   200,  200,   404,   200,   403,  401),
    "api_update":      (200,  200,   200,  200,   200,  200,   404,   403,   404,  401),
    "api_deactivate":  (200,  200,   403,  200,   200,  200,   404,   403,   404,  401),
    "api_reactivate":  (200,  200,   403,  200,   200,  200,   404,   403,   404,  401),
    "api_contact_add": (201,  201,   201,  201,   201,  201,   404,   403,   404,  401),
    "api_followups":   (200,  200,   200,  200,   200,  200,   404,   200,   404,  401),
    "api_followup_add":(201,  201,   403,  201,   201,  201,   404,   201,   404,  401),
}  # fmt: skip

# Which roles find the customer in lists (pages, API and exports alike).
SEES_CUSTOMER = {
    "administrator": True,
    "finance_manager": True,
    "accountant": True,
    "sales_manager": True,
    "sales_owner": True,
    "sales_shared": True,
    "sales_other": False,
    "customer_service": True,
}


@pytest.fixture
def world(make_user: Callable[..., User]) -> World:
    owner = make_user(Role.SALES)
    shared = make_user(Role.SALES)
    customer = CustomerFactory(owner=owner, credit_limit_amount=5000)
    customer.shared_with.add(shared)
    contact = ContactFactory(customer=customer, is_primary=True)
    address = Address.objects.create(customer=customer, address="北京市海淀区中关村大街1号")
    FollowUp.objects.create(
        customer=customer, followed_on="2026-01-05", way="visit", content="拜访", author=owner
    )
    actors: dict[str, User | None] = {
        "administrator": make_user(Role.ADMINISTRATOR),
        "finance_manager": make_user(Role.FINANCE_MANAGER),
        "accountant": make_user(Role.ACCOUNTANT),
        "sales_manager": make_user(Role.SALES_MANAGER),
        "sales_owner": owner,
        "sales_shared": shared,
        "sales_other": make_user(Role.SALES),
        "customer_service": make_user(Role.CUSTOMER_SERVICE),
        "no_role": make_user(None),
        "anonymous": None,
    }
    return World(
        customer=customer,
        contact=contact,
        address=address,
        merge_target=CustomerFactory(owner=owner),
        actors=actors,
    )


def _client_for(actor: User | None, *, api: bool) -> Client:
    if actor is None:
        return Client()
    if api:
        _token, key = api_token_create(user=actor, name="matrix")
        return Client(headers={"authorization": f"Bearer {key}"})
    client = Client()
    client.force_login(actor)
    return client


def _snapshot() -> dict[str, list[Any]]:
    """Everything an endpoint could change about customers."""
    return {
        "customers": list(Customer.objects.order_by("pk").values()),
        "shared_with": list(
            Customer.shared_with.through.objects.order_by("pk").values_list("customer", "user")
        ),
        "contacts": list(Contact.objects.order_by("pk").values()),
        "addresses": list(Address.objects.order_by("pk").values()),
        "followups": list(FollowUp.objects.order_by("pk").values()),
    }


def _send(client: Client, endpoint: Endpoint, world: World) -> Any:
    url = endpoint.url(world)
    data = endpoint.data(world) if endpoint.data else {}
    call = getattr(client, endpoint.method)
    if endpoint.api:
        return call(url, data=data, content_type="application/json")
    return call(url, data=data) if endpoint.method == "post" else call(url)


def test_matrix_covers_every_endpoint_and_role_when_read() -> None:
    assert set(MATRIX) == set(ENDPOINTS)
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        pytest.param(name, role, status, id=f"{name}-{role}")
        for name, row in MATRIX.items()
        for role, status in zip(ROLES, row, strict=True)
    ],
)
def test_customer_endpoint_answers_matrix_status_when_called_as_role(
    world: World, name: str, role: str, expected: int
) -> None:
    endpoint = ENDPOINTS[name]
    if endpoint.prepare:
        endpoint.prepare(world)
    client = _client_for(world.actors[role], api=endpoint.api)
    before = _snapshot()

    response = _send(client, endpoint, world)

    assert response.status_code == expected, response.content[:300]
    refused = expected >= 400 or role == "anonymous"
    if refused:
        assert _snapshot() == before, "a refused request changed data"
    elif endpoint.changes_state:
        assert _snapshot() != before, "an accepted request changed nothing"
    if role == "anonymous" and not endpoint.api:
        assert response["Location"].startswith("/login/?next=")
    if endpoint.api and expected >= 400:
        assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize(("role", "sees"), SEES_CUSTOMER.items())
def test_customer_list_page_shows_customer_only_when_role_may_see_it(
    world: World, role: str, sees: bool
) -> None:
    client = _client_for(world.actors[role], api=False)

    response = client.get("/customers/")

    assert response.status_code == 200
    numbers = [c.number for c in response.context["page_obj"].object_list]
    assert (world.customer.number in numbers) is sees


@pytest.mark.parametrize(("role", "sees"), SEES_CUSTOMER.items())
def test_customer_api_list_returns_customer_only_when_role_may_see_it(
    world: World, role: str, sees: bool
) -> None:
    client = _client_for(world.actors[role], api=True)

    response = client.get("/api/v1/customers", {"q": world.customer.number})

    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert (world.customer.pk in ids) is sees


@pytest.mark.parametrize(("role", "sees"), SEES_CUSTOMER.items())
def test_customer_export_contains_customer_only_when_role_may_see_it(
    world: World, role: str, sees: bool
) -> None:
    client = _client_for(world.actors[role], api=False)

    response = client.get("/customers/export/", {"format": "csv"})

    if role == "customer_service":  # may see customers, may not export them
        assert response.status_code == 403
        return
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert (world.customer.number in content) is sees
    assert (world.customer.name in content) is sees


def test_customer_list_shows_other_salespeoples_customers_never_when_searching_for_them(
    world: World,
) -> None:
    client = _client_for(world.actors["sales_other"], api=False)

    response = client.get("/customers/", {"q": world.customer.name})

    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == []
    assert f'href="/customers/{world.customer.pk}/"' not in response.content.decode()


def test_salesperson_sees_customer_when_it_is_shared_with_them_later(world: World) -> None:
    other = world.actors["sales_other"]
    assert other is not None
    client = _client_for(other, api=False)
    assert client.get(_c(world)).status_code == 404

    world.customer.shared_with.add(other)

    assert client.get(_c(world)).status_code == 200

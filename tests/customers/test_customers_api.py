"""/api/v1/customers: authentication, reads, writes, errors as {"code", "message", "fields"}."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from stdnum.cn import uscc

from suanpan.customers.choices import CustomerStatus
from suanpan.customers.models import Contact, Customer, FollowUp, Tag
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create, api_token_revoke
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/customers"
MISSING = object()  # leave the key out of the request body
CREDIT_CODE = "91110000600037341L"


def _uscc(body: str) -> str:
    """A unified social credit code with the right check character."""
    return body + uscc.calc_check_digit(body)


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def _assert_error(response: Any, status: int, code: str, fields: set[str] | None = None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert body["message"]
    if fields is not None:
        assert set(body["fields"]) == fields, body["fields"]


# Authentication ---------------------------------------------------------------------------------


def test_api_answers_401_when_no_credentials_sent(sales_user: User) -> None:
    CustomerFactory(owner=sales_user)

    response = Client().get(URL)

    _assert_error(response, 401, "unauthenticated")


@pytest.mark.parametrize(
    "header", ["Bearer sp_not-a-real-key", "Bearer ", "Basic dXNlcjpwYXNz", "sp_no-scheme"]
)
def test_api_answers_401_when_token_is_not_valid(sales_user: User, header: str) -> None:
    response = Client(headers={"authorization": header}).get(URL)

    _assert_error(response, 401, "unauthenticated")


def test_api_answers_401_when_token_revoked(sales_user: User) -> None:
    token, key = api_token_create(user=sales_user, name="laptop")
    client = Client(headers={"authorization": f"Bearer {key}"})
    assert client.get(URL).status_code == 200

    api_token_revoke(token=token)

    _assert_error(client.get(URL), 401, "unauthenticated")


def test_api_answers_401_when_token_user_deactivated(sales_user: User) -> None:
    _token, key = api_token_create(user=sales_user, name="laptop")
    User.objects.filter(pk=sales_user.pk).update(is_active=False)

    response = Client(headers={"authorization": f"Bearer {key}"}).get(URL)

    _assert_error(response, 401, "unauthenticated")


def test_api_records_last_use_when_token_authenticates(sales_user: User) -> None:
    token, key = api_token_create(user=sales_user, name="laptop")
    assert token.last_used_at is None

    Client(headers={"authorization": f"Bearer {key}"}).get(URL)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_api_accepts_session_when_browser_signed_in(sales_user: User) -> None:
    mine = CustomerFactory(owner=sales_user)
    client = Client()
    client.force_login(sales_user)

    response = client.get(URL)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [mine.pk]


# Documentation ----------------------------------------------------------------------------------


def test_api_docs_page_answers_200_when_user_signed_in(sales_user: User) -> None:
    client = Client()
    client.force_login(sales_user)

    response = client.get("/api/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_api_schema_lists_customer_operations_when_fetched(sales_user: User) -> None:
    assert Client().get("/api/openapi.json").status_code == 302  # to the login page
    client = Client()
    client.force_login(sales_user)
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths["/api/v1/customers"]) == {"get", "post"}
    assert set(paths["/api/v1/customers/{pk}"]) == {"get", "patch"}
    assert "/api/v1/customers/{pk}/deactivate" in paths


# List -------------------------------------------------------------------------------------------


def test_customer_list_returns_own_customers_newest_first_when_salesperson_asks(
    sales: Client, sales_user: User, make_user: Callable[..., User]
) -> None:
    older = CustomerFactory(owner=sales_user)
    newer = CustomerFactory(owner=sales_user, credit_limit_amount=Decimal("1234.50"))
    CustomerFactory(owner=make_user(Role.SALES))

    response = sales.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    first = body["items"][0]
    assert first["number"] == newer.number
    assert first["owner_id"] == sales_user.pk
    assert first["owner"] == str(sales_user)
    assert Decimal(first["credit_limit_amount"]) == Decimal("1234.50")


def test_customer_list_pages_results_when_more_than_page_size(
    api_client: Callable[[User], Client], manager: User, sales_user: User
) -> None:
    CustomerFactory.create_batch(7, owner=sales_user)
    client = api_client(manager)

    page1 = client.get(URL, {"page_size": 5}).json()
    page2 = client.get(URL, {"page_size": 5, "page": 2}).json()

    assert page1["count"] == page2["count"] == 7
    assert len(page1["items"]) == 5
    assert len(page2["items"]) == 2
    assert not {i["id"] for i in page1["items"]} & {i["id"] for i in page2["items"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "bjxm"}, ["xiaomi"]),
        ({"q": "小米"}, ["xiaomi"]),
        ({"q": "13912345678"}, ["tencent"]),
        ({"status": "prospect"}, ["tencent"]),
        ({"grade": "A"}, ["xiaomi"]),
        ({"tag": "重点"}, ["xiaomi"]),
        ({"region": "北京"}, ["xiaomi"]),
        ({"ordering": "credit_limit"}, ["tencent", "xiaomi"]),
        ({"ordering": "-credit_limit"}, ["xiaomi", "tencent"]),
    ],
)
def test_customer_list_filters_like_the_list_page_when_given_parameters(
    sales: Client, sales_user: User, params: dict[str, str], expected: list[str]
) -> None:
    xiaomi = CustomerFactory(
        owner=sales_user,
        name="北京小米科技有限责任公司",
        grade="A",
        region="北京市",
        credit_limit_amount=900,
    )
    xiaomi.tags.add(Tag.objects.create(name="重点"))
    tencent = CustomerFactory(
        owner=sales_user,
        name="深圳市腾讯计算机系统有限公司",
        status=CustomerStatus.PROSPECT,
        credit_limit_amount=100,
    )
    ContactFactory(customer=tencent, phone="139 1234 5678")
    from suanpan.customers.services import customer_search_refresh

    customer_search_refresh(customer=tencent)
    names = {xiaomi.pk: "xiaomi", tencent.pk: "tencent"}

    response = sales.get(URL, params)

    assert response.status_code == 200, response.content
    assert [names[item["id"]] for item in response.json()["items"]] == expected


def test_customer_list_filters_by_owner_when_manager_asks(
    api_client: Callable[[User], Client], manager: User, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user(Role.SALES), make_user(Role.SALES)
    alices = CustomerFactory(owner=alice)
    CustomerFactory(owner=bob)

    response = api_client(manager).get(URL, {"owner": alice.pk})

    assert [item["id"] for item in response.json()["items"]] == [alices.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "deleted"}, "status"),
        ({"owner": "abc"}, "owner"),
        ({"owner": 99999}, "owner"),
        ({"ordering": "password"}, "ordering"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"page": 0}, "page"),
    ],
)
def test_customer_list_answers_422_when_filter_is_invalid(
    sales: Client, sales_user: User, params: dict[str, Any], field: str
) -> None:
    CustomerFactory(owner=sales_user)

    response = sales.get(URL, params)

    _assert_error(response, 422, "validation_failed")
    assert field in response.json()["fields"]


# Retrieve ---------------------------------------------------------------------------------------


def test_customer_get_returns_details_with_contacts_when_visible(
    sales: Client, sales_user: User, make_user: Callable[..., User]
) -> None:
    colleague = make_user(Role.SALES)
    customer = CustomerFactory(owner=sales_user, credit_code=CREDIT_CODE)
    customer.shared_with.add(colleague)
    customer.tags.add(Tag.objects.create(name="华北"))
    contact = ContactFactory(customer=customer, name="雷军", is_primary=True)

    response = sales.get(f"{URL}/{customer.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["credit_code"] == CREDIT_CODE
    assert body["tags"] == ["华北"]
    assert body["shared_with"] == [colleague.pk]
    assert body["contacts"] == [
        {
            "id": contact.pk,
            "name": "雷军",
            "title": "",
            "phone": "138 0013 8000",
            "email": "",
            "is_primary": True,
        }
    ]
    assert body["merged_into_id"] is None


def test_customer_get_answers_404_when_customer_does_not_exist(sales: Client) -> None:
    _assert_error(sales.get(f"{URL}/999999"), 404, "not_found", set())


# Create -----------------------------------------------------------------------------------------


def test_customer_create_returns_201_and_owns_customer_when_salesperson_creates(
    sales: Client, sales_user: User
) -> None:
    response = _post(
        sales,
        URL,
        {
            "name": " 北京小米科技有限责任公司 ",
            "credit_code": "91 110000 600037341l",
            "credit_limit_amount": "50000.50",
            "grade": "A",
            "tags": ["重点", "重点", "华北"],
            "contacts": [{"name": "雷军", "phone": "13800138000", "is_primary": True}],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    customer = Customer.objects.get(pk=body["id"])
    assert body["number"] == customer.number
    assert customer.name == "北京小米科技有限责任公司"
    assert customer.credit_code == CREDIT_CODE
    assert customer.credit_limit_amount == Decimal("50000.50")
    assert customer.owner == sales_user
    assert sorted(body["tags"]) == ["华北", "重点"]
    assert [(c["name"], c["phone"], c["is_primary"]) for c in body["contacts"]] == [
        ("雷军", "138 0013 8000", True)
    ]


def test_customer_create_assigns_owner_when_manager_names_one(
    api_client: Callable[[User], Client], manager: User, sales_user: User
) -> None:
    response = _post(api_client(manager), URL, {"name": "甲公司", "owner_id": sales_user.pk})

    assert response.status_code == 201
    assert Customer.objects.get(pk=response.json()["id"]).owner == sales_user


def test_customer_create_refused_with_403_when_salesperson_names_another_owner(
    sales: Client, make_user: Callable[..., User]
) -> None:
    colleague = make_user(Role.SALES)

    response = _post(sales, URL, {"name": "甲公司", "owner_id": colleague.pk})

    _assert_error(response, 403, "customer_owner_not_allowed")
    assert not Customer.objects.exists()


def test_accountant_creates_a_customer_with_invoicing_details_and_a_contact(
    api_client: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    accountant = make_user(Role.ACCOUNTANT)
    response = _post(
        api_client(accountant),
        URL,
        {
            "name": "上海示例贸易有限公司",
            "invoice_title": "上海示例贸易有限公司",
            "invoice_bank_account": "工商银行上海分行 1001 2345 6789",
            "contacts": [{"name": "王会计", "phone": "13800138000", "is_primary": True}],
        },
    )

    assert response.status_code == 201, response.content
    customer = Customer.objects.get(pk=response.json()["id"])
    assert customer.invoice_bank_account == "工商银行上海分行 1001 2345 6789"
    assert customer.owner == accountant
    assert [c.name for c in customer.contacts.all()] == ["王会计"]


def test_customer_create_refused_with_403_when_role_may_not_add(
    api_client: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    response = _post(api_client(make_user(Role.CUSTOMER_SERVICE)), URL, {"name": "甲公司"})

    _assert_error(response, 403, "permission_denied")
    assert not Customer.objects.exists()


BAD_CREATE_INPUT = [
    pytest.param({"name": 5}, {"name"}, id="name-not-a-string"),
    pytest.param({"name": ""}, {"name"}, id="name-empty"),
    pytest.param({"name": "长" * 201}, {"name"}, id="name-too-long"),
    pytest.param({"name": MISSING}, {"name"}, id="name-missing"),
    pytest.param({"credit_limit_amount": -1}, {"credit_limit_amount"}, id="credit-negative"),
    pytest.param(
        {"credit_limit_amount": "1000000000000"}, {"credit_limit_amount"}, id="credit-huge"
    ),
    pytest.param({"credit_limit_amount": "1e20"}, {"credit_limit_amount"}, id="credit-exponent"),
    pytest.param({"credit_limit_amount": "10.005"}, {"credit_limit_amount"}, id="credit-3-dp"),
    pytest.param({"credit_limit_amount": "abc"}, {"credit_limit_amount"}, id="credit-text"),
    pytest.param({"credit_limit_amount": "NaN"}, {"credit_limit_amount"}, id="credit-nan"),
    pytest.param({"credit_limit_amount": [1]}, {"credit_limit_amount"}, id="credit-list"),
    pytest.param({"payment_terms_days": -1}, {"payment_terms_days"}, id="terms-negative"),
    pytest.param({"payment_terms_days": 3651}, {"payment_terms_days"}, id="terms-huge"),
    pytest.param({"payment_terms_days": "thirty"}, {"payment_terms_days"}, id="terms-text"),
    pytest.param({"payment_terms_days": 30.5}, {"payment_terms_days"}, id="terms-fraction"),
    pytest.param({"kind": "alien"}, {"kind"}, id="kind-unknown"),
    pytest.param({"grade": "Z"}, {"grade"}, id="grade-unknown"),
    pytest.param({"status": "deleted"}, {"status"}, id="status-unknown"),
    pytest.param({"credit_code": "91110000600037341X"}, {"credit_code"}, id="credit-code-check"),
    pytest.param({"credit_code": "9111000060003734"}, {"credit_code"}, id="credit-code-short"),
    pytest.param({"credit_code": "9111-0000-6000-3734"}, {"credit_code"}, id="credit-code-hyphen"),
    pytest.param({"owner_id": 999999}, {"owner_id"}, id="owner-unknown"),
    pytest.param({"owner_id": "abc"}, {"owner_id"}, id="owner-text"),
    pytest.param({"shared_with": [999999]}, {"shared_with"}, id="shared-unknown"),
    pytest.param({"tags": "重点"}, {"tags"}, id="tags-not-a-list"),
    pytest.param(
        {"contacts": [{"phone": "13800138000"}]}, {"contacts.0.name"}, id="contact-nameless"
    ),
]


@pytest.mark.parametrize(("body", "fields"), BAD_CREATE_INPUT)
def test_customer_create_answers_422_with_field_errors_when_input_is_bad(
    api_client: Callable[[User], Client], manager: User, body: dict[str, Any], fields: set[str]
) -> None:
    payload = {k: v for k, v in {"name": "甲公司", **body}.items() if v is not MISSING}

    response = _post(api_client(manager), URL, payload)

    _assert_error(response, 422, "validation_failed", fields)
    assert not Customer.objects.exists()


def test_customer_create_answers_422_on_phone_when_contact_phone_is_invalid(
    sales: Client,
) -> None:
    response = _post(sales, URL, {"name": "甲公司", "contacts": [{"name": "王五", "phone": "123"}]})

    _assert_error(response, 422, "validation_failed")
    assert any(name.endswith("phone") for name in response.json()["fields"])
    assert not Customer.objects.exists()


def test_customer_create_answers_422_on_credit_code_when_code_is_taken(
    sales: Client, make_user: Callable[..., User]
) -> None:
    CustomerFactory(owner=make_user(Role.SALES), credit_code=CREDIT_CODE)

    response = _post(sales, URL, {"name": "乙公司", "credit_code": CREDIT_CODE.lower()})

    _assert_error(response, 422, "validation_failed", {"credit_code"})
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    "raw",
    ["{not json", "", "[1, 2]", '"a string"', "null"],
    ids=["broken", "empty", "list", "string", "null"],
)
def test_customer_create_answers_4xx_error_body_when_request_body_is_not_an_object(
    sales: Client, raw: str
) -> None:
    response = sales.post(URL, raw, content_type="application/json")

    assert response.status_code in {400, 422}
    _assert_error(
        response,
        response.status_code,
        "bad_request" if response.status_code == 400 else "validation_failed",
    )
    assert not Customer.objects.exists()


# Update -----------------------------------------------------------------------------------------


def test_customer_update_changes_only_given_fields_when_patched(
    sales: Client, sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user, notes="旧备注", payment_terms_days=45)
    code = _uscc("91310115MA1K3YJ10")

    response = _patch(sales, f"{URL}/{customer.pk}", {"notes": "新备注", "credit_code": code})

    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert customer.notes == "新备注"
    assert customer.credit_code == code
    assert customer.payment_terms_days == 45
    assert response.json()["notes"] == "新备注"


def test_customer_update_hands_customer_over_when_manager_changes_owner(
    api_client: Callable[[User], Client], manager: User, sales_user: User, make_user: Callable
) -> None:
    customer = CustomerFactory(owner=sales_user)
    successor = make_user(Role.SALES)

    response = _patch(api_client(manager), f"{URL}/{customer.pk}", {"owner_id": successor.pk})

    assert response.status_code == 200
    assert api_client(successor).get(f"{URL}/{customer.pk}").status_code == 200
    assert api_client(sales_user).get(f"{URL}/{customer.pk}").status_code == 404


def test_customer_update_refused_with_403_when_salesperson_hands_customer_over(
    sales: Client, sales_user: User, make_user: Callable[..., User]
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = _patch(sales, f"{URL}/{customer.pk}", {"owner_id": make_user(Role.SALES).pk})

    _assert_error(response, 403, "customer_owner_not_allowed")
    customer.refresh_from_db()
    assert customer.owner == sales_user


def test_customer_update_refused_with_403_when_closing_without_deactivate_permission(
    api_client: Callable[[User], Client], make_user: Callable[..., User], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = _patch(
        api_client(make_user(Role.ACCOUNTANT)), f"{URL}/{customer.pk}", {"status": "closed"}
    )

    _assert_error(response, 403, "permission_denied")
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.ACTIVE


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": None}, {"name"}),
        ({"name": ""}, {"name"}),
        ({"credit_limit_amount": None}, {"credit_limit_amount"}),
        ({"credit_limit_amount": "-0.01"}, {"credit_limit_amount"}),
        ({"credit_limit_amount": "0.001"}, {"credit_limit_amount"}),
        ({"payment_terms_days": None}, {"payment_terms_days"}),
        ({"credit_code": "ABC"}, {"credit_code"}),
        ({"owner_id": 999999}, {"owner_id"}),
    ],
)
def test_customer_update_answers_422_with_field_errors_when_input_is_bad(
    sales: Client, sales_user: User, body: dict[str, Any], fields: set[str]
) -> None:
    customer = CustomerFactory(owner=sales_user, credit_limit_amount=100)
    before = Customer.objects.filter(pk=customer.pk).values().get()

    response = _patch(sales, f"{URL}/{customer.pk}", body)

    _assert_error(response, 422, "validation_failed", fields)
    assert Customer.objects.filter(pk=customer.pk).values().get() == before


def test_customer_update_answers_422_on_credit_code_when_code_is_taken(
    sales: Client, sales_user: User, make_user: Callable[..., User]
) -> None:
    CustomerFactory(owner=make_user(Role.SALES), credit_code=CREDIT_CODE)
    mine = CustomerFactory(owner=sales_user)

    response = _patch(sales, f"{URL}/{mine.pk}", {"credit_code": CREDIT_CODE})

    _assert_error(response, 422, "validation_failed", {"credit_code"})
    mine.refresh_from_db()
    assert mine.credit_code == ""


# Deactivate and reactivate ----------------------------------------------------------------------


def test_customer_deactivate_closes_customer_with_reason_when_allowed(
    sales: Client, sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = _post(sales, f"{URL}/{customer.pk}/deactivate", {"reason": "公司注销"})

    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.CLOSED
    assert customer.history.first().history_change_reason == "公司注销"


def test_customer_deactivate_accepts_missing_body_when_no_reason_given(
    sales: Client, sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = sales.post(f"{URL}/{customer.pk}/deactivate", content_type="application/json")

    assert response.status_code == 200
    assert response.json()["status"] == "closed"


def test_customer_reactivate_opens_customer_when_closed(sales: Client, sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user, status=CustomerStatus.CLOSED)

    response = sales.post(f"{URL}/{customer.pk}/reactivate")

    assert response.status_code == 200
    assert response.json()["status"] == "active"


def test_customer_reactivate_answers_domain_error_when_customer_was_merged(
    api_client: Callable[[User], Client], manager: User, sales_user: User
) -> None:
    target = CustomerFactory(owner=sales_user)
    merged = CustomerFactory(owner=sales_user, status=CustomerStatus.CLOSED, merged_into=target)

    response = api_client(manager).post(f"{URL}/{merged.pk}/reactivate")

    _assert_error(response, 400, "customer_merge_invalid", set())
    merged.refresh_from_db()
    assert merged.status == CustomerStatus.CLOSED


# Contacts and follow-ups ------------------------------------------------------------------------


def test_contact_create_returns_201_and_makes_first_contact_primary_when_valid(
    sales: Client, sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = _post(
        sales, f"{URL}/{customer.pk}/contacts", {"name": "王五", "phone": "+86 139-1234-5678"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "139 1234 5678"
    assert body["is_primary"] is True
    assert Contact.objects.get(pk=body["id"]).customer == customer


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "王五", "phone": "123"}, "phone"),
        ({"name": "王五", "phone": "电话"}, "phone"),
        ({"name": "王五", "email": "not-an-email"}, "email"),
        ({"name": ""}, "name"),
        ({"phone": "13800138000"}, "name"),
        ({"name": "王五", "is_primary": "maybe"}, "is_primary"),
    ],
)
def test_contact_create_answers_422_with_field_error_when_input_is_bad(
    sales: Client, sales_user: User, body: dict[str, Any], field: str
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = _post(sales, f"{URL}/{customer.pk}/contacts", body)

    _assert_error(response, 422, "validation_failed", {field})
    assert not customer.contacts.exists()


def test_followup_create_returns_201_with_author_when_valid(
    sales: Client, sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = _post(
        sales,
        f"{URL}/{customer.pk}/followups",
        {
            "followed_on": "2026-03-02",
            "way": "visit",
            "content": "拜访财务总监",
            "next_step": "报价",
            "next_on": "2026-03-09",
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["author"] == str(sales_user)
    assert FollowUp.objects.get().author == sales_user


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"followed_on": "2026-03-02", "way": "visit", "content": "x", "next_on": "2026-03-01"},
            "next_on",
        ),
        ({"followed_on": "2026-02-30", "way": "visit", "content": "x"}, "followed_on"),
        ({"followed_on": "2026-03-02", "way": "pigeon", "content": "x"}, "way"),
        ({"followed_on": "2026-03-02", "way": "visit", "content": ""}, "content"),
    ],
)
def test_followup_create_answers_422_with_field_error_when_input_is_bad(
    sales: Client, sales_user: User, body: dict[str, Any], field: str
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = _post(sales, f"{URL}/{customer.pk}/followups", body)

    _assert_error(response, 422, "validation_failed", {field})
    assert not FollowUp.objects.exists()


def test_followup_list_returns_newest_first_when_customer_has_records(
    sales: Client, sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    for day in ("2026-01-05", "2026-02-05"):
        FollowUp.objects.create(
            customer=customer, followed_on=day, way="phone", content=day, author=sales_user
        )

    response = sales.get(f"{URL}/{customer.pk}/followups")

    assert response.status_code == 200
    assert [item["content"] for item in response.json()["items"]] == ["2026-02-05", "2026-01-05"]


# Query budget -----------------------------------------------------------------------------------


def _customers_with_contacts(owner: User, count: int) -> None:
    for customer in CustomerFactory.create_batch(count, owner=owner):
        ContactFactory(customer=customer, is_primary=True)
        ContactFactory(customer=customer)
        customer.tags.add(Tag.objects.get_or_create(name="重点")[0])


def _list_queries(client: Client) -> int:
    client.get(URL)  # the token's last use is recorded once a minute: warm it up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.SALES, Role.SALES_MANAGER])
def test_customer_list_query_count_stays_flat_when_rows_grow(
    api_client: Callable[[User], Client],
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
    role: Role,
) -> None:
    user = make_user(role)
    client = api_client(user)
    _customers_with_contacts(user, 5)
    with_5 = _list_queries(client)

    _customers_with_contacts(user, 25)
    # One of them reads the page's balances from the ledger.
    with django_assert_max_num_queries(6):
        response = client.get(URL)

    assert response.json()["count"] == 30
    assert _list_queries(client) == with_5

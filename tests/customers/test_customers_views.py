"""Customer pages: what each view renders, saves and refuses; the list page's query budget."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.customers.choices import CustomerStatus
from suanpan.customers.models import Address, Contact, Customer, FollowUp, Tag
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

CREDIT_CODE = "91110000600037341L"


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "北京小米科技有限责任公司",
        "kind": "enterprise",
        "payment_terms_days": "30",
        "credit_limit_amount": "0",
        "status": "active",
    }
    return {**data, **changes}


def _edit_form(customer: Customer, **changes: Any) -> dict[str, Any]:
    current = {
        "name": customer.name,
        "kind": customer.kind,
        "payment_terms_days": customer.payment_terms_days,
        "credit_limit_amount": customer.credit_limit_amount,
        "status": customer.status,
    }
    return {**_form(), **current, **changes}


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _rows(response: Any) -> list[Customer]:
    return list(response.context["page_obj"].object_list)


# List -------------------------------------------------------------------------------------------


def test_customer_list_shows_newest_first_with_primary_contact_when_opened(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    older = CustomerFactory(owner=sales_user)
    newer = CustomerFactory(owner=sales_user)
    ContactFactory(customer=newer, name="雷军", is_primary=True)

    response = signed_in(sales_user).get("/customers/")

    assert response.status_code == 200
    assert _rows(response) == [newer, older]
    assert "雷军" in response.content.decode()
    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "xiaomi"}, ["xiaomi"]),
        ({"q": "BJXM"}, ["xiaomi"]),
        ({"q": "腾讯"}, ["tencent"]),
        ({"status": "prospect"}, ["tencent"]),
        ({"grade": "A"}, ["xiaomi"]),
        ({"ordering": "name"}, ["xiaomi", "tencent"]),
        ({"ordering": "-name"}, ["tencent", "xiaomi"]),
        ({"status": "no-such-status"}, []),
    ],
)
def test_customer_list_filters_rows_when_given_parameters(
    signed_in: Callable[[User], Client],
    sales_user: User,
    params: dict[str, str],
    expected: list[str],
) -> None:
    xiaomi = CustomerFactory(owner=sales_user, name="北京小米科技有限责任公司", grade="A")
    tencent = CustomerFactory(
        owner=sales_user, name="深圳市腾讯计算机系统有限公司", status=CustomerStatus.PROSPECT
    )
    names = {xiaomi.pk: "xiaomi", tencent.pk: "tencent"}

    response = signed_in(sales_user).get("/customers/", params)

    assert response.status_code == 200
    assert [names[c.pk] for c in _rows(response)] == expected


def test_customer_list_says_why_when_a_filter_value_is_refused(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    CustomerFactory(owner=sales_user)

    response = signed_in(sales_user).get("/customers/", {"status": "nonsense"})

    assert response.status_code == 200
    assert _rows(response) == []
    # Django's "Select a valid choice. nonsense is not one of the available choices."
    assert re.search(r'class="alert alert-warning"[^>]*><div>[^<]*nonsense', response.text)


def test_customer_list_renders_only_results_fragment_when_htmx_requests_it(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = signed_in(sales_user).get(
        "/customers/", {"q": "测试"}, headers={"hx-request": "true"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="results">')
    assert "<html" not in content
    assert customer.number in content


def test_customer_list_pages_rows_when_more_than_page_size(
    signed_in: Callable[[User], Client], sales_user: User, settings: Any
) -> None:
    settings.PAGE_SIZE = 4
    CustomerFactory.create_batch(6, owner=sales_user)
    client = signed_in(sales_user)

    first = client.get("/customers/")
    second = client.get("/customers/", {"page": 2})
    beyond = client.get("/customers/", {"page": 99})

    assert len(_rows(first)) == 4
    assert len(_rows(second)) == 2
    assert set(_rows(first)).isdisjoint(_rows(second))
    assert _rows(beyond) == _rows(second)


def _customers_with_contacts(owner: User, count: int) -> None:
    for customer in CustomerFactory.create_batch(count, owner=owner):
        ContactFactory(customer=customer, is_primary=True)
        ContactFactory(customer=customer)
        customer.tags.add(Tag.objects.get_or_create(name="重点")[0])


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/customers/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.SALES, Role.SALES_MANAGER])
def test_customer_list_query_count_stays_flat_when_rows_grow(
    signed_in: Callable[[User], Client],
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
    role: Role,
) -> None:
    user = make_user(role)
    client = signed_in(user)
    _customers_with_contacts(user, 5)
    with_5 = _list_queries(client)

    _customers_with_contacts(user, 25)
    # One of them reads the page's balances from the ledger.
    with django_assert_max_num_queries(9):
        response = client.get("/customers/")

    assert response.context["page_obj"].paginator.count == 30
    assert _list_queries(client) == with_5


# Create -----------------------------------------------------------------------------------------


def test_customer_create_saves_customer_with_first_contact_when_form_valid(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    response = signed_in(sales_user).post(
        "/customers/new/",
        _form(
            credit_code="91110000600037341l",
            tags="重点，华北, 重点",
            **{"contact-name": "雷军", "contact-phone": "13800138000"},
        ),
    )

    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert customer.owner == sales_user
    assert customer.credit_code == CREDIT_CODE
    assert sorted(customer.tags.values_list("name", flat=True)) == ["华北", "重点"]
    contact = customer.contacts.get()
    assert (contact.name, contact.phone, contact.is_primary) == ("雷军", "138 0013 8000", True)


def test_customer_create_saves_no_contact_when_contact_fields_blank(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    response = signed_in(sales_user).post("/customers/new/", _form())

    assert response.status_code == 302
    assert Customer.objects.count() == 1
    assert not Contact.objects.exists()


def test_customer_create_shows_error_when_contact_has_phone_but_no_name(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    response = signed_in(sales_user).post(
        "/customers/new/", _form(**{"contact-phone": "13800138000"})
    )

    assert response.status_code == 200
    assert "name" in response.context["contact_form"].errors
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"credit_code": "91110000600037341X"}, "credit_code"),
        ({"credit_limit_amount": "-1"}, "credit_limit_amount"),
        ({"credit_limit_amount": "1.005"}, "credit_limit_amount"),
        ({"credit_limit_amount": "abc"}, "credit_limit_amount"),
        ({"payment_terms_days": "-5"}, "payment_terms_days"),
        ({"kind": "alien"}, "kind"),
        ({"notes": "备" * 10_001}, "notes"),
    ],
)
def test_customer_create_shows_field_error_when_input_is_bad(
    signed_in: Callable[[User], Client], sales_user: User, changes: dict[str, str], field: str
) -> None:
    response = signed_in(sales_user).post("/customers/new/", _form(**changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Customer.objects.exists()


def test_customer_create_shows_credit_code_error_when_code_is_taken(
    signed_in: Callable[[User], Client], sales_user: User, make_user: Callable[..., User]
) -> None:
    CustomerFactory(owner=make_user(Role.SALES), credit_code=CREDIT_CODE)

    response = signed_in(sales_user).post("/customers/new/", _form(credit_code=CREDIT_CODE))

    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert Customer.objects.count() == 1


def test_customer_create_keeps_salesperson_as_owner_when_form_names_another(
    signed_in: Callable[[User], Client], sales_user: User, make_user: Callable[..., User]
) -> None:
    colleague = make_user(Role.SALES)

    response = signed_in(sales_user).post("/customers/new/", _form(owner=colleague.pk))

    assert response.status_code == 302
    assert Customer.objects.get().owner == sales_user


def test_customer_create_assigns_owner_when_manager_picks_one(
    signed_in: Callable[[User], Client], manager: User, sales_user: User
) -> None:
    response = signed_in(manager).post("/customers/new/", _form(owner=sales_user.pk))

    assert response.status_code == 302
    assert Customer.objects.get().owner == sales_user


# Edit and detail --------------------------------------------------------------------------------


def test_customer_edit_form_shows_current_values_when_opened(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    customer.tags.add(Tag.objects.create(name="重点"))

    response = signed_in(sales_user).get(f"/customers/{customer.pk}/edit/")

    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["tags"] == "重点"
    assert form["name"].value() == customer.name
    assert "owner" not in form.fields  # a salesperson does not hand customers over


def test_customer_edit_saves_changes_when_form_valid(
    signed_in: Callable[[User], Client], sales_user: User, make_user: Callable[..., User]
) -> None:
    customer = CustomerFactory(owner=sales_user)
    colleague = make_user(Role.SALES)

    response = signed_in(sales_user).post(
        f"/customers/{customer.pk}/edit/",
        _edit_form(customer, credit_limit_amount="8000.50", shared_with=[colleague.pk]),
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.credit_limit_amount == Decimal("8000.50")
    assert list(customer.shared_with.all()) == [colleague]
    assert customer.owner == sales_user


def test_customer_detail_shows_each_tab_when_requested(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    ContactFactory(customer=customer, name="雷军")
    client = signed_in(sales_user)

    tabs = {
        tab: client.get(f"/customers/{customer.pk}/", {"tab": tab})
        for tab in ("overview", "contacts", "addresses", "followups", "history", "bogus")
    }

    assert all(r.status_code == 200 for r in tabs.values())
    assert tabs["bogus"].context["tab"] == "overview"
    assert "雷军" in tabs["contacts"].content.decode()


def test_customer_detail_history_names_changed_field_when_customer_edited(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    client = signed_in(sales_user)
    client.post(f"/customers/{customer.pk}/edit/", _edit_form(customer, payment_terms_days=60))

    response = client.get(f"/customers/{customer.pk}/", {"tab": "history"})

    changes = [c for entry in response.context["history"] for c in entry["changes"]]
    assert {"field": "payment terms (days)", "old": 30, "new": 60} in changes
    assert response.context["history"][0]["user"] == sales_user


# Contacts, addresses, follow-ups ----------------------------------------------------------------


def test_contact_add_saves_contact_when_valid(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = signed_in(sales_user).post(
        f"/customers/{customer.pk}/contacts/",
        {"contact-name": "王五", "contact-phone": "13912345678"},
    )

    assert response["Location"] == f"/customers/{customer.pk}/?tab=contacts"
    contact = customer.contacts.get()
    assert (contact.name, contact.phone, contact.is_primary) == ("王五", "139 1234 5678", True)


def test_contact_add_reports_error_when_phone_invalid(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = signed_in(sales_user).post(
        f"/customers/{customer.pk}/contacts/", {"contact-name": "王五", "contact-phone": "123"}
    )

    assert response.status_code == 302
    assert any("123" in m for m in _messages(response))
    assert not customer.contacts.exists()


def test_contact_edit_saves_changes_when_valid(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    contact = ContactFactory(customer=CustomerFactory(owner=sales_user), is_primary=True)

    response = signed_in(sales_user).post(
        f"/customers/{contact.customer_id}/contacts/{contact.pk}/edit/",
        {"name": "赵六", "phone": "13800138000", "title": "财务总监", "is_primary": "on"},
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.title) == ("赵六", "财务总监")


def test_contact_edit_redisplays_form_when_email_invalid(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    contact = ContactFactory(customer=CustomerFactory(owner=sales_user))

    response = signed_in(sales_user).post(
        f"/customers/{contact.customer_id}/contacts/{contact.pk}/edit/",
        {"name": "赵六", "email": "not-an-email"},
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_contact_delete_promotes_next_contact_when_primary_deleted(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    primary = ContactFactory(customer=customer, is_primary=True)
    other = ContactFactory(customer=customer)

    response = signed_in(sales_user).post(f"/customers/{customer.pk}/contacts/{primary.pk}/delete/")

    assert response.status_code == 302
    assert list(customer.contacts.all()) == [other]
    other.refresh_from_db()
    assert other.is_primary


def test_address_add_and_delete_change_addresses_when_posted(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    client = signed_in(sales_user)

    client.post(
        f"/customers/{customer.pk}/addresses/",
        {"address-kind": "billing", "address-address": "上海市浦东新区世纪大道1号"},
    )
    address = customer.addresses.get()
    response = client.post(f"/customers/{customer.pk}/addresses/{address.pk}/delete/")

    assert address.kind == "billing"
    assert response["Location"] == f"/customers/{customer.pk}/?tab=addresses"
    assert not Address.objects.exists()


def test_address_add_reports_error_when_address_missing(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = signed_in(sales_user).post(
        f"/customers/{customer.pk}/addresses/", {"address-kind": "billing"}
    )

    assert response.status_code == 302
    assert _messages(response)
    assert not Address.objects.exists()


def test_followup_add_records_author_when_valid(
    signed_in: Callable[[User], Client], make_user: Callable[..., User], sales_user: User
) -> None:
    agent = make_user(Role.CUSTOMER_SERVICE)
    customer = CustomerFactory(owner=sales_user)

    response = signed_in(agent).post(
        f"/customers/{customer.pk}/followups/",
        {
            "followup-followed_on": "2026-03-02",
            "followup-way": "phone",
            "followup-content": "客户询问发票",
        },
    )

    assert response["Location"] == f"/customers/{customer.pk}/?tab=followups"
    assert FollowUp.objects.get().author == agent


def test_followup_add_reports_error_when_next_step_before_follow_up(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = signed_in(sales_user).post(
        f"/customers/{customer.pk}/followups/",
        {
            "followup-followed_on": "2026-03-02",
            "followup-way": "phone",
            "followup-content": "x",
            "followup-next_on": "2026-03-01",
        },
    )

    assert response.status_code == 302
    assert _messages(response)
    assert not FollowUp.objects.exists()


# Deactivate, delete, merge ----------------------------------------------------------------------


def test_customer_deactivate_toggles_status_when_posted_twice(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    client = signed_in(sales_user)

    client.post(f"/customers/{customer.pk}/deactivate/", {"reason": "停业"})
    customer.refresh_from_db()
    closed = customer.status
    client.post(f"/customers/{customer.pk}/deactivate/")
    customer.refresh_from_db()

    assert closed == CustomerStatus.CLOSED
    assert customer.status == CustomerStatus.ACTIVE


def test_customer_delete_removes_customer_when_manager_deletes(
    signed_in: Callable[[User], Client], manager: User, sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    ContactFactory(customer=customer)

    response = signed_in(manager).post(f"/customers/{customer.pk}/delete/")

    assert response["Location"] == "/customers/"
    assert not Customer.objects.exists()
    assert not Contact.objects.exists()


def test_customer_merge_moves_contacts_and_closes_duplicate_when_target_exists(
    signed_in: Callable[[User], Client], manager: User, sales_user: User
) -> None:
    target = CustomerFactory(owner=sales_user)
    duplicate = CustomerFactory(owner=sales_user, credit_code=CREDIT_CODE)
    contact = ContactFactory(customer=duplicate)

    response = signed_in(manager).post(
        f"/customers/{duplicate.pk}/merge/", {"target_number": target.number.lower()}
    )

    assert response["Location"] == f"/customers/{target.pk}/"
    duplicate.refresh_from_db()
    target.refresh_from_db()
    contact.refresh_from_db()
    assert duplicate.merged_into == target
    assert duplicate.status == CustomerStatus.CLOSED
    assert contact.customer == target
    assert target.credit_code == CREDIT_CODE


@pytest.mark.parametrize("target", ["KH-NOPE", "self"])
def test_customer_merge_reports_error_when_target_is_missing_or_itself(
    signed_in: Callable[[User], Client], manager: User, sales_user: User, target: str
) -> None:
    duplicate = CustomerFactory(owner=sales_user)
    number = duplicate.number if target == "self" else target

    response = signed_in(manager).post(
        f"/customers/{duplicate.pk}/merge/", {"target_number": number}
    )

    assert response["Location"] == f"/customers/{duplicate.pk}/"
    assert _messages(response)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert duplicate.status == CustomerStatus.ACTIVE


def test_customer_search_returns_visible_open_matches_when_typed(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    mine = CustomerFactory(owner=sales_user, name="北京小米科技有限责任公司")
    CustomerFactory(owner=sales_user, name="北京小马物流有限公司", status=CustomerStatus.CLOSED)
    CustomerFactory(name="北京小米之家有限公司")  # another salesperson's
    client = signed_in(sales_user)

    rows = client.get("/customers/search/", {"q": "bjxm"}).json()
    everything = client.get("/customers/search/", {"limit": "bogus"}).json()

    assert rows == [{"id": mine.pk, "number": mine.number, "name": mine.name}]
    assert [r["id"] for r in everything] == [mine.pk]


def test_customer_picker_renders_only_the_chosen_customer_when_bound(sales_user: User) -> None:
    from django import forms

    from suanpan.customers.forms import customer_picker_use

    chosen = CustomerFactory(owner=sales_user, name="上海星辰贸易有限公司")
    CustomerFactory(owner=sales_user, name="广州华信电子股份有限公司")

    class PickForm(forms.Form):
        customer = forms.ModelChoiceField(queryset=Customer.objects.filter(owner=sales_user))

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            customer_picker_use(self.fields["customer"])

    html = str(PickForm(initial={"customer": chosen.pk})["customer"])
    bound = PickForm(data={"customer": str(chosen.pk)})
    refused = PickForm(data={"customer": "999999"})

    assert "上海星辰贸易有限公司" in html and "广州华信电子" not in html
    assert f'value="{chosen.pk}"' in html
    assert bound.is_valid() and bound.cleaned_data["customer"] == chosen
    assert not refused.is_valid()

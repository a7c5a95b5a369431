"""core.history: entries name fields, choices and related records as people read them."""

import pytest

from suanpan.core.history import EMPTY, history_entries, history_entries_by_object
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.models import Contact, Customer
from tests.factories import ContactFactory, CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _records(customer: Customer, limit: int) -> list:
    return list(
        customer.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )


def test_history_entries_show_choices_and_related_records_by_label(db: None) -> None:
    first, second = UserFactory(username="wang"), UserFactory(username="li")
    customer = CustomerFactory(owner=first, status=CustomerStatus.ACTIVE)
    customer.owner = second
    customer.status = CustomerStatus.CLOSED
    customer.save()

    entries = history_entries(_records(customer, 10), limit=10)

    assert [e["type"] for e in entries] == ["~", "+"]
    changes = {c["field"]: (c["old"], c["new"]) for c in entries[0]["changes"]}
    assert changes["owner"] == (str(first), str(second))
    assert changes["status"] == (
        str(CustomerStatus.ACTIVE.label),
        str(CustomerStatus.CLOSED.label),
    )
    assert entries[1]["changes"] == []


def test_history_entries_compare_the_oldest_shown_with_its_predecessor_when_limited() -> None:
    customer = CustomerFactory(notes="")
    for note in ("a", "b", "c"):
        customer.notes = note
        customer.save()

    entries = history_entries(_records(customer, 2), limit=2)

    assert len(entries) == 2
    assert [c["new"] for c in entries[1]["changes"]] == ["b"]
    assert [c["old"] for c in entries[1]["changes"]] == ["a"]


def test_history_entries_show_empty_values_as_a_dash() -> None:
    customer = CustomerFactory(notes="")
    customer.notes = "call back"
    customer.save()

    (change,) = history_entries(_records(customer, 5), limit=5)[0]["changes"]

    assert (change["old"], change["new"]) == (EMPTY, "call back")


def test_history_entries_by_object_compare_each_record_with_its_own_previous_row() -> None:
    customer = CustomerFactory()
    one, two = (
        ContactFactory(customer=customer, name="Zhang"),
        ContactFactory(customer=customer, name="Zhao"),
    )
    one.phone, two.phone = "13800000001", "13800000002"
    one.save()
    two.save()

    records = list(Contact.history.filter(customer_id=customer.pk).order_by("-history_id"))
    entries = history_entries_by_object(records, subject_field="name")

    assert [(e["subject"], e["type"]) for e in entries] == [
        ("Zhao", "~"),
        ("Zhang", "~"),
        ("Zhao", "+"),
        ("Zhang", "+"),
    ]
    assert [c["new"] for c in entries[0]["changes"]] == ["13800000002"]


def test_history_entries_read_related_names_in_one_query_per_model(
    django_assert_num_queries,
) -> None:
    customer = CustomerFactory()
    for _ in range(5):
        customer.owner = UserFactory()
        customer.save()
    records = _records(customer, 10)

    with django_assert_num_queries(1):
        history_entries(records, limit=10)

from decimal import Decimal

import pytest
from django.db import connection

from suanpan.core.errors import PermissionDeniedError, ValidationFailed
from suanpan.customers import selectors, services
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.errors import (
    CustomerHasDocuments,
    CustomerMergeInvalid,
    CustomerOwnerNotAllowed,
)
from suanpan.customers.models import Customer
from suanpan.users.choices import Role

pytestmark = pytest.mark.django_db
VALID_CODE = "91110000600037341L"
OTHER_CODE = "91310000MA1FL4CT31"


def create(actor, **data):
    data.setdefault("name", "北京小米科技有限责任公司")
    return services.customer_create(actor=actor, data=data)


def test_customer_create_numbers_gaplessly_and_owns_by_actor_when_valid(sales_user):
    first = create(sales_user, name="甲")
    second = create(sales_user, name="乙")
    assert (first.number, second.number) == ("KH-000001", "KH-000002")
    assert first.owner == sales_user


def test_customer_create_normalises_credit_code_when_spaced_and_lower_case(sales_user):
    customer = create(sales_user, credit_code="91 110000 600037341l")
    assert customer.credit_code == VALID_CODE


@pytest.mark.parametrize(
    "code", ["91110000600037341X", "91-110000-600037341L", "12345", "9111000060003IOZSV"]
)
def test_customer_create_refuses_credit_code_with_field_error_when_invalid(sales_user, code):
    with pytest.raises(ValidationFailed) as info:
        create(sales_user, credit_code=code)
    assert list(info.value.fields) == ["credit_code"]
    assert not Customer.objects.exists()


def test_customer_create_refuses_duplicate_credit_code_when_present(sales_user):
    create(sales_user, credit_code=VALID_CODE)
    with pytest.raises(ValidationFailed) as info:
        create(sales_user, name="另一家", credit_code=VALID_CODE)
    assert "credit_code" in info.value.fields or "__all__" in info.value.fields
    assert Customer.objects.count() == 1


def test_customer_create_allows_many_blank_credit_codes_when_absent(sales_user):
    create(sales_user, name="甲")
    create(sales_user, name="乙")
    assert Customer.objects.filter(credit_code="").count() == 2


def test_customer_create_refuses_negative_credit_limit_when_given(sales_user):
    with pytest.raises(ValidationFailed) as info:
        create(sales_user, credit_limit_amount=Decimal("-1"))
    assert "credit_limit_amount" in info.value.fields or "__all__" in info.value.fields


def test_customer_create_refuses_unknown_field_when_given(sales_user):
    with pytest.raises(ValidationFailed) as info:
        create(sales_user, colour="red")
    assert "colour" in info.value.fields


def test_customer_create_refuses_other_owner_when_actor_is_salesperson(sales_user, make_user):
    other = make_user(Role.SALES)
    with pytest.raises(CustomerOwnerNotAllowed):
        create(sales_user, owner=other)


def test_customer_create_assigns_other_owner_when_actor_is_manager(make_user):
    manager, seller = make_user(Role.SALES_MANAGER), make_user(Role.SALES)
    assert create(manager, owner=seller).owner == seller


def test_customer_create_refused_when_role_cannot_add(make_user):
    with pytest.raises(PermissionDeniedError):
        create(make_user(Role.CUSTOMER_SERVICE))


def test_customer_create_writes_nothing_when_contact_invalid(sales_user):
    with pytest.raises(ValidationFailed) as info:
        services.customer_create(
            actor=sales_user, data={"name": "甲"}, contacts=[{"name": "张三", "phone": "12"}]
        )
    assert "contacts.0.phone" in info.value.fields
    assert not Customer.objects.exists()


def test_customer_update_records_field_change_in_history_when_saved(sales_user):
    customer = create(sales_user, payment_terms_days=30)
    services.customer_update(actor=sales_user, customer=customer, data={"payment_terms_days": 60})
    entries = selectors.customer_history(customer=customer)
    changed = [c for e in entries for c in e["changes"]]
    assert {"field": "payment terms (days)", "old": 30, "new": 60} in changed
    assert (entries[0]["user"], entries[0]["type"]) == (sales_user, "~")


def test_customer_deactivate_closes_and_reactivate_reopens_when_permitted(sales_user):
    customer = create(sales_user)
    services.customer_deactivate(actor=sales_user, customer=customer, reason="停业")
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.CLOSED
    assert customer.history.first().history_change_reason == "停业"
    services.customer_reactivate(actor=sales_user, customer=customer)
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.ACTIVE


def test_customer_delete_removes_customer_with_contacts_when_no_documents(make_user):
    manager = make_user(Role.SALES_MANAGER)
    customer = services.customer_create(
        actor=manager, data={"name": "误建客户"}, contacts=[{"name": "张三"}]
    )
    services.customer_delete(actor=manager, customer=customer)
    assert not Customer.objects.filter(pk=customer.pk).exists()


def test_customer_delete_refused_with_clear_message_when_documents_refer_to_it(make_user):
    # A merged duplicate points at the customer it went to: deleting that one is refused,
    # the same way sales orders and invoices will protect their customer.
    manager = make_user(Role.SALES_MANAGER)
    kept, duplicate = create(manager, name="保留"), create(manager, name="重复")
    services.customer_merge(actor=manager, source=duplicate, target=kept)
    with pytest.raises(CustomerHasDocuments) as info:
        services.customer_delete(actor=manager, customer=kept)
    assert "保留" in info.value.message
    assert Customer.objects.filter(pk=kept.pk).exists()


def test_customer_delete_refused_when_role_is_sales(sales_user):
    with pytest.raises(PermissionDeniedError):
        services.customer_delete(actor=sales_user, customer=create(sales_user))


def test_customer_merge_moves_contacts_and_fills_blanks_when_duplicate(make_user):
    manager = make_user(Role.SALES_MANAGER)
    kept = services.customer_create(
        actor=manager, data={"name": "北京小米"}, contacts=[{"name": "雷军", "is_primary": True}]
    )
    duplicate = services.customer_create(
        actor=manager,
        data={
            "name": "北京小米科技",
            "credit_code": VALID_CODE,
            "industry": "电子",
            "tags": ["重点"],
        },
        contacts=[{"name": "林斌", "phone": "13900139000"}],
    )
    services.followup_create(
        actor=manager,
        customer=duplicate,
        data={"followed_on": "2026-11-01", "way": "phone", "content": "通话"},
    )
    target = services.customer_merge(actor=manager, source=duplicate, target=kept)
    duplicate.refresh_from_db()
    assert sorted(c.name for c in target.contacts.all()) == ["林斌", "雷军"]
    assert target.contacts.filter(is_primary=True).count() == 1
    assert target.followups.count() == 1
    assert (target.credit_code, target.industry) == (VALID_CODE, "电子")
    assert list(target.tags.values_list("name", flat=True)) == ["重点"]
    assert duplicate.status == CustomerStatus.CLOSED
    assert duplicate.merged_into == target
    assert duplicate.credit_code == ""
    queryset, _ = selectors.customer_list(user=manager, filters={"q": "13900139000"})
    assert list(queryset) == [target]


def test_customer_merge_refused_when_same_customer_or_already_merged(make_user):
    manager = make_user(Role.SALES_MANAGER)
    a, b, c = create(manager, name="甲"), create(manager, name="乙"), create(manager, name="丙")
    with pytest.raises(CustomerMergeInvalid):
        services.customer_merge(actor=manager, source=a, target=a)
    services.customer_merge(actor=manager, source=a, target=b)
    with pytest.raises(CustomerMergeInvalid):
        services.customer_merge(actor=manager, source=a, target=c)


def test_customer_merge_refused_when_role_is_sales(sales_user):
    a, b = create(sales_user, name="甲"), create(sales_user, name="乙")
    with pytest.raises(PermissionDeniedError):
        services.customer_merge(actor=sales_user, source=a, target=b)


def test_contact_create_keeps_one_primary_when_new_primary_added(sales_user):
    customer = services.customer_create(
        actor=sales_user, data={"name": "甲"}, contacts=[{"name": "一"}]
    )
    services.contact_create(
        actor=sales_user, customer=customer, data={"name": "二", "is_primary": True}
    )
    assert list(customer.contacts.filter(is_primary=True).values_list("name", flat=True)) == ["二"]


def test_contact_create_normalises_phone_when_valid(sales_user):
    customer = create(sales_user)
    contact = services.contact_create(
        actor=sales_user, customer=customer, data={"name": "张三", "phone": "+86 138-0013-8000"}
    )
    assert contact.phone == "138 0013 8000"


def test_contact_delete_promotes_next_contact_when_primary_deleted(sales_user):
    customer = services.customer_create(
        actor=sales_user, data={"name": "甲"}, contacts=[{"name": "一"}, {"name": "二"}]
    )
    primary = customer.contacts.get(is_primary=True)
    services.contact_delete(actor=sales_user, contact=primary)
    assert customer.contacts.get().is_primary


def test_followup_create_refuses_next_step_before_followup_when_dates_reversed(sales_user):
    customer = create(sales_user)
    with pytest.raises(ValidationFailed) as info:
        services.followup_create(
            actor=sales_user,
            customer=customer,
            data={
                "followed_on": "2026-11-10",
                "way": "visit",
                "content": "拜访",
                "next_on": "2026-11-01",
            },
        )
    assert "next_on" in info.value.fields


@pytest.mark.django_db(transaction=True)
def test_customer_create_gives_one_winner_when_two_requests_race_for_a_credit_code(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    import threading

    from django.db import connections

    seller = make_user(Role.SALES)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(name: str) -> None:
        barrier.wait()
        try:
            create(seller, name=name, credit_code=VALID_CODE)
            outcomes.append("created")
        except ValidationFailed as exc:
            outcomes.append("refused:" + ",".join(exc.fields))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created", "refused:credit_code"]
    assert Customer.objects.filter(credit_code=VALID_CODE).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"followed_on": "9999-12-31"}, "followed_on"),
        ({"followed_on": "0001-01-01"}, "followed_on"),
        ({"followed_on": "2026-11-01", "next_on": "9999-12-31"}, "next_on"),
    ],
)
def test_followup_create_refuses_a_date_outside_the_window(sales_user, data, field):
    from suanpan.core.errors import DateOutOfRange

    customer = create(sales_user)
    with pytest.raises(DateOutOfRange) as caught:
        services.followup_create(
            actor=sales_user, customer=customer, data={"way": "phone", "content": "通话", **data}
        )
    assert list(caught.value.fields) == [field]
    assert not customer.followups.exists()

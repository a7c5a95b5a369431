import pytest
from django.http import Http404

from suanpan.customers import selectors, services
from suanpan.customers.models import Contact
from suanpan.users.choices import Role
from tests.factories import ContactFactory, CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def visible_names(user, **filters):
    queryset, _ = selectors.customer_list(user=user, filters=filters)
    return sorted(c.name for c in queryset)


def test_customer_visible_limits_salesperson_to_own_and_shared_when_not_manager(make_user):
    seller, colleague = make_user(Role.SALES), make_user(Role.SALES)
    CustomerFactory(name="自己的", owner=seller)
    shared = CustomerFactory(name="共享的", owner=colleague)
    CustomerFactory(name="别人的", owner=colleague)
    shared.shared_with.add(seller)
    assert visible_names(seller) == ["共享的", "自己的"]


@pytest.mark.parametrize(
    "role", [Role.SALES_MANAGER, Role.FINANCE_MANAGER, Role.ACCOUNTANT, Role.CUSTOMER_SERVICE]
)
def test_customer_visible_shows_all_when_role_sees_every_customer(make_user, role):
    CustomerFactory(name="甲")
    CustomerFactory(name="乙")
    assert visible_names(make_user(role)) == ["乙", "甲"]


def test_customer_visible_shows_nothing_when_user_has_no_role(make_user):
    CustomerFactory(name="甲")
    assert visible_names(make_user()) == []


def test_customer_get_answers_404_when_other_salespersons_customer(make_user):
    seller = make_user(Role.SALES)
    foreign = CustomerFactory(owner=make_user(Role.SALES))
    with pytest.raises(Http404):
        selectors.customer_get(user=seller, pk=foreign.pk)
    with pytest.raises(Http404):
        selectors.customer_get(user=seller, pk="not-a-number")


def test_customer_list_finds_by_contact_name_and_initials_when_searched(sales_user):
    services.customer_create(
        actor=sales_user, data={"name": "北京小米科技有限责任公司"}, contacts=[{"name": "雷军"}]
    )
    services.customer_create(actor=sales_user, data={"name": "上海星辰贸易有限公司"})
    assert visible_names(sales_user, q="雷军") == ["北京小米科技有限责任公司"]
    assert visible_names(sales_user, q="shxc") == ["上海星辰贸易有限公司"]
    assert visible_names(sales_user, q="XINGCHEN") == ["上海星辰贸易有限公司"]
    assert visible_names(sales_user, q="不存在") == []


def test_customer_list_filters_and_sorts_when_asked(sales_user):
    services.customer_create(actor=sales_user, data={"name": "乙公司", "status": "prospect"})
    services.customer_create(actor=sales_user, data={"name": "甲公司", "status": "active"})
    services.customer_create(actor=sales_user, data={"name": "丙公司", "status": "active"})
    assert visible_names(sales_user, status="prospect") == ["乙公司"]
    queryset, _ = selectors.customer_list(user=sales_user, filters={"ordering": "name"})
    # Sorted by pinyin: bing, jia, yi.
    assert [c.name for c in queryset] == ["丙公司", "甲公司", "乙公司"]


def test_customer_list_returns_nothing_with_errors_when_filter_invalid(sales_user):
    CustomerFactory(owner=sales_user)
    queryset, filterset = selectors.customer_list(user=sales_user, filters={"status": "nonsense"})
    assert list(queryset) == []
    assert "status" in filterset.errors


def test_customer_is_visible_answers_for_own_and_shared_customers_only_when_salesperson():
    from suanpan.customers.selectors import customer_is_visible

    salesperson = UserFactory(role=Role.SALES)
    own = CustomerFactory(owner=salesperson)
    shared = CustomerFactory()
    shared.shared_with.add(salesperson)
    foreign = CustomerFactory()

    seen = {
        c.pk: customer_is_visible(user=salesperson, customer_id=c.pk)
        for c in (own, shared, foreign)
    }

    assert seen == {own.pk: True, shared.pk: True, foreign.pk: False}


def test_customer_list_page_reads_the_shown_columns_and_primary_contact_first(
    django_assert_num_queries,
) -> None:
    manager = UserFactory(role=Role.SALES_MANAGER)
    customer = CustomerFactory(owner=manager, notes="long notes the list never shows")
    ContactFactory(customer=customer, name="Zhao", is_primary=False)
    ContactFactory(customer=customer, name="Wang", is_primary=True)

    ContactFactory(customer=customer, name="Ai", is_primary=False, phone="13800000000")
    bare = CustomerFactory(owner=manager)

    queryset, _filterset = selectors.customer_list_page(user=manager, filters={})
    # The customers with their first contact, and what they owe.
    with django_assert_num_queries(2):
        rows = {c.pk: c for c in queryset}
        row = rows[customer.pk]
        owner = str(row.owner)

    assert (row.primary_contact_name, rows[bare.pk].primary_contact_name) == ("Wang", None)
    assert row.primary_contact_phone == Contact.objects.get(name="Wang").phone
    assert owner == str(manager)
    assert "notes" in row.get_deferred_fields()

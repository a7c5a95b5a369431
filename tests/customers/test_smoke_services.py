from decimal import Decimal

import pytest

from suanpan.core.errors import PermissionDeniedError, ValidationFailed
from suanpan.customers import selectors, services
from suanpan.users.choices import Role

pytestmark = pytest.mark.django_db


def test_customer_create_numbers_and_indexes_pinyin_when_valid(sales_user):
    customer = services.customer_create(
        actor=sales_user,
        data={"name": "北京小米科技有限责任公司", "credit_code": "91 110000 600037341l",
              "credit_limit_amount": Decimal("1000.50")},
        contacts=[{"name": "雷军", "phone": "13800138000"}],
    )
    assert customer.number == "KH-000001"
    assert customer.credit_code == "91110000600037341L"
    assert customer.owner == sales_user
    queryset, _ = selectors.customer_list(user=sales_user, filters={"q": "BJXM"})
    assert list(queryset) == [customer]
    queryset, _ = selectors.customer_list(user=sales_user, filters={"q": "138-0013-8000"})
    assert list(queryset) == [customer]


def test_customer_create_refuses_bad_credit_code_with_field_message(sales_user):
    with pytest.raises(ValidationFailed) as info:
        services.customer_create(actor=sales_user, data={"name": "甲公司", "credit_code": "91110000600037341X"})
    assert "credit_code" in info.value.fields


def test_customer_create_refused_when_actor_lacks_permission(make_user):
    accountant = make_user(Role.ACCOUNTANT)
    with pytest.raises(PermissionDeniedError):
        services.customer_create(actor=accountant, data={"name": "乙公司"})

"""Customers named by their invoice title (发票抬头), a few at a time or a statement's worth."""

from __future__ import annotations

import pytest

from suanpan.customers.selectors import customers_by_invoice_title
from suanpan.users.choices import Role
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("padding", [0, 1500], ids=["few texts", "many texts"])
def test_invoice_titles_name_the_customers_the_user_sees_when_few_or_many_are_asked(
    make_user, padding
):
    seller = make_user(Role.SALES)
    mine = CustomerFactory(owner=seller, invoice_title="杭州甲有限公司")
    twin = CustomerFactory(owner=seller, invoice_title="杭州甲有限公司")
    CustomerFactory(owner=make_user(Role.SALES), invoice_title="杭州乙有限公司")
    merged = CustomerFactory(owner=seller, invoice_title="杭州丙有限公司")
    merged.merged_into = mine
    merged.save()
    texts = [" 杭州甲有限公司 ", "杭州乙有限公司", "杭州丙有限公司", ""]
    texts += [f"付款人{n}" for n in range(padding)]

    found = customers_by_invoice_title(user=seller, titles=texts)

    assert found == {"杭州甲有限公司": [mine, twin]}

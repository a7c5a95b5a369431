"""Catalog services: validation messages, uniqueness, tax categories, history and permissions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from suanpan.catalog import services
from suanpan.catalog.errors import TaxCategoryInactive, TaxCategoryInUse
from suanpan.catalog.models import Product, TaxCategory
from suanpan.core.errors import PermissionDeniedError, ValidationFailed
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, TaxCategoryFactory

pytestmark = pytest.mark.django_db


def _data(category: TaxCategory, **changes: Any) -> dict[str, Any]:
    data = {
        "code": "DY-01",
        "name": "激光打印机",
        "specification": "A4 黑白",
        "unit": "台",
        "kind": "goods",
        "tax_category": category,
        "list_price": Decimal("1130.00"),
        "price_includes_tax": True,
        "standard_cost": Decimal("700"),
        "notes": "",
    }
    return {**data, **changes}


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return exc.value.fields


# Products ---------------------------------------------------------------------------------------


def test_product_create_stores_search_text_and_history_when_valid(
    editor: User, goods: TaxCategory
) -> None:
    product = services.product_create(actor=editor, data=_data(goods, code=" DY-01 "))

    product.refresh_from_db()
    assert product.code == "DY-01"
    assert product.search_text.split("\n") == [
        "dy-01",
        "激光打印机",
        "jiguangdayinji",
        "jgdyj",
        "a4 黑白",
    ]
    record = product.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor


def test_product_create_refuses_a_code_taken_in_another_case(
    editor: User, goods: TaxCategory
) -> None:
    ProductFactory(code="dy-01", tax_category=goods)

    with pytest.raises(ValidationFailed) as exc:
        services.product_create(actor=editor, data=_data(goods, code="DY-01"))

    assert _fields(exc) == {
        "code": [
            "The code DY-01 differs from the existing product's dy-01 only in letter case; "
            "product codes are unique whatever their case."
        ]
    }


def test_product_create_names_every_bad_field_when_several_are_wrong(
    editor: User, goods: TaxCategory
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.product_create(
            actor=editor,
            data=_data(
                goods,
                name="",
                unit="  ",
                list_price=Decimal("-1"),
                standard_cost=Decimal("1000000000"),
            ),
        )

    fields = _fields(exc)
    assert set(fields) == {"name", "unit", "list_price", "standard_cost"}
    assert fields["list_price"] == ["The list price cannot be negative."]
    assert fields["standard_cost"] == ["The standard cost can be at most 999,999,999.999999."]


def test_product_create_refuses_more_than_six_decimals(editor: User, goods: TaxCategory) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.product_create(actor=editor, data=_data(goods, list_price=Decimal("1.0000001")))

    assert set(_fields(exc)) == {"list_price"}


def test_product_create_refuses_an_inactive_tax_category(editor: User) -> None:
    old = TaxCategoryFactory(code="1010101", name="旧分类", is_active=False)

    with pytest.raises(ValidationFailed) as exc:
        services.product_create(actor=editor, data=_data(old))

    assert "deactivated" in _fields(exc)["tax_category"][0]
    assert not Product.objects.exists()


def test_product_create_refuses_unknown_fields(editor: User, goods: TaxCategory) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.product_create(actor=editor, data=_data(goods, search_text="x"))

    assert set(_fields(exc)) == {"search_text"}


def test_product_update_keeps_an_inactive_tax_category_it_already_has(
    editor: User, manager: User, goods: TaxCategory
) -> None:
    product = services.product_create(actor=editor, data=_data(goods))
    services.tax_category_deactivate(actor=manager, tax_category=goods)

    updated = services.product_update(
        actor=editor, product=product, data={"list_price": Decimal("999")}
    )

    assert updated.list_price == Decimal("999")
    assert updated.tax_category == goods


def test_product_update_refuses_moving_to_an_inactive_tax_category(
    editor: User, goods: TaxCategory
) -> None:
    product = services.product_create(actor=editor, data=_data(goods))
    old = TaxCategoryFactory(code="1010101", name="旧分类", is_active=False)

    with pytest.raises(ValidationFailed) as exc:
        services.product_update(actor=editor, product=product, data={"tax_category": old})

    assert set(_fields(exc)) == {"tax_category"}


def test_product_update_records_who_changed_what_and_refreshes_search(
    editor: User, goods: TaxCategory
) -> None:
    product = services.product_create(actor=editor, data=_data(goods))

    services.product_update(actor=editor, product=product, data={"name": "喷墨打印机"})

    product.refresh_from_db()
    assert "pmdyj" in product.search_text
    newest, oldest = product.history.order_by("-history_id")
    delta = newest.diff_against(oldest)
    assert [c.field for c in delta.changes] == ["name"]
    assert newest.history_user == editor


def test_product_update_may_keep_its_own_code_in_another_case(
    editor: User, goods: TaxCategory
) -> None:
    product = services.product_create(actor=editor, data=_data(goods))

    services.product_update(actor=editor, product=product, data={"code": "dy-01"})

    product.refresh_from_db()
    assert product.code == "dy-01"


def test_product_deactivate_and_reactivate_record_the_reason(
    editor: User, goods: TaxCategory
) -> None:
    product = services.product_create(actor=editor, data=_data(goods))

    services.product_deactivate(actor=editor, product=product, reason="停产")
    product.refresh_from_db()
    assert not product.is_active
    assert product.history.order_by("-history_id").first().history_change_reason == "停产"

    services.product_reactivate(actor=editor, product=product)
    product.refresh_from_db()
    assert product.is_active


def test_product_reactivate_refused_when_its_tax_category_is_inactive(
    editor: User, goods: TaxCategory
) -> None:
    product = ProductFactory(tax_category=goods, is_active=False)
    goods.is_active = False
    goods.save()

    with pytest.raises(TaxCategoryInactive):
        services.product_reactivate(actor=editor, product=product)


@pytest.mark.parametrize("role", [Role.SALES, Role.CUSTOMER_SERVICE, None])
def test_product_writes_refused_when_the_actor_may_only_read(
    make_user: Callable[..., User], goods: TaxCategory, role: Role | None
) -> None:
    actor = make_user(role)
    product = ProductFactory(tax_category=goods)

    with pytest.raises(PermissionDeniedError):
        services.product_create(actor=actor, data=_data(goods))
    with pytest.raises(PermissionDeniedError):
        services.product_update(actor=actor, product=product, data={"name": "x"})
    with pytest.raises(PermissionDeniedError):
        services.product_deactivate(actor=actor, product=product)


# Tax categories ---------------------------------------------------------------------------------


def test_tax_category_create_strips_spaces_from_the_code(manager: User) -> None:
    category = services.tax_category_create(
        actor=manager,
        data={"code": "304 0102 0000 0000 0000", "name": "技术服务", "vat_rate_key": "6"},
    )

    assert category.code == "3040102000000000000"
    assert category.vat_rate == Decimal("0.06")
    assert category.history.get().history_user == manager


@pytest.mark.parametrize(
    "code", ["12345678901234567890", "10900000A", ""], ids=["too long", "letters", "empty"]
)
def test_tax_category_create_refuses_a_code_that_is_not_up_to_19_digits(
    manager: User, code: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.tax_category_create(
            actor=manager, data={"code": code, "name": "x", "vat_rate_key": "13"}
        )

    assert set(exc.value.fields) == {"code"}


def test_tax_category_create_refuses_a_rate_that_is_not_a_key(manager: User) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.tax_category_create(
            actor=manager, data={"code": "1", "name": "x", "vat_rate_key": "17"}
        )

    assert set(exc.value.fields) == {"vat_rate_key"}


def test_tax_category_create_refuses_a_taken_code(manager: User, goods: TaxCategory) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.tax_category_create(
            actor=manager, data={"code": goods.code, "name": "x", "vat_rate_key": "13"}
        )

    assert exc.value.fields == {"code": ["A tax category with this code already exists."]}


def test_tax_category_in_use_can_be_deactivated_but_not_deleted(
    make_user: Callable[..., User], manager: User, goods: TaxCategory
) -> None:
    ProductFactory(tax_category=goods)
    admin = make_user(Role.ADMINISTRATOR, is_superuser=True)

    services.tax_category_deactivate(actor=manager, tax_category=goods)
    goods.refresh_from_db()
    assert not goods.is_active

    with pytest.raises(TaxCategoryInUse) as exc:
        services.tax_category_delete(actor=admin, tax_category=goods)
    assert "(1 in all)" in exc.value.message
    assert TaxCategory.objects.filter(pk=goods.pk).exists()


def test_tax_category_delete_removes_an_unused_category(
    make_user: Callable[..., User], goods: TaxCategory
) -> None:
    admin = make_user(Role.ADMINISTRATOR, is_superuser=True)

    services.tax_category_delete(actor=admin, tax_category=goods)

    assert not TaxCategory.objects.exists()


def test_tax_category_update_changes_the_rate_its_products_show(
    manager: User, goods: TaxCategory
) -> None:
    product = ProductFactory(tax_category=goods)

    services.tax_category_update(actor=manager, tax_category=goods, data={"vat_rate_key": "9"})

    product.refresh_from_db()
    assert product.tax_category.vat_rate == Decimal("0.09")


@pytest.mark.parametrize("role", [Role.SALES, Role.SALES_MANAGER, Role.CUSTOMER_SERVICE])
def test_tax_category_writes_refused_when_the_role_keeps_no_tax_categories(
    make_user: Callable[..., User], goods: TaxCategory, role: Role
) -> None:
    actor = make_user(role)

    with pytest.raises(PermissionDeniedError):
        services.tax_category_create(
            actor=actor, data={"code": "1", "name": "x", "vat_rate_key": "13"}
        )
    with pytest.raises(PermissionDeniedError):
        services.tax_category_update(actor=actor, tax_category=goods, data={"name": "y"})
    with pytest.raises(PermissionDeniedError):
        services.tax_category_deactivate(actor=actor, tax_category=goods)


def test_product_update_refuses_reactivating_with_an_inactive_tax_category(
    editor: User, goods: TaxCategory
) -> None:
    product = ProductFactory(tax_category=goods, is_active=False)
    goods.is_active = False
    goods.save()

    with pytest.raises(ValidationFailed) as exc:
        services.product_update(actor=editor, product=product, data={"is_active": True})

    assert set(exc.value.fields) == {"tax_category"}

"""Every date field and date filter renders its value in ISO form, whatever the language:
`<input type="date">` drops anything else (zh-Hans writes 2026/12/02), and the first save of a
form whose date came back empty fails as "required"."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import django_filters
import pytest
from django import forms
from django.test import Client
from django.utils import translation

import suanpan
from suanpan.core.forms import DateInput, date_iso
from suanpan.ledger import services
from suanpan.ledger.forms.vouchers import LineForm, ReverseForm, VoucherForm
from suanpan.ledger.services import LineInput

DAY = date(2026, 12, 2)
APPS = ("core", "users", "ledger", "customers", "catalog", "sales", "inventory", "web")


def _modules() -> Iterator[object]:
    """Every module of the apps' `forms` and `filters` packages (and users.forms)."""
    for app in APPS:
        for part in ("forms", "filters"):
            name = f"suanpan.{app}.{part}"
            try:
                package = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            yield package
            for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
                yield importlib.import_module(f"{name}.{info.name}")


def _date_fields() -> Iterator[tuple[str, forms.Widget | None]]:
    """(where, widget) of every date field of a form and every date filter of a FilterSet
    declared in the apps, month pickers left out."""
    seen: set[type] = set()
    for module in _modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls in seen or not cls.__module__.startswith(suanpan.__name__):
                continue
            seen.add(cls)
            if issubclass(cls, forms.BaseForm):
                for name, field in cls.base_fields.items():  # type: ignore[attr-defined]
                    if isinstance(field, forms.DateField) and not _month(field.widget):
                        yield f"{cls.__module__}.{cls.__name__}.{name}", field.widget
            elif issubclass(cls, django_filters.FilterSet):
                for name, flt in cls.base_filters.items():
                    if issubclass(flt.field_class, forms.DateField):
                        yield f"{cls.__module__}.{cls.__name__}.{name}", flt.extra.get("widget")


def _month(widget: forms.Widget) -> bool:
    return getattr(widget, "input_type", "") == "month"


def test_every_date_field_and_filter_uses_the_iso_date_input():
    found = dict(_date_fields())
    # The walk reaches the forms and filters of every app that has dates.
    for where in (
        "suanpan.ledger.forms.vouchers.VoucherForm.date",
        "suanpan.ledger.forms.vouchers.LineForm.due_on",
        "suanpan.ledger.filters.vouchers.VoucherFilter.date_from",
        "suanpan.customers.filters.customers.CustomerFilter.created_after",
        "suanpan.sales.forms.contracts.InstalmentForm.due_on",
        "suanpan.inventory.forms.receipts.GoodsReceiptForm.received_on",
    ):
        assert where in found, sorted(found)
    wrong = [where for where, widget in found.items() if not isinstance(widget, DateInput)]
    assert wrong == []


def test_every_date_widget_renders_iso_when_language_is_zh_hans():
    with translation.override("zh-hans"):
        for where, widget in _date_fields():
            assert widget is not None, where
            html = widget.render("d", DAY)
            assert 'value="2026-12-02"' in html, (where, html)
            assert 'type="date"' in html, (where, html)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_voucher_forms_render_iso_date_when_initial_given(language):
    with translation.override(language):
        for form, name in (
            (VoucherForm(initial={"date": DAY}), "date"),
            (LineForm(initial={"due_on": DAY}), "due_on"),
            (ReverseForm(initial={"on": DAY}), "on"),
        ):
            assert 'value="2026-12-02"' in str(form[name]), name


def test_date_iso_keeps_typed_text_and_empties_none():
    assert date_iso(DAY) == "2026-12-02"
    assert date_iso("2026-1-5") == "2026-1-5"
    assert date_iso(None) == ""


@pytest.mark.django_db
def test_voucher_pages_show_iso_dates_when_user_reads_zh_hans(client: Client, books, make_user):
    from suanpan.ledger.models import Account
    from suanpan.users.choices import Role

    accountant = make_user(Role.ACCOUNTANT, language="zh-hans")
    accounts = {a.code: a for a in Account.objects.all()}
    voucher = services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 12),
        summary="收到货款",
        lines=[
            LineInput(accounts["1002"], debit=Decimal("5")),
            LineInput(accounts["6001"], credit=Decimal("5"), due_on=date(2026, 2, 28)),
        ],
    )
    client.force_login(accountant)
    new = client.get("/ledger/vouchers/new/").content.decode()
    assert re.search(r'name="date" value="\d{4}-\d{2}-\d{2}"', new)
    edit = client.get(f"/ledger/vouchers/{voucher.pk}/edit/").content.decode()
    assert 'name="date" value="2026-01-12"' in edit
    assert 'value="2026-02-28"' in edit
    # The page as shown saves as it is: the date is not lost on the way back.
    response = client.post(
        f"/ledger/vouchers/{voucher.pk}/edit/",
        {
            "date": "2026-01-12",
            "word": "记",
            "summary": "收到货款",
            "attachments": "0",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "200",
            "lines-0-account": "1002",
            "lines-0-debit": "5",
            "lines-1-account": "6001",
            "lines-1-credit": "5",
        },
    )
    assert response.status_code == 302

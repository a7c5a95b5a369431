"""From shipped goods to an invoice received: request → approval → batch workbook → the
platform's issued-invoice export → invoice → mailing → receipt, the customer's invoices tab and
the ageing report.

The books, the product and its stock, the customer and an order shipped and signed for are set
up through the services, as in the sales flow. Everything the salesperson and the accountant do
happens in the browser; the one thing made in the test is the platform's issued-invoice export,
built from the workbook the page handed over, as the e-tax bureau would answer it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from suanpan.core.capitals import amount_in_capitals
from suanpan.customers import services as customers
from suanpan.inventory.services.deliveries import delivery_create, delivery_ship, delivery_sign
from suanpan.invoicing.choices import InvoiceStatus, MailingStatus, RequestStatus
from suanpan.invoicing.models import Invoice, InvoiceMailing, InvoiceRequest
from suanpan.ledger import services as ledger
from suanpan.ledger.choices import AccountRole, RevenuePolicy
from suanpan.ledger.models import Company, Dimension, VoucherLine
from suanpan.ledger.selectors import account_for_role
from suanpan.sales.models import SalesOrder
from suanpan.sales.services.lines import LineInput
from suanpan.sales.services.order_common import OrderInput
from suanpan.sales.services.orders import order_confirm, order_create
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.e2e.test_sales_flow import (
    CUSTOMER,
    PRODUCT_NAME,
    Shop,
    _log_in,
    _screenshot,
    _zh,
    shop,  # noqa: F401 (the fixture)
)

pytestmark = pytest.mark.e2e

WIDE = {"width": 1366, "height": 900}
ORDERED = 6
UNIT_PRICE = Decimal("1130.00")
GROSS = ORDERED * UNIT_PRICE  # 6,780.00: 6,000.00 + 780.00 VAT
INVOICE_NUMBER = "26312000000012345678"
COURIER = "顺丰速运"
TRACKING = "SF3108822716654"


@dataclass(frozen=True)
class Shipped:
    shop: Shop
    order: SalesOrder
    accountant: User


def _shipped(
    shop: Shop,  # noqa: F811
    salesperson: User,
    make_user: Callable[..., User],
    policy: str,
) -> Shipped:
    """The customer's invoicing details, an order of 6 confirmed, shipped and signed for."""
    admin = User.objects.filter(is_superuser=True).get()
    ledger.company_update(actor=admin, data={"revenue_policy": policy})
    accountant = make_user(Role.ACCOUNTANT, username="lijing", display_name="李静")
    customer = customers.customer_update(
        actor=admin,
        customer=shop.customer,
        data={
            "invoice_title": CUSTOMER,
            "invoice_tax_number": shop.customer.credit_code,
            "invoice_address_phone": "上海市浦东新区张江路88号 021-58881234",
            "invoice_bank_account": "招商银行上海张江支行 121909876510201",
        },
    )
    today = timezone.localdate()
    order = order_create(
        actor=salesperson,
        data=OrderInput(
            customer=customer,
            ordered_on=today,
            lines=[
                LineInput(
                    product_id=shop.product.pk, quantity=Decimal(ORDERED), unit_price=UNIT_PRICE
                )
            ],
        ),
    )
    order = order_confirm(actor=salesperson, order=order)
    delivery = delivery_create(order=order, warehouse=shop.warehouse, actor=accountant)
    delivery_ship(delivery=delivery, shipped_on=today, actor=accountant)
    delivery_sign(delivery=delivery, signed_on=today, actor=accountant)
    return Shipped(shop=shop, order=order, accountant=accountant)


def _balance(role: str, customer_number: str) -> Decimal:
    """Debit minus credit of the role's account for one customer over every posted line."""
    account = account_for_role(role)
    assert account is not None, role
    dimension = Dimension.objects.get(kind="customer", code=customer_number)
    lines = VoucherLine.objects.filter(account=account, dimension=dimension)
    return sum((line.debit_amount - line.credit_amount for line in lines), Decimal(0))


def _total(role: str) -> Decimal:
    """Credit minus debit of the role's account over every posted line."""
    account = account_for_role(role)
    assert account is not None, role
    lines = VoucherLine.objects.filter(account=account)
    return sum((line.credit_amount - line.debit_amount for line in lines), Decimal(0))


def _issued_export(request: InvoiceRequest, *, issued_on: Any) -> bytes:
    """The platform's issued-invoice export for the one invoice it issued from the workbook."""
    headers = [
        "序号",
        "发票代码",
        "发票号码",
        "数电发票号码",
        "销方识别号",
        "销方名称",
        "购方识别号",
        "购买方名称",
        "开票日期",
        "金额",
        "税额",
        "价税合计",
        "发票来源",
        "发票票种",
        "发票状态",
        "是否正数发票",
        "发票风险等级",
        "开票人",
        "备注",
    ]
    row = {
        "序号": "1",
        "数电发票号码": INVOICE_NUMBER,
        "销方识别号": "91110000MA01TEST9X",
        "销方名称": "算盘测试科技有限公司",
        "购方识别号": request.buyer_tax_number,
        "购买方名称": request.buyer_name,
        "开票日期": f"{issued_on:%Y-%m-%d} 10:15:00",
        "金额": f"{request.net_amount:.2f}",
        "税额": f"{request.tax_amount:.2f}",
        "价税合计": f"{request.gross_amount:.2f}",
        "发票来源": "电子发票服务平台",
        "发票票种": "数电发票（增值税专用发票）",
        "发票状态": "正常",
        "是否正数发票": "是",
        "发票风险等级": "正常",
        "开票人": "李静",
        "备注": request.number,
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "发票基础信息"
    sheet.append(headers)
    sheet.append([row.get(header) for header in headers])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    "policy",
    [RevenuePolicy.ON_DELIVERY, RevenuePolicy.ON_INVOICE],
    ids=["revenue-on-delivery", "revenue-on-invoice"],
)
def test_invoicing_flow_invoices_shipped_order_and_tracks_it_to_receipt(
    page: Page,
    salesperson: User,
    shop: Shop,  # noqa: F811
    make_user: Callable[..., User],
    policy: str,
    tmp_path: Any,
) -> None:
    shipped = _shipped(shop, salesperson, make_user, policy)
    order, accountant, customer = shipped.order, shipped.accountant, shop.customer
    company = Company.objects.get()
    # Screenshots once: the user guide follows revenue on delivery, the default.
    pictures = policy == RevenuePolicy.ON_DELIVERY
    today = timezone.localdate()
    page.set_viewport_size(WIDE)
    page.on("dialog", lambda dialog: dialog.accept())

    # given the salesperson on the order's page
    _log_in(page, salesperson)
    page.goto(reverse("sales:order_detail", args=[order.pk]))

    # when they raise a request for the order (申请开票): every line as shipped, 6 of 6
    create_url = reverse("invoicing:request_create")
    page.locator(f"main a[href='{create_url}?order={order.pk}']").click()
    expect(page).to_have_url(re.compile(r"/invoicing/requests/new/\?order=\d+$"))
    line = order.lines.get()
    quantity = page.locator(f"main form input[name$='{line.pk}']").first
    expect(quantity).to_have_value(re.compile(rf"^{ORDERED}(\.0*)?$"))
    expect(page.locator("main form")).to_contain_text(PRODUCT_NAME)
    page.locator("main form textarea[name=remarks], main form input[name=remarks]").fill(
        "合同号 HT-2026-118"
    )
    if pictures:
        _screenshot(page, "invoicing-request-form.png")
    page.locator("main form button.btn-primary").click()
    expect(page).to_have_url(re.compile(r"/invoicing/requests/\d+/$"))

    # then the request waits for approval, with the buyer's details from the customer
    request = InvoiceRequest.objects.get(order=order)
    assert request.status == RequestStatus.PENDING
    assert request.requested_by == salesperson
    assert request.gross_amount == GROSS
    assert request.buyer_tax_number == customer.credit_code
    main = page.locator("main")
    expect(page.locator("h1")).to_contain_text(request.number)
    expect(main).to_contain_text(customer.credit_code)
    expect(main).to_contain_text("6,780.00")
    approve_url = reverse("invoicing:request_approve", args=[request.pk])
    # the salesperson may not approve their own request
    expect(page.locator(f"form[action='{approve_url}']")).to_have_count(0)

    # when the accountant signs in and approves it
    page.context.clear_cookies()
    _log_in(page, accountant)
    page.goto(reverse("invoicing:home"))
    page.locator(
        f"main a[href='{reverse('invoicing:request_detail', args=[request.pk])}']"
    ).first.click()
    expect(page.locator("h1")).to_contain_text(request.number)
    if pictures:
        _screenshot(page, "invoicing-request-detail.png")
    page.locator(f"form[action='{approve_url}'] button").click()
    expect(page.locator(f"form[action='{approve_url}']")).to_have_count(0)
    expect(page.locator("h1")).to_contain_text(_zh(RequestStatus.APPROVED.label))
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and request.reviewed_by == accountant

    # and, on the tax platform page (from the invoicing menu), downloads the batch workbook
    page.locator(f"main .sp-subnav a[href='{reverse('invoicing:platform')}']").click()
    checkbox = page.locator(f"main input[name=request_ids][value='{request.pk}']")
    expect(checkbox).to_be_checked()
    if pictures:
        _screenshot(page, "invoicing-platform.png")
    export_url = reverse("invoicing:platform_export")
    with page.expect_download() as downloaded:
        page.locator(f"form[action='{export_url}'] button[type=submit]").click()
    workbook_path = tmp_path / downloaded.value.suggested_filename
    downloaded.value.save_as(workbook_path)
    assert workbook_path.suffix == ".xlsx"

    # then the workbook carries the request's number as the invoice's 发票流水号
    workbook = load_workbook(workbook_path)
    sheet = workbook["1-发票基本信息"]
    header_row, columns = next(
        (index, [str(cell or "").replace("*", "").strip() for cell in row])
        for index, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        if any(str(cell or "").replace("*", "").strip() == "发票流水号" for cell in row)
    )
    serials = [
        row[columns.index("发票流水号")]
        for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)
        if row[columns.index("发票流水号")]
    ]
    assert serials == [request.number]
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPORTED

    # when the platform has issued it and they upload its issued-invoice export
    export_file = tmp_path / "发票查询导出.xlsx"
    export_file.write_bytes(_issued_export(request, issued_on=today))
    page.goto(reverse("invoicing:platform"))
    issued_url = reverse("invoicing:platform_issued")
    page.locator(f"form[action='{issued_url}'] input[type=file]").set_input_files(export_file)
    page.locator(f"form[action='{issued_url}'] button[type=submit]").click()

    # then the preview matches the invoice to the request, and nothing is recorded yet
    preview = page.locator("#issued-rows tbody tr")
    expect(preview).to_have_count(1)
    expect(preview).to_contain_text(INVOICE_NUMBER)
    expect(preview).to_contain_text(request.number)
    expect(preview).to_contain_text("6,780.00")
    expect(preview.locator(".badge")).to_have_text(_zh(gettext_lazy("Matched")))
    assert not Invoice.objects.exists()
    if pictures:
        _screenshot(page, "invoicing-platform-preview.png")

    # when they confirm
    page.locator("main form button[name=action][value=commit]").click()
    invoice = Invoice.objects.get()
    request.refresh_from_db()
    assert request.status == RequestStatus.ISSUED
    assert invoice.number == INVOICE_NUMBER and invoice.gross_amount == GROSS
    assert invoice.status == InvoiceStatus.ISSUED

    # and open the invoice: its 20-digit number as text, the total in capitals
    page.goto(reverse("invoicing:invoice_list"))
    page.locator(
        f"main a[href='{reverse('invoicing:invoice_detail', args=[invoice.pk])}']"
    ).first.click()
    expect(page.locator("h1")).to_contain_text(INVOICE_NUMBER)
    expect(page.locator(".sp-capitals")).to_contain_text(amount_in_capitals(GROSS))
    expect(page.locator(".sp-capitals")).to_contain_text("陆仟柒佰捌拾元整")
    expect(page.locator("main")).to_contain_text(request.number)
    if pictures:
        _screenshot(page, "invoicing-invoice.png")

    # when they register the mailing, typing the courier and the tracking number
    mail_url = reverse("invoicing:mailing_create") + f"?invoice={invoice.pk}"
    page.locator(f"main a[href='{mail_url}']").click()
    page.locator("#id_courier").fill(COURIER)
    page.locator("#id_tracking_number").fill(TRACKING)
    for field, value in (
        ("#id_recipient", "王芳"),
        ("#id_phone", "139 1234 5678"),
        ("#id_address", "上海市浦东新区张江路88号"),
    ):
        if not page.locator(field).input_value():
            page.locator(field).fill(value)
    if pictures:
        _screenshot(page, "invoicing-mailing-register.png")
    page.locator("main form button.btn-primary").click()
    expect(page).to_have_url(re.compile(r"/invoicing/mailing/\d+/$"))
    mailing = InvoiceMailing.objects.get(invoice=invoice)
    assert (mailing.courier, mailing.tracking_number) == (COURIER, TRACKING)
    assert mailing.status == MailingStatus.SENT
    expect(page.locator("main")).to_contain_text(TRACKING)

    # and mark it received when the customer's accountant says so, typing the date
    received_on = today
    receive_url = reverse("invoicing:mailing_receive", args=[mailing.pk])
    page.locator(f"form[action='{receive_url}'] input[name=received_on]").fill(
        received_on.isoformat()
    )
    page.locator(f"form[action='{receive_url}'] button").click()
    expect(page.locator(f"form[action='{receive_url}']")).to_have_count(0)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.RECEIVED and mailing.received_on == received_on

    # then the customer's invoices tab lists the invoice
    page.goto(f"/customers/{customer.pk}/")
    page.locator("main .nav-tabs a.nav-link", has_text=_zh(gettext_lazy("Invoices"))).click()
    tab = page.locator("main table.sp-list", has_text=INVOICE_NUMBER)
    expect(tab).to_have_count(1)
    expect(tab).to_contain_text("6,780.00")
    if pictures:
        _screenshot(page, "invoicing-customer-tab.png")

    # and the ageing report owes the invoice's total from the customer
    page.goto("/ledger/reports/ageing/")
    row = page.locator("main table tbody tr", has_text=customer.name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("6,780.00")

    # and the books agree: the customer owes the invoice's gross, nothing waits unbilled
    company.refresh_from_db()
    assert company.revenue_policy == policy
    assert _balance(AccountRole.RECEIVABLE, customer.number) == GROSS
    assert _balance(AccountRole.RECEIVABLE_UNBILLED, customer.number) == Decimal(0)
    # and, under either policy, the revenue and the output VAT are the invoice's
    assert _total(AccountRole.REVENUE) == invoice.net_amount == Decimal("6000.00")
    assert _total(AccountRole.VAT_OUTPUT) == invoice.tax_amount == Decimal("780.00")
    assert _total(AccountRole.VAT_OUTPUT_PENDING) == Decimal(0)

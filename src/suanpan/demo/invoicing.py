"""Demo invoicing: requests and invoices in every state, under the demo company's revenue policy
(on invoice), so revenue, cost, output VAT and receivables appear in the demo books.

Each shipped or signed delivery is billed by a request its order's salesperson raises, and
each meets a different fate: issued and then mailed and received, issued and reversed in red,
left pending, issued and mailed (not yet confirmed), rejected with a reason, approved and
waiting for the platform. The demo contract is billed by its payment plan: the deposit issued,
the delivery instalment failed at the platform with the platform's reason, the retention
exported to the platform's workbook and waiting for its answer.
Invoice numbers are made up but well-formed (20 digits).
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import TYPE_CHECKING

from django.utils import timezone
from openpyxl import Workbook

from suanpan.core.errors import DomainError
from suanpan.inventory.selectors import deliveries as delivery_selectors
from suanpan.invoicing.choices import InvoiceType, RedInitiator, RedReason, RequestSource
from suanpan.invoicing.services import (
    IssueInput,
    RequestInput,
    RequestLineInput,
    batch_export,
    failures_import,
    invoice_issue,
    mailing_create,
    mailing_receive,
    red_form_create,
    red_invoice_issue,
    request_approve,
    request_create,
    request_reject,
)
from suanpan.sales.selectors import contract_instalments, contract_tax_category
from suanpan.sales.selectors.contracts import contract_list
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.invoicing.models import Invoice, InvoiceRequest

# In turn, what happens to each delivery's request.
FATES = ("received", "red", "pending", "mailed", "rejected", "approved", "issued")
COURIERS = ("顺丰速运", "EMS", "京东物流")


class _Numbers:
    """Well-formed 数电 numbers: year, province 11 (Beijing), channel, a sequence."""

    def __init__(self) -> None:
        self.serial = 0

    def next(self, on: date) -> str:
        self.serial += 1
        return f"{on:%y}112{self.serial:015d}"


def demo_invoicing(*, users: dict[str, User], today: date | None = None) -> list[InvoiceRequest]:
    """Requests for the demo's shipped and signed deliveries and the demo contract's plan."""
    admin, accountant, finance = users["admin"], users["accountant"], users["finance"]
    today = today or timezone.localdate()
    numbers = _Numbers()
    deliveries = sorted(
        (
            delivery
            for status in ("shipped", "signed")
            for delivery in delivery_selectors.delivery_list(
                user=admin, filters={"status": status}
            )[0]
        ),
        key=lambda delivery: delivery.pk,
    )
    made: list[InvoiceRequest] = []
    for index, delivery in enumerate(deliveries):
        fate = FATES[index % len(FATES)]
        maker = delivery.order.owner if delivery.order.owner.is_active else accountant
        reviewer = finance if maker == accountant else accountant
        on = min((delivery.signed_on or delivery.shipped_on or today) + timedelta(days=1), today)
        try:
            request = request_create(
                data=RequestInput(
                    source=RequestSource.DELIVERIES,
                    invoice_type=InvoiceType.E_SPECIAL if index % 3 else InvoiceType.E_NORMAL,
                    delivery_ids=(delivery.pk,),
                    remarks=f"发货单 {delivery.number}",
                    requested_on=on,
                ),
                actor=maker,
            )
        except DomainError:
            continue  # nothing left to bill on this delivery's order
        made.append(request)
        _fate(request, fate, on=on, today=today, reviewer=reviewer, admin=admin, numbers=numbers)
    made.extend(_contract_plan(users=users, today=today, numbers=numbers))
    return made


def _fate(
    request: InvoiceRequest,
    fate: str,
    *,
    on: date,
    today: date,
    reviewer: User,
    admin: User,
    numbers: _Numbers,
) -> None:
    if fate == "pending":
        return
    if fate == "rejected":
        request_reject(
            request=request, reason="购方税号与营业执照不一致，请核对后重新提交", actor=reviewer
        )
        return
    request_approve(request=request, actor=reviewer)
    if fate == "approved":
        return
    if fate == "exported":
        batch_export(request_ids=[request.pk], actor=reviewer)
        return
    invoice = invoice_issue(
        request=request,
        data=IssueInput(
            number=numbers.next(on), issued_on=on, drawer=reviewer.get_full_name()[:40]
        ),
        actor=reviewer,
    )
    if fate in ("mailed", "received"):
        _mail(invoice, on=on, today=today, received=fate == "received", actor=reviewer)
    elif fate == "red":
        # Issued with the wrong buyer details: reversed in full (开票有误) the next day.
        form = red_form_create(
            blue_invoice=invoice,
            initiator=RedInitiator.SELLER,
            reason=RedReason.ERROR,
            notes="购方名称有误，全额冲红后重开",
            actor=reviewer,
        )
        red_on = min(on + timedelta(days=1), today)
        red_invoice_issue(form=form, number=numbers.next(red_on), issued_on=red_on, actor=reviewer)


def _mail(invoice: Invoice, *, on: date, today: date, received: bool, actor: User) -> None:
    sent_on = min(on + timedelta(days=1), today)
    (mailing,) = mailing_create(
        invoice_ids=[invoice.pk],
        sent_on=sent_on,
        courier=COURIERS[invoice.pk % len(COURIERS)],
        tracking_number=f"SF{invoice.pk:04d}{sent_on:%m%d}8801",
        actor=actor,
    )
    if received:
        mailing_receive(
            mailing=mailing,
            received_on=min(sent_on + timedelta(days=2), today),
            confirmed_by_customer=True,
            actor=actor,
        )


def _contract_plan(
    *, users: dict[str, User], today: date, numbers: _Numbers
) -> list[InvoiceRequest]:
    """The demo contract billed by its plan: the deposit issued, the next instalment failed at
    the platform with its reason, the last one exported and waiting."""
    manager, accountant = users["salesmgr"], users["accountant"]
    contracts, _filters = contract_list(user=manager, filters={"status": "active"})
    contract = contracts.order_by("pk").first()
    if contract is None:
        return []
    category = contract_tax_category(contract_id=contract.pk)
    code = category.code if category is not None else "1090511010000000000"
    rate = category.vat_rate_key if category is not None else "13"
    made = []
    for position, instalment in enumerate(contract_instalments(contract_id=contract.pk)[:3]):
        request = request_create(
            data=RequestInput(
                source=RequestSource.INSTALMENT,
                invoice_type=InvoiceType.E_SPECIAL,
                instalment_id=instalment.pk,
                lines=(
                    RequestLineInput(
                        item_name=f"{contract.title}（{instalment.description or '分期款'}）"[:100],
                        tax_code=code,
                        vat_rate_key=rate,
                        amount=instalment.amount,
                    ),
                ),
                remarks=f"合同 {contract.number} 第{instalment.position}期",
                requested_on=today,
            ),
            actor=manager,
        )
        request_approve(request=request, actor=accountant)
        made.append(request)
        if position == 0:
            invoice_issue(
                request=request,
                data=IssueInput(number=numbers.next(today), issued_on=today),
                actor=accountant,
            )
        else:
            batch_export(request_ids=[request.pk], actor=accountant)
        if position == 1:
            failures_import(
                data=_failure_file(request.number), filename="失败明细.xlsx", actor=accountant
            )
    return made


def _failure_file(number: str) -> bytes:
    """The platform's failure file for one request, as 批量开具 gives it back."""
    book = Workbook()
    sheet = book.create_sheet("失败明细", 0)
    sheet.append(["发票流水号", "发票类型", "购买方名称", "购买方纳税人识别号", "导入失败原因"])
    sheet.append(
        [
            number,
            "增值税专用发票",
            "",
            "",
            "第4行商品和服务税收编码不存在或已停用，请核对后重新导入。",
        ]
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["demo_invoicing"]

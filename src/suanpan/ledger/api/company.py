"""/api/v1/ledger/company: the company's ledger settings and account roles."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from suanpan.core.errors import PermissionDeniedError, ValidationFailed
from suanpan.core.limits import PatchSchema
from suanpan.ledger import selectors, services
from suanpan.ledger.choices import (
    AccountingStandard,
    AccountRole,
    RevenuePolicy,
    VoucherWord,
)
from suanpan.users.http import request_user

router = Router(tags=["ledger"])


class CompanyOut(Schema):
    name: str
    tax_number: str
    standard: AccountingStandard
    revenue_policy: RevenuePolicy
    first_period: str
    voucher_words: str
    default_word: VoucherWord
    credit_hold_overdue_days: int
    roles: dict[str, str]

    @staticmethod
    def resolve_first_period(obj: Any) -> str:
        return str(obj.first_period.strftime("%Y%m"))

    @staticmethod
    def resolve_roles(obj: Any) -> dict[str, str]:
        return {role: account.code for role, account in selectors.role_mappings().items()}


@router.get(
    "/company",
    response=CompanyOut,
    summary="The company's ledger settings",
    operation_id="suanpan_ledger_api_company_get",
)
def company_get(request: HttpRequest) -> Any:
    if not request_user(request).has_module_perms("ledger"):
        raise PermissionDeniedError()
    return services.company_get()


class CompanySetupIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    tax_number: str = Field("", max_length=20)
    standard: AccountingStandard
    revenue_policy: RevenuePolicy = RevenuePolicy.ON_DELIVERY
    first_period: str = Field(pattern=r"^\d{6}$", description="The first open month, YYYYMM")
    voucher_words: str = Field("记", pattern=r"^(记|收付转)$")


class CompanyPatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    tax_number: str | None = Field(None, max_length=20)
    revenue_policy: RevenuePolicy | None = None
    voucher_words: str | None = Field(None, pattern=r"^(记|收付转)$")
    default_word: VoucherWord | None = None
    credit_hold_overdue_days: int | None = Field(
        None, ge=0, le=3650, description="0: overdue debts do not hold orders."
    )


class RoleIn(Schema):
    account: str = Field(min_length=1, max_length=30, description="The leaf account's code")


def _month(value: str) -> date:
    year, month = int(value[:4]), int(value[4:])
    if not 1 <= month <= 12:
        raise ValidationFailed(fields={"first_period": [_("Write the month as YYYYMM.")]})
    return date(year, month, 1)


@router.post(
    "/company",
    response={201: CompanyOut},
    summary="Set up the books (once)",
    operation_id="suanpan_ledger_api_company_setup",
)
def company_setup(request: HttpRequest, payload: CompanySetupIn) -> Any:
    company = services.company_setup(
        actor=request_user(request),
        name=payload.name,
        tax_number=payload.tax_number,
        standard=payload.standard,
        revenue_policy=payload.revenue_policy,
        first_period=_month(payload.first_period),
        voucher_words=payload.voucher_words,
    )
    return Status(201, company)


@router.patch(
    "/company",
    response=CompanyOut,
    summary="Change the company's ledger settings",
    operation_id="suanpan_ledger_api_company_update",
)
def company_update(request: HttpRequest, payload: CompanyPatch) -> Any:
    return services.company_update(
        actor=request_user(request), data=payload.dict(exclude_none=True)
    )


@router.put(
    "/company/roles/{role}",
    response=CompanyOut,
    summary="Map an account role",
    operation_id="suanpan_ledger_api_company_role_set",
)
def company_role_set(request: HttpRequest, role: AccountRole, payload: RoleIn) -> Any:
    services.company_get()
    account = selectors.account_by_code(code=payload.account)
    if account is None:
        raise ValidationFailed(fields={"account": [_("No account with this code.")]})
    services.account_role_set(actor=request_user(request), role=role, account=account)
    return services.company_get()

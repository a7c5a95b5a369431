"""/api/v1/ledger/accounts: the chart of accounts."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from suanpan.core.errors import ValidationFailed
from suanpan.ledger import selectors, services
from suanpan.ledger.choices import (
    AccountCategory,
    Direction,
)
from suanpan.ledger.models import Account
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["ledger"])


class AccountOut(Schema):
    id: int
    code: str
    name: str
    parent: str | None
    level: int
    direction: Direction
    category: AccountCategory
    requires_customer: bool
    is_open_item: bool
    is_active: bool

    @staticmethod
    def resolve_parent(obj: Account) -> str | None:
        return obj.parent.code if obj.parent else None


class AccountIn(Schema):
    parent: str = Field(min_length=1, max_length=30, description="The parent account's code")
    code: str = Field(min_length=1, max_length=30, description="e.g. 1122.03")
    name: str = Field(min_length=1, max_length=100)
    requires_customer: bool = False
    is_open_item: bool = False


@router.get(
    "/accounts",
    response=list[AccountOut],
    summary="List the chart of accounts",
    operation_id="suanpan_ledger_api_account_list",
)
@api_permission("ledger.view_account")
def account_list(request: HttpRequest) -> Any:
    services.company_get()
    return selectors.account_list()


@router.post(
    "/accounts",
    response={201: AccountOut},
    summary="Add a sub-account",
    operation_id="suanpan_ledger_api_account_create",
)
@api_permission("ledger.add_account")
def account_create(request: HttpRequest, payload: AccountIn) -> Any:
    parent = selectors.account_by_code(code=payload.parent)
    if parent is None:
        raise ValidationFailed(
            fields={"parent": [_("No account with the code %(code)s.") % {"code": payload.parent}]}
        )
    account = services.account_create(
        actor=request_user(request),
        parent=parent,
        code=payload.code,
        name=payload.name,
        requires_customer=payload.requires_customer,
        is_open_item=payload.is_open_item,
    )
    return Status(201, account)

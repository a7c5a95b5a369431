import pytest

from suanpan.core.errors import PermissionDeniedError
from suanpan.users.choices import Role
from suanpan.users.permissions import permission_require
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_permission_require_passes_when_actor_holds_any_of_the_permissions() -> None:
    accountant = UserFactory(role=Role.ACCOUNTANT)

    permission_require(accountant, "ledger.post_voucher")
    permission_require(accountant, "sales.approve_credit", "ledger.post_voucher")


def test_permission_require_refuses_when_actor_holds_none() -> None:
    salesperson = UserFactory(role=Role.SALES)

    with pytest.raises(PermissionDeniedError):
        permission_require(salesperson, "ledger.post_voucher", "sales.approve_credit")

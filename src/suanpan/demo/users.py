"""Demo logins: one user for every role, all with the same printed password."""

from __future__ import annotations

from dataclasses import dataclass

from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import roles_sync, user_create

DEMO_PASSWORD = "suanpan-demo"  # noqa: S105 - printed for the demo logins on purpose


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role


DEMO_USERS = (
    DemoUser("admin", "系统管理员", Role.ADMINISTRATOR),
    DemoUser("finance", "王会计主管", Role.FINANCE_MANAGER),
    DemoUser("accountant", "李会计", Role.ACCOUNTANT),
    DemoUser("salesmgr", "赵销售经理", Role.SALES_MANAGER),
    DemoUser("sales1", "张伟", Role.SALES),
    DemoUser("sales2", "刘洋", Role.SALES),
    DemoUser("service", "陈客服", Role.CUSTOMER_SERVICE),
)


def demo_users() -> dict[str, User]:
    """The demo users by username, created the first time."""
    roles_sync()
    users = {}
    for spec in DEMO_USERS:
        # The users app has no selector for a login by name; this read is the demo's own.
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                username=spec.username,
                password=DEMO_PASSWORD,
                roles=[spec.role],
                display_name=spec.display_name,
            )
        users[spec.username] = user
    return users

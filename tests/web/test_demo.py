import pytest
from django.core.management import call_command

from suanpan.customers import selectors
from suanpan.customers.models import Customer
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.web.demo import DEMO_USERS, demo_load

pytestmark = pytest.mark.django_db


def test_demo_load_creates_a_user_per_role_and_customers_when_empty():
    made = demo_load(customers=30)
    assert made == 30
    assert Customer.objects.count() == 30
    roles = {str(g) for u in User.objects.all() for g in u.groups.values_list("name", flat=True)}
    assert roles == {str(r) for r in Role}
    assert {u.username for u in User.objects.all()} == {spec.username for spec in DEMO_USERS}
    numbers = sorted(Customer.objects.values_list("number", flat=True))
    assert numbers[0] == "KH-000001" and numbers[-1] == "KH-000030"


def test_demo_load_does_nothing_when_customers_exist():
    demo_load(customers=5)
    assert demo_load(customers=5) == 0
    assert Customer.objects.count() == 5


def test_demo_load_is_deterministic_and_findable_by_initials_when_seeded():
    demo_load(customers=10, seed=7)
    salesmgr = User.objects.get(username="salesmgr")
    queryset, _ = selectors.customer_list(user=salesmgr, filters={"q": "bjxm"})
    assert "北京小米科技有限公司" in [c.name for c in queryset]
    assert all(c.credit_code and len(c.credit_code) == 18 for c in Customer.objects.all())


def test_demo_command_prints_logins_when_run(capsys):
    call_command("demo", "--customers", "3")
    out = capsys.readouterr().out
    assert "Loaded 3 demo customers." in out
    assert "salesmgr" in out and "suanpan-demo" in out


def test_demo_command_refuses_negative_count_when_given():
    with pytest.raises(SystemExit):
        call_command("demo", "--customers", "-1")

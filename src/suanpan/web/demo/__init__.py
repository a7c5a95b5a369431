"""The demo data's old import path, kept while callers move to `suanpan.demo`."""

from suanpan.demo.customers import credit_code
from suanpan.demo.load import demo_load
from suanpan.demo.users import DEMO_PASSWORD, DEMO_USERS, DemoUser

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoUser", "credit_code", "demo_load"]

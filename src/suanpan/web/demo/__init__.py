"""The demo data's old import path, kept while callers move to `suanpan.demo`."""

from suanpan.demo.customers import DEMO_PASSWORD, DEMO_USERS, DemoUser, credit_code, demo_load

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoUser", "credit_code", "demo_load"]

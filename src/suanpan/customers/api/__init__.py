"""/api/v1/customers: one module per document, each adding its operations to `router`,
which the project's API mounts."""

from suanpan.customers.api import contacts, customers, followups
from suanpan.customers.api._common import router

__all__ = ["contacts", "customers", "followups", "router"]

"""The customer picker's former import path, kept for document forms that still use it.

New code imports `CustomerPicker` and `customer_picker_use` from `suanpan.customers.forms`.
"""

from suanpan.customers.forms.widgets import CustomerPicker, customer_picker_use

__all__ = ["CustomerPicker", "customer_picker_use"]

"""Customer forms and the customer picker widget other apps' document forms use."""

from suanpan.customers.forms.contacts import AddressForm, ContactForm
from suanpan.customers.forms.customers import CustomerForm, MergeForm
from suanpan.customers.forms.followups import FollowUpForm
from suanpan.customers.forms.imports import ImportForm
from suanpan.customers.widgets import CustomerPicker, customer_picker_use

__all__ = [
    "AddressForm",
    "ContactForm",
    "CustomerForm",
    "CustomerPicker",
    "FollowUpForm",
    "ImportForm",
    "MergeForm",
    "customer_picker_use",
]

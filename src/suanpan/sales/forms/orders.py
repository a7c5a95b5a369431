"""Sales order forms: input validation only; the order services save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import customer_picker_use
from suanpan.sales.models import SalesOrder
from suanpan.sales.services.lines import LineInput
from suanpan.sales.services.orders import OrderInput
from suanpan.users.models import User


class OrderForm(StyledFormMixin, forms.ModelForm):
    """The order's header; its lines come from the shared line grid (`sales.forms.lines`)."""

    class Meta:
        model = SalesOrder
        fields = [
            "customer",
            "ordered_on",
            "delivery_due_on",
            "price_includes_tax",
            "customer_reference",
            "contact_name",
            "contact_phone",
            "delivery_address",
            "owner",
            "notes",
        ]
        widgets = {
            "ordered_on": DateInput(),
            "delivery_due_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customers = customer_visible(user=user)
        if self.instance.pk:
            customers = customers.filter(
                Q(pk=self.instance.customer_id) | ~Q(status=CustomerStatus.CLOSED)
            )
        else:
            customers = customers.exclude(status=CustomerStatus.CLOSED)
        customer_field = cast(forms.ModelChoiceField, self.fields["customer"])
        customer_field.queryset = customers.order_by("name_pinyin", "id")
        customer_picker_use(customer_field)
        owner_field = cast(forms.ModelChoiceField, self.fields["owner"])
        owner_field.queryset = User.objects.filter(is_active=True).order_by("display_name")
        owner_field.required = False
        if not user.has_perm("customers.view_all_customers"):
            # A salesperson owns the orders they enter; a manager may enter them for others.
            self.fields.pop("owner")
        self.fields["delivery_due_on"].help_text = _("When the customer expects the goods.")
        if not self.instance.pk:
            self.fields["delivery_address"].help_text = _(
                "Left blank, the goods go to the customer's shipping address."
            )

    def _post_clean(self) -> None:
        # Model validation is the service's job, in one place.
        pass

    def order_input(self, lines: list[LineInput], **links: Any) -> OrderInput:
        data = self.cleaned_data
        return OrderInput(
            customer=data["customer"],
            ordered_on=data["ordered_on"],
            delivery_due_on=data.get("delivery_due_on"),
            price_includes_tax=data.get("price_includes_tax", False),
            customer_reference=data.get("customer_reference") or "",
            delivery_address=data.get("delivery_address") or "",
            contact_name=data.get("contact_name") or "",
            contact_phone=data.get("contact_phone") or "",
            notes=data.get("notes") or "",
            owner=data.get("owner"),
            lines=lines,
            **links,
        )


class ConfirmForm(StyledFormMixin, forms.Form):
    credit_approval_reason = forms.CharField(
        label=_("Reason for approving the excess"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why is the order cancelled?"), max_length=300)


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class FromSourceForm(StyledFormMixin, forms.Form):
    ordered_on = forms.DateField(label=_("Order date"), widget=DateInput())

"""Quote forms: input validation only; services save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import customer_picker_use
from suanpan.sales.models import Opportunity, Quote
from suanpan.sales.services.quotes import QUOTE_FIELDS
from suanpan.users.models import User


class OpportunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.customer.name})"


class QuoteForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["customer", *QUOTE_FIELDS]
        field_classes = {"opportunity": OpportunityChoiceField}
        widgets = {
            "quoted_on": DateInput(),
            "valid_until": DateInput(),
            "terms": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer_field = cast(forms.ModelChoiceField, self.fields["customer"])
        opportunity_field = cast(forms.ModelChoiceField, self.fields["opportunity"])
        visible = customer_visible(user=user)
        if self.instance.pk:
            # The customer of a quote never changes; copy the quote for another customer.
            customer_field.queryset = visible.filter(pk=self.instance.customer_id)
            customer_field.disabled = True
            opportunities = Opportunity.objects.filter(customer_id=self.instance.customer_id)
        else:
            customer_field.queryset = visible.exclude(status=CustomerStatus.CLOSED)
            # Only the chosen customer's opportunities: a list of everyone's would be endless.
            customer_id = self.data.get("customer") or self.initial.get("customer")
            opportunities = Opportunity.objects.filter(
                customer__in=visible.values("pk"), customer_id=customer_id or 0
            )
            if not customer_id:
                opportunity_field.help_text = _(
                    "Start the quote from its opportunity's page to link the two."
                )
            self.fields["valid_until"].required = False
            self.fields["valid_until"].help_text = _("Blank for 30 days after the quote date.")
        opportunity_field.queryset = opportunities.filter(
            Q(closed_on__isnull=True) | Q(pk=self.instance.opportunity_id or 0)
        ).select_related("customer")
        opportunity_field.required = False
        customer_picker_use(customer_field)
        self.fields["price_includes_tax"].help_text = _(
            "Unit prices as entered include VAT; tax is separated out per line."
        )

    def _post_clean(self) -> None:
        # Model validation (dates, opportunity) is the service's job, in one place.
        pass

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in QUOTE_FIELDS}
        if not data["valid_until"]:
            data.pop("valid_until")
        return data


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=100, required=False)

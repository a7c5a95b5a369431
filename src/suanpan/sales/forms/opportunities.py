"""Opportunity, stage, move and forecast forms: input validation only; services save."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.date_checks import report_date_problem
from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import customer_picker_use
from suanpan.sales.filters.opportunities import month_parse
from suanpan.sales.models import Opportunity, OpportunityStage
from suanpan.sales.services.opportunities import OPPORTUNITY_FIELDS
from suanpan.users.models import User

HUNDRED = Decimal(100)


class OpportunityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = list(OPPORTUNITY_FIELDS)  # what the services take
        widgets = {
            "expected_close_on": DateInput(),
            "closed_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance if self.instance.pk else None
        customer_field = cast(forms.ModelChoiceField, self.fields["customer"])
        stage_field = cast(forms.ModelChoiceField, self.fields["stage"])
        owner_field = cast(forms.ModelChoiceField, self.fields["owner"])
        customers = customer_visible(user=user).exclude(status=CustomerStatus.CLOSED)
        if current is not None:
            customers = customer_visible(user=user).filter(
                Q(pk=current.customer_id) | ~Q(status=CustomerStatus.CLOSED)
            )
        customer_field.queryset = customers
        customer_picker_use(customer_field)
        stages = Q(is_active=True)
        if current is not None:
            stages |= Q(pk=current.stage_id)
        stage_field.queryset = OpportunityStage.objects.filter(stages).order_by("position", "id")
        stage_field.empty_label = None
        owner_field.queryset = User.objects.filter(is_active=True).order_by("display_name")
        owner_field.required = False
        if not user.has_perm("sales.view_all_opportunities"):
            # A salesperson owns what they enter; a manager hands opportunities over.
            self.fields.pop("owner")
        self.fields["loss_reason"].help_text = _("Required when the stage is a lost stage.")

    def _post_clean(self) -> None:
        # Model validation is the service's job, in one place.
        pass

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("owner") is None:
            data.pop("owner", None)
        return data


class StageForm(StyledFormMixin, forms.ModelForm):
    probability_percent = forms.DecimalField(
        label=_("Win probability (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
        help_text=_("From 0 to 100; the pipeline weighs amounts by it."),
    )

    class Meta:
        model = OpportunityStage
        fields = ["name", "probability_percent", "outcome", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["probability_percent"] = (self.instance.probability * HUNDRED).normalize()

    def _post_clean(self) -> None:
        pass

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["probability"] = data.pop("probability_percent") / HUNDRED
        return data


class MoveForm(StyledFormMixin, forms.Form):
    stage = forms.ModelChoiceField(
        queryset=OpportunityStage.objects.filter(is_active=True), label=_("Move to")
    )
    loss_reason = forms.CharField(
        label=_("Loss reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ForecastForm(StyledFormMixin, forms.Form):
    start = forms.CharField(
        label=_("From month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    months = forms.IntegerField(
        label=_("Months"), min_value=1, max_value=36, required=False, initial=12
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("display_name"),
        label=_("Owner"),
        required=False,
        empty_label=_("All owners"),
    )

    def clean_start(self) -> date | None:
        value = self.cleaned_data.get("start") or ""
        if not value:
            return None
        month = month_parse(value)
        if month is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        problem = report_date_problem(month, plan=True)
        if problem:
            raise forms.ValidationError(problem)
        return month

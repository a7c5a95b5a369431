"""The filter form every report page shares; each report keeps the fields it needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from suanpan.core.date_checks import report_date_problem
from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.ledger import calculations, selectors
from suanpan.ledger.forms.vouchers import candidates_message
from suanpan.ledger.models import Account, Dimension

LEVELS = [("", gettext_lazy("All levels")), ("1", "1"), ("2", "2"), ("3", "3")]


def _period_choices() -> list[tuple[str, str]]:
    return [(p.key, f"{p.year}-{p.month:02d}") for p in selectors.period_choices()]


def _account_choices() -> list[tuple[str, str]]:
    return [(a.code, f"{a.code} {a.name}") for a in selectors.account_choices()]


class ReportForm(StyledFormMixin, forms.Form):
    """Filters shared by the reports; each report keeps the fields it needs."""

    fields_used: tuple[str, ...] = ()

    account = forms.ChoiceField(label=gettext_lazy("Account"))
    customer = forms.CharField(
        label=gettext_lazy("Customer"),
        max_length=240,
        required=False,
        help_text=gettext_lazy("Number, name or pinyin"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "sp-lookup",
            }
        ),
    )
    period_from = forms.ChoiceField(label=gettext_lazy("From period"))
    period_to = forms.ChoiceField(label=gettext_lazy("To period"))
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=LEVELS, required=False)
    date_from = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), widget=DateInput())
    as_of = forms.DateField(label=gettext_lazy("As of"), widget=DateInput())
    bounds = forms.CharField(
        label=gettext_lazy("Bucket bounds (days)"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Upper bounds separated by commas, e.g. 30,90,180,365."),
    )
    basis = forms.ChoiceField(
        label=gettext_lazy("Age by"), choices=selectors.AgeingBasis.choices, required=False
    )
    show_all = forms.BooleanField(label=gettext_lazy("Settled items too"), required=False)

    def __init__(self, data: Any, *, use: tuple[str, ...], defaults: dict[str, Any]) -> None:
        merged = {k: v for k, v in defaults.items() if v is not None}
        merged.update({k: v for k, v in data.items() if k in use and v != ""})
        super().__init__(merged)
        for name in list(self.fields):
            if name not in use:
                del self.fields[name]
        if "period_from" in self.fields:
            choices = _period_choices()
            self.fields["period_from"].choices = choices  # type: ignore[attr-defined]
            self.fields["period_to"].choices = choices  # type: ignore[attr-defined]
        if "account" in self.fields:
            self.fields["account"].choices = _account_choices()  # type: ignore[attr-defined]
        if "customer" in self.fields:
            self.fields["customer"].widget.attrs["data-lookup"] = reverse("ledger:customer_lookup")

    def clean_customer(self) -> Dimension | None:
        text = self.cleaned_data.get("customer", "").strip()
        if not text:
            return None
        found = selectors.dimension_resolve(text=text)
        if isinstance(found, Dimension):
            return found
        raise forms.ValidationError(
            candidates_message(found, none=_("No customer in the books matches this."))
        )

    def clean_account(self) -> Account:
        account = selectors.account_by_code(code=self.cleaned_data["account"])
        if account is None:
            raise forms.ValidationError(_("Choose an account."))
        return account

    def clean_bounds(self) -> tuple[calculations.Bucket, ...]:
        text = self.cleaned_data.get("bounds", "").replace("，", ",").strip()
        if not text:
            return calculations.DEFAULT_BUCKETS
        try:
            return calculations.buckets_from_days([int(x) for x in text.split(",") if x.strip()])
        except ValueError as exc:
            raise forms.ValidationError(
                _(
                    "Enter up to %(count)s increasing whole numbers of days from 1 to "
                    "%(days)s, e.g. 30,90,180,365."
                )
                % {"count": calculations.MAX_BUCKETS, "days": calculations.MAX_BUCKET_DAYS}
            ) from exc

    def clean_as_of(self) -> Any:
        as_of = self.cleaned_data.get("as_of")
        problem = report_date_problem(as_of) if as_of else None
        if problem:
            raise forms.ValidationError(problem)
        return as_of

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("period_from", "period_to"):
            if name in data:
                data[name] = selectors.period_by_key(data[name])
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and (start.year, start.month) > (end.year, end.month):
            self.add_error("period_to", _("The range ends before it starts."))
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The range ends before it starts."))
        return data

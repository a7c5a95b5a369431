"""Input validation for the ledger's pages; the services decide and write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import StyledFormMixin
from suanpan.ledger import selectors
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import AccountingStandard, AccountRole, RevenuePolicy, VoucherWord
from suanpan.ledger.models import Account, Company, Dimension

WORD_SETS = (("记", _("记 only")), ("收付转", _("收, 付 and 转")))


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month picker); its value is the first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y%m", "%Y-%m-%d"]

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        return result.replace(day=1) if result else None


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


class CompanySetupForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    tax_number = forms.CharField(label=_("Taxpayer number"), max_length=20, required=False)
    standard = forms.ChoiceField(
        label=_("Accounting standard"),
        choices=AccountingStandard.choices,
        help_text=_("Chooses the chart of accounts; fixed once vouchers exist."),
    )
    revenue_policy = forms.ChoiceField(
        label=_("Revenue recognition"), choices=RevenuePolicy.choices
    )
    first_period = MonthField(
        label=_("First open period"),
        initial=_this_month,
        help_text=_("The first month the books hold; fixed once vouchers exist."),
    )
    voucher_words = forms.ChoiceField(label=_("Voucher words"), choices=WORD_SETS)


class CompanyForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    tax_number = forms.CharField(label=_("Taxpayer number"), max_length=20, required=False)
    revenue_policy = forms.ChoiceField(
        label=_("Revenue recognition"), choices=RevenuePolicy.choices
    )
    voucher_words = forms.ChoiceField(label=_("Voucher words"), choices=WORD_SETS)
    default_word = forms.ChoiceField(label=_("Default voucher word"), choices=VoucherWord.choices)

    @classmethod
    def for_company(cls, company: Company, data: Any = None) -> CompanyForm:
        return cls(
            data,
            initial={
                "name": company.name,
                "tax_number": company.tax_number,
                "revenue_policy": company.revenue_policy,
                "voucher_words": company.voucher_words,
                "default_word": company.default_word,
            },
        )


class RoleForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=AccountRole.choices)
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), to_field_name="code"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = selectors.postable_accounts()  # type: ignore[attr-defined]


class SubAccountForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        help_text=_("The parent's code, a dot and a number: 1122.03"),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    requires_customer = forms.BooleanField(label=_("Customer dimension required"), required=False)
    is_open_item = forms.BooleanField(label=_("Open-item managed"), required=False)


class VoucherForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    word = forms.ChoiceField(label=_("Word"), choices=VoucherWord.choices)
    summary = forms.CharField(label=_("Summary"), max_length=200)
    attachments = forms.IntegerField(label=_("Attachments"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, words: str = "记", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["word"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in VoucherWord.choices if value in words
        ]


class LineForm(StyledFormMixin, forms.Form):
    """One row of the entry grid: account and customer typed as "code name", one amount."""

    account = forms.CharField(label=_("Account"), max_length=140, required=False)
    dimension = forms.CharField(label=_("Customer"), max_length=240, required=False)
    summary = forms.CharField(label=_("Line summary"), max_length=200, required=False)
    debit = forms.DecimalField(
        label=_("Debit"), max_digits=16, decimal_places=2, required=False, localize=False
    )
    credit = forms.DecimalField(
        label=_("Credit"), max_digits=16, decimal_places=2, required=False, localize=False
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("account") or data.get("debit") or data.get("credit"))

    def clean_account(self) -> Account | None:
        text = (self.cleaned_data.get("account") or "").strip()
        if not text:
            return None
        account = selectors.account_by_code(code=text.split(" ")[0])
        if account is None:
            raise forms.ValidationError(_("No account with this code."))
        return account

    def clean_dimension(self) -> Dimension | None:
        text = (self.cleaned_data.get("dimension") or "").strip()
        if not text:
            return None
        dimension = selectors.dimension_by_code(code=text.split(" ")[0])
        if dimension is None:
            raise forms.ValidationError(_("No customer with this number."))
        return dimension

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_blank() and data.get("account") is None and not self.errors.get("account"):
            self.add_error("account", _("Choose an account."))
        return data

    def amounts(self) -> tuple[Decimal, Decimal]:
        return (self.cleaned_data.get("debit") or ZERO, self.cleaned_data.get("credit") or ZERO)


LineFormSet = forms.formset_factory(LineForm, extra=0, max_num=200, absolute_max=200)


class ReverseForm(StyledFormMixin, forms.Form):
    on = forms.DateField(
        label=_("Date of the red voucher"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    summary = forms.CharField(label=_("Summary"), max_length=200, required=False)


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)

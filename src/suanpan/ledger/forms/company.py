"""The company set-up and settings forms and the account-role form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import StyledFormMixin
from suanpan.ledger import selectors
from suanpan.ledger.choices import AccountingStandard, AccountRole, RevenuePolicy, VoucherWord
from suanpan.ledger.models import Account, Company

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
    credit_hold_overdue_days = forms.IntegerField(
        label=_("Hold orders when overdue by more than (days)"),
        min_value=0,
        max_value=3650,
        required=False,
        help_text=_("0: overdue debts do not hold orders."),
    )

    def clean_credit_hold_overdue_days(self) -> int:
        # Left empty (or not sent by an older page): the setting stays as it is.
        value = self.cleaned_data.get("credit_hold_overdue_days")
        return self.initial.get("credit_hold_overdue_days", 0) if value is None else value

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
                "credit_hold_overdue_days": company.credit_hold_overdue_days,
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

"""Transfer templates: the template and its grid of lines. Input validation only; the service
checks what the lines make together (one balancing line, rates that balance)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.errors import DomainError
from suanpan.core.forms import StyledFormMixin, grid_cells_name, plain
from suanpan.ledger import selectors
from suanpan.ledger.choices import Direction, TransferBasis
from suanpan.ledger.models import Account, TransferTemplate
from suanpan.ledger.services import TemplateInput, TemplateLineInput

HUNDRED = Decimal(100)
LINE_PREFIX = "lines"
MAX_LINES = 50
# The line form's names for the service's line fields ("lines.2.rate" → the percentage cell).
SERVICE_FIELDS = {"rate": "percentage"}


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class TransferTemplateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    summary = forms.CharField(
        label=_("Voucher summary"),
        max_length=200,
        required=False,
        help_text=_("Blank: the template's name. The month is added: 计提附加税 (2026-01)."),
    )
    sequence = forms.IntegerField(
        label=pgettext_lazy("sort order", "Order"),
        min_value=0,
        max_value=32767,
        initial=10,
        help_text=_("Templates run in this order, lowest first."),
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("transfer template", "Active"), required=False, initial=True
    )


class TransferLineForm(StyledFormMixin, forms.Form):
    """One line: the account posted and its side; the amount as a percentage of an account's
    balance or month's movement, the line account's whole balance, or the balancing rest."""

    account = AccountChoiceField(label=_("Account"), queryset=Account.objects.none())
    direction = forms.ChoiceField(label=_("Side"), choices=Direction.choices)
    basis = forms.ChoiceField(label=_("Amount from"), choices=TransferBasis.choices)
    source_account = AccountChoiceField(
        label=_("Of account"), queryset=Account.objects.none(), required=False
    )
    percentage = forms.DecimalField(
        label=_("Percentage"),
        max_digits=8,
        decimal_places=4,
        required=False,
        localize=False,
        validators=[MaxValueValidator(HUNDRED, _("Enter a percentage above 0 and at most 100."))],
    )
    summary = forms.CharField(label=_("Line summary"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["account"]
        ).queryset = selectors.postable_accounts()
        cast(
            forms.ModelChoiceField, self.fields["source_account"]
        ).queryset = selectors.account_list().filter(is_active=True)
        for name in self.fields:
            self.fields[name].widget.attrs["class"] += " form-control-sm"
        self.fields["percentage"].widget.attrs.update({"inputmode": "decimal"})
        grid_cells_name(
            self, ("account", "direction", "basis", "source_account", "percentage", "summary")
        )

    def has_changed(self) -> bool:
        # Side and basis always hold a choice: a row counts once anything else is entered.
        return any(
            self.data.get(self.add_prefix(name))
            for name in ("account", "source_account", "percentage", "summary")
        )

    def line_input(self) -> TemplateLineInput:
        data = self.cleaned_data
        percentage = data.get("percentage")
        return TemplateLineInput(
            account=data["account"],
            direction=data["direction"],
            basis=data["basis"],
            source_account=data.get("source_account"),
            rate=percentage / HUNDRED if percentage is not None else None,
            summary=data.get("summary") or "",
        )


class BaseTransferLineFormSet(forms.BaseFormSet):
    def initial_form_count(self) -> int:
        return 0 if self.is_bound else super().initial_form_count()

    def filled_forms(self) -> list[TransferLineForm]:
        return [f for f in self.forms if f.has_changed()]

    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and len(self.filled_forms()) < 2:
            raise forms.ValidationError(_("A template has at least two lines."))

    def line_inputs(self) -> list[TemplateLineInput]:
        return [form.line_input() for form in self.filled_forms()]

    def add_domain_error(self, error: DomainError) -> bool:
        """Put the service's `lines.N.field` messages on the rows entered; True if any was."""
        filled = self.filled_forms()
        placed = False
        for name, messages in error.fields.items():
            parts = name.split(".")
            if len(parts) != 3 or parts[0] != LINE_PREFIX or not parts[1].isdigit():
                continue
            index, field = int(parts[1]), SERVICE_FIELDS.get(parts[2], parts[2])
            if index < len(filled) and field in filled[index].fields:
                for message in messages:
                    filled[index].add_error(field, message)
                placed = True
        return placed


TransferLineFormSet = forms.formset_factory(
    TransferLineForm,
    formset=BaseTransferLineFormSet,
    extra=3,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=MAX_LINES,
)


def transfer_line_formset(
    data: Any = None, *, template: TransferTemplate | None = None
) -> BaseTransferLineFormSet:
    """A bound formset for a POST, or one filled from the template's lines and three blank
    rows."""
    if data is not None:
        return cast(BaseTransferLineFormSet, TransferLineFormSet(data, prefix=LINE_PREFIX))
    initial = [
        {
            "account": line.account_id,
            "direction": line.direction,
            "basis": line.basis,
            "source_account": line.source_account_id,
            "percentage": plain(line.rate * HUNDRED) if line.rate is not None else None,
            "summary": line.summary,
        }
        for line in (template.lines.all() if template is not None else ())
    ]
    if template is None:
        initial = [{"direction": Direction.DEBIT, "basis": TransferBasis.BALANCING}]
    return cast(BaseTransferLineFormSet, TransferLineFormSet(prefix=LINE_PREFIX, initial=initial))


def template_input(form: TransferTemplateForm, formset: BaseTransferLineFormSet) -> TemplateInput:
    data = form.cleaned_data
    return TemplateInput(
        name=data["name"],
        summary=data.get("summary") or "",
        sequence=data["sequence"],
        is_active=bool(data.get("is_active")),
        lines=formset.line_inputs(),
    )

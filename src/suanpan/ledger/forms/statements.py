"""Financial statements: which month and format, the rows of a definition, the counter-account
mapping, and tagging cash lines in bulk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.forms import StyledFormMixin, grid_cells_name
from suanpan.ledger import selectors
from suanpan.ledger.calculations.statements import RowInput
from suanpan.ledger.choices import StatementFormat, StatementRowKind, StatementSide
from suanpan.ledger.models import Period
from suanpan.ledger.services import MappingInput


def _period_choices() -> list[tuple[str, str]]:
    return [(p.key, f"{p.year}-{p.month:02d}") for p in reversed(selectors.period_choices())]


class StatementForm(StyledFormMixin, forms.Form):
    """The month (a period of the books) and the official format."""

    period = forms.ChoiceField(label=_("Month"))
    format = forms.ChoiceField(label=_("Format"), choices=StatementFormat.choices)

    def __init__(self, data: Any, *, default_period: str, default_format: str) -> None:
        values = {"period": default_period, "format": default_format}
        if data:
            values.update({k: data[k] for k in ("period", "format") if data.get(k)})
        super().__init__(values)
        self.fields["period"].choices = _period_choices()  # type: ignore[attr-defined]

    def month(self) -> selectors.Month:
        return selectors.statement_month(self.cleaned_data["period"])


class DefinitionRowForm(StyledFormMixin, forms.Form):
    line_no = forms.IntegerField(label=_("Line no."), required=False, min_value=1, max_value=9999)
    label = forms.CharField(label=_("Label"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=StatementRowKind.choices)
    formula = forms.CharField(label=_("Formula"), max_length=1000, required=False)
    side = forms.ChoiceField(label=_("Side"), choices=StatementSide.choices, required=False)
    indent = forms.IntegerField(
        label=_("Indent"), min_value=0, max_value=4, initial=0, required=False
    )
    # The part a row plays in the checks (total assets, net profit …), carried along unseen.
    key = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grid_cells_name(self, ("line_no", "label", "kind", "formula", "side", "indent"))

    def row(self) -> RowInput:
        data = self.cleaned_data
        return RowInput(
            data.get("line_no"),
            data.get("label") or "",
            data.get("kind") or "",
            data.get("formula") or "",
            data.get("key") or "",
            data.get("side") or StatementSide.LEFT,
            data.get("indent") or 0,
        )


class _GridFormSet(forms.BaseFormSet):
    """Rows of a grid: the position and delete cells named like the others."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        names = [name for name in ("ORDER", "DELETE") if name in form.fields]
        grid_cells_name(form, names)
        if "ORDER" in form.fields:
            form.fields["ORDER"].widget.attrs["class"] = "form-control form-control-sm"
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


DefinitionFormSet = forms.formset_factory(
    DefinitionRowForm,
    formset=_GridFormSet,
    extra=2,
    can_delete=True,
    can_order=True,
    max_num=200,
    absolute_max=200,
)


def _item_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(i.code, f"{i.code} {i.name}") for i in selectors.cash_flow_items()]


class MappingRowForm(StyledFormMixin, forms.Form):
    account = forms.CharField(label=_("Counter-account"), max_length=30)
    inflow = forms.ChoiceField(label=pgettext_lazy("cash flow", "Money received"), required=False)
    outflow = forms.ChoiceField(label=pgettext_lazy("cash flow", "Money paid"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grid_cells_name(self, ("account", "inflow", "outflow"))
        choices = _item_choices()
        self.fields["inflow"].choices = choices  # type: ignore[attr-defined]
        self.fields["outflow"].choices = choices  # type: ignore[attr-defined]

    def row(self) -> MappingInput:
        data = self.cleaned_data
        return MappingInput(
            (data.get("account") or "").strip().split(" ")[0],
            data.get("inflow") or "",
            data.get("outflow") or "",
        )


MappingFormSet = forms.formset_factory(
    MappingRowForm, formset=_GridFormSet, extra=3, can_delete=True, max_num=500, absolute_max=500
)


class CashLinesForm(StyledFormMixin, forms.Form):
    """Which cash lines the tagging page lists."""

    period_from = forms.ChoiceField(label=_("From period"))
    period_to = forms.ChoiceField(label=_("To period"))
    all_lines = forms.BooleanField(label=_("Tagged lines too"), required=False)

    def __init__(self, data: Any, *, default_period: str) -> None:
        values: dict[str, Any] = {"period_from": default_period, "period_to": default_period}
        if data:
            values.update({k: data[k] for k in ("period_from", "period_to") if data.get(k)})
            values["all_lines"] = data.get("all_lines") in ("1", "on", "true")
        super().__init__(values)
        choices = _period_choices()
        self.fields["period_from"].choices = choices  # type: ignore[attr-defined]
        self.fields["period_to"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        periods = {}
        for name in ("period_from", "period_to"):
            if data.get(name):
                periods[name] = selectors.period_by_key(data[name])
        start, end = periods.get("period_from"), periods.get("period_to")
        if start and end and (start.year, start.month) > (end.year, end.month):
            self.add_error("period_to", _("The range ends before it starts."))
        data.update(periods)
        return data

    def periods(self) -> tuple[Period, Period]:
        return self.cleaned_data["period_from"], self.cleaned_data["period_to"]


class TagForm(StyledFormMixin, forms.Form):
    """The item for the lines ticked on the tagging page; blank takes their items off."""

    item = forms.ChoiceField(label=_("Cash-flow item"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("— no item —"))] + [  # type: ignore[attr-defined]
            (i.code, f"{i.code} {i.name}") for i in selectors.cash_flow_items(active_only=True)
        ]

"""Form helpers shared by every app: Bootstrap styling and domain errors shown next to fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.contrib import messages as flash
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIteratorValue
from django.forms.renderers import BaseRenderer, get_default_renderer
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _

from suanpan.core.errors import DomainError
from suanpan.core.limits import TEXT_MAX_LENGTH

T = TypeVar("T")

_WIDGETS = "django/forms/widgets/"
_OPTION = f"{_WIDGETS}select_option.html"


def _text(value: Any) -> str | None:
    """What `{{ value|stringformat:'s' }}` prints for the plain values widgets carry (text,
    lazy text, whole numbers, model choice values); None for anything else."""
    if isinstance(value, ModelChoiceIteratorValue):
        value = value.value  # type: ignore[attr-defined]
    if isinstance(value, str | Promise) or type(value) is int:
        return str(conditional_escape(str(value)))
    return None


def _label(value: Any) -> str | None:
    """What `{{ label }}` prints for text; None for values the template would localise."""
    return str(conditional_escape(str(value))) if isinstance(value, str | Promise) else None


def _attrs(attrs: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
            continue
        text = _text(value)
        if text is None:
            return None
        out.append(f' {conditional_escape(name)}="{text}"')
    return "".join(out)


def _input(widget: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/input.html (and text.html, date.html … that include it)."""
    attrs = _attrs(widget["attrs"])
    value = widget["value"]
    shown = "" if value is None else _text(value)
    if attrs is None or shown is None:
        return None
    if value is not None:
        shown = f' value="{shown}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{shown}{attrs}>'


def _select(widget: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/select.html with its select_option.html includes."""
    attrs = _attrs(widget["attrs"])
    if attrs is None:
        return None
    out = [f'<select name="{conditional_escape(widget["name"])}"{attrs}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            label = _label(group_name)
            if label is None:
                return None
            out.append(f'\n  <optgroup label="{label}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            value, label, option_attrs = (
                _text(option["value"]),
                _label(option["label"]),
                _attrs(option["attrs"]),
            )
            if value is None or label is None or option_attrs is None:
                return None
            out.append(f'\n  <option value="{value}"{option_attrs}>{label}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


_FAST: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    f"{_WIDGETS}input.html": _input,
    f"{_WIDGETS}select.html": _select,
    **{
        f"{_WIDGETS}{kind}.html": _input
        for kind in (
            "text",
            "date",
            "datetime",
            "time",
            "number",
            "email",
            "search",
            "tel",
            "url",
            "hidden",
            "password",
        )
    },
}


class WidgetRenderer(BaseRenderer):
    """The default form renderer, with the common widgets (inputs, selects) written out in
    Python: the same bytes as Django's widget templates (which a renderer strips), without an
    include per option and attribute. List pages render their filter widgets on every request; anything unusual (a
    date label, a custom option template) falls back to the templates."""

    def get_template(self, template_name: str) -> Any:
        return get_default_renderer().get_template(template_name)

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        fast = _FAST.get(template_name)
        if fast is not None and "widget" in context:
            html = fast(context["widget"])
            if html is not None:
                return html
        return get_default_renderer().render(template_name, context, request)


WIDGET_RENDERER = WidgetRenderer()

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker, for every date field and date filter.

    `<input type="date">` takes its value in ISO form only (YYYY-MM-DD) and shows it in the
    user's language itself; Django's DateInput writes the value in the active language's format
    (2026/12/02 in zh-Hans), which the browser drops, leaving the field empty. So the format is
    fixed here whatever the language; reading keeps accepting ISO in every language.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


def date_iso(value: Any) -> str:
    """A date as the date picker needs its value (what DateInput renders); other values (a
    string typed in and sent back) unchanged, None as ""."""
    if value is None:
        return ""
    return str(DateInput().format_value(value) or "")


class StyledFormMixin:
    """Give widgets the CSS classes of the UI framework, and free text (a `TextField`'s
    textarea, which has no column length) the limit `core.limits.TEXT_MAX_LENGTH` that the API
    holds it to; forms stay input validation only."""

    default_renderer: BaseRenderer | type[BaseRenderer] | None = WIDGET_RENDERER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
                widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def form_add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's error on the form: field messages by their fields, the rest on top."""
    placed = False
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def form_service_submit(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[], T],
    *,
    done: Callable[[T], HttpResponse],
    message: str | Callable[[T], str] = "",
    valid: bool | None = None,
    on_error: Callable[[DomainError], None] | None = None,
) -> HttpResponse | None:
    """A page's submit: when the POST is valid (`valid`, else `form.is_valid()`), run the service
    `call`; its DomainError goes on the form (`on_error`, else form_add_domain_error), success
    flashes `message` and answers `done(result)`. None means: render the form (again)."""
    if request.method != "POST" or not (form.is_valid() if valid is None else valid):
        return None
    try:
        result = call()
    except DomainError as exc:
        if on_error is None:
            form_add_domain_error(form, exc)
        else:
            on_error(exc)
        return None
    text = message(result) if callable(message) else message
    if text:
        flash.success(request, text)
    return done(result)


def flash_refusal(
    request: HttpRequest,
    *,
    error: DomainError | None = None,
    form: forms.BaseForm | None = None,
    headline: bool = False,
) -> None:
    """Why a button on a record's page did nothing, as page messages: each of the service
    error's field messages (its message when it names no field; first as well with
    `headline`, for a service whose message says more than "correct the fields"), or each of
    the form's errors."""
    texts: list[Any] = []
    if error is not None:
        texts = [text for texts in error.fields.values() for text in texts]
        if headline or not texts:
            texts.insert(0, error.message)
    elif form is not None:
        texts = [text for texts in form.errors.values() for text in texts]
    for text in texts:
        flash.error(request, text)


def plain(value: Decimal | None) -> str:
    """A decimal for a form field, without trailing zeros and never in exponent form:
    100.000 → "100"; None → ""."""
    return "" if value is None else format(value.normalize(), "f")


def grid_cells_name(form: forms.BaseForm, names: Iterable[str], *, row_header: bool = True) -> None:
    """Name a grid row's cells for screen readers by their column header and, with
    `row_header`, by their row's header (its line number): `aria-labelledby` lists the ids
    `<grid>-col-<field>` and `<row prefix>-no`, which the grid's template gives those headers.
    A form outside a formset (no prefix) is left as it is."""
    if not form.prefix:
        return
    grid = form.prefix.rsplit("-", 1)[0]
    for name in names:
        ids = f"{grid}-col-{name} {form.prefix}-no" if row_header else f"{grid}-col-{name}"
        form.fields[name].widget.attrs["aria-labelledby"] = ids


class LineGridFormSet(forms.BaseFormSet):
    """A document's grid of line rows: a row left blank is no line, and one line at least is
    needed."""

    def initial_form_count(self) -> int:
        # Every posted row may be left blank (and is then no line): none counts as "initial".
        return 0 if self.is_bound else super().initial_form_count()

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.filled_forms():
            raise forms.ValidationError(_("Add at least one line."), code="lines_missing")

    def filled_forms(self) -> list[Any]:
        """The rows entered (changed and valid), in order."""
        return [form for form in self.forms if form.has_changed() and form.is_valid()]

"""The tax-platform page's forms: which requests go out (with an optional template), and the
files the platform gives back. Input checks only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.forms import StyledFormMixin
from suanpan.core.spreadsheets import MAX_BYTES
from suanpan.invoicing.services.platform_files import MAX_XML_BYTES


def _size_check(upload: Any, limit: int) -> Any:
    if upload is not None and upload.size > limit:
        raise forms.ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)}
        )
    return upload


class ExportForm(StyledFormMixin, forms.Form):
    request_ids = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Requests"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one request.")},
    )
    template = forms.FileField(
        label=gettext_lazy("Template from the tax platform"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=gettext_lazy(
            "Optional: the batch-issue template (批量开票-导入开票模板) just downloaded from the "
            "e-tax bureau. Without it a workbook of the same layout (version V260401) is made."
        ),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["request_ids"]
        if isinstance(field, forms.ChoiceField):
            field.choices = choices

    def clean_template(self) -> Any:
        return _size_check(self.cleaned_data.get("template"), MAX_BYTES)


class PlatformFileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
    limit = MAX_BYTES

    def clean_file(self) -> Any:
        return _size_check(self.cleaned_data["file"], self.limit)


class XmlFileForm(PlatformFileForm):
    limit = MAX_XML_BYTES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xml"

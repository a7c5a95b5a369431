"""Transfer templates as the pages and the API read them: the list, one template, the vouchers
it made and its change history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from suanpan.core.forms import plain
from suanpan.core.history import history_entries, history_entries_by_object
from suanpan.ledger.models import (
    TransferTemplate,
    TransferTemplateLine,
    Voucher,
)
from suanpan.ledger.types import TransferSource

# ------------------------------------------------------------------------------ templates


def transfer_template_list(*, active: bool | None = None) -> QuerySet[TransferTemplate]:
    """Templates in the order they run, with their lines' accounts (no N+1)."""
    queryset = TransferTemplate.objects.select_related("created_by").prefetch_related(
        "lines__account", "lines__source_account"
    )
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset.order_by("sequence", "name", "id")


def transfer_template_get(*, pk: int | str) -> TransferTemplate:
    try:
        return transfer_template_list().get(pk=pk)
    except (TransferTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def transfer_template_vouchers(*, template: TransferTemplate, limit: int = 50) -> list[Voucher]:
    """The vouchers the template posted, newest first."""
    return list(
        Voucher.objects.filter(
            source_type=TransferSource.TEMPLATE, source_id__endswith=f"/{template.pk}"
        )
        .select_related("period")
        .order_by("-date", "-id")[:limit]
    )


def transfer_template_history(
    *, template: TransferTemplate, limit: int = 50
) -> list[dict[str, Any]]:
    """Who changed the template and its lines, when and how: newest first."""
    records = list(
        template.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    entries = history_entries(records, limit=limit)
    line_records = list(
        TransferTemplateLine.history.filter(template_id=template.pk)
        .select_related("history_user")
        .order_by("-history_id")[: limit * 4]
    )
    for entry in history_entries_by_object(line_records, subject_field="line_no"):
        entry["subject"] = _("Line %(number)s") % {"number": entry["subject"]}
        for change in entry["changes"]:
            if change["field"] == str(TransferTemplateLine._meta.get_field("rate").verbose_name):
                change["old"] = _percent(change["old"])
                change["new"] = _percent(change["new"])
        entries.append(entry)
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries[:limit]


def _percent(value: Any) -> Any:
    try:
        return f"{plain(Decimal(str(value)) * 100)}%"
    except (ArithmeticError, ValueError):
        return value

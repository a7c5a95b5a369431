"""Duplicates in a customer file: by credit code or by name (compared as name_key: NFKC,
trimmed, spaces collapsed, case folded), within the file and against existing customers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.utils.translation import gettext as _

from suanpan.core.spreadsheet_imports import RowError, chunks
from suanpan.customers import selectors
from suanpan.customers.calculations import name_key
from suanpan.customers.models import Customer
from suanpan.customers.services.import_rows import ImportCandidate, RowChecker
from suanpan.users.models import User


def _name_key(name: str) -> str:
    # Names are the same name after NFKC, trimming and collapsing spaces, and case folding:
    # 北京（海淀）科技 and 北京(海淀)科技 are one customer, as the stored name_key says.
    return name_key(name)


def duplicates_in_file(
    candidates: Iterable[ImportCandidate], validator: RowChecker
) -> list[RowError]:
    errors = []
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    for candidate in candidates:
        customer = candidate.customer
        code = customer.credit_code
        if code and len(code) == 18:
            if code in codes:
                errors.append(
                    RowError(
                        candidate.row,
                        validator.header("credit_code"),
                        _("Same credit code as row %(row)s.") % {"row": codes[code]},
                    )
                )
            else:
                codes[code] = candidate.row
        name = _name_key(customer.name)
        if name:
            if name in names:
                errors.append(
                    RowError(
                        candidate.row,
                        validator.header("name"),
                        _("Same customer name as row %(row)s.") % {"row": names[name]},
                    )
                )
            else:
                names[name] = candidate.row
    return errors


def duplicates_in_db(
    actor: User,
    candidates: Sequence[ImportCandidate],
    *,
    header: Callable[[str], str],
    exclude_pks: Iterable[int] = (),
) -> list[RowError]:
    """Customers that exist already with the same credit code or (case-insensitive) name."""
    exclude = set(exclude_pks)
    codes = sorted({c.customer.credit_code for c in candidates if c.customer.credit_code})
    names = sorted({_name_key(c.customer.name) for c in candidates if c.customer.name.strip()})
    by_code: dict[str, tuple[int, str]] = {}
    by_name: dict[str, tuple[int, str]] = {}
    for chunk in chunks(codes):
        rows = Customer.objects.filter(credit_code__in=chunk)
        for pk, code, number in rows.values_list("pk", "credit_code", "number"):
            if pk not in exclude:  # filtered here: tens of thousands of ids make poor SQL
                by_code[code] = (pk, number)
    # Matched on the stored, indexed name_key: one indexed lookup per 500 names, however many
    # customers there are.
    for chunk in chunks(names):
        rows = Customer.objects.filter(name_key__in=chunk, merged_into__isnull=True)
        for pk, key, number in rows.values_list("pk", "name_key", "number"):
            if pk not in exclude:
                by_name.setdefault(key, (pk, number))
    if not by_code and not by_name:
        return []
    found = {pk for pk, _number in (*by_code.values(), *by_name.values())}
    visible = set(
        selectors.customer_visible(user=actor).filter(pk__in=found).values_list("pk", flat=True)
    )

    def existing(pk: int, number: str) -> str:
        # Tell the number only of customers the importing user may see.
        return number if pk in visible else _("another user's customer")

    errors = []
    for candidate in candidates:
        code = candidate.customer.credit_code
        if code in by_code:
            errors.append(
                RowError(
                    candidate.row,
                    header("credit_code"),
                    _("A customer with this credit code exists already (%(existing)s).")
                    % {"existing": existing(*by_code[code])},
                )
            )
        name = _name_key(candidate.customer.name)
        if name in by_name:
            errors.append(
                RowError(
                    candidate.row,
                    header("name"),
                    _("A customer with this name exists already (%(existing)s).")
                    % {"existing": existing(*by_name[name])},
                )
            )
    return errors

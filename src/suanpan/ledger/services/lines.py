"""Voucher lines: input, the rules a set of lines keeps, roles resolved to accounts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from suanpan.ledger import calculations
from suanpan.ledger.calculations import ZERO, LineAmounts
from suanpan.ledger.choices import (
    AccountRole,
    DimensionKind,
)
from suanpan.ledger.errors import (
    AccountRoleNotMapped,
    DimensionNotFound,
    VoucherInvalid,
    VoucherUnbalanced,
)
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    CashFlowItem,
    Dimension,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.selectors import company_get
from suanpan.ledger.types import PostingEvent, RoleLine


@dataclass(frozen=True)
class LineInput:
    """A voucher line as a person enters it: a leaf account, one amount, maybe a customer."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    dimension: Dimension | None = None
    summary: str = ""
    due_on: date | None = None
    # The line's own document within a voucher posted for several (RoleLine.source_type).
    source_type: str = ""
    source_id: str = ""
    # Cash and bank lines only; posting fills in the mapping's item when none is given.
    cash_flow_item: CashFlowItem | None = None


def _parent_ids(account_ids: Iterable[int]) -> set[int]:
    """Which of these accounts have sub-accounts (and so take no postings): one query."""
    return set(
        Account.objects.filter(parent_id__in=set(account_ids)).values_list("parent_id", flat=True)
    )


def _lines_validate(
    lines: Sequence[LineInput],
    *,
    red: bool,
    parents: set[int] | None = None,
    closing: bool = False,
) -> None:
    """The rules a set of lines keeps. `closing`: period-end transfers empty accounts and
    customers that take no new business too (a deactivated account still holding a balance)."""
    errors: dict[str, list[str]] = {}
    if parents is None:
        parents = _parent_ids(line.account.pk for line in lines)
    if len(lines) < 2:
        errors["lines"] = [_("A voucher has at least two lines.")]
    for index, line in enumerate(lines):
        prefix = f"lines.{index}"
        problem = calculations.line_problem(line.debit, line.credit, red=red)
        if problem == "one_column":
            errors[f"{prefix}.debit"] = [_("Enter an amount in exactly one of debit and credit.")]
        elif problem == "negative":
            errors[f"{prefix}.debit"] = [
                _("Negative amounts appear only in red (reversing) vouchers.")
            ]
        elif problem == "red_positive":
            errors[f"{prefix}.debit"] = [_("A red voucher's amounts are negative.")]
        for amount in (line.debit, line.credit):
            if amount != amount.quantize(Decimal("0.01")):
                errors[f"{prefix}.debit"] = [_("Amounts have at most two decimals.")]
        account = line.account
        if not account.is_active and not closing:
            errors[f"{prefix}.account"] = [
                _("Account %(account)s is deactivated.") % {"account": account}
            ]
        elif account.pk in parents:
            errors[f"{prefix}.account"] = [
                _("Post to a leaf account, not to %(account)s.") % {"account": account}
            ]
        if account.requires_customer and line.dimension is None:
            errors[f"{prefix}.dimension"] = [
                _("Account %(account)s needs a customer.") % {"account": account}
            ]
        if line.dimension is not None and not line.dimension.is_active and not closing:
            errors[f"{prefix}.dimension"] = [
                _("Customer %(dimension)s takes no new postings.") % {"dimension": line.dimension}
            ]
    if errors:
        raise VoucherInvalid(fields=errors)
    debit, credit = calculations.totals(LineAmounts(x.debit, x.credit) for x in lines)
    if debit != credit or debit == 0:
        raise VoucherUnbalanced(debit=f"{debit:,.2f}", credit=f"{credit:,.2f}")


def _line_rows(voucher: Voucher, lines: Sequence[LineInput]) -> list[VoucherLine]:
    """Unsaved line rows of a voucher, numbered from 1; a blank line summary takes the voucher's."""
    return [
        VoucherLine(
            voucher=voucher,
            line_no=index + 1,
            account=line.account,
            dimension=line.dimension,
            summary=line.summary or voucher.summary,
            debit_amount=line.debit,
            credit_amount=line.credit,
            due_on=line.due_on,
        )
        for index, line in enumerate(lines)
    ]


def _lines_write(voucher: Voucher, lines: Sequence[LineInput]) -> list[VoucherLine]:
    return VoucherLine.objects.bulk_create(_line_rows(voucher, lines))


def _word_check(word: str) -> None:
    company = company_get()
    if word not in company.voucher_words:
        raise VoucherInvalid(
            fields={
                "word": [
                    _("Use one of the voucher words %(words)s.") % {"words": company.voucher_words}
                ]
            }
        )


class _Resolver:
    """Roles to accounts and customer numbers to dimensions, each looked up once per call."""

    def __init__(self, roles: Iterable[str]) -> None:
        # Which mapped accounts have sub-accounts (and take no postings) comes in the same query.
        maps = (
            AccountRoleMap.objects.filter(role__in=set(roles))
            .select_related("account")
            .annotate(has_children=Exists(Account.objects.filter(parent_id=OuterRef("account_id"))))
        )
        self.roles: dict[str, Account] = {}
        self.parents: set[int] = set()
        for mapping in maps:
            self.roles[mapping.role] = mapping.account
            if mapping.has_children:
                self.parents.add(mapping.account_id)
        self.dimensions: dict[tuple[str, str], Dimension] = {}

    @classmethod
    def from_rows(
        cls, role_rows: Iterable[Sequence[Any]], dimension_rows: Iterable[Sequence[Any]]
    ) -> _Resolver:
        """A resolver from rows the caller read itself: (role, account id, code, name,
        is_active, requires_customer, is_open_item, has children) and (id, kind, code, name,
        is_active)."""
        resolver = cls.__new__(cls)
        resolver.roles = {}
        resolver.parents = set()
        for role, pk, code, name, active, needs_customer, open_item, has_children in role_rows:
            resolver.roles[role] = Account(
                id=pk,
                code=code,
                name=name,
                is_active=active,
                requires_customer=needs_customer,
                is_open_item=open_item,
            )
            if has_children:
                resolver.parents.add(pk)
        resolver.dimensions = {
            (kind, code): Dimension(id=pk, kind=kind, code=code, name=name, is_active=active)
            for pk, kind, code, name, active in dimension_rows
        }
        return resolver

    def preload(self, events: Iterable[PostingEvent]) -> None:
        wanted = {
            (x.dimension_kind, x.dimension_code)
            for e in events
            for x in e.lines
            if x.dimension_code
        }
        by_kind: dict[str, set[str]] = defaultdict(set)
        for kind, code in wanted:
            by_kind[kind].add(code)
        for kind, codes in by_kind.items():
            for dimension in Dimension.objects.filter(kind=kind, code__in=codes):
                self.dimensions[(kind, dimension.code)] = dimension

    def line(self, line: RoleLine) -> LineInput:
        account = self.roles.get(line.role)
        if account is None:
            raise AccountRoleNotMapped(role=AccountRole(line.role).label)
        dimension = None
        if line.dimension_code:
            key = (line.dimension_kind, line.dimension_code)
            if key not in self.dimensions:
                found = Dimension.objects.filter(kind=key[0], code=key[1]).first()
                if found is None:
                    raise DimensionNotFound(kind=DimensionKind(key[0]).label, code=key[1])
                self.dimensions[key] = found
            dimension = self.dimensions[key]
        return LineInput(
            account,
            line.debit,
            line.credit,
            dimension,
            line.summary,
            line.due_on,
            line.source_type,
            line.source_id,
        )

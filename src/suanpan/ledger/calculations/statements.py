"""Statement formulas: their grammar, the checks a definition must pass, and the figures.

A row's formula is a signed sum of terms:

- an account code with an optional mode, ``1122@debit_detail`` (the account and every
  sub-account below it);
- a line number, ``L12``, in subtotals;
- a cash-flow item code, ``CF101`` (with its sub-items), in the cash-flow statement.

Modes read an account's figures in its own balance direction (a credit account's credit balance
is positive), except the sided ones, which read one side whatever the account's direction:

============== ====================================================================
net            balance at the end of the column (the balance sheet's default)
opening        balance before the column's first month
debit, credit  the account's balance when it is on that side, else 0
debit_detail,  the debit (credit) balances of its detail units — each leaf account
credit_detail  per customer — summed, as 应收账款 takes the debit balances of 1122
movement       movements within the column (the income statement's default); the
               carry-forward to current-year profit is left out of profit-and-loss
               accounts
debit_movement, credit_movement   one side's movements within the column
============== ====================================================================

No Django here: the selectors read the figures, the services store the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from suanpan.ledger.calculations.lines import ZERO

MODES = (
    "net",
    "opening",
    "debit",
    "credit",
    "debit_detail",
    "credit_detail",
    "movement",
    "debit_movement",
    "credit_movement",
)
DETAIL_MODES = frozenset({"debit_detail", "credit_detail"})
# Modes whose figure is the sum of the figures of the accounts below: a drill-down lists them.
ADDITIVE_MODES = frozenset(MODES) - {"debit", "credit"}
MAX_TERMS = 100


class TermKind(StrEnum):
    ACCOUNT = "account"
    LINE = "line"
    ITEM = "item"


class RowKind(StrEnum):
    ITEM = "item"
    SUBTOTAL = "subtotal"
    HEADING = "heading"


@dataclass(frozen=True)
class Term:
    sign: int  # +1 or -1
    kind: TermKind
    code: str  # account code, line number or cash-flow item code
    mode: str = ""  # account terms: "" reads the statement's default mode

    @property
    def text(self) -> str:
        body = f"L{self.code}" if self.kind == TermKind.LINE else self.code
        return body + (f"@{self.mode}" if self.mode else "")


class FormulaError(ValueError):
    """A formula that does not parse: `problem` names what, `token` where."""

    def __init__(self, problem: str, token: str = "") -> None:
        super().__init__(f"{problem}: {token}")
        self.problem = problem
        self.token = token


# Full-width signs typed with a Chinese input method read as the ASCII ones.
_WIDE = str.maketrans({"＋": "+", "－": "-", "—": "-", "　": " ", "＠": "@"})
_TERM = re.compile(
    r"\s*(?P<sign>[+-])?\s*(?:L(?P<line>\d{1,4})|(?P<item>CF\d+(?:\.\d+)*)"
    r"|(?P<account>\d+(?:\.\d+)*)(?:@(?P<mode>[a-z_]+))?)\s*",
    re.IGNORECASE,
)


def formula_parse(text: str) -> tuple[Term, ...]:
    """The terms of a formula; an empty formula has none. Raises FormulaError."""
    text = text.translate(_WIDE).strip()
    terms: list[Term] = []
    position = 0
    while position < len(text):
        found = _TERM.match(text, position)
        if found is None or found.end() == position:
            raise FormulaError("syntax", text[position : position + 12].strip())
        if terms and found.group("sign") is None:
            raise FormulaError("sign", found.group(0).strip())
        sign = -1 if found.group("sign") == "-" else 1
        if found.group("line") is not None:
            terms.append(Term(sign, TermKind.LINE, str(int(found.group("line")))))
        elif found.group("item") is not None:
            terms.append(Term(sign, TermKind.ITEM, found.group("item").upper()))
        else:
            mode = (found.group("mode") or "").lower()
            if mode and mode not in MODES:
                raise FormulaError("mode", mode)
            terms.append(Term(sign, TermKind.ACCOUNT, found.group("account"), mode))
        position = found.end()
    if len(terms) > MAX_TERMS:
        raise FormulaError("length", str(len(terms)))
    return tuple(terms)


def formula_text(terms: Sequence[Term]) -> str:
    """The canonical spelling: `1001 + 1002 - 1231@net`."""
    parts = []
    for index, term in enumerate(terms):
        if index == 0:
            parts.append(("-" if term.sign < 0 else "") + term.text)
        else:
            parts.append(f"{'-' if term.sign < 0 else '+'} {term.text}")
    return " ".join(parts)


@dataclass(frozen=True)
class RowSpec:
    """A row as the figures need it: what it is and its parsed formula."""

    line_no: int | None
    label: str
    kind: RowKind
    terms: tuple[Term, ...] = ()
    key: str = ""
    side: str = "left"
    indent: int = 0


@dataclass(frozen=True)
class RowInput:
    """A row as a person enters it."""

    line_no: int | None
    label: str
    kind: str
    formula: str = ""
    key: str = ""
    side: str = "left"
    indent: int = 0


@dataclass(frozen=True)
class RowProblem:
    index: int
    field: str
    problem: str
    detail: str = ""


def rows_check(
    rows: Sequence[RowInput], *, items_allowed: bool
) -> tuple[list[RowSpec], list[RowProblem]]:
    """Parse every row and check the definition as a whole: labels and kinds, line numbers
    unique and present on figures, formulas that parse, terms of the right kind for the row,
    subtotals of existing lines, and no subtotal depending on itself. Accounts and items are
    checked against the books by the caller."""
    problems: list[RowProblem] = []
    specs: list[RowSpec] = []
    lines: dict[int, int] = {}
    kinds = {k.value for k in RowKind}
    for index, row in enumerate(rows):
        if not row.label.strip():
            problems.append(RowProblem(index, "label", "label_missing"))
        if row.kind not in kinds:
            problems.append(RowProblem(index, "kind", "kind_unknown", row.kind))
            specs.append(RowSpec(row.line_no, row.label, RowKind.HEADING))
            continue
        kind = RowKind(row.kind)
        if row.line_no is not None:
            if row.line_no in lines:
                problems.append(RowProblem(index, "line_no", "line_duplicate", str(row.line_no)))
            lines.setdefault(row.line_no, index)
        elif kind != RowKind.HEADING:
            problems.append(RowProblem(index, "line_no", "line_missing"))
        try:
            terms = formula_parse(row.formula)
        except FormulaError as exc:
            problems.append(RowProblem(index, "formula", exc.problem, exc.token))
            terms = ()
        for term in terms:
            wrong = _term_misplaced(kind, term, items_allowed=items_allowed)
            if wrong:
                problems.append(RowProblem(index, "formula", wrong, term.text))
                break
        specs.append(
            RowSpec(row.line_no, row.label.strip(), kind, terms, row.key, row.side, row.indent)
        )
    problems.extend(_references_check(specs, lines))
    return specs, problems


def _term_misplaced(kind: RowKind, term: Term, *, items_allowed: bool) -> str:
    if kind == RowKind.HEADING:
        return "heading_formula"
    if kind == RowKind.SUBTOTAL and term.kind != TermKind.LINE:
        return "subtotal_terms"
    if kind == RowKind.ITEM and term.kind == TermKind.LINE:
        return "item_lines"
    if term.kind == TermKind.ITEM and not items_allowed:
        return "items_not_here"
    return ""


def _references_check(specs: Sequence[RowSpec], lines: Mapping[int, int]) -> list[RowProblem]:
    problems: list[RowProblem] = []
    refs: dict[int, list[int]] = {}
    for index, spec in enumerate(specs):
        if spec.kind != RowKind.SUBTOTAL:
            continue
        targets = []
        for term in spec.terms:
            if term.kind != TermKind.LINE:
                continue
            target = lines.get(int(term.code))
            if target is None:
                problems.append(RowProblem(index, "formula", "line_unknown", term.text))
            elif specs[target].kind == RowKind.HEADING:
                problems.append(RowProblem(index, "formula", "line_heading", term.text))
            else:
                targets.append(target)
        refs[index] = targets
    # Depth-first: a subtotal met again while its own references are being followed is a cycle.
    state: dict[int, int] = {}  # 1 visiting, 2 done
    cyclic: set[int] = set()

    def visit(index: int, trail: list[int]) -> None:
        state[index] = 1
        for target in refs.get(index, []):
            if state.get(target) == 1:
                cyclic.update(trail[trail.index(target) :] if target in trail else [index])
            elif state.get(target) is None:
                visit(target, [*trail, target])
        state[index] = 2

    for index in refs:
        if state.get(index) is None:
            visit(index, [index])
    for index in sorted(cyclic):
        problems.append(RowProblem(index, "formula", "cycle", str(specs[index].line_no or "")))
    return problems


# ---------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class AccountFigures:
    """What an account (with its sub-accounts) shows in one column; balances debit positive."""

    closing: Decimal = ZERO
    opening: Decimal = ZERO
    debit: Decimal = ZERO  # movements within the column
    credit: Decimal = ZERO
    debit_detail: Decimal = ZERO  # debit balances of the detail units at the end, summed
    credit_detail: Decimal = ZERO  # credit balances of the detail units, summed, positive

    def __add__(self, other: AccountFigures) -> AccountFigures:
        return AccountFigures(
            self.closing + other.closing,
            self.opening + other.opening,
            self.debit + other.debit,
            self.credit + other.credit,
            self.debit_detail + other.debit_detail,
            self.credit_detail + other.credit_detail,
        )


NO_FIGURES = AccountFigures()


def term_value(mode: str, figures: AccountFigures, *, credit_normal: bool) -> Decimal:
    """An account term's figure in a mode; `credit_normal` for accounts whose balance sits on
    the credit side (liabilities, equity, income, contra-assets such as 坏账准备)."""
    own = -1 if credit_normal else 1
    if mode == "net":
        return own * figures.closing
    if mode == "opening":
        return own * figures.opening
    if mode == "debit":
        return max(figures.closing, ZERO)
    if mode == "credit":
        return max(-figures.closing, ZERO)
    if mode == "debit_detail":
        return figures.debit_detail
    if mode == "credit_detail":
        return figures.credit_detail
    if mode == "movement":
        return own * (figures.debit - figures.credit)
    if mode == "debit_movement":
        return figures.debit
    if mode == "credit_movement":
        return figures.credit
    raise ValueError(mode)


def rows_evaluate(
    specs: Sequence[RowSpec], item_value: Callable[[RowSpec], Decimal | None]
) -> list[Decimal | None]:
    """Every row's figure in one column: items from `item_value` (None: no formula), subtotals
    as the signed sum of the lines they name, headings None. The rows passed `rows_check`; a
    cycle left in anyway reads as 0 rather than recursing forever."""
    by_line = {spec.line_no: index for index, spec in enumerate(specs) if spec.line_no is not None}
    values: dict[int, Decimal | None] = {}
    busy: set[int] = set()

    def value(index: int) -> Decimal | None:
        if index in values:
            return values[index]
        spec = specs[index]
        result: Decimal | None
        if spec.kind == RowKind.HEADING:
            result = None
        elif spec.kind == RowKind.ITEM:
            result = item_value(spec)
        else:
            busy.add(index)
            result = ZERO
            for term in spec.terms:
                target = by_line.get(int(term.code))
                if target is None or target in busy:
                    continue
                result += term.sign * (value(target) or ZERO)
            busy.discard(index)
        values[index] = result
        return result

    return [value(index) for index in range(len(specs))]


def code_covers(code: str, other: str) -> bool:
    """Whether the account `code` names takes in `other`: itself or one below it."""
    return other == code or other.startswith(code + ".")

"""The checks of one opportunity file, row by row: what each row would create or change, and
every error with its row and column (see opportunity_imports for the file's layout)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.errors import DomainError
from suanpan.core.spreadsheet_imports import (
    CREATE,
    UNCHANGED,
    UPDATE,
    RowError,
    cell_date,
    cell_money,
    chunks,
    header_map,
    word_norm,
)
from suanpan.core.spreadsheets import Sheet
from suanpan.customers.selectors import customer_visible, customers_by_reference
from suanpan.sales.choices import StageOutcome
from suanpan.sales.models import Opportunity, OpportunityLine, OpportunityStage
from suanpan.sales.services import opportunities as services
from suanpan.sales.services.opportunity_import_columns import (
    COLUMNS_BY_KEY,
    HEADER_INDEX,
    OUTCOME_WORDS,
    STAGE_ALIASES,
    TEXT_KEYS,
)
from suanpan.sales.services.opportunity_import_lines import Line, LineReader
from suanpan.users.models import User

SAVED_FIELDS = (
    "customer",
    "title",
    "amount",
    "expected_close_on",
    "stage",
    "owner",
    "closed_on",
    "competitor",
    "next_step",
    "loss_reason",
    "notes",
)


@dataclass
class ImportCandidate:
    row: int
    opportunity: Opportunity
    action: str
    changes: list[str] = field(default_factory=list)  # labels, for the preview
    changed_fields: list[str] = field(default_factory=list)
    # The file's product lines (product, quantity), in row order; none keeps the current ones.
    lines: list[Line] = field(default_factory=list)
    lines_changed: bool = False


class RowChecker:
    def __init__(self, *, actor: User, sheet: Sheet) -> None:
        self.actor = actor
        self.sheet = sheet
        self.errors: list[RowError] = []
        self.positions, self.headers, self.ignored = header_map(
            sheet,
            index=HEADER_INDEX,
            required="title",
            missing=gettext_lazy(
                "The header row (row %(row)s) has no “%(column)s” (title) column. "
                "The first row must hold the column names."
            ),
            missing_header=COLUMNS_BY_KEY["title"].header,
        )
        self.customers = customers_by_reference(user=actor, references=self._column("customer"))
        self.existing = self._existing_load()
        self.stages = self._stages_index()
        self.owners = self._owners_index()
        self.lines = LineReader(
            references=self._column("product"),
            # nothing to compare when the file names no product
            opportunity_ids=[o.pk for o in self.existing.values()]
            if "product" in self.positions
            else [],
            error=self.error,
        )
        self.seen_refs: dict[str, int] = {}
        self.candidates_by_ref: dict[str, ImportCandidate] = {}
        self.today = timezone.localdate()
        self.default_stage = services.first_open_stage()  # once, not per row

    def _column(self, key: str) -> set[str]:
        position = self.positions.get(key)
        if position is None:
            return set()
        return {row.get(position).strip() for row in self.sheet.rows} - {""}

    def _existing_load(self) -> dict[str, Opportunity]:
        """Opportunities imported before under the file's references, and which of them the
        actor may change (their customer is one the actor sees)."""
        found: dict[str, Opportunity] = {}
        for chunk in chunks(sorted(self._column("external_ref"))):
            rows = Opportunity.objects.filter(external_ref__in=chunk).select_related(
                "stage", "owner", "customer"
            )
            found.update((o.external_ref or "", o) for o in rows)
        customer_ids = sorted({o.customer_id for o in found.values()})
        self.hidden_refs = set(found)
        visible = customer_visible(user=self.actor)
        for chunk in chunks(customer_ids):
            seen = set(visible.filter(pk__in=chunk).values_list("pk", flat=True))
            self.hidden_refs -= {ref for ref, o in found.items() if o.customer_id in seen}
        return found

    def _stages_index(self) -> dict[str, OpportunityStage]:
        stages = list(OpportunityStage.objects.order_by("position", "id"))
        index: dict[str, OpportunityStage] = {}
        for outcome, words in OUTCOME_WORDS.items():
            first = next((s for s in stages if s.outcome == outcome and s.is_active), None)
            if first is not None:
                index.update((word_norm(word), first) for word in words)
        for stage in stages:
            for word in STAGE_ALIASES.get(stage.name, ()):
                index[word_norm(word)] = stage
        for stage in stages:  # a stage's own name comes before any other word
            index[word_norm(stage.name)] = stage
        return index

    def _owners_index(self) -> dict[str, list[User]]:
        """Users a cell may name: by username, else by display name or full name."""
        names = self._column("owner")
        index: dict[str, list[User]] = {}
        if not names:
            return index
        for chunk in chunks(sorted(names)):
            for user in User.objects.filter(username__in=chunk):
                index[user.username] = [user]
        usernames = set(index)  # a username wins over anyone's display name
        for user in User.objects.filter(is_active=True).order_by("pk"):
            for name in {user.display_name.strip(), user.get_full_name().strip()} - {""}:
                if name in names and name not in usernames and user not in index.get(name, []):
                    index.setdefault(name, []).append(user)
        return index

    def header(self, key: str) -> str:
        return self.headers.get(key) or COLUMNS_BY_KEY[key].header

    def error(self, row: int, key: str | None, message: Any) -> None:
        column = self.header(key) if key in COLUMNS_BY_KEY else ""
        self.errors.append(RowError(row, column, str(message)))

    def _customer(self, row: int, text: str, opportunity: Opportunity) -> None:
        found = self.customers.get(text, [])
        if len(found) == 1:
            opportunity.customer = found[0]
        elif found:
            self.error(
                row,
                "customer",
                _("Several customers are named “%(value)s”; give the customer number.")
                % {"value": text},
            )
        else:
            self.error(
                row,
                "customer",
                _(
                    "There is no customer you can see with the number, credit code or name “%(value)s”."
                )
                % {"value": text},
            )

    def _owner(self, row: int, text: str, opportunity: Opportunity, previous: User | None) -> None:
        found = self.owners.get(text, [])
        if len(found) > 1:
            self.error(
                row,
                "owner",
                _("Several users are named “%(value)s”; give the username.") % {"value": text},
            )
            return
        if not found:
            self.error(row, "owner", _("There is no user “%(value)s”.") % {"value": text})
            return
        try:
            services.opportunity_owner_check(actor=self.actor, owner=found[0], previous=previous)
        except DomainError as exc:
            messages = [m for msgs in exc.fields.values() for m in msgs] or [exc.message]
            for message in messages:
                self.error(row, "owner", message)
            return
        opportunity.owner = found[0]

    def _date(self, row: int, key: str, text: str) -> date | None:
        try:
            return cell_date(text)
        except ValueError:
            self.error(
                row, key, _("“%(value)s” is not a date such as 2024-03-31.") % {"value": text}
            )
            return None

    def build(self, row: int, values: dict[str, str]) -> ImportCandidate | None:
        if not any(values.values()):
            return None
        errors_before = len(self.errors)
        ref = values.get("external_ref", "")
        if ref and ref in self.seen_refs and values.get("product"):
            # Another product line of the opportunity an earlier row started.
            line = self.lines.line(row, values)
            first = self.candidates_by_ref.get(ref)
            if line is not None and first is not None:
                first.lines.append(line)
            return None
        if ref and ref in self.seen_refs:
            self.error(
                row,
                "external_ref",
                _("Same external reference as row %(row)s.") % {"row": self.seen_refs[ref]},
            )
            return None
        if ref:
            self.seen_refs[ref] = row
        existing = self.existing.get(ref) if ref else None
        if existing is not None and ref in self.hidden_refs:
            self.error(
                row,
                "external_ref",
                _(
                    "This external reference belongs to an opportunity of a customer you cannot see."
                ),
            )
            return None
        opportunity = (
            _copy(existing) if existing else Opportunity(owner=self.actor, external_ref=ref or None)
        )
        for key in ("title", "customer", "expected_close_on"):
            if existing is None and not values.get(key):
                self.error(row, key, _("Required for a new opportunity."))
        for key in TEXT_KEYS:
            if values.get(key):
                setattr(opportunity, key, values[key])
        if values.get("customer"):
            self._customer(row, values["customer"], opportunity)
        if values.get("amount"):
            self._amount(row, values["amount"], opportunity)
        if values.get("expected_close_on"):
            opportunity.expected_close_on = self._date(
                row, "expected_close_on", values["expected_close_on"]
            )  # type: ignore[assignment]
        if values.get("owner"):
            self._owner(
                row, values["owner"], opportunity, existing.owner if existing else self.actor
            )
        stage = self._stage(row, values.get("stage", ""), existing)
        closed_on = (
            self._date(row, "closed_on", values["closed_on"]) if values.get("closed_on") else None
        )
        if stage is not None:
            self._close(row, opportunity, stage, closed_on=closed_on, existing=existing)
        line = self.lines.line(row, values)
        if len(self.errors) == errors_before:
            self._clean(row, opportunity)
        if existing is None:
            candidate = ImportCandidate(row=row, opportunity=opportunity, action=CREATE)
        else:
            fields = [
                name for name in SAVED_FIELDS if _value(existing, name) != _value(opportunity, name)
            ]
            candidate = ImportCandidate(
                row=row,
                opportunity=opportunity,
                action=UPDATE if fields else UNCHANGED,
                changes=[_label(name) for name in fields],
                changed_fields=fields,
            )
        if line is not None:
            candidate.lines.append(line)
        if ref:
            self.candidates_by_ref[ref] = candidate
        return candidate

    def lines_compare(self, candidate: ImportCandidate) -> None:
        """A re-imported opportunity whose file lines differ from its lines: an update that
        replaces them. Lines equal to the file's leave it unchanged."""
        opportunity = candidate.opportunity
        if not candidate.lines or opportunity._state.adding:
            return
        if not self.lines.differ(opportunity.pk, candidate.lines):
            return
        candidate.lines_changed = True
        candidate.action = UPDATE
        candidate.changes.append(str(OpportunityLine._meta.verbose_name_plural))

    def _amount(self, row: int, text: str, opportunity: Opportunity) -> None:
        try:
            amount = cell_money(text)
        except ValueError:
            self.error(row, "amount", _("“%(value)s” is not an amount.") % {"value": text})
            return
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            self.error(row, "amount", _("Enter an amount of at least 0 with at most 2 decimals."))
            return
        opportunity.amount = amount

    def _stage(self, row: int, text: str, existing: Opportunity | None) -> OpportunityStage | None:
        if not text:
            return existing.stage if existing else self.default_stage
        stage = self.stages.get(word_norm(text))
        if stage is None:
            names = ", ".join(sorted({s.name for s in self.stages.values() if s.is_active}))
            self.error(
                row,
                "stage",
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": names},
            )
            return None
        if not stage.is_active and (existing is None or existing.stage_id != stage.pk):
            self.error(row, "stage", _("Choose an active stage."))
            return None
        return stage

    def _close(
        self,
        row: int,
        opportunity: Opportunity,
        stage: OpportunityStage,
        *,
        closed_on: date | None,
        existing: Opportunity | None,
    ) -> None:
        """Close or re-open the row as its stage says, as the service does for one."""
        opportunity.stage = stage
        problem = services.closed_on_check(closed_on, outcome=stage.outcome)
        if problem:
            self.error(row, "closed_on", problem)
            return
        if stage.outcome == StageOutcome.OPEN:
            opportunity.closed_on = None
            opportunity.loss_reason = ""
            return
        if stage.outcome == StageOutcome.LOST and not opportunity.loss_reason.strip():
            self.error(row, "loss_reason", _("Say why the opportunity was lost."))
        if stage.outcome == StageOutcome.WON:
            opportunity.loss_reason = ""
        same_outcome = existing is not None and existing.stage.outcome == stage.outcome
        if closed_on is not None:
            opportunity.closed_on = closed_on
        elif not (same_outcome and opportunity.closed_on):
            opportunity.closed_on = self.today

    def _clean(self, row: int, opportunity: Opportunity) -> None:
        try:
            opportunity.full_clean(
                exclude=["customer", "stage", "owner"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error(row, name if name in COLUMNS_BY_KEY else None, message)

    def run(self, progress: Callable[[int], object] | None) -> list[ImportCandidate]:
        candidates = []
        for sheet_row in self.sheet.rows:
            values = {key: sheet_row.get(pos).strip() for key, pos in self.positions.items()}
            candidate = self.build(sheet_row.number, values)
            if candidate is not None:
                candidates.append(candidate)
            if progress:
                progress(1)
        for candidate in candidates:
            self.lines_compare(candidate)
        return candidates


def _copy(opportunity: Opportunity) -> Opportunity:
    copy = Opportunity(
        **{f.attname: getattr(opportunity, f.attname) for f in Opportunity._meta.concrete_fields}
    )
    copy._state.adding = False
    copy._state.db = opportunity._state.db
    copy.stage, copy.owner, copy.customer = (
        opportunity.stage,
        opportunity.owner,
        opportunity.customer,
    )
    return copy


def _value(opportunity: Opportunity, name: str) -> Any:
    return getattr(opportunity, Opportunity._meta.get_field(name).attname)  # type: ignore[union-attr]


def _label(name: str) -> str:
    return str(getattr(Opportunity._meta.get_field(name), "verbose_name", name))

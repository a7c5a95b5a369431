"""The chart templates shipped with Suanpan (chart_templates/<standard>.csv), as plain rows."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

CHARTS_DIR = Path(__file__).resolve().parent / "chart_templates"


@dataclass(frozen=True)
class ChartRow:
    code: str
    name: str
    parent: str
    direction: str
    category: str
    customer_dimension: bool
    open_item: bool
    roles: tuple[str, ...]


def chart_rows(standard: str) -> list[ChartRow]:
    path = CHARTS_DIR / f"{standard}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            ChartRow(
                code=row["code"].strip(),
                name=row["name"].strip(),
                parent=row["parent"].strip(),
                direction=row["direction"].strip(),
                category=row["category"].strip(),
                customer_dimension=row["customer_dimension"].strip() == "1",
                open_item=row["open_item"].strip() == "1",
                roles=tuple(r for r in row["roles"].strip().split("|") if r),
            )
            for row in csv.DictReader(handle)
        ]

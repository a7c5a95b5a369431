"""The receivables ageing's default buckets (未到期, 1–30, 31–60, 61–90, 91–180, 181–365,
1–2年, 2–3年, 3年以上), as upper bounds in days for the ledger's bucket maker."""

from __future__ import annotations

RECEIVABLES_BOUNDS = (30, 60, 90, 180, 365, 730, 1095)

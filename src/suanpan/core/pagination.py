"""The old import path of `core.listing.paginate` (a list counted in full, numbered pages);
new code imports it from `suanpan.core.listing`, where every list's paging lives."""

from __future__ import annotations

from suanpan.core.listing import paginate

__all__ = ["paginate"]

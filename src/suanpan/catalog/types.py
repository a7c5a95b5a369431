"""What other apps read of the catalog without Django: the limits of a unit price."""

from __future__ import annotations

from decimal import Decimal

# Unit prices are never summed by SQL, so a DecimalField is exact enough (DESIGN.md).
PRICE_DIGITS = 18
PRICE_PLACES = 6
# SQLite keeps decimals as binary floats, exact to 15 significant digits: a larger price would
# come back rounded (and 999999999999.999999 reads back as 10^12, which no longer fits the
# column). Nine digits before the point is a billion yuan per unit, which no price reaches.
MAX_PRICE = Decimal("999999999.999999")

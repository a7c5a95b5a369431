"""Pure maths of sales documents: line amounts, totals, payment plans. No Django here.

Other apps import from this package (inventory shares delivered lines with `share_of_line`).
"""

from suanpan.sales.calculations.instalments import InstalmentShare, instalment_amounts
from suanpan.sales.calculations.lines import (
    LinePricing,
    document_amounts,
    line_pricing,
    share_of_line,
)

__all__ = [
    "InstalmentShare",
    "LinePricing",
    "document_amounts",
    "instalment_amounts",
    "line_pricing",
    "share_of_line",
]

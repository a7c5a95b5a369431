"""Posted vouchers in the layouts other financial systems import, and the books as Beancount.

Kingdee K3/KIS 凭证引入 (xlsx), Yonyou U8/T3 `填制凭证,V800` text (GBK) and a plain CSV take a
range of periods; the Beancount file is always the whole ledger so that its balances equal the
trial balance. Every writer streams: vouchers are read in chunks with their lines prefetched.
Layouts, sources and what is confirmed: docs/ledger-exports.md.
"""

from suanpan.ledger.exports.beancount import beancount_account_names, beancount_export
from suanpan.ledger.exports.common import (
    CHUNK,
    EXPORT_PERMISSION,
    ExportEncodingError,
    ExportRangeInvalid,
    ExportResult,
    export_permission_require,
    period_key_parse,
    posted_vouchers,
)
from suanpan.ledger.exports.csv_text import csv_export, csv_header
from suanpan.ledger.exports.kingdee import (
    KINGDEE_COLUMNS,
    KINGDEE_SHEET,
    kingdee_export,
    kingdee_row,
)
from suanpan.ledger.exports.yonyou import (
    YONYOU_HEADER,
    YONYOU_SUMMARY_BYTES,
    yonyou_account_code,
    yonyou_export,
    yonyou_line,
)

EXPORTERS = {
    "kingdee": kingdee_export,
    "yonyou": yonyou_export,
    "csv": csv_export,
}

__all__ = [
    "CHUNK",
    "EXPORTERS",
    "EXPORT_PERMISSION",
    "KINGDEE_COLUMNS",
    "KINGDEE_SHEET",
    "YONYOU_HEADER",
    "YONYOU_SUMMARY_BYTES",
    "ExportEncodingError",
    "ExportRangeInvalid",
    "ExportResult",
    "beancount_account_names",
    "beancount_export",
    "csv_export",
    "csv_header",
    "export_permission_require",
    "kingdee_export",
    "kingdee_row",
    "period_key_parse",
    "posted_vouchers",
    "yonyou_account_code",
    "yonyou_export",
    "yonyou_line",
]

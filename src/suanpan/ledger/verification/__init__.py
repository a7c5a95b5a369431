"""Proofs that the books are what was posted: the voucher hash chain, the voucher numbers,
the period totals and the open-item table.

`chain_verify` recomputes every posted voucher's hash from the rows as they are now, in chain
order, and stops at the first voucher whose content, link or chain position does not match:
an edit made behind the application's back (raw SQL, a restored backup) shows there. The chain
alone cannot see its newest links go: the chain sequence remembers how many positions it
handed out, and the walk must reach the last of them. `numbering_verify` does the same per
voucher word and month, `totals_verify` recomputes the period totals the reports read from
the posted lines, and `books_verify` runs all three, for the command line and the close.
"""

from suanpan.ledger.verification.books import BooksReport, books_verify
from suanpan.ledger.verification.chain import CHUNK, ChainBreak, ChainReport, chain_verify
from suanpan.ledger.verification.numbers import NumberGap, numbering_verify
from suanpan.ledger.verification.open_items import OpenItemMismatch, open_items_verify
from suanpan.ledger.verification.totals import TotalMismatch, totals_verify

__all__ = [
    "CHUNK",
    "BooksReport",
    "ChainBreak",
    "ChainReport",
    "NumberGap",
    "OpenItemMismatch",
    "TotalMismatch",
    "books_verify",
    "chain_verify",
    "numbering_verify",
    "open_items_verify",
    "totals_verify",
]

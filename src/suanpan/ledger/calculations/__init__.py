"""Pure ledger maths: balancing, line rules, the hash chain's canonical text, ageing buckets,
look-up by code, name or pinyin.

No Django here; the services and selectors apply these rules."""

from suanpan.ledger.calculations.ageing import (
    DEFAULT_BUCKETS,
    MAX_BUCKET_DAYS,
    MAX_BUCKETS,
    Bucket,
    buckets_from_days,
)
from suanpan.ledger.calculations.chain import (
    GENESIS_HASH,
    ChainLine,
    ChainVoucher,
    chain_hash,
    chain_text,
)
from suanpan.ledger.calculations.lines import (
    ZERO,
    LineAmounts,
    is_balanced,
    line_problem,
    totals,
)
from suanpan.ledger.calculations.lookup import (
    MatchRank,
    letters,
    match_rank,
    search_text,
    spelling,
)

__all__ = [
    "DEFAULT_BUCKETS",
    "GENESIS_HASH",
    "MAX_BUCKETS",
    "MAX_BUCKET_DAYS",
    "ZERO",
    "Bucket",
    "ChainLine",
    "ChainVoucher",
    "LineAmounts",
    "MatchRank",
    "buckets_from_days",
    "chain_hash",
    "chain_text",
    "is_balanced",
    "letters",
    "line_problem",
    "match_rank",
    "search_text",
    "spelling",
    "totals",
]

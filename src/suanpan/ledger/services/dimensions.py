"""Auxiliary dimensions (核算项目): customers as the ledger knows them."""

from __future__ import annotations

from collections.abc import Iterable

from suanpan.ledger.calculations import search_text, spelling
from suanpan.ledger.models import (
    Dimension,
)


def dimension_upsert(*, kind: str, code: str, name: str, is_active: bool = True) -> Dimension:
    """Create or rename the ledger's record of a customer (called by the customers app); the
    pinyin the look-ups search by follows the name."""
    name = name[:200]
    dimension, created = Dimension.objects.get_or_create(
        kind=kind, code=code, defaults={"name": name, "is_active": is_active, **_spelt(code, name)}
    )
    if not created and (dimension.name != name or dimension.is_active != is_active):
        Dimension.objects.filter(pk=dimension.pk).update(
            name=name, is_active=is_active, **_spelt(code, name)
        )
        dimension.name, dimension.is_active = name, is_active
    return dimension


def _spelt(code: str, name: str) -> dict[str, str]:
    pinyin, initials = spelling(name)
    return {
        "name_pinyin": pinyin[:600],
        "name_initials": initials[:200],
        "search_text": search_text(code, name)[:1100],
    }


def _dimension(kind: str, code: str, name: str, is_active: bool) -> Dimension:
    pinyin, initials = spelling(name)
    return Dimension(
        kind=kind,
        code=code,
        name=name,
        is_active=is_active,
        name_pinyin=pinyin[:600],
        name_initials=initials[:200],
        search_text=search_text(code, name)[:1100],
    )


def dimension_bulk_upsert(
    *, kind: str, rows: Iterable[tuple[str, str, bool]], batch_size: int = 2000
) -> None:
    """`dimension_upsert` for many (code, name, is_active) rows: one query per batch."""
    Dimension.objects.bulk_create(
        [_dimension(kind, code, name[:200], is_active) for code, name, is_active in rows],
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["kind", "code"],
        update_fields=["name", "is_active", "name_pinyin", "name_initials", "search_text"],
    )


def dimension_merge(*, kind: str, source_code: str, target_code: str) -> None:
    """A merged customer: its dimension points at the survivor and takes no new postings.

    Posted lines keep the dimension they were posted with (posted vouchers never change).
    """
    source = Dimension.objects.filter(kind=kind, code=source_code).first()
    target = Dimension.objects.filter(kind=kind, code=target_code).first()
    if source is None or target is None:
        return
    Dimension.objects.filter(pk=source.pk).update(merged_into=target, is_active=False)

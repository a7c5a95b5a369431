"""Gapless document numbers per series and period, drawn from a locked sequence row."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from suanpan.core.models import DocumentSequence
from suanpan.core.numbering import number_format, number_next, sequence_draw, sequence_reserve


class Boom(Exception):
    """The document failed to save after its number was drawn."""


def _draw(series: str, period: str = "", count: int = 1) -> list[str]:
    numbers = []
    for _ in range(count):
        with transaction.atomic():
            numbers.append(number_next(series=series, period=period))
    return numbers


@pytest.mark.django_db
def test_number_next_is_gapless_when_drawn_in_sequence() -> None:
    numbers = _draw("FP", "202611", count=30)

    assert numbers == [f"FP-202611-{i:04d}" for i in range(1, 31)]


@pytest.mark.django_db
def test_number_next_restarts_per_period_when_period_changes() -> None:
    november = _draw("FP", "202611", count=3)
    december = _draw("FP", "202612", count=2)
    november += _draw("FP", "202611")

    assert november == ["FP-202611-0001", "FP-202611-0002", "FP-202611-0003", "FP-202611-0004"]
    assert december == ["FP-202612-0001", "FP-202612-0002"]


@pytest.mark.django_db
def test_number_next_counts_each_series_alone_when_series_interleave() -> None:
    drawn: dict[str, list[str]] = {"KH": [], "FP": [], "SK": []}
    for series in ["KH", "FP", "KH", "SK", "KH", "FP"]:
        drawn[series] += _draw(series)

    assert drawn == {
        "KH": ["KH-0001", "KH-0002", "KH-0003"],
        "FP": ["FP-0001", "FP-0002"],
        "SK": ["SK-0001"],
    }
    assert DocumentSequence.objects.count() == 3


@pytest.mark.django_db
def test_number_next_pads_to_width_when_width_given() -> None:
    with transaction.atomic():
        first = number_next(series="HT", period="2026", width=6)

    assert first == "HT-2026-000001"
    assert number_format(series="HT", value=12345, width=3) == "HT-12345"


@pytest.mark.django_db(transaction=True)
def test_number_next_raises_when_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        number_next(series="FP")
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        sequence_reserve(series="FP", count=3)

    assert not DocumentSequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_number_next_reuses_number_when_transaction_rolls_back() -> None:
    first = _draw("FP", "202611")
    with pytest.raises(Boom), transaction.atomic():
        lost = number_next(series="FP", period="202611")
        raise Boom

    after = _draw("FP", "202611", count=2)

    assert first == ["FP-202611-0001"]
    assert lost == "FP-202611-0002"
    assert after == ["FP-202611-0002", "FP-202611-0003"]


@pytest.mark.django_db(transaction=True)
def test_number_next_reuses_number_when_first_draw_of_series_rolls_back() -> None:
    with pytest.raises(Boom), transaction.atomic():
        number_next(series="NEW")
        raise Boom

    assert _draw("NEW") == ["NEW-0001"]


@pytest.mark.django_db
def test_number_next_reuses_number_when_savepoint_rolls_back() -> None:
    with transaction.atomic():
        assert number_next(series="FP") == "FP-0001"
        with pytest.raises(Boom), transaction.atomic():
            number_next(series="FP")
            raise Boom
        assert number_next(series="FP") == "FP-0002"


@pytest.mark.django_db
def test_sequence_reserve_returns_first_of_block_when_batch_reserved() -> None:
    with transaction.atomic():
        before = sequence_draw(series="PL")
        first = sequence_reserve(series="PL", count=10)
        after = sequence_draw(series="PL")

    assert (before, first, after) == (1, 2, 12)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, -1])
def test_sequence_reserve_raises_when_count_not_positive(count: int) -> None:
    with pytest.raises(ValueError, match="positive"), transaction.atomic():
        sequence_reserve(series="PL", count=count)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_number_next_has_no_gap_or_duplicate_when_eight_threads_draw_at_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL")
    threads_count, draws = 8, 25
    start = threading.Barrier(threads_count)
    values: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            start.wait(timeout=30)
            for _ in range(draws):
                with transaction.atomic():
                    number = number_next(series="CC", period="202611")
                with lock:
                    values.append(int(number.rsplit("-", 1)[1]))
        except BaseException as exc:  # reported to the test thread below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sorted(values) == list(range(1, threads_count * draws + 1))
    sequence = DocumentSequence.objects.get(series="CC", period="202611")
    assert sequence.next_value == threads_count * draws + 1

"""Two transactions made to cross on PostgreSQL: the first stops at a given point of its work
until the second has gone through another, so each holds what it locked so far when the other
asks for it. Taken in the order of docs/locking.md the two queue; taken in opposite orders
PostgreSQL finds the deadlock and aborts one of them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

from tests.ledger.test_concurrency import race

Point = tuple[Any, str]  # (module, name of the function called there)


def crossed(
    first: Callable[[], Any],
    second: Callable[[], Any],
    *,
    first_stops_before: Point,
    second_goes_through: Point,
) -> tuple[list[Any], list[BaseException]]:
    """Run `first` and `second` in threads with their own connections: `first` stops before
    calling `first_stops_before` until `second` has returned from `second_goes_through`; then
    both go on. Their results and errors."""
    reached, passed = threading.Event(), threading.Event()
    role = threading.local()

    def wrapped(point: Point) -> Callable[..., Any]:
        original = getattr(*point)

        def call(*args: Any, **kwargs: Any) -> Any:
            who = getattr(role, "name", None)
            if who == "first" and point == first_stops_before and not reached.is_set():
                reached.set()
                passed.wait(timeout=10)
            elif who == "second" and point == second_goes_through and not passed.is_set():
                reached.wait(timeout=10)
                try:
                    return original(*args, **kwargs)
                finally:
                    passed.set()
            return original(*args, **kwargs)

        return call

    def work(index: int) -> Any:
        role.name = ("first", "second")[index]
        try:
            return (first, second)[index]()
        finally:
            # Never leave the other thread waiting for a point this one did not reach.
            (reached if index == 0 else passed).set()

    points = {first_stops_before, second_goes_through}
    patches = [mock.patch.object(point[0], point[1], wrapped(point)) for point in points]
    for patch in patches:
        patch.start()
    try:
        return race(2, work)
    finally:
        for patch in patches:
            patch.stop()


def deadlocks(errors: list[BaseException]) -> list[BaseException]:
    return [error for error in errors if "deadlock" in str(error)]

"""What other apps hand around of a customer without a model instance (Django-free)."""

from __future__ import annotations

from typing import NamedTuple


class CustomerRef(NamedTuple):
    """A customer as a batch over thousands of them needs it: its id, number and name."""

    pk: int
    number: str
    name: str

"""core.tabs: which declared tabs a user sees, in which order, and which one opens."""

from __future__ import annotations

from dataclasses import dataclass

from suanpan.core.tabs import Tab, tab_choose, tabs_for
from suanpan.customers import tabs as customer_tabs
from suanpan.inventory import tabs as inventory_tabs
from suanpan.sales import tabs as sales_tabs


@dataclass
class FakeUser:
    perms: frozenset[str]

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return perm in self.perms


def test_tabs_for_keeps_open_and_permitted_tabs_in_position_order_when_given() -> None:
    tabs = [
        Tab("b", "B", 20, "x.view"),
        Tab("a", "A", 10),
        Tab("c", "C", 20, "x.secret"),
        Tab("d", "D", 20, "x.view"),
    ]

    shown = tabs_for(FakeUser(frozenset({"x.view"})), tabs)

    assert [t.key for t in shown] == ["a", "b", "d"]


def test_tab_choose_falls_back_to_the_first_tab_when_key_is_unknown() -> None:
    tabs = [Tab("overview", "Overview", 1), Tab("history", "History", 2)]

    assert tab_choose(tabs, "history").key == "history"
    assert tab_choose(tabs, "secret").key == "overview"
    assert tab_choose(tabs, None).key == "overview"


def test_app_tab_declarations_have_unique_keys_and_positions_when_put_together() -> None:
    tabs = [*customer_tabs.CUSTOMER_TABS, *sales_tabs.CUSTOMER_TABS, *inventory_tabs.CUSTOMER_TABS]

    assert len({t.key for t in tabs}) == len(tabs)
    assert len({t.position for t in tabs}) == len(tabs)
    assert all(
        t.permission and t.template
        for t in [*sales_tabs.CUSTOMER_TABS, *inventory_tabs.CUSTOMER_TABS]
    )

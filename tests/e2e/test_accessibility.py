"""axe-core over the key pages, in Chinese, as the administrator of the demo company.

One browser, one login: every page is loaded (and, where it matters, used: the customer page's
tabs, a quote line added, a form saved empty) and axe-core checks the page as it stands. No
`critical` or `serious` violation may remain; the failure lists each with its nodes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from suanpan.catalog.models import Product
from suanpan.customers.models import Customer
from suanpan.demo.load import demo_load
from suanpan.demo.users import DEMO_PASSWORD
from suanpan.inventory.models import Delivery
from suanpan.ledger.models import Voucher
from suanpan.sales.models import Contract, Opportunity, Quote, SalesOrder

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")


@pytest.fixture
def context_options() -> dict[str, Any]:
    # axe-core is added to each page as a script of the test's own, which the pages'
    # Content-Security-Policy (scripts from the app's files only) refuses; the other browser
    # tests run the pages' own scripts under that policy.
    return {"bypass_csp": True}


def _axe(page: Page, label: str) -> list[str]:
    """The blocking violations axe-core finds on the page as it stands, one readable line per
    element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    # Colours half-way through a transition (a button just clicked, still fading to its hover
    # colour) are not what anyone reads: let running transitions and animations finish first.
    result: dict[str, Any] = page.evaluate(
        "async () => {"
        " const finite = document.getAnimations().filter("
        "   (a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);"
        " await Promise.allSettled(finite.map((a) => a.finished));"
        " return await axe.run(document, {resultTypes: ['violations']}); }"
    )
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{label} ({page.url}): {violation['impact']} {violation['id']}: "
                f"{violation['help']}\n    {' '.join(node['target'])}\n    {node['html'][:200]}"
                f"\n    {node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return found


# Every id an ARIA or label attribute names must exist: a dangling aria-describedby ties no
# message to its field, and axe-core passes it as long as one of several ids resolves.
DANGLING = """() => {
  const names = ["aria-describedby", "aria-labelledby", "aria-controls", "aria-activedescendant"];
  const out = [];
  document.querySelectorAll("*").forEach((el) => {
    if (el.closest("template")) return;
    for (const name of names) {
      for (const id of (el.getAttribute(name) || "").split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) out.push(`${el.tagName.toLowerCase()}#${el.id} ${name}=${id}`);
      }
    }
    if (el.id && el.id.includes("__prefix__")) out.push(`${el.tagName.toLowerCase()}#${el.id}`);
  });
  return out;
}"""


def _dangling(page: Page, label: str) -> list[str]:
    return [f"{label}: dangling reference {ref}" for ref in page.evaluate(DANGLING)]


def _focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " href: document.activeElement.getAttribute('href') || ''})"
    )


@pytest.fixture
def demo(pipeline_stages: None) -> None:
    demo_load(customers=20, seed=2026)


def _first(model: Any, **filters: Any) -> int:
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()


def _skip_link(page: Page) -> None:
    """The first Tab stop skips the top bar and the menu: Enter lands in the page's main part."""
    page.goto("/")
    page.keyboard.press("Tab")
    assert _focused(page)["href"] == "#main", _focused(page)
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main", _focused(page)


def _language_select(page: Page) -> None:
    """Arrow keys browse the languages without leaving the page; Enter switches."""
    page.goto("/customers/")
    select = page.locator("form[data-sp-language] select")
    select.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(400)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert _focused(page)["tag"] == "SELECT", "the arrow key left the language select"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("form[data-sp-language] select").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def _failed_save(page: Page) -> list[str]:
    """Saving an empty customer: focus on the first field in error, which names its message."""
    page.goto("/customers/new/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("domcontentloaded")
    focused = _focused(page)
    assert focused["id"] == "id_name", f"focus after a failed save: {focused}"
    name = page.locator("#id_name")
    assert name.get_attribute("aria-invalid") == "true"
    described = name.get_attribute("aria-describedby") or ""
    assert described, "the field in error names no message"
    for ref in described.split():
        assert page.locator(f"#{ref}").count() == 1, f"aria-describedby names missing #{ref}"
    found = _axe(page, "customer new, failed save") + _dangling(page, "customer new, failed save")

    # A document with a customer picker and a line grid: the picker is the field in error.
    page.goto("/sales/orders/new/")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state("domcontentloaded")
    picker = page.locator("input.sp-picker-text")
    assert picker.get_attribute("aria-invalid") == "true"
    assert _focused(page)["id"] == picker.get_attribute("id"), _focused(page)
    return found + _axe(page, "order new, failed save") + _dangling(page, "order new, failed save")


def _quote_grid(page: Page) -> list[str]:
    """A line added to the quote grid gets real ids, and the product suggestions announce the
    highlighted match."""
    page.goto("/sales/quotes/new/")
    page.locator(".sp-line-add").click()
    rows = page.locator(".sp-line-rows > .sp-line-row")
    assert rows.count() >= 2
    ids = page.locator(".sp-line-rows [id]").evaluate_all("els => els.map(e => e.id)")
    assert not [i for i in ids if "__prefix__" in i], ids
    found = _axe(page, "quote new, line added") + _dangling(page, "quote new, line added")

    product = rows.first.locator(".sp-line-product")
    product.click()
    product.press_sequentially("SP-1", delay=30)
    options = rows.first.locator("[role=option]")
    expect(options.first).to_be_visible()
    assert options.count() >= 2
    expect(product).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    active = product.get_attribute("aria-activedescendant")
    assert active, "no aria-activedescendant on the product cell"
    highlighted = page.locator(f"#{active}")
    expect(highlighted).to_have_attribute("aria-selected", "true")
    assert highlighted.evaluate("el => el === el.parentElement.children[1]")
    assert rows.first.locator("[role=option][aria-selected=true]").count() == 1
    found += _axe(page, "quote new, suggestions open")
    page.keyboard.press("Enter")
    expect(product).to_have_attribute("aria-expanded", "false")
    assert product.get_attribute("aria-activedescendant") is None
    return found


def test_key_pages_have_no_critical_or_serious_violations(page: Page, demo: None) -> None:
    customer = _first(Customer)
    ids = {
        "product": _first(Product),
        "quote": _first(Quote),
        "order": _first(SalesOrder),
        "opportunity": _first(Opportunity),
        "contract": _first(Contract),
        "voucher": _first(Voucher),
        "delivery": _first(Delivery),
    }
    found: list[str] = []

    page.goto("/login/")
    found += _axe(page, "login")
    page.locator("input[name=username]").fill("admin")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#sp-sidebar")).to_be_attached()

    pages = [
        ("home", "/"),
        ("customer list", "/customers/"),
        ("customer new", "/customers/new/"),
        ("product list", "/products/"),
        ("product new", "/products/new/"),
        ("product detail", f"/products/{ids['product']}/"),
        ("pipeline", "/sales/pipeline/"),
        ("opportunity list", "/sales/opportunities/"),
        ("opportunity detail", f"/sales/opportunities/{ids['opportunity']}/"),
        ("quote list", "/sales/quotes/"),
        ("quote detail", f"/sales/quotes/{ids['quote']}/"),
        ("order list", "/sales/orders/"),
        ("order detail", f"/sales/orders/{ids['order']}/"),
        ("order new", "/sales/orders/new/"),
        ("contract list", "/sales/contracts/"),
        ("contract detail", f"/sales/contracts/{ids['contract']}/"),
        ("contract plan", f"/sales/contracts/{ids['contract']}/plan/"),
        ("voucher list", "/ledger/vouchers/"),
        ("voucher detail", f"/ledger/vouchers/{ids['voucher']}/"),
        ("voucher new", "/ledger/vouchers/new/"),
        ("periods", "/ledger/periods/"),
        ("period-end transfers", "/ledger/transfers/"),
        ("transfer templates", "/ledger/transfers/templates/"),
        ("transfer template new", "/ledger/transfers/templates/new/"),
        ("trial balance", "/ledger/reports/trial-balance/"),
        ("detail ledger", "/ledger/reports/account-detail/"),
        ("account summary", "/ledger/reports/account-summary/"),
        ("journal", "/ledger/reports/journal/"),
        ("ageing", "/ledger/reports/ageing/"),
        ("balance sheet", "/ledger/reports/statements/balance-sheet/"),
        ("cash-flow statement", "/ledger/reports/statements/cash-flow/"),
        ("statement rows", "/ledger/reports/statements/income/definition/"),
        ("cash lines to tag", "/ledger/reports/statements/cash-flow/lines/"),
        ("cash-flow mapping", "/ledger/reports/statements/cash-flow/mapping/"),
        ("stock", "/inventory/"),
        ("deliveries", "/inventory/deliveries/"),
        ("delivery detail", f"/inventory/deliveries/{ids['delivery']}/"),
        ("receipts", "/inventory/receipts/"),
        ("receipt new", "/inventory/receipts/new/"),
    ]
    for label, url in pages:
        response = page.goto(url)
        assert response is not None and response.ok, f"{label}: {url} answered {response}"
        found += _axe(page, label) + _dangling(page, label)

    # The customer page: every section, as the user opens them.
    page.goto(f"/customers/{customer}/")
    sections = page.locator("main .nav-tabs a.nav-link")
    assert sections.count() >= 4
    for index in range(sections.count()):
        sections.nth(index).click()
        page.wait_for_load_state("networkidle")
        found += _axe(page, f"customer section {index + 1}") + _dangling(page, "customer page")

    found += _quote_grid(page)

    # The voucher grid with a line added.
    page.goto("/ledger/vouchers/new/")
    page.locator("#voucher-add-line").click()
    found += _axe(page, "voucher new, line added") + _dangling(page, "voucher new, line added")
    found += _failed_save(page)
    _skip_link(page)
    _language_select(page)

    assert not found, f"{len(found)} blocking violations:\n" + "\n".join(found)

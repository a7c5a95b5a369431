"""The cash-flow item (现金流量项目) each counter-account gives a cash line by default, as
shipped for each standard, in the codes of that standard's own chart. No Django here."""

from __future__ import annotations

from suanpan.ledger.statement_templates import TRANSLATED_CLASSES

# Counter-account → (item for money received, item for money paid): what a cash line takes
# when it was entered without an item. The account's sub-accounts take the same; the nearest
# mapped account up the tree wins.
CAS_MAPPINGS: dict[str, tuple[str, str]] = {
    "1121": ("CF101", "CF101"),
    "1122": ("CF101", "CF101"),
    "2203": ("CF101", "CF101"),
    "2205": ("CF101", "CF101"),
    "6001": ("CF101", "CF101"),
    "6051": ("CF101", "CF101"),
    "1123": ("CF111", "CF111"),
    "1401": ("CF111", "CF111"),
    "1402": ("CF111", "CF111"),
    "1403": ("CF111", "CF111"),
    "1405": ("CF111", "CF111"),
    "1408": ("CF111", "CF111"),
    "1411": ("CF111", "CF111"),
    "2201": ("CF111", "CF111"),
    "2202": ("CF111", "CF111"),
    "2211": ("CF112", "CF112"),
    "2221": ("CF102", "CF113"),
    "6403": ("CF102", "CF113"),
    "6801": ("CF102", "CF113"),
    "1221": ("CF103", "CF114"),
    "2241": ("CF103", "CF114"),
    "6301": ("CF103", "CF114"),
    "6601": ("CF103", "CF114"),
    "6602": ("CF103", "CF114"),
    "6603": ("CF103", "CF114"),
    "6711": ("CF103", "CF114"),
    "1101": ("CF201", "CF212"),
    "1511": ("CF201", "CF212"),
    "1131": ("CF202", "CF214"),
    "1132": ("CF202", "CF214"),
    "6111": ("CF202", "CF214"),
    "1601": ("CF203", "CF211"),
    "1604": ("CF203", "CF211"),
    "1605": ("CF203", "CF211"),
    "1606": ("CF203", "CF211"),
    "1701": ("CF203", "CF211"),
    "1801": ("CF205", "CF211"),
    "4001": ("CF301", "CF314"),
    "4002": ("CF301", "CF314"),
    "2001": ("CF302", "CF311"),
    "2501": ("CF302", "CF311"),
    "2502": ("CF302", "CF311"),
    "2231": ("CF303", "CF312"),
    "2232": ("CF303", "CF313"),
    "4104": ("CF303", "CF313"),
}
ASBE_MAPPINGS: dict[str, tuple[str, str]] = {
    **{
        code: items
        for code, items in CAS_MAPPINGS.items()
        if not code.startswith(TRANSLATED_CLASSES)
    },
    "1501": ("CF201", "CF212"),
    "3001": ("CF301", "CF314"),
    "3002": ("CF301", "CF314"),
    "3104": ("CF303", "CF313"),
    "5001": ("CF101", "CF101"),
    "5051": ("CF101", "CF101"),
    "5111": ("CF202", "CF214"),
    "5301": ("CF103", "CF114"),
    "5403": ("CF102", "CF113"),
    "5601": ("CF103", "CF114"),
    "5602": ("CF103", "CF114"),
    "5603": ("CF103", "CF114"),
    "5711": ("CF103", "CF114"),
    "5801": ("CF102", "CF113"),
}
MAPPINGS = {"cas": CAS_MAPPINGS, "asbe_se": ASBE_MAPPINGS}

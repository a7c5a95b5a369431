"""The sales API, one module per document; `router` is what the root API mounts at /v1."""

from ninja import Router

from suanpan.sales.api import contracts, opportunities, orders, quotes

__all__ = ["router"]

router = Router()
router.add_router("", opportunities.router)
router.add_router("/orders", orders.router)
router.add_router("/quotes", quotes.router)
router.add_router("/contracts", contracts.router)

# The published schema names each operation after the module it was first written in
# (`suanpan_sales_api_orders_order_list`); clients generated from it keep those names.
for _module in (opportunities, orders, quotes, contracts):
    _prefix = "suanpan_sales_api_" + _module.__name__.rsplit(".", 1)[-1]
    for _path_view in _module.router.path_operations.values():
        for _operation in _path_view.operations:
            if _operation.operation_id is None:
                _operation.operation_id = f"{_prefix}_{_operation.view_func.__name__}"

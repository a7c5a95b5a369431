"""The inventory API, one module per document; `router` is what the root API mounts at /v1."""

from ninja import Router

from suanpan.inventory.api import adjustments, deliveries, receipts, returns, stock, warehouses

__all__ = ["router"]

router = Router()
router.add_router("", warehouses.router)
router.add_router("", stock.router)
router.add_router("", receipts.router)
router.add_router("", adjustments.router)
router.add_router("/deliveries", deliveries.router)
router.add_router("/returns", returns.router)

# The published schema names each operation after the module it was first written in
# (`suanpan_inventory_api_stock_receipt_list`); clients generated from it keep those names.
_OPERATION_ID_PREFIXES = {
    "suanpan_inventory_api_stock": (warehouses, stock, receipts, adjustments),
    "suanpan_inventory_api_deliveries": (deliveries, returns),
}
for _prefix, _modules in _OPERATION_ID_PREFIXES.items():
    for _module in _modules:
        for _path_view in _module.router.path_operations.values():
            for _operation in _path_view.operations:
                if _operation.operation_id is None:
                    _operation.operation_id = f"{_prefix}_{_operation.view_func.__name__}"

from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import ConflictError, ValidationFailed


class NegativeStock(ValidationFailed):
    code = "negative_stock"
    default_message = _(
        "Not enough %(product)s in warehouse %(warehouse)s: %(requested)s requested, "
        "%(on_hand)s on hand, %(shortfall)s short."
    )


class NotStocked(ValidationFailed):
    code = "not_stocked"
    default_message = _("%(product)s is a service and has no stock.")


class InactiveWarehouse(ValidationFailed):
    code = "inactive_warehouse"
    default_message = _("Warehouse %(warehouse)s is inactive.")


class DocumentNotInStatus(ConflictError):
    code = "wrong_status"
    default_message = _("%(number)s is %(status)s; this cannot be done now.")


class WarehouseNotEmpty(ConflictError):
    code = "warehouse_not_empty"
    default_message = _(
        "Warehouse %(warehouse)s still holds %(quantity)s units of %(products)s products; "
        "move or adjust them out before deactivating it."
    )


class WarehouseCodeTaken(ValidationFailed):
    code = "warehouse_code_taken"
    default_message = _("Another warehouse already has the code %(code)s.")


class DeliveryLinesInvalid(ValidationFailed):
    """Delivery or return lines that cannot be: none at all, or a quantity out of range."""

    code = "delivery_lines_invalid"
    default_message = _("Please correct the lines.")


class ReturnExceedsDelivered(ValidationFailed):
    code = "return_exceeds_delivered"
    default_message = _(
        "%(product)s: %(quantity)s cannot come back, only %(returnable)s of delivery "
        "%(number)s are left to return."
    )


class DeliveryDateInvalid(ValidationFailed):
    code = "delivery_date_invalid"
    default_message = _("%(date)s is before the ship date %(shipped_on)s of %(number)s.")

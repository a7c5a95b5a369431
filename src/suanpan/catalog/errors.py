from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import ConflictError


class TaxCategoryInUse(ConflictError):
    code = "tax_category_in_use"
    default_message = _(
        "The tax category %(category)s cannot be deleted while products use it "
        "(%(count)s in all). Deactivate it instead."
    )


class TaxCategoryInactive(ConflictError):
    code = "tax_category_inactive"
    default_message = _(
        "The tax category %(category)s is deactivated; choose an active one for %(product)s."
    )

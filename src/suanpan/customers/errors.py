from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import ConflictError, DomainError, PermissionDeniedError


class CustomerHasDocuments(ConflictError):
    code = "customer_has_documents"
    default_message = _(
        "%(customer)s cannot be deleted because business documents refer to it (%(documents)s). "
        "Deactivate it instead."
    )


class CustomerMergeInvalid(DomainError):
    code = "customer_merge_invalid"
    default_message = _("These customers cannot be merged.")


class CustomerOwnerNotAllowed(PermissionDeniedError):
    code = "customer_owner_not_allowed"
    default_message = _("You can only make yourself the owner of a customer.")


class CustomerClosed(ConflictError):
    code = "customer_closed"
    default_message = _("%(customer)s is closed; reactivate it first.")

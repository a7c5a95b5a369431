"""Ledger forms: input validation only; the services save."""

from suanpan.ledger.forms.accounts import (
    SubAccountForm,
)
from suanpan.ledger.forms.company import (
    WORD_SETS,
    CompanyForm,
    CompanySetupForm,
    MonthField,
    RoleForm,
)
from suanpan.ledger.forms.periods import (
    ReopenForm,
)
from suanpan.ledger.forms.reports import (
    LEVELS,
    ReportForm,
)
from suanpan.ledger.forms.transfers import (
    TransferLineFormSet,
    TransferTemplateForm,
    template_input,
    transfer_line_formset,
)
from suanpan.ledger.forms.vouchers import (
    LineForm,
    LineFormSet,
    ReverseForm,
    VoucherForm,
)

__all__ = [
    "LEVELS",
    "WORD_SETS",
    "CompanyForm",
    "CompanySetupForm",
    "LineForm",
    "LineFormSet",
    "MonthField",
    "ReopenForm",
    "ReportForm",
    "ReverseForm",
    "RoleForm",
    "SubAccountForm",
    "TransferLineFormSet",
    "TransferTemplateForm",
    "VoucherForm",
    "template_input",
    "transfer_line_formset",
]

"""Invoicing's models, one module per document; import them from this package."""

from suanpan.invoicing.models.batches import InvoiceBatch, InvoicingSettings
from suanpan.invoicing.models.invoices import Invoice, InvoiceLine
from suanpan.invoicing.models.mailing import InvoiceMailing
from suanpan.invoicing.models.red_letters import RedLetterForm, RedLetterLine
from suanpan.invoicing.models.requests import InvoiceRequest, InvoiceRequestLine

__all__ = [
    "Invoice",
    "InvoiceBatch",
    "InvoiceLine",
    "InvoiceMailing",
    "InvoiceRequest",
    "InvoiceRequestLine",
    "InvoicingSettings",
    "RedLetterForm",
    "RedLetterLine",
]

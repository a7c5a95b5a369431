"""Invoicing (开票): invoice requests, fapiao, red-letter invoices, the mailing register."""

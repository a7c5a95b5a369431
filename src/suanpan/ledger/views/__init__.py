"""Ledger pages for people, one module per document: overview, company, accounts, vouchers,
periods, and the reports (balances, books, open items).

Each view parses the request, calls a selector or a service and renders the page (or its htmx
fragment); the services decide, check permissions again and raise DomainErrors.
"""

"""Every write of the sales app, one module per document: opportunities, quotes, contracts,
orders (CONVENTIONS.md `services.py`, split because the app is large)."""

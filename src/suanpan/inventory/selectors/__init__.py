"""Every read of the inventory app, one module per area (CONVENTIONS.md `selectors.py`, split)."""

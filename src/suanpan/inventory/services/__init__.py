"""Every write of the inventory app, one module per document; `stock` holds the primitives
that every document uses to move goods (CONVENTIONS.md `services.py`, split by document)."""

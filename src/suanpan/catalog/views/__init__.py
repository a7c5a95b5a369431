"""Catalog pages, one module per document; `urls.py` routes to them."""

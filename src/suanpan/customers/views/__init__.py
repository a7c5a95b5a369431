"""Customer pages, one module per document; `urls.py` routes to them. The customer page
itself (its tabs come from several apps) is composed in `suanpan.web`."""

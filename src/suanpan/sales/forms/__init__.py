"""Input validation of the sales pages, one module per document; services save."""

"""Input validation of the invoicing pages, one module per document; forms never save."""

"""The inventory pages, one module per document: parse, call a selector or service, render."""

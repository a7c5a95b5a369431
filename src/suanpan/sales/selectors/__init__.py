"""Every read of the sales app, one module per document, scoped by the user asking."""

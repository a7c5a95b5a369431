"""Forms of the inventory app, one module per area: input validation only, services save."""

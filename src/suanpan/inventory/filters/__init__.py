"""FilterSets of the inventory app, one module per area; each feeds a page, the API and exports."""

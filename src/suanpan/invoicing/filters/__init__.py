"""The invoicing app's FilterSets, one per list, for pages, the API and exports alike."""

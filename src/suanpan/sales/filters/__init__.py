"""FilterSets of the sales documents, one module per document: UI, API and exports filter alike."""

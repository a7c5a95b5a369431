"""Pages that belong to no single app: the dashboard, and the customer page composed from the
tabs of every app that has something to show about a customer."""

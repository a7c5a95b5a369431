"""Demo data: users for every role, customers, books, a catalogue, stock and sales.

One module per area (`users`, `customers`, `ledger`, `catalog`, `inventory`, `sales`), each
writing through the apps' own services; `load.demo_load()` runs them in order and the `demo`
management command calls it. This package imports nothing here: Django imports it while the
app registry is still loading.
"""

"""Demo data: users for every role, customers, books, a catalogue, stock and sales, written
through the apps' own services; the `demo` management command loads it. This package imports
nothing here: Django imports it while the app registry is still loading.
"""

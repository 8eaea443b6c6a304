"""Application services: they join the pure domain (core) with the database (storage)."""

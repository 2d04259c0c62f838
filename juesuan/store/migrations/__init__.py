"""Alembic migrations of the store, run on open (:func:`juesuan.store.engine.migrate`)."""

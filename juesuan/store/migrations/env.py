"""Alembic's environment for the store: always given a connection (``juesuan.store.engine.migrate``).

The whole upgrade is one transaction (both engines have transactional DDL). On SQLite its
``BEGIN IMMEDIATE`` is the write lock; on PostgreSQL an advisory lock taken first serialises
the processes that open an empty database at once; either way alembic reads the current
revision after the lock, so the second process finds the schema made and does nothing.
"""

from alembic import context
from sqlalchemy import text

from juesuan.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True,
                  render_as_batch=connection.dialect.name == "sqlite")

with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(7461239)"))   # juesuan's store: any fixed key
    context.run_migrations()

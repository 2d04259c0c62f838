"""The store (issue 16 §1): every imported disclosure, its versions, facts and findings.

A layer above :mod:`juesuan.pipeline` and beside the command line: it calls the pipeline and
stores its values through SQLAlchemy 2 (Core), on an SQLite file by default or on PostgreSQL
by URL, its schema kept by Alembic migrations run on open. Nothing below it imports
SQLAlchemy. See docs/store.md.

* :mod:`.schema` — the tables and the exact ``Money`` type;
* :mod:`.engine` — where the store is, opening it (WAL, busy timeout, migrations), retries;
* :mod:`.records` — a source's files and hash; an ``Audit`` as the rows of one version;
* :mod:`.store` — :class:`Store`: import, list, show, history, diff, delete;
* :mod:`.export` — facts, findings and summary as CSV, XLSX or Parquet.
"""

from .engine import StoreError, resolve_url
from .records import walk
from .store import Diff, Imported, Store

__all__ = ["Store", "StoreError", "Imported", "Diff", "resolve_url", "walk"]

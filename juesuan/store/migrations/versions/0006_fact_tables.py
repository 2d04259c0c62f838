"""Facts one table to a row (issue 16, the store's share of a batch): fact_tables, key_facts, fact_keys.

Until 0005 every fact was a row of ``facts`` (≈ 500 a document): writing them was most of what the
batch's one writer did. Now a table's cells are packed into one row of ``fact_tables``
(``juesuan.store.records.pack_cells``: zlib of JSON naming its columns), and the cells of the rows
that comparing and the dashboard read are kept once more one to a row in ``key_facts``. This
migration moves every stored fact into ``fact_tables`` — the same seq, row key, code, label, side,
column, exact value, unit, reading, text, page, line and box — and drops ``facts``; ``key_facts``
is filled from them when the store is next opened (``Store.open`` → ``sync_key_rows``, which also
fills it whenever juesuan's quantities come to read a new row). Downgrading unpacks them again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

from juesuan.store.records import CELL_COLUMNS, pack_cells, unpack_cells
from juesuan.store.schema import Money

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# the facts table as 0001–0005 made it (what is read here, and made again by downgrade)
_FACTS = sa.table(
    "facts", sa.column("version_id", sa.Integer), sa.column("seq", sa.Integer), sa.column("table_id", sa.String),
    sa.column("row_key", sa.Text), sa.column("code", sa.Text), sa.column("label", sa.Text),
    sa.column("side", sa.Text), sa.column("column", sa.Text), sa.column("value", Money()),
    sa.column("unit", sa.String), sa.column("how", sa.String), sa.column("confidence", sa.Float),
    sa.column("text", sa.Text), sa.column("page", sa.Integer), sa.column("line", sa.Integer),
    sa.column("bbox", sa.JSON))
_TABLES = sa.table(
    "fact_tables", sa.column("version_id", sa.Integer), sa.column("table_id", sa.String),
    sa.column("seq", sa.Integer), sa.column("unit", sa.String), sa.column("cell_count", sa.Integer),
    sa.column("cells", sa.LargeBinary))
_CHUNK = 200   # versions at a time: their facts in memory at once (≈ 500 each)


def upgrade() -> None:
    op.create_table(
        "fact_tables",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id", name="fk_fact_tables_version_id"),
                  nullable=False),
        sa.Column("table_id", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("unit", sa.String(8), nullable=False),
        sa.Column("cell_count", sa.Integer, nullable=False),
        sa.Column("cells", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("version_id", "table_id", name="pk_fact_tables"),
    )
    op.create_table(
        "key_facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id", name="fk_key_facts_version_id"),
                  nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("table_id", sa.String(16), nullable=False),
        sa.Column("row_key", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("column", sa.Text, nullable=False),
        sa.Column("value", Money()),
        sa.Column("unit", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_key_facts"),
    )
    op.create_index("ix_key_facts_version_cell", "key_facts", ["version_id", "table_id", "row_key"])
    op.create_table(
        "fact_keys",
        sa.Column("table_id", sa.String(16), nullable=False),
        sa.Column("row_key", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("table_id", "row_key", name="pk_fact_keys"),
    )
    conn = op.get_bind()
    ids = list(conn.execute(sa.select(_FACTS.c.version_id).distinct().order_by(_FACTS.c.version_id)).scalars())
    fields = list(CELL_COLUMNS)
    for chunk in (ids[k: k + _CHUNK] for k in range(0, len(ids), _CHUNK)):
        tables: dict[tuple[int, str], tuple[int, str, list[list]]] = {}
        order: dict[int, int] = {}
        q = (sa.select(_FACTS).where(_FACTS.c.version_id.in_(chunk))
             .order_by(_FACTS.c.version_id, _FACTS.c.seq))
        for f in conn.execute(q).mappings():
            key = (f["version_id"], f["table_id"])
            got = tables.get(key)
            if got is None:
                n = order.get(f["version_id"], 0)
                order[f["version_id"]] = n + 1
                got = tables[key] = (n, f["unit"], [])
            got[2].append([format(f[c], "f") if c == "value" and f[c] is not None else f[c] for c in fields])
        if tables:
            conn.execute(sa.insert(_TABLES), [
                {"version_id": vid, "table_id": tid, "seq": n, "unit": unit, "cell_count": len(cells),
                 "cells": pack_cells(cells)} for (vid, tid), (n, unit, cells) in tables.items()])
    op.drop_index("ix_facts_version_cell", table_name="facts")
    op.drop_table("facts")


def downgrade() -> None:
    op.create_table(
        "facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id", name="fk_facts_version_id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("table_id", sa.String(16), nullable=False),
        sa.Column("row_key", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("side", sa.Text),
        sa.Column("column", sa.Text, nullable=False),
        sa.Column("value", Money()),
        sa.Column("unit", sa.String(8), nullable=False),
        sa.Column("how", sa.String(40), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("page", sa.Integer),
        sa.Column("line", sa.Integer),
        sa.Column("bbox", sa.JSON),
        sa.PrimaryKeyConstraint("id", name="pk_facts"),
    )
    op.create_index("ix_facts_version_cell", "facts", ["version_id", "table_id", "row_key"])
    conn = op.get_bind()
    ids = list(conn.execute(sa.select(_TABLES.c.version_id).distinct().order_by(_TABLES.c.version_id)).scalars())
    for chunk in (ids[k: k + _CHUNK] for k in range(0, len(ids), _CHUNK)):
        rows = []
        q = (sa.select(_TABLES.c.version_id, _TABLES.c.table_id, _TABLES.c.unit, _TABLES.c.cells)
             .where(_TABLES.c.version_id.in_(chunk)).order_by(_TABLES.c.version_id, _TABLES.c.seq))
        for vid, tid, unit, cells in conn.execute(q).all():
            for c in unpack_cells(cells):
                rows.append({**{k: c.get(k) for k in CELL_COLUMNS}, "version_id": vid, "table_id": tid, "unit": unit})
        if rows:
            conn.execute(sa.insert(_FACTS), rows)
    op.drop_table("fact_keys")
    op.drop_index("ix_key_facts_version_cell", table_name="key_facts")
    op.drop_table("key_facts")
    op.drop_table("fact_tables")

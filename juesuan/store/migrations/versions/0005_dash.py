"""The facts of a version by cell (issue 17, dashboard): one index on (version_id, table_id, row_key).

The dashboard reads a few cells (收入合计, 支出合计 …) of every listed version; with the
index on version_id alone each version's every fact was scanned (about 500 each). The new
index finds a version's cell directly and still serves every lookup by version_id alone, so it
replaces ``ix_facts_version_id``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_facts_version_cell", "facts", ["version_id", "table_id", "row_key"])
    op.drop_index("ix_facts_version_id", table_name="facts")


def downgrade() -> None:
    op.create_index("ix_facts_version_id", "facts", ["version_id"])
    op.drop_index("ix_facts_version_cell", table_name="facts")

"""Narrative facts: what the 情况说明 states beyond the tables (政府采购, 年初预算, changes and their reasons).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

from juesuan.store.schema import Money

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "narrative_facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id", name="fk_narrative_facts_version_id"),
                  nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("section", sa.String(16), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("change", Money()),
        sa.Column("reason", sa.Text),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_narrative_facts"),
    )
    op.create_index("ix_narrative_facts_version_id", "narrative_facts", ["version_id"])


def downgrade() -> None:
    op.drop_table("narrative_facts")

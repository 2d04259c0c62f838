"""Each version keeps the kind's canonical data of what it read (amounts as decimal text), so that
the store can consolidate what it holds (``juesuan consolidate --db``) and build it again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("data", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("data")

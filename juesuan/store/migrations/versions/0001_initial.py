"""The store's first schema: entities, source files, disclosures, versions, facts, findings.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

from juesuan.store.schema import Money

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("level", sa.String(8)),
        sa.Column("unit_type", sa.String(16)),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("entities.id", name="fk_entities_parent_id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
        sa.UniqueConstraint("kind", "name", name="uq_entities_kind"),
    )
    op.create_table(
        "source_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source_files"),
        sa.UniqueConstraint("sha256", name="uq_source_files_sha256"),
    )
    op.create_table(
        "disclosures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id", name="fk_disclosures_entity_id"),
                  nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_disclosures"),
        sa.UniqueConstraint("entity_id", "year", "kind", name="uq_disclosures_entity_id"),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("disclosure_id", sa.Integer, sa.ForeignKey("disclosures.id", name="fk_versions_disclosure_id"),
                  nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("source_file_id", sa.Integer,
                  sa.ForeignKey("source_files.id", name="fk_versions_source_file_id"), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("variant", sa.String(32)),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("infos", sa.Integer, nullable=False),
        sa.Column("fact_count", sa.Integer, nullable=False),
        sa.Column("diagnostics", sa.JSON, nullable=False),
        sa.Column("coverage", sa.JSON),
        sa.PrimaryKeyConstraint("id", name="pk_versions"),
        sa.UniqueConstraint("disclosure_id", "number", name="uq_versions_disclosure_id"),
        sa.UniqueConstraint("source_file_id", name="uq_versions_source_file_id"),
    )
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
    op.create_index("ix_facts_version_id", "facts", ["version_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id", name="fk_findings_version_id"),
                  nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("places", sa.JSON, nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_version_id", "findings", ["version_id"])


def downgrade() -> None:
    for table in ("findings", "facts", "versions", "disclosures", "source_files", "entities"):
        op.drop_table(table)

"""The web's tables (issue 17): accounts, sessions, audit log, marks, uploads, 已公开, documents as read.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("department", sa.Text),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", name="fk_sessions_user_id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("user_name", sa.String(64)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("detail", sa.JSON),
        sa.Column("ip", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "marks",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id", name="fk_marks_version_id"), nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_marks"),
        sa.UniqueConstraint("version_id", "fingerprint", name="uq_marks_version_id"),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("message", sa.Text),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id", name="fk_uploads_version_id")),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.PrimaryKeyConstraint("id", name="pk_uploads"),
    )
    op.create_table(
        "disclosure_status",
        sa.Column("disclosure_id", sa.Integer,
                  sa.ForeignKey("disclosures.id", name="fk_disclosure_status_disclosure_id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("disclosure_id", name="pk_disclosure_status"),
    )
    op.create_table(
        "version_documents",
        sa.Column("version_id", sa.Integer,
                  sa.ForeignKey("versions.id", name="fk_version_documents_version_id"), nullable=False),
        sa.Column("document", sa.LargeBinary, nullable=False),
        sa.Column("made_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("version_id", name="pk_version_documents"),
    )


def downgrade() -> None:
    for t in ("version_documents", "disclosure_status", "uploads", "marks", "audit_log", "sessions", "users"):
        op.drop_table(t)

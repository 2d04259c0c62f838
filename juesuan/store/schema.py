"""The store's tables (SQLAlchemy Core): one schema for SQLite and PostgreSQL.

::

    entities ──< entities            a unit's department, a department's region (parent_id)
    entities ──< disclosures         one per entity, year and kind (final; budget later)
    disclosures ──< versions         every imported document of it, numbered 1, 2, …
    source_files ──1 versions        the file a version was read from (name, size, SHA-256)
    versions ──< fact_tables         every table cell — table, row, column, exact value, how read, where —
                                     a table's cells packed in one row (zlib JSON, records.pack_cells)
    versions ──< key_facts           the cells of the rows comparing and the dashboard read, one per row
    fact_keys                        which (table, row key) pairs key_facts holds for every version
    versions ──< findings            every finding: rule, severity, message, figures, places
    versions ──< narrative_facts     what the 情况说明 states beyond the tables: 政府采购, 年初预算, changes and reasons

    users ──< sessions               the web's accounts (admin / reviewer / department) and their logins
    audit_log                        every login, upload, mark, status change and account change
    versions ──< marks               a reviewer's mark on a finding: confirmed / dismissed (reason) / fixed
    uploads ──1 versions             a file uploaded through the web, its progress, the version it became
    disclosures ──1 disclosure_status  a status set by hand: 已公开 (published)
    versions ──1 version_documents   the document as read (Document.to_data, zlib-compressed JSON), for the pages

A version is never changed once written: importing a corrected document adds a version, and
deleting removes one whole. The migrations in ``migrations/versions`` create exactly these
tables (a test compares them); change both together, in a new migration.
docs/store.md explains each choice.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

__all__ = ["Money", "metadata", "entities", "source_files", "disclosures", "versions", "fact_tables", "key_facts",
           "fact_keys", "findings",
           "narrative_facts", "users", "sessions", "audit_log", "marks", "uploads", "disclosure_status",
           "version_documents",
           "ENTITY_KINDS", "STATUSES", "ROLES", "MARKS", "UPLOAD_STATES"]


class Money(TypeDecorator):
    """An amount as an exact :class:`~decimal.Decimal`: NUMERIC (unbounded) on PostgreSQL, the
    decimal text (``format(v, "f")``) on SQLite, whose own NUMERIC affinity would turn
    ``0.10`` into a binary float. A float handed to it is refused, never stored."""
    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"金额必须是 Decimal，不能是 {type(value).__name__}：{value!r}")
        return value if dialect.name == "postgresql" else format(value, "f")

    def process_result_value(self, value, dialect):
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(value)


# what an entity is: a unit (单位) under a department (部门), under a region (地区); regions nest
ENTITY_KINDS = ("unit", "department", "region")
# a version's status, from its findings: any error, else any warning, else ok
STATUSES = ("error", "warning", "ok")
# the web's roles: the bureau's administrator, its reviewers, a department's user (its own department only)
ROLES = ("admin", "reviewer", "department")
# a reviewer's mark on a finding
MARKS = ("confirmed", "dismissed", "fixed")
# an upload's progress
UPLOAD_STATES = ("queued", "running", "done", "failed")

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
})

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),          # ENTITY_KINDS
    Column("name", Text, nullable=False),                # full name: 武汉市汉阳区大数据中心, 武汉市汉阳区
    Column("level", String(8)),                          # 省/市/区/县/乡 when known
    Column("unit_type", String(16)),                     # 行政单位/参公事业单位/事业单位 when known
    Column("parent_id", Integer, ForeignKey("entities.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "name"),
)

source_files = Table(
    "source_files", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),                # the file's name (a data directory: its name)
    Column("path", Text, nullable=False),                # as given when imported
    Column("size", BigInteger, nullable=False),
    Column("format", String(16), nullable=False),        # pdf, docx, html, txt, yaml, json, xlsx, dir
)

disclosures = Table(
    "disclosures", metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),          # the pipeline's kind: final (决算); budget later
    UniqueConstraint("entity_id", "year", "kind"),
)

versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("disclosure_id", Integer, ForeignKey("disclosures.id"), nullable=False),
    Column("number", Integer, nullable=False),           # 1, 2, … within its disclosure
    Column("source_file_id", Integer, ForeignKey("source_files.id"), nullable=False, unique=True),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("title", Text, nullable=False),
    Column("origin", String(8), nullable=False),         # built (from data) or parsed (a published file)
    Column("variant", String(32)),                       # the table layout: national, shanghai …
    Column("status", String(8), nullable=False),         # STATUSES
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("infos", Integer, nullable=False),
    Column("fact_count", Integer, nullable=False),
    Column("diagnostics", JSON, nullable=False),         # what loading said: [{severity, message, …}]
    Column("coverage", JSON),                            # a parsed file: pages, tables found, cells read …
    Column("data", JSON),                                # the kind's canonical data of it (amounts as text)
    UniqueConstraint("disclosure_id", "number"),
)

# Every fact of a version (a table cell with how and where it was read: records.FACT_COLUMNS), kept
# one table to a row (migration 0006; docs/store.md says why): the table's id, order and unit, and its
# cells packed (records.pack_cells: zlib of JSON naming its columns, each cell's seq, row key, code,
# label, side, column, value as exact decimal text or null, how, confidence, text, page, line, box).
fact_tables = Table(
    "fact_tables", metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), primary_key=True),
    Column("table_id", String(16), primary_key=True),    # T1 … T9, T10 …
    Column("seq", Integer, nullable=False),              # the table's order in the document
    Column("unit", String(8), nullable=False),           # the table's unit: 万元 (built tables), 元 …
    Column("cell_count", Integer, nullable=False),
    Column("cells", LargeBinary, nullable=False),
)

# The cells of the rows compare.QUANTITIES reads (收入合计, 支出合计, 三公 …; records.key_rows), once more
# one to a row, found by index: the dashboard's key figures and the compare tables of many versions.
key_facts = Table(
    "key_facts", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),
    Column("seq", Integer, nullable=False),              # the fact's order in the document (as in fact_tables)
    Column("table_id", String(16), nullable=False),
    Column("row_key", Text, nullable=False),
    Column("code", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("column", Text, nullable=False),
    Column("value", Money),                              # NULL: the cell shows nothing (not 0)
    Column("unit", String(8), nullable=False),
    Index("ix_key_facts_version_cell", "version_id", "table_id", "row_key"),
)

# The (table, row key) pairs key_facts holds for every version: when juesuan's quantities read a new row,
# opening the store adds that row's cells of every version from fact_tables (Store.open, sync_key_rows).
fact_keys = Table(
    "fact_keys", metadata,
    Column("table_id", String(16), primary_key=True),
    Column("row_key", Text, primary_key=True),
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("rule", String(16), nullable=False),          # JS101 …
    Column("severity", String(8), nullable=False),       # error / warning / info
    Column("message", Text, nullable=False),
    Column("figures", JSON, nullable=False),             # the displayed figures it rests on
    Column("places", JSON, nullable=False),              # [Place.to_dict(), …]
    Column("fingerprint", String(32), nullable=False),   # the same finding in another version: see records
    Index(None, "version_id"),
)

# What the narrative states that the tables do not (the kind declares them: juesuan/final/narrative_facts.py):
# named amounts (procurement_total, procurement_sme, initial_budget …) and every "增加/减少 x 万元"
# statement (name "change") with the figure it changes, the signed change and the reason given.
narrative_facts = Table(
    "narrative_facts", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("name", String(32), nullable=False),          # procurement_total, procurement_sme, initial_budget, change
    Column("section", String(16), nullable=False),       # the section (national numbering): 11, 5, 1 …
    Column("value", Money, nullable=False),              # in 万元, as stated (a change: the figure it changes)
    Column("change", Money),                             # a change: signed, in 万元
    Column("reason", Text),                              # a change: the reason stated; NULL: none stated
    Column("sentence", Text, nullable=False),
    Index(None, "version_id"),
)


# ------------------------------------------------------------------------------ the web (issue 17)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),          # ROLES
    Column("department", Text),                          # a department user's entity name (else NULL)
    Column("password_hash", Text, nullable=False),       # argon2id
    Column("active", Integer, nullable=False),           # 1, or 0: disabled
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions", metadata,
    Column("id", String(64), primary_key=True),          # SHA-256 of the cookie's token (the token is never stored)
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),          # the session's CSRF token (forms and htmx requests)
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index(None, "user_id"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(64)),                     # NULL: not logged in (a failed login: name in detail)
    Column("action", String(32), nullable=False),        # login, login_failed, logout, upload, mark, status, user_add …
    Column("target", Text),                              # what it acted on: version 12, user zhangsan …
    Column("detail", JSON),
    Column("ip", String(64)),
    Index(None, "at"),
)

marks = Table(
    "marks", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),
    Column("fingerprint", String(32), nullable=False),   # the finding (findings.fingerprint)
    Column("state", String(16), nullable=False),         # MARKS
    Column("reason", Text),                              # required for dismissed
    Column("user_name", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("version_id", "fingerprint"),
)

uploads = Table(
    "uploads", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_name", String(64), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("state", String(16), nullable=False),         # UPLOAD_STATES
    Column("progress", Integer, nullable=False),         # 0–100
    Column("message", Text),                             # what it is doing, or why it failed (Chinese)
    Column("version_id", Integer, ForeignKey("versions.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
)

disclosure_status = Table(
    "disclosure_status", metadata,
    Column("disclosure_id", Integer, ForeignKey("disclosures.id"), primary_key=True),
    Column("status", String(16), nullable=False),        # published (已公开)
    Column("user_name", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# the document of a version as it was read (tables with each cell's reading and place, the narrative),
# for the document page: written when the web imports an upload, or on first view from the source file
version_documents = Table(
    "version_documents", metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), primary_key=True),
    Column("document", LargeBinary, nullable=False),     # zlib(JSON of juesuan.document.to_data)
    Column("made_at", DateTime(timezone=True), nullable=False),
)

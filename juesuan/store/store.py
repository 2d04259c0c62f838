"""The store: import documents through the pipeline, keep every version, answer questions.

:class:`Store` is what the ``juesuan db`` commands (and later batch, compare and the web) call.
An import hashes the source first (a file already stored is reported and not read again), runs
:func:`juesuan.pipeline.audit` on it, and writes the entity, the disclosure, the new version,
its facts and its findings in **one transaction**: a failure half-way — a broken file, a full
disk, Ctrl-C, another process's lock held too long — leaves nothing behind. A version is never
changed afterwards; :meth:`Store.diff` compares two of them (facts changed, findings fixed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .. import pipeline
from .engine import StoreError, display_url, open_engine, resolve_url, retrying
from .records import (
    KEY_COLUMNS,
    TABLE_COLUMNS,
    Record,
    Source,
    key_rows,
    record_of,
    region_chain,
    source_of,
    unpack_cells,
)
from .schema import (
    disclosure_status,
    disclosures,
    entities,
    fact_keys,
    fact_tables,
    findings,
    key_facts,
    marks,
    narrative_facts,
    source_files,
    uploads,
    version_documents,
    versions,
)

__all__ = ["Store", "Imported", "Diff", "FactChange", "STATUS_LABELS", "KIND_LABELS", "MARK_LABELS"]

STATUS_LABELS = {"error": "有错误", "warning": "有警告", "ok": "通过"}
# a reviewer's mark on a finding (schema.MARKS), as the pages, the API and the 修改意见 say it
MARK_LABELS = {"confirmed": "已确认", "dismissed": "已驳回", "fixed": "已修改"}
KIND_LABELS = {"final": "决算", "budget": "预算"}


@dataclass
class Imported:
    """What importing one source did: ``new`` (a first version), ``version`` (a later version of a
    disclosure already stored) or ``unchanged`` (this very file is stored already: nothing done)."""
    path: Path
    outcome: str
    version_id: int
    number: int
    entity: str
    year: int
    kind: str
    status: str
    counts: dict[str, int]
    previous_id: int | None = None
    diff: Diff | None = None
    paired: list[Any] = field(default_factory=list)    # pairing.Paired: its 决算 and 预算 checked against each other


@dataclass(frozen=True)
class FactChange:
    table_id: str
    row_key: str
    code: str
    label: str
    column: str
    old: Decimal | None
    new: Decimal | None


@dataclass
class Diff:
    """What changed from version ``old_id`` to ``new_id`` of a disclosure."""
    old_id: int
    new_id: int
    changed: list[FactChange] = field(default_factory=list)   # a cell in both, its value changed
    added: list[FactChange] = field(default_factory=list)     # a cell only the new version shows
    removed: list[FactChange] = field(default_factory=list)   # a cell only the old version showed
    fixed: list[dict[str, Any]] = field(default_factory=list)     # findings of the old not in the new
    new_findings: list[dict[str, Any]] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)      # in both (as the new one words it)


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """A store at a URL (see :func:`~juesuan.store.engine.resolve_url`), its schema up to date."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._ids: dict[tuple, Any] = {}    # entities and disclosures known to exist (see _Ids)

    @classmethod
    def open(cls, db: str | Path | None = None) -> Store:
        store = cls(open_engine(resolve_url(db)))
        try:
            sync_key_rows(store.engine)
        except sa.exc.DBAPIError as e:
            store.close()
            raise StoreError(f"无法写入数据库 {store.where}：{str(e.orig).splitlines()[0]}") from None
        return store

    @property
    def where(self) -> str:
        return display_url(self.engine.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read(self) -> Connection:
        return self.engine.connect().execution_options(readonly=True)

    # ------------------------------------------------------------------------------ import

    def import_path(self, path: str | Path, region: str | None = None, year: int | None = None,
                    diff: bool = True) -> Imported:
        """Import one source (a file or a data directory). Raises ``InputError`` when it cannot be
        used (with its reason), ``StoreError`` when the store cannot be written. ``diff``: compare
        a new version with the one before (``Imported.diff``)."""
        path = Path(path)
        src = source_of(path)
        known = self._by_hash(src.sha256)
        if known is not None:     # stored already; its pair is checked if it was not (an import stopped before)
            imported = known_import(path, known)
            imported.paired = self.pair(imported)
            return imported
        audit = pipeline.audit(path)     # a 决算 or a 预算: the file says which (data are a 决算's)
        imported = self.write(record_of(audit, path, region=region, year=year), src, diff)
        imported.paired = self.pair(imported, {imported.version_id: audit.document})
        return imported

    def pair(self, imported: Imported, documents: dict[int, Any] | None = None) -> list[Any]:
        """Check the 决算 and the 预算 of ``imported``'s unit and year against each other when the store
        holds both and their latest versions were not checked together yet (:mod:`.pairing`); the
        counts of ``imported`` are brought up to date when it is the 决算 checked."""
        from .pairing import pair_all
        done = pair_all(self, self.keys_of([imported.version_id]), documents)
        for p in done:
            if p.checked and p.final_id == imported.version_id:
                imported.counts = dict(p.counts)
                imported.status = "error" if p.counts["error"] else "warning" if p.counts["warning"] else "ok"
        return done

    def keys_of(self, version_ids: Iterable[int]) -> set[tuple[int, int]]:
        """The (entity id, year) of the versions' disclosures (what pairs a 决算 with its 预算)."""
        ids = sorted(set(version_ids))
        out: set[tuple[int, int]] = set()
        with self._read() as conn:
            for chunk in (ids[k: k + 500] for k in range(0, len(ids), 500)):
                out.update((r.entity_id, r.year) for r in conn.execute(
                    sa.select(disclosures.c.entity_id, disclosures.c.year).distinct()
                    .join(versions, versions.c.disclosure_id == disclosures.c.id).where(versions.c.id.in_(chunk))))
        return out

    def write(self, rec: Record, src: Source, diff: bool = True) -> Imported:
        """Store one version made elsewhere (a batch's worker reads and checks, its client writes),
        in one transaction, run again when a concurrent writer got in its way. ``diff`` as for
        :meth:`import_path` (it costs about as much as the write)."""
        try:
            imported = retrying(lambda: self._write(rec, src))
        except sa.exc.DBAPIError as e:
            self._ids.clear()
            raise StoreError(f"无法写入数据库 {self.where}：{str(e.orig).splitlines()[0]}") from None
        if diff and imported.previous_id is not None and imported.outcome == "version":
            imported.diff = self.diff(imported.previous_id, imported.version_id)
        return imported

    def write_many(self, items: list[tuple[Record, Source]]) -> list[Imported | Exception]:
        """Store several versions made elsewhere in one transaction (a batch's writer: committing
        each document cost about as much as writing its rows). When the transaction fails, each
        is written again on its own, so that a source the store refuses fails alone; the result
        holds, for each, what it became or the exception that stopped it."""
        if len(items) > 1:
            try:
                return retrying(lambda: self._write_group(items))
            except Exception:  # noqa: BLE001 - written one by one below, each failure its own
                self._ids.clear()   # what it knew may be what another writer just deleted
        out: list[Imported | Exception] = []
        for rec, src in items:
            try:
                out.append(self.write(rec, src, diff=False))
            except Exception as e:  # noqa: BLE001 - the caller reports it with its source
                out.append(e)
        return out

    def _write_group(self, items: list[tuple[Record, Source]]) -> list[Imported | Exception]:
        ids = _Ids(self._ids)
        with self.engine.begin() as conn:
            out: list[Imported | Exception] = [self._write_in(conn, rec, src, ids) for rec, src in items]
        ids.commit()
        return out

    def known(self, src: Source) -> Imported | None:
        """What this very source (the same SHA-256) was stored as, or None: not stored yet."""
        row = self._by_hash(src.sha256)
        return known_import(src.path, row) if row is not None else None

    def _by_hash(self, sha256: str) -> dict[str, Any] | None:
        with self._read() as conn:
            if conn.execute(_BY_HASH, {"sha": sha256}).first() is None:    # the usual answer, cheaply
                return None
            row = conn.execute(_versions_query().where(source_files.c.sha256 == sha256)).mappings().first()
            return dict(row) if row else None

    def _write(self, rec: Record, src: Source) -> Imported:
        ids = _Ids(self._ids)
        with self.engine.begin() as conn:
            imported = self._write_in(conn, rec, src, ids)
        ids.commit()
        return imported

    def _write_in(self, conn: Connection, rec: Record, src: Source, ids: _Ids) -> Imported:
        if conn.execute(_BY_HASH, {"sha": src.sha256}).first() is not None:
            # a concurrent import stored this very file meanwhile
            row = conn.execute(_versions_query().where(source_files.c.sha256 == src.sha256)).mappings().first()
            return known_import(src.path, dict(row))
        parent = None
        if rec.region:
            for name, level in region_chain(rec.region):
                parent = ids.entity(conn, "region", name, level, None, parent)
        entity_id = ids.entity(conn, "department", rec.entity, rec.level, rec.unit_type, parent)
        disclosure_id = ids.disclosure(conn, entity_id, rec.year, rec.kind)
        previous = conn.execute(_PREVIOUS, {"d": disclosure_id}).first()
        number = previous.number + 1 if previous else 1
        file_id = conn.execute(_INSERT_SOURCE, dict(
            sha256=src.sha256, name=src.path.name or str(src.path), path=str(src.path), size=src.size,
            format=src.format)).scalar_one()
        version_id = conn.execute(_INSERT_VERSION, dict(
            disclosure_id=disclosure_id, number=number, source_file_id=file_id, imported_at=_now(),
            title=rec.title, origin=rec.origin, variant=rec.variant, status=rec.status,
            errors=rec.counts["error"], warnings=rec.counts["warning"], infos=rec.counts["info"],
            fact_count=rec.fact_count, diagnostics=rec.diagnostics, coverage=rec.coverage, data=rec.data)).scalar_one()
        _write_facts(conn, version_id, rec.fact_tables, rec.key_facts)
        _write_findings(conn, version_id, rec.findings)
        if rec.narrative:
            conn.execute(sa.insert(narrative_facts), [{**r, "version_id": version_id} for r in rec.narrative])
        return Imported(src.path, "version" if previous else "new", version_id, number, rec.entity, rec.year,
                        rec.kind, rec.status, dict(rec.counts), previous.id if previous else None)

    # ------------------------------------------------------------------------------ questions

    def versions(self, region: str | None = None, year: int | None = None, status: str | None = None,
                 entity: str | None = None, all_versions: bool = False,
                 ids: Iterable[int] | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        """The stored versions (the latest of each disclosure unless ``all_versions``), filtered:
        ``region`` and ``entity`` by part of the name, ``year``, ``status`` (error/warning/ok),
        ``kind`` (final 决算 / budget 预算)."""
        q = _versions_query()
        if ids is not None:
            q = q.where(versions.c.id.in_(list(ids)))
        elif not all_versions:
            latest = (sa.select(versions.c.disclosure_id, sa.func.max(versions.c.number).label("n"))
                      .group_by(versions.c.disclosure_id).subquery())
            q = q.join(latest, sa.and_(latest.c.disclosure_id == versions.c.disclosure_id,
                                       latest.c.n == versions.c.number))
        if region:
            q = q.where(sa.func.coalesce(_REGION.c.name, "").contains(region, autoescape=True))
        if entity:
            q = q.where(entities.c.name.contains(entity, autoescape=True))
        if year is not None:
            q = q.where(disclosures.c.year == year)
        if status:
            q = q.where(versions.c.status == status)
        if kind:
            q = q.where(disclosures.c.kind == kind)
        q = q.order_by(sa.func.coalesce(_REGION.c.name, ""), entities.c.name, disclosures.c.year,
                       disclosures.c.kind, versions.c.number)
        with self._read() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def data(self, version_id: int) -> dict[str, Any] | None:
        """The kind's canonical data the version was read as (amounts as decimal text), or None:
        stored before the store kept it, or the document could not be read back as data."""
        with self._read() as conn:
            return conn.execute(sa.select(versions.c.data).where(versions.c.id == version_id)).scalar()

    def version(self, version_id: int) -> dict[str, Any] | None:
        got = self.versions(ids=[version_id])
        return got[0] if got else None

    def facts(self, version_id: int) -> list[dict[str, Any]]:
        """Every fact of the version in document order (``records.FACT_COLUMNS`` and its
        ``version_id``): an amount as its exact Decimal, None where the cell shows nothing."""
        return self.table_facts([version_id], full=True)[version_id]

    def findings(self, version_id: int) -> list[dict[str, Any]]:
        with self._read() as conn:
            return [dict(r) for r in conn.execute(sa.select(findings).where(findings.c.version_id == version_id)
                                                  .order_by(findings.c.seq)).mappings()]

    def narrative(self, version_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """The narrative facts of each of ``version_ids`` (see ``schema.narrative_facts``), in order;
        a version without any (none stated, or imported before they were kept) maps to []."""
        ids = list(version_ids)
        out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        with self._read() as conn:
            for chunk in (ids[k: k + 500] for k in range(0, len(ids), 500)):
                q = (sa.select(narrative_facts).where(narrative_facts.c.version_id.in_(chunk))
                     .order_by(narrative_facts.c.version_id, narrative_facts.c.seq))
                for r in conn.execute(q).mappings():
                    out[r["version_id"]].append(dict(r))
        return out

    def table_facts(self, version_ids: Iterable[int], rows: Iterable[tuple[str, str]] | None = None,
                    full: bool = False) -> dict[int, list[dict[str, Any]]]:
        """The table facts of each of ``version_ids`` (table, row key, code, label, column, value,
        unit; with ``full`` every field of ``records.FACT_COLUMNS``), in document order; only those
        of the (table, row key) pairs ``rows`` when given. Rows among the key rows are read from
        ``key_facts`` through its index, anything else by unpacking the versions' tables."""
        ids = list(version_ids)
        out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        pairs = set(rows) if rows is not None else None
        if pairs is not None and not full and pairs <= key_rows():
            if pairs:
                self._key_facts(ids, pairs, out)
            return out
        tables = sorted({t for t, _ in pairs}) if pairs is not None else None
        with self._read() as conn:
            for chunk in (ids[k: k + 500] for k in range(0, len(ids), 500)):
                q = (sa.select(fact_tables.c.version_id, fact_tables.c.table_id, fact_tables.c.unit,
                               fact_tables.c.cells)
                     .where(fact_tables.c.version_id.in_(chunk))
                     .order_by(fact_tables.c.version_id, fact_tables.c.seq))
                if tables is not None:
                    q = q.where(fact_tables.c.table_id.in_(tables))
                for vid, table_id, unit, cells in conn.execute(q):
                    got = out[vid]
                    for c in unpack_cells(cells):
                        if pairs is not None and (table_id, c["row_key"]) not in pairs:
                            continue
                        if full:
                            got.append({"version_id": vid, "seq": c["seq"], "table_id": table_id,
                                        "row_key": c["row_key"], "code": c["code"], "label": c["label"],
                                        "side": c["side"], "column": c["column"], "value": c["value"], "unit": unit,
                                        "how": c["how"], "confidence": c["confidence"], "text": c["text"],
                                        "page": c["page"], "line": c["line"], "bbox": c["bbox"]})
                        else:
                            got.append({"version_id": vid, "table_id": table_id, "row_key": c["row_key"],
                                        "code": c["code"], "label": c["label"], "column": c["column"],
                                        "value": c["value"], "unit": unit, "seq": c["seq"]})
        for got in out.values():
            got.sort(key=lambda f: f["seq"])
        return out

    def _key_facts(self, ids: list[int], pairs: set[tuple[str, str]], out: dict[int, list[dict[str, Any]]]) -> None:
        cols = (key_facts.c.version_id, key_facts.c.table_id, key_facts.c.row_key, key_facts.c.code,
                key_facts.c.label, key_facts.c.column, key_facts.c.value, key_facts.c.unit, key_facts.c.seq)
        only = sa.or_(*(sa.and_(key_facts.c.table_id == t, key_facts.c.row_key == r) for t, r in sorted(pairs)))
        with self._read() as conn:
            for chunk in (ids[k: k + 500] for k in range(0, len(ids), 500)):
                q = (sa.select(*cols).where(key_facts.c.version_id.in_(chunk), only)
                     .order_by(key_facts.c.version_id, key_facts.c.seq))
                for r in conn.execute(q).mappings():
                    out[r["version_id"]].append(dict(r))

    def table_ids(self, version_id: int) -> list[str]:
        """The tables the version holds facts of, in document order."""
        with self._read() as conn:
            return list(conn.execute(sa.select(fact_tables.c.table_id).where(fact_tables.c.version_id == version_id)
                                     .order_by(fact_tables.c.seq)).scalars())

    def unchecked_counts(self, version_ids: Iterable[int]) -> dict[int, int]:
        """How many "无法核对" findings (an error resting on a figure not read with certainty, made
        info: ``juesuan.rules.certainty``) each of ``version_ids`` has (0 for none)."""
        from ..rules.certainty import UNCHECKED
        ids = list(version_ids)
        out = dict.fromkeys(ids, 0)
        with self._read() as conn:
            for chunk in (ids[k: k + 500] for k in range(0, len(ids), 500)):
                q = (sa.select(findings.c.version_id, sa.func.count())
                     .where(findings.c.version_id.in_(chunk), findings.c.message.startswith(UNCHECKED, autoescape=True))
                     .group_by(findings.c.version_id))
                for vid, n in conn.execute(q):
                    out[vid] = n
        return out

    def entities(self, query: str) -> list[dict[str, Any]]:
        """The entities (not regions) named ``query`` exactly, else containing it, else with that id."""
        with self._read() as conn:
            base = sa.select(entities).where(entities.c.kind != "region")
            exact = conn.execute(base.where(entities.c.name == query)).mappings().all()
            if exact:
                return [dict(r) for r in exact]
            if query.isdigit():
                by_id = conn.execute(base.where(entities.c.id == int(query))).mappings().all()
                if by_id:
                    return [dict(r) for r in by_id]
            return [dict(r) for r in conn.execute(base.where(entities.c.name.contains(query, autoescape=True))
                                                  .order_by(entities.c.name)).mappings()]

    def history(self, entity_id: int) -> list[dict[str, Any]]:
        """Every version of every disclosure of the entity, oldest first within each."""
        q = _versions_query().where(entities.c.id == entity_id).order_by(
            disclosures.c.year, disclosures.c.kind, versions.c.number)
        with self._read() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def previous(self, version_id: int) -> int | None:
        """The version before ``version_id`` of the same disclosure, if any."""
        with self._read() as conn:
            row = conn.execute(sa.select(versions.c.disclosure_id, versions.c.number)
                               .where(versions.c.id == version_id)).first()
            if row is None:
                return None
            return conn.execute(sa.select(versions.c.id).where(
                versions.c.disclosure_id == row.disclosure_id, versions.c.number < row.number)
                .order_by(versions.c.number.desc()).limit(1)).scalar()

    def diff(self, old_id: int, new_id: int) -> Diff:
        """Facts changed, added and removed, findings fixed, new and kept, from ``old_id`` to ``new_id``.
        Cells are matched by table, row key and column; findings by fingerprint (rule and the
        cells or sections they point at, not their figures: see :func:`records.fingerprint`)."""
        old = {(f["table_id"], f["row_key"], f["column"]): f for f in self.facts(old_id)}
        new = {(f["table_id"], f["row_key"], f["column"]): f for f in self.facts(new_id)}
        out = Diff(old_id, new_id)

        def change(a, b) -> FactChange:
            f = b or a
            return FactChange(f["table_id"], f["row_key"], f["code"], f["label"], f["column"],
                              a["value"] if a else None, b["value"] if b else None)

        for key, f in new.items():
            o = old.get(key)
            if o is None:
                out.added.append(change(None, f))
            elif o["value"] != f["value"]:
                out.changed.append(change(o, f))
        out.removed = [change(f, None) for key, f in old.items() if key not in new]
        old_findings = self.findings(old_id)
        new_findings = self.findings(new_id)
        old_keys = {f["fingerprint"] for f in old_findings}
        new_keys = {f["fingerprint"] for f in new_findings}
        out.fixed = [f for f in old_findings if f["fingerprint"] not in new_keys]
        out.new_findings = [f for f in new_findings if f["fingerprint"] not in old_keys]
        out.kept = [f for f in new_findings if f["fingerprint"] in old_keys]
        return out

    # ------------------------------------------------------------------------------ delete

    def delete(self, version_id: int) -> bool:
        """Remove a version with its facts, findings, marks, document and source file record (and
        its disclosure when it was the only version); an upload that made it stays in the log,
        no longer pointing at it. False when there is no such version."""
        def work() -> bool:
            with self.engine.begin() as conn:
                row = conn.execute(sa.select(versions.c.disclosure_id, versions.c.source_file_id)
                                   .where(versions.c.id == version_id)).first()
                if row is None:
                    return False
                from .pairing import unpair
                unpair(conn, version_id, row.disclosure_id)    # a 预算 gone: the 决算 checked with it is not any more
                conn.execute(sa.delete(fact_tables).where(fact_tables.c.version_id == version_id))
                conn.execute(sa.delete(key_facts).where(key_facts.c.version_id == version_id))
                conn.execute(sa.delete(findings).where(findings.c.version_id == version_id))
                conn.execute(sa.delete(narrative_facts).where(narrative_facts.c.version_id == version_id))
                conn.execute(sa.delete(marks).where(marks.c.version_id == version_id))
                conn.execute(sa.delete(version_documents).where(version_documents.c.version_id == version_id))
                conn.execute(sa.update(uploads).where(uploads.c.version_id == version_id).values(version_id=None))
                conn.execute(sa.delete(versions).where(versions.c.id == version_id))
                conn.execute(sa.delete(source_files).where(source_files.c.id == row.source_file_id))
                left = conn.execute(sa.select(sa.func.count()).select_from(versions)
                                    .where(versions.c.disclosure_id == row.disclosure_id)).scalar_one()
                if not left:
                    self._ids.clear()
                    conn.execute(sa.delete(disclosure_status)
                                 .where(disclosure_status.c.disclosure_id == row.disclosure_id))
                    conn.execute(sa.delete(disclosures).where(disclosures.c.id == row.disclosure_id))
                return True
        return retrying(work)

    def counts(self) -> dict[str, int]:
        """Rows in each table (what a test compares before and after a failed import); ``facts``:
        the facts (cells) held in all of ``fact_tables``."""
        with self._read() as conn:
            out = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                   for t in (entities, source_files, disclosures, versions, fact_tables, key_facts, findings,
                             narrative_facts)}
            out["facts"] = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(fact_tables.c.cell_count), 0))
                                        ).scalar_one()
            return out


# -------------------------------------------------------------------------------------- helpers

_REGION = entities.alias("region")


_BY_HASH = sa.text("SELECT id FROM source_files WHERE sha256 = :sha")
# the statements of a write, made once (SQLAlchemy compiles each once and caches it; building them
# anew for every document cost more than running them)
_INSERT_SOURCE = sa.insert(source_files).returning(source_files.c.id)
_INSERT_VERSION = sa.insert(versions).returning(versions.c.id)
_INSERT_ENTITY = sa.insert(entities).returning(entities.c.id)
_INSERT_DISCLOSURE = sa.insert(disclosures).returning(disclosures.c.id)
_ENTITY = (sa.select(entities.c.id, entities.c.level, entities.c.unit_type, entities.c.parent_id)
           .where(entities.c.kind == sa.bindparam("kind"), entities.c.name == sa.bindparam("name")))
_DISCLOSURE = sa.select(disclosures.c.id).where(disclosures.c.entity_id == sa.bindparam("entity_id"),
                                                disclosures.c.year == sa.bindparam("year"),
                                                disclosures.c.kind == sa.bindparam("kind"))
_PREVIOUS = sa.text("SELECT id, number FROM versions WHERE disclosure_id = :d ORDER BY number DESC LIMIT 1")


def _versions_query() -> sa.Select:
    """One row per version with its disclosure, entity, region and source file."""
    return (sa.select(versions.c.id, versions.c.number, versions.c.imported_at, versions.c.title,
                      versions.c.origin, versions.c.variant, versions.c.status, versions.c.errors,
                      versions.c.warnings, versions.c.infos, versions.c.fact_count, versions.c.diagnostics,
                      versions.c.coverage, versions.c.disclosure_id, disclosures.c.year, disclosures.c.kind,
                      entities.c.id.label("entity_id"), entities.c.name.label("entity"), entities.c.level,
                      entities.c.unit_type, _REGION.c.name.label("region"), source_files.c.name.label("file"),
                      source_files.c.path, source_files.c.size, source_files.c.sha256,
                      source_files.c.format)
            .select_from(versions)
            .join(disclosures, disclosures.c.id == versions.c.disclosure_id)
            .join(entities, entities.c.id == disclosures.c.entity_id)
            .outerjoin(_REGION, _REGION.c.id == entities.c.parent_id)
            .join(source_files, source_files.c.id == versions.c.source_file_id))


def known_import(path: Path, row: dict[str, Any]) -> Imported:
    return Imported(path, "unchanged", row["id"], row["number"], row["entity"], row["year"], row["kind"],
                    row["status"], {"error": row["errors"], "warning": row["warnings"], "info": row["infos"]})


class _Ids:
    """The ids of entities and disclosures, looked up or made in a write transaction and kept by
    the store once it commits (a batch files many documents under the same region and
    department): entities and disclosures are never renamed, and deleting a version keeps its
    entity; a disclosure deleted with its last version is dropped from what is kept. What a
    transaction that rolls back made is forgotten with it."""

    def __init__(self, known: dict[tuple, Any]):
        self.known = known
        self.made: dict[tuple, Any] = {}

    def commit(self) -> None:
        self.known.update(self.made)

    def entity(self, conn: Connection, kind: str, name: str, level: str | None, unit_type: str | None,
               parent: int | None) -> int:
        """The entity ``kind`` ``name``, made if new; what it did not know yet (its level, its
        region) is filled in, what it knew is kept."""
        key = ("entity", kind, name)
        row = self.made.get(key) or self.known.get(key)
        if row is None:
            got = conn.execute(_ENTITY, {"kind": kind, "name": name}).mappings().first()
            if got is None:
                eid = conn.execute(_INSERT_ENTITY, dict(kind=kind, name=name, level=level, unit_type=unit_type,
                                                        parent_id=parent, created_at=_now())).scalar_one()
                self.made[key] = {"id": eid, "level": level, "unit_type": unit_type, "parent_id": parent}
                return eid
            row = dict(got)
        fill = {k: v for k, v in (("level", level), ("unit_type", unit_type), ("parent_id", parent))
                if v is not None and row[k] is None}
        if fill:
            conn.execute(sa.update(entities).where(entities.c.id == row["id"]).values(**fill))
        self.made[key] = {**row, **fill}
        return row["id"]

    def disclosure(self, conn: Connection, entity_id: int, year: int, kind: str) -> int:
        key = ("disclosure", entity_id, year, kind)
        got = self.made.get(key) or self.known.get(key)
        if got is None:
            got = conn.execute(_DISCLOSURE, {"entity_id": entity_id, "year": year, "kind": kind}).scalar()
        if got is None:
            got = conn.execute(_INSERT_DISCLOSURE, {"entity_id": entity_id, "year": year, "kind": kind}).scalar_one()
        self.made[key] = got
        return got


def _write_facts(conn: Connection, version_id: int, tables: list[tuple], keys: list[tuple]) -> None:
    """A document's facts as the worker packed them (``records.pack_facts``): its ≈ 9 tables, one
    row each, and the cells of its key rows, each in one driver-level ``executemany`` with the
    version's id written into the statement (an integer the store made): SQLAlchemy's per-row
    parameter processing, and copying each row to add the id, would cost more than the insert."""
    for table, columns, rows in (("fact_tables", TABLE_COLUMNS, tables), ("key_facts", KEY_COLUMNS, keys)):
        if rows:
            conn.exec_driver_sql(_insert_sql(conn, table, columns, version_id), rows)


_FINDING_COLUMNS = ("version_id", "seq", "rule", "severity", "message", "figures", "places", "fingerprint")


def _write_findings(conn: Connection, version_id: int, rows: list[dict[str, Any]]) -> None:
    """A document's findings in one driver-level ``executemany`` (as its facts), figures and places
    as the JSON text the ``JSON`` columns hold."""
    if not rows:
        return
    conn.exec_driver_sql(_insert_sql(conn, "findings", _FINDING_COLUMNS), [
        (version_id, r["seq"], r["rule"], r["severity"], r["message"], json.dumps(r["figures"], ensure_ascii=False),
         json.dumps(r["places"], ensure_ascii=False), r["fingerprint"]) for r in rows])


def _insert_sql(conn: Connection, table: str, columns: tuple[str, ...], version_id: int | None = None) -> str:
    """An INSERT of ``columns`` as driver parameters; with ``version_id``, that id as a literal first."""
    mark = "%s" if conn.dialect.paramstyle in ("format", "pyformat") else "?"
    names = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in columns)
    marks = ", ".join([mark] * len(columns))
    if version_id is None:
        return f"INSERT INTO {table} ({names}) VALUES ({marks})"
    return f"INSERT INTO {table} (version_id, {names}) VALUES ({int(version_id)}, {marks})"


def sync_key_rows(engine: Engine) -> None:
    """Make ``key_facts`` hold the cells of every :func:`records.key_rows` row of every version: a
    row that juesuan's quantities read and the store did not keep yet (a store made by an older
    juesuan; one converted by migration 0006) has its cells added for every version, unpacked
    from ``fact_tables``, in one write transaction. Reads only ``fact_keys`` when nothing is new."""
    wanted = key_rows()
    with engine.connect().execution_options(readonly=True) as conn:
        have = {(t, r) for t, r in conn.execute(sa.select(fact_keys.c.table_id, fact_keys.c.row_key))}
    if wanted <= have:
        return

    def work() -> None:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7461240)"))
            have = {(t, r) for t, r in conn.execute(sa.select(fact_keys.c.table_id, fact_keys.c.row_key))}
            new = sorted(wanted - have)
            if not new:
                return
            tables = sorted({t for t, _ in new})
            fresh = set(new)
            for t, r in new:   # none should be there; a crash cannot have left some (one transaction)
                conn.execute(sa.delete(key_facts).where(key_facts.c.table_id == t, key_facts.c.row_key == r))
            ids = list(conn.execute(sa.select(fact_tables.c.version_id).distinct()).scalars())
            for chunk in (ids[k: k + 200] for k in range(0, len(ids), 200)):
                q = (sa.select(fact_tables.c.version_id, fact_tables.c.table_id, fact_tables.c.unit,
                               fact_tables.c.cells)
                     .where(fact_tables.c.version_id.in_(chunk), fact_tables.c.table_id.in_(tables)))
                rows = []
                for vid, table_id, unit, cells in conn.execute(q).all():
                    for c in unpack_cells(cells):
                        if (table_id, c["row_key"]) in fresh:
                            rows.append({"version_id": vid, "seq": c["seq"], "table_id": table_id,
                                         "row_key": c["row_key"], "code": c["code"], "label": c["label"],
                                         "column": c["column"], "value": c["value"], "unit": unit})
                if rows:
                    conn.execute(sa.insert(key_facts), rows)
            conn.execute(sa.insert(fact_keys), [{"table_id": t, "row_key": r} for t, r in new])
    retrying(work)



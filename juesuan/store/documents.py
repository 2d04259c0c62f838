"""A version's document as it was read, for the web's document page (``version_documents``).

The document is kept as :func:`juesuan.document.to_data` gives it (tables with each cell's
reading and place, the narrative's parts, sections and paragraphs, forms), as JSON compressed
with zlib: about 20 KB a document. It is written when the web imports an upload, or on the
first view of a version imported otherwise (read again from its source file).
"""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from .engine import retrying
from .schema import version_documents

__all__ = ["put_document", "get_document"]


def put_document(engine: sa.Engine, version_id: int, document: dict[str, Any]) -> None:
    """Keep ``document`` (plain data: ``to_data`` of a Document) as the version's document,
    replacing one kept before."""
    blob = zlib.compress(json.dumps(document, ensure_ascii=False, default=str).encode(), 6)

    def work() -> None:
        with engine.begin() as conn:
            conn.execute(sa.delete(version_documents).where(version_documents.c.version_id == version_id))
            conn.execute(version_documents.insert().values(version_id=version_id, document=blob,
                                                           made_at=datetime.now(UTC)))
    retrying(work)


def get_document(engine: sa.Engine, version_id: int) -> dict[str, Any] | None:
    """The version's document as plain data, or None: none kept yet."""
    with engine.connect().execution_options(readonly=True) as conn:
        blob = conn.execute(sa.select(version_documents.c.document)
                            .where(version_documents.c.version_id == version_id)).scalar_one_or_none()
    return None if blob is None else json.loads(zlib.decompress(blob))

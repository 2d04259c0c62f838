"""Shared fixtures: the bundled example, loaded and built once per session."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"
SAMPLES = ROOT / "tests" / "fixtures" / "samples"    # real published disclosures (see its README)
SEED = SAMPLES / "000_9e500328b38455ed.txt"
# the PostgreSQL server of the store's tests (.ci/run starts one and sets JUESUAN_TEST_PG)
PG_URL = os.environ.get("JUESUAN_TEST_PG", "postgresql+psycopg://juesuan:juesuan@127.0.0.1:5432/juesuan_test")


@contextlib.contextmanager
def empty_store(engine: str, folder: Path):
    """The URL of a fresh, empty store: an SQLite file in ``folder``, or (``engine``
    "postgresql") a schema of its own on the test server, dropped afterwards; the test is
    skipped, saying why, where no server answers."""
    if engine == "sqlite":
        yield str(folder / "store.db")
        return
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    try:
        pg = sa.create_engine(PG_URL)
        with pg.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as e:  # noqa: BLE001 - any failure to connect means: no server here
        pytest.skip(f"PostgreSQL 测试跳过：{PG_URL.split('@')[-1]} 上没有可用的 PostgreSQL 服务器"
                    f"（{type(e).__name__}）；.ci/run 会安装并启动它，或设置 JUESUAN_TEST_PG")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with pg.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with pg.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        pg.dispose()


@pytest.fixture(scope="session")
def example_model():
    from juesuan import load
    d, diags = load(EXAMPLE)
    return d


@pytest.fixture(scope="session")
def example_tables(example_model):
    from juesuan import build_tables
    return build_tables(example_model)


@pytest.fixture(scope="session")
def example_document(example_model, example_tables):
    from juesuan.final.narrative import build_document
    return build_document(example_model, example_tables)

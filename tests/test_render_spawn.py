"""Rendering in worker processes under ``spawn`` (Windows, macOS, Dask): the Document is passed, not inherited."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from juesuan.renderers import file_name, render, render_all

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hanyang-bdc-2023"


@pytest.fixture(scope="module")
def doc():
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    from juesuan.final.readers import load
    d, _ = load(EXAMPLE)
    return build_document(d, build_tables(d))


def test_render_all_under_spawn_matches_in_process(doc, tmp_path, monkeypatch):
    here, spawned = tmp_path / "here", tmp_path / "spawned"
    here.mkdir()
    spawned.mkdir()
    expected = {fmt: render(doc, fmt, here).read_bytes() for fmt in ("html", "txt")}
    # two cores at least, so that render_all really uses worker processes; and a spawned
    # worker imports the renderers afresh, so it never sees this process's patches
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr("juesuan.renderers.render", _not_here)
    waited = []
    results = render_all(doc, ["html", "txt"], spawned, while_waiting=lambda: waited.append(1),
                         start_method="spawn")
    assert waited == [1]
    assert [(fmt, err) for fmt, _, err in results] == [("html", None), ("txt", None)]
    for fmt, path, _ in results:
        assert path == spawned / file_name(doc, fmt)
        assert path.read_bytes() == expected[fmt]


def _not_here(*args):
    raise AssertionError("rendered in the parent process, not in a worker")


def test_a_renderers_error_comes_back_from_a_spawned_worker(doc, tmp_path, monkeypatch):
    # a spawned worker starts with this process's sys.path: there, "typst" has no compile()
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "typst.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "fake"))
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    (fmt1, path1, err1), (fmt2, path2, err2) = render_all(doc, ["txt", "pdf"], tmp_path, start_method="spawn")
    assert (fmt1, path1, err1) == ("txt", tmp_path / "2023年度武汉市汉阳区大数据中心部门决算公开.txt", None)
    assert (fmt2, path2) == ("pdf", None) and "不是 PDF 排版引擎" in err2


def test_document_pickles(doc):
    from juesuan.pipeline import check
    copy = pickle.loads(pickle.dumps(doc))
    assert copy == doc
    assert [f.to_dict() for f in check(copy)] == [f.to_dict() for f in check(doc)]

"""Shared fixtures: the bundled example, loaded and built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"
SAMPLES = ROOT / "tests" / "fixtures" / "samples"    # real published disclosures (see its README)
SEED = SAMPLES / "000_9e500328b38455ed.txt"


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

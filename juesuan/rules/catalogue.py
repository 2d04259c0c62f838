"""Imports every rule family so that the registry is complete (the one list of families)."""

from __future__ import annotations

from . import tables_within, tables_across  # noqa: F401

__all__: list[str] = []

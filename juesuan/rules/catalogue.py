"""Imports every rule family so that the registry is complete (the one list of families)."""

from __future__ import annotations

from . import completeness, narrative, performance, tables_across, tables_within, text_slips  # noqa: F401

__all__: list[str] = []

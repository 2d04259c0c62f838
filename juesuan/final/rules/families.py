"""The one list of rule families: importing this module registers every rule of the catalogue.

Each family is a module of rules registered with ``@rule`` (:mod:`juesuan.rules.registry`);
only the engine (:mod:`juesuan.rules.engine`) imports this list.
"""

from __future__ import annotations

from . import completeness, narrative, performance, tables_across, tables_within, text_slips  # noqa: F401

__all__ = ["FAMILY_MODULES"]

FAMILY_MODULES = (tables_within, tables_across, narrative, performance, completeness, text_slips)

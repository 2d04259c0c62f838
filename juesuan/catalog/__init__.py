"""Classification catalogues (支出功能分类, 部门预算支出经济分类), versioned by year.

The data lives in ``catalog/data/{function,economic}_{year}.csv``; this module only
loads it (and ``data/function_notes.yaml``, what a 功能分类 项 is for: :func:`function_note`, the
名词解释 of both kinds). A year without its own file uses the nearest earlier year (and then the
nearest later one), so that a 2025 disclosure still finds the 2024 codes; :func:`year_note`
says so ("无 2025 年科目表，按 2024 年核对"), for the warning its readers show, and a code
missing from a substitute catalogue is no proof it did not exist that year.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["Catalog", "catalog", "normalize_name", "available_years", "year_note", "function_note"]

_DATA = Path(__file__).parent / "data"

# Parentheses and spaces differ between documents and catalogues; names compare
# after this normalisation.
_TRANS = str.maketrans({"（": "(", "）": ")", "\u3000": "", " ": ""})


def normalize_name(name: str) -> str:
    return name.translate(_TRANS).strip()


def available_years(kind: str = "function") -> list[int]:
    years = []
    for entry in _DATA.iterdir():
        m = re.fullmatch(rf"{kind}_(\d{{4}})\.csv", entry.name)
        if m:
            years.append(int(m.group(1)))
    return sorted(years)


def _read(kind: str, year: int) -> dict[str, str]:
    with (_DATA / f"{kind}_{year}.csv").open(encoding="utf-8") as fh:
        return {row["code"].strip(): row["name"].strip() for row in csv.DictReader(fh)}


@dataclass(frozen=True)
class Catalog:
    year: int           # the catalogue's own year (may differ from the one asked for)
    function: dict[str, str]
    economic: dict[str, str]

    def function_name(self, code: str) -> str | None:
        return self.function.get(code)

    def economic_name(self, code: str) -> str | None:
        return self.economic.get(code)

    def same_name(self, code: str, name: str, kind: str = "function") -> bool:
        known = (self.function if kind == "function" else self.economic).get(code)
        return known is not None and normalize_name(known) == normalize_name(name)

    def find_function(self, name: str, level: int | None = None) -> list[str]:
        """Codes whose normalised name equals ``name`` (optionally of one level: 3/5/7)."""
        n = normalize_name(name)
        return [c for c, v in self.function.items()
                if normalize_name(v) == n and (level is None or len(c) == level)]


def _year_for(kind: str, year: int) -> int:
    """The year whose ``kind`` catalogue stands for ``year``: its own, else the nearest earlier, else the earliest."""
    years = available_years(kind)
    if not years:
        raise RuntimeError("no classification catalogue bundled")
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


@cache
def catalog(year: int) -> Catalog:
    use, e_use = _year_for("function", year), _year_for("economic", year)
    return Catalog(use, _read("function", use), _read("economic", e_use))


@cache
def year_note(year: int) -> str | None:
    """Why ``year`` is checked against another year's catalogue ("无 2025 年科目表，按 2024 年核对"),
    or None when both of its catalogues (功能分类, 经济分类) are bundled."""
    f, e = _year_for("function", year), _year_for("economic", year)
    if f == year and e == year:
        return None
    if f == e:
        return f"无 {year} 年科目表，按 {f} 年核对"
    return "；".join(
        [f"无 {year} 年支出功能分类科目表，按 {f} 年核对"] * (f != year)
        + [f"无 {year} 年经济分类科目表，按 {e} 年核对"] * (e != year))


@cache
def _notes() -> dict:
    import yaml
    text = (_DATA / "function_notes.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def function_note(code: str, year: int) -> str:
    """What the 功能分类 项 ``code`` is for (名词解释): its own note, the note of its name (行政运行 …),
    the pattern of an 其他… 项, else a generic sentence."""
    notes = _notes()
    if code in notes["codes"]:
        return notes["codes"][code]
    cat = catalog(year)
    name = cat.function_name(code) or code
    if name in notes["by_name"]:
        return notes["by_name"][name]
    if name.startswith("其他"):
        return notes["other"].format(款=cat.function_name(code[:5]) or name[2:].removesuffix("支出"))
    return notes["fallback"].format(项=name)

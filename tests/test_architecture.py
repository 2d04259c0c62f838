"""The house's rules, checked: a module's ``_names`` are its own, every layer's docs exist.

* No module imports a private name (``_name``) of another module: what is shared gets a public
  name in the module that owns it (privacy as httpx keeps it; ruff's PLC2701 exempts imports
  within a package, so this test does it). Private *modules* (``_memo``, ``_fastpath``,
  ``_grid``) are the package's own: a module of the same package may import them.
* The import layers are checked by ``lint-imports`` (``pyproject.toml``, ``.ci/run``); here,
  that the core never names a document kind even lazily.
* ``docs/architecture.md`` names every package of the layout.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "juesuan"
CORE = ("parse", "rules", "renderers", "tables", "document.py", "figures.py", "place.py", "zh.py", "errors.py",
        "record.py", "catalog", "kind.py")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path):
    """(line, module imported from, names) of every ``from … import …`` of a file, resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mod = _module_name(path)
    pkg = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target, [a.name for a in node.names]


def test_no_private_name_is_imported_from_another_module():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _module_name(path)
        for line, target, names in _imports(path):
            for name in names:
                if not name.startswith("_") or name.startswith("__"):
                    continue
                is_module = (ROOT / Path(*target.split("."), name + ".py")).exists() or \
                    (ROOT / Path(*target.split("."), name)).is_dir()
                if is_module and target.rpartition(".")[0] in (here.rpartition(".")[0], here) or \
                        is_module and here.startswith(target):
                    continue    # a private module of one's own package
                if target != here:
                    bad.append(f"{path.relative_to(ROOT)}:{line}: from {target} import {name}")
    assert bad == [], "private names imported across modules:\n" + "\n".join(bad)


def test_the_core_never_names_a_kind():
    bad = []
    for entry in CORE:
        for path in sorted((PACKAGE / entry).rglob("*.py")) if (PACKAGE / entry).is_dir() else [PACKAGE / entry]:
            for line, target, _ in _imports(path):
                if target in ("juesuan.final", "juesuan.budget") or target.startswith(("juesuan.final.",
                                                                                        "juesuan.budget.")):
                    bad.append(f"{path.relative_to(ROOT)}:{line}: imports {target}")
    assert bad == []


def test_the_architecture_doc_names_every_package():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for p in sorted(PACKAGE.iterdir()):
        if p.name.startswith("__") or p.name == "_openpyxl.py" or not (p.is_dir() or p.suffix == ".py"):
            continue
        name = p.name + ("/" if p.is_dir() else "")
        assert f"`{name}`" in doc, f"docs/architecture.md does not describe {name}"

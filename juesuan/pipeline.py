"""The pipeline: path in → document, diagnostics, findings, parse out. What every face calls.

Data flows one way, beancount's loader style, each step a plain function returning values:

* :func:`build` — a department's data (canonical YAML/JSON, an Excel workbook, or a directory
  of either) → the kind's model → its tables (controlled rounding) → the :class:`Document`,
  with every diagnostic (reading the data, rounding not held, placeholders left);
* :func:`parse` — a published file (PDF, DOCX, HTML, text) → a ``Parse``: the document with
  its parse stages, trace and coverage;
* :func:`load` — any source → a ``Loaded``: data is built, a published file is parsed;
* :func:`audit` — :func:`load` and the kind's rules → an ``Audit`` (``juesuan check``);
* :func:`check` — the rules of a document's kind on a :class:`Document` already at hand;
* :func:`check_pair` — a unit's 决算 and 预算 of the same year held against each other (YJ1xx,
  :mod:`juesuan.across`), each finding naming both files;
* :func:`render` — a document in HTML, DOCX, PDF, XLSX or text; :func:`template` — the kind's
  input workbook, blank or filled from data or from a published document;
* :func:`published_data` — a published file read back as the kind's data (``parse --format data``),
  :func:`data_text` — such data as YAML or JSON; :func:`load_data` — a model from data or from a
  published document; ``build(…, previous=LAST_YEAR)`` fills the 上年数 from last year's document.

The command line calls only these, and so will the batch runner, the store and the web pages.
Document kinds are found through :func:`kinds` (the 决算 today); the core below never imports
a kind. Unusable input raises :class:`~juesuan.errors.InputError` with every problem located.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalog import year_note
from .document import Document, to_data
from .errors import Diagnostic, InputError
from .kind import Kind

if TYPE_CHECKING:  # pragma: no cover - imported where used: a command that does not parse starts without it
    from .parse.result import Parse
    from .rules.context import Finding
    from .rules.registry import Rule

__all__ = ["Built", "Loaded", "Audit", "Consolidated", "consolidate",
           "build", "parse", "load", "audit", "check", "check_pair", "rules", "render", "template",
           "kinds", "kind_named", "data_kind_of", "document_data", "published_data", "data_text", "load_data",
           "PUBLISHED"]

# published documents are parsed; anything else is a department's data
PUBLISHED = (".pdf", ".docx", ".html", ".htm", ".txt", ".text")
WORKBOOKS = (".xlsx", ".xlsm", ".xls")


def kinds() -> list[Kind]:
    """The document kinds juesuan knows (the first is the default: data are the 决算's; a published
    file is read as the kind it reads as, :func:`parse`)."""
    from .budget.kind import KIND as BUDGET
    from .final.kind import KIND as FINAL
    return [FINAL, BUDGET]


def kind_named(name: str | None = None) -> Kind:
    """The kind called ``name`` (None: the default kind)."""
    known = kinds()
    if name is None:
        return known[0]
    for k in known:
        if k.name == name:
            return k
    raise ValueError(f"未知的文档类型：{name}（可选：{'、'.join(k.name for k in known)}）")


def data_kind_of(source: str | Path) -> Kind:
    """The kind of a unit's data: the one its ``kind:`` key names (``kind: budget``) — for an input
    workbook, the one whose sheets it has (``Kind.workbook_sheets``) —, else the default kind (a
    决算's data need not say it)."""
    from .data import data_kind
    known = kinds()
    p = Path(source)
    names = tuple(n for k in known for n in k.data_names)
    said = data_kind(p, names)
    if said is None and (p.suffix.lower() in WORKBOOKS or (p.is_dir() and not any((p / n).is_file() for n in names))):
        from .workbook.source import sheet_names
        from .zh import normalize
        sheets = {normalize(n).strip() for n in sheet_names(p)}
        said = next((k.name for k in known if sheets & set(k.workbook_sheets)), None)
    return next((k for k in known if k.name == said), known[0])


@dataclass
class Built:
    """A document built from data: the model, its tables, the document, every diagnostic."""
    kind: Kind
    model: Any
    tables: Any
    document: Document
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)     # time taken by each step

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity != "info"]


@dataclass
class Loaded:
    """A document from any source: built from data (``built``) or parsed (``parse``)."""
    kind: Kind
    document: Document
    diagnostics: list[Diagnostic] = field(default_factory=list)
    parse: Parse | None = None
    built: Built | None = None


@dataclass
class Audit:
    """A document and what its kind's rules found in it."""
    loaded: Loaded
    findings: list[Finding]
    rules: list[str]                   # the codes of the rules run

    @property
    def document(self) -> Document:
        return self.loaded.document

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def build(source: str | Path, variant: str | None = None, kind: Kind | None = None,
          previous: str | Path | None = None) -> Built:
    """A department's data → its document. Raises ``InputError`` when the data cannot be used
    (or the variant is not one of the kind's). ``previous``: last year's disclosure (a published
    file or data), whose figures fill the 上年数 this year's data lacks (``build --previous``)."""
    kind = kind or data_kind_of(source)
    source = Path(source)
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    model, diagnostics = kind.load(source)
    seconds["load"] = time.perf_counter() - t
    if variant is None:   # the layout the data were read back in, else the kind's first (national)
        variant = kind.layout_of(model) or next(iter(kind.variants()))
    if variant not in kind.variants():
        raise InputError([Diagnostic("error", f"未知的表式：{variant}（可选：{'、'.join(kind.variants())}）")])
    if previous is not None:
        t = time.perf_counter()
        if kind.with_previous is None:
            raise InputError([Diagnostic("error", f"{kind.title}不支持 --previous", file=str(previous))])
        model, more = kind.with_previous(model, _previous_document(Path(previous), kind), str(previous))
        diagnostics = [*diagnostics, *more]
        seconds["previous"] = time.perf_counter() - t
    t = time.perf_counter()
    tables = kind.build_tables(model, variant)
    seconds["tables"] = time.perf_counter() - t
    t = time.perf_counter()
    doc = kind.build_document(model, tables)
    seconds["document"] = time.perf_counter() - t
    diagnostics = list(diagnostics)
    rounding = getattr(tables, "rounding", None)
    if rounding is not None and rounding.violations:
        diagnostics.append(Diagnostic("warning", f"舍位平衡有 {len(rounding.violations)} 处未能控制在 0.01 万元以内。",
                                      file=str(source), code="rounding"))
    diagnostics += [Diagnostic("warning", f"文中留有待填写处 {ph}", file=str(source), code="placeholder")
                    for ph in doc.placeholders]
    return Built(kind, model, tables, doc, diagnostics, seconds)


def _published(p: Path) -> bool:
    return p.suffix.lower() in PUBLISHED and not p.is_dir()   # a device or a pipe: refused by the reader


def _previous_document(path: Path, kind: Kind) -> Document:
    """Last year's disclosure as a document: a published file parsed, data built (in the layout
    they were read back in, else the kind's first)."""
    if _published(path):
        return parse(path, kind).document
    model, _ = kind.load(path)
    layout = kind.layout_of(model) or next(iter(kind.variants()))
    return kind.build_document(model, kind.build_tables(model, layout))


def published_data(path: str | Path, kind: Kind | None = None) -> tuple[Parse, dict[str, Any], list[Diagnostic]]:
    """A published file (PDF, DOCX, HTML, text) read back as the kind's data (amounts in yuan from the
    displayed figures, what it does not show left out), with the diagnostics of the reading."""
    parsed = parse(path, kind)
    kind = kind or kind_named(parsed.kind)
    if kind.document_data is None:
        raise InputError([Diagnostic("error", f"这是一份{kind.title}：{kind.title}的已公开文件暂不能读回为规范数据"
                                              "（juesuan parse 不带 --format data 可输出其表格）。", file=str(path))])
    data, diagnostics = kind.document_data(parsed.document, str(path))
    return parsed, data, diagnostics


def load_data(path: str | Path, kind: Kind | None = None) -> tuple[Any, list[Diagnostic]]:
    """The kind's model from its data (YAML/JSON, workbooks) or from a published file read back."""
    p = Path(path)
    kind = kind or (kind_named() if _published(p) else data_kind_of(p))
    if _published(p) and kind.document_model is not None:
        return kind.document_model(parse(p, kind).document, str(p))
    return kind.load(p)


def data_text(data: dict[str, Any], fmt: str = "yaml", comment: str = "") -> str:
    """Plain data (amounts as Decimal) as YAML (amounts as plain numbers, exactly as held; ``comment``
    as its first lines) or JSON (amounts as strings: JSON numbers would pass through floats)."""
    from decimal import Decimal
    if fmt == "json":
        import json
        return json.dumps(data, ensure_ascii=False, indent=2, default=lambda v: format(v, "f")
                          if isinstance(v, Decimal) else str(v)) + "\n"
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    _Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def parse(path: str | Path | Sequence[str | Path], kind: Kind | None = None) -> Parse:
    """A published file (PDF, DOCX, HTML, text) read back as a document of ``kind`` — or, with no
    kind given, of the kind it reads as (a 部门决算 or a 部门预算: its title and words decide;
    ``Parse.kind`` says which). Several files are read as one document, in the order given (a
    部门预算 published as its text and, apart, its tables)."""
    from .parse import parse_file
    specs = kind.parse_spec() if kind is not None else [k.parse_spec() for k in kinds()]
    return parse_file(path, specs)


def load(path: str | Path | Sequence[str | Path], kind: Kind | None = None, variant: str | None = None) -> Loaded:
    """Any source → its document: a published file is parsed, a department's data is built. Several
    published files are one document read together (a 部门预算's text and tables)."""
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(x) for x in path]
    if len(paths) > 1:
        if not all(_published(x) for x in paths):
            raise InputError([Diagnostic("error", "几个文件合为一份文档读取时，每个都须是已公开的文件"
                                                  "（.pdf、.docx、.html、.txt）。", file=" + ".join(map(str, paths)))])
    p = paths[0] if len(paths) == 1 else Path(" + ".join(map(str, paths)))
    if len(paths) > 1 or _published(p):
        parsed = parse(paths if len(paths) > 1 else p, kind)
        kind = kind or kind_named(parsed.kind)
        year = parsed.document.year
        note = year_note(year) if year else None
        # rules hold a document only to its own year's catalogue (科目 change every year): say so
        diagnostics = [Diagnostic("warning", f"{note.split('，')[0]}，科目编码和名称不核对", file=str(p),
                                  code="L100")] if note else []
        if kind.rules() and kind.check_scope is not None:
            diagnostics.append(Diagnostic("info", kind.check_scope(), file=str(p), code="kind-scope"))
        elif not kind.rules():
            diagnostics.append(Diagnostic(
                "warning", f"这是一份{kind.title}：已读取其表格，但{kind.title}的审核规则尚未提供，本次未作任何核对"
                           "（没有发现问题不等于没有问题）。", file=str(p), code="kind-unchecked"))
        return Loaded(kind, parsed.document, diagnostics, parse=parsed)
    kind = kind or data_kind_of(p)
    built = build(p, variant, kind)
    return Loaded(kind, built.document, _as_data(built, p), built=built)


def _as_data(built: Built, path: Path) -> list[Diagnostic]:
    """The diagnostics of data being checked: the 【待填写】 juesuan left in its own text are not
    problems of the data (``build`` lists them one by one); one note says which parts are blank."""
    out = [d for d in built.diagnostics if d.code != "placeholder"]
    blank = built.kind.blank_parts(built.model)
    if blank:
        out.append(Diagnostic("info", f"数据中未填写：{'、'.join(blank)}。由数据生成的情况说明在这些地方留有"
                                      "【待填写】，审核不把它们当作问题；填写后再生成"
                                      "（juesuan build 逐处列出待填写处）", file=str(path), code="blank"))
    return out


@dataclass
class Consolidated:
    """Several disclosures consolidated into one (``juesuan consolidate``): the model, the notes on
    what was not eliminated or left out, the diagnostics of reading the inputs."""
    kind: Kind
    model: Any
    notes: list[Diagnostic]
    diagnostics: list[Diagnostic]
    eliminated: Any               # internal transfers eliminated (yuan, each side)
    inputs: int
    units: int
    seconds: dict[str, float] = field(default_factory=dict)

    def text(self, fmt: str = "yaml") -> str:
        """The consolidated data as canonical YAML or JSON (what :func:`build` and :func:`audit` read)."""
        assert self.kind.dump is not None
        return self.kind.dump(self.model, fmt)


def consolidate(sources: Iterable[str | Path], name: str | None = None, level: str = "部门",
                kind: Kind | None = None, jobs: int = 1) -> Consolidated:
    """The data at ``sources`` (canonical YAML/JSON, workbooks, directories of either) consolidated
    into one disclosure, internal transfers eliminated. ``jobs`` > 1 reads the inputs in that many
    worker processes (reading, not consolidating, is what takes the time). Raises ``InputError``
    naming every input that cannot be read or consolidated (different years, a unit twice …)."""
    kind = kind or kind_named()
    if kind.consolidate is None:
        raise InputError([Diagnostic("error", f"{kind.title}不支持汇总")])
    t = time.perf_counter()
    sources = [str(s) for s in sources]
    loaded, diagnostics, problems = [], [], []
    for s, model, diags in _load_all(kind, sources, jobs):
        if model is None:
            problems += diags
        else:
            loaded.append((s, model))
            diagnostics += diags
    if problems:
        raise InputError(problems)
    seconds = {"load": time.perf_counter() - t}
    t = time.perf_counter()
    result = kind.consolidate(loaded, name, level)
    seconds["consolidate"] = time.perf_counter() - t
    return Consolidated(kind, result.disclosure, result.notes, diagnostics, result.eliminated, result.inputs,
                        result.units, seconds)


def _load_one(kind_name: str, source: str) -> tuple[str, Any, list[Diagnostic]]:
    """(source, model, diagnostics), or (source, None, the problems) when it cannot be used."""
    try:
        model, diags = kind_named(kind_name).load(Path(source))
    except InputError as e:
        return source, None, e.diagnostics
    return source, model, list(diags)


def _load_all(kind: Kind, sources: list[str], jobs: int):
    if jobs <= 1 or len(sources) < 2 * jobs:
        return [_load_one(kind.name, s) for s in sources]
    import functools
    from concurrent.futures import ProcessPoolExecutor
    # the workers ignore Ctrl-C: the parent stops them and reports the interruption (nothing is written)
    pool = ProcessPoolExecutor(jobs, initializer=_ignore_ctrl_c)
    try:
        out = list(pool.map(functools.partial(_load_one, kind.name), sources,
                            chunksize=max(1, min(256, len(sources) // (8 * jobs)))))
    except BaseException:
        for p in list((getattr(pool, "_processes", None) or {}).values()):  # noqa: SLF001 - no public way before 3.14
            p.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return out


def _ignore_ctrl_c() -> None:   # a loading worker's initializer
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def rules(kind: Kind | None = None) -> tuple[Rule, ...]:
    """The rule catalogue of ``kind`` (None: the default kind)."""
    return (kind or kind_named()).rules()


def check(doc: Document, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
          kind: Kind | None = None) -> list[Finding]:
    """The findings of the rules of ``doc``'s kind, selected by code prefix."""
    from .rules.engine import check as run_rules
    return run_rules(doc, rules(kind), select, ignore)


def check_pair(final: Document, budget: Document, final_file: str, budget_file: str) -> list[Finding]:
    """The findings of the checks across a 决算 (``final``) and the same unit's 预算 (``budget``) for
    the same year (YJ1xx, :mod:`juesuan.across`); each place names its document by ``final_file`` /
    ``budget_file``. A pair of different units or years is refused with one finding (YJ100)."""
    from .across import check_pair as across
    return across(final, budget, final_file, budget_file)


def audit(path: str | Path | Sequence[str | Path], select: Iterable[str] = (), ignore: Iterable[str] = (),
          kind: Kind | None = None, variant: str | None = None) -> Audit:
    """Load ``path`` (or several published files, one document) and check it: what ``juesuan check`` does."""
    from .rules.engine import select_rules
    loaded = load(path, kind, variant)
    catalogue = rules(loaded.kind)
    findings = check(loaded.document, select, ignore, loaded.kind)
    return Audit(loaded, findings, [r.code for r in select_rules(catalogue, select, ignore)])


def render(doc: Document, formats: Iterable[str], out_dir: str | Path,
           while_waiting: Callable[[], Any] | None = None, name: str | None = None,
           paths: dict[str, Path] | None = None) -> list[tuple[str, Path | None, str | None]]:
    """``doc`` written in each of ``formats`` (html, docx, pdf, xlsx, txt) into ``out_dir``, in worker
    processes when there are several, each file atomically: (format, path, None) written,
    (format, None, message) the renderer failed, (format, path, message) the file could not be
    written there; in order. Files are named after the document's title (HTML: ``index.html``),
    or ``name`` + suffix; ``paths`` gives a format its own file. ``while_waiting`` runs meanwhile
    (the build's summary check). Ctrl-C raises ``juesuan.renderers.RenderInterrupted``."""
    from .renderers import render_all
    return render_all(doc, list(formats), Path(out_dir), while_waiting=while_waiting, name=name, paths=paths)


# an input workbook's name when none is given, by kind (``juesuan template`` without ``-o``)
TEMPLATE_NAMES = {"final": "决算数据.xlsx", "budget": "预算数据.xlsx"}


def template(out: str | Path | None, source: str | Path | None = None, year: int = 2023, unit: str = "元",
             kind: Kind | None = None) -> tuple[Path, list[Diagnostic]]:
    """The kind's input workbook at ``out`` (written atomically; None: :data:`TEMPLATE_NAMES` of the
    kind the source turns out to be): blank for ``year``, or filled from the data at ``source`` (its
    diagnostics returned). Raises ``InputError`` when the data cannot be
    used, ``OutputError`` when the file cannot be written."""
    from .output import ensure_dir, writing
    if source is None:
        kind = kind or kind_named()
        model, diagnostics = None, []
    elif _published(Path(source)):   # read as the kind it reads as (or as the kind asked for)
        parsed = parse(source, kind)
        kind = kind or kind_named(parsed.kind)
        if kind.document_model is None:
            raise InputError([Diagnostic("error", f"{kind.title}的已公开文件暂不能读回为数据", file=str(source))])
        model, diagnostics = kind.document_model(parsed.document, str(source))
    else:
        said = data_kind_of(source)
        if kind is not None and said is not kind:
            raise InputError([Diagnostic("error", f"这是{said.title}的数据，不能用来填写{kind.title}的模板：请去掉 "
                                                  f"--kind {kind.name}，或给出{kind.title}的数据", file=str(source))])
        kind = said
        model, diagnostics = kind.load(Path(source))
    diagnostics = list(diagnostics)
    if source is None and (note := year_note(year)):   # data carry their own year's note
        diagnostics.append(Diagnostic("warning", f"{note}（下拉框中的科目取自该科目表）", file=str(out), code="L100"))
    out = Path(out if out is not None else TEMPLATE_NAMES.get(kind.name, "数据.xlsx"))
    ensure_dir(out.parent)
    with writing(out) as tmp:
        kind.write_template(tmp, model, year, unit)
    return out, diagnostics


def document_data(doc: Document) -> dict[str, Any]:
    """``doc`` as plain data (Decimals as strings): see :func:`juesuan.document.to_data`."""
    return to_data(doc)

"""PDF of a Document: Typst markup (:mod:`juesuan.renderers._typst`) compiled by the
``typst`` wheel, with the CJK fonts the project brings along.

Route and why (issue 3): a fresh machine has no CJK font at all, so the fonts come
from the pip package ``pylopdf-fonts-zh-cn`` (Noto Serif SC / Noto Sans SC, OFL),
handed to Typst as its only font directory (system fonts ignored); symbols that
Noto SC lacks (☑ of the 项目绩效自评表) come from the DejaVu Sans that matplotlib
ships. No manual font step, no system package: ``typst`` is a compiled binary
inside its wheel and works offline.

Typst lays out the example's 50 pages in well under a second and subsets the
fonts itself; the WeasyPrint route it replaces (HTML + CSS, fonts subset with
HarfBuzz) took 5–8 s of CPU for the same document. Chromium printing was rejected
because its PDFs extract Kangxi radicals (⽀ for 支); LibreOffice is a 270 MB system
package. Measured: bench/RESULTS.md ("build, all formats").

Fonts (issue 15): the official fonts of a published disclosure — 仿宋_GB2312 (body), 方正小标宋简体
(title), 黑体 (headings), 楷体_GB2312 (sub-headings) — when this machine has them (found by
:func:`juesuan.fonts.official_fonts`; ``build --font-dir DIR`` sets ``$JUESUAN_FONT_DIR``, which the
render workers inherit); the bundled Noto fonts for any not found (``build`` says so once) and
for any character an official font lacks (仿宋_GB2312 has GB2312's characters only).

Output: text is real text (pdftotext and pdfplumber read the Chinese back exactly,
no radical look-alikes), every table cell is ruled so that table readers see the
grid, fonts are embedded subsets with ToUnicode maps.

A missing or broken engine or font package raises :class:`PdfEngineError` with a
message in Chinese that says what to install.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from importlib import resources
from pathlib import Path

from ..document import Document
from ..errors import JuesuanError
from ..fonts import FONT_PACKAGE, official_fonts
from ._typst import SANS, SERIF, typst_source

__all__ = ["write_pdf", "render_pdf", "font_files", "font_dirs", "PdfEngineError"]

FAMILIES = {SERIF: "NotoSerifSC-Regular.otf", SANS: "NotoSansSC-Regular.otf"}


class PdfEngineError(JuesuanError):
    """The PDF cannot be made: the engine or the fonts are missing or broken."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def font_files() -> dict[str, Path]:
    """The bundled CJK font files by family name."""
    try:
        base = resources.files(FONT_PACKAGE)
    except ModuleNotFoundError:
        raise PdfEngineError("无法生成 PDF：缺少中文字体包 pylopdf-fonts-zh-cn。"
                             "请执行 pip install pylopdf-fonts-zh-cn 后重试。") from None
    files = {family: Path(str(base / name)) for family, name in FAMILIES.items()}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise PdfEngineError(f"无法生成 PDF：中文字体文件缺失（{'、'.join(missing)}）。"
                             "请重新安装 pylopdf-fonts-zh-cn。")
    return files


def _symbols_font() -> Path | None:
    """DejaVu Sans as shipped inside matplotlib (a dependency), found without importing it."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return path if path.is_file() else None


def font_dirs(tmp: Path) -> list[str]:
    """Typst's font directories: the CJK font package's own folder, and ``tmp`` holding a link
    to the symbols font (Typst scans folders, not single files)."""
    dirs = {str(p.parent) for p in font_files().values()}
    symbols = _symbols_font()
    if symbols is not None:
        link = tmp / symbols.name
        try:
            os.symlink(symbols, link)
        except OSError:
            link.write_bytes(symbols.read_bytes())
        dirs.add(str(tmp))
    return sorted(dirs)


def _engine():
    try:
        import typst
    except ImportError:
        raise PdfEngineError("无法生成 PDF：未安装 PDF 排版引擎 typst。"
                             "请执行 pip install typst 后重试。") from None
    if not hasattr(typst, "compile"):
        raise PdfEngineError("无法生成 PDF：已安装的 typst 包不是 PDF 排版引擎（缺少 typst.compile）。"
                             "请执行 pip install -U typst 后重试。")
    return typst


def _official(tmp: Path, font_dir: str | Path | None = None) -> dict[str, str]:
    """The official fonts found (:func:`juesuan.fonts.official_fonts`: ``font_dir``, else
    ``$JUESUAN_FONT_DIR``, and the system's font directories), linked into ``tmp`` so that
    Typst reads these files only, not whole system font folders; role → family."""
    choice = official_fonts(font_dir)
    families = {}
    for role, (path, family) in choice.found.items():
        link = tmp / f"official-{role}{path.suffix.lower()}"
        try:
            os.symlink(path, link)
        except OSError:
            try:
                link.write_bytes(path.read_bytes())
            except OSError:
                continue
        families[role] = family
    return families


def render_pdf(doc: Document, font_dir: str | Path | None = None) -> bytes:
    typst = _engine()
    with tempfile.TemporaryDirectory(prefix="juesuan-pdf-") as tmp:
        fonts = font_dirs(Path(tmp))
        families = _official(Path(tmp), font_dir)
        if str(tmp) not in fonts and families:
            fonts.append(str(tmp))
        source = typst_source(doc, families).encode("utf-8")
        try:
            pdf = typst.compile(source, font_paths=fonts, ignore_system_fonts=True, pdf_tags=False)
        except Exception as e:   # the engine reports layout errors and its own failures alike
            detail = str(e).strip().splitlines()
            raise PdfEngineError("PDF 排版失败（typst）：" + (detail[0] if detail else type(e).__name__)
                                 + "。请确认 typst 包完好（pip install -U typst），"
                                 "并把本消息报告给开发者。") from e
    if not isinstance(pdf, (bytes, bytearray)) or not pdf.startswith(b"%PDF"):
        raise PdfEngineError("PDF 排版失败（typst）：引擎没有输出 PDF。请执行 pip install -U typst 后重试。")
    return bytes(pdf)


def write_pdf(doc: Document, path: Path) -> None:
    Path(path).write_bytes(render_pdf(doc))


# --- for tests that make PDFs from HTML with WeasyPrint (tests/test_parse_pdf.py) -------------

def _font_css(html: str, tmp: Path) -> tuple[str, bool]:
    """``@font-face`` rules that give an HTML→PDF engine the bundled fonts, cut down with
    fontTools to the characters of ``html`` (the engine may embed them as they are: the
    ``bool``). Not used by the PDF route above; kept for the synthetic PDFs of the tests."""
    from fontTools import subset

    rules = []
    codepoints = sorted({ord(c) for c in html} | set(range(0x20, 0x7F)))
    for family, src in font_files().items():
        opts = subset.Options(hinting=False, notdef_outline=True, name_IDs=["*"])
        opts.drop_tables += ["GSUB", "GPOS"]
        font = subset.load_font(str(src), opts)
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=codepoints)
        sub.subset(font)
        dest = tmp / src.name
        font.save(str(dest))
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{dest.as_uri()}"); }}')
    return "\n".join(rules) + "\n", True

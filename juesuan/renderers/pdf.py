"""PDF of a Document: the HTML rendering (:func:`juesuan.renderers.html.render_html`) laid
out by WeasyPrint, with the CJK fonts the project brings along.

Route and why (issue 3): a fresh machine has no CJK font at all, so the fonts come
from the pip package ``pylopdf-fonts-zh-cn`` (Noto Serif SC / Noto Sans SC, OFL),
declared to WeasyPrint with ``@font-face`` and ``file://`` URLs — no manual font
step, no system package. Chromium printing was rejected because its PDFs extract
Kangxi radicals (⽀ for 支); LibreOffice is a 270 MB system package.

Speed: WeasyPrint embeds a subset of each font, and subsetting the 8–12 MB CFF
fonts with fontTools takes several seconds per font. So this module first cuts
the fonts down to the characters of this document with HarfBuzz (``uharfbuzz``,
milliseconds; fontTools if it is missing), points ``@font-face`` at those small
files and asks WeasyPrint to embed them as they are (``full_fonts``). Symbols that
Noto SC lacks (☑ of the 项目绩效自评表) come from a subset of the DejaVu Sans that
matplotlib ships, so no system font is ever embedded. The nine tables get the column
widths of their grids and ``table-layout: fixed`` (auto layout was half the time).
Measured: bench/RESULTS.md ("build, all formats").

Owns the print CSS that only the PDF needs (A4 page, GB/T 9704 margins on portrait
pages, page numbers "— n —", landscape pages for the wide tables); it is inserted
before ``</style>`` of the HTML, whose own stylesheet stays the HTML renderer's.
Output quality: text is real text (pdftotext and pdfplumber read the Chinese back
exactly, no radical look-alikes), fonts are embedded subsets; ≈ 0.85 MB for the example.
"""

from __future__ import annotations

import importlib.util
import re
import tempfile
from importlib import resources
from pathlib import Path

from ..document import Document
from ._grid import table_grid

__all__ = ["write_pdf", "render_pdf", "font_files", "PRINT_CSS"]

_FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FAMILIES = {"Noto Serif SC": "NotoSerifSC-Regular.otf", "Noto Sans SC": "NotoSansSC-Regular.otf"}
SYMBOLS_FAMILY = "Juesuan Symbols"     # fallback for the few symbols Noto SC lacks (☑)

# Characters always kept in the font subsets: ASCII (page numbers, figures) and the
# punctuation the print CSS itself adds.
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "—–·、，。：；（）【】“”‘’％ 　"

PRINT_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;   /* GB/T 9704: top right bottom left */
        @bottom-center { content: "— " counter(page) " —"; font-family: "Noto Serif SC"; font-size: 10pt; } }
@page wide { size: A4 landscape; margin: 12mm 15mm 14mm 15mm; }
body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
html body h1 { font-size: 18pt; }     /* the title on one line within the GB/T text width */
section.table-block { break-before: page; }
section.table-block:first-of-type { break-before: auto; }
section.table-block h3.table-title { margin: 0 0 4pt; font-size: 13pt; }
section.table-block .table-meta { font-size: 8.5pt; margin-bottom: 2pt; }
section.table-block table.data { font-size: 8pt; line-height: 1.2; }
table.data td, table.data th { padding: 1px 3px; }
.no-print { display: none; }
"""


def font_files() -> dict[str, Path]:
    """The bundled CJK font files by family name."""
    base = resources.files(_FONT_PACKAGE)
    return {family: Path(str(base / name)) for family, name in FAMILIES.items()}


def _subset(src: Path, chars: set[str], dest: Path) -> Path:
    """Write to ``dest`` the font ``src`` cut down to ``chars``; on failure, return ``src``."""
    codepoints = sorted({ord(c) for c in chars})
    try:
        import uharfbuzz as hb
    except ImportError:
        hb = None
    if hb is not None:
        face = hb.Face(hb.Blob.from_file_path(str(src)))
        inp = hb.SubsetInput()
        for cp in codepoints:
            inp.unicode_set.add(cp)
        out = hb.subset(face, inp)
        if out is not None:
            dest.write_bytes(out.blob.data)
            return dest
        return src
    try:
        from fontTools import subset
        opts = subset.Options(hinting=False, notdef_outline=True, name_IDs=["*"])
        opts.drop_tables += ["GSUB", "GPOS"]
        font = subset.load_font(str(src), opts)
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=codepoints)
        sub.subset(font)
        font.save(str(dest))
        return dest
    except Exception:   # fall back to the whole font: slower, same output
        return src


def _symbols_font() -> Path | None:
    """DejaVu Sans as shipped inside matplotlib (a dependency): glyphs such as ☑ that Noto
    SC lacks. Found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return path if path.exists() else None


def _uncovered(chars: set[str], font: Path) -> set[str]:
    """The characters (beyond controls and spaces) that ``font`` has no glyph for."""
    try:
        import uharfbuzz as hb
    except ImportError:
        return set()
    have = hb.Face(hb.Blob.from_file_path(str(font))).unicodes
    return {c for c in chars if ord(c) > 0x20 and not c.isspace() and ord(c) not in have}


def _font_css(html: str, tmp: Path) -> tuple[str, bool]:
    """``@font-face`` rules for the document's characters, and the body font; whether all
    fonts are subsets (then WeasyPrint may embed them as they are)."""
    chars = set(html) | set(_ALWAYS)
    rules, subsetted = [], True
    files = font_files()
    for family, path in files.items():
        dest = tmp / path.name
        used = _subset(path, chars, dest)
        subsetted &= used == dest
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{used.as_uri()}"); }}')
    body = ['"Noto Serif SC"']
    missing = _uncovered(chars, files["Noto Serif SC"])
    symbols = _symbols_font() if missing else None
    if symbols is not None:
        used = _subset(symbols, missing, tmp / "symbols.ttf")
        subsetted &= used != symbols
        rules.append(f'@font-face {{ font-family: "{SYMBOLS_FAMILY}"; src: url("{used.as_uri()}"); }}')
        body.append(f'"{SYMBOLS_FAMILY}"')
    rules.append(f"html, body {{ font-family: {', '.join(body)}, serif; }}")
    return "\n".join(rules) + "\n", subsetted


def _with_css(html: str, css: str) -> str:
    i = html.rfind("</style>")
    if i < 0:
        j = html.find("</head>")
        return html[:j] + f"<style>{css}</style>" + html[j:] if j >= 0 else f"<style>{css}</style>" + html
    return html[:i] + css + html[i:]


def _fixed_tables(html: str, doc: Document) -> tuple[str, str]:
    """Give each of the nine tables a ``<colgroup>`` with the column widths of its grid
    (:mod:`juesuan.renderers._grid`) and lay it out with ``table-layout: fixed`` —
    WeasyPrint's automatic table layout measures every cell twice and dominated the
    time — and print the wide tables on landscape pages. Returns (html, extra CSS)."""
    if doc.tables is None:
        return html, ""
    wide = []
    for t in doc.tables:
        g = table_grid(t)
        total = sum(g.widths)
        cols = "".join(f'<col style="width:{w / total * 100:.2f}%">' for w in g.widths)
        m = re.search(rf'<[^>]*\sid="{re.escape(t.id)}"[^>]*>', html)     # the table's caption
        if m is None:
            continue
        k = html.find("<table", m.end())
        k = html.find(">", k) + 1 if k >= 0 else -1
        if k <= 0:
            continue
        if not html.startswith("<colgroup", k):     # the HTML may bring its own widths
            html = html[:k] + f"<colgroup>{cols}</colgroup>" + html[k:]
        if g.landscape:
            wide.append(f"section.table-block:has(#{t.id})")
    css = "table.data, table.perf { table-layout: fixed; }\n"
    if wide:
        css += ", ".join(wide) + " { page: wide; }\n"
    return html, css


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    from .html import render_html

    html, table_css = _fixed_tables(render_html(doc), doc)
    with tempfile.TemporaryDirectory(prefix="juesuan-fonts-") as tmp:
        fonts, subsetted = _font_css(html, Path(tmp))
        page = _with_css(html, fonts + PRINT_CSS + table_css)
        return HTML(string=page, base_url=tmp).write_pdf(full_fonts=subsetted)


def write_pdf(doc: Document, path: Path) -> None:
    Path(path).write_bytes(render_pdf(doc))

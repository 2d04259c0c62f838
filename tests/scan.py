"""Scanned copies of documents whose truth is known: PDF pages → degraded images → an image-only PDF.

A disclosure that was printed and scanned reaches a reviewer as a PDF of page images: no text
layer, the page a little blurred, turned by a fraction of a degree, with the grain of the paper
and the blocks of JPEG compression. :func:`scan_pdf` does that to pages of a PDF we rendered
ourselves, so that a test can read the scan back by OCR and compare it with the truth
(``doc.tables.facts()`` of the document that was built).

Run as a script it (re)makes the fixture the OCR tests read, the nine tables of the bundled
example (pages 7–15 of its PDF)::

    python tests/scan.py            # → tests/fixtures/scanned/hanyang-bdc-2023-tables.pdf
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

__all__ = ["scan_page", "scan_pdf", "example_pdf", "FIXTURE", "TABLE_PAGES"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "scanned" / "hanyang-bdc-2023-tables.pdf"
TABLE_PAGES = tuple(range(7, 16))    # the example's nine tables: pages 7–15 of its PDF


def scan_page(page, dpi: int = 150, blur: float = 0.7, angle: float = 0.4, noise: float = 6.0,
              quality: int = 60, seed: int = 0):
    """One PDF page as a scanner gives it: grey, ``blur`` (Gaussian radius in pixels), turned
    by ``angle`` degrees, paper grain (Gaussian noise of ``noise`` grey levels), JPEG at
    ``quality``. Returns a PIL image (JPEG-decoded, so the compression is in its pixels)."""
    import numpy as np
    from PIL import Image, ImageFilter

    img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    img = img.filter(ImageFilter.GaussianBlur(blur))
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    grain = np.random.default_rng(seed).normal(0.0, noise, (img.height, img.width))
    img = Image.fromarray(np.clip(np.asarray(img, dtype=np.float64) + grain, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf)


def scan_pdf(src: Path, out: Path, pages: tuple[int, ...] | None = None, dpi: int = 150, seed: int = 0,
             **degrade) -> Path:
    """An image-only PDF at ``out`` of ``pages`` (1-based; all by default) of ``src``, each
    scanned by :func:`scan_page` with its own skew (alternately ±0.2–0.5°) and grain."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src))
    try:
        numbers = pages or tuple(range(1, len(pdf) + 1))
        images = []
        for k, n in enumerate(numbers):
            angle = (0.2 + 0.1 * (k % 4)) * (1 if k % 2 else -1)
            images.append(scan_page(pdf[n - 1], dpi=dpi, angle=angle, seed=seed + k, **degrade))
    finally:
        pdf.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out


def example_pdf(out_dir: Path) -> Path:
    """The bundled example built and rendered as PDF into ``out_dir``."""
    sys.path.insert(0, str(ROOT))
    from juesuan.pipeline import build
    from juesuan.renderers import render

    return render(build(ROOT / "examples" / "hanyang-bdc-2023").document, "pdf", Path(out_dir))


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        made = scan_pdf(example_pdf(Path(tmp)), FIXTURE, TABLE_PAGES)
    print(f"{made} ({made.stat().st_size // 1024} KB)")

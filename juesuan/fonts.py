"""The Chinese fonts juesuan draws with: Noto Sans SC and Noto Serif SC, shipped by the pip package
``pylopdf-fonts-zh-cn`` (a fresh machine has no CJK font at all). One place for where they are,
for the charts, the PDF and the parse debugging pictures."""

from __future__ import annotations

from importlib import resources

__all__ = ["FONT_PACKAGE", "cjk_font_path"]

FONT_PACKAGE = "pylopdf_fonts_zh_cn"


def cjk_font_path(style: str = "Sans") -> str:
    """Path of the bundled Noto {Sans,Serif} SC font file."""
    return str(resources.files(FONT_PACKAGE) / f"Noto{style}SC-Regular.otf")

"""The Chinese fonts juesuan draws with.

Bundled: Noto Sans SC and Noto Serif SC, shipped by the pip package ``pylopdf-fonts-zh-cn`` (a
fresh machine has no CJK font at all): for the charts, the parse debugging pictures and, when
the machine has nothing better, the PDF.

Official (GB/T 9704, what a published disclosure is set in): 仿宋_GB2312 (body), 方正小标宋简体
(title), 黑体 (headings), 楷体_GB2312 (sub-headings). Windows and most government PCs have them
(``C:\\Windows\\Fonts``: simfang.ttf, simhei.ttf, simkai.ttf, FZXBSJW.TTF…); juesuan has no right
to ship them. :func:`official_fonts` looks for their files by name in a directory given
(``build --font-dir DIR``, or the ``JUESUAN_FONT_DIR`` environment variable) and the system's
font directories, and names the roles it found no file for; the PDF uses what was found and the
bundled Noto fonts for the rest.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = ["FONT_PACKAGE", "cjk_font_path", "ROLES", "FontChoice", "official_fonts", "fallback_notice",
           "FONT_DIR_ENV", "SYSTEM_FONTS_ENV"]

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_DIR_ENV = "JUESUAN_FONT_DIR"            # a directory of official fonts (set by build --font-dir)
SYSTEM_FONTS_ENV = "JUESUAN_SYSTEM_FONTS"    # "0": do not look in the system's font directories

# role → (the font's Chinese name, file names in order of preference, compared case-insensitively)
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "body": ("仿宋_GB2312", ("仿宋_GB2312.ttf", "FangSong_GB2312.ttf", "FS_GB2312.ttf", "fsgb2312.ttf",
                            "simfang.ttf", "仿宋.ttf", "FangSong.ttf", "STFANGSO.TTF")),
    "title": ("方正小标宋简体", ("FZXBSJW.TTF", "FZXBSJW--GB1-0.ttf", "方正小标宋简体.ttf", "方正小标宋_GBK.ttf",
                               "FZXBSK.TTF", "FZXiaoBiaoSong-B05S.ttf")),
    "heading": ("黑体", ("simhei.ttf", "黑体.ttf", "SimHei.ttf", "STHEITI.TTF")),
    "subheading": ("楷体_GB2312", ("楷体_GB2312.ttf", "KaiTi_GB2312.ttf", "KAITI_GB2312.TTF", "simkai.ttf",
                                 "楷体.ttf", "KaiTi.ttf", "STKAITI.TTF")),
}
_MAX_FILES = 50_000          # files looked at in the system's font directories, at most


def cjk_font_path(style: str = "Sans") -> str:
    """Path of the bundled Noto {Sans,Serif} SC font file."""
    return str(resources.files(FONT_PACKAGE) / f"Noto{style}SC-Regular.otf")


@dataclass(frozen=True)
class FontChoice:
    """The official fonts found: role → (file, family name as the font names itself)."""
    found: dict[str, tuple[Path, str]] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """The Chinese names of the roles no file was found for."""
        return [name for role, (name, _) in ROLES.items() if role not in self.found]

    def family(self, role: str) -> str | None:
        return self.found[role][1] if role in self.found else None


def system_font_dirs() -> list[Path]:
    """Where Windows, macOS and Linux (fontconfig's usual directories) keep fonts."""
    home = Path.home()
    if sys.platform.startswith("win"):
        dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        if os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs = [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    else:
        data = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
        dirs = [Path(data) / "fonts", home / ".fonts", Path("/usr/local/share/fonts"), Path("/usr/share/fonts")]
    return dirs


def _files(directory: Path, budget: list[int]) -> dict[str, Path]:
    """Font files under ``directory`` by lower-case name (the first one found of each name)."""
    out: dict[str, Path] = {}
    for root, _dirs, names in os.walk(directory):
        for n in names:
            budget[0] -= 1
            if budget[0] < 0:
                return out
            if n.lower().endswith((".ttf", ".otf", ".ttc")):
                out.setdefault(n.lower(), Path(root) / n)
    return out


def _family(path: Path) -> str | None:
    """The family name the font file gives itself, as Typst reads it: the typographic family
    (name 16), else the family (name 1), the first record in the name table's order (platform,
    encoding, language: a Windows font's en-US "FangSong" before its zh-CN "仿宋") that is
    Unicode or Mac Roman."""
    try:
        from fontTools.ttLib import TTFont
        font = TTFont(str(path), lazy=True, fontNumber=0)
        names = sorted(font["name"].names, key=lambda n: (n.platformID, n.platEncID, n.langID))
    except Exception:  # noqa: BLE001 - an unreadable font file is one not found
        return None
    for name_id in (16, 1):
        for n in names:
            if n.nameID != name_id or not (n.isUnicode() or (n.platformID, n.platEncID) == (1, 0)):
                continue
            try:
                text = n.toUnicode().strip()
            except UnicodeDecodeError:
                continue
            if text:
                return text
    return None


def official_fonts(font_dir: str | Path | None = None, system: bool | None = None) -> FontChoice:
    """The official fonts found in ``font_dir`` (else ``$JUESUAN_FONT_DIR``) and, unless
    ``system`` is False (or ``$JUESUAN_SYSTEM_FONTS`` is "0"), the system's font directories;
    ``font_dir`` first."""
    font_dir = font_dir or os.environ.get(FONT_DIR_ENV) or None
    if system is None:
        system = os.environ.get(SYSTEM_FONTS_ENV, "1") != "0"
    dirs = ([Path(font_dir)] if font_dir else []) + (system_font_dirs() if system else [])
    budget = [_MAX_FILES]
    files: dict[str, Path] = {}
    for d in dirs:
        if d.is_dir():
            for k, v in _files(d, budget).items():
                files.setdefault(k, v)
    found: dict[str, tuple[Path, str]] = {}
    for role, (_, names) in ROLES.items():
        for n in names:
            path = files.get(n.lower())
            family = _family(path) if path is not None else None
            if family:
                found[role] = (path, family)
                break
    return FontChoice(found)


def fallback_notice(choice: FontChoice) -> str | None:
    """The one line said when the PDF must use the bundled fonts for some roles (None: all found)."""
    missing = choice.missing
    if not missing:
        return None
    return (f"提示：本机未找到{'、'.join(missing)}字体，PDF 中这些字体改用内置的思源（Noto）字体。"
            "如有这些字体文件（如 Windows 的 C:\\Windows\\Fonts 下 simfang.ttf、simhei.ttf、simkai.ttf、"
            "FZXBSJW.TTF），可用 --font-dir 目录 指定。")

"""Uploaded files: where they are kept, how a body is received, what a file is (docs/web.md).

* :func:`upload_dir` / :func:`upload_path` — an upload is kept as ``<upload_dir>/<sha256><suffix>``:
  ``settings.upload_dir``, else an ``uploads/`` folder beside the SQLite file, else (PostgreSQL,
  an in-memory store) ``<user data dir>/uploads``. Documents built for download are cached under
  ``<upload_dir>/built/<version id>/`` (:func:`built_dir`).
* :func:`receive` — a multipart body streamed to a temporary file chunk by chunk, hashed on the
  way, refused (413) as soon as the file passes the size bound: a large body is never held in
  memory, nor written beyond the bound. A form's CSRF token must come before its file.
* :func:`sniff` — what a file is, by its content (never its name): ``%PDF``; a zip is a .docx
  (``word/document.xml``) or an .xlsx (``xl/workbook.xml``) once :func:`juesuan.limits.check_zip`
  has passed it; OLE2 is an old .xls; else UTF-8/GB18030 text: HTML, YAML/JSON data (a mapping),
  or plain text. Anything else is refused with what it is and what to do.
"""

from __future__ import annotations

import codecs
import hashlib
import hmac
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..limits import MAX_YAML_BYTES, check_zip
from ..parse.text import utf16_encoding

__all__ = ["Refused", "Received", "FORMATS", "upload_dir", "upload_path", "built_dir", "receive", "sniff",
           "safe_name"]

# a detected format: (its suffix, its name in messages)
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": (".pdf", "PDF 文件"), "docx": (".docx", "Word 文档（.docx）"), "xlsx": (".xlsx", "Excel 工作簿（.xlsx）"),
    "xls": (".xls", "Excel 工作簿（.xls）"), "html": (".html", "网页（HTML）"), "txt": (".txt", "文本文件"),
    "yaml": (".yaml", "YAML 数据"), "json": (".json", "JSON 数据"),
}
WHAT_TO_SEND = ("请上传部门决算公开或部门预算公开的 PDF、Word（.docx）、网页（.html）或文本（.txt），"
                "或数据（Excel 工作簿、YAML/JSON）。")
_CHUNK = 1 << 16
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Refused(Exception):
    """An upload refused: ``status`` (400, 403, 413, 415) and the message (Chinese) saying what to do."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


# ------------------------------------------------------------------------------ where files are kept

def _settings_and_url(app_or_settings: Any):
    from ..store.engine import resolve_url
    state = getattr(app_or_settings, "state", None)
    if state is not None:                        # the application: its store says where it is
        return state.settings, state.store.engine.url
    return app_or_settings, resolve_url(app_or_settings.db)


def upload_dir(app_or_settings: Any) -> Path:
    """The folder uploads are kept in (made when missing)."""
    settings, url = _settings_and_url(app_or_settings)
    if settings.upload_dir is not None:
        d = Path(settings.upload_dir)
    elif url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        d = Path(url.database).parent / "uploads"
    else:
        from platformdirs import user_data_dir
        d = Path(user_data_dir("juesuan")) / "uploads"
    d.mkdir(parents=True, exist_ok=True)
    return d


def upload_path(app_or_settings: Any, sha256: str, suffix: str) -> Path:
    """Where the upload of SHA-256 ``sha256`` is kept: ``<upload_dir>/<sha256><suffix>``."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return upload_dir(app_or_settings) / f"{sha256}{suffix}"


def built_dir(app_or_settings: Any, version_id: int) -> Path:
    """Where the documents built from a version's data are cached: ``<upload_dir>/built/<id>/``."""
    d = upload_dir(app_or_settings) / "built" / str(int(version_id))
    d.mkdir(parents=True, exist_ok=True)
    return d


def safe_name(name: str | None) -> str:
    """A file name as the user gave it, reduced to its last part, without control or path characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", base).strip(" .") or "上传文件"
    return base[:120]


# ------------------------------------------------------------------------------ receiving a body

@dataclass
class Received:
    """A file received: the temporary file it is in, the user's name of it, its size and SHA-256."""
    path: Path
    name: str
    size: int
    sha256: str
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        try:
            self.path.unlink()
        except OSError:
            pass


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def too_large(limit: int) -> Refused:
    return Refused(413, f"文件过大：上传上限为 {size_text(limit)}。一份部门决算公开通常只有几 MB："
                        "请确认选对了文件；扫描件请降低分辨率或分册后再上传。")


async def receive(request, folder: Path, limit: int, csrf_token: str | None, field_name: str = "file") -> Received:
    """The file of the multipart body of ``request`` (field ``field_name``), streamed into a
    temporary file in ``folder``. ``csrf_token``: when given, a form field ``csrf_token`` equal to
    it must come before the file (else 403). Raises :class:`Refused`."""
    from python_multipart.multipart import MultipartParser, parse_options_header

    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit + 64 * 1024:
        raise too_large(limit)       # said at once: the body is not read
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise Refused(400, "上传须以 multipart/form-data 表单提交，文件放在字段 file 中。")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    out = os.fdopen(fd, "wb")
    state: dict[str, Any] = {"headers": {}, "hname": b"", "hvalue": b"", "name": None, "file": False,
                             "buf": bytearray(), "size": 0, "filename": None, "seen": False}
    fields: dict[str, str] = {}
    digest = hashlib.sha256()

    def on_part_begin():
        state.update(headers={}, name=None, file=False, buf=bytearray())

    def on_header_field(data, start, end):
        state["hname"] += data[start:end]

    def on_header_value(data, start, end):
        state["hvalue"] += data[start:end]

    def on_header_end():
        state["headers"][state["hname"].lower()] = state["hvalue"]
        state["hname"], state["hvalue"] = b"", b""

    def on_headers_finished():
        _, opts = parse_options_header(state["headers"].get(b"content-disposition", b""))
        name = opts.get(b"name", b"").decode("utf-8", "replace")
        state["name"] = name
        if b"filename" in opts and name == field_name:
            if state["seen"]:
                raise Refused(400, "一次只能上传一个文件。")
            if csrf_token is not None and not hmac.compare_digest(fields.get("csrf_token", ""), csrf_token):
                raise Refused(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。")
            state.update(file=True, seen=True, filename=opts[b"filename"].decode("utf-8", "replace"))

    def on_part_data(data, start, end):
        chunk = data[start:end]
        if state["file"]:
            state["size"] += len(chunk)
            if state["size"] > limit:
                raise too_large(limit)
            digest.update(chunk)
            out.write(chunk)
        else:
            if len(state["buf"]) + len(chunk) > 8192 or len(fields) > 20:
                raise Refused(400, "表单字段过大或过多。")
            state["buf"] += chunk

    def on_part_end():
        if not state["file"] and state["name"]:
            fields[state["name"]] = state["buf"].decode("utf-8", "replace")

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_part_end": on_part_end,
        "on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished})
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        out.close()
    except BaseException as e:
        out.close()
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, Refused):
            raise
        if isinstance(e, Exception):
            raise Refused(400, "上传的表单不完整或已损坏，请重新上传。") from None
        raise
    if not state["seen"]:
        Path(tmp).unlink(missing_ok=True)
        raise Refused(400, "没有收到文件：请选择要上传的文件（表单字段 file）。")
    if state["size"] == 0:
        Path(tmp).unlink(missing_ok=True)
        raise Refused(400, "上传的文件是空的（0 字节）：请确认选对了文件。")
    return Received(Path(tmp), safe_name(state["filename"]), state["size"], digest.hexdigest(), fields)


# ------------------------------------------------------------------------------ what a file is

_HTML = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta", b"<title")
_KEY_LINE = re.compile(r"^[\"']?[A-Za-z_][\w\-]*[\"']?\s*:(\s|$)")


def _decode(path: Path) -> tuple[str, str]:
    """(the encoding, the first 64 KB as text) of a text file: UTF-16 as the text reader knows it
    (:func:`juesuan.parse.text.utf16_encoding`: Windows Notepad's "Unicode"), else UTF-8 (BOM or
    not), else GB18030, checked to the end chunk by chunk (nothing more is kept); refused when it
    is none of these (binary)."""
    with open(path, "rb") as f:
        head = f.read(_CHUNK)
    utf16 = utf16_encoding(head)
    if utf16 is None and b"\x00" in head:
        raise Refused(415, "无法识别的文件类型（二进制文件，不是 PDF、Word、Excel、网页或文本）。" + WHAT_TO_SEND)
    for enc in (utf16,) if utf16 else ("utf-8-sig", "gb18030"):
        dec = codecs.getincrementaldecoder(enc)()
        first = None
        try:
            with open(path, "rb") as f:
                while chunk := f.read(_CHUNK):
                    text = dec.decode(chunk)
                    first = text if first is None else first
                dec.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return enc, first or ""
    raise Refused(415, "无法识别的文件：既不是 PDF、Word、Excel，也不是 UTF-8 或 GB18030 编码的文本。" + WHAT_TO_SEND)


def _data_mapping(path: Path, encoding: str, head: str, size: int) -> str | None:
    """"json" or "yaml" when the file is data that parses to a mapping, else None (read whole only
    when its beginning looks like data and it is not larger than a data file may be)."""
    body = head.lstrip()
    first = next((ln for ln in body.splitlines()
                  if ln.strip() and not ln.lstrip().startswith(("#", "---", "%YAML"))), "")
    is_json, is_yaml = body.startswith("{"), bool(_KEY_LINE.match(first))
    if size > MAX_YAML_BYTES or not (is_json or is_yaml):
        return None                     # a disclosure's text never begins with "{" or "key:"
    text = path.read_bytes().decode(encoding)
    if is_json:
        try:
            return "json" if isinstance(json.loads(text), dict) else None
        except ValueError:
            pass
    import yaml
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return "yaml" if isinstance(data, dict) else None


def sniff(path: Path, name: str = "上传的文件") -> str:
    """The format of the file at ``path`` (a key of :data:`FORMATS`), by its content; ``name``
    (the user's name of it) in the messages. Raises :class:`Refused`."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(8192)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            check_zip(path, "压缩文件")
        except InputError as e:
            raise Refused(400, f"{name}：" + "；".join(d.message for d in e.diagnostics)) from None
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise Refused(400, f"{name}：压缩结构已损坏，无法打开：请用 Office/WPS 打开后另存一份再上传。") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            raise Refused(415, f"{name} 是 PowerPoint 演示文稿，不是部门决算公开。" + WHAT_TO_SEND)
        if "content.xml" in names:
            raise Refused(415, f"{name} 是 OpenDocument（WPS/LibreOffice）文件：请另存为 .docx 或 .xlsx 后再上传。")
        raise Refused(415, f"{name} 是一个压缩包，不是 Word 文档或 Excel 工作簿：请解压后逐个上传其中的文件。")
    if head.startswith(_OLE2):
        with open(path, "rb") as f:
            blob = f.read(1 << 20)
        if "WordDocument".encode("utf-16-le") in blob:
            raise Refused(415, f"{name} 是旧版 Word 文档（.doc）：请在 Word/WPS 中另存为 .docx 后再上传。")
        if "EncryptedPackage".encode("utf-16-le") in blob:
            raise Refused(400, f"{name} 已加密（设置了打开密码）：请在 Excel/WPS 中取消密码后另存，再上传。")
        return "xls"
    encoding, head = _decode(path)
    low = head.lstrip("\ufeff \t\r\n")[:2048].lower().encode()
    if low.startswith(_HTML) or (low.startswith(b"<?xml") and b"<html" in low) or b"<html" in low[:1024]:
        return "html"
    return _data_mapping(path, encoding, head, size) or "txt"

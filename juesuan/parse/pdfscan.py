"""What each page of a PDF draws, measured from the file's bytes before pdfium loads it.

pdfium copies a form XObject's objects every time a page draws it, when the page is loaded:
a form drawing another ten times, six levels deep, is a million copies and gigabytes for a
few kilobytes of file — pdfium aborts the process, nothing can catch it. So :func:`page_costs`
follows the file itself: the page tree, each page's content streams and the form XObjects they
draw (``/Name Do``, resolved through the resources), and gives per page the bytes of content
drawn once the forms are expanded. :func:`juesuan.parse.pdf.read_pdf` refuses a page above
``limits.MAX_PDF_PAGE_CONTENT`` before loading it.

This is a measure, not a reader: objects are found by scanning for ``N G obj`` (the last
definition wins, as after incremental updates) and in object streams; the filters of content
streams are decoded (Flate, LZW, ASCII85, ASCIIHex, RunLength), each at most as far as the
bound. When the structure cannot be followed (no page tree, an encrypted file, an unknown
filter, a page count other than pdfium's) it says None or counts what it can: it never refuses a file by itself,
and the bounds applied after loading (objects and characters per page) remain. For such a file,
:func:`probe_pages` loads the pages first in a child process bounded in memory and time (on
systems with ``fork``), so that pdfium's abort takes down the child, not juesuan.
"""

from __future__ import annotations

import re
import zlib
from base64 import a85decode
from binascii import unhexlify

__all__ = ["page_costs"]

_OBJ = re.compile(rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_OBJ_WORD = re.compile(rb"obj\b")   # where _OBJ can end: found far faster (a literal)
_SPACE = frozenset(b" \t\n\r\x0b\x0c")       # the bytes ``\s`` matches
_ENCRYPT = re.compile(rb"/Encrypt\s*(\d+\s+\d+\s+R|<<)")
_ROOT = re.compile(rb"/Root\s+(\d{1,10})\s+(\d{1,5})\s+R")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![A-Za-z0-9_])")
_NUM = re.compile(rb"[-+]?(\d+\.?\d*|\.\d+)")
_REF_TAIL = re.compile(rb"\s+(\d{1,5})\s+R(?![A-Za-z])")
_WS = b" \t\r\n\f\x00"
_MAX_NESTING = 64   # forms inside forms (pdfium expands 40 levels; real files: one or two)
_DELIM = b"()<>[]{}/%"
_SKIP = re.compile(rb"(?:[ \t\r\n\f\x00]+|%[^\n]*\n?)*")          # white space (_WS) and comments
_NAME_BYTES = re.compile(rb"[^ \t\r\n\f\x00()<>\[\]{}/%]*")         # a name's bytes: up to _WS or _DELIM


class Name(str):
    """A PDF name (``/Type``), told apart from a string."""


class Ref(tuple):
    """An indirect reference ``N G R``."""


class Stream(dict):
    """A stream's dictionary; ``raw`` is its undecoded data."""
    raw: bytes = b""


class _Bad(Exception):
    """The file cannot be followed here."""


def _objects(data: bytes):
    """(number, end) of every ``N G obj`` of ``data``, as ``_OBJ.finditer`` finds them: each
    ``obj`` found first, its generation and number then read backwards (scanning the file for
    ``_OBJ`` itself tries every byte: 13 ms of a 0.5 MB budget, 25 % of the reader's overhead)."""
    for m in _OBJ_WORD.finditer(data):
        j = i = m.start()
        while j and data[j - 1] in _SPACE:
            j -= 1
        if j == i:
            continue
        k = j
        while k and 48 <= data[k - 1] <= 57:
            k -= 1
        if not 1 <= j - k <= 5:
            continue
        g = k
        while g and data[g - 1] in _SPACE:
            g -= 1
        s = g
        while s and 48 <= data[s - 1] <= 57:
            s -= 1
        if g < k and 1 <= g - s <= 10:
            yield int(data[s:g]), m.end()


class _Parser:
    def __init__(self, data: bytes):
        self.data = data
        self.top: dict[int, int] = {}
        for num, end in _objects(data):
            self.top[num] = end   # the last definition wins (incremental updates)
        self.packed: dict[int, tuple[int, int]] | None = None   # object → (object stream, index)
        self.cache: dict[int, object] = {}
        self.unpacked: dict[int, tuple[bytes, int]] = {}   # object stream → (data, /First)

    # -- tokens and objects ------------------------------------------------------------
    def skip(self, i: int) -> int:
        """The position after the white space and % comments at ``i`` (one regular expression,
        not a byte at a time: the size check parses every page's and form's dictionary)."""
        if i >= len(self.data):
            return i
        return _SKIP.match(self.data, i).end()

    def value(self, i: int, depth: int = 0):
        """The object at ``i`` and the position after it."""
        if depth > 64:
            raise _Bad("nesting")
        d = self.data
        i = self.skip(i)
        if i >= len(d):
            raise _Bad("end")
        c = d[i:i + 1]
        if c == b"/":
            j = _NAME_BYTES.match(d, i + 1).end()
            return Name(d[i + 1:j].decode("latin-1")), j
        if d.startswith(b"<<", i):
            out: dict = {}
            i += 2
            while True:
                i = self.skip(i)
                if d.startswith(b">>", i):
                    return out, i + 2
                key, i = self.value(i, depth + 1)
                if not isinstance(key, Name):
                    raise _Bad("key")
                out[str(key)], i = self.value(i, depth + 1)
        if c == b"[":
            items: list = []
            i += 1
            while True:
                i = self.skip(i)
                if d.startswith(b"]", i):
                    return items, i + 1
                v, i = self.value(i, depth + 1)
                items.append(v)
        if c == b"(":
            level, j = 1, i + 1
            while j < len(d) and level:
                if d[j] == 0x5C:   # backslash
                    j += 2
                    continue
                level += (d[j] == 0x28) - (d[j] == 0x29)
                j += 1
            return d[i + 1:j - 1], j
        if c == b"<":
            j = d.find(b">", i)
            if j < 0:
                raise _Bad("hex")
            return d[i + 1:j], j + 1
        m = _NUM.match(d, i)
        if m:
            num = m.group()
            r = _REF_TAIL.match(d, m.end())
            if r and num.isdigit():
                return Ref((int(num), int(r.group(1)))), r.end()
            return (float(num) if b"." in num else int(num)), m.end()
        for word, v in ((b"true", True), (b"false", False), (b"null", None)):
            if d.startswith(word, i):
                return v, i + len(word)
        raise _Bad(f"token at {i}")

    def body(self, start: int):
        """The object whose body starts at ``start`` (after ``N G obj``), a stream with its data."""
        v, i = self.value(start)
        if not isinstance(v, dict):
            return v
        i = self.skip(i)
        if not self.data.startswith(b"stream", i):
            return v
        i += 6
        if self.data.startswith(b"\r\n", i):
            i += 2
        elif self.data[i:i + 1] in (b"\n", b"\r"):
            i += 1
        s = Stream(v)
        length = v.get("Length")
        if isinstance(length, Ref):
            length = self.get(length)
        end = i + length if isinstance(length, int) and length >= 0 else -1
        if end < 0 or self.data.find(b"endstream", end, end + 32) < 0:
            end = self.data.find(b"endstream", i)
            if end < 0:
                raise _Bad("endstream")
        s.raw = self.data[i:end]
        return s

    def get(self, ref):
        """The object a reference (or a value) stands for."""
        if not isinstance(ref, Ref):
            return ref
        num = ref[0]
        if num in self.cache:
            return self.cache[num]
        self.cache[num] = None   # a reference to itself resolves to null
        if num in self.top:
            out = self.body(self.top[num])
        else:
            out = self.packed_object(num)
        self.cache[num] = out
        return out

    def packed_object(self, num: int):
        """An object kept in an object stream (PDF 1.5)."""
        if self.packed is None:
            self.packed = {}
            for n, start in self.top.items():
                if b"/ObjStm" not in self.data[start:start + 512]:
                    continue
                try:
                    s = self.get(Ref((n, 0)))
                    if not isinstance(s, Stream) or s.get("Type") != "ObjStm":
                        continue
                    head = self.decoded(s, max(0, int(s.get("First", 0))))
                except (_Bad, ValueError, TypeError):
                    continue
                nums = head.split()
                for k in range(0, len(nums) - 1, 2):
                    if nums[k].isdigit():
                        self.packed.setdefault(int(nums[k]), (n, k // 2))
        if num not in self.packed:
            return None
        stm, index = self.packed[num]
        if stm not in self.unpacked:
            s = self.get(Ref((stm, 0)))
            self.unpacked[stm] = (self.decoded(s, 64 << 20), int(s.get("First", 0)))
        data, first = self.unpacked[stm]
        nums = data[:first].split()
        if 2 * index + 1 >= len(nums):
            return None
        sub = _Parser.__new__(_Parser)
        sub.data = data
        v, _ = sub.value(first + int(nums[2 * index + 1]))
        return v

    # -- streams ---------------------------------------------------------------------
    def decoded(self, s: Stream, limit: int) -> bytes:
        """A stream's data decoded, at most ``limit`` bytes of it."""
        data = s.raw
        filters = self.get(s.get("Filter"))
        if filters is None:
            filters = []
        elif not isinstance(filters, list):
            filters = [filters]
        for f in filters:
            f = self.get(f)
            if f in ("FlateDecode", "Fl"):
                z = zlib.decompressobj()
                try:
                    data = z.decompress(data, limit)
                except zlib.error:
                    data = b""
            elif f in ("ASCIIHexDecode", "AHx"):
                h = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
                data = unhexlify(h + b"0" * (len(h) % 2))
            elif f in ("ASCII85Decode", "A85"):
                body = data.strip()
                body = body[2:] if body.startswith(b"<~") else body
                try:
                    data = a85decode(body.split(b"~>", 1)[0], ignorechars=_WS)
                except ValueError:
                    data = b""
            elif f in ("LZWDecode", "LZW"):
                data = _lzw(data, limit)
            elif f in ("RunLengthDecode", "RL"):
                data = _run_length(data, limit)
            else:
                raise _Bad(f"filter {f}")
        return data[:limit]


def _lzw(data: bytes, limit: int) -> bytes:
    out = bytearray()
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    bits, width, acc, prev = 0, 9, 0, b""
    for byte in data:
        acc = (acc << 8) | byte
        bits += 8
        while bits >= width:
            bits -= width
            code = (acc >> bits) & ((1 << width) - 1)
            if code == 256:
                table, width, prev = table[:258], 9, b""
                continue
            if code == 257:
                return bytes(out)
            if code < len(table):
                entry = table[code]
            elif prev:
                entry = prev + prev[:1]
            else:
                return bytes(out)
            out += entry
            if len(out) >= limit:
                return bytes(out)
            if prev:
                table.append(prev + entry[:1])
            prev = entry
            if len(table) + 1 >= 1 << width and width < 12:
                width += 1
    return bytes(out)


def _run_length(data: bytes, limit: int) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data) and len(out) < limit:
        n = data[i]
        if n == 128:
            break
        if n < 128:
            out += data[i + 1:i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1:i + 2] * (257 - n)
            i += 2
    return bytes(out)


class _Measure:
    """Bytes drawn by content streams and forms, each stream decoded once."""

    def __init__(self, parser: _Parser, bound: int):
        self.p = parser
        self.bound = bound   # above this a cost is as good as infinite: stop counting
        self.streams: dict[int, tuple[int, dict[str, int]]] = {}
        self.forms: dict[tuple[int, int], int] = {}
        self.active: set[int] = set()

    def stream(self, ref) -> tuple[int, dict[str, int]]:
        """Bytes of a content stream and how often it draws each named XObject."""
        key = ref[0] if isinstance(ref, Ref) else id(ref)
        got = self.streams.get(key)
        if got is None:
            got = self.streams[key] = self._stream(self.p.get(ref))
        return got

    def _stream(self, s) -> tuple[int, dict[str, int]]:
        if not isinstance(s, Stream):
            return 0, {}
        try:
            data = self.p.decoded(s, self.bound + 1)
        except _Bad:
            return len(s.raw), {}   # an unknown filter: its length, no forms followed
        dos: dict[str, int] = {}
        if b"Do" in data:
            for m in _DO.finditer(data):
                name = m.group(1).decode("latin-1")
                dos[name] = dos.get(name, 0) + 1
        return len(data), dos

    def xobjects(self, resources) -> dict:
        res = self.p.get(resources)
        if not isinstance(res, dict):
            return {}
        xo = self.p.get(res.get("XObject"))
        return xo if isinstance(xo, dict) else {}

    def drawn(self, length: int, dos: dict[str, int], xobjects: dict) -> int:
        cost = length
        for name, times in dos.items():
            ref = xobjects.get(name)
            if isinstance(ref, Ref):
                cost += times * self.form(ref, xobjects)
            if cost > self.bound:
                return self.bound + 1
        return cost

    def form(self, ref: Ref, inherited: dict) -> int:
        """Bytes a form XObject draws, the forms it draws expanded (0 for an image)."""
        num = ref[0]
        if num in self.active:
            return 0   # a form drawing itself: pdfium stops the recursion
        if len(self.active) >= _MAX_NESTING:
            return self.bound + 1   # forms nested this deep are built to be expanded, not read
        s = self.p.get(ref)
        if not isinstance(s, Stream) or s.get("Subtype") != "Form":
            return 0
        own = "Resources" in s
        key = (num, 0 if own else id(inherited))
        if key in self.forms:
            return self.forms[key]
        self.active.add(num)
        try:
            length, dos = self.stream(ref)
            cost = self.drawn(length, dos, self.xobjects(s.get("Resources")) if own else inherited)
        finally:
            self.active.discard(num)
        self.forms[key] = cost
        return cost


def _pages(p: _Parser) -> list[tuple[dict, object]]:
    """Every page dictionary with its (inherited) resources, in page order."""
    roots = _ROOT.findall(p.data)
    if not roots:
        raise _Bad("no /Root")
    catalog = p.get(Ref((int(roots[-1][0]), int(roots[-1][1]))))
    if not isinstance(catalog, dict):
        raise _Bad("catalog")
    out: list[tuple[dict, object]] = []
    seen: set[int] = set()

    def walk(ref, resources, depth: int) -> None:
        if depth > 64 or (isinstance(ref, Ref) and ref[0] in seen):
            raise _Bad("page tree")
        if isinstance(ref, Ref):
            seen.add(ref[0])
        node = p.get(ref)
        if not isinstance(node, dict):
            return
        resources = node.get("Resources", resources)
        kids = p.get(node.get("Kids"))
        if node.get("Type") == "Pages" or (kids is not None and node.get("Type") != "Page"):
            for kid in kids or []:
                walk(kid, resources, depth + 1)
        else:
            out.append((node, resources))

    walk(catalog.get("Pages"), None, 0)
    return out


def page_costs(data: bytes, pages: int, page_bound: int) -> list[int] | None:
    """Bytes of content each page draws, its form XObjects expanded (a cost above ``page_bound``
    is given as ``page_bound + 1``); None when the file's structure cannot be followed or its
    page count is not ``pages`` (pdfium's)."""
    if _ENCRYPT.search(data):
        return None   # encrypted streams (even with an empty password) are not decrypted here
    try:
        p = _Parser(data)
        found = _pages(p)
        if len(found) != pages:
            return None
        m = _Measure(p, page_bound)
        costs = []
        for page, resources in found:
            xobjects = m.xobjects(resources)
            contents = p.get(page.get("Contents"))
            if not isinstance(contents, list):
                contents = [page.get("Contents")]
            cost = 0
            for c in contents:
                length, dos = m.stream(c)
                cost += m.drawn(length, dos, xobjects)
                if cost > page_bound:
                    cost = page_bound + 1
                    break
            costs.append(cost)
        return costs
    except (_Bad, ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError, MemoryError):
        return None


# --- when the file cannot be followed: load its pages where a blow-up harms no one -----------------
def probe_pages(data: bytes, pages: int, memory: int, seconds: float) -> tuple[int, str] | None:
    """Load every page with pdfium in a child process bounded to ``memory`` more bytes of address
    space and ``seconds`` in all, for a file :func:`page_costs` cannot follow (an encrypted file,
    an unknown filter): pdfium aborts the whole process when a page's forms expand beyond memory,
    and the child is what it takes down. Returns (page, "memory"|"time") for the first page the
    child could not load, None when all loaded (or where there is no ``fork``: Windows)."""
    import os
    import select
    import signal
    import struct

    if not hasattr(os, "fork"):
        return None
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: no return from here
        code = 0
        try:
            os.close(r)
            _bound_memory(memory)
            import pypdfium2 as pdfium
            pdf = pdfium.PdfDocument(data)
            for i in range(pages):
                os.write(w, struct.pack("<I", i + 1))
                pdf[i].close()
            os.write(w, struct.pack("<I", 0))
        except MemoryError:
            code = 3
        except BaseException:  # a damaged page: the parent's own reading says so, located
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    started, done, deadline = 0, False, _now() + seconds
    try:
        buf = b""
        while not done:
            left = deadline - _now()
            if left <= 0 or not select.select([r], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return max(started, 1), "time"
            chunk = os.read(r, 4096)
            if not chunk:
                break
            buf += chunk
            while len(buf) >= 4:
                (n,), buf = struct.unpack("<I", buf[:4]), buf[4:]
                if n == 0:
                    done = True
                else:
                    started = n
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(r)
    if done or (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1):
        return None
    return max(started, 1), "memory"     # killed by pdfium's abort, or out of memory


def _now() -> float:
    import time
    return time.monotonic()


def _bound_memory(extra: int) -> None:
    """This process's address space bounded to what it uses now plus ``extra`` bytes (Linux)."""
    import resource
    try:
        with open("/proc/self/status") as f:
            size = next(int(x.split()[1]) * 1024 for x in f if x.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    bound = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (bound, hard))

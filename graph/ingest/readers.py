"""Read a source file (text, markdown, HTML, DOCX, PDF) into a :class:`~graph.models.SourceText`.

The format is detected from the content (magic bytes), the extension only breaks ties:
``PK`` zip holding ``word/document.xml`` → ``docx``; ``%PDF`` → ``pdf``; ``<!doctype html`` /
``<html`` → ``html``; ``.md`` → ``markdown`` (the crawled legal-portal form, read as text);
anything else that decodes → ``txt``.

Text encodings: UTF-8 (with or without BOM), UTF-16 (BOM, or without BOM when the NUL pattern
shows it), Windows-1258 (tone marks composed), and the legacy font encodings TCVN3 (ABC) and
VNI-Windows (converted, see :mod:`graph.ingest.legacy`). Text typed in a legacy font inside a
Unicode container (a DOCX in ``.VnTime``, an HTML page declared ISO-8859-1 in ``VNI-Times``)
is converted too; ``encoding`` then names the legacy encoding. The returned text is always
NFC.

HTML, DOCX and PDF text follows the convention of the plain-text corpus (the legal portals'
text form, which :mod:`graph.ingest.parse` and the extractors read): a blank line ends a
paragraph, a single newline is a line break inside one (see :func:`_join_blocks`), so a
document gives the same extraction in every format (``tests/test_format_equivalence.py``).
PDF lines are put back into paragraphs from their geometry (:func:`_pdf_text`), ruled tables
are read row by row (:func:`_pdf_tables`), page furniture is dropped
(:func:`_drop_page_furniture`).

Every failure is a :class:`~graph.errors.ReadError` (or its subclasses
:class:`~graph.errors.UnsupportedEncodingError`, :class:`~graph.errors.UnsupportedFormatError`)
whose message starts with the file name; no other exception escapes :func:`read_source`.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from graph.errors import ReadError, UnsupportedEncodingError, UnsupportedFormatError
from graph.ingest.legacy import decode_legacy, detect_8bit, detect_legacy, to_latin_bytes
from graph.models import SourceText

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "read_source",
    "detect_format",
    "decode_bytes",
    "html_to_text",
    "MAX_HTML_DEPTH",
]

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
"""File extensions picked up by folder ingest (lower case, with the dot)."""

MAX_HTML_DEPTH = 512
"""HTML nested deeper than this many elements is refused (no document page nests so deep;
deeper markup is an attack or a broken generator)."""

# ---------------------------------------------------------------------------------------------
# public entry point


def read_source(path: str | Path, *, data: bytes | None = None, max_bytes: int = 50_000_000) -> SourceText:
    """Read one source document.

    Inputs: ``path`` — the file to read, or only its name when ``data`` is given (uploads);
    ``data`` — the file's bytes, if already in memory; ``max_bytes`` — size limit.

    Output: :class:`~graph.models.SourceText` with ``text`` (NFC; for HTML/DOCX/PDF the
    extracted body text in the plain-text corpus's convention: paragraphs separated by one
    blank line, line breaks inside a paragraph (``<br>``, ``<w:br/>``, a header block's short
    PDF lines) as single newlines, wrapped PDF lines re-joined, each table row a paragraph of
    cells joined by ``" | "``; PDF running heads, footers and page numbers removed),
    ``format`` (``txt``, ``markdown``, ``html``, ``docx``, ``pdf``), ``encoding`` (``utf-8``,
    ``utf-8-sig``, ``utf-16``, ``cp1258``, ``tcvn3``, ``vni``; ``None`` for DOCX/PDF unless
    legacy-font text was converted) and ``sha256`` of the bytes.

    Raises :class:`~graph.errors.ReadError` (missing file, directory, unreadable, empty, too
    large, binary data, corrupt DOCX/PDF, PDF without text layer, HTML without body text,
    markup nested too deep), :class:`~graph.errors.UnsupportedEncodingError` (bytes in no
    supported encoding, UTF-32) or :class:`~graph.errors.UnsupportedFormatError` (images,
    archives, .doc, .xlsx …). Nothing else, whatever the input.
    """
    name = str(path)
    try:
        raw = _load(name, data, max_bytes)
        fmt = _detect_format(raw, name)
        if fmt == "docx":
            text, enc = _read_docx(raw, name, max_bytes), None
        elif fmt == "pdf":
            text, enc = _read_pdf(raw, name), None
        elif fmt == "html":
            html, enc = _decode_html(raw, name)
            text = html_to_text(html, name)
        else:
            text, enc = decode_bytes(raw, name)
        text, enc = _finish(text, enc, name, fmt)
        return SourceText(path=name, text=text, format=fmt, encoding=enc,
                          sha256=hashlib.sha256(raw).hexdigest())
    except ReadError:
        raise
    except Exception as e:  # library errors, RecursionError, MemoryError … : never leak them
        raise ReadError(name, f"could not read the file ({type(e).__name__}: {_short(e)})") from e


def _short(e: BaseException, n: int = 200) -> str:
    s = str(e).strip() or type(e).__name__
    return s if len(s) <= n else s[: n - 1] + "…"


def _load(name: str, data: bytes | None, max_bytes: int) -> bytes:
    if data is not None:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise ReadError(name, f"data must be bytes, not {type(data).__name__}")
        raw = bytes(data)
        if len(raw) > max_bytes:
            raise ReadError(name, f"file too large: {len(raw):,} bytes (limit {max_bytes:,})")
    else:
        p = Path(name)
        try:
            if not p.exists():
                raise ReadError(name, "no such file")
            if p.is_dir():
                raise ReadError(name, "is a directory, not a file")
            size = p.stat().st_size
            if size > max_bytes:
                raise ReadError(name, f"file too large: {size:,} bytes (limit {max_bytes:,})")
            with p.open("rb") as f:
                raw = f.read(max_bytes + 1)
        except ReadError:
            raise
        except OSError as e:
            raise ReadError(name, f"cannot open the file: {e.strerror or e}") from e
        if len(raw) > max_bytes:
            raise ReadError(name, f"file too large: more than {max_bytes:,} bytes")
    if not raw:
        raise ReadError(name, "empty file (0 bytes)")
    return raw


def _finish(text: str, enc: str | None, name: str, fmt: str) -> tuple[str, str | None]:
    text = unicodedata.normalize("NFC", text)
    if enc not in ("cp1258", "tcvn3", "vni"):
        legacy = detect_legacy(text)
        if legacy is not None:
            text = decode_legacy(to_latin_bytes(text), legacy)
            enc = legacy
    if "\x00" in text or _count_controls(text) > len(text) / 100:
        raise ReadError(name, "binary data, not a text document")
    if not text.strip():
        what = {"html": "HTML page has no body text", "docx": "DOCX document has no text",
                "pdf": "no text layer: scanned PDF needs OCR"}.get(fmt, "no text: the file holds only whitespace")
        raise ReadError(name, what)
    return text, enc


_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _count_controls(text: str) -> int:
    return sum(1 for _ in _CONTROL_RE.finditer(text))


# ---------------------------------------------------------------------------------------------
# format detection

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image (scanned page? needs OCR)"),
    (b"MM\x00*", "a TIFF image (scanned page? needs OCR)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls, OLE2); save it as .docx or PDF"),
    (b"{\\rtf", "an RTF document; save it as .docx or PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00\x00\x01\x00", "an icon file"),
)


def detect_format(data: bytes, filename: str) -> str:
    """Return the format of ``data``: ``"docx"``, ``"pdf"``, ``"html"``, ``"markdown"`` or
    ``"txt"``.

    Content decides (magic bytes: ``PK`` zip with ``word/document.xml``, ``%PDF``, an
    ``<!doctype html>``/``<html>`` start); the extension of ``filename`` only chooses between
    ``markdown`` and ``txt`` and whether tag soup in a ``.html`` file is HTML. A ``.docx`` or
    ``.pdf`` name on content without the matching signature is refused rather than read as text.

    Raises :class:`~graph.errors.UnsupportedFormatError` (naming ``filename``) for content of a
    known unsupported kind: images, archives, .doc/.xls, RTF, spreadsheets, presentations,
    ZIP files that are not DOCX.
    """
    return _detect_format(bytes(data), str(filename))


def _detect_format(data: bytes, name: str) -> str:
    ext = Path(name).suffix.lower()
    stripped = data.lstrip(b" \t\r\n\x00")
    if stripped.startswith(b"%PDF-") or (ext == ".pdf" and b"%PDF-" in data[:1024]):
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(data, name, ext)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormatError(name, f"unsupported format: the file is {what}")
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise UnsupportedFormatError(name, "unsupported format: the file is a WebP image")
    if ext == ".docx":
        raise UnsupportedFormatError(name, "not a DOCX file: no ZIP signature (corrupt or mislabelled)")
    if ext == ".pdf":
        raise UnsupportedFormatError(name, "not a PDF file: no %PDF header (corrupt or mislabelled)")
    head = _peek_text(data).lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    if head.startswith("<") and re.search(r"<(html|head|body)[\s>]", head[:4096]):
        return "html"
    if ext in (".html", ".htm", ".xhtml", ".shtml", ".aspx") and re.search(r"<[a-z!/][^>]*>", head[:4096]):
        return "html"
    if ext in (".md", ".markdown"):
        return "markdown"
    return "txt"


def _zip_kind(data: bytes, name: str, ext: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except Exception:
        if ext == ".docx":
            return "docx"  # the DOCX reader reports the corruption
        raise UnsupportedFormatError(name, "unsupported format: a corrupt ZIP archive") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        what = "an Excel workbook (.xlsx)"
    elif "ppt/presentation.xml" in names:
        what = "a PowerPoint presentation (.pptx)"
    elif "content.xml" in names and "mimetype" in names:
        what = "an OpenDocument file (.odt/.ods); save it as .docx"
    else:
        what = "a ZIP archive without word/document.xml (not a .docx)"
    raise UnsupportedFormatError(name, f"unsupported format: the file is {what}")


def _peek_text(data: bytes) -> str:
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore")
    kind = _utf16_guess(head)
    if kind:
        return head.decode(f"utf-16-{kind}", errors="ignore")
    return head.decode("utf-8", errors="ignore")


# ---------------------------------------------------------------------------------------------
# text decoding


def _utf16_guess(data: bytes) -> str | None:
    """'le' or 'be' when NULs fall on one parity (ASCII-heavy UTF-16 without BOM), else None."""
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0: 2 * pairs: 2].count(0)
    odd = sample[1: 2 * pairs: 2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "be"
    return None


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding)``.

    Order: BOM (UTF-8, UTF-16), UTF-16 without BOM by its NUL pattern, strict UTF-8, then the
    Vietnamese 8-bit encodings Windows-1258, TCVN3 and VNI chosen by
    :func:`graph.ingest.legacy.detect_8bit`. The text is NFC. ``name`` is used in messages.

    Raises :class:`~graph.errors.UnsupportedEncodingError` (UTF-32, invalid UTF-8/UTF-16 that is
    no known 8-bit Vietnamese encoding either — the message gives the byte offset of the first
    bad byte and says when the file looks truncated) or :class:`~graph.errors.ReadError`
    (binary data).
    """
    if data.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        raise UnsupportedEncodingError(name, "UTF-32 text is not supported; save the file as UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-8-sig")), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise UnsupportedEncodingError(name, _utf8_problem(data, e, "after its UTF-8 byte-order mark")) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as e:
            raise UnsupportedEncodingError(
                name, f"invalid UTF-16 at byte {e.start} (file truncated or corrupt)") from None
    kind = _utf16_guess(data)
    if kind is not None:
        try:
            return unicodedata.normalize("NFC", data.decode(f"utf-16-{kind}")), "utf-16"
        except UnicodeDecodeError:
            raise ReadError(name, "binary data, not a text document (NUL bytes)") from None
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as e:
        err = e
    if b"\x00" in data:
        raise ReadError(name, "binary data, not a text document (NUL bytes)")
    enc = detect_8bit(data)
    if enc is not None:
        return decode_legacy(data, enc), enc
    if _mostly_utf8(data):
        raise UnsupportedEncodingError(name, _utf8_problem(data, err, ""))
    if _looks_binary(data):
        raise ReadError(name, "binary data, not a text document")
    raise UnsupportedEncodingError(
        name, "unknown encoding: not UTF-8, UTF-16, Windows-1258, TCVN3 (ABC) or VNI; save the file as UTF-8")


def _utf8_problem(data: bytes, e: UnicodeDecodeError, where: str) -> str:
    start = e.start + (3 if where else 0)
    tail = len(data) - start
    truncated = e.reason == "unexpected end of data" or tail <= 3
    what = "truncated UTF-8: the file ends inside a character" if truncated else "invalid UTF-8"
    byte = f" (0x{data[start]:02x})" if 0 <= start < len(data) else ""
    if where:
        return f"{what} at byte {start}{byte} {where}; the file is corrupt or cut short"
    return (f"{what} at byte {start}{byte}; not Windows-1258, TCVN3 or VNI either; "
            "the file is corrupt or cut short")


def _mostly_utf8(data: bytes) -> bool:
    text = data[:1_000_000].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good_multi = sum(1 for c in text if ord(c) >= 0x80 and c != "\ufffd")
    return bad <= max(2, len(text) // 200) and good_multi >= bad


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    ctrl = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 12, 13, 11, 0x1A))
    return ctrl > len(sample) / 100


# ---------------------------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_guess(data):
        return decode_bytes(data, name)
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    if m:
        label = m.group(1).decode("ascii", "replace").lower()
        try:
            codec = codecs.lookup(label).name
        except LookupError:
            codec = None
        if codec in ("cp1258", "windows-1258"):
            return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), "cp1258"
        if codec is not None and codec not in ("utf-8", "cp1252", "iso8859-1", "latin-1", "ascii"):
            try:
                return unicodedata.normalize("NFC", data.decode(codec)), codec
            except (UnicodeDecodeError, LookupError):
                pass
    return decode_bytes(data, name)


_ALWAYS_DROP = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "object",
                "embed", "button", "select", "textarea", "input", "head", "title", "link", "meta",
                "map", "audio", "video"]
_CHROME = ["nav", "header", "footer", "aside", "menu"]
# portal content containers (thuvienphapluat.vn: #divContentDoc/.content1; vbpl.vn:
# #toanvancontent), taken when they hold some text; generic HTML5 ones only when they hold a
# good part of the page (an <article> may be a teaser in a side list)
_PORTAL_CONTAINERS = ("#divContentDoc", ".content1", "#toanvancontent", ".toanvancontent", ".fulltext",
                      "#fulltext", ".doc-content", ".noidung", "#noidung")
_GENERIC_CONTAINERS = ("article", "main", "[role=main]")
# class/id names of page chrome (header/footer are left to the tags: a "doc-header" block of a
# legal text holds the issuing body and the number)
_BOILERPLATE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|sidebar|side-bar|banner|share|social|"
    r"cookie|advert|ads|login|search|related|comments?|toolbar|pagination|topbar)(?:$|[-_\s\d])", re.I)
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "ul", "option", "tr",
    "td", "th",
}
_WS = re.compile(r"[ \t\n\r\f\v]+")


def html_to_text(html: str, name: str = "<html>") -> str:
    """Extract the document body of an HTML page as text.

    Drops ``script``/``style``/``nav``/``header``/``footer``/``aside``/forms and other chrome;
    takes the portal's content container (``#divContentDoc``, ``.content1`` of
    thuvienphapluat.vn, ``#toanvancontent`` of vbpl.vn, ``.fulltext``, ``article``, ``main``)
    when there is one, else the block holding most of the text after boilerplate (class/id
    names like ``menu``, ``sidebar``, link lists) is removed. Paragraphs, headings and other
    blocks are separated by a blank line, ``<br>`` is a single newline (two ``<br>`` in a row
    make a paragraph break); rows of data tables become one paragraph each, cells joined by
    ``" | "``; layout tables (one column, or tables inside cells) are read as blocks.

    Raises :class:`~graph.errors.ReadError` when the markup nests deeper than
    :data:`MAX_HTML_DEPTH` or the page has no body text. Script content never reaches the text.
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body
    if root is None:
        raise ReadError(name, "HTML page has no body text")
    depth = _max_depth(root)
    if depth > MAX_HTML_DEPTH:
        raise ReadError(name, f"HTML markup nested more than {MAX_HTML_DEPTH} elements deep: "
                              "not a document page")
    _remove(root.css(",".join(_ALWAYS_DROP)))
    total = len(_node_text(root))
    forms = root.css("form")
    big = [f for f in forms if len(_node_text(f)) > 0.5 * total]
    _remove([f for f in forms if not any(f.mem_id == b.mem_id for b in big)])
    for form in big:  # ASP.NET portals wrap the whole page in one <form>: keep its content
        form.unwrap()
    container = _find_container(root, total)
    if container is None:
        _remove(root.css(",".join(_CHROME)))
        _drop_boilerplate(root)
        container = _main_block(root)
    else:
        _remove(container.css(",".join(_CHROME)))
    text = _render(container)
    if not text.strip():
        raise ReadError(name, "HTML page has no body text")
    return text


def _remove(nodes) -> None:
    """Decompose ``nodes`` (any order, possibly nested): only the outermost of each nested
    group, so no node is touched after an ancestor freed it."""
    chosen = {n.mem_id: n for n in nodes}
    top = []
    for n in chosen.values():
        parent = n.parent
        inside = False
        while parent is not None:
            if parent.mem_id in chosen:
                inside = True
                break
            parent = parent.parent
        if not inside:
            top.append(n)
    for n in top:
        n.decompose()


def _node_text(node) -> str:
    return _WS.sub(" ", node.text(deep=True) or "").strip()


def _max_depth(root) -> int:
    best = 0
    stack = [(root, 0)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        if best > MAX_HTML_DEPTH:
            return best
        child = node.child
        while child is not None:
            if child.tag and not child.tag.startswith("-"):
                stack.append((child, d + 1))
            child = child.next
    return best


def _find_container(root, total: int):
    for selectors, enough in ((_PORTAL_CONTAINERS, min(200, 0.3 * total)), (_GENERIC_CONTAINERS, 0.4 * total)):
        for sel in selectors:
            try:
                nodes = root.css(sel)
            except Exception:
                continue
            best, best_len = None, 0
            for n in nodes:
                n_len = len(_node_text(n))
                if n_len > best_len:
                    best, best_len = n, n_len
            if best is not None and best_len > 0 and best_len >= enough:
                return best
    return None


def _drop_boilerplate(root) -> None:
    """Remove chrome found by class/id names and link lists (menus: many short links and
    little other text). Paragraphs whose citations are links are kept: long link texts."""
    total = max(1, len(_node_text(root)))
    chrome = []
    for node in root.css("[class], [id]"):
        label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _BOILERPLATE.search(label) and len(_node_text(node)) < 0.5 * total:
            chrome.append(node)
    _remove(chrome)
    lists = []
    for node in root.css("ul, ol, div, table, section"):
        links = node.css("a")
        if len(links) < 3:
            continue
        text = _node_text(node)
        if not text or len(text) >= 0.5 * total:
            continue
        link_lens = [len(_node_text(a)) for a in links]
        if sum(link_lens) >= 0.7 * len(text) and sum(link_lens) / len(links) <= 40:
            lists.append(node)
    _remove(lists)


_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "pre", "blockquote",
               "dd", "dt", "caption", "tr"}
_GROUPS = {"ul", "ol", "dl", "table", "tbody", "thead", "tfoot"}


def _main_block(root):
    """The block holding the document when no container is marked (readability-style).

    Each text node scores its length (links count half) for the block that holds its
    paragraph — the parent of a ``<p>``/``<li>``/``<td>``…, or the ``<div>`` holding bare text —
    and half for that block's parent. The best-scoring block wins; its parent is taken instead
    while the parent scores at least 80 % as much (a document split into several sections)."""
    scores: dict[int, float] = {}
    nodes: dict[int, object] = {}
    for node in root.traverse(include_text=True):
        if node.tag != "-text":
            continue
        n = len(_WS.sub(" ", node.text_content or "").strip())
        if not n:
            continue
        block = node.parent
        weight = 1.0
        while block is not None and block.tag not in _BLOCK and block.tag not in _PARAGRAPHS:
            if block.tag == "a":
                weight = 0.5
            block = block.parent
        if block is None:
            continue
        holder = block.parent if block.tag in _PARAGRAPHS else block
        while holder is not None and (holder.tag in _PARAGRAPHS or holder.tag in _GROUPS):
            holder = holder.parent  # a list or table counts for the block that holds it
        for target, share in ((holder, 1.0), (holder.parent if holder is not None else None, 0.5)):
            if target is None:
                continue
            scores[target.mem_id] = scores.get(target.mem_id, 0.0) + n * weight * share
            nodes[target.mem_id] = target
    if not scores:
        return root
    best_id = max(scores, key=scores.__getitem__)
    best = nodes[best_id]
    while best.parent is not None and best.mem_id != root.mem_id:
        parent = best.parent
        if scores.get(parent.mem_id, 0.0) >= 0.8 * scores[best.mem_id]:
            best = parent
        else:
            break
    return best


def _table_rows(table) -> list:
    rows = []
    child = table.child
    while child is not None:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            sub = child.child
            while sub is not None:
                if sub.tag == "tr":
                    rows.append(sub)
                sub = sub.next
        child = child.next
    return rows


def _is_data_table(table) -> bool:
    widest = 0
    for row in _table_rows(table):
        cells = 0
        cell = row.child
        while cell is not None:
            if cell.tag in ("td", "th"):
                cells += 1
                if cell.css_first("table") is not None:
                    return False
            cell = cell.next
        widest = max(widest, cells)
    return widest >= 2


def _render(root) -> str:
    """Iterative walk (no recursion: safe on deep markup) producing the text: blocks separated
    by a blank line, ``<br>`` a line break inside a block (see :func:`_join_blocks`)."""
    out: list[str] = []
    cell_depth = 0
    pre_depth = 0
    tables: list[bool] = []  # data table? for each open table
    rows: list[int] = []  # cells seen in each open data row
    stack: list[tuple[object, bool]] = [(root, False)]

    def brk() -> None:
        out.append("\n\n" if cell_depth == 0 else " ")

    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag == "table":
                tables.pop()
                brk()
            elif tag == "tr" and tables and tables[-1]:
                rows.pop()
                brk()
            elif tag in ("td", "th") and tables and tables[-1]:
                cell_depth -= 1
            elif tag == "pre":
                pre_depth -= 1
                brk()
            elif tag in _BLOCK:
                brk()
            continue
        if tag == "-text":
            t = node.text_content or ""
            out.append(t if pre_depth else _WS.sub(" ", t))
            continue
        if not tag or tag.startswith("-"):
            continue
        if tag == "br":
            out.append("\n" if cell_depth == 0 and not pre_depth else " ")
            continue
        if tag == "table":
            tables.append(_is_data_table(node))
            brk()
        elif tag == "tr" and tables and tables[-1]:
            brk()
            rows.append(0)
        elif tag in ("td", "th") and tables and tables[-1]:
            if rows:
                if rows[-1]:
                    out.append(" | ")
                rows[-1] += 1
            cell_depth += 1
        elif tag == "pre":
            brk()
            pre_depth += 1
        elif tag in _BLOCK:
            brk()
        stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        for child in reversed(children):
            stack.append((child, False))
    return _join_blocks("".join(out).split("\n"))


_TRAILING_CELLS = re.compile(r"(?: \|[ \u00a0]*)+$")


def _join_blocks(lines) -> str:
    """Lines → text in the convention of the plain-text corpus (the portals' text form, which
    the parser and extractors read): a paragraph break is one blank line, a line break inside
    a paragraph (a ``<br>``, a header block's short lines) is a single newline. Runs of spaces
    collapse to one; empty cells ending a table row are dropped (``"a | b | |"`` → ``"a | b"``);
    lines holding only spaces, NBSP or table pipes count as blank; runs of blank lines
    collapse to one; none at either end."""
    out: list[str] = []
    blank = False
    for line in lines:
        line = re.sub(r"[ \t\r\f\v]+", " ", line).strip(" \t")
        if line.endswith(" |"):
            line = _TRAILING_CELLS.sub("", line)
        if not line or not line.strip(" |\u00a0"):
            blank = True
            continue
        if out:
            out.append("\n\n" if blank else "\n")
        out.append(line)
        blank = False
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes, name: str, max_bytes: int) -> str:
    """Body text of a DOCX (python-docx): paragraphs (also inside content controls) separated
    by a blank line, ``<w:br/>`` a newline, tabs a space, each table row a paragraph of cells
    joined by ``" | "`` (a cell's paragraphs and nested tables joined by spaces). Headers,
    footers, footnotes and text boxes are not read. Raises :class:`ReadError` for a corrupt
    archive or one unpacking to more than 20 × ``max_bytes`` (at least 100 MB)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise ReadError(name, "corrupt DOCX: no word/document.xml in the archive")
            unpacked = sum(i.file_size for i in infos)
            limit = max(20 * max_bytes, 100_000_000)
            if unpacked > limit:
                raise ReadError(name, f"DOCX unpacks to {unpacked:,} bytes (limit {limit:,}): refused")
    except ReadError:
        raise
    except Exception as e:
        raise ReadError(name, f"corrupt DOCX: not a readable ZIP archive ({_short(e)})") from e
    try:
        import docx
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as e:
        raise ReadError(name, f"corrupt DOCX: {_short(e)}") from e
    lines: list[str] = []  # "" separates paragraphs (see _join_blocks)
    stack = list(reversed(list(body.iterchildren())))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == f"{_W}p":
            lines.extend(Paragraph(el, document).text.replace("\t", " ").split("\n"))
            lines.append("")
        elif tag == f"{_W}tbl":
            for row in _docx_table(el, document, Paragraph):
                lines.extend((row, ""))
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}sdtContent"):
            inner = el.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else el
            if inner is not None:
                stack.extend(reversed(list(inner.iterchildren())))
    return _join_blocks(lines)


def _docx_cells(tr) -> list:
    cells = []
    for el in tr.iterchildren():
        if el.tag == f"{_W}tc":
            cells.append(el)
        elif el.tag == f"{_W}sdt":
            content = el.find(f"{_W}sdtContent")
            if content is not None:
                cells.extend(c for c in content.iterchildren() if c.tag == f"{_W}tc")
    return cells


def _docx_table(tbl, document, paragraph_cls) -> list[str]:
    rows = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells = [_docx_cell_text(tc, document, paragraph_cls) for tc in _docx_cells(tr)]
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _docx_cell_text(tc, document, paragraph_cls) -> str:
    parts = []
    for el in tc.iterchildren():
        if el.tag == f"{_W}p":
            parts.append(paragraph_cls(el, document).text)
        elif el.tag == f"{_W}tbl":
            parts.extend(_docx_table(el, document, paragraph_cls))
    return " ".join(" ".join(parts).split())


# ---------------------------------------------------------------------------------------------
# PDF

_CID = re.compile(r"\(cid:\d+\)")


def _read_pdf(data: bytes, name: str) -> str:
    import logging

    import pdfplumber

    for noisy in ("pdfminer", "pdfplumber"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    pages: list[list[_PdfLine]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise ReadError(name, "PDF has no pages")
            for number, page in enumerate(pdf.pages):
                pages.append(_pdf_page_lines(page, number))
    except ReadError:
        raise
    except Exception as e:
        if _encrypted(e):
            raise ReadError(name, "PDF is encrypted (password-protected)") from e
        raise ReadError(name, f"corrupt PDF: {type(e).__name__}: {_short(e)}") from e
    text = _pdf_text(_drop_page_furniture(pages))
    if not text.strip():
        raise ReadError(name, "no text layer: scanned PDF needs OCR")
    cids = len(_CID.findall(text))
    if cids and cids > 0.1 * max(1, len(text.split())):
        raise ReadError(name, "PDF text layer is unreadable (fonts without a Unicode map, "
                              f"{cids} '(cid:…)' glyph codes): needs OCR")
    return text


@dataclass(slots=True)
class _PdfLine:
    """One text line of a PDF page (pdfplumber's line clustering), in PDF points from the
    page's top-left corner; ``first_w`` is the width of its first word, ``size`` the font size
    of its first character; ``table`` marks a row of a ruled table (``text`` = cells joined by
    ``" | "``)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    page_height: float
    size: float = 0.0
    first_w: float = 0.0
    table: bool = False


def _pdf_page_lines(page, number: int) -> list[_PdfLine]:
    """The lines of one page, top to bottom, with each ruled table (:func:`_pdf_tables`)
    replaced by one line per row."""
    tables = _pdf_tables(page)
    out: list[_PdfLine] = []
    for ln in page.extract_text_lines(return_chars=True, strip=True):
        text = ln.get("text") or ""
        if not text.strip():
            continue
        mid_y = (ln["top"] + ln["bottom"]) / 2
        if any(b[1] <= mid_y <= b[3] and ln["x0"] < b[2] and ln["x1"] > b[0] for b, _ in tables):
            continue
        chars = ln.get("chars") or []
        size = float(chars[0].get("size") or 0.0) if chars else 0.0
        out.append(_PdfLine(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], number,
                            float(page.height), size, _first_word_width(chars, size)))
    for (x0, top, x1, bottom), rows in tables:
        step = (bottom - top) / (len(rows) + 1)
        for i, row in enumerate(rows):
            y = top + i * step
            out.append(_PdfLine(row, x0, x1, y, y + step, number, float(page.height), table=True))
    out.sort(key=lambda ln: (ln.top, ln.x0))
    return out


def _first_word_width(chars, size: float) -> float:
    """Width (points) of the first word of a line: its characters up to the first space or
    gap wider than a fifth of the font size."""
    if not chars:
        return 0.0
    first = last = chars[0]
    for c in chars[1:]:
        if not (c.get("text") or "").strip() or c["x0"] - last["x1"] > 0.2 * (size or 10.0):
            break
        last = c
    return float(last["x1"] - first["x0"])


def _pdf_tables(page) -> list[tuple[tuple[float, float, float, float], list[str]]]:
    """Ruled tables of a page (pdfplumber's line strategy: cells drawn with borders), as
    ``(bbox, rows)``: each row the cell texts, whitespace collapsed, joined by ``" | "`` — the
    form the HTML and DOCX readers give. Only tables of at least two columns and two cells with
    text count (a framed paragraph is text). Pages without drawn lines or rectangles are not
    searched."""
    objects = page.objects
    if not (objects.get("line") or objects.get("rect") or objects.get("curve")):
        return []
    found = []
    for table in page.find_tables():
        rows = []
        widest = 0
        for row in table.extract():
            cells = [" ".join(c.split()) for c in row if c is not None]
            widest = max(widest, len(row))
            if any(cells):
                rows.append(" | ".join(cells))
        if widest >= 2 and rows and sum(bool(c) for c in " | ".join(rows).split(" | ")) >= 2:
            found.append((tuple(float(v) for v in table.bbox), rows))
    return found


_PAGE_NUMBER = re.compile(r"^[-–—(\[]?\s*(?:trang|page)?\s*\d{1,4}\s*(?:(?:/|of|trên)\s*\d{1,4})?\s*[-–—)\]]?$",
                          re.I)
_FURNITURE_BAND = 0.15  # share of the page height at the top and at the bottom


def _drop_page_furniture(pages: list[list[_PdfLine]]) -> list[list[_PdfLine]]:
    """Remove running headers, footers and page numbers.

    Candidates are the first two lines of a page (table rows aside) lying in its top 15 % and
    the last two lying in its bottom 15 %. Going inwards from the top and from the bottom, a
    candidate is dropped
    — and the next one looked at — while it is a bare page number ("3", "- 3 -", "Trang 3/7",
    "Page 3 of 7"), or the same line, digits ignored, is a candidate on at least two pages and
    on at least half of the pages (a running head such as a gazette's "CÔNG BÁO/Số …"), or it
    is the top line set in a font under 85 % of the body text's usual size (the running head
    of a one-page document; a heading is never smaller than the body). The first line that is
    none of these stops the walk, so body text under a running head is kept."""
    def key(ln: _PdfLine) -> str:
        return re.sub(r"\d+", "#", " ".join(ln.text.lower().split()))

    def in_band(ln: _PdfLine, top: bool | None = None) -> bool:
        at_top = ln.bottom <= _FURNITURE_BAND * ln.page_height
        at_bottom = ln.top >= (1 - _FURNITURE_BAND) * ln.page_height
        return at_top if top else at_bottom if top is False else at_top or at_bottom

    sizes = sorted(ln.size for lines in pages for ln in lines if ln.size and not ln.table)
    body_size = sizes[len(sizes) // 2] if sizes else 0.0
    seen: dict[str, set[int]] = {}
    for p, lines in enumerate(pages):
        body = [i for i, ln in enumerate(lines) if not ln.table]
        for i in {*(i for i in body[:2] if in_band(lines[i], True)),
                  *(i for i in body[-2:] if in_band(lines[i], False))}:
            seen.setdefault(key(lines[i]), set()).add(p)
    need = max(2, (len(pages) + 1) // 2)

    def furniture(ln: _PdfLine, top: bool, top_line: bool = False) -> bool:
        return in_band(ln, top) and bool(
            _PAGE_NUMBER.match(ln.text.strip()) or len(seen.get(key(ln), ())) >= need
            or (top_line and 0 < ln.size < 0.85 * body_size))

    out = []
    for lines in pages:
        body = [i for i, ln in enumerate(lines) if not ln.table]
        drop: set[int] = set()
        for k, i in enumerate(body[:2]):
            if not furniture(lines[i], True, top_line=k == 0 or body[0] in drop):
                break
            drop.add(i)
        for i in reversed(body[-2:]):
            if i in drop or not furniture(lines[i], False):
                break
            drop.add(i)
        out.append([ln for i, ln in enumerate(lines) if i not in drop])
    return out


def _pdf_text(pages: list[list[_PdfLine]]) -> str:
    """Join PDF lines into the plain-text convention (see :func:`_join_blocks`): lines of one
    paragraph are re-joined, paragraphs are separated by a blank line.

    Between two consecutive lines (also across a page break); ``lo``/``hi`` are the leftmost
    start and rightmost end of the page's lines (the text column), a line is *full* when it
    spans the column, *centred* per :func:`_centred`, *indented* when it starts more than 0.8
    line height right of the column and is not centred:

    - a table row on either side, or (same page) a vertical gap wider than the document's usual
      line spacing (its lower quartile) by more than a third of a line height → paragraph
      break;
    - neither line full and one centred, the other not (a heading after body text) →
      paragraph break;
    - the first word of the next line would have fitted at the end of this one, with a space
      and a fifth of the font size to spare (the line was ended on purpose: header block, last
      line of a paragraph; the slack keeps ragged-right wraps, whose right edge varies, from
      being taken for breaks) → paragraph break when the next line is indented (first-line
      indent) or, across a page break, when this line ends a sentence (the gap that would show
      the break is lost at the page end); else line break;
    - a wrapped line followed by an indented line, or ending a sentence (``.;:!?``) before a
      line that opens a list item or a numbered provision ("- ", "1.", "a)", "Điều 5") →
      paragraph break;
    - otherwise the line was wrapped: a soft hyphen is dropped and the parts joined; a line
      ending in a word-attached hyphen is joined without a space, keeping the hyphen (compound
      words and numbers such as "NĐ-CP" broken after the hyphen; Vietnamese is not hyphenated
      at line ends); else joined with a space.
    """
    lines = [ln for page in pages for ln in page]
    if not lines:
        return ""
    plain = [ln for ln in lines if not ln.table]
    heights = sorted(ln.bottom - ln.top for ln in plain) or [10.0]
    line_h = heights[len(heights) // 2]
    leads = sorted(b.top - a.bottom for a, b in zip(plain, plain[1:], strict=False)
                   if a.page == b.page and b.top - a.bottom > -line_h / 2)
    usual = leads[len(leads) // 4] if leads else 0.0
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for ln in plain:
        left[ln.page] = min(left.get(ln.page, ln.x0), ln.x0)
        right[ln.page] = max(right.get(ln.page, ln.x1), ln.x1)
    parts = [lines[0].text]
    for prev, cur in zip(lines, lines[1:], strict=False):
        joint = _pdf_joint(prev, cur, line_h, usual, left, right)
        if not joint and parts[-1].endswith("\u00ad"):
            parts[-1] = parts[-1][:-1]
        parts.append(joint)
        parts.append(cur.text)
    return _join_blocks("".join(parts).split("\n"))


_LIST_START = re.compile(r"^(?:[-–—•+*]\s|\d{1,3}(?:\.\d{1,3})*[.)]\s|[a-zđ]\)\s|[IVXLC]{1,6}\.\s|"
                         r"(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+)")
"""A line that opens a list item or a numbered provision (dash bullet, "1.", "1.2.", "a)",
"II.", "Điều 5", "Chương II" …)."""
_SENTENCE_END = re.compile(r"[.;:!?…]['\"”’)]*$")


def _pdf_joint(prev: _PdfLine, cur: _PdfLine, line_h: float, usual: float,
               left: dict[int, float], right: dict[int, float]) -> str:
    """The separator between two consecutive lines (rules in :func:`_pdf_text`): ``"\n\n"``,
    ``"\n"``, ``" "`` or ``""`` (joined; the caller drops a soft hyphen ending ``prev``)."""
    if prev.table or cur.table:
        return "\n\n"
    same_page = cur.page == prev.page
    if same_page and cur.top - prev.bottom > usual + line_h / 3:
        return "\n\n"
    indent = line_h * 0.8
    lo, hi = left.get(cur.page, cur.x0), right.get(cur.page, cur.x1)
    p_lo, p_hi = left.get(prev.page, prev.x0), right.get(prev.page, prev.x1)
    cur_full = cur.x0 <= lo + 1 and cur.x1 >= hi - 1
    prev_full = prev.x0 <= p_lo + 1 and prev.x1 >= p_hi - 1
    cur_centred = _centred(cur, lo, hi, line_h)
    if not cur_full and not prev_full and cur_centred != _centred(prev, p_lo, p_hi, line_h):
        return "\n\n"  # alignment changes: a centred heading after body text, or back
    indented = cur.x0 > lo + indent and not cur_centred
    ends_sentence = bool(_SENTENCE_END.search(prev.text))
    size = prev.size or cur.size or 10.0
    if prev.x1 + 0.3 * size + cur.first_w <= p_hi - 0.2 * size:
        if indented or (not same_page and ends_sentence):
            return "\n\n"
        return "\n"
    if indented or (ends_sentence and _LIST_START.match(cur.text)):
        return "\n\n"
    if prev.text.endswith("\u00ad"):
        return ""
    if re.search(r"[^\W\d_]-$", prev.text) and cur.text[:1].isalpha():
        return ""
    return " "


def _centred(ln: _PdfLine, lo: float, hi: float, line_h: float) -> bool:
    """A line set centred: inset from both edges of the text column (by more than a point) and
    its middle within a quarter line height of the column's middle."""
    return ln.x0 > lo + 1 and ln.x1 < hi - 1 and abs((ln.x0 + ln.x1) / 2 - (lo + hi) / 2) < line_h / 4


def _encrypted(e: BaseException) -> bool:
    """True if ``e`` or an exception it wraps is pdfminer's password/encryption error."""
    seen: list[BaseException] = []
    todo: list[object] = [e]
    while todo and len(seen) < 20:
        x = todo.pop()
        if not isinstance(x, BaseException) or any(x is s for s in seen):
            continue
        seen.append(x)
        if "Password" in type(x).__name__ or "Encrypt" in type(x).__name__:
            return True
        todo.extend([x.__cause__, x.__context__, *x.args])
    return False

"""Make DOCX, HTML and PDF files from a plain text, for tests (reusable by every test module).

The text is read in the convention of the corpus's text form (:func:`split_blocks`): a blank
line ends a paragraph, a single newline is a line break inside one, a run of table rows
(``"a | b"`` or Markdown ``"| a | b |"``, blank lines and ``|---|`` rules between rows allowed)
is one table, a one-line all-capitals or Roman-numbered paragraph is a heading. Each maker
writes that structure the way real files carry it, so a reader that follows the same
convention (``graph.ingest.readers``) gives back the same words, paragraphs and table rows:

- :func:`make_docx` — python-docx: paragraphs of several runs (bold lead-ins), ``<w:br/>``
  line breaks, ``Heading 2`` headings, real tables (``Table Grid``).
- :func:`make_html` — a portal-like page: ``<head>`` with ``<style>`` and ``<script>``, a
  ``<nav>`` menu, a header banner, a search form, a breadcrumb, a link-list sidebar, a
  related-documents box and a footer around the body; the body goes into
  ``<div class="content1">`` (thuvienphapluat.vn's container) or, with ``container=False``,
  into an unlabelled ``<div>`` so the reader must find it by text size. Paragraphs as ``<p>``
  with ``<br>``, headings ``<h1>``–``<h3>``, tables with ``<p>`` in cells, instrument numbers
  linked, markup indented across source lines.
- :func:`make_pdf` — fpdf2, A4, a Unicode TrueType font (DejaVu Sans from Debian's
  ``fonts-dejavu-core``, or another found by :func:`find_unicode_font`): justified wrapped
  lines over several pages, spacing or first-line indents between paragraphs, centred
  headings, ruled tables, an optional running head and "Trang n/N" page numbers. Raises
  :class:`NoUnicodeFont` when no font is installed; tests turn that into a skip.

The boilerplate words of :func:`make_html` are listed in :data:`HTML_BOILERPLATE_WORDS` so tests
can check that none leaked into the extracted text.
"""

from __future__ import annotations

import html as _html
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

__all__ = [
    "make_docx",
    "make_html",
    "make_pdf",
    "find_unicode_font",
    "NoUnicodeFont",
    "HTML_BOILERPLATE_WORDS",
    "split_blocks",
    "is_table_line",
    "table_cells",
    "is_heading",
]

HTML_BOILERPLATE_WORDS = ("TRANGCHU", "MENUITEM", "BANNERTEXT", "FOOTERTEXT", "SIDEBARLINK",
                          "SCRIPTSECRET", "STYLESECRET")


class NoUnicodeFont(RuntimeError):
    """No TrueType font with Vietnamese glyphs was found for :func:`make_pdf`."""


_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(?:[IVXLC]+\.|Chương [IVXLC\d]+|Phần [IVXLC\d]+|PHẦN|CHƯƠNG)\s")


def is_table_line(line: str) -> bool:
    """True for a table row of the plain text: cells joined by ``" | "`` (``"a | b"``, the
    readers' form) or a Markdown row ``"| a | b |"``; also the Markdown rule ``"|---|---|"``."""
    s = line.strip()
    return " | " in s or (s.startswith("|") and s.endswith("|") and len(s) > 1)


def table_cells(line: str) -> list[str]:
    """Cells of a table row: split on ``"|"``, the empty cells made by Markdown's outer pipes
    dropped."""
    cells = [c.strip() for c in line.strip().split("|")]
    if cells and not cells[0] and line.strip().startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1] and line.strip().endswith("|"):
        cells = cells[:-1]
    return cells


def is_heading(lines: list[str]) -> bool:
    """A one-line block that a publisher would set as a heading: all capitals ("KẾ HOẠCH",
    the title), a Roman-numbered part ("I. MỤC ĐÍCH, YÊU CẦU") or a chapter/part line; at most
    300 characters."""
    if len(lines) != 1 or len(lines[0]) > 300:
        return False
    line = lines[0].strip()
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and (all(c.isupper() for c in letters) or bool(_HEADING.match(line)))


def split_blocks(text: str) -> list[tuple[str, object]]:
    """Split ``text`` into blocks in reading order.

    - ``("p", [line, …])``: a paragraph — the lines between blank lines (a single newline is a
      line break inside the paragraph, as in the portals' text form);
    - ``("h", [line])``: a paragraph that :func:`is_heading`;
    - ``("table", [[cell, …], …])``: a run of table rows (:func:`is_table_line`), blank lines and
      Markdown rules between rows allowed; rules are dropped.
    Lines that are empty or only spaces/NBSP separate paragraphs."""
    blocks: list[tuple[str, object]] = []
    para: list[str] = []
    rows: list[list[str]] = []

    def flush_para() -> None:
        if para:
            blocks.append(("h" if is_heading(para) else "p", list(para)))
            para.clear()

    def flush_rows() -> None:
        if rows:
            blocks.append(("table", [list(r) for r in rows]))
            rows.clear()

    for line in text.splitlines():
        if is_table_line(line):
            flush_para()
            if not _TABLE_RULE.match(line.strip()):
                rows.append(table_cells(line))
            continue
        if not line.strip(" \t\u00a0"):
            flush_para()
            continue
        flush_rows()
        para.append(line)
    flush_para()
    flush_rows()
    return blocks


def _runs(line: str) -> list[tuple[str, bool]]:
    """Split a line into runs as a word processor would store them: ``(text, bold)``; the
    lead-in of an article or item ("Điều 3.", "1.", "a)") is bold, the rest plain, and long
    text is cut in several runs at spaces."""
    m = re.match(r"^((?:Điều \d+[a-zđ]?\.|\d+(?:\.\d+)*\.|[a-zđ]\)))(\s.*)?$", line)
    head, rest = (m.group(1), m.group(2) or "") if m else ("", line)
    out = [(head, True)] if head else []
    while len(rest) > 120:
        cut = rest.rfind(" ", 40, 120)
        if cut <= 0:
            break
        out.append((rest[:cut], False))
        rest = rest[cut:]
    if rest:
        out.append((rest, False))
    return out


def make_docx(text: str, path: str | Path) -> Path:
    """Write ``text`` as a DOCX to ``path``; return the path.

    Paragraph blocks of :func:`split_blocks` become paragraphs (lines inside a block joined by
    line breaks ``<w:br/>``, each line in several runs), headings use Word's ``Heading 2``
    style, table blocks become real tables (one row per table line)."""
    import docx

    doc = docx.Document()
    for kind, value in split_blocks(text):
        if kind == "table":
            width = max(len(r) for r in value)
            table = doc.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            for r in value:
                cells = table.add_row().cells
                for i, c in enumerate(r):
                    cells[i].text = c
            continue
        par = doc.add_paragraph(style="Heading 2" if kind == "h" else None)
        for i, line in enumerate(value):
            for chunk, bold in _runs(line):
                run = par.add_run(chunk)
                run.bold = bold or None
            if i < len(value) - 1:
                par.add_run().add_break()
    path = Path(path)
    doc.save(str(path))
    return path


_NUMBER_TOKEN = re.compile(r"\b\d+/[\w/.\-]*[A-Za-zĐđ][\w/.\-]*")


def _html_line(line: str) -> str:
    """One line as inline HTML: escaped; instrument numbers ("28-CT/TW", "377/KH-UBND") linked
    the way legal portals link them; an article/item lead-in in ``<b>``."""
    out, pos = [], 0
    for m in _NUMBER_TOKEN.finditer(line):
        out.append(_html.escape(line[pos:m.start()]))
        out.append(f'<a href="/van-ban/{_html.escape(m.group(0))}" title="Xem văn bản">'
                   f"{_html.escape(m.group(0))}</a>")
        pos = m.end()
    out.append(_html.escape(line[pos:]))
    body = "".join(out)
    m = re.match(r"^((?:Điều \d+[a-zđ]?\.|\d+(?:\.\d+)*\.|[a-zđ]\)))(\s)", line)
    if m and "<" not in body[: len(m.group(1))]:
        body = f"<b>{body[: len(m.group(1))]}</b>{body[len(m.group(1)):]}"
    return body


def make_html(text: str, path: str | Path, *, container: bool = True, encoding: str = "utf-8") -> Path:
    """Write ``text`` as a portal-like HTML page (see module docstring) to ``path``.

    Body: :func:`split_blocks` paragraphs as ``<p>`` (lines inside a block joined by ``<br>``),
    headings as ``<h2>``/``<h3>`` (the first heading ``<h1>``), tables as ``<table>`` with
    ``<p>`` inside cells; instrument numbers linked (``<a>``), article/item lead-ins bold;
    source line breaks and indentation inside the markup as an editor leaves them.

    ``encoding``: any Python codec (declared in ``<meta charset>``), or ``"cp1258"``,
    ``"tcvn3"``, ``"vni"`` written with :mod:`graph.ingest.legacy` (tone marks as combining
    marks for cp1258, declared ``windows-1258``; the two font encodings declared
    ``iso-8859-1``, as old provincial sites did)."""
    body: list[str] = []
    first_heading = True
    for kind, value in split_blocks(text):
        if kind == "table":
            trs = "".join("<tr>" + "".join(f"<td><p>{_html_line(c)}</p></td>" for c in r) + "</tr>\n"
                          for r in value)
            body.append(f'<table border="1" cellpadding="2"><tbody>\n{trs}</tbody></table>')
            continue
        inner = "<br>\n    ".join(_html_line(line) for line in value)
        if kind == "h":
            tag = "h1" if first_heading else ("h2" if re.match(r"^[IVXLC]+\.", value[0]) else "h3")
            first_heading = False
            body.append(f'<{tag} style="text-align:center">{inner}</{tag}>')
        else:
            body.append(f"<p>\n    {inner}\n  </p>")
    inner = "\n  ".join(body)
    wrapper = f'<div class="content1">\n  {inner}\n</div>' if container else f"<div>\n  {inner}\n</div>"
    declared = {"cp1258": "windows-1258", "tcvn3": "iso-8859-1", "vni": "iso-8859-1"}.get(encoding, encoding)
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="{declared}"><title>Văn bản</title>
<style>.x {{ content: "STYLESECRET"; }}</style>
<script>var s = "SCRIPTSECRET"; document.write("<p>SCRIPTSECRET</p>");</script>
</head><body>
<header><div class="banner">BANNERTEXT</div></header>
<nav><ul><li><a href="/">TRANGCHU</a></li><li><a href="/a">MENUITEM</a></li>
<li><a href="/b">MENUITEM</a></li></ul></nav>
<form id="search" action="/tim"><input name="q" value="MENUITEM"><button>MENUITEM</button></form>
<div class="sidebar"><ul><li><a href="/1">SIDEBARLINK</a></li><li><a href="/2">SIDEBARLINK</a></li>
<li><a href="/3">SIDEBARLINK</a></li></ul></div>
<div class="breadcrumb"><a href="/">TRANGCHU</a> &raquo; <a href="/van-ban">MENUITEM</a></div>
{wrapper}
<script>console.log("SCRIPTSECRET")</script>
<div class="related"><h3>MENUITEM</h3><ul><li><a href="/r1">SIDEBARLINK</a></li>
<li><a href="/r2">SIDEBARLINK</a></li><li><a href="/r3">SIDEBARLINK</a></li></ul></div>
<footer><p>FOOTERTEXT</p></footer>
</body></html>
"""
    path = Path(path)
    if encoding in ("cp1258", "tcvn3", "vni"):
        from graph.ingest import legacy

        enc = {"cp1258": legacy.encode_cp1258, "tcvn3": legacy.encode_tcvn3, "vni": legacy.encode_vni}
        path.write_bytes(enc[encoding](page))
    else:
        path.write_bytes(page.encode(encoding))
    return path


_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
)


def find_unicode_font() -> Path | None:
    """A TrueType font with Vietnamese glyphs: DejaVu Sans (Debian ``fonts-dejavu-core``),
    Liberation Sans or Noto Sans at their Debian paths, the DejaVu Sans that the matplotlib
    wheel ships (if that package is installed; found without importing it), else whatever
    ``fc-match`` gives for ``:lang=vi``; ``None`` if there is none."""
    for c in _FONT_CANDIDATES:
        if Path(c).is_file():
            return Path(c)
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if bundled.is_file():
            return bundled
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}", ":lang=vi:fontformat=TrueType"],
                                 capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out.endswith(".ttf") and Path(out).is_file():
            return Path(out)
    return None


def make_pdf(text: str, path: str | Path, *, font: str | Path | None = None, running_header: str | None = None,
             page_numbers: bool = True, indent: bool = False) -> Path:
    """Write ``text`` as an A4 PDF with a text layer (fpdf2, Unicode TrueType font) to ``path``.

    Layout of the :func:`split_blocks` blocks, as a word processor's export looks:

    - paragraphs justified over the text width, long lines wrapping (also across pages); the
      lines of a block (single newlines) each start a new line;
    - with ``indent=False`` (default) blocks are separated by a blank gap (spacing after a
      paragraph); with ``indent=True`` body paragraphs have a first-line indent and no gap
      (headings and tables keep their spacing);
    - headings centred; tables ruled (borders on every cell), one row per table line;
    - ``running_header``: a line printed at the top of every page; ``page_numbers``: "Trang
      n/N" at the bottom of every page.

    Raises :class:`NoUnicodeFont` when no font is found."""
    from fpdf import FPDF

    font_path = Path(font) if font else find_unicode_font()
    if font_path is None or not font_path.is_file():
        raise NoUnicodeFont("no TrueType font with Vietnamese glyphs (install fonts-dejavu-core)")

    class _Doc(FPDF):
        def header(self) -> None:
            if running_header:
                self.set_font("Body", size=8)
                self.cell(0, 5, running_header, align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(4)
                self.set_font("Body", size=11)

        def footer(self) -> None:
            if page_numbers:
                self.set_y(-12)
                self.set_font("Body", size=8)
                self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")
                self.set_font("Body", size=11)

    pdf = _Doc(format="A4")
    pdf.add_font("Body", "", str(font_path))
    pdf.set_font("Body", size=11)
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    gap = 3.0
    for kind, value in split_blocks(text):
        if kind == "table":
            width = max(len(r) for r in value)
            with pdf.table(first_row_as_headings=False, text_align="LEFT", line_height=5,
                           width=pdf.epw, col_widths=tuple([1] * width)) as table:
                for r in value:
                    row = table.row()
                    for i in range(width):
                        row.cell(r[i] if i < len(r) else "")
            pdf.ln(gap)
            continue
        if kind == "h":
            for line in value:
                pdf.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(gap)
            continue
        if indent:
            with pdf.text_columns(text_align="J", line_height=1.5) as cols:
                for i, line in enumerate(value):
                    with cols.paragraph(first_line_indent=10 if i == 0 else 0) as par:
                        par.write(line)
            continue
        for line in value:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)
    path = Path(path)
    pdf.output(str(path))
    return path

"""Make DOCX, HTML and PDF files from a plain text, for tests (reusable by every test module).

Conventions shared by the three makers: each line of ``text`` is one paragraph; a run of lines
that contain ``" | "`` becomes one table (one row per line, cells split on ``"|"``), so a
reader that renders table rows as cells joined by ``" | "`` gives the same words in the same
order. Blank lines are kept as empty paragraphs (DOCX) or dropped (HTML, PDF).

- :func:`make_docx` — python-docx.
- :func:`make_html` — a portal-like page: ``<head>`` with ``<style>`` and ``<script>``, a
  ``<nav>`` menu, a header banner, a link list sidebar and a footer around the body; the body
  goes into ``<div class="content1">`` (thuvienphapluat.vn's container) or, with
  ``container=False``, into an unlabelled ``<div>`` so the reader must find it by text size.
- :func:`make_pdf` — fpdf2 with a Unicode TrueType font (DejaVu Sans from Debian's
  ``fonts-dejavu-core``, or another found by :func:`find_unicode_font`). Raises
  :class:`NoUnicodeFont` when none is installed; tests turn that into a skip.

The boilerplate words of :func:`make_html` are listed in :data:`HTML_BOILERPLATE_WORDS` so tests
can check that none leaked into the extracted text.
"""

from __future__ import annotations

import html as _html
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
]

HTML_BOILERPLATE_WORDS = ("TRANGCHU", "MENUITEM", "BANNERTEXT", "FOOTERTEXT", "SIDEBARLINK",
                          "SCRIPTSECRET", "STYLESECRET")


class NoUnicodeFont(RuntimeError):
    """No TrueType font with Vietnamese glyphs was found for :func:`make_pdf`."""


def split_blocks(text: str) -> list[tuple[str, object]]:
    """Split ``text`` into ``("p", line)`` and ``("table", [[cell, …], …])`` blocks."""
    blocks: list[tuple[str, object]] = []
    rows: list[list[str]] = []
    for line in text.splitlines():
        if " | " in line:
            rows.append([c.strip() for c in line.split("|")])
            continue
        if rows:
            blocks.append(("table", rows))
            rows = []
        blocks.append(("p", line))
    if rows:
        blocks.append(("table", rows))
    return blocks


def make_docx(text: str, path: str | Path) -> Path:
    """Write ``text`` as a DOCX (paragraphs and tables in order) to ``path``; return the path."""
    import docx

    doc = docx.Document()
    for kind, value in split_blocks(text):
        if kind == "p":
            doc.add_paragraph(value)
        else:
            width = max(len(r) for r in value)
            table = doc.add_table(rows=0, cols=width)
            for r in value:
                cells = table.add_row().cells
                for i, c in enumerate(r):
                    cells[i].text = c
    path = Path(path)
    doc.save(str(path))
    return path


def make_html(text: str, path: str | Path, *, container: bool = True, encoding: str = "utf-8") -> Path:
    """Write ``text`` as a portal-like HTML page (see module docstring) to ``path``.

    ``encoding``: any Python codec (declared in ``<meta charset>``), or ``"cp1258"``,
    ``"tcvn3"``, ``"vni"`` written with :mod:`graph.ingest.legacy` (tone marks as combining
    marks for cp1258, declared ``windows-1258``; the two font encodings declared
    ``iso-8859-1``, as old provincial sites did)."""
    body: list[str] = []
    for kind, value in split_blocks(text):
        if kind == "p":
            if value.strip():
                body.append(f"<p>{_html.escape(value)}</p>")
        else:
            trs = "".join("<tr>" + "".join(f"<td><p>{_html.escape(c)}</p></td>" for c in r) + "</tr>"
                          for r in value)
            body.append(f'<table border="1"><tbody>{trs}</tbody></table>')
    inner = "\n".join(body)
    wrapper = f'<div class="content1">{inner}</div>' if container else f"<div>{inner}</div>"
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
{wrapper}
<script>console.log("SCRIPTSECRET")</script>
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
    Liberation Sans or Noto Sans at their Debian paths, else whatever ``fc-match`` gives for
    ``:lang=vi``; ``None`` if there is none."""
    for c in _FONT_CANDIDATES:
        if Path(c).is_file():
            return Path(c)
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}", ":lang=vi:fontformat=TrueType"],
                                 capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out.endswith(".ttf") and Path(out).is_file():
            return Path(out)
    return None


def make_pdf(text: str, path: str | Path, *, font: str | Path | None = None) -> Path:
    """Write ``text`` as a PDF with a text layer (fpdf2, Unicode TrueType font) to ``path``.

    Long lines wrap (so a reader gets the same words, possibly on other lines). Tables are
    written as their lines. Raises :class:`NoUnicodeFont` when no font is found."""
    from fpdf import FPDF

    font_path = Path(font) if font else find_unicode_font()
    if font_path is None or not font_path.is_file():
        raise NoUnicodeFont("no TrueType font with Vietnamese glyphs (install fonts-dejavu-core)")
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.add_font("Body", "", str(font_path))
    pdf.set_font("Body", size=11)
    for line in text.splitlines():
        if line.strip():
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
    path = Path(path)
    pdf.output(str(path))
    return path

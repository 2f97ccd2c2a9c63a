"""Readers: encodings, formats and hostile files, on the real corpus documents first.

The corpus lives beside the project (``../shared/corpus``); tests that need it skip, with the
reason, when it is absent.
"""

from __future__ import annotations

import codecs
import hashlib
import random
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from fixtures_docs import (
    HTML_BOILERPLATE_WORDS,
    NoUnicodeFont,
    find_unicode_font,
    make_docx,
    make_html,
    make_pdf,
)

from graph.errors import ReadError, UnsupportedEncodingError, UnsupportedFormatError
from graph.ingest import legacy
from graph.ingest.readers import (
    MAX_HTML_DEPTH,
    SUPPORTED_EXTENSIONS,
    detect_format,
    html_to_text,
    read_source,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DOCS = CORPUS / "documents"
BULK = CORPUS / "bulk" / "documents"

needs_corpus = pytest.mark.skipif(not DOCS.is_dir(), reason=f"corpus not found at {DOCS} (../shared absent)")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def words(s: str) -> list[str]:
    """Word sequence for comparisons: whitespace collapsed, table pipes ignored."""
    return s.replace("|", " ").split()


@pytest.fixture(scope="module")
def main_text() -> str:
    if not DOCS.is_dir():
        pytest.skip(f"corpus not found at {DOCS} (../shared absent)")
    found = sorted(DOCS.glob("000_*.txt"))
    if not found:
        pytest.skip("main document 000_*.txt missing from the corpus")
    return nfc(found[0].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def main_with_table(main_text: str) -> str:
    """The main document with its portal block ("Số hiệu 377/KH-UBND" …) as a two-column table
    (rows "Số hiệu | 377/KH-UBND"): same words, same order."""
    labels = ("Số hiệu", "Ngày ban hành", "Ngày có hiệu lực", "Loại văn bản", "Cơ quan ban hành",
              "Người ký", "Lĩnh vực")
    out = []
    for line in main_text.splitlines():
        label = next((lab for lab in labels if line.startswith(lab + " ")), None)
        out.append(f"{label} | {line[len(label) + 1:]}" if label else line)
    text = "\n".join(out)
    assert text.count(" | ") == len(labels)
    return text


# ---------------------------------------------------------------------------------------------
# encodings of the main document

ENCODINGS = {
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf-8-sig": (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    "utf-16-le-bom": (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    "utf-16-be-bom": (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    "utf-16-le-no-bom": (lambda t: t.encode("utf-16-le"), "utf-16"),
    "utf-16-be-no-bom": (lambda t: t.encode("utf-16-be"), "utf-16"),
    "cp1258": (legacy.encode_cp1258, "cp1258"),
    "tcvn3": (legacy.encode_tcvn3, "tcvn3"),
    "vni": (legacy.encode_vni, "vni"),
    "nfd": (lambda t: unicodedata.normalize("NFD", t).encode("utf-8"), "utf-8"),
}


@pytest.mark.parametrize("label", list(ENCODINGS))
def test_main_document_in_each_encoding_reads_to_the_same_nfc_text(main_text, tmp_path, label):
    encode, expected_encoding = ENCODINGS[label]
    raw = encode(main_text)
    path = tmp_path / f"main_{label}.txt"
    path.write_bytes(raw)
    src = read_source(path)
    assert src.text == main_text
    assert src.encoding == expected_encoding
    assert src.format == "txt"
    assert src.sha256 == hashlib.sha256(raw).hexdigest()
    assert src.path == str(path)


def test_cp1258_bytes_really_use_combining_tone_marks(main_text):
    raw = legacy.encode_cp1258(main_text)
    assert b"\xf2" in raw and b"\xec" in raw  # dot below and acute as separate bytes
    assert raw.decode("cp1258") != main_text  # so the reader has to compose them


def test_tcvn3_abc_form_capitals_restored_from_context(main_text):
    """ABC files (.VnTimeH capitals written with lowercase codes) lose case information; the
    decoder restores all-caps words from context. Measured on the main document."""
    raw = legacy.encode_tcvn3(main_text, capitals="abc")
    assert max(raw) <= 0xFF and not any(0x80 <= b <= 0x9F for b in raw)
    src = read_source("abc.txt", data=raw)
    assert src.encoding == "tcvn3"
    assert src.text.lower() == main_text.lower()
    same = sum(a == b for a, b in zip(src.text, main_text, strict=True)) / len(main_text)
    plain = legacy.decode_tcvn3(raw, restore_case=False)
    same_plain = sum(a == b for a, b in zip(plain, main_text, strict=True)) / len(main_text)
    assert same >= 0.999 > same_plain
    assert "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG" in src.text


@needs_corpus
def test_every_corpus_document_round_trips_through_each_legacy_encoding():
    """Each corpus document encoded in cp1258 / TCVN3 / VNI is detected as that encoding and
    decodes to exactly the original NFC text (documents with characters an encoding lacks,
    e.g. "μ", are skipped for that encoding)."""
    checked = 0
    failures = []
    for f in sorted(DOCS.glob("*.txt")):
        text = nfc(f.read_text(encoding="utf-8"))
        for name, enc in (("cp1258", legacy.encode_cp1258), ("tcvn3", legacy.encode_tcvn3),
                          ("vni", legacy.encode_vni)):
            try:
                raw = enc(text)
            except ValueError:
                continue
            checked += 1
            if legacy.detect_8bit(raw) != name or legacy.decode_legacy(raw, name) != text:
                failures.append((f.name, name))
    assert not failures
    assert checked >= 140


def test_tcvn3_table_matches_glibc_iconv():
    """Independent check of the TCVN3/VN1 table: every byte against glibc's TCVN5712-1."""
    if not shutil.which("iconv"):
        pytest.skip("iconv not installed")
    probe = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=b"\xb8",
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("iconv lacks TCVN5712-1")
    wrong = []
    for b in range(256):
        r = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([b]),
                           capture_output=True)
        theirs = r.stdout.decode("utf-8")
        ours = legacy._TCVN3_DECODE.get(b, chr(b))
        if theirs != ours:
            wrong.append((hex(b), theirs, ours))
    assert not wrong


def test_tcvn3_encoder_output_decodes_with_glibc_iconv(main_text):
    if not shutil.which("iconv"):
        pytest.skip("iconv not installed")
    r = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
                       input=legacy.encode_tcvn3(main_text), capture_output=True)
    if r.returncode != 0:
        pytest.skip("iconv lacks TCVN5712-1")
    assert nfc(r.stdout.decode("utf-8")) == main_text


@pytest.mark.parametrize(("encoded", "expected"), [
    # samples quoted by an open-source TCVN3 converter (ư is 0xAD, the invisible soft hyphen)
    (b"B\xb6o Th\xbeng", "Bảo Thắng"),
    (b"M\xad\xeang Kh\xad\xacng", "Mường Khương"),
    (b"B\xb8t X\xb8t", "Bát Xát"),
])
def test_tcvn3_reference_samples(encoded, expected):
    assert legacy.decode_tcvn3(encoded) == expected
    assert legacy.encode_tcvn3(expected) == encoded


@pytest.mark.parametrize(("encoded", "expected"), [
    ("Xin chaøo caùc baïn", "Xin chào các bạn"),
    ("Vieät Nam", "Việt Nam"),
    ("ÑAÉK NOÂNG", "ĐẮK NÔNG"),
    ("Ñaêk Noâng, ngöôøi daân", "Đăk Nông, người dân"),
])
def test_vni_reference_samples(encoded, expected):
    assert legacy.decode_vni(encoded.encode("cp1252")) == expected
    assert legacy.encode_vni(expected) == encoded.encode("cp1252")


def test_tcvn3_smart_quotes_and_dashes_stay_punctuation():
    raw = legacy.encode_tcvn3("“Chương trình” – tháng 6… ’")
    assert legacy.decode_tcvn3(raw) == "“Chương trình” – tháng 6… ’"
    # in the ABC form too, with VN1 capitals elsewhere in the file
    raw = legacy.encode_tcvn3("KẾ HOẠCH “anh” – “Ủy ban”")
    assert legacy.decode_tcvn3(raw) == "KẾ HOẠCH “anh” – “Ủy ban”"


def test_detect_legacy_on_text_decoded_as_latin1(main_text):
    assert legacy.detect_legacy(legacy.encode_tcvn3(main_text).decode("latin-1")) == "tcvn3"
    assert legacy.detect_legacy(legacy.encode_tcvn3(main_text, capitals="abc").decode("cp1252")) == "tcvn3"
    assert legacy.detect_legacy(legacy.encode_vni(main_text).decode("cp1252", "replace")) == "vni"
    assert legacy.detect_legacy(main_text) is None
    assert legacy.detect_legacy("Le café est très bon. L'été à Paris, où êtes-vous?") is None
    assert legacy.detect_legacy("plain ascii") is None


def test_western_latin1_text_is_refused_with_the_encoding_named(tmp_path):
    path = tmp_path / "francais.txt"
    path.write_bytes("Le café est très bon. L'été à Paris est chaud, où êtes-vous ?".encode("latin-1"))
    with pytest.raises(UnsupportedEncodingError) as e:
        read_source(path)
    assert "francais.txt" in str(e.value)
    assert "TCVN3" in str(e.value) and "VNI" in str(e.value)


def test_utf32_refused_with_message(tmp_path):
    path = tmp_path / "u32.txt"
    path.write_bytes("Việt Nam".encode("utf-32"))
    with pytest.raises(UnsupportedEncodingError, match="u32.txt: UTF-32"):
        read_source(path)


def test_syllable_check():
    for w in ("quyết", "nghiêng", "gì", "giữ", "người", "khuya", "HOẠCH", "Đắk", "Ủy", "thực"):
        assert legacy.is_vietnamese_syllable(w), w
    for w in ("ỏy", "thùc", "Chµu", "été", "café", "mưang", "tơt"):
        assert not legacy.is_vietnamese_syllable(w), w


# ---------------------------------------------------------------------------------------------
# container formats generated from the main document


def test_docx_from_main_document(main_with_table, tmp_path):
    path = make_docx(main_with_table, tmp_path / "main.docx")
    src = read_source(path)
    assert (src.format, src.encoding) == ("docx", None)
    assert words(src.text) == words(main_with_table)
    assert "Số hiệu | 377/KH-UBND" in src.text.splitlines()
    assert " ".join(src.text.split()) == " ".join(main_with_table.split())


@pytest.mark.parametrize("container", [True, False], ids=["content1", "largest-block"])
def test_html_from_main_document(main_with_table, tmp_path, container):
    path = make_html(main_with_table, tmp_path / "main.html", container=container)
    src = read_source(path)
    assert (src.format, src.encoding) == ("html", "utf-8")
    assert words(src.text) == words(main_with_table)
    assert "Số hiệu | 377/KH-UBND" in src.text.splitlines()
    assert not [w for w in HTML_BOILERPLATE_WORDS if w in src.text]


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258", "tcvn3", "vni"])
def test_html_in_other_encodings(main_with_table, tmp_path, encoding):
    path = make_html(main_with_table, tmp_path / f"main_{encoding}.html", encoding=encoding)
    src = read_source(path)
    assert src.format == "html"
    assert src.encoding == encoding
    assert words(src.text) == words(main_with_table)


def test_pdf_from_main_document(main_text, tmp_path):
    if find_unicode_font() is None:
        pytest.skip("no TrueType font with Vietnamese glyphs (Debian: fonts-dejavu-core)")
    try:
        path = make_pdf(main_text, tmp_path / "main.pdf")
    except NoUnicodeFont as e:
        pytest.skip(str(e))
    src = read_source(path)
    assert (src.format, src.encoding) == ("pdf", None)
    # line wraps differ; the word sequence must not
    assert words(src.text) == words(main_text)


def test_docx_and_pdf_with_legacy_font_text_are_converted(main_text, tmp_path):
    """A DOCX typed in .VnTime (TCVN3) or VNI-Times stores the legacy codes as Latin-1
    characters; the reader converts them."""
    make_docx(legacy.encode_vni(main_text).decode("cp1252", "replace"), tmp_path / "vni.docx")
    src = read_source(tmp_path / "vni.docx")
    assert src.encoding == "vni" and words(src.text) == words(main_text)
    make_docx(legacy.encode_tcvn3(main_text, capitals="abc").decode("cp1252"), tmp_path / "abc.docx")
    src = read_source(tmp_path / "abc.docx")
    assert src.encoding == "tcvn3" and words(src.text.lower()) == words(main_text.lower())


@needs_corpus
def test_bulk_markdown_corpus_reads_unchanged():
    files = sorted(BULK.glob("*.md"))
    if not files:
        pytest.skip(f"no bulk documents at {BULK}")
    for f in files:
        src = read_source(f)
        assert (src.format, src.encoding) == ("markdown", "utf-8"), f.name
        assert src.text == nfc(f.read_text(encoding="utf-8")), f.name


@needs_corpus
def test_all_annotated_documents_read_unchanged():
    for f in sorted(DOCS.glob("*.txt")):
        src = read_source(f)
        assert (src.format, src.encoding) == ("txt", "utf-8")
        assert src.text == nfc(f.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# HTML extraction details


def test_html_paragraphs_breaks_and_tables():
    html = """<html><body><div id="divContentDoc"><div class="content1">
      <p>Điều 1.<br>Nội dung   thứ
      nhất</p>
      <table><tr><th>STT</th><th>Nhiệm vụ</th><th>Cơ quan chủ trì</th></tr>
      <tr><td>1</td><td><p>Tuyên truyền</p><p>phổ biến</p></td><td>Sở Y tế</td></tr></table>
      <p>Điều 2. Hết.</p></div></div></body></html>"""
    text = html_to_text(html)
    assert text.split("\n\n") == [
        "Điều 1.\nNội dung thứ nhất",  # <br>: a line break inside the paragraph
        "STT | Nhiệm vụ | Cơ quan chủ trì",
        "1 | Tuyên truyền phổ biến | Sở Y tế",
        "Điều 2. Hết.",
    ]


def test_html_layout_table_read_as_blocks():
    html = """<html><body><main><table><tr><td><p>ỦY BAN NHÂN DÂN</p>
      <table><tr><td>a</td><td>b</td></tr></table></td></tr></table>
      <table><tr><td>Một cột</td></tr><tr><td>Dòng hai</td></tr></table></main></body></html>"""
    assert html_to_text(html).split("\n\n") == ["ỦY BAN NHÂN DÂN", "a | b", "Một cột", "Dòng hai"]


def test_html_scripts_never_reach_the_text():
    html = """<!DOCTYPE html><html><head><script>var a="SECRET1";</script></head><body>
      <div class="content1"><p>Văn bản</p><script>document.write("SECRET2")</script>
      <table><tr><td><script>SECRET3</script>ô</td><td>b</td></tr></table>
      <noscript>SECRET4</noscript><template><p>SECRET5</p></template>
      <svg><script>SECRET6</script><text>SECRET7</text></svg>
      <style>SECRET8</style><p onclick="SECRET9()">Kết thúc</p></div></body></html>"""
    text = html_to_text(html)
    assert "SECRET" not in text
    assert "Văn bản" in text and "Kết thúc" in text and "ô | b" in text


def test_thuvienphapluat_like_page_form_wrapper_is_kept():
    """ASP.NET portals put the whole page inside <form>: the form must not be dropped."""
    html = """<html><body><form id="aspnetForm" method="post"><nav><a>Trang chủ</a></nav>
      <div id="divContentDoc"><div class="content1"><p>QUYẾT ĐỊNH</p><p>Điều 1. Ban hành kế hoạch.</p>
      </div></div><form class="search"><input value="x"><p>Tìm kiếm</p></form></form></body></html>"""
    assert html_to_text(html).split("\n\n") == ["QUYẾT ĐỊNH", "Điều 1. Ban hành kế hoạch."]


def test_html_without_portal_container_finds_the_body():
    """No known container: chrome by tag and class name and link menus are dropped; the
    document's own header block and its paragraphs of hyperlinked citations are kept; a short
    <article> teaser in a side list is not taken for the content."""
    citations = "".join(
        f'<p>Căn cứ <a href="/vb/{i}">Nghị định số {i}/2024/NĐ-CP ngày 01 tháng 6 năm 2024 của Chính phủ</a>;</p>'
        for i in range(1, 5))
    html = f"""<html><body>
      <div class="menu"><div class="nav-inner"><ul><li><a href="/">Trang chủ</a></li>
      <li><a href="/a">Văn bản</a></li><li><a href="/b">Tin tức</a></li></ul></div></div>
      <div class="side"><article><p>Tin liên quan: Hội nghị tổng kết công tác năm của tỉnh với
      nhiều nội dung quan trọng cần theo dõi và thực hiện trong thời gian tới.</p></article>
      <ul><li><a href="/1">Mục một</a></li><li><a href="/2">Mục hai</a></li><li><a href="/3">Mục ba</a></li></ul></div>
      <div class="page"><div class="doc-header"><p>ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG</p></div>
      <p>KẾ HOẠCH</p>{citations}<p>Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện như sau:</p>
      <p>I. MỤC ĐÍCH, YÊU CẦU</p><p>1. Nâng cao nhận thức của các cấp, các ngành về công tác trẻ em.</p>
      </div></body></html>"""
    lines = html_to_text(html).split("\n\n")
    assert lines[0] == "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG"
    assert lines[2] == "Căn cứ Nghị định số 1/2024/NĐ-CP ngày 01 tháng 6 năm 2024 của Chính phủ;"
    assert lines[-1].startswith("1. Nâng cao nhận thức")
    assert not any("Trang chủ" in ln or "Tin liên quan" in ln or "Mục một" in ln for ln in lines)


def test_nested_chrome_is_removed_safely():
    html = ("<html><body>" + "<header><nav><aside><nav>x</nav></aside></nav></header>" * 50
            + "<object><object><object>y</object></object></object>" * 50
            + "<div class='content1'><nav><nav>z</nav></nav><p>Nội dung văn bản</p></div></body></html>")
    assert html_to_text(html) == "Nội dung văn bản"



# ---------------------------------------------------------------------------------------------
# paragraph convention of HTML/DOCX/PDF text: the portals' text form, which the parser reads
# (a blank line ends a paragraph, a single newline is a line break inside it)

HTML_BLOCKS = [
    ("paragraphs", "<p>I. MỤC ĐÍCH, YÊU CẦU</p><p>1. Mục đích</p>", "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích"),
    ("br inside a paragraph", "<p>ỦY BAN NHÂN DÂN<br>TỈNH ĐẮK NÔNG</p><p>-------</p>",
     "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\n\n-------"),
    ("double br", "<div>Số: 377/KH-UBND<br><br>Đắk Nông, ngày 13 tháng 6 năm 2024</div>",
     "Số: 377/KH-UBND\n\nĐắk Nông, ngày 13 tháng 6 năm 2024"),
    ("nbsp paragraph and nested blocks",
     "<div><p>Đắk Nông, ngày 13 tháng 6 năm 2024</p><p>&nbsp;</p><div><h2>KẾ HOẠCH</h2></div></div>",
     "Đắk Nông, ngày 13 tháng 6 năm 2024\n\nKẾ HOẠCH"),
    ("inline markup and links keep the words together",
     '<p><b>1.</b>\n  <span>Thực hiện</span> <a href="/vb">Chỉ thị số 28-CT/TW</a>, ngày 25/12/2023</p>',
     "1. Thực hiện Chỉ thị số 28-CT/TW, ngày 25/12/2023"),
    ("table rows are paragraphs",
     "<p>Căn cứ</p><table><tr><td>Nơi nhận:</td><td>TM. UỶ BAN NHÂN DÂN</td></tr>"
     "<tr><td>- Như Điều 3;</td><td>CHỦ TỊCH</td></tr></table><p>Hết</p>",
     "Căn cứ\n\nNơi nhận: | TM. UỶ BAN NHÂN DÂN\n\n- Như Điều 3; | CHỦ TỊCH\n\nHết"),
    ("pre keeps its lines", "<pre>ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\n\nSố: 377/KH-UBND</pre>",
     "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\n\nSố: 377/KH-UBND"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in HTML_BLOCKS], ids=[c[0] for c in HTML_BLOCKS])
def test_html_blocks_become_paragraphs_and_br_a_line_break(html, expected):
    assert html_to_text(f'<html><body><div class="content1">{html}</div></body></html>') == expected


def test_docx_paragraphs_line_breaks_and_tables(tmp_path):
    """Paragraphs → blank-line separated; ``<w:br/>`` → newline; table rows → paragraphs of
    cells joined by " | "; empty paragraphs collapse."""
    import docx

    d = docx.Document()
    p = d.add_paragraph("ỦY BAN NHÂN DÂN")
    p.add_run().add_break()
    p.add_run("TỈNH ĐẮK NÔNG")
    d.add_paragraph("")
    d.add_paragraph("")
    q = d.add_paragraph()
    q.add_run("1.").bold = True
    q.add_run(" Mục\tđích")
    t = d.add_table(rows=2, cols=2)
    for r, cells in enumerate([("Nơi nhận:", "TM. UỶ BAN NHÂN DÂN"), ("- Như trên;", "CHỦ TỊCH")]):
        for c, value in enumerate(cells):
            t.rows[r].cells[c].text = value
    d.add_paragraph("Hết")
    d.save(str(tmp_path / "a.docx"))
    assert read_source(tmp_path / "a.docx").text == (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\n\n1. Mục đích\n\nNơi nhận: | TM. UỶ BAN NHÂN DÂN\n\n"
        "- Như trên; | CHỦ TỊCH\n\nHết")


def test_generated_docx_and_html_keep_the_text_paragraphs(main_text, tmp_path):
    """The makers map blank lines to paragraphs and single newlines to line breaks; the readers
    give them back: same text, whitespace-only lines aside."""
    def norm(t: str) -> str:
        lines = [" ".join(x.split()) for x in t.splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    for made in (make_docx(main_text, tmp_path / "m.docx"), make_html(main_text, tmp_path / "m.html")):
        assert read_source(made).text == norm(main_text), made.name


# PDF: lines → paragraphs. Geometry in points: text column 60–550, line pitch 17, font 11.

def _line(text: str, x0: float, x1: float, top: float, page: int = 0, size: float = 11.0):
    from graph.ingest.readers import _PdfLine

    first = text.split(" ")[0]
    return _PdfLine(text, x0, x1, top, top + 11, page, 842.0, size, len(first) * 0.55 * size)


FULL = 550.0
BODY = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 và Luật"
PDF_JOINS = [
    ("wrapped line re-joined",
     [("- Nhằm tạo sự chuyển biến tích cực về nhận thức và hành động của các cấp ủy", 60, FULL),
      ("đảng, chính quyền, Mặt trận Tổ quốc.", 60, 250)],
     "- Nhằm tạo sự chuyển biến tích cực về nhận thức và hành động của các cấp ủy đảng, chính quyền, "
     "Mặt trận Tổ quốc."),
    ("short lines of a header block stay lines",
     [("ỦY BAN NHÂN DÂN", 60, 160), ("TỈNH ĐẮK NÔNG", 60, 150), (BODY, 60, FULL)],
     "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\n" + BODY),
    ("a gap wider than the line spacing is a paragraph break",
     [("ỦY BAN NHÂN DÂN", 60, 160), ("TỈNH ĐẮK NÔNG", 60, 150, 17), ("Số: 377/KH-UBND", 60, 160, 46),
      ("Đắk Nông, ngày 13 tháng 6 năm 2024", 60, 300, 63)],
     "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\n\nSố: 377/KH-UBND\nĐắk Nông, ngày 13 tháng 6 năm 2024"),
    ("first-line indent after a full line starts a paragraph",
     [("trong việc thực hiện tốt các mục tiêu, nhiệm vụ và giải pháp nâng cao chất", 60, FULL),
      ("- Tăng cường sự lãnh đạo, chỉ đạo, quản lý của các cấp chính quyền đối", 88, FULL)],
     "trong việc thực hiện tốt các mục tiêu, nhiệm vụ và giải pháp nâng cao chất\n\n"
     "- Tăng cường sự lãnh đạo, chỉ đạo, quản lý của các cấp chính quyền đối"),
    ("a number broken after its hyphen is re-joined without a space",
     [("Căn cứ Nghị định số 144/2021/NĐ-", 60, FULL), ("CP ngày 31/12/2021 của Chính phủ;", 60, 300)],
     "Căn cứ Nghị định số 144/2021/NĐ-CP ngày 31/12/2021 của Chính phủ;"),
    ("a soft hyphen at the line end is dropped",
     [("công tác chăm sóc, giáo dục và bảo vệ trẻ em trong tình hình mới; imple\u00ad", 60, FULL),
      ("mentation", 60, 120)],
     "công tác chăm sóc, giáo dục và bảo vệ trẻ em trong tình hình mới; implementation"),
    ("a dash after a word with a space is kept apart",
     [("phù hợp với kế hoạch phát triển kinh tế", 60, FULL), ("- xã hội của ngành, địa phương.", 60, 250)],
     "phù hợp với kế hoạch phát triển kinh tế - xã hội của ngành, địa phương."),
    ("a list item after a sentence end starts a paragraph even without gap or indent",
     [("đáp ứng yêu cầu phát triển đất nước phồn vinh, hạnh phúc.", 60, FULL),
      ("- Tăng cường sự lãnh đạo, chỉ đạo, quản lý của các cấp chính quyền", 60, 400)],
     "đáp ứng yêu cầu phát triển đất nước phồn vinh, hạnh phúc.\n\n"
     "- Tăng cường sự lãnh đạo, chỉ đạo, quản lý của các cấp chính quyền"),
    ("a centred heading after body text starts a paragraph; centred lines stay together",
     [(BODY, 60, FULL), ("Đắk Nông, ngày 13 tháng 6 năm 2024", 60, 300), ("KẾ HOẠCH", 275, 335),
      ("THỰC HIỆN CHƯƠNG TRÌNH SỐ 76-CTR/TU, NGÀY 13/5/2024 CỦA BAN THƯỜNG VỤ", 74, 536),
      ("TỈNH ỦY", 285, 325)],
     BODY + " Đắk Nông, ngày 13 tháng 6 năm 2024\n\nKẾ HOẠCH\n"
     "THỰC HIỆN CHƯƠNG TRÌNH SỐ 76-CTR/TU, NGÀY 13/5/2024 CỦA BAN THƯỜNG VỤ TỈNH ỦY"),
]


@pytest.mark.parametrize(("lines", "expected"), [c[1:] for c in PDF_JOINS], ids=[c[0] for c in PDF_JOINS])
def test_pdf_lines_joined_into_paragraphs(lines, expected):
    from graph.ingest.readers import _pdf_text

    page = [_line(t, x0, x1, (rest[0] if rest else i * 17.0)) for i, (t, x0, x1, *rest) in enumerate(lines)]
    assert _pdf_text([page]) == expected


def test_pdf_paragraph_across_a_page_break():
    """The gap that shows a paragraph end is lost at a page end: a full line continues on the
    next page; a short line ending a sentence ends the paragraph."""
    from graph.ingest.readers import _pdf_text

    cont = [[_line(BODY, 60, FULL, 700), _line("Nhằm tạo sự chuyển biến tích cực về nhận thức", 60, FULL, 717)],
            [_line("và hành động của các cấp ủy đảng.", 60, 250, 60, page=1)]]
    assert _pdf_text(cont) == BODY + " Nhằm tạo sự chuyển biến tích cực về nhận thức và hành động của các cấp ủy đảng."
    ended = [[_line(BODY, 60, FULL, 700), _line("đáp ứng yêu cầu phát triển.", 60, 250, 717)],
             [_line("Các Sở, ban, ngành, đoàn thể cấp tỉnh", 60, 300, 60, page=1)]]
    assert _pdf_text(ended) == BODY + " đáp ứng yêu cầu phát triển.\n\nCác Sở, ban, ngành, đoàn thể cấp tỉnh"


def test_pdf_running_heads_and_page_numbers_are_dropped():
    from graph.ingest.readers import _drop_page_furniture

    def page(n: int, head: str | None, foot: str, first_body: str) -> list:
        lines = [_line(head, 200, 400, 40, page=n, size=8)] if head else []
        lines += [_line(first_body, 60, 300, 70, page=n), _line(f"{BODY} {n}", 60, FULL, 87, page=n),
                  _line(foot, 280, 320, 800, page=n, size=8)]
        return lines

    heads = ["CÔNG BÁO/Số 45 + 46/Ngày 20-6-2024", "CÔNG BÁO/Số 45 + 46/Ngày 20-6-2024", None]
    feet = ["Trang 1/3", "- 2 -", "3"]
    bodies = ["1. Mục đích", "2. Yêu cầu", "II. NỘI DUNG THỰC HIỆN"]
    kept = _drop_page_furniture([page(i, heads[i], feet[i], bodies[i]) for i in range(3)])
    assert [[ln.text for ln in p] for p in kept] == [[b, f"{BODY} {i}"] for i, b in enumerate(bodies)]
    # one page: a head in a smaller font than the body is dropped; a body line at the top is not
    single = [[_line("ỦY BAN NHÂN DÂN TỈNH - CÔNG BÁO", 200, 400, 40, size=8),
               _line("ỦY BAN NHÂN DÂN", 60, 160, 70), _line(BODY, 60, FULL, 87)]]
    assert [ln.text for ln in _drop_page_furniture(single)[0]] == ["ỦY BAN NHÂN DÂN", BODY]


def test_pdf_ruled_table_read_as_rows(tmp_path):
    """A bordered table (as a word processor exports it) is read row by row, cells joined by
    " | " and empty cells ending a row dropped, like the DOCX and HTML readers; text around it
    keeps its paragraphs; multi-line cells are one cell."""
    if find_unicode_font() is None:
        pytest.skip("no TrueType font with Vietnamese glyphs (Debian: fonts-dejavu-core)")
    rows = ["STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp",
            "1 | Tuyên truyền, phổ biến Chỉ thị số 28-CT/TW ngày 25/12/2023 của Bộ Chính trị"
            " | Sở Lao động - Thương binh và Xã hội | Các sở, ban, ngành, đoàn thể cấp tỉnh",
            "2 | Kiểm tra, giám sát | Sở Tư pháp"]
    text = ("Điều 3. Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này./.\n\n"
            + "\n".join(rows) + "\n\nKẾ HOẠCH")
    for made in (make_pdf(text, tmp_path / "t.pdf"), make_docx(text, tmp_path / "t.docx"),
                 make_html(text, tmp_path / "t.html")):
        assert read_source(made).text.split("\n\n") == [
            "Điều 3. Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này./.", *rows, "KẾ HOẠCH",
        ], made.name


def test_format_detected_from_content_not_extension(main_text, tmp_path):
    docx_bytes = make_docx("Điều 1. Nội dung", tmp_path / "a.docx").read_bytes()
    assert detect_format(docx_bytes, "upload.bin") == "docx"
    src = read_source("upload.bin", data=docx_bytes)
    assert src.format == "docx" and src.text == "Điều 1. Nội dung"
    html = b"<!DOCTYPE html><html><body><p>Xin ch\xc3\xa0o</p></body></html>"
    assert detect_format(html, "page.txt") == "html"
    assert read_source("page.txt", data=html).text == "Xin chào"
    assert detect_format(b"Plain text", "a.html") == "txt"
    assert detect_format(b"**Bold** | pipe", "x.md") == "markdown"
    assert detect_format(b"%PDF-1.4\n...", "x.txt") == "pdf"
    assert set(SUPPORTED_EXTENSIONS) == {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


@pytest.mark.parametrize(("data", "fragment"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), ".doc"),
    (b"{\\rtf1\\ansi hello}", "RTF"),
    (b"\x1f\x8b\x08\x00" + bytes(20), "gzip"),
])
def test_unsupported_formats_are_named(data, fragment):
    with pytest.raises(UnsupportedFormatError) as e:
        read_source("upload.dat", data=data)
    assert "upload.dat" in str(e.value) and fragment in str(e.value)


def test_zip_that_is_not_docx(tmp_path):
    import zipfile

    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedFormatError, match="book.xlsx: .*Excel"):
        read_source(path)


# ---------------------------------------------------------------------------------------------
# hostile files: each a ReadError whose message names the file


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, main_text) -> dict[str, tuple[Path, dict]]:
    """Hostile files (made once per module): name → (path, read_source keyword arguments)."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    rnd = random.Random(1234)
    files: dict[str, tuple[Path, dict]] = {}

    def put(name: str, data: bytes, **kw) -> None:
        p = tmp_path / name
        p.write_bytes(data)
        files[name] = (p, kw)

    put("empty.txt", b"")
    put("whitespace.txt", b" \n\t\r\n  ")
    put("random.bin", bytes(rnd.randrange(256) for _ in range(8192)))
    put("random_no_nul.txt", bytes(rnd.randrange(1, 256) for _ in range(8192)))
    put("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rnd.randrange(256) for _ in range(500)))
    put("huge.txt", ("Điều 1. " * 700_000).encode("utf-8")[:5_000_000], max_bytes=1_000_000)
    raw = main_text.encode("utf-8")
    cut = next(i for i in range(len(raw) // 2, len(raw)) if raw[i] >= 0xC0) + 1
    put("truncated.txt", raw[:cut])
    put("bad_middle.txt", raw[:2000] + b"\xff\xfe\xfd" + raw[2003:])
    put("scripts.html", b"<!DOCTYPE html><html><head><script>alert(1)</script></head><body>"
                        b"<script>var x = 'Dieu 1';</script><style>p{}</style></body></html>")
    put("nested.html", b"<html><body>" + b"<div>" * 10_000 + "Nội dung".encode() + b"</div>" * 10_000
        + b"</body></html>")
    put("nav_only.html", b"<html><body><nav><a href='/'>Trang ch\xe1\xbb\xa7</a></nav>"
                         b"<footer>Footer</footer></body></html>")
    docx_bytes = make_docx(main_text, tmp_path / "_ok.docx").read_bytes()
    put("corrupt.docx", docx_bytes[: len(docx_bytes) // 2])
    put("garbage.docx", b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(2000)))
    put("mislabelled.docx", "Văn bản thường".encode())
    put("empty_text.docx", make_docx("", tmp_path / "_empty.docx").read_bytes())
    put("corrupt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage")
    put("no_text_layer.pdf", _pdf_without_text())
    put("encrypted.pdf", _encrypted_pdf())
    return files


def _pdf_without_text() -> bytes:
    """A PDF with a drawn shape and no text: what a scan without OCR looks like to a reader."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Confidential")
    pdf.set_encryption(owner_password="owner", user_password="user")
    return bytes(pdf.output())


EXPECTED_REASON = {
    "empty.txt": "empty file",
    "whitespace.txt": "only whitespace",
    "random.bin": "binary data",
    "random_no_nul.txt": "binary data",
    "image.png": "PNG image",
    "huge.txt": "too large",
    "truncated.txt": "truncated UTF-8",
    "bad_middle.txt": "invalid UTF-8 at byte",
    "scripts.html": "no body text",
    "nested.html": "nested more than",
    "nav_only.html": "no body text",
    "corrupt.docx": "corrupt DOCX",
    "garbage.docx": "corrupt DOCX",
    "mislabelled.docx": "not a DOCX",
    "empty_text.docx": "no text",
    "corrupt.pdf": "corrupt PDF",
    "no_text_layer.pdf": "no text layer: scanned PDF needs OCR",
    "encrypted.pdf": "encrypted",
}


@pytest.mark.parametrize("name", list(EXPECTED_REASON))
def test_hostile_file_gives_read_error_naming_the_file(hostile, name):
    path, kw = hostile[name]
    with pytest.raises(ReadError) as e:
        read_source(path, **kw)
    msg = str(e.value)
    assert name in msg and e.value.path == str(path)
    assert EXPECTED_REASON[name] in msg, msg
    # the same bytes uploaded under the file's name
    with pytest.raises(ReadError) as e2:
        read_source(name, data=path.read_bytes(), **kw)
    assert msg.replace(str(path), name) == str(e2.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ReadError, match="nope.txt: no such file"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(ReadError, match="is a directory"):
        read_source(tmp_path)


def test_max_bytes_checked_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2_000_000)
    with pytest.raises(ReadError, match=r"big.txt: file too large: 2,000,000 bytes \(limit 1,000\)"):
        read_source(path, max_bytes=1000)
    assert len(read_source(path).text) == 2_000_000


def test_deep_nesting_limit_is_exact():
    ok = "<html><body>" + "<div>" * (MAX_HTML_DEPTH - 2) + "x" + "</div>" * (MAX_HTML_DEPTH - 2)
    assert html_to_text(ok) == "x"
    with pytest.raises(ReadError):
        html_to_text("<html><body>" + "<div>" * (MAX_HTML_DEPTH + 5) + "x")


def test_data_must_be_bytes():
    with pytest.raises(ReadError, match="data must be bytes"):
        read_source("x.txt", data="text")  # type: ignore[arg-type]


def test_error_messages_give_the_byte_offset(main_text):
    raw = main_text.encode("utf-8")
    with pytest.raises(UnsupportedEncodingError) as e:
        read_source("cut.txt", data=raw[:2000] + b"\xff" + raw[2000:])
    assert re.search(r"cut.txt: invalid UTF-8 at byte \d+", str(e.value))

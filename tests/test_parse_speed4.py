"""Speed round 4, graph.ingest.parse: each faster path against the definition it replaces.

- ``_find_motto`` with ``_MOTTO_C`` (literal "c" first) == the scan with ``_MOTTO``
- ``_self_note``'s line-start search == ``_SELF_NOTE.search(key, lo)``
- ``_self_type_matches`` == ``_SELF_TYPE.finditer(text, lo)``
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.ingest import parse as P
from graph.ingest.text import clean_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
BULK = SHARED / "corpus" / "bulk" / "documents"
DOCS = SHARED / "corpus" / "documents"


def _find_motto_by_definition(ct, start):
    """The first version of ``_find_motto`` (every motto pattern scanned with finditer)."""
    key, text = ct.key, ct.text
    best = None
    for rx in (P._MOTTO, P._PARTY_MOTTO, P._EN_MOTTO):
        for m in rx.finditer(key, start):
            if P._is_upper_line(text[m.start():m.end()]):
                if best is None or m.start() < best[0]:
                    best = (m.start(), m.end())
                break
    return best


MOTTO_ROWS = [
    # (text, why)
    ("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n",
     "the national motto on its own line"),
    ("| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n", "a one-line crawled table"),
    ("ÇỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", "an OCR variant of the first letter: the full class"),
    ("Nước Cộng hòa xã hội chủ nghĩa Việt Nam là nhà nước ...\nCỘNG HOA XA HOI CHU NGHIA VIET NAM\n",
     "a lower-case mention first, then the motto without marks"),
    ("ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY\n", "the Party's motto"),
    ("SOCIALIST REPUBLIC OF VIETNAM\nIndependence - Freedom - Happiness\n", "the English motto"),
    ("Công văn không có quốc hiệu.\n", "no motto"),
    ("čỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", "a rare first letter in the key"),
]


@pytest.mark.parametrize("text,why", MOTTO_ROWS, ids=[w for _, w in MOTTO_ROWS])
def test_find_motto_rows(text, why):
    ct = clean_text(text)
    for start in range(0, len(text), 7):
        assert P._find_motto(ct, start) == _find_motto_by_definition(ct, start), (why, start)


SELF_ROWS = [
    ("PHỤ LỤC\n(Ban hành kèm theo Quyết định số 2806/QĐ-UBND ngày 19 tháng 11 năm 2025 của Chủ tịch "
     "Ủy ban nhân dân tỉnh Đồng Nai)\n", "the attachment note"),
    ("x (Kèm theo Kế hoạch số 12/KH-UBND)\n  | (kèm theo Quyết định số 5/QĐ-UBND)", "not at a line start, then at one"),
    ("Quyết định này có hiệu lực. Quyết định này thay thế. XQuyết định này; _Thông tư này\n",
     "the type naming itself; after a word character it does not count"),
    ("Nghị quyết này quy định. Kế hoạch này. Kế hoạch này.", "two types"),
    ("", "empty"),
]


@pytest.mark.parametrize("text,why", SELF_ROWS, ids=[w for _, w in SELF_ROWS])
def test_self_note_and_self_type_rows(text, why):
    ct = clean_text(text)
    for lo in range(0, len(text) + 1):
        m = next(P._line_matches(P._SELF_NOTE, P._SELF_NOTE_NL, ct.key, lo), None)
        ref = P._SELF_NOTE.search(ct.key, lo)
        assert (m and (m.span(), m.groups())) == (ref and (ref.span(), ref.groups())), (why, lo)
        got = [(m.span(), m.group(1)) for m in P._self_type_matches(ct.text, lo)]
        assert got == [(m.span(), m.group(1)) for m in P._SELF_TYPE.finditer(ct.text, lo)], (why, lo)


def test_self_type_on_random_texts():
    r = random.Random(4)
    words = ["Quyết định", "này", "x", "_", " ", "Thông tư", "Kế hoạch", "\n", "a", "1", "Nghị quyết"]
    for _ in range(500):
        text = "".join(r.choice(words) + r.choice(["", " ", "  "]) for _ in range(r.randint(0, 30)))
        for lo in (0, 1, 5):
            got = [(m.span(), m.group(1)) for m in P._self_type_matches(text, lo)]
            assert got == [(m.span(), m.group(1)) for m in P._SELF_TYPE.finditer(text, lo)], (text, lo)


@pytest.mark.skipif(not BULK.is_dir(), reason=f"bulk corpus not found at {BULK}")
def test_on_the_corpus():
    from graph.ingest.readers import read_source

    files = sorted(BULK.glob("*.*"))[::4] + sorted(DOCS.glob("*.txt"))[::4]
    for p in files:
        ct = clean_text(read_source(p).text)
        assert P._find_motto(ct, 0) == _find_motto_by_definition(ct, 0), p.name
        for lo in (0, len(ct.text) // 3):
            m = next(P._line_matches(P._SELF_NOTE, P._SELF_NOTE_NL, ct.key, lo), None)
            ref = P._SELF_NOTE.search(ct.key, lo)
            assert (m and m.span()) == (ref and ref.span()), p.name
            got = [m.span() for m in P._self_type_matches(ct.text, lo)]
            assert got == [m.span() for m in P._SELF_TYPE.finditer(ct.text, lo)], p.name


# ---------------------------------------------------------------------------------------------
# line-start patterns searched by _line_matches
# ---------------------------------------------------------------------------------------------

ANCHOR_ROWS = [
    ("Nơi nhận:\n- Như trên;\n| KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\n\nNguyễn Văn A |\n", "a crawled closing cell"),
    ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nTrần Văn B\n", "the title lines"),
    ("| Nơi nhận: | TM. ỦY BAN NHÂN DÂN |\n|| CHỦ TỊCH |\n", "titles after '|' in one-line rows"),
    ("xx|chủ tịch\nchủ tịchx\n|\n|tm. bộ trưởng", "bars and line starts back to back"),
    ("Số: 377/KH-UBND\nSố hiệu: 12/QĐ\n  | So 5-QĐ/TW\nNo. 301/2025/ND-CP\nsố công báo", "number lines"),
    ("Số hiệu: 2820/QĐ-UBND\nLoại văn bản: Quyết định\nNơi ban hành: Thành phố Hồ Chí Minh\n"
     "Người ký: Nguyễn Văn Dũng\nNgày ban hành: 19/11/2025\n", "a portal block"),
    ("Căn cứ Luật Tổ chức chính quyền địa phương;\nĐiều 1. Ban hành\n", "late body cues"),
    ("", "empty"),
]


@pytest.mark.parametrize("text,why", ANCHOR_ROWS, ids=[w for _, w in ANCHOR_ROWS])
def test_line_pattern_rows(text, why):
    key = clean_text(text).key
    n = len(key)
    for lo in range(0, n + 1):
        for hi in sorted({lo, min(n, lo + 3), min(n, lo + 17), n}):
            for rx, nl in ((P._SO_RE, P._SO_NL), (P._PORTAL_RE, P._PORTAL_NL), (P._LATE_BODY, P._LATE_BODY_NL)):
                got = [(m.span(), m.groups()) for m in P._line_matches(rx, nl, key, lo, hi)]
                assert got == [(m.span(), m.groups()) for m in rx.finditer(key, lo, hi)], (why, lo, hi)


@pytest.mark.skipif(not BULK.is_dir(), reason=f"bulk corpus not found at {BULK}")
def test_line_patterns_on_the_corpus():
    from graph.ingest.readers import read_source

    for p in sorted(BULK.glob("*.*"))[::5]:
        key = clean_text(read_source(p).text).key
        n = len(key)
        for lo in (0, n // 2, max(0, n - 6000)):
            hi = min(n, lo + 6000)
            for rx, nl in ((P._SO_RE, P._SO_NL), (P._PORTAL_RE, P._PORTAL_NL), (P._LATE_BODY, P._LATE_BODY_NL)):
                got = [m.span() for m in P._line_matches(rx, nl, key, lo, hi)]
                assert got == [m.span() for m in rx.finditer(key, lo, hi)], (p.name, rx.pattern[:30])

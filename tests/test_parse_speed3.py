"""Fast paths of the parse stage (third speed round) against the definitions they replace.

Each fast path of ``graph.ingest.text`` / ``graph.ingest.parse`` is checked here against its
plain definition (written out in this file, or the module's first version of the helper), on
real fragments of the corpus (file named in the comment: bulk = ../shared/corpus/bulk/documents),
on edge cases and, where the corpus is present, on every corpus document.
"""

from __future__ import annotations

import random
from array import array
from pathlib import Path

import pytest

from graph.ingest import text as T
from graph.ingest.text import _clean_slow, clean_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
BULK = SHARED / "corpus" / "bulk" / "documents"


def _corpus_texts(limit: int | None = None) -> list[str]:
    if not BULK.is_dir():
        pytest.skip(f"shared corpus not found at {BULK} (tests on real documents need ../shared)")
    files = sorted(BULK.glob("*.md"))[:limit]
    return [f.read_text(encoding="utf-8") for f in files]


# ---------------------------------------------------------------------------------------------
# clean_text: the offset map as byte runs of a shared array
# ---------------------------------------------------------------------------------------------

def _clean_definition(original: str):
    """clean_text's fast path written out character by character (no combining mark, no CR):
    drop the characters of _DROP, map the odd spaces to " ", keep every other character and its
    offset; the map ends with len(original)."""
    kept = [(i, c) for i, c in enumerate(original) if c not in T._DROP]
    text = "".join(" " if ord(c) in T._SPACES else c for _, c in kept)
    return text, [i for i, _ in kept] + [len(original)]


CLEAN_ROWS = [
    "",
    "*",
    "**",
    "a",
    "**KẾ HOẠCH**",                                         # bulk: crawled bold heading
    "*Cần Thơ, ngày 21 tháng 11 năm 2025*",                 # bulk: italic place-and-date line
    "Số: 377/KH\u00a0UBND",
    "**Số hiệu:**\n\n|\n\n377/KH-UBND\n\n|\n\n",             # bulk: crawled portal table
    "a\u200bb*c\ufeffd",                                     # several characters to drop
    "\u00ad*\u200b",                                         # nothing kept
    "x\t\u3000*y*",
    "Điều 1.** **Phê duyệt",
]


@pytest.mark.parametrize("original", CLEAN_ROWS)
def test_clean_text_matches_its_definition(original):
    c = clean_text(original)
    text, omap = _clean_definition(original)
    assert c.text == text
    assert list(c.to_original) == omap
    assert isinstance(c.to_original, array) and c.to_original.typecode == "i"
    slow = _clean_slow(original)
    assert (slow.text, list(slow.to_original)) == (text, omap)


def test_clean_text_map_on_random_texts():
    rnd = random.Random(3)
    alphabet = list("ab *\u200b\ufeff\u00ad\u00a0\t\nĐđ") + ["**"]
    for _ in range(3000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 40)))
        c = clean_text(s)
        assert (c.text, list(c.to_original)) == _clean_definition(s), repr(s)


def test_clean_text_longer_than_the_shared_offsets():
    n = T._OFFSETS_CAP + 10
    s = ("ab*" * (n // 3 + 1))[:n]
    c = clean_text(s)
    text, omap = _clean_definition(s)
    assert c.text == text and list(c.to_original) == omap
    plain = clean_text("x" * n)
    assert list(plain.to_original) == list(range(n + 1))


def test_offset_map_type():
    assert T.offset_map([0, 1, 2]).typecode == "i"
    assert T.offset_map(range(3)) == array("i", [0, 1, 2])
    assert T.offset_map([2 ** 40]).typecode == "q"
    assert list(T.offset_map([])) == []


def test_clean_text_on_the_corpus():
    for s in _corpus_texts(60):
        c = clean_text(s)
        if "\r" in s:
            continue
        text, omap = _clean_definition(s)
        assert c.text == text
        assert c.to_original == array("i", omap)


# ---------------------------------------------------------------------------------------------
# parse: the tables in one pass (_scan_tables) == _pipe_lines + _table_blocks + _rows_in_block
# ---------------------------------------------------------------------------------------------

def _tables_by_definition(text: str, lo: int, hi: int):
    from graph.ingest import parse as P

    plines = P._pipe_lines(text, lo, hi)
    blocks = P._table_blocks(text, plines)
    rows = [r for b in blocks for r in P._rows_in_block(text, b[2])]
    in_blocks = {se for b in blocks for se in b[2]}
    return [(b[0], b[1]) for b in blocks], rows, [se for se in plines if se not in in_blocks]


TABLE_ROWS = [
    # bulk 001c610b2efdcf0c.md: the crawled header table (cells end with a "|"-only line)
    "|\n**ỦY BAN NHÂN\nDÂN **\nTHÀNH PHỐ HỒ CHÍ MINH\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố:\n2820/QĐ-UBND\n|\n*Thành phố Hồ\nChí Minh, ngày 19 "
    "tháng 11 năm 2025*\n|\n\n\n**QUYẾT ĐỊNH**\n",
    "| STT | Nội dung | Thời gian |\n|---|---|---|\n| 1 | Tuyên truyền | Quý I |\n",   # markdown table
    "|\n\n|\n",                 # a blank line between "|" lines: two blocks
    "|\na\n|\n" + "x\n" * 41 + "|\nb\n|\n",    # more than 40 lines apart
    "|\na\n|\n" + "x\n" * 39 + "|\nb\n|\n",
    "| \t\n a \n\t|\n|\n b | c \n|",           # spaces around the bars, a "|" inside a cell
    "|",
    "||\n|",
    "\n|\n\n\n|\n",
    "text\n  |  \ncell\n|\n\n",
]


@pytest.mark.parametrize("text", TABLE_ROWS)
def test_scan_tables_matches_the_three_passes(text):
    from graph.ingest.parse import _scan_tables

    for lo in range(0, min(len(text), 12)):
        for hi in (len(text), len(text) - 1, lo + len(text) // 2):
            hi = max(lo, hi)
            assert _scan_tables(text, lo, hi) == _tables_by_definition(text, lo, hi), (lo, hi)


def test_scan_tables_on_random_layouts():
    rnd = random.Random(11)
    pieces = ["|", "\n", "\n|\n", " ", "\t", "a", "b c", "\n\n", "| x |", "\n \n", "|---|"]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 40)))
        lo = rnd.randrange(0, len(text) + 1)
        hi = rnd.randrange(lo, len(text) + 1)
        from graph.ingest.parse import _scan_tables

        assert _scan_tables(text, lo, hi) == _tables_by_definition(text, lo, hi), (text, lo, hi)


def test_scan_tables_on_the_corpus():
    from graph.ingest.parse import _scan_tables

    for s in _corpus_texts(120):
        t = clean_text(s).text
        assert _scan_tables(t, 0, len(t)) == _tables_by_definition(t, 0, len(t))


# ---------------------------------------------------------------------------------------------
# text.collapse_ws by str.replace == split/join
# ---------------------------------------------------------------------------------------------

def test_collapse_ws_is_split_and_join():
    rnd = random.Random(9)
    alphabet = list(" \n\t\x0b\x0c\r\x1c\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u3000aĐ|") + ["  ", "\n\n"]
    for _ in range(20000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 24)))
        assert T.collapse_ws(s) == " ".join(s.split()), repr(s)
    for s in _corpus_texts(30):
        assert T.collapse_ws(s) == " ".join(s.split())


# ---------------------------------------------------------------------------------------------
# parse: the heading/title scan reads its lines one at a time (_line_range, _lines_through)
# instead of listing every line of a 6,000-character window (_lines_from)
# ---------------------------------------------------------------------------------------------

LINE_ROWS = ["", "\n", "\n\n", "a", "a\n", "\na", "ab\ncd\n\nef",
             "**QUYẾT\nĐỊNH**\n\nVề việc ban hành Kế hoạch\n",          # bulk: heading over two lines
             "|\n*Hà Nội, ngày 5 tháng 1 năm 2022*\n|\n\n\n**QUYẾT ĐỊNH**\n"]


@pytest.mark.parametrize("text", LINE_ROWS)
def test_line_range_and_lines_through_match_lines_from(text):
    from graph.ingest.parse import _line_range, _lines_from, _lines_through

    for start in range(-1, len(text) + 3):
        for stop in range(-1, len(text) + 4):
            want = _lines_from(text, start, stop)
            first, last = _line_range(text, start, stop)
            assert (first, last) == ((want[0], want[-1]) if want else (None, None)), (start, stop)
            assert list(_lines_through(text, first, last)) == want, (start, stop)


def test_line_range_on_random_texts():
    from graph.ingest.parse import _line_range, _lines_from, _lines_through

    rnd = random.Random(6)
    for _ in range(3000):
        text = "".join(rnd.choice("ab\n\n ") for _ in range(rnd.randrange(0, 30)))
        start, stop = rnd.randrange(-2, len(text) + 3), rnd.randrange(-2, len(text) + 5)
        want = _lines_from(text, start, stop)
        first, last = _line_range(text, start, stop)
        assert list(_lines_through(text, first, last)) == want, (text, start, stop)

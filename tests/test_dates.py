"""Dates: every printed form → ISO 8601, with spans; calendar-checked; never raises.

Fragments marked "corpus" are copied from ../shared/corpus (file named in the comment)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.dates import find_dates, parse_date, to_iso
from graph.ingest.text import clean_text


@pytest.mark.parametrize(
    ("text", "isos"),
    [
        ("13/6/2024", ["2024-06-13"]),
        ("13/06/2024", ["2024-06-13"]),
        ("ngày 13 tháng 6 năm 2024", ["2024-06-13"]),
        ("24-11-2023", ["2023-11-24"]),
        ("13.6.2024", ["2024-06-13"]),
        ("Đắk Nông, ngày 13 tháng 6 năm 2024", ["2024-06-13"]),                  # corpus 000
        ("*Cần Thơ, ngày 21\ntháng 11 năm 2025 *", ["2025-11-21"]),              # corpus 101
        ("Hà Nội, ngày 26 tháng 0 6 năm 2018", ["2018-06-26"]),                  # corpus 103
        ("Hà Tĩnh, ngày 01 tháng12 năm 2025", ["2025-12-01"]),                   # bulk 1ea5e769
        ("Hà Nội ngày 01\ntháng 12 năm 2025", ["2025-12-01"]),                   # bulk 0465063a
        ("NGHỊ QUYẾT SỐ 05/NQ-CP NGÀY 13 THÁNG 01 NĂM 2014", ["2014-01-13"]),    # corpus 016 title
        ("Nghị quyết số ] 39/NQ-CP ngày 31 thang 12 năm 2017", ["2017-12-31"]),  # corpus 104 (OCR)
        ("Quyết định số 84/2009/QĐ-TTg , ngày 04 tháng 6 năm 2009", ["2009-06-04"]),
        ("Chương trình số 76-CT/TU, ngày 13/5/2024 của Ban Thường vụ Tỉnh ủy", ["2024-05-13"]),
        ("từ ngày 17 đến ngày 20 tháng 11 năm 2025", ["2025-11-20"]),
        # two formats in one sentence
        ("ngày 13/6/2024 (tức ngày 13 tháng 6 năm 2024) và 24-11-2023",
         ["2024-06-13", "2024-06-13", "2023-11-24"]),
        ("Hanoi, November\n17, 2025", ["2025-11-17"]),                            # bulk 277ec1cb
        ("dated 5 April 2024", ["2024-04-05"]),
        ("HANOI, NOVEMBER 17, 2025", ["2025-11-17"]),  # upper case: the month pre-test folds case
        ("Sept. 3, 2020 và ngày 12/3/2020", ["2020-09-03", "2020-03-12"]),
        ("29/2/2024", ["2024-02-29"]),
    ],
)
def test_find_dates(text, isos):
    clean = clean_text(text).text
    assert [d[2] for d in find_dates(clean)] == isos


@pytest.mark.parametrize(
    "text",
    [
        "31/2/2024",                 # not a calendar date
        "29/2/2023",                 # not a leap year
        "ngày 32 tháng 1 năm 2020",
        "ngày 1 tháng 13 năm 2020",
        "ngày 1 tháng 1 năm 1800",   # outside 1900–2100
        "39/2012/NQ-HĐND",           # a document number, corpus 021
        "01/2025/TT-BTTTT",          # corpus 109
        "giai đoạn 2021-2030",
        "1.000.000 đồng",
        "tháng 11 năm 2025",         # no day
        "ngày … tháng … năm",        # blank form, bulk 1796a553
        "",
    ],
)
def test_not_dates(text):
    assert find_dates(clean_text(text).text) == []


def test_spans_slice_the_date():
    text = "Căn cứ Quyết định số 1591/QĐ-TTg ngày 08/12/2023 và Công văn ngày 03 tháng 01 năm 2024"
    got = find_dates(text)
    assert [text[s:e] for s, e, _ in got] == ["08/12/2023", "ngày 03 tháng 01 năm 2024"]


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("ngày **13** tháng 6\nnăm 2024", "2024-06-13"),
        ("**13**/6/2024", "2024-06-13"),
        ("13/06/2024", "2024-06-13"),       # portal "Ngày ban hành", corpus 000
        ("Đã biết", None),                   # portal placeholder, bulk
        ("", None),
    ],
)
def test_parse_date(raw, iso):
    assert parse_date(raw) == iso


def test_to_iso():
    assert to_iso(13, 6, 2024) == "2024-06-13"
    assert to_iso(31, 4, 2024) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789/.- \nngàytháng năm*abc")), max_size=80))
def test_never_raises_and_spans_inside(text):
    for s, e, iso in find_dates(text):
        assert 0 <= s < e <= len(text)
        assert len(iso) == 10 and iso[4] == "-" and iso[7] == "-"
    parse_date(text)


# --- the fast scans give what the first version's patterns give ------------------------------
# find_dates runs _TEXT_DATE from its first digit (plus a check for "ngày" before it) and
# _NUM_DATE with its lookbehind after the first digit; both begin with a digit class, so the
# regex engine skips ahead. The first version's patterns are the oracle.

import re  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from graph.extract import dates as _dates  # noqa: E402

_FIRST_NUM_DATE = re.compile(r"(?<![\w/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/]|\.\d)")


def _text_reference(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _dates._TEXT_DATE.finditer(text):
        iso = to_iso(_dates._num(m.group(1)), _dates._num(m.group(2)), int(m.group(3)))
        if iso:
            out.append((m.start(), m.end(), iso))
    return out


def _text_fast(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    if "h" in text or "H" in text:
        _dates._text_dates(text, out)
    return out


def _spans(pattern: re.Pattern, text: str) -> list[tuple]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "ngày13 tháng 6 năm 2024",                  # no space after "ngày"
        "xngày 13 tháng 6 năm 2024",                # a letter before "ngày": starts at the digit
        "ngày\n13 tháng 6 năm 2024",
        "ngày \t\n \t13 tháng 6 năm 2024",
        "ngày \n\n13 tháng 6 năm 2024",             # two line breaks: "ngày" is not part of it
        "a12 3 tháng 4 năm 2020",                   # no start at "2"; the scan goes on to "3"
        "ngày 1 2 tháng 4 năm 2020",
        "NGÀY 5 THÁNG 6 NĂM 2020",
        "Ngay 5 thang 6 nam 2020, ngày 7 tháng 8 năm 2021",
        "ngày 5 tháng 6 năm 2020ngày 7 tháng 8 năm 2021",
        "ngày 31 tháng 2 năm 2020 và ngày 1 tháng 3 năm 2020",   # an invalid one still consumes
        "_13 tháng 6 năm 2024", "ngày_13 tháng 6 năm 2024", "_ngày 13 tháng 6 năm 2024",
        "2ngày 13 tháng 6 năm 2024", "ngàyngày 13 tháng 6 năm 2024", "ngày ngày 13 tháng 6 năm 2024",
        "Đắk Nông, ngày 13 tháng 6 năm 2024",       # corpus 000
        "*Cần Thơ, ngày 21\ntháng 11 năm 2025 *",   # corpus 101
        "Hà Nội, ngày 26 tháng 0 6 năm 2018",       # corpus 103
        "ngày 13 tháng 6 năm 20245", "ngày 13 tháng 6, năm 2024", "thang tháng 13 tháng 6 năm 2024",
    ],
)
def test_text_dates_as_first_version(text):
    assert _text_fast(text) == _text_reference(text)


@pytest.mark.parametrize(
    "text",
    ["13/6/2024", "x13/6/2024", "/13/6/2024", "1.13.6.2024", "5 13/6/2024", "113/6/2024",
     "13 / 6 /2024", "13/6-2024", "13/6/2024/", "13.6.2024.5", "1/1/2020 1/1/2021", "٣/٤/٢٠٢٠",
     "ngày 08/12/2023 và 24-11-2023", "-13-6-2024", "_13/6/2024"],
)
def test_num_dates_as_first_version(text):
    assert _spans(_dates._NUM_DATE, text) == _spans(_FIRST_NUM_DATE, text)


_PIECES = [*"0123456789/.- \n\t,_xyNnGgÀàYyTtHhÁáAaăĂmM", "ngày", "tháng", "năm", "NGÀY", "ngay", "thang"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_fast_scans_as_first_version_random(text):
    assert _text_fast(text) == _text_reference(text)
    assert _spans(_dates._NUM_DATE, text) == _spans(_FIRST_NUM_DATE, text)


def test_character_classes_of_the_fast_scan():
    """``_word_char`` is the regex ``\\w``; only "h"/"H" match "h" case-insensitively (the
    prefilter of the formal form)."""
    word = re.compile(r"\w")
    h = re.compile("h", re.IGNORECASE)
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        assert _dates._word_char(c) == bool(word.match(c)), hex(cp)
        if h.match(c):
            assert c in "hH", hex(cp)


_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def test_fast_scans_as_first_version_on_corpus():
    files = sorted((_CORPUS / "documents").glob("*.txt")) + sorted((_CORPUS / "bulk" / "documents").glob("*.md"))
    if not files:
        pytest.skip(f"corpus not found at {_CORPUS}")
    for p in files:
        text = clean_text(p.read_text(encoding="utf-8", errors="replace")).text
        assert _text_fast(text) == _text_reference(text), p.name
        assert _spans(_dates._NUM_DATE, text) == _spans(_FIRST_NUM_DATE, text), p.name

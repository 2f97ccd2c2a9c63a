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

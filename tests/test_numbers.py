"""Document-number grammar: tables of real fragments (corpus file in the comment) → canonical
number, identity key and parse."""

from __future__ import annotations

import pytest

from graph.extract.numbers import canonical_number, find_numbers, parse_number
from graph.ingest.text import clean_text

# (text as found, canonical numbers found in order)
FIND = [
    ("Số: 377/KH-UBND", ["377/KH-UBND"]),  # 000
    ("Nghị định số 56/2017/NĐ-CP ngày 09 tháng 5 năm 2017", ["56/2017/NĐ-CP"]),  # 032
    ("Thông tư số 28/2019/TT-BLĐTBXH ngày 26 tháng 12 năm 2019", ["28/2019/TT-BLĐTBXH"]),  # 013
    ("Căn cứ Luật Trẻ em số 102/2016/QH13 ngày 05 tháng 4 năm 2016;", ["102/2016/QH13"]),  # 032
    ("Số: 39/2012/NQ-HĐND", ["39/2012/NQ-HĐND"]),  # 021
    ("Số: 2236/QCPH-LĐTBXH-GDĐT-YT-CA", ["2236/QCPH-LĐTBXH-GDĐT-YT-CA"]),  # 032, joint
    ("Số: 2734/VPCP-KGVX", ["2734/VPCP-KGVX"]),  # 030, letter
    ("(204/UBND-VX)", ["204/UBND-VX"]),  # 031
    ("Thông báo số 157/TB-VPCP ngày 11 tháng 4 năm 2024", ["157/TB-VPCP"]),  # 101
    ("Xét Tờ trình số 711/TTr-SLĐTBXH, ngày 13/10/2010", ["711/TTr-SLĐTBXH"]),  # 004
    ("Chỉ thị số 28-CT/TW, ngày 25/12/2023", ["28-CT/TW"]),  # 000, Party
    ("Chương trình số 76-CTr/TU thực hiện", ["76-CTr/TU"]),  # 000
    ("THỰC HIỆN CHƯƠNG TRÌNH SỐ 76-CTR/TU, NGÀY 13/5/2024", ["76-CTr/TU"]),  # 000 title, upper case
    ("Kế hoạch số 466-KH/TU ngày 12/5/2025", ["466-KH/TU"]),  # 108
    ("Quy định số 69-QĐ/TW ngày 06/7/2022", ["69-QĐ/TW"]),  # 117
    ("Kết luận số 149-KL/TW ngày 10/4/2025", ["149-KL/TW"]),  # 101
    ("TRIỂN KHAI THỰC HIỆN QUYẾT ĐỊNH SỐ 34/2014/QĐ-TTG NGÀY", ["34/2014/QĐ-TTg"]),  # 035 title
    ("Căn cứ Quyết định số 34/2014/QĐ-TTg , ngày 30/5/2014", ["34/2014/QĐ-TTg"]),  # 035, space-comma
    ("Kế hoạch số 75/KH- UBND ngày 09/7/2018", ["75/KH-UBND"]),  # 101, space after dash
    ("Kết luận số 132- KL/TW; Nghị quyết 93/NQ-CP", ["132-KL/TW", "93/NQ-CP"]),  # 108
    ("Nghị quyết số 27/NQ- TW ngày 09/11/2022", ["27/NQ-TW"]),  # 118, Party printed State-style
    ("Chỉ thị số 27/CTTg ngày 15/7/2024", ["27/CT-TTg"]),  # 101, glued type and issuer
    ("Tờ trình số 02/TTr-CAT- ANCTNB ngày 03/02/2023", ["02/TTr-CAT-ANCTNB"]),  # 117
    ("Nghị định số 144/2021/NĐ- CP ngày 31/12/2021", ["144/2021/NĐ-CP"]),  # 117
    ("Số: 2022/KH-UBND", ["2022/KH-UBND"]),  # 023, looks like a year
    ("Số: 0130/KH-UBND", ["0130/KH-UBND"]),  # 113, leading zero kept
    ("Số: 252/KH-BCĐQG1237", ["252/KH-BCĐQG1237"]),  # 115
    ("Thông tư liên tịch số 30/2006/TTLT-BTC-BNN&PTNT-BTS, ngày 06", ["30/2006/TTLT-BTC-BNN&PTNT-BTS"]),  # 012
    ("Pháp lệnh … số 26/2005/PL-UBTVQH11", ["26/2005/PL-UBTVQH11"]),  # 103
    ("Nghị quyết số 20- NO/TW ngày 25", ["20-NQ/TW"]),  # 104, OCR "NO" for "NQ"
    ("Nghị định 12/ND-CP", ["12/NĐ-CP"]),  # bulk, ASCII "ND"
    ("Thông tư số\n15/2014/TT-BLĐTBXH ngày 19/6/2014", ["15/2014/TT-BLĐTBXH"]),  # 024, broken line
    ("Nghị định số 144/2021/NĐ-\nCP ngày", ["144/2021/NĐ-CP"]),  # number broken across lines
    ("theo 12//KH-UBND", ["12/KH-UBND"]),  # doubled slash
    ("Quyết định 5/QĐ–UBND", ["5/QĐ-UBND"]),  # en dash
    ("Số: 2033 /QĐ-UBND", ["2033/QĐ-UBND"]),  # stray space before the slash
    ("Quyết định số 12/QÐ-UBND ngày", ["12/QĐ-UBND"]),  # eth U+00D0 of legacy-font conversions for Đ
    # not numbers
    ("trẻ em nhiễm HIV/AIDS giai đoạn 2021-2030", []),
    ("550/100.000 trẻ em", []),
    ("ngày 15/8/2024 và 2/3 số xã", []),
    ("số 377/KH-UBND - Sở Y tế", ["377/KH-UBND"]),  # a list dash with spaces both sides ends it
]


@pytest.mark.parametrize("text,expected", FIND)
def test_find_numbers(text, expected):
    assert [m.canonical for m in find_numbers(text)] == expected


def test_find_numbers_on_key_restores_case():
    c = clean_text("Căn cứ Chỉ thị số **46**/CT-TTg và 76-CTr/TU")  # emphasis inside a number
    assert [m.canonical for m in find_numbers(c.key)] == ["46/CT-TTg", "76-CTr/TU"]
    assert [m.canonical for m in find_numbers(c.text)] == ["46/CT-TTg", "76-CTr/TU"]


def test_spans_slice_the_raw_text():
    t = "Căn cứ Quyết định số 34/2014/QĐ-TTg , ngày 30/5/2014"
    (m,) = find_numbers(t)
    assert t[m.start:m.end] == m.raw == "34/2014/QĐ-TTg"


CANONICAL = [
    ("46/CT-TTG", "46/CT-TTg"),
    ("76-CTR/TU", "76-CTr/TU"),
    ("34/2014/QĐ-TTG", "34/2014/QĐ-TTg"),
    ("27/CTTg", "27/CT-TTg"),
    ("  2033 /QĐ-UBND ", "2033/QĐ-UBND"),
    ("982/LĐTBXH-CTE", "982/LĐTBXH-CTE"),  # the letter's own spelling is kept
    ("not a number", "notanumber"),
]


@pytest.mark.parametrize("raw,expected", CANONICAL)
def test_canonical_number(raw, expected):
    assert canonical_number(raw) == expected


PARSE = [
    ("56/2017/NĐ-CP", ("56", 2017, "NĐ", ("CP",), False, "Nghị định")),
    ("28-CT/TW", ("28", None, "CT", ("TW",), True, "Chỉ thị")),
    ("76-CTr/TU", ("76", None, "CTr", ("TU",), True, "Chương trình")),
    ("2734/VPCP-KGVX", ("2734", None, None, ("VPCP", "KGVX"), False, "Công văn")),
    ("102/2016/QH13", ("102", 2016, None, ("QH13",), False, None)),
    ("2236/QCPH-LĐTBXH-GDĐT-YT-CA", ("2236", None, "QCPH", ("LĐTBXH", "GDĐT", "YT", "CA"), False, "Quy chế phối hợp")),
    ("Số: 0130/KH-UBND", ("0130", None, "KH", ("UBND",), False, "Kế hoạch")),
    ("27/NQ- TW", ("27", None, "NQ", ("TW",), True, "Nghị quyết")),
]


@pytest.mark.parametrize("s,expected", PARSE)
def test_parse_number(s, expected):
    p = parse_number(s)
    assert (p.number, p.year, p.type_code, p.issuer_codes, p.party, p.type_name()) == expected


def test_parse_number_none():
    assert parse_number("Số:") is None
    assert parse_number("") is None
    assert parse_number("Số: 0£ /QD-TTg") is None  # OCR noise in corpus 104: not guessed


SAME_KEY = [
    ("46/CT-TTG", "46/CT-TTg"),
    ("982/LĐTBXH-CTE", "982/BLĐTBXH-CTE"),  # 013: the portal spells the ministry code with B
    ("02/QĐ-TTg", "2/QĐ-TTg"),
    ("27/CTTg", "27/CT-TTg"),
    ("12/ND-CP", "12/NĐ-CP"),
]


@pytest.mark.parametrize("a,b", SAME_KEY)
def test_same_identity(a, b):
    assert parse_number(a).key == parse_number(b).key


def test_type_variants_share_loose_key_only():
    a, b = parse_number("76-CT/TU"), parse_number("76-CTr/TU")  # 000: body vs title
    assert a.key != b.key and a.loose_key == b.loose_key
    assert parse_number("20-NQ/TƯ").key != parse_number("20-NQ/TU").key  # Trung ương ≠ Tỉnh ủy

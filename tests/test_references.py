"""Reference mentions: tables of real fragments (corpus file in the comment) → what the text
says about each instrument (number/name, relation, cue, source, date, issuer, self)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from graph.extract.references import extract_references, normalise_issuer, relation_of_cue
from graph.ingest.text import clean_text
from graph.models import Document, Metadata, SourceText

SHARED = Path(__file__).resolve().parents[2] / "shared"


def make_doc(text: str, number: str | None = None, issuer: tuple[str, ...] = (), locality: str | None = None):
    """A Document from raw text with just the metadata the reference stage reads."""
    meta = Metadata(document_number=number, issuer=issuer, locality=locality)
    return Document(source=SourceText("t.txt", text), clean=clean_text(text), metadata=meta, provisions=())


def refs(text: str, **kw):
    return [m for m in extract_references(make_doc(text, **kw)) if not m.self_reference]


def find(ms, key):
    """The mentions whose number or name is ``key``."""
    return [m for m in ms if m.document_number == key or m.name == key]


LANGSON = ("UBND TỈNH LẠNG SƠN\nSố: 32/KH-UBND\n\nKẾ HOẠCH\n\n"
           "Thực hiện Quyết định số 1591/QĐ-TTg ngày 08/12/2023 của Thủ tướng Chính phủ phê duyệt Chương trình chăm "
           "sóc sức khoẻ tâm thần trẻ em, chăm sóc trẻ em mồ côi giai đoạn 2023 - 2030; Công văn số 23/LĐTBXH-TE ngày "
           "03/01/2024 của Bộ Lao động - Thương binh và Xã hội triển khai Quyết định số 1591/QĐ-TTg của Thủ tướng "
           "Chính phủ, UBND tỉnh ban hành Kế hoạch thực hiện như sau:\n\nI. MỤC TIÊU\n")  # 001


def test_opening_chain_langson():
    ms = refs(LANGSON, number="32/KH-UBND", locality="Lạng Sơn")
    q = find(ms, "1591/QĐ-TTg")
    first = q[0]
    assert (first.relation, first.cue, first.source_number) == ("implements", "thực hiện", None)
    assert (first.date_issued, first.issuer) == ("2023-12-08", "Thủ tướng Chính phủ")
    # the programme named as the decision's content carries the decision's number
    assert any(m.name and m.name.startswith("Chương trình chăm sóc sức khoẻ") for m in q)
    cv = find(ms, "23/LĐTBXH-TE")[0]
    assert (cv.relation, cv.date_issued, cv.issuer) == ("implements", "2024-01-03", "Bộ Lao động - Thương binh và Xã hội")
    nested = [m for m in q if m.source_number == "23/LĐTBXH-TE"]
    assert nested and nested[0].relation == "implements" and nested[0].cue == "triển khai"
    assert "Công văn số 23/LĐTBXH-TE" in nested[0].sentence


DAKNONG = ("Số: 377/KH-UBND\n\nĐắk Nông, ngày 13 tháng 6 năm 2024\n\nKẾ HOẠCH\n\n"
           "THỰC HIỆN CHƯƠNG TRÌNH SỐ 76-CTR/TU, NGÀY 13/5/2024 CỦA BAN THƯỜNG VỤ TỈNH ỦY VỀ VIỆC THỰC HIỆN CHỈ THỊ "
           "SỐ 28-CT/TW, NGÀY 25/12/2023 CỦA BỘ CHÍNH TRỊ VỀ TĂNG CƯỜNG CÔNG TÁC CHĂM SÓC\n\n"
           "Thực hiện Chương trình số 76-CT/TU, ngày 13/5/2024 của Ban Thường vụ Tỉnh ủy về việc thực hiện Chỉ thị số "
           "28-CT/TW, ngày 25/12/2023 của Bộ Chính trị về tăng cường công tác chăm sóc; Ủy ban nhân dân tỉnh ban hành "
           "Kế hoạch triển khai thực hiện, cụ thể như sau:\n\nI. MỤC ĐÍCH, YÊU CẦU\n\n"
           "- Các cấp triển khai thực hiện Chỉ thị số 28-CT/TW ngày 25/12/2023 của Bộ Chính trị; lồng ghép với việc học "
           "tập, quán triệt và tổ chức thực hiện Luật Trẻ em.\n")  # 000


def test_title_party_numbers_daknong():
    ms = refs(DAKNONG, number="377/KH-UBND", locality="Đắk Nông")
    p76 = [m for m in ms if m.document_number in ("76-CTr/TU", "76-CT/TU")]
    assert {m.document_number for m in p76} == {"76-CTr/TU", "76-CT/TU"}  # spellings as written
    assert all(m.relation == "implements" and m.source_number is None for m in p76)
    assert all(m.date_issued == "2024-05-13" and m.issuer == "Ban Thường vụ Tỉnh ủy" for m in p76)
    c28 = find(ms, "28-CT/TW")
    assert {(m.source_number, m.relation) for m in c28} >= {("76-CTr/TU", "implements"), (None, "cites")}
    assert find(ms, "Luật Trẻ em")[0].relation == "cites"  # a cue in the body does not make "implements"


CASES = [
    # (fragment, number or name, expected (relation, source, date, issuer)), corpus file
    ("Căn cứ Quyết định số 84/2009/QĐ-TTg , ngày 04 tháng 6 năm 2009 của Thủ tướng Chính phủ phê duyệt Kế hoạch;\n"
     "Xét Tờ trình số 711/TTr-SLĐTBXH, ngày 13/10/2010 của Giám đốc Sở Lao động - Thương binh và Xã hội về việc,\n"
     "QUYẾT ĐỊNH:\n", "84/2009/QĐ-TTg", ("based_on", None, "2009-06-04", "Thủ tướng Chính phủ")),  # 004
    ("Căn cứ Quyết định số 84/2009/QĐ-TTg , ngày 04 tháng 6 năm 2009 của Thủ tướng Chính phủ phê duyệt Kế hoạch;\n"
     "Xét Tờ trình số 711/TTr-SLĐTBXH, ngày 13/10/2010 của Giám đốc Sở Lao động - Thương binh và Xã hội về việc,\n"
     "QUYẾT ĐỊNH:\n", "711/TTr-SLĐTBXH",
     ("cites", None, "2010-10-13", "Giám đốc Sở Lao động - Thương binh và Xã hội")),  # 004, issuer as written
    ("Căn cứ Nghị định 56/2005/NĐ-CP, ngày 26 tháng 4 năm 2005 của Chính phủ về khuyến nông, khuyến ngư và Thông tư "
     "60/2005/TT-BNN, ngày 10 tháng 10 năm 2005 Hướng dẫn thực hiện một số nội dung của Nghị định 56/2005/NĐ-CP;\n"
     "QUYẾT ĐỊNH:\n", "60/2005/TT-BNN", ("based_on", None, "2005-10-10", None)),  # 012: coordinated with "và"
    ("Căn cứ Nghị định số 56/2017/NĐ-CP ngày 09 tháng 5 năm 2017 của Chính phủ quy định chi tiết một số điều của "
     "Luật Trẻ em;\nQUYẾT ĐỊNH:\n", "Luật Trẻ em", ("implements", "56/2017/NĐ-CP", None, None)),  # 032
    ("Căn cứ Thông tư số 01/2025/TT-BTTTT ngày 18 tháng 02 năm 2025 của Bộ trưởng Bộ Thông tin và Truyền thông sửa "
     "đổi, bổ sung một số điều của Thông tư số 06/2022/TT-BTTTT ngày 30 tháng 6 năm 2022;\nQUYẾT ĐỊNH:\n",
     "06/2022/TT-BTTTT", ("amends", "01/2025/TT-BTTTT", "2022-06-30", None)),  # 109
    ("Căn cứ Quyết định số 650/QĐ-LĐTBXH ngày 21 tháng 7 năm 2022 của Bộ trưởng Bộ Lao động - Thương binh và Xã hội "
     "(được điều chỉnh bổ sung bởi Quyết định số 128/QĐ-LĐTBXH ngày 17 tháng 3 năm 2023);\nI. MỤC ĐÍCH\n",
     "128/QĐ-LĐTBXH", ("based_on", None, "2023-03-17", None)),  # 109: passive, the amending one
    ("I. NỘI DUNG\n- Theo quy định tại Quyết định số 1729/QĐ-TTg ngày 04 tháng 11 năm 2020 sửa\nđổi, bổ sung "
     "Quyết định số 655/QĐ-TTg ngày 12 tháng 5 năm 2017 của Thủ tướng Chính phủ.\n", "655/QĐ-TTg",
     ("amends", "1729/QĐ-TTg", "2017-05-12", "Thủ tướng Chính phủ")),  # 105: cue broken across lines
    ("I. TỔ CHỨC\nKế hoạch này thay thế Kế hoạch số 371/KH-UBND ngày 31/7/2023 của Ủy ban nhân dân tỉnh Tiền Giang "
     "(nay là tỉnh Đồng Tháp).\n", "371/KH-UBND",
     ("replaces", None, "2023-07-31", "Ủy ban nhân dân tỉnh Tiền Giang")),  # 120
    ("Tuy nhiên, qua quá trình triển khai thực hiện tại các sở theo Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ "
     "tướng Chính phủ phê duyệt Bộ chỉ số.\n\nI. MỤC TIÊU\n", "766/QĐ-TTg",
     ("cites", None, "2022-06-23", "Thủ tướng Chính phủ")),  # 126: a cue mid-sentence is not "implements"
    ("KẾ HOẠCH\n\nTHỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG NGÀY 15 THÁNG 8 NĂM 2024 CỦA\nTHỦ TƯỚNG CHÍNH PHỦ VỀ VIỆC TĂNG\n\n"
     "I. MỤC ĐÍCH\n", "27/CT-TTg", ("implements", None, "2024-08-15", "Thủ tướng Chính phủ")),  # 101 title
    ("nhằm thực hiện tốt mục tiêu chung và các mục tiêu cụ thể của Quyết định số 23, đó là:\n", "23",
     ("cites", None, None, None)),  # 003: short form keeps the digits
    ("THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG QUỐC GIA VÌ TRẺ EM THÀNH PHỐ HÀ NỘI GIAI ĐOẠN 2021-2030\n\nI. MỤC TIÊU\n",
     "Chương trình hành động quốc gia vì trẻ em", ("implements", None, None, None)),  # 003 title, locality cut
    ("Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân được Quốc hội thông qua ngày 26 tháng 11 năm 2003;\n"
     "QUYẾT ĐỊNH:\n", "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân",
     ("based_on", None, "2003-11-26", "Quốc hội")),  # 012
    ("I. NỘI DUNG\n- Tiếp tục triển khai hiệu quả Đề án “Trồng một tỷ cây xanh giai đoạn 2021 - 2025”, xây dựng.\n",
     "Đề án Trồng một tỷ cây xanh giai đoạn 2021 - 2025", ("cites", None, None, None)),  # 125, quoted name
    ("Căn cứ Luật Đất đai ngày 26/11/2003;\nCăn cứ Nghị định số 181/2004/NĐ-CP ngày 29/10/2004 của Chính phủ về "
     "hướng dẫn thi hành Luật Đất đai năm 2003;\nQUYẾT NGHỊ:\n", "181/2004/NĐ-CP",
     ("based_on", None, "2004-10-29", "Chính phủ")),  # 021
]


@pytest.mark.parametrize("text,key,expected", CASES)
def test_relations_table(text, key, expected):
    ms = find(refs(text), key)
    assert ms, [m.surface for m in refs(text)]
    got = [(m.relation, m.source_number, m.date_issued, m.issuer) for m in ms]
    assert expected in got


def test_distributed_implementing_source():  # 118
    t = ("Thực hiện Kế hoạch số 14-KH/TU ngày 29/7/2025 của Ban Thường vụ Tỉnh ủy và Kế hoạch số 24/KH-UBND ngày "
         "14/8/2025 của UBND tỉnh thực hiện Nghị quyết số 66-NQ/TW ngày 30 tháng 4 năm 2025 của Bộ Chính trị.\n\nI.\n")
    src = {m.source_number for m in find(refs(t), "66-NQ/TW")}
    assert {"14-KH/TU", "24/KH-UBND"} <= src


def test_passive_amendment_edge():  # 109
    t = ("Căn cứ Quyết định số 650/QĐ-LĐTBXH ngày 21 tháng 7 năm 2022 của Bộ trưởng (được điều chỉnh bổ sung bởi "
         "Quyết định số 128/QĐ-LĐTBXH ngày 17 tháng 3 năm 2023);\nI. MỤC ĐÍCH\n")
    assert ("amends", "128/QĐ-LĐTBXH") in {(m.relation, m.source_number) for m in find(refs(t), "650/QĐ-LĐTBXH")}


def test_amending_ordinance_number():  # 103
    t = ("Căn cứ Pháp lệnh sửa đổi, bổ sung một số điều của Pháp lệnh Ưu đãi người có công với cách mạng số "
         "04/2012/PL-UBTVQH13 ngày 16 tháng 7 năm 2012;\nQUYẾT ĐỊNH:\n")
    ms = refs(t)
    outer = find(ms, "04/2012/PL-UBTVQH13")[0]
    assert outer.surface.startswith("Pháp lệnh sửa đổi") and outer.relation == "based_on"
    inner = find(ms, "Pháp lệnh Ưu đãi người có công với cách mạng")[0]
    assert (inner.relation, inner.source_number) == ("amends", "04/2012/PL-UBTVQH13")


NAMES = [
    # (fragment, the names read), corpus file
    ("I. NỘI DUNG\n- bố trí kinh phí theo quy định của Luật ngân sách nhà nước và phân cấp ngân sách hiện hành.\n",
     ["Luật ngân sách nhà nước"]),  # 104: a known law name ends the name (law_names.tsv)
    ("I. NỘI DUNG\n- thực hiện theo quy định của Luật Ngân sách nhà nước, nguồn chi tổ chức và hoạt động.\n",
     ["Luật Ngân sách nhà nước"]),  # 112
    ("I. NỘI DUNG\n- thống nhất với Luật Phòng, chống ma túy sát với thực tiễn; ngay sau khi Luật Phòng, chống ma "
     "túy (sửa đổi) được Quốc hội thông qua.\n", ["Luật Phòng, chống ma túy", "Luật Phòng, chống ma túy (sửa đổi)"]),  # 108
    ("I. NỘI DUNG\n- trong các chương trình đang thực hiện như Chương trình\nmục tiêu quốc gia xây dựng nông thôn "
     "mới giai đoạn 2021-2025, Chương trình không còn nạn đói.\n",
     ["Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2021-2025"]),  # 104: "chương trình" ≠ "trình"
    ("I. NỘI DUNG\n- đưa nội dung tuyên truyền về Công ước của Liên hợp quốc về quyền trẻ em (sống còn, phát triển)\n",
     ["Công ước của Liên hợp quốc về quyền trẻ em"]),  # 011
    ("I. NỘI DUNG\n- Các nội dung hỗ trợ thi hành Luật bao gồm: hướng dẫn.\n", []),  # 122: "Luật bao gồm"
    ("I. NỘI DUNG\n- Các cấp ủy thực hiện Luật Trẻ em và các Công ước Quốc tế mà Việt Nam đã ký kết.\n",
     ["Luật Trẻ em"]),  # 003: plural "các Công ước" is not one instrument
]


@pytest.mark.parametrize("text,names", NAMES)
def test_names_table(text, names):
    assert [m.name for m in refs(text) if m.name and not m.document_number] == names


def test_bare_parenthesised_alias():  # 108
    t = ("Căn cứ Quyết định số 7619/QĐ-BCA ngày 08/9/2025 của Bộ trưởng Bộ Công an phê duyệt Chương trình mục tiêu "
         "quốc gia phòng, chống ma túy đến năm 2030 (Chương trình MTQG);\n\nI. NỘI DUNG\n- Các sở chủ động tổ "
         "chức thực hiện Chương trình MTQG tổ chức kiểm tra, báo cáo.\n")
    ms = refs(t)
    assert {m.document_number for m in ms} == {"7619/QĐ-BCA"}
    assert [m.surface for m in ms if m.surface == "Chương trình MTQG"]


SELF = [
    ("QUYẾT ĐỊNH\n\nPHÊ DUYỆT CHƯƠNG TRÌNH QUỐC GIA BẢO VỆ TRẺ EM GIAI ĐOẠN 2011 - 2015\n\nTHỦ TƯỚNG CHÍNH PHỦ\n\n"
     "QUYẾT ĐỊNH:\n\nĐiều 1. Phê duyệt Chương trình quốc gia bảo vệ trẻ em giai đoạn 2011 – 2015 với các nội dung\n"),
    ("Ủy ban nhân dân tỉnh xây dựng Kế hoạch trin khai Chương trình thúc đẩy quyền tham gia, như sau:\n\nI.\n"),
    ("II. NỘI DUNG\n- Xây dựng Chương trình truyền thông cộng đồng hiệu quả.\n- Chương trình truyền thông được "
     "phê duyệt và triển khai đồng bộ.\n"),  # 125: programmes the plan is about to create
    ("Kính gửi: Quý Thành viên, Nghị định 13/2023/NĐ-CP về Bảo vệ dữ liệu cá nhân yêu cầu xác nhận.\n"),  # portal
    ("III. NỘI DUNG CHƯƠNG TRÌNH\n\n1. Về chăm sóc, bảo vệ sức khỏe\n"),  # 029: heading, not "Chương trình 1"
    ("- Tổ chức thực hiện Dự án 1: Xây dựng cơ sở dữ liệu.\n"),  # 107: a sub-project, not an instrument
]


@pytest.mark.parametrize("text", SELF)
def test_not_references(text):
    ms = [m for m in extract_references(make_doc(text)) if not m.self_reference]
    assert [m.surface for m in ms if not m.document_number or m.document_number != "1"] in ([],)


def test_own_number_is_self():
    ms = extract_references(make_doc("Số: 377/KH-UBND\nKế hoạch 377/KH-UBND thực hiện Chương trình số 76-CTr/TU\n",
                                     number="377/KH-UBND"))
    own = [m for m in ms if m.document_number == "377/KH-UBND"]
    assert own and all(m.self_reference for m in own)
    (p76,) = [m for m in ms if m.document_number == "76-CTr/TU"]
    assert p76.relation == "implements" and not p76.self_reference


def test_span_points_into_original_with_markup():
    t = "Căn cứ Quyết định số **34**/2014/QĐ-TTg , ngày 30/5/2014;\nQUYẾT ĐỊNH:\n"
    (m,) = refs(t)
    assert t[m.span.start:m.span.end] == "Quyết định số **34**/2014/QĐ-TTg"
    assert m.surface == "Quyết định số 34/2014/QĐ-TTg"


ISSUERS = [
    ("Bộ Lao động, Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),  # 035
    ("Bộ Lao động Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),  # 024
    ("Bộ LĐTBXH", "Bộ Lao động - Thương binh và Xã hội"),  # 015
    ("Hội nghị lần thứ sáu Ban Chấp hành Trung ương Khóa XII", "Ban Chấp hành Trung ương Đảng khóa XII"),  # 101
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),  # 010
    ("Thủ tướng CP", "Thủ tướng Chính phủ"),  # 030
    ("BAN THƯỜNG VỤ TỈNH ỦY", "Ban Thường vụ Tỉnh ủy"),  # 000 title
    ("Uỷ ban nhân dân tỉnh Sơn La", "Ủy ban nhân dân tỉnh Sơn La"),  # 018, old tone mark
]


@pytest.mark.parametrize("raw,expected", ISSUERS)
def test_normalise_issuer(raw, expected):
    assert normalise_issuer(raw) == expected


@pytest.mark.parametrize("cue,rel", [("Căn cứ", "based_on"), ("Triển khai thực hiện", "implements"),
                                     ("cụ thể hoá", "implements"), ("sửa đổi,\nbổ sung", "amends"),
                                     ("thay thế", "replaces"), ("bãi bỏ", "repeals"), ("V/v thực hiện", "implements"),
                                     ("Xét", "cites"), ("nêu tại", "cites")])
def test_relation_of_cue(cue, rel):
    assert relation_of_cue(cue) == rel


def test_corpus_scores():
    """The whole annotated corpus: references F1 ≥ 0.95, relation accuracy ≥ 0.95."""
    if not (SHARED / "corpus" / "expected").exists():
        pytest.skip("../shared/corpus not available")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import evaluate as ev

    tp = pred = gold = rel_ok = 0
    for path in sorted((SHARED / "corpus" / "documents").glob("*.txt")):
        exp = json.loads((SHARED / "corpus" / "expected" / (path.stem + ".json")).read_text(encoding="utf-8"))
        got = ev._adapter_annotation(path)
        pairs, _m, _x = ev.match_references(exp["references"], got["references"])
        tp, pred, gold = tp + len(pairs), pred + len(got["references"]), gold + len(exp["references"])
        rel_ok += sum(1 for e, x in pairs if ev.relation_ok(e, x))
    p, r, f = ev.prf(tp, pred, gold)
    assert f >= 0.95, (p, r, f)
    assert rel_ok / tp >= 0.95

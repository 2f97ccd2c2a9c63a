"""Resolution: mentions → one reference per (source, target), variant spellings merged,
conflicts kept, unknown instruments kept as written, registry facts attached."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.extract.references import extract_references
from graph.ingest.text import clean_text
from graph.models import Document, Metadata, SourceText
from graph.registry import load_registry
from graph.resolve import complete_locality, document_locality, resolve_references

MAIN_INPUT = Path(__file__).resolve().parents[1] / "data" / "documents" / "000_daknong_377-kh-ubnd_2024_chi-thi-28_tre-em.txt"


def make_doc(text, number=None, issuer=(), locality=None):
    meta = Metadata(document_number=number, issuer=issuer, locality=locality)
    return Document(source=SourceText("t.txt", text), clean=clean_text(text), metadata=meta, provisions=())


def resolve(text, **kw):
    doc = make_doc(text, **kw)
    return resolve_references(doc, extract_references(doc))


def by(refs, target, source=None):
    out = [r for r in refs if (r.document_number == target or r.name == target) and r.source == source]
    assert len(out) == 1, [(r.source, r.document_number or r.name) for r in refs]
    return out[0]


@pytest.fixture(scope="module")
def main_refs():
    text = MAIN_INPUT.read_text(encoding="utf-8")
    return resolve(text, number="377/KH-UBND", issuer=("Ủy ban nhân dân tỉnh Đắk Nông",), locality="Đắk Nông")


def test_main_input_programme_76(main_refs):
    r = by(main_refs, "76-CTr/TU")
    assert r.relation == "implements"
    assert r.issuer == "Ban Thường vụ Tỉnh ủy Đắk Nông"  # locality added from the document
    assert r.date_issued == "2024-05-13" and r.document_type == "Chương trình"
    assert set(r.surfaces) >= {"Chương trình số 76-CTr/TU", "CHƯƠNG TRÌNH SỐ 76-CTR/TU", "Chương trình số 76-CT/TU"}
    assert r.registry_id == "76-CTr/TU" and r.english_label


def test_main_input_directive_28(main_refs):
    doc_level = by(main_refs, "28-CT/TW")
    assert doc_level.relation in ("cites", "implements") and doc_level.issuer == "Bộ Chính trị"
    stated = by(main_refs, "28-CT/TW", source="76-CTr/TU")  # "Chương trình 76 … thực hiện Chỉ thị 28"
    assert stated.relation == "implements" and stated.date_issued == "2023-12-25"


def test_main_input_names(main_refs):
    law = by(main_refs, "Luật Trẻ em")
    assert law.relation == "cites" and law.document_number is None and law.registry_id == "102/2016/QH13"
    nap = by(main_refs, "Chương trình hành động quốc gia vì trẻ em giai đoạn 2021-2030")
    assert nap.document_number is None  # the text never states the number: not guessed
    assert nap.approved_by == "23/QĐ-TTg"  # the registry knows the approving decision
    assert "Chương trình hành động quốc gia vì trẻ em" in nap.surfaces
    names = {r.name for r in main_refs if r.name}
    assert "Chương trình chăm sóc sức khoẻ tâm thần trẻ em, chăm sóc trẻ em mồ côi giai đoạn 2023-2030" in names
    assert len(main_refs) == 10


def test_one_reference_per_pair_strongest_relation():
    t = ("Thực hiện Quyết định số 1591/QĐ-TTg ngày 08/12/2023 của Thủ tướng Chính phủ;\n\nI. NỘI DUNG\n"
         "- Theo Quyết định số 1591/QĐ-TTg.\n")
    refs = resolve(t)
    r = by(refs, "1591/QĐ-TTg")
    assert r.relation == "implements" and len(r.mentions) == 2


def test_short_form_joins_the_full_number():
    t = ("Căn cứ Quyết định số 1591/QĐ-TTg ngày 08/12/2023 của Thủ tướng Chính phủ;\n\nI. NỘI DUNG\n"
         "- Mục tiêu của Quyết định số 1591, gồm:\n")
    refs = resolve(t)
    assert [r.document_number for r in refs] == ["1591/QĐ-TTg"]
    assert "Quyết định số 1591" in refs[0].surfaces


def test_short_form_alone_kept_as_written():  # 003
    refs = resolve("các mục tiêu cụ thể của Quyết định số 23, đó là:\n")
    assert [(r.document_number, r.issuer, r.registry_id) for r in refs] == [("23", None, None)]


def test_same_number_other_year_is_another_instrument():  # 117: two Chỉ thị 02/CT-TTg
    t = ("Căn cứ Chỉ thị số 02/CT-TTg ngày 15 tháng 11 năm 2019 về tăng cường;\n\nI. NỘI DUNG\n"
         "- phòng chống bạo lực gia đình; Chỉ thị số 02/CT-TTg ngày 04/7/2018 của Thủ tướng Chính phủ về phòng chống.\n")
    refs = [r for r in resolve(t) if r.document_number == "02/CT-TTg"]
    assert sorted(r.date_issued for r in refs) == ["2018-07-04", "2019-11-15"]


def test_same_year_other_day_is_a_conflict():  # 101: "27/CTTg ngày 15/7/2024" vs "27/CT-TTg … 15 tháng 8"
    t = ("Thực hiện Chỉ thị số 27/CT-TTg ngày 15 tháng 8 năm 2024 của Thủ tướng Chính phủ;\n\nI. NỘI DUNG\n"
         "[2] Chỉ thị số 27/CTTg ngày 15/7/2024 của Thủ tướng Chính phủ về tăng cường.\n")
    (r,) = resolve(t)
    assert r.document_number == "27/CT-TTg" and r.date_issued in ("2024-08-15", "2024-07-15")
    assert r.conflicts and "2024-07-15" in r.conflicts[0] and "2024-08-15" in r.conflicts[0]
    assert "Chỉ thị số 27/CTTg" in r.surfaces


def test_type_code_variants_merge_only_when_date_and_issuer_agree():
    same = ("Thực hiện Chương trình số 76-CTr/TU ngày 13/5/2024 của Ban Thường vụ Tỉnh ủy; Chương trình số 76-CT/TU "
            "ngày 13/5/2024 của Ban Thường vụ Tỉnh ủy;\n\nI.\n")
    assert [r.document_number for r in resolve(same, locality="Đắk Nông")] == ["76-CTr/TU"]
    other = ("Thực hiện Chương trình số 76-CTr/TU ngày 13/5/2024; Chỉ thị số 76-CT/TU ngày 02/01/2020;\n\nI.\n")
    assert {r.document_number for r in resolve(other)} == {"76-CTr/TU", "76-CT/TU"}


def test_unknown_instrument_kept_as_written():
    (r,) = resolve("Căn cứ Quyết định số 9876/QĐ-UBND ngày 01/02/2020 của UBND tỉnh;\n\nI.\n",
                   issuer=("Ủy ban nhân dân tỉnh Sơn La",), locality="Sơn La")
    assert (r.document_number, r.registry_id, r.issuer) == ("9876/QĐ-UBND", None, "Ủy ban nhân dân tỉnh Sơn La")


def test_issuer_from_number_codes():
    refs = resolve("Căn cứ Nghị quyết số 17/2011/QH13 ngày 22/11/2011;\nCăn cứ Quyết định số 5/QĐ-UBND ngày "
                   "01/02/2020;\nCăn cứ Quy chế số 2236/QCPH-LĐTBXH-GDĐT-YT-CA;\n\nI.\n", locality="Đắk Nông",
                   issuer=("Ủy ban nhân dân tỉnh Đắk Nông",))
    assert by(refs, "17/2011/QH13").issuer == "Quốc hội"
    assert by(refs, "5/QĐ-UBND").issuer == "Ủy ban nhân dân tỉnh Đắk Nông"
    assert by(refs, "2236/QCPH-LĐTBXH-GDĐT-YT-CA").issuer == (
        "Bộ Lao động - Thương binh và Xã hội; Bộ Giáo dục và Đào tạo; Bộ Y tế; Bộ Công an")


def test_programme_named_as_content_joins_its_decision():  # 001: title names the programme, the decision approves it
    t = ("KẾ HOẠCH\n\nTHỰC HIỆN CHƯƠNG TRÌNH CHĂM SÓC SỨC KHOẺ TÂM THẦN TRẺ EM, CHĂM SÓC TRẺ EM MỒ CÔI GIAI ĐOẠN "
         "2024 - 2030 TRÊN ĐỊA BÀN TỈNH LẠNG SƠN\n\nThực hiện Quyết định số 1591/QĐ-TTg ngày 08/12/2023 của Thủ "
         "tướng Chính phủ phê duyệt Chương trình chăm sóc sức khoẻ tâm thần trẻ em, chăm sóc trẻ em mồ côi giai đoạn "
         "2023 - 2030;\n\nI. MỤC TIÊU\n")
    (r,) = resolve(t, locality="Lạng Sơn")
    assert r.document_number == "1591/QĐ-TTg" and r.relation == "implements"
    assert any(s.startswith("CHƯƠNG TRÌNH CHĂM SÓC") for s in r.surfaces)


LOCALITY = [
    ("Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy Đắk Nông"),
    ("Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh Đắk Nông"),
    ("Sở Y tế", "Sở Y tế tỉnh Đắk Nông"),
    ("Hội đồng nhân dân", "Hội đồng nhân dân tỉnh Đắk Nông"),
    ("Ủy ban nhân dân tỉnh Tiền Giang", "Ủy ban nhân dân tỉnh Tiền Giang"),  # names its own place
    ("Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),  # national body
]


@pytest.mark.parametrize("issuer,expected", LOCALITY)
def test_complete_locality(issuer, expected):
    assert complete_locality(issuer, ("Đắk Nông", "tỉnh Đắk Nông"), load_registry()) == expected


def test_document_locality():
    reg = load_registry()
    assert document_locality(make_doc("x", locality="Cần Thơ"), reg) == ("Cần Thơ", "thành phố Cần Thơ")
    assert document_locality(make_doc("x", issuer=("Ủy ban nhân dân tỉnh Bình Định",)), reg) == (
        "Bình Định", "tỉnh Bình Định")
    assert document_locality(make_doc("x", issuer=("Thủ tướng Chính phủ",)), reg) == (None, None)

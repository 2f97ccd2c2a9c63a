"""The registry tables (data/registry/*.tsv) and their lookups."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.errors import ReadError
from graph.registry import DEFAULT_DIR, load_registry, name_key, strip_period

REG = load_registry()
SHARED_FACTS = Path(__file__).resolve().parents[2] / "shared" / "facts" / "instruments.tsv"


@pytest.mark.parametrize("table", ["doc_types.tsv", "issuer_codes.tsv", "instruments.tsv", "abbreviations.tsv"])
def test_every_row_has_a_source(table):
    with open(DEFAULT_DIR / table, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows
    assert all((r.get("source") or "").strip() for r in rows), table


def test_instruments_are_the_shared_facts():
    if not SHARED_FACTS.exists():
        pytest.skip("../shared/facts/instruments.tsv not available")
    ours = (DEFAULT_DIR / "instruments.tsv").read_text(encoding="utf-8").splitlines()
    theirs = SHARED_FACTS.read_text(encoding="utf-8").splitlines()
    assert ours[0] == theirs[0] and set(theirs[1:]) <= set(ours[1:])


DOC_TYPES = [
    ("QĐ", False, "Quyết định"), ("QD", False, "Quyết định"), ("NĐ", False, "Nghị định"),
    ("CTr", True, "Chương trình"), ("CTR", True, "Chương trình"), ("TT", False, "Thông tư"),
    ("TT", True, "Thông tri"), ("KL", True, "Kết luận"), ("QCPH", False, "Quy chế phối hợp"),
    ("NO", True, "Nghị quyết"),
]


@pytest.mark.parametrize("code,party,name", DOC_TYPES)
def test_doc_type(code, party, name):
    assert REG.doc_type(code, party=party).name_vi == name


ISSUERS = [
    ("TTg", "Thủ tướng Chính phủ"), ("TTG", "Thủ tướng Chính phủ"), ("QH13", "Quốc hội"),
    ("UBTVQH11", "Ủy ban Thường vụ Quốc hội"), ("LĐTBXH", "Bộ Lao động - Thương binh và Xã hội"),
    ("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội"), ("HĐND17", "Hội đồng nhân dân"),
    ("TU", "Tỉnh ủy"), ("TW", "Trung ương Đảng"), ("TƯ", "Trung ương Đảng"), ("YT", "Bộ Y tế"),
]


@pytest.mark.parametrize("code,name", ISSUERS)
def test_issuer(code, name):
    assert REG.issuer(code).name_vi == name


def test_unknown_codes():
    assert REG.doc_type("XYZ") is None and REG.issuer("KGVX") is None


def test_by_number_any_spelling():
    assert [i.id for i in REG.by_number("28-ct/tw")] == ["28-CT/TW"]
    assert [i.id for i in REG.by_number("1591/QD-TTG")] == ["1591/QĐ-TTg"]
    assert REG.by_number("9999/QĐ-TTg") == [] and REG.by_number("no number") == []


def test_by_name_accent_insensitive_and_fuzzy():
    assert REG.by_name("Luật trẻ em")[0][0].id == "102/2016/QH13"
    assert REG.by_name("Luat Tre em")[0][0].id == "102/2016/QH13"
    # old tone placement "khoẻ" and a spacing variant of the period
    hits = REG.by_name("Chương trình chăm sóc sức khoẻ tâm thần trẻ em, chăm sóc trẻ em mồ côi giai đoạn 2023 - 2030")
    assert hits and hits[0][0].id == "1591/QĐ-TTg"
    assert REG.by_name("Luật Đất đai") == []


APPROVED = [
    ("Chương trình hành động quốc gia vì trẻ em giai đoạn 2021-2030", "23/QĐ-TTg"),  # 000
    ("Chiến lược quốc gia về dinh dưỡng giai đoạn 2021 - 2030 và tầm nhìn đến năm 2045", "02/QĐ-TTg"),  # 000
    ("Chương trình phòng, chống tai nạn, thương tích trẻ em giai đoạn 2021-2030", "1248/QĐ-TTg"),
    ("Chương trình can thiệp giảm tử vong trẻ em dưới 5 tuổi đến năm 2030", "1493/QĐ-TTg"),
    ("Chương trình hành động quốc gia vì trẻ em", "23/QĐ-TTg"),  # 000, without the period
    ("Luật Trẻ em", None),  # a law is not approved by a decision
]


@pytest.mark.parametrize("name,number", APPROVED)
def test_approving_decision(name, number):
    hit = REG.approving_decision(name)
    assert (hit.document_number if hit else None) == number


NAME_KEYS = [
    ("Luật Tổ chức HĐND và UBND", "Luật Tổ chức Hội đồng nhân dân và Uỷ ban nhân dân"),  # 016 vs 004
    ("Luật Ban hành văn bản QPPL", "Luật Ban hành văn bản quy phạm pháp luật"),  # 118
    ("“Chương trình X giai đoạn 2021 – 2030”", "Chương trình X giai đoạn 2021-2030"),
]


@pytest.mark.parametrize("a,b", NAME_KEYS)
def test_name_key(a, b):
    assert name_key(a) == name_key(b)


def test_strip_period():
    assert strip_period("Chương trình X giai đoạn 2021-2030") == "Chương trình X"
    assert strip_period("Chiến lược Y đến năm 2030, tầm nhìn đến năm 2045") == "Chiến lược Y"


def test_missing_directory_raises(tmp_path):
    with pytest.raises(ReadError):
        load_registry(tmp_path / "nowhere")


@pytest.mark.parametrize(("a", "b"), [
    ("Chương trình hành động quốc gia vì trẻ em giai đoạn 2021-2030",
     "Chương trình hành động quốc gia vì trẻ em"),
    ("Chương trình hành động vì trẻ em giai đoạn 2021-2030 trên địa bàn tỉnh Đắk Nông",
     "chương trình hành động vì trẻ em"),
])
def test_name_core_drops_period_and_locality(a, b):
    from graph.registry import name_core

    assert name_core(a) == name_core(b)

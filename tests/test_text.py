"""clean_text / fold_key: offsets map back exactly; tone marks fold; markup is read through."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.ingest.text import clean_text, fold_key, strip_accents


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Uỷ ban nhân dân", "ủy ban nhân dân"),
        ("sức khoẻ tâm thần", "sức khỏe tâm thần"),  # old-style placement, main plan II.4
        ("Hoà Bình", "hòa bình"),
        ("quý IV", "quý iv"),  # the u of "qu" is the onset: tone stays on y
        ("Thuỷ lợi", "thủy lợi"),
        ("khoẻ mạnh, khỏe mạnh", "khỏe mạnh, khỏe mạnh"),
    ],
)
def test_fold_key(text, key):
    assert fold_key(text) == key
    assert len(fold_key(text)) == len(text)


@pytest.mark.parametrize(
    ("original", "clean"),
    [
        ("**KẾ HOẠCH**", "KẾ HOẠCH"),
        ("Số: 377/KH\u00a0UBND", "Số: 377/KH UBND"),
        ("a\r\nb", "a\nb"),
        ("*Cần Thơ, ngày 21\ntháng 11 năm 2025 *", "Cần Thơ, ngày 21\ntháng 11 năm 2025 "),
        (unicodedata.normalize("NFD", "Trẻ em"), "Trẻ em"),
    ],
)
def test_clean_text(original, clean):
    c = clean_text(original)
    assert c.text == clean
    assert len(c.key) == len(c.text)
    assert len(c.to_original) == len(c.text) + 1


def test_span_maps_back_to_original():
    original = "Thực hiện **Chương trình số 76-CTr/TU**, ngày 13/5/2024"
    c = clean_text(original)
    i = c.text.index("Chương")
    j = c.text.index("TU") + 2
    sp = c.original_span(i, j)
    assert original[sp.start:sp.end] == "Chương trình số 76-CTr/TU"


def test_strip_accents():
    assert strip_accents("Trẻ Em Đắk Nông") == "tre em dak nong"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_offsets_always_inside(text):
    c = clean_text(text)
    assert len(c.text) == len(c.key)
    assert all(0 <= o <= len(text) for o in c.to_original)
    assert list(c.to_original) == sorted(c.to_original)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aoeuyqkhỏẻèàýỷÀOUY *\u00a0\r\n\u200b\u0301\u0309Đđ-/1"))))
def test_fast_path_equals_slow_path(text):
    from graph.ingest.text import _clean_slow

    fast, slow = clean_text(text), _clean_slow(text)
    assert (fast.text, fast.key, fast.to_original) == (slow.text, slow.key, slow.to_original)


def test_fast_path_on_corpus(corpus):
    from graph.ingest.text import _clean_slow

    for f in sorted((corpus / "documents").glob("*.txt"))[:20]:
        t = f.read_text(encoding="utf-8")
        a, b = clean_text(t), _clean_slow(t)
        assert (a.text, a.key, a.to_original) == (b.text, b.key, b.to_original), f.name

"""The fast scans of :mod:`graph.extract.agencies` give what the plain regex scans give (a table of
fragments shaped like the endings and assignments of the ``../shared/corpus`` documents, with
edge cases of each scan written in: odd spacing, a consumed line break, a head inside a word).

The recogniser finds its candidates once per document (``_doc_scan``), the recipient list from
its "nơi" (``str.find``), the "Sở:"/"Bộ:" list heads from their colons and preceding words in
place; each row checks one of them against the regex it stands for, on every stretch of the
fragment.
"""

from __future__ import annotations

import re

import pytest

from graph.agency_registry import load_agency_registry
from graph.extract import agencies as ag
from graph.ingest.text import fold_key

FRAGMENTS = [
    # recipient lists (bulk corpus endings; "Nơi nhận hồ sơ" is a procedure, not the list)
    "Nơi nhận:\n- Như Điều 3;\n- Thủ tướng, các Phó Thủ tướng;\n- Lưu: VT, KGVX (2b).",
    "| **Nơi nhận:** | **KT. CHỦ TỊCH** |\n| - Sở Y tế; | PHÓ CHỦ TỊCH |",
    "Nơi nhận hồ sơ: Bộ phận một cửa.\n\nNơi nhận:\n- Sở Y tế;\n- UBND các huyện, thành phố;",
    "Nơi nhận\nNơi nhận:\n- TT Tỉnh ủy;\n- Các Sở: TC, YT;",
    "xnơi nhận: Sở Tư pháp | nơi nhận kết quả: UBND xã",
    " |  * nơi  nhận ** : Văn phòng UBND tỉnh",
    # lists sharing a head word
    "Giao các Sở: Y tế, Tư pháp, Tài chính chủ trì; các Bộ: Quốc phòng, Công an phối hợp.",
    "Các sở , ban , ngành : Y tế; Sở,ngành:  Giáo dục; bộ\u2003: Công an; sở :: y; xsở: Nội vụ",
    # generic heads and collectives
    "Trung tâm Kiểm soát bệnh tật tỉnh, Chi cục Thú y và các cơ quan, đơn vị có liên quan; tổng cục, "
    "Ủy ban Mặt trận Tổ quốc, Ban Chỉ đạo các cấp, mỗi xã, từng hộ, các Bộ trưởng, văn Phòng, chi Cục Thuế",
    "Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch UBND các huyện, thị xã, thành phố; cơ quan ngang bộ",
]


def _ctx(text: str) -> ag.Context:
    return ag.make_context(text, fold_key(text), None, load_agency_registry())


def _stretches(n: int):
    cuts = sorted({0, n, *range(0, n, 7), *(max(0, n - d) for d in (1, 2, 5, 11))})
    for a in cuts:
        for b in cuts:
            if a <= b:
                yield a, b


@pytest.mark.parametrize("text", FRAGMENTS)
def test_recipient_block_is_the_last_regex_match(text):
    ctx = _ctx(text)
    found = list(ag._RECIPIENTS.finditer(ctx.key))
    block = ag.recipient_block(ctx)
    assert (block[0] if block else None) == (found[-1].end() if found else None)


@pytest.mark.parametrize("text", FRAGMENTS)
def test_list_heads_are_the_regex_matches(text):
    k = _ctx(text).key
    for a, b in _stretches(len(k)):
        assert [m.span() for m in ag._so_heads(k, a, b)] == [m.span() for m in ag._SO_HEAD.finditer(k, a, b)]


@pytest.mark.parametrize("text", FRAGMENTS)
def test_generic_heads_and_collective_openings_are_the_regex_matches(text):
    ctx = _ctx(text)
    k = ctx.key
    for a, b in _stretches(len(k)):
        assert [m.span() for m in ag._generic_heads(ctx, a, b)] == \
            [m.span() for m in ag._GENERIC_HEAD_RE.finditer(k, a, b)]
        want = [m.span() for m in (ag._COLL_START.match(k, p, b) for p in range(a, b)) if m]
        assert [m.span() for m in ag._collective_openings(ctx, a, b)] == want


@pytest.mark.parametrize("text", FRAGMENTS)
def test_preceding_word_is_the_regex_answer(text):
    ctx = _ctx(text)
    k = ctx.key
    for words in (ag._NOT_GOV_WORDS, ag._DETS, ag._NOT_HEAD_WORDS):
        for pos in range(len(k) + 1):
            before = k[max(0, pos - 50):pos]
            want = next((w for w in sorted(words, key=len, reverse=True)
                         if re.search(r"(?<!\w)" + re.escape(w) + r"[\s|*]*$", before)), None)
            assert ag._preceding(ctx, pos, words) == want, (pos, before)

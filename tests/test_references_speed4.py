"""Round-4 speed rewrites of the reference reader and the number finder, checked against the
definitions they replace.

``_cue_in`` (a scan of the cue phrases without the leading look-behind, tested per match)
against ``_CUE_RE.finditer`` on the same window; ``_alias_matches`` (the alias pattern tried
only at the parentheses that ``_aliases`` reads) against ``_ALIAS.finditer`` filtered the way
``_aliases`` filtered it; ``_original_span`` against ``CleanText.original_span``;
``_segment``'s merged cut list against the sorted union; ``numbers._number_match`` and
``numbers._parse_canonical`` against the constructor and the parse. Rows are text fragments,
some from the corpus; corpus-wide checks skip when ``../shared`` is absent."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.extract import numbers as N
from graph.extract import references as R
from graph.ingest.text import char_positions, clean_text
from graph.registry import load_registry

SHARED = Path(__file__).resolve().parents[2] / "shared"
DOCS = SHARED / "corpus" / "documents"


def _corpus_texts(limit: int = 40) -> list[str]:
    if not DOCS.is_dir():
        pytest.skip(f"shared corpus not found at {DOCS}")
    return [clean_text(p.read_text(encoding="utf-8")).text for p in sorted(DOCS.glob("*.txt"))[:limit]]


# --------------------------------------------------------------------------------------------
# _cue_in
# --------------------------------------------------------------------------------------------


def _plain_cue_in(kws: str, a: int, b: int):
    last = None
    for cm in R._CUE_RE.finditer(kws, a, b):
        last = cm
    if last is None:
        return None
    ph = " ".join(last.group(1).split())
    return ph, R._CUE_REL.get(ph, "cites"), last.start()


CUE_ROWS = [
    # (window text, a, b) — real fragments first; a window may start inside a word
    ("căn cứ quyết định số 1591/qđ-ttg; triển khai thực hiện nghị quyết", 0, 66),
    ("kế hoạch số 23/kh-ubnd triển khai thực hiện chỉ thị 28", 3, 54),
    ("nghị định quy định chi tiết thi hành một số điều của luật", 0, 57),
    ("sửa đổi, bổ sung một số điều", 0, 28),
    ("xéttriển khai", 0, 13),          # "xét" glued to a word: no cue there, "khai" neither
    ("nhận xét xét", 2, 12),           # the window starts inside "nhận": the letter before counts
    ("thực hiệnx thực hiện", 0, 20),    # a cue followed by a letter is none
    ("thực hiện", 0, 7),               # the window end cuts the phrase
    ("1xét_xét xét2", 0, 13),          # digits and "_" are not letters for the look-behind
    ("", 0, 0),
]


@pytest.mark.parametrize(("kws", "a", "b"), CUE_ROWS)
def test_cue_in_is_the_lookbehind_scan(kws, a, b):
    assert R._cue_in(kws, a, b) == _plain_cue_in(kws, a, b)


def test_cue_in_random_windows():
    rnd = random.Random(11)
    pieces = ["xét", "thực hiện", "triển khai", "căn cứ", "sửa đổi, bổ sung", "thay thế", " ", "  ", "a",
              "1", "_", "đ", ",", "và ", "hủy bỏ", "trên cơ sở"]
    for _ in range(3000):
        kws = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        a = rnd.randint(0, len(kws))
        b = rnd.randint(a, len(kws))
        assert R._cue_in(kws, a, b) == _plain_cue_in(kws, a, b), (kws, a, b)


def test_cue_in_corpus_windows():
    rnd = random.Random(3)
    n = 0
    for text in _corpus_texts(30):
        kws = text.lower().replace("\n", " ")
        for _ in range(200):
            a = rnd.randint(0, len(kws))
            b = min(len(kws), a + rnd.choice((3, 10, 40, 200, 900)))
            assert R._cue_in(kws, a, b) == _plain_cue_in(kws, a, b), (a, b)
            n += 1
    assert n


# --------------------------------------------------------------------------------------------
# _alias_matches
# --------------------------------------------------------------------------------------------


def _plain_alias_matches(text: str, ends: set[int]):
    out = []
    for am in R._ALIAS.finditer(text):
        a0 = am.start()
        if am.group("intro") or a0 in ends or a0 - 1 in ends or a0 - 2 in ends:
            out.append(am)
    return out


ALIAS_ROWS = [
    # (text, mention ends) — real fragments first
    ("Chương trình mục tiêu quốc gia (sau đây gọi tắt là Chương trình MTQG) và (CTMTQG)", {30}),
    ("Quyết định số 1215/QĐ-TTg (Đề án 1215) (gọi là Đề án) ( viết tắt là  ĐA 06 )", {25}),
    ("(sau đây gọi tắt là (lồng) X) (gọi chung là Y;) (a)", set()),
    ("Kế hoạch (KH 23) ((gọi tắt là KH 23))", {8, 17}),
    ("((( )))(", {0, 1, 2}),
    ("(Sau đây gọi tắt là Đề án 06)", set()),    # capital "Sau": the intro is lower case
]


@pytest.mark.parametrize(("text", "ends"), ALIAS_ROWS)
def test_alias_matches_are_the_finditer_filter(text, ends):
    got = [(m.span(), m.groups()) for m in R._alias_matches(text, ends)]
    assert got == [(m.span(), m.groups()) for m in _plain_alias_matches(text, ends)]


def test_alias_matches_random_strings():
    rnd = random.Random(5)
    pieces = ["(", ")", "(", " ", "gọi tắt là ", "sau đây ", "Đề án 06", "\n", ";", "x", "viết tắt là"]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        ends = {rnd.randint(0, len(text) + 2) for _ in range(rnd.randint(0, 4))}
        got = [(m.span(), m.groups()) for m in R._alias_matches(text, ends)]
        assert got == [(m.span(), m.groups()) for m in _plain_alias_matches(text, ends)], (text, ends)


def test_alias_matches_on_corpus():
    rnd = random.Random(9)
    for text in _corpus_texts(40):
        ends = set(rnd.sample(char_positions(text, "("), min(20, text.count("(")))) | {len(text) // 2}
        got = [m.span() for m in R._alias_matches(text, ends)]
        assert got == [m.span() for m in _plain_alias_matches(text, ends)]


# --------------------------------------------------------------------------------------------
# _original_span, _segment's cut list
# --------------------------------------------------------------------------------------------


def test_original_span_is_the_method():
    clean = clean_text("a **b** c\n\n*d*  e __f__ g")
    n = len(clean.text)
    for a in range(n + 1):
        for b in range(a, n + 1):
            assert R._original_span(clean, a, b) == clean.original_span(a, b), (a, b)
    for a, b in ((-1, 2), (2, 1), (0, n + 1)):
        with pytest.raises(ValueError):
            R._original_span(clean, a, b)


def test_segment_cuts_are_the_sorted_union():
    texts = ["a; b.\n\nC | d;\n- e: f;g.", ";;;", "", "x|;|;"]
    for text in texts + _corpus_texts(20):
        units = R._segment(text, text, (1, 5, len(text) // 2))
        assert units.cuts == sorted(units.paraset.union(char_positions(text, ";")))
        assert units.paras == sorted(units.paraset)


# --------------------------------------------------------------------------------------------
# numbers: the match built through its slots, the cached canonical spelling
# --------------------------------------------------------------------------------------------


NUMBER_ROWS = [
    "Quyết định số 1591/QĐ-TTg ngày 01/6/2021",
    "Chỉ thị số 28-CT/TW và Kế hoạch 76-CTR/TU",
    "Thông tư 27/CTTg, Nghị định 56/2017/NĐ-CP",
    "2033 /QĐ-UBND, 75/KH- UBND; 132- KL/TW",
]


@pytest.mark.parametrize("text", NUMBER_ROWS)
def test_number_matches_equal_the_constructed_ones(text):
    reg = load_registry()
    got = N.find_numbers(text, registry=reg)
    assert got
    for nm in got:
        p = N.parse_number(nm.raw, registry=reg)
        built = N.NumberMatch(nm.start, nm.end, nm.raw, p.canonical, p)
        assert nm == built and hash(nm) == hash(built) and repr(nm) == repr(built)
        assert N._parse_canonical(nm.raw, reg) == (p, p.canonical)
    assert N._parse_canonical("HIV/AIDS", reg) is None


# --------------------------------------------------------------------------------------------
# _head_hits: the anchor scan against the trie scan it replaces (and the definition)
# --------------------------------------------------------------------------------------------


def _trie_scan_hits(kws: str, head_re, literals) -> list[tuple[int, int, str]]:
    """The round-3 form: the literals' trie searched at every offset, kept at word starts."""
    trie, litset, lens = R._literal_scan(literals)
    out = []
    pos = 0
    while True:
        t = trie.search(kws, pos)
        if t is None:
            return out
        i = t.start()
        pos = i + 1
        if i and R._is_letter(kws[i - 1]):
            continue
        if t.group(1) in litset:
            out.append((t.start(), t.end(), t.group(1)))
            continue
        for L in lens:
            if kws[i:i + L] in litset and (i + L >= len(kws) or not kws[i + L].isalpha()):
                m = head_re.match(kws, i)
                if m is not None:
                    out.append((m.start(), m.end(), m.group(1)))
                break


def _reference_hits(kws: str, head_re, literals) -> list[tuple[int, int, str]]:
    """The definition (as in test_references_index): the head pattern at each word start where
    a literal (single spaces) starts and ends a word."""
    out = []
    for i in range(len(kws)):
        if i and kws[i - 1].isalpha():
            continue
        if any(kws.startswith(lit, i) and (i + len(lit) >= len(kws) or not kws[i + len(lit)].isalpha())
               for lit in literals):
            m = head_re.match(kws, i)
            if m is not None:
                out.append((m.start(), m.end(), m.group(1)))
    return out


def _hits(kws: str, head_re, literals) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(1)) for m in R._head_hits(kws, head_re, literals)]


HEAD_ROWS = [
    # real key fragments first; then names glued, nested, split by odd white space
    "căn cứ quyết định số 1591/qđ-ttg; kế hoạch hành động quốc gia; luật trẻ em",
    "chương trình phối hợp đồng bộ; quy chế  phối hợp; bộ luật hình sự",
    "quyếtđịnh quyết định, quy định,quy hoạch; kếtluận kết luận kế hoạch",
    "(luật)“luật” 2luật _luật luật² pháp luật phápluật",
    "nghị quyết liên tịch số 1, nghị quyết\xa0liên tịch, thông tư\u2009liên tịch",
    "hiến pháp, hiệp định, điều lệ, đề án, tờ trình, văn bản hợp nhất, dự án",
    "",
    "ế ậ q ô ề",
]


def test_head_hits_rows_and_random_strings():
    reg = load_registry()
    head_re, literals, _ = R._patterns(reg.type_names, reg.by_name_types)
    for kws in HEAD_ROWS:
        assert _hits(kws, head_re, literals) == _trie_scan_hits(kws, head_re, literals) \
            == _reference_hits(kws, head_re, literals), kws
    rnd = random.Random(13)
    pieces = [*literals, *{lit.split(" ")[0] for lit in literals}, " ", "  ", "\xa0", "(", "1", "_", "a", "ế",
              "t", ",", "quy", "kế", "hoạch", "đ"]
    for _ in range(3000):
        kws = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        assert _hits(kws, head_re, literals) == _trie_scan_hits(kws, head_re, literals), kws


def test_head_hits_on_corpus():
    reg = load_registry()
    head_re, literals, _ = R._patterns(reg.type_names, reg.by_name_types)
    for text in _corpus_texts(49):
        kws = R.fold_key(text).replace("\n", " ").replace("\t", " ").replace("\r", " ")
        assert _hits(kws, head_re, literals) == _trie_scan_hits(kws, head_re, literals)


def test_anchor_offsets_name_the_anchor_letters():
    reg = load_registry()
    _, literals, _ = R._patterns(reg.type_names, reg.by_name_types)
    _, offsets = R._anchor_scan(literals)
    firsts = {lit.split(" ")[0] for lit in literals}
    picks = R._pick_anchors(sorted(firsts))
    assert {w[k] for w, k in picks.items()} == set(offsets)
    for w, k in picks.items():
        assert k in offsets[w[k]]


# --------------------------------------------------------------------------------------------
# _word_before
# --------------------------------------------------------------------------------------------


def _plain_word_before(before: str):
    m = R._WORD_BEFORE.search(before)
    return m.group(1) if m else None


WORD_BEFORE_ROWS = ["căn cứ ", "Ủy ban Dân ", "pháp\n", "x² ", "x1 ", "_ab ", "  ", "", "ab", "ab cd  ",
                    "ab\xa0", "Theo\u2009", "ab \n", "số\n "]


def test_word_before_is_the_pattern():
    for before in WORD_BEFORE_ROWS:
        assert R._word_before(before) == _plain_word_before(before), repr(before)
    rnd = random.Random(17)
    alphabet = "aĐ1_² \n\t\xa0.,"
    for _ in range(5000):
        before = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert R._word_before(before) == _plain_word_before(before), repr(before)

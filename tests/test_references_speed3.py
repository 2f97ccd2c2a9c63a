"""Round-3 speed rewrites of the reference reader, checked against their plain definitions.

Each fast form must give what the form it replaced gives: ``_word_occurrences`` (a
``str.find`` loop) against the look-behind pattern ``finditer`` that ``_aliases`` ran over the
whole text for every alias; the own-number test's running-number pre-check against the plain
key comparison. Rows are text fragments, some from the corpus; corpus-wide checks skip when
``../shared`` is absent."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from graph.extract import references as R
from graph.registry import load_registry

SHARED = Path(__file__).resolve().parents[2] / "shared"
DOCS = SHARED / "corpus" / "documents"


def _plain_occurrences(text: str, word: str) -> list[tuple[int, int]]:
    pat = re.compile(r"(?<![^\W\d_])" + re.escape(word) + r"(?![^\W\d_])")
    return [(m.start(), m.end()) for m in pat.finditer(text)]


OCC_ROWS = [
    # (text, alias) — real fragments first
    ("(sau đây gọi tắt là Chỉ thị số 14-CT/TW). Thực hiện Chỉ thị số 14-CT/TW, các bộ", "Chỉ thị số 14-CT/TW"),
    ("(gọi tắt là Ban Chỉ đạo quốc gia 1237); Ban Chỉ đạo quốc gia 1237 có", "Ban Chỉ đạo quốc gia 1237"),
    ("Đề án 06 và Đề án 061, Đề án 06x, _Đề án 06_, 2Đề án 06", "Đề án 06"),
    ("Chương trình MTQGChương trình MTQG Chương trình MTQG", "Chương trình MTQG"),
    ("aaaa aaaaa aaaa", "aaaa"),                 # overlapping occurrences: leftmost, then after it
    ("abab ababab abab", "abab"),
    ("Kế hoạch 1215\nKế hoạch 1215²", "Kế hoạch 1215"),
    ("", "Đề án 06"),
]


@pytest.mark.parametrize(("text", "word"), OCC_ROWS)
def test_word_occurrences_is_the_lookbehind_scan(text, word):
    assert R._word_occurrences(text, word) == _plain_occurrences(text, word)


def test_word_occurrences_random_strings():
    rnd = random.Random(7)
    alphabet = "ab _1²ĐđÀ\n-"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        word = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 3)))
        assert R._word_occurrences(text, word) == _plain_occurrences(text, word), (text, word)


def test_word_occurrences_on_corpus_aliases():
    if not DOCS.is_dir():
        pytest.skip(f"shared corpus not found at {DOCS}")
    n = 0
    for p in sorted(DOCS.glob("*.txt"))[:60]:
        text = p.read_text(encoding="utf-8")
        for am in R._ALIAS.finditer(text):
            alias = " ".join(am.group(2).split())
            if len(alias) >= 4:
                assert R._word_occurrences(text, alias) == _plain_occurrences(text, alias), (p.name, alias)
                n += 1
    assert n > 0


def test_own_number_precheck_is_the_key_comparison():
    from graph.extract.numbers import parse_number, using_registry

    reg = load_registry()
    spellings = ["377/KH-UBND", "0377/KH-UBND", "377/KH-UBND.", "377/QĐ-UBND", "28-CT/TW", "28/CT-TW",
                 "1591/QĐ-TTg", "01591/QĐ-TTG", "56/2017/NĐ-CP", "102/2016/QH13", "23/LĐTBXH-TE"]
    parsed = [parse_number(s, registry=reg) for s in spellings]
    with using_registry(reg):
        for a in parsed:
            for b in parsed:
                own_key = b.key
                assert (int(a.number) == own_key[0] and a.key == own_key) == (a.key == own_key)


# ------------------------------------------------------------------------------------------
# dates.date_covering (the first find_dates date covering an offset; fast numeric/formal path)
# ------------------------------------------------------------------------------------------

def _plain_covering(text: str, pos: int):
    from graph.extract.dates import find_dates

    return next((d for d in find_dates(text) if d[0] <= pos < d[1]), None)


DATE_ROWS = [
    # (window as _attributes cuts it, offset of the lead's end) — real windows first
    (" ngày 27/7/2015 của Thủ tướng Chính phủ về việc phê", 6),
    (" ngày 06/12/2018;\n753/QĐ- BKHCN ngày 29/4/2025", 6),
    ("\nngày 30 tháng 9 năm 2013 của Thủ tướng Chính phủ về", 6),
    (" ngày\n19 tháng 7 năm 2017 của Ban Bí thư", 6),
    (" NGÀY 15 THÁNG 6 NĂM 2018", 6),
    (" ngày 27 năm 12 năm 2019 của\nchính phủ về sửa ", 6),     # no date: find_dates gives none
    ("ngày 31/2/2024 và 1/3/2024", 5),                          # not a calendar date
    ("12/3/2020 ký", 0),                                        # the lead is empty
    ("may 17, 2025 và 17/5/2025", 4),                           # an English month before: slow path
    (" 1 2/3/2020", 1),                                         # "1 2" is no numeric day
    (" 1 2 tháng 3 năm 2020", 1),                               # a day split by a space (formal form)
    ("x1/2/2020", 1),                                           # a letter before the digit
    ("ngàyx 5 tháng 6 năm 2020", 6),
    ("angày 5 tháng 6 năm 2020", 6),                            # "ngày" inside a word: date starts at 5
    (" ngày  \n  5 tháng 6 năm 2020", 11),
    ("12.3.2020.5", 0),
    ("", 0),
    ("abc", 5),
]


@pytest.mark.parametrize(("text", "pos"), DATE_ROWS)
def test_date_covering_is_the_first_covering_find_dates_date(text, pos):
    from graph.extract.dates import date_covering

    assert date_covering(text, pos) == _plain_covering(text, pos)


def test_date_covering_random_windows():
    from graph.extract.dates import date_covering

    rnd = random.Random(11)
    parts = ["ngày", "NGÀY", " ", "\n", "1", "2", "3", "0", "/", ".", "-", "tháng", "năm", "2020", "1999", "may",
             "Dec", ",", "x", "đ"]
    for _ in range(4000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 12)))
        for pos in range(len(text) + 1):
            assert date_covering(text, pos) == _plain_covering(text, pos), (text, pos)


# ------------------------------------------------------------------------------------------
# ReferenceMention built by a __dict__ update
# ------------------------------------------------------------------------------------------

def test_mentions_built_without_the_constructor_equal_constructed_ones():
    import dataclasses

    from graph.extract.references import extract_references
    from graph.ingest.parse import parse_document
    from graph.models import ReferenceMention
    from tests.conftest import MAIN_DOC

    if not MAIN_DOC.is_file():
        pytest.skip(f"{MAIN_DOC} not found")
    assert R._PLAIN_MENTION  # the model is a plain dataclass: the fast path is in use
    from graph.ingest.readers import read_source

    doc = parse_document(read_source(MAIN_DOC))
    got = extract_references(doc, load_registry())
    assert got
    for r in got:
        rebuilt = ReferenceMention(**{f.name: getattr(r, f.name) for f in dataclasses.fields(ReferenceMention)})
        assert r == rebuilt and repr(r) == repr(rebuilt) and vars(r) == vars(rebuilt)
        assert list(vars(r)) == list(vars(rebuilt))
        assert hash(dataclasses.astuple(r)) == hash(dataclasses.astuple(rebuilt))
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.surface = "x"


def test_plain_dataclass_guard():
    from dataclasses import dataclass

    @dataclass
    class Plain:
        a: int
        b: str = ""

    @dataclass
    class Checked:
        a: int

        def __post_init__(self):
            raise ValueError

    @dataclass(slots=True)
    class Slotted:
        a: int

    assert R._plain_dataclass(Plain, ("a", "b"))
    assert not R._plain_dataclass(Plain, ("b", "a"))
    assert not R._plain_dataclass(Checked, ("a",))
    assert not R._plain_dataclass(Slotted, ("a",))
    assert not R._plain_dataclass(int, ())


def test_date_covering_on_corpus_windows():
    from graph.extract.dates import date_covering
    from graph.ingest.text import clean_text

    if not DOCS.is_dir():
        pytest.skip(f"shared corpus not found at {DOCS}")
    lead = re.compile(r"(?:ngày|NGÀY|Ngày)\s*(?=\d)")
    n = 0
    for p in sorted(DOCS.glob("*.txt"))[:60]:
        text = clean_text(p.read_text(encoding="utf-8")).text
        for m in lead.finditer(text):
            d = m.end()
            lo = max(0, d - 6)
            w = text[lo:d + 40]
            assert date_covering(w, d - lo) == _plain_covering(w, d - lo), (p.name, w)
            n += 1
    assert n > 100


# ------------------------------------------------------------------------------------------
# resolve._mode against Counter.most_common
# ------------------------------------------------------------------------------------------

MODE_ROWS = [
    ["Quyết định"],
    ["Quyết định", "Quyết định", "Quyết định"],
    ["2015-07-27", "2015-07-28"],                  # a tie: the first seen
    ["2015-07-28", "2015-07-27", "2015-07-27"],
    ["1591/QĐ-TTg", "1591/QĐ-TTG", "1591/QĐ-TTG", "1591/QĐ-TTg"],
    ["a", "b", "c", "b", "c", "a"],
]


@pytest.mark.parametrize("values", MODE_ROWS)
def test_mode_is_most_common(values):
    from collections import Counter

    from graph.resolve import _mode

    assert _mode(values) == Counter(values).most_common(1)[0][0]


def test_mode_random_lists():
    from collections import Counter

    from graph.resolve import _mode

    rnd = random.Random(3)
    for _ in range(3000):
        values = [rnd.choice("abcd") for _ in range(rnd.randint(1, 8))]
        assert _mode(values) == Counter(values).most_common(1)[0][0], values


# ------------------------------------------------------------------------------------------
# _cut_at_known_law: only prefixes short enough to be a known name, looked up in a set
# ------------------------------------------------------------------------------------------

def _plain_cut(text, kws, pos, words, tname, law_names):
    from graph.ingest.text import fold_key

    body = [" ".join(kws[a:b].split()) for a, b in words]
    head = fold_key(tname)
    for n in range(len(words) - 1, 0, -1):
        if head + " " + " ".join(body[:n]) in law_names:
            gap = text[words[n - 1][1]:words[n][0]]
            nxt_word = text[words[n][0]:words[n][1]]
            if ("," in gap or body[n] == "và") and (nxt_word[:1].islower() or body[n] == "và" and n + 1 < len(words)
                                                   and text[words[n + 1][0]].islower()):
                return words[:n]
            break
    return words


LAW_ROWS = [
    ("Luật", "Luật Ngân sách nhà nước và phân cấp ngân sách"),
    ("Luật", "Luật Ngân sách nhà nước, nguồn chi thường xuyên"),
    ("Luật", "Luật Tổ chức chính quyền địa phương, Luật Sửa đổi"),
    ("Luật", "Luật Trẻ em và các văn bản hướng dẫn"),
    ("Luật", "Luật Trẻ em"),
    ("Bộ luật", "Bộ luật Lao động và Luật Việc làm"),
    ("Luật", "Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân và các luật khác có liên quan"),
    ("Luật", "Luật  Phòng,\nchống ma túy, nghiện ma túy"),
]


@pytest.mark.parametrize(("tname", "text"), LAW_ROWS)
def test_cut_at_known_law_is_the_plain_scan(tname, text):
    from graph.ingest.text import fold_key

    reg = load_registry()
    kws = fold_key(text).replace("\n", " ")
    pos = len(tname)
    words = [(m.start(), m.end()) for m in R._WORD.finditer(text, pos)]
    for k in range(2, len(words) + 1):
        ws = words[:k]
        assert R._cut_at_known_law(text, kws, pos, ws, tname, reg.law_names) == \
            _plain_cut(text, kws, pos, ws, tname, reg.law_names)
    # every known name read one word too far, with a lower-case word after a comma / "và"
    for name in reg.law_names[:20]:
        for tail in (", nguồn chi", " và các luật"):
            t = name[:1].upper() + name[1:] + tail
            head = "Bộ luật" if name.startswith("bộ luật") else "Luật"
            k2 = fold_key(t)
            ws = [(m.start(), m.end()) for m in R._WORD.finditer(t, len(head))]
            assert R._cut_at_known_law(t, k2, len(head), ws, head, reg.law_names) == \
                _plain_cut(t, k2, len(head), ws, head, reg.law_names)


def test_cue_key_cached_is_plain():
    for phrase in ("căn cứ", "v/v thực hiện", "về việc  triển khai", "Về việc thực hiện", "xét"):
        plain = re.sub(r"^(?:v/v|về việc) ", "", " ".join(phrase.split()))
        assert R._cue_key(phrase) == plain

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

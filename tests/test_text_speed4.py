"""Speed round 4, graph.ingest.text: the table lookups (numpy) against the definitions they replace.

- ``_specials_in(s)`` == ``set(_special().findall(s))``
- ``_lower(s)`` == ``s.lower()`` (or, when that changes the length, each character's one-character
  lower case and the character itself elsewhere: the rule ``fold_key`` had inline)
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.ingest import text as T

SHARED = Path(__file__).resolve().parents[2] / "shared"
BULK = SHARED / "corpus" / "bulk" / "documents"

_BMP = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)


def _lower_by_definition(s: str) -> str:
    low = s.lower()
    if len(low) != len(s):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in s)
    return low


def test_special_table_is_the_class_on_every_bmp_character():
    table = T._special_table()
    rx = T._special()
    for c in range(0x10000):
        assert bool(table[c]) == (rx.match(chr(c)) is not None), hex(c)


@pytest.mark.parametrize("text", [
    _BMP,                                           # every BMP character (long: the table path)
    "Điều 1. **Phạm vi** điều chỉnh\u00a0" * 200,   # crawled markdown, a no-break space
    "Quye\u0301t đi\u0323nh " * 300,                # NFD marks (the slow path is chosen from this set)
    "a\r\nb\t" * 600,
    "x" * 3000 + "\U0001f600",                      # beyond the BMP: the regex
    "x" * 3000 + "\ud800",                          # a lone surrogate (never special)
    "ngắn *x*",                                     # short: the regex
    "",
])
def test_specials_in_is_the_set_of_findall(text):
    assert T._specials_in(text) == set(T._special().findall(text))


def test_specials_in_on_random_texts():
    r = random.Random(4)
    pool = "ab Đệ*\u00a0\u0301\u0300\r\n\t\u200b\u00ad\u2003\ufeff\ud800\U0001f600\u3000"
    for _ in range(300):
        s = "".join(r.choice(pool) for _ in range(r.randint(T._TABLE_MIN - 5, T._TABLE_MIN + 5)))
        assert T._specials_in(s) == set(T._special().findall(s)), repr(s)


@pytest.mark.parametrize("text", [
    _BMP.replace("\u03a3", ""),                     # every BMP character but the sigma; "İ" in it
    "ỦY BAN NHÂN DÂN TỈNH " * 200,
    "ΟΔΟΣ ΟΔΟΣ. " * 300,                            # capital sigma: str.lower picks "ς" at a word end
    "İSTANBUL " * 300,                              # lower case of two characters: one by one
    "x" * 3000 + "\ud800A",                         # a lone surrogate: str.lower
    "x" * 3000 + "\U00010400",                      # beyond the BMP (Deseret capital): str.lower
    "Ngắn",
])
def test_lower_is_the_definition(text):
    assert T._lower(text) == _lower_by_definition(text)
    assert len(T._lower(text)) == len(text)


def test_fold_key_of_long_text():
    s = "Ủy Ban Nhân Dân tỉnh Khánh Hòa; HOÀ BÌNH, khoẻ, QUÝ, thuỷ " * 100
    assert len(s) >= T._TABLE_MIN
    assert T.fold_key(s) == "ủy ban nhân dân tỉnh khánh hòa; hòa bình, khỏe, quý, thủy " * 100


@pytest.mark.skipif(not BULK.is_dir(), reason=f"bulk corpus not found at {BULK}")
def test_on_the_bulk_corpus():
    from graph.ingest.readers import read_source

    for p in sorted(BULK.glob("*.*"))[::3]:
        s = read_source(p).text
        assert T._specials_in(s) == set(T._special().findall(s)), p.name
        assert T._lower(s) == _lower_by_definition(s), p.name

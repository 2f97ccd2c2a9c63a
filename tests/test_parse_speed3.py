"""Fast paths of the parse stage (third speed round) against the definitions they replace.

Each fast path of ``graph.ingest.text`` / ``graph.ingest.parse`` is checked here against its
plain definition (written out in this file, or the module's first version of the helper), on
real fragments of the corpus (file named in the comment: bulk = ../shared/corpus/bulk/documents),
on edge cases and, where the corpus is present, on every corpus document.
"""

from __future__ import annotations

import random
from array import array
from pathlib import Path

import pytest

from graph.ingest import text as T
from graph.ingest.text import _clean_slow, clean_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
BULK = SHARED / "corpus" / "bulk" / "documents"


def _corpus_texts(limit: int | None = None) -> list[str]:
    if not BULK.is_dir():
        pytest.skip(f"shared corpus not found at {BULK} (tests on real documents need ../shared)")
    files = sorted(BULK.glob("*.md"))[:limit]
    return [f.read_text(encoding="utf-8") for f in files]


# ---------------------------------------------------------------------------------------------
# clean_text: the offset map as byte runs of a shared array
# ---------------------------------------------------------------------------------------------

def _clean_definition(original: str):
    """clean_text's fast path written out character by character (no combining mark, no CR):
    drop the characters of _DROP, map the odd spaces to " ", keep every other character and its
    offset; the map ends with len(original)."""
    kept = [(i, c) for i, c in enumerate(original) if c not in T._DROP]
    text = "".join(" " if ord(c) in T._SPACES else c for _, c in kept)
    return text, [i for i, _ in kept] + [len(original)]


CLEAN_ROWS = [
    "",
    "*",
    "**",
    "a",
    "**KẾ HOẠCH**",                                         # bulk: crawled bold heading
    "*Cần Thơ, ngày 21 tháng 11 năm 2025*",                 # bulk: italic place-and-date line
    "Số: 377/KH\u00a0UBND",
    "**Số hiệu:**\n\n|\n\n377/KH-UBND\n\n|\n\n",             # bulk: crawled portal table
    "a\u200bb*c\ufeffd",                                     # several characters to drop
    "\u00ad*\u200b",                                         # nothing kept
    "x\t\u3000*y*",
    "Điều 1.** **Phê duyệt",
]


@pytest.mark.parametrize("original", CLEAN_ROWS)
def test_clean_text_matches_its_definition(original):
    c = clean_text(original)
    text, omap = _clean_definition(original)
    assert c.text == text
    assert list(c.to_original) == omap
    assert isinstance(c.to_original, array) and c.to_original.typecode == "i"
    slow = _clean_slow(original)
    assert (slow.text, list(slow.to_original)) == (text, omap)


def test_clean_text_map_on_random_texts():
    rnd = random.Random(3)
    alphabet = list("ab *\u200b\ufeff\u00ad\u00a0\t\nĐđ") + ["**"]
    for _ in range(3000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 40)))
        c = clean_text(s)
        assert (c.text, list(c.to_original)) == _clean_definition(s), repr(s)


def test_clean_text_longer_than_the_shared_offsets():
    n = T._OFFSETS_CAP + 10
    s = ("ab*" * (n // 3 + 1))[:n]
    c = clean_text(s)
    text, omap = _clean_definition(s)
    assert c.text == text and list(c.to_original) == omap
    plain = clean_text("x" * n)
    assert list(plain.to_original) == list(range(n + 1))


def test_offset_map_type():
    assert T.offset_map([0, 1, 2]).typecode == "i"
    assert T.offset_map(range(3)) == array("i", [0, 1, 2])
    assert T.offset_map([2 ** 40]).typecode == "q"
    assert list(T.offset_map([])) == []


def test_clean_text_on_the_corpus():
    for s in _corpus_texts(60):
        c = clean_text(s)
        if "\r" in s:
            continue
        text, omap = _clean_definition(s)
        assert c.text == text
        assert c.to_original == array("i", omap)

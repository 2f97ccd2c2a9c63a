"""Speed paths of :mod:`graph.extract.tasks` (fifth pass) give the answers of the code they replace.

Each fast path is checked against the definition it replaces (written out here as it was before),
on edge cases (real fragments of ``../shared/corpus``, file named in the row) and on ranges of
bulk documents; the corpus-level comparisons are skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import bisect
import random
from operator import attrgetter
from pathlib import Path

import pytest

import graph.extract.tasks as T
from graph.extract.agencies import clean_surface, document_hits, extract_agencies
from graph.ingest.parse import parse_document
from graph.ingest.readers import read_source
from graph.ingest.text import collapse_ws

SHARED = Path(__file__).resolve().parents[2] / "shared"
BULK = SHARED / "corpus" / "bulk" / "documents"


# --------------------------------------------------------------------------------------------
# The definitions the speed paths replace (as they were before this pass)
# --------------------------------------------------------------------------------------------

def _ref_words(text):
    return T._BULLET_HEAD.sub("", clean_surface(text)).split()


def _ref_summary(text, max_words=12):
    words = None
    if len(text) > T._SUMMARY_HEAD:
        words = _ref_words(text[:T._SUMMARY_HEAD])
        if len(words) < max_words + 2:
            words = None
    if words is None:
        words = _ref_words(text)
    out = []
    for w in words:
        out.append(w)
        if len(out) >= max_words:
            break
        if w != "." and w.endswith(".") and len(out) >= 4:
            break
    return T._END_MARK.sub("", " ".join(out)).rstrip(" ,;:.")


def _ref_between(H, a, b):
    i = bisect.bisect_left(H.starts, a)
    out = []
    while i < len(H.hits) and H.hits[i].start < b:
        if H.hits[i].end <= b:
            out.append(H.hits[i])
        i += 1
    return out


def _ref_hits(hits):
    hits = sorted(hits, key=attrgetter("start"))
    first = {}
    for h in hits:
        first.setdefault(h.start, h)
    return hits, [h.start for h in hits], first


# --------------------------------------------------------------------------------------------
# Edge cases
# --------------------------------------------------------------------------------------------

SUMMARY_CASES = [
    # the end-of-text mark (Decree 30/2020/NĐ-CP Appendix I), corpus documents 016 and 103
    "Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này./.",
    "thi hành Quyết định này./",
    "thi hành Quyết định này. /.",
    "a ./. b ./.",
    "./.",
    # bullets and markup before the first word
    "- - * | Tổ chức triển khai thực hiện",
    "\n\n–  • ~ Rà soát, hoàn thiện",
    "   ",
    "",
    "x" * 300 + " ./.",
    "- " + "Tổ chức triển khai thực hiện " * 20,
    "Một hai ba bốn năm sáu bảy tám chín mười mười_một mười_hai" + "*" * 300 + "tiếp",
]


@pytest.mark.parametrize("text", SUMMARY_CASES)
def test_words_and_summary_as_the_plain_reading(text):
    assert T._words(text) == _ref_words(text)
    assert T._summary(text) == _ref_summary(text)


def test_summary_does_not_fill_the_surface_cache():
    """Task texts are read with the uncached ``clean_surface`` (the cache keeps agency surfaces)."""
    text = "Sở Y tế chủ trì tổ chức triển khai kế hoạch số 999 của một văn bản chưa từng đọc"
    before = clean_surface.cache_info().currsize
    T._summary(text)
    assert clean_surface.cache_info().currsize == before


@pytest.mark.parametrize("starts", [[], [0], [0, 0, 5], [3, 1, 2, 1], [5, 4, 4, 0], [1, 2, 2, 2, 9]])
def test_hits_index_as_the_sorted_reading(starts):
    hits = [T.Hit(s, s + 3, f"h{i}", f"h{i}") for i, s in enumerate(starts)]
    H = T._Hits(None, list(hits))
    ref_hits, ref_starts, ref_first = _ref_hits(hits)
    assert H.hits == ref_hits and H.starts == ref_starts
    assert H._first == ref_first
    assert all(H._first[s] is ref_first[s] for s in ref_first)  # the first hit of each start, itself
    for a in range(-1, 12):
        for b in range(a - 1, 14):
            assert H.between(a, b) == _ref_between(H, a, b), (a, b)


# --------------------------------------------------------------------------------------------
# Real documents
# --------------------------------------------------------------------------------------------

def _bulk_docs(n: int):
    if not BULK.is_dir():
        pytest.skip(f"bulk corpus not found at {BULK} (tests on real documents need ../shared)")
    files = sorted(BULK.glob("*.md"))
    step = max(1, len(files) // n)
    return [parse_document(read_source(f)) for f in files[::step][:n]]


@pytest.fixture(scope="module")
def bulk():
    out = []
    for doc in _bulk_docs(12):
        extract_agencies(doc)
        out.append((doc, T._Extractor(doc)))
    return out


def test_hits_index_on_real_documents(bulk):
    for doc, ex in bulk:
        hits = document_hits(ex.ctx)
        ref_hits, ref_starts, ref_first = _ref_hits(hits)
        H = ex.H
        assert H.hits == ref_hits and H.starts == ref_starts, doc.source.path
        assert all(H._first[s] is ref_first[s] for s in ref_first) and H._first.keys() == ref_first.keys()


def test_between_on_real_documents(bulk):
    rng = random.Random(3)
    for doc, ex in bulk:
        H = ex.H
        n = len(ex.key)
        edges = sorted({h.start for h in H.hits} | {h.end for h in H.hits} | {0, n})
        for _ in range(400):
            a = rng.choice(edges) + rng.choice((-1, 0, 0, 1))
            b = a + rng.choice((0, 5, 40, 200, 1000))
            assert H.between(a, b) == _ref_between(H, a, b), (doc.source.path, a, b)


def test_summary_on_real_ranges(bulk):
    rng = random.Random(5)
    for doc, _ex in bulk:
        text = doc.clean.text
        n = len(text)
        for _ in range(500):
            a = rng.randrange(n)
            b = min(n, a + rng.choice((5, 40, 200, 900)))
            assert T._summary(text[a:b]) == _ref_summary(text[a:b]), (doc.source.path, a, b)
            assert collapse_ws(text[a:b]) == " ".join(text[a:b].split())  # Task.text
        tail = text[max(0, n - 300):]  # the document's last sentence, often with "./."
        assert T._summary(tail) == _ref_summary(tail)

"""The fourth round of fast paths of :mod:`graph.extract.agencies` give what the definitions they
replace give (edge cases written in, fragments of the ``../shared/corpus`` documents when it is
there, and random texts).

- ``_UnionTrie.scan`` reads the union trie only right after a character that is no word
  character (one regex scan with ``after_gap``), instead of trying it at every letter that
  begins a prefix and testing the word boundary afterwards: checked against that definition
  (written out below).
- ``_trie_regex`` writes an optional branch as an empty last alternative instead of ``(…)?``:
  checked against the ``?`` form on every prefix of the texts.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from graph.agency_registry import load_agency_registry
from graph.extract import agencies as ag
from graph.ingest.text import fold_key

SHARED = Path(__file__).resolve().parents[2] / "shared"
BULK = SHARED / "corpus" / "bulk" / "documents"

EDGE = [
    "", "b", "ban", " ban", "_ban", "xban", "ban ", "\nban chỉ đạo", "sở", "các sở, ban, ngành",
    "ủy ban nhân dân tỉnh", "ubnd tỉnh; hđnd", "(sở y tế)", "-các bộ", "|vp ubnd|", "**ban quản lý**",
    "\U00010400ban ubnd",  # an astral letter before a head: not a word start
    "\U0001F600ban ubnd",  # an astral symbol before it: a word start
    "\u00a0sở tài chính\u2003các sở", "1ban 2ubnd _ubnd ubnd_ ubnd", "tt ub nhân dân; tt. ub, nhân dân",
    "\ud800ban",  # a lone surrogate is no word character
]


def _scan_definition(u: ag._UnionTrie, k: str) -> tuple:
    """``_UnionTrie.scan`` as written before: ``path`` searched from every position, a match kept
    where it starts at a word start."""
    mp, mf, gp, cp = [], [], [], []
    p = 0
    while True:
        m = u.path.search(k, p)
        if m is None:
            break
        s = m.start()
        p = s + 1
        if s and (k[s - 1].isalnum() or k[s - 1] == "_"):
            continue
        read = m.group()
        info = u.closure.get(read)
        if info is None:
            info = u.closure.get(" ".join(read.split()))
            if info is None:
                continue
        main, gen, coll = info
        if main:
            mp.append(s)
            mf.append(main)
        if gen:
            gp.append(s)
        if coll:
            cp.append(s)
    return mp, mf, gp, cp


def _union() -> ag._UnionTrie:
    u = ag._matcher(load_agency_registry()).index.union
    assert u is not None and u.after_gap is not None
    return u


def _texts() -> list[str]:
    out = [ag.match_key(fold_key(t)) for t in EDGE]
    if BULK.is_dir():
        for f in sorted(BULK.iterdir())[::40]:
            out.append(ag.match_key(fold_key(f.read_text(encoding="utf-8", errors="replace")[:20000])))
    rnd = random.Random(4)
    alphabet = ["ban", "sở", "ubnd", "các", "ủy", "tt", "vp", "hội", " ", "\n", ",", "-", "_", "x", "đ",
                "chỉ đạo", "nhân dân", "\U00010400", "|", "*", "1"]
    for _ in range(300):
        out.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))))
    return out


def _tup(d: ag._DocScan) -> tuple:
    return d.main_pos, d.main_forms, d.generic, d.collective


@pytest.mark.parametrize("k", _texts())
def test_union_scan_same_as_definition(k):
    u = _union()
    assert _tup(u.scan(k)) == _scan_definition(u, k)


def test_after_gap_set_is_every_non_word_character():
    rx = re.compile(ag._after_gap())
    for c in range(0x10000):
        ch = chr(c)
        assert bool(rx.fullmatch(ch)) == (not (ch.isalnum() or ch == "_")), hex(c)
    assert rx.fullmatch("\U00010400") and rx.fullmatch("\U0001F600")  # a superset above U+FFFF


def _trie_regex_definition(strings, accept, node: str = "") -> str:
    """``_trie_regex`` as written before (an optional branch as ``(?:…)?``)."""
    first: dict[str, list[str]] = {}
    for x in strings:
        if x:
            first.setdefault(x[0], []).append(x[1:])
    alts = []
    for c in sorted(first):
        rest = _trie_regex_definition(first[c], accept, node + c)
        alts.append((r"\s+" if c == " " else re.escape(c)) + rest)
    if not alts:
        return ""
    group = "(?:" + "|".join(alts) + ")"
    return group + "?" if node and not node.endswith(" ") and accept(node) else group


def test_trie_regex_same_matches_as_definition():
    u = _union()
    keys = sorted({x for x in u.closure})
    new = re.compile(ag._trie_regex(keys, lambda y: y in u.closure))
    old = re.compile(_trie_regex_definition(keys, lambda y: y in u.closure))
    for k in _texts()[:60]:
        for p in range(len(k) + 1):
            a, b = new.match(k, p), old.match(k, p)
            assert (a and a.group()) == (b and b.group()), (k, p)

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


# ---------------------------------------------------------------------------------------------
# _generic_end: first-word tests before _SUFFIX, _STOP_RE and _BREAK_RE; _find_generic: the
# cheap word tests first
# ---------------------------------------------------------------------------------------------

NAMES = [
    "Trung tâm Kiểm soát bệnh tật tỉnh Lạng Sơn, Chi cục Thú y thành phố; Ban Tuyên giáo Tỉnh ủy và các",
    "Ban hành kèm theo; Trường Đại học Y Hà Nội chủ trì, phối hợp với Viện Vệ sinh dịch tễ Trung ương",
    "Hội đồng Thi đua - Khen thưởng tỉnh, Hội đồng nhân dân; Văn phòng Đăng ký đất đai\nhuyện Krông Nô",
    "Ban Chỉ đạo về phòng, chống tham nhũng; Tổ công tác, Cục Thuế tp. Hà Nội; Vụ Pháp chế của Bộ",
    "Trường mầm non Hoa Sen; trường học; Ban công tác Mặt trận; Cục trưởng Cục Hải quan tổ chức thực hiện",
]


def _bulk_keys(step: int = 60, limit: int = 30000) -> list[tuple[str, str]]:
    out = [(t, ag.match_key(fold_key(t))) for t in NAMES]
    if BULK.is_dir():
        for f in sorted(BULK.iterdir())[::step]:
            t = f.read_text(encoding="utf-8", errors="replace")[:limit]
            out.append((t, ag.match_key(fold_key(t))))
    return out


def test_first_word_tests_hold_wherever_the_patterns_match():
    for _t, k in _bulk_keys():
        end = len(k)
        for pos in range(end):
            mm = ag._GE_WORD.match(k, pos, end)
            if mm is None:
                continue
            w = mm.group(1)
            ws = mm.start(1)
            if ag._SUFFIX.match(k, pos, end):
                assert w[0] in ag._SUFFIX_FIRST, (k[pos:pos + 30],)
            run = ag._word_run(w)
            if ag._STOP_RE.match(k, ws):
                assert run in ag._STOP_FIRST, (k[ws:ws + 30],)
            if ag._BREAK_RE.match(k, ws, end):
                assert run in ag._BREAK_FIRST, (k[ws:ws + 30],)


def _find_generic_definition(ctx: ag.Context, start: int, end: int, taken) -> list:
    """``_find_generic`` as written before: the tests of a head in their old order."""
    k, t = ctx.key, ctx.text
    hits = []
    covered = ag._Covered(taken)
    for m in ag._capital_generic_heads(ctx, start, end):
        s = m.start()
        if covered(s) or ag._preceding(ctx, s, ag._NOT_HEAD_WORDS):
            continue
        head = m.group(0)
        if ag._HEAD_TITLE_RE.match(k, m.end(), end) or ag._registry_form_at(ctx, s, end):
            continue
        if head == "trường" and not any(k.startswith(w, m.end() + 1) for w in ag._SCHOOL_WORDS):
            continue
        if head == "ban" and not ag._BAN_NAMES.match(k, m.end(), end):
            continue
        e = ag._generic_end(ctx, m.end(), end, head)
        if e is None or not t[m.end():e].split():
            continue
        surface = ag.clean_surface(t[s:e])
        if t[s:m.end()].isupper() and not t[m.end():e].strip()[:3].isupper():
            continue
        if surface.isupper() and len(surface) > 6:
            continue
        if not ag._CAP_OR_DIGIT.search(t[m.end():e]) and head not in (
                "kho bạc nhà nước", "kiểm toán nhà nước", "ngân hàng", "trung tâm", "ban chỉ đạo"):
            continue
        h = ag._generic_hit(ctx, s, e, head, surface)
        if h is not None:
            hits.append(h)
    return hits


def _fields(hits) -> list:
    return [(h.start, h.end, h.surface, h.name, h.collective, h.kind, h.generic) for h in hits]


@pytest.mark.parametrize("n", range(len(NAMES) + 5))
def test_find_generic_same_as_definition(n):
    texts = _bulk_keys(step=60)
    if n >= len(texts):
        pytest.skip("no such bulk document (../shared absent)")
    t, _k = texts[n]
    ctx = ag.make_context(t, fold_key(t), None, load_agency_registry())
    taken = [(h.start, h.end) for h in ag._registry_hits(ctx, 0, len(t), False)]
    cuts = sorted({0, len(t), *range(0, len(t), max(1, len(t) // 7))})
    for a, b in zip(cuts, cuts[1:], strict=False):
        assert _fields(ag._find_generic(ctx, a, b, taken)) == _fields(_find_generic_definition(ctx, a, b, taken))
    assert _fields(ag._find_generic(ctx, 0, len(t), [])) == _fields(_find_generic_definition(ctx, 0, len(t), []))


@pytest.mark.parametrize("k", ["các sở: y tế", "các sở :", "các sở\n:", "các sở  :", "các sở   :", "các sở", "x:", ":", ""])
def test_colon_in_place_same_as_on_the_slice(k):
    # _find_collectives reads the colon after a collective in place (no three-character slice)
    for e in range(len(k) + 2):
        a, b = ag._COLON.match(k, e, e + 3), ag._COLON.match(k[e:e + 3])
        assert (a is None) == (b is None), (k, e)

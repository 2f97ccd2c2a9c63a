"""Per-document indexes of the reference reader, checked against their plain definitions.

``_Units`` (items found on demand from the sorted cuts) must give the items of the eager
definition (one item between consecutive cuts, empty ones skipped, paragraph id = paragraph
cuts before it), and ``_head_hits`` (one trie scan) the hits of "the head pattern at every
word start where a type name, written with single spaces, starts and ends a word". Rows are
tables of text fragments, some from the bulk corpus."""

from __future__ import annotations

from bisect import bisect_right

import pytest

from graph.extract import references as R
from graph.registry import load_registry


def _eager_units(text: str, cuts: list[int], paras: set[int]) -> list[tuple[int, int, int]]:
    """(start, end, paragraph id) of every non-empty item, as the module defines them."""
    out, pid, prev = [], 0, 0
    for c in cuts:
        if c > prev:
            out.append((prev, c, pid))
        if c in paras:
            pid += 1
        prev = c + 1
    if len(text) > prev:
        out.append((prev, len(text), pid))
    return out


def _eager_sentence(units, i: int) -> tuple[int, int]:
    s, e, p = units[i]
    lo, hi, a, b = s, e, i, i
    while a > 0 and units[a - 1][2] == p and lo - units[a - 1][0] < 600:
        a -= 1
        lo = units[a][0]
    while b + 1 < len(units) and units[b + 1][2] == p and units[b + 1][1] - hi < 400:
        b += 1
        hi = units[b][1]
    return lo, hi


UNIT_TEXTS = [
    "",
    ";",
    ";;a",
    "Căn cứ Luật Trẻ em;\nCăn cứ Nghị định số 56/2017/NĐ-CP;\n\nQUYẾT ĐỊNH:\nĐiều 1. Phê duyệt",
    "| STT | Nội dung |\n|---|---|\n| 1 | Kế hoạch số 12/KH-UBND; Quyết định 23 |\n",
    "a. B\n\n\n- x; y\n1. z.\nThực hiện Kế hoạch",
    "x" * 700 + ";" + "y" * 300 + ";" + "z" * 500 + "\n\nw",
]


@pytest.mark.parametrize("text", UNIT_TEXTS)
@pytest.mark.parametrize("extra", [(0, 0, 0), (3, 9, 20)])
def test_units_match_eager_items(text, extra):
    units = R._segment(text, text, extra)
    eager = _eager_units(text, units.cuts, units.paraset)
    starts = [u[0] for u in eager]
    for pos in range(len(text)):
        sid = units.at(pos)
        if not eager:
            assert sid == -1
            continue
        i = max(0, bisect_right(starts, pos) - 1)
        u = units.get(sid)
        assert (u.start, u.end, u.para) == eager[i]
        assert units.end_at(pos) == eager[i][1] and units.para_at(pos) == eager[i][2]
        assert units.sentence_bounds(sid) == _eager_sentence(eager, i)
        assert units.prev(sid) == (eager[i - 1][0] if i > 0 else -1)
        assert units.next(sid) == (eager[i + 1][0] if i + 1 < len(eager) else -1)


def _reference_hits(kws: str, head_re, literals) -> list[tuple[int, int, str]]:
    """Head pattern at each word start where a literal (single spaces) starts and ends a word."""
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


HEAD_TEXTS = [
    "kế hoạch hành động số 12",
    "kế hoạch  hành động số 12",         # two spaces inside a longer type name
    "kế  hoạch số 5",                    # two spaces inside the only name: not a hit
    "bộ luật dân sự và luật trẻ em",     # "luật" inside "bộ luật" is a hit of its own
    "luật² và (quyết định) “chương trình”",
    "quyết\x0bđịnh số 1; quy chế  phối hợp",
    "pháp luật, thông tư liên tịch, thông tưliên",
    "căn cứ quyết định số 1591/qđ-ttg ngày 27/7/2015",  # bulk-style key text
]


@pytest.mark.parametrize("kws", HEAD_TEXTS)
def test_head_hits_match_definition(kws):
    reg = load_registry()
    head_re, literals, _ = R._patterns(reg.type_names, reg.by_name_types)
    got = [(m.start(), m.end(), m.group(1)) for m in R._head_hits(kws, head_re, literals)]
    assert got == _reference_hits(kws, head_re, literals)

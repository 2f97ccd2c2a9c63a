"""The fifth round of fast paths of :mod:`graph.extract.agencies` give what the code they replace
gives (tables written in, the hits of ``../shared/corpus`` bulk documents when it is there).

- ``_resolve_aliases`` looks a longer full name up by bisection in the sorted folded names
  (``_Extensions.first``) instead of a scan over all of them, and the hits of a row in a
  per-call index (``_hits_by_row``) instead of a scan over all hits: checked against the old
  function (written out below).
- ``_enrich`` tests the next hit and the head word first, against a module-level set of head
  words: checked against the old function (written out below).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from graph.extract import agencies as ag
from graph.ingest.text import fold_key

SHARED = Path(__file__).resolve().parents[2] / "shared"
BULK = SHARED / "corpus" / "bulk" / "documents"


def _first_definition(full: dict[str, str], k: str, skip: str) -> str | None:
    """The old scan of ``_resolve_aliases`` for a longer name."""
    for fk, fn in full.items():
        if fk != skip and fk.startswith(k) and fk[len(k):len(k) + 1] in (" ", ","):
            return fn
    return None


FULL = {  # folded key → name, in first-use order
    "trung tâm phục vụ hành chính công tỉnh hà tĩnh": "A",
    "trung tâm phục vụ hành chính công tỉnh, trung tâm công báo": "B",
    "trung tâm phục vụ hành chính công": "C",
    "ban chỉ đạo quốc gia về khắc phục ô nhiễm": "D",
    "ban chỉ đạo quốc gia": "E",
    "ban chỉ đạo quốc gia!": "F",
    "ban chỉ đạo quốc gia-x": "G",
    "ban chỉ đạo quốc giaa": "H",
    "phòng an ninh chính trị nội bộ, công an tỉnh sơn la": "I",
    "": "J",
    " x": "K",
}


@pytest.mark.parametrize("k", sorted({*FULL, "trung tâm phục vụ hành chính công tỉnh", "ban chỉ đạo",
                                      "phòng an ninh chính trị nội bộ", "trung tâm", "x", ""}))
@pytest.mark.parametrize("skip", ["", "trung tâm phục vụ hành chính công tỉnh hà tĩnh", "ban chỉ đạo quốc gia"])
def test_first_is_the_scan(k, skip):
    assert ag._Extensions(FULL).first(k, skip) == _first_definition(FULL, k, skip)


def _resolve_aliases_definition(ctx, hits) -> None:
    """``_resolve_aliases`` as written before (scans over all names and all hits)."""
    full: dict[str, str] = {}
    for h in hits:
        if not h.collective and (h.generic or h.name.count(",")):
            full.setdefault(fold_key(h.name), h.name)
    for h in hits:
        if h.collective:
            continue
        k = fold_key(h.name)
        if h.generic:
            for fk, fn in full.items():
                if fk != k and fk.startswith(k) and fk[len(k):len(k) + 1] in (" ", ","):
                    h.name = fn
                    break
            base = fold_key(ag.modern(h.surface))
            if base != k:
                for fk, fn in full.items():
                    if fk != k and fk.startswith(base) and fk[len(base):len(base) + 1] in (" ", ","):
                        h.name = fn
                        break
        if h.row is not None and "{ủy}" in h.row.name and ctx.locality is not None:
            bare = ag._template_name(h.row, None, "thành ủy" if "thành ủy" in fold_key(h.surface) else "tỉnh ủy")
            if h.name == bare:
                named = {o.name for o in hits if o.row is h.row and o.name.startswith(bare + " ")}
                if len(named) == 1:
                    h.name = named.pop()
        if h.row is not None and h.row.id == "bch-dang-bo" and ctx.locality is not None:
            named = {o.name for o in hits if o.row is h.row and o is not h and o.name != h.name}
            if len(named) == 1 and re.search(r"(?:tỉnh|thành phố)$", fold_key(h.surface)) and \
                    h.name.endswith(ctx.locality.full_name) is not False:
                h.name = named.pop()


def _enrich_definition(ctx, hits) -> None:
    """``_enrich`` as written before."""
    for i, h in enumerate(hits[:-1]):
        if not h.generic or h.collective:
            continue
        nxt = hits[i + 1]
        between = ctx.key[h.end:nxt.start]
        head = fold_key(h.surface).split()[0] if h.surface else ""
        if nxt.collective or head not in {w.split()[0] for w in ag.SUBUNIT_HEADS}:
            continue
        if ag._SUBUNIT_GAP.fullmatch(between) and len(between) < 14:
            base = ag.modern(ag._expand(ctx, h.surface))
            h.name = f"{base}, {nxt.name}"
            h.parent = nxt.name
            h.end = nxt.start if nxt.start > h.end else h.end


def _fields(hits):
    return [(h.start, h.end, h.surface, h.name, h.parent, h.collective) for h in hits]


def _document_hit_lists(step: int = 6):
    """(context, hits before _enrich) of every ``step``-th bulk document."""
    from graph.ingest.parse import parse_document
    from graph.ingest.readers import read_source

    files = sorted([*BULK.glob("*.md"), *BULK.glob("*.txt")])[::step]
    captured = []
    real = ag._enrich

    def spy(ctx, hits):
        captured.append((ctx, copy.deepcopy(hits)))
        real(ctx, hits)

    ag._enrich = spy
    try:
        for f in files:
            ag.extract_agencies(parse_document(read_source(f)))
    finally:
        ag._enrich = real
    return captured


@pytest.mark.skipif(not BULK.is_dir(), reason="../shared/corpus/bulk not present")
def test_enrich_and_aliases_as_before_on_bulk():
    lists = _document_hit_lists()
    assert lists
    changed = 0
    for ctx, hits in lists:
        old, new = copy.deepcopy(hits), copy.deepcopy(hits)
        _enrich_definition(ctx, old)
        ag._enrich(ctx, new)
        assert _fields(new) == _fields(old)
        _resolve_aliases_definition(ctx, old)
        ag._resolve_aliases(ctx, new)
        assert _fields(new) == _fields(old)
        changed += _fields(old) != _fields(hits)
    assert changed  # the rules had something to do


def _group_definition(mentions):
    """``group_agencies`` as written before: ``collective_members`` (as written before) per
    collective."""
    from graph.agency_registry import load_agency_registry
    from graph.models import Agency

    def members(name, specifics):
        k = fold_key(name)
        prefixes = []
        for w, rx, pre in ag._GROUP_WORD_RES:
            if w in k and rx.search(k):
                prefixes.extend(pre)
        if not prefixes:
            return []
        pre = tuple(prefixes)
        return [a.name for a in specifics if a.name.startswith(pre)]

    reg = load_agency_registry()
    groups = {}
    for m in sorted(mentions, key=lambda x: x.span.start):
        key = ("c:" + fold_key(m.name)) if m.collective else fold_key(m.name)
        a = groups.get(key)
        if a is None:
            a = Agency(name=m.name, collective=m.collective, kind=m.kind)
            if not m.collective:
                info = ag.agency_info(m.name, reg)
                a.english, a.parent = info.get("english"), info.get("parent")
            groups[key] = a
        if m.surface not in a.surfaces:
            a.surfaces.append(m.surface)
        a.mentions.append(m)
    specifics = [a for a in groups.values() if not a.collective]
    for a in groups.values():
        if a.collective:
            a.members = members(a.name, specifics)
    return list(groups.values())


@pytest.mark.skipif(not BULK.is_dir(), reason="../shared/corpus/bulk not present")
def test_group_agencies_as_before_on_bulk():
    from graph.ingest.parse import parse_document
    from graph.ingest.readers import read_source

    files = sorted([*BULK.glob("*.md"), *BULK.glob("*.txt")])[3::6]
    with_members = 0
    for f in files:
        mentions = ag.extract_agencies(parse_document(read_source(f)))
        new, old = ag.group_agencies(mentions), _group_definition(mentions)
        assert new == old
        with_members += sum(bool(a.members) for a in new)
        for a in new:  # members lists are not shared between agencies
            assert all(a.members is not b.members for b in new if b is not a and a.members)
    assert with_members


@pytest.mark.parametrize("name,specifics,expected", [
    ("các Sở, ban, ngành", ["Sở Y tế tỉnh X", "Ban Dân tộc tỉnh X", "Bộ Tài chính"],
     ["Sở Y tế tỉnh X", "Ban Dân tộc tỉnh X"]),
    ("UBND các huyện", ["Ủy ban nhân dân huyện A", "Ủy ban nhân dân xã B"], ["Ủy ban nhân dân huyện A"]),
    ("các cơ quan báo chí", ["Sở Y tế tỉnh X"], []),
    ("các bộ, ngành", ["Bộ Tài chính", "Sở Y tế"], ["Bộ Tài chính", "Sở Y tế"]),
])
def test_collective_members_table(name, specifics, expected):
    from graph.models import Agency

    assert ag.collective_members(name, [Agency(name=n) for n in specifics]) == expected

"""The third round of fast paths of :mod:`graph.extract.agencies` give what the definitions they
replace give (a table of fragments of the ``../shared/corpus`` bulk documents, with edge cases of
each fast path written in: line breaks inside names, markup in the text, lower-case heads before
capitalised ones, a word start after "_").

- ``_scan_registry`` tries each position's form matches as soon as they are found, instead of
  sorting every candidate of the stretch first: checked against that definition (written out
  below) on every stretch of each fragment, in and out of recipient lists;
- ``_walk_words`` (``surface_span``) walks a surface a word at a time: checked against the
  character walk on every hit of each fragment and on surfaces made up to stress it;
- ``_main_forms_at`` looks the forms up in the per-document scan: checked against the main trie
  at every position;
- ``_capital_generic_heads`` skips lower-case heads that hide nothing: checked against the
  filtered regex scan on every stretch.
"""

from __future__ import annotations

import pytest

from graph.agency_registry import load_agency_registry
from graph.extract import agencies as ag
from graph.ingest.text import fold_key

FRAGMENTS = [
    # names broken over lines (bulk corpus: headers, citations)
    "|\nỦY BAN NHÂN\nDÂN \nTHÀNH PHỐ HỒ CHÍ MINH\n--------\n",
    "Căn cứ Luật Tổ chức chính\nquyền địa phương số 72/2025/QH15 và Luật Các tổ chức\ntín dụng số 32/2024/QH15",
    "ngày 22 tháng 12 năm 2024 của Bộ\nChính trị về đột phá; ngày 02 tháng 01 năm 2025 của Thủ tướng\nChính phủ",
    "của Ủy ban nhân dân Thành phố Hồ Chí\nMinh về Quy chế;\n\nTheo đề nghị của Sở Tài\nchính tại Công văn",
    # lists, recipients, collectives
    "Giao các Sở: Y tế, Tư pháp, Tài chính chủ trì; các Bộ: Quốc phòng, Công an phối hợp với UBND các huyện.",
    "Nơi nhận:\n- Như Điều 3;\n- TT Tỉnh ủy, TT HĐND tỉnh;\n- CT, các PCT UBND tỉnh;\n- Sở: TC, YT;\n- Lưu: VT, KGVX.",
    "Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch UBND các huyện, thị xã, thành phố; cơ quan ngang bộ",
    "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh; Ban Chấp hành Trung ương khóa XIII; Kiểm toán nhà nước khu vực IV",
    # generic heads: lower case before capitals, signatures, markup
    "văn Phòng Đăng ký đất đai; chi Cục Thuế khu vực; ban Chỉ đạo; Trung tâm Kiểm soát bệnh tật tỉnh, "
    "Chi cục Thú y; CỤC TRƯỞNG; Phòng Nội chính thuộc Văn phòng UBND tỉnh",
    "| Sở Y | tế; | **Ban Quản lý** các khu công nghiệp | x_Sở Tư pháp; _UBND tỉnh",
]


def _ctx(text: str) -> ag.Context:
    return ag.make_context(text, fold_key(text), None, load_agency_registry())


def _stretches(n: int):
    cuts = sorted({0, n, *range(0, n, 9), *(max(0, n - d) for d in (1, 3, 7))})
    for a in cuts:
        for b in cuts:
            if a < b:
                yield a, b


def _scan_registry_definition(ctx: ag.Context, start: int, end: int, recipients: bool) -> list:
    """``_scan_registry`` as written before: every candidate of the stretch collected, sorted by
    (start, longest first, full names first), then tried in that order."""
    k, t = ctx.key, ctx.text
    cands = []
    pos, fl, i, j = ag._form_candidates(ctx, start, end, recipients)
    forms = ctx.matcher.forms
    in_number = ag._in_number(ctx)
    last: dict[int, int] = {}
    for n in range(i, j):
        p = pos[n]
        upper = t[p].isupper()
        after_bad = p > 0 and k[p - 1] in "/-"
        for fi in fl[n]:
            f = forms[fi]
            if f.recipients_only and not recipients:
                continue
            ab = f.abbreviation
            if (ab and after_bad) or p < last.get(fi, -1):
                continue
            m = f.regex.match(k, p, end)
            if m is None:
                continue
            me = m.end()
            if me <= p:
                last[fi] = p + 1
                continue
            last[fi] = me
            if not ab:
                if not upper:
                    continue
            elif not recipients and not upper and not any(c.isupper() for c in t[p:me]):
                continue
            if not in_number(p):
                cands.append((p, me, f))
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2].abbreviation))
    hits = []
    taken_end = -1
    for s, e, f in cands:
        if s < taken_end:
            continue
        h = ag._registry_hit(ctx, s, e, f, end, recipients)
        if h is None:
            continue
        hits.append(h)
        taken_end = h.end
    hits.extend(ag._locality_chain(ctx, hits, end))
    chained = ag._chains(ctx, hits, start, end, recipients)
    if chained:
        hits = [h for h in hits if not ag._overlaps(h, chained)] + chained
    hits.sort(key=lambda h: h.start)
    return hits


@pytest.mark.parametrize("text", FRAGMENTS)
def test_registry_scan_is_its_definition(text):
    ctx = _ctx(text)
    n = len(ctx.text)
    for recipients in (False, True):
        for a, b in _stretches(n):
            got = ag._scan_registry(ctx, a, b, recipients)
            want = _scan_registry_definition(ctx, a, b, recipients)
            assert got == want, (recipients, a, b, got, want)


def _surface_span_definition(text: str, h: ag.Hit) -> tuple[int, int]:
    """``surface_span`` with its character walk only (the definition)."""
    s, e = h.start, h.end
    surface = h.surface
    p, i = s, 0
    while i < len(surface) and p < e:
        if surface[i].isspace():
            i += 1
        elif text[p] in ag._MARKUP:
            p += 1
        elif text[p] == surface[i]:
            p += 1
            i += 1
        else:
            break
    if i == len(surface) and p > s and not (p < len(text) and text[p].isalnum() and text[p - 1].isalnum()):
        return s, p
    m = ag._SPAN_TAIL.search(text, s, e)
    if m and m.start() > s:
        return s, m.start()
    return s, e


SURFACE_ROWS = [
    # (text, start, end, surface): made up around the walk's edges
    ("Sở Tài\nchính tại", 0, 12, "Sở Tài chính"),
    ("Sở Tài\nchính tại", 0, 11, "Sở Tài chính"),  # the text ends inside the last word
    ("Sở Tài *chính* tại", 0, 14, "Sở Tài chính"),  # markup before a word
    ("Sở Tài ch*ính tại", 0, 13, "Sở Tài chính"),  # markup inside a word (character walk)
    ("Sở Tài | chính", 0, 14, "Sở Tài chính"),
    ("Sở Tài chínhx", 0, 13, "Sở Tài chính"),  # ends inside a word of the text
    ("Sở  Tài chính", 0, 13, "Sở Tài chính "),  # white space at the surface's end
    ("Sở | Tài", 0, 8, "Sở | Tài"),  # markup in the surface
    ("Sở\u2003Tài chính", 0, 12, "Sở Tài chính"),  # a space other than markup in the text
    ("Sở Y tế,", 0, 8, "Sở Y tế"),
    ("UBND tỉnh và", 0, 12, "Ủy ban nhân dân tỉnh"),  # rewritten surface: trimmed at the tail
    ("  ", 0, 2, ""),
]


@pytest.mark.parametrize(("text", "start", "end", "surface"), SURFACE_ROWS)
def test_surface_span_rows_are_the_character_walk(text, start, end, surface):
    h = ag.Hit(start, end, surface, surface)
    assert ag.surface_span(text, h) == _surface_span_definition(text, h)


@pytest.mark.parametrize("text", FRAGMENTS)
def test_surface_span_is_the_character_walk(text):
    ctx = _ctx(text)
    t = ctx.text
    hits = ag.find_agencies(ctx) + ag.find_agencies(ctx, recipients=True)
    for h in hits:
        for surface in (h.surface, ag.clean_surface(t[h.start:h.end]), h.surface + " ", h.surface[:-1]):
            x = ag.Hit(h.start, h.end, surface, h.name)
            assert ag.surface_span(t, x) == _surface_span_definition(t, x), (h, surface)


@pytest.mark.parametrize("text", FRAGMENTS)
def test_main_forms_are_those_of_the_main_trie(text):
    ctx = _ctx(text)
    mt = ctx.matcher
    for p in range(len(ctx.key)):
        want = sorted({*mt.index.main.forms_at(ctx.key, p), *mt.index.unindexed})
        word_start = p == 0 or not ctx.key[p - 1].isalnum()
        if word_start:  # (the callers ask at word starts only; after "_" it reads the trie again)
            assert list(ag._main_forms_at(ctx, p)) == want, (p, ctx.key[p:p + 20])


@pytest.mark.parametrize("text", FRAGMENTS)
def test_capital_generic_heads_are_the_filtered_scan(text):
    ctx = _ctx(text)
    for a, b in _stretches(len(ctx.key)):
        want = [m.span() for m in ag._GENERIC_HEAD_RE.finditer(ctx.key, a, b) if ctx.text[m.start()].isupper()]
        assert [m.span() for m in ag._capital_generic_heads(ctx, a, b)] == want, (a, b)

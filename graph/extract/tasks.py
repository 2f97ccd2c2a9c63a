"""Tasks and responsibilities: who must do what, by when, reporting to whom.

Input: a parsed :class:`~graph.models.Document` (its provision tree) and the agencies found by
:mod:`graph.extract.agencies`. Output: :class:`~graph.models.Task` objects, one per actionable
unit, each with :class:`~graph.models.Assignment` objects (``lead`` = "chủ trì", ``coordinate``
= "phối hợp", ``responsible`` = the subject of the task with neither word), a deadline and a
frequency as typed values, and the body to report to. Rules (``../shared/corpus/ANNOTATION.md``,
"Assignments, in detail"):

1. **Agency-headed blocks**: a provision whose heading is only a list of agencies ("1. Sở Y
   tế", "2. Văn phòng UBND tỉnh:", "7. Đề nghị Ủy ban MTTQ Việt Nam thành phố") gives each unit
   under it (its points, dash bullets, its own paragraph) to those agencies.
2. **Inline subjects**: a sentence whose subject is a list of agencies ("Các Sở, ban, ngành …
   xây dựng kế hoạch …", "Giao Sở Y tế chủ trì, phối hợp với …", "Chánh Văn phòng …, Giám đốc
   các Sở … chịu trách nhiệm thi hành Quyết định này"), also after a leading clause ("Trong quá
   trình thực hiện, nếu có khó khăn, các cơ quan … phản ánh về …").
3. **Role cues** inside a unit: "chủ trì" → lead; "phối hợp với X, Y" → X, Y coordinate (the
   unit's agency stays lead or responsible); the task starts after the list.
4. **Responsibility lines**: "Cơ quan/Đơn vị chủ trì: X", "Cơ quan/Đơn vị phối hợp: Y" (inline
   or as bullets, under "Cơ quan thực hiện") assign the tasks listed before them in the same
   section ("Nhiệm vụ:" bullets each; "Nội dung, biện pháp" → the section heading is the task).
5. **Task tables** ("Cơ quan chủ trì | Cơ quan phối hợp | … | Nội dung nhiệm vụ | … | Thời
   hạn"), also in the crawled form where every cell is a line and continuation rows omit the
   merged cells: each bullet of the task cell is a task of the row's lead and coordinating
   bodies (a bullet ending with ":" keeps its object bullets).
6. **Reporting duties** ("…; báo cáo kết quả về UBND tỉnh", "… và báo cáo …") are tasks of
   their own for the leading/responsible bodies; ``report_to`` names the body reported to.

Not tasks: sentences without a responsible body, bullets that only name things under a
heading ending with ":" ("- Phương án phân bổ vốn …"), lead-ins ("… như sau:").
Annotation choices followed where the corpus is split (see the report of this module): a
title before a collective is dropped ("Thủ trưởng các sở" → "các sở"), "khóa XII" is kept.

Deadlines and frequencies (:func:`parse_timing`): "trước ngày 15/12/2025" → ``2025-12-15``;
"trước ngày 15/12 hằng năm" → ``--12-15`` (XSD gMonthDay) with frequency ``P1Y``; "Quý IV/2025"
→ ``2025-Q4``; "tháng 12/2013" → ``2013-12``; "trong năm 2026" → ``2026``; "định kỳ 6 tháng" →
``P6M``; "hằng quý" → ``P3M``; "hằng tháng" → ``P1M``; "hằng năm" → ``P1Y``.
"""

from __future__ import annotations

import bisect
import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter

from graph.extract.agencies import (
    TASK_VERBS,
    TITLES,
    Context,
    Hit,
    clean_surface,
    document_context,
    document_hits,
    recipient_block,
)
from graph.ingest.text import collapse_ws, fold_key
from graph.models import Assignment, Document, Span, Task

# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

LEAD_CUE = r"(?:là\s+(?:cơ quan|đơn vị)\s+)?chủ\s+trì"
COORD_CUE = r"(?:chủ động\s+|thường xuyên\s+|tích cực\s+)?phối\s+hợp(?:\s+chặt\s+chẽ)?(?:\s+với|\s+cùng)?"
RESP_CUE = r"(?:có|chịu)\s+trách\s+nhiệm(?:\s+chính)?"
INTRO_WORDS = ("giao", "đề nghị", "yêu cầu", "giao cho", "ủy quyền cho", "trong đó giao",
               "trong đó, giao")
"""Words that may open a sentence before its subject ("Giao Sở Y tế chủ trì …")."""

SUBJECT_TITLES = tuple(TITLES) + ("chánh", "tổng biên tập", "trưởng ban",
                                  "người đứng đầu", "các bộ trưởng", "bộ trưởng", "hiệu trưởng",
                                  "cục trưởng", "viện trưởng", "tư lệnh")
"""Titles that may precede a subject body in a list ("Chánh Văn phòng UBND tỉnh; Giám đốc các
Sở …")."""

RESP_LINE = re.compile(
    r"(?:cơ quan|đơn vị|bộ phận)\s+(chủ\s+trì|phối\s+hợp|thực\s+hiện)(?:\s+(?:tham\s+mưu\s+)?thực\s+hiện)?"
    r"(?:\s*,\s*phối\s+hợp)?\s*(?::|$|\n)")
"""A responsibility line: "Cơ quan chủ trì:", "Đơn vị phối hợp thực hiện:", "Cơ quan thực hiện:"."""
_RESP_WORDS = ("cơ quan", "đơn vị", "bộ phận")
"""The words a :data:`RESP_LINE` starts with (a ``str.startswith`` test before the regex)."""

TASK_LIST_HEAD = re.compile(r"(?:nhiệm vụ|nội dung(?:\s+nhiệm vụ)?(?:,\s*biện pháp)?|nội dung thực hiện)\s*:?")
"""Headings of the task part of a "Nhiệm vụ / Cơ quan thực hiện / Thời gian" group."""

LEADING_CLAUSE = re.compile(
    r"(?:căn cứ|trên cơ sở|theo|trong quá trình|quá trình|để|nhằm|sau khi|trường hợp|khi|hằng năm|hàng năm|"
    r"định kỳ|đồng thời|trong đó)(?!\w)")
"""Openings of a clause that may precede the subject ("Trong quá trình thực hiện, nếu có vướng
mắc, các cơ quan … phản ánh …")."""

_VERB_RE = re.compile(r"(?:" + "|".join(r"\s+".join(re.escape(w) for w in v.split()) for v in TASK_VERBS)
                      + r")(?!\w)")
_LABEL_RE = re.compile(
    r"[ \t|*]*(?:điều\s+\d+[a-zđ]?\s*[.:]|(?:phần|chương|mục)\s+[ivxlc\d]+\s*[.:-]?|[ivxlc]+\s*[.)/-]|"
    r"[a-zđ]\s*[.)]|\d+(?:\.\d+)*\s*[.)]?(?=\s)|[-–—+•*~]+|\(\d+\)|\([a-zđ]\))[ \t|*]*")

# --------------------------------------------------------------------------------------------
# Document tree (provisions mapped to clean offsets)
# --------------------------------------------------------------------------------------------


_NO_KIDS: tuple[()] = ()
"""The children of every leaf node (one shared empty tuple)."""


class _Node:
    """A provision mapped to clean-text offsets: ``start``, ``end`` (of its whole extent) and
    ``own_end`` (where its first child starts, else ``end``) are offsets into ``clean.text`` /
    ``clean.key``. The children are mapped when first asked for, so the subtrees that the
    extractor skips (no agency in them, none inherited) are never mapped. A node holds no link
    to its parent (the extractor passes the parent down the recursion): the tree has no
    reference cycle, so reference counting frees it when the extraction ends, and the cyclic
    garbage collector never has to (it found 14k nodes per pass over the bulk corpus)."""

    __slots__ = ("start", "end", "kind", "label", "eid", "label_end", "body", "resp", "timing", "emb",
                 "has_kids", "_prov", "_mapper", "_kids", "_own_end")

    def __init__(self, start: int, end: int, kind: str, label: str, eid: str | None, prov=None, mapper=None):
        self.start = start
        self.end = end
        self.kind = kind
        self.label = label
        self.eid = eid
        self.label_end = -1  # cache of _Extractor._lab
        self.body = -1  # cache of _Extractor._body
        self.resp: bool | None = None  # cache of _Extractor._is_resp
        self.timing: bool | None = None  # cache of _Extractor._is_timing
        self.emb: int | None = -2  # cache of _Extractor._embedded_resp (-2: not computed)
        self._prov = prov  # the Provision (None for the "body" node)
        self._mapper = mapper  # _Mapper of the document
        self.has_kids = prov is not None and bool(prov.children)  # whether ``children`` is not empty
        self._kids = None if self.has_kids else _NO_KIDS
        self._own_end = -1

    @property
    def children(self) -> list[_Node] | tuple[()]:
        """The child nodes, mapped on first use (a leaf shares the empty tuple :data:`_NO_KIDS`:
        no list per leaf; callers only iterate them)."""
        kids = self._kids
        if kids is None:
            node = self._mapper.node
            kids = []
            # each child is mapped from a nearby anchor: the previous child's end, else our start
            a_clean, a_orig = self.start, self._prov.span.start
            for c in self._prov.children:
                n = node(c, a_clean, a_orig)
                kids.append(n)
                a_clean, a_orig = n.end, c.span.end
            self._kids = kids
        return kids

    @property
    def own_end(self) -> int:
        oe = self._own_end
        if oe < 0:
            kids = self._kids
            if kids is None:  # the first child's start, without mapping the children
                oe = self._mapper.clean(self._prov.children[0].span.start, self.start, self._prov.span.start)
            else:
                oe = kids[0].start if kids else self.end
            self._own_end = oe
        return oe


class _Mapper:
    """Maps original-text offsets of a document to clean-text offsets (the first clean character
    at or after them, as ``bisect_left`` over ``clean.to_original``) and provisions to nodes."""

    __slots__ = ("tomap", "hi", "top")

    def __init__(self, doc: Document):
        self.tomap = doc.clean.to_original
        self.hi = len(self.tomap) - 1
        self.top = len(doc.clean.text)

    def clean(self, original: int, a_clean: int = 0, a_orig: int = 0) -> int:
        """Clean offset of an original offset: ``min(bisect_left(to_original, original, 0,
        len(text)), len(text))``. An anchor (``a_clean``, the clean offset of the original offset
        ``a_orig``) at or before ``original`` narrows the search to the clean characters between
        them (at most ``original - a_orig`` of them when the map only drops characters; checked,
        the whole map is searched when it does not hold)."""
        tomap, hi, top = self.tomap, self.hi, self.top
        if original < a_orig:
            r = bisect_left(tomap, original, 0, hi)
        else:
            # tomap[a_clean - 1] < a_orig <= original: the answer is at or after a_clean
            r = a_clean + (original - a_orig)
            if r >= hi:
                r = bisect_left(tomap, original, a_clean, hi)
            elif tomap[r] < original:  # more clean than original characters in between (NFC expansion)
                r = bisect_left(tomap, original, r + 1, hi)
            elif r != a_clean and tomap[r - 1] >= original:  # characters dropped in between
                r = bisect_left(tomap, original, a_clean, r)
            # else nothing dropped in between: r itself
        return r if r < top else top

    def node(self, p, a_clean: int = 0, a_orig: int = 0) -> _Node:
        """The node of provision ``p`` (children mapped lazily); (``a_clean``, ``a_orig``): an
        anchor for :meth:`clean`. Its start and end are :meth:`clean` of the span's start (from
        the anchor) and end (from the start), the method's body written out twice here (a call
        fewer per offset: 19k nodes over the bulk corpus)."""
        span = p.span
        tomap, hi, top = self.tomap, self.hi, self.top
        o = span.start
        if o < a_orig:
            s = bisect_left(tomap, o, 0, hi)
        else:
            s = a_clean + (o - a_orig)
            if s >= hi:
                s = bisect_left(tomap, o, a_clean, hi)
            elif tomap[s] < o:
                s = bisect_left(tomap, o, s + 1, hi)
            elif s != a_clean and tomap[s - 1] >= o:
                s = bisect_left(tomap, o, a_clean, s)
        if s > top:
            s = top
        oe = span.end
        if oe < o:
            e = bisect_left(tomap, oe, 0, hi)
        else:
            e = s + (oe - o)
            if e >= hi:
                e = bisect_left(tomap, oe, s, hi)
            elif tomap[e] < oe:
                e = bisect_left(tomap, oe, e + 1, hi)
            elif e != s and tomap[e - 1] >= oe:
                e = bisect_left(tomap, oe, s, e)
        if e > top:
            e = top
        return _Node(s, e, p.kind, p.label, p.eid, p, self)


# --------------------------------------------------------------------------------------------
# Agency lists
# --------------------------------------------------------------------------------------------


class _Hits:
    """Hits of a document, searchable by position: ``hits`` sorted by start, ``starts`` their
    start offsets (clean offsets into ``clean.key``, ascending, for bisection), ``_first`` the
    first hit at each start. Built once per document from :func:`document_hits`."""

    def __init__(self, ctx: Context, hits: list[Hit]):
        self.ctx = ctx
        starts = [h.start for h in hits]
        if starts != sorted(starts):  # document_hits gives them sorted: no sort then (sorted() is stable)
            hits = sorted(hits, key=attrgetter("start"))
            starts = [h.start for h in hits]
        self.hits = hits
        self.starts = starts
        # the first hit at each start: inserted last when the pairs are read backwards
        self._first: dict[int, Hit] = dict(zip(reversed(starts), reversed(hits), strict=True))

    def at(self, pos: int) -> Hit | None:
        """The hit starting at clean offset ``pos`` (the first in sorted order when several
        do), or None."""
        return self._first.get(pos)

    def any_in(self, a: int, b: int) -> bool:
        """Whether a hit starts in the clean-text range ``[a, b)``."""
        starts = self.starts
        i = bisect_left(starts, a)
        return i < len(starts) and starts[i] < b

    def between(self, a: int, b: int) -> list[Hit]:
        """The hits inside the clean-text range ``[a, b)`` (start at or after ``a``, end at or
        before ``b``), in sorted order."""
        starts = self.starts
        i = bisect_left(starts, a)
        j = bisect_left(starts, b, i)  # the hits from i to j start in [a, b)
        return [h for h in self.hits[i:j] if h.end <= b]


_SKIP = re.compile(r"[\s|*]*")
_TITLE_RE = re.compile(r"(?:" + "|".join(re.escape(t) for t in sorted(set(SUBJECT_TITLES), key=len, reverse=True))
                       + r")(?!\w)\s*(?:các\s+sở\s*(?:,\s*ngành)?\s*:|các\s+bộ\s*:)?")
_LIST_SEP = re.compile(r"[\s|*]*(?:[,;/]|và|cùng|với|&)(?:[\s|*]*(?:và|cùng))?[\s|*]*(?:\n[\s|*-]*)?")
_QUALIFIER = re.compile(r"[\s|*]*\((?:qua|thông qua|cơ quan thường trực|đầu mối)[^)]*\)")
_PAD = re.compile(r"[ \t|*]*")
"""What ``str.lstrip(" \\t|*")`` removes, matched at an offset (no copy of the rest of the text)."""
_WS = re.compile(r"\s*")
"""What ``str.lstrip()`` removes (``\\s`` and ``str.isspace`` agree on every character)."""


_TITLE_WORDS = tuple(sorted(set(SUBJECT_TITLES)))
"""The titles :data:`_TITLE_RE` starts with: it can match at an offset only where ``str.startswith``
of this tuple holds there (a test before the regex)."""


def _agency_list(H: _Hits, pos: int, end: int) -> tuple[list[Hit], int]:
    """Agencies listed from ``pos``: (hits, end of the list). Titles, separators (",", ";",
    "và", "cùng") and qualifiers ("(qua Sở …)") between items are skipped. Offsets are clean
    offsets into ``H.ctx.key``; ``end`` bounds every match."""
    k = H.ctx.key
    first = H._first
    p = pos
    if p < end:
        c = k[p]
        if c == "|" or c == "*" or c.isspace():
            p = _SKIP.match(k, pos, end).end()
        if p < end and p not in first and not k.startswith(_TITLE_WORDS, p, end):
            return [], pos  # no hit and no title at the first word: the loop below would stop there
    items: list[Hit] = []
    last = pos
    while p < end:
        h = first.get(p)
        if h is None:
            t = _TITLE_RE.match(k, p, end) if k.startswith(_TITLE_WORDS, p, end) else None
            if t and t.end() > p:
                p = _PAD.match(k, t.end(), end).end()
            h = first.get(p)
        if h is None or h.end > end:
            break
        items.append(h)
        last = h.end
        p = h.end
        q = _QUALIFIER.match(k, p, end)
        if q:
            p = last = q.end()
        sep = _LIST_SEP.match(k, p, end)
        if not sep or sep.end() == p:
            break
        nxt = sep.end()
        if nxt not in first:
            t = _TITLE_RE.match(k, nxt, end) if k.startswith(_TITLE_WORDS, nxt, end) else None
            if not (t and _WS.match(k, t.end(), end).end() in first):
                break
        p = nxt
    return items, last


def _skip_ws(k: str, pos: int, end: int) -> int:
    while pos < end and k[pos] in " \t\n|*\"“”":
        pos += 1
    return pos


# --------------------------------------------------------------------------------------------
# Clause analysis
# --------------------------------------------------------------------------------------------


@dataclass
class _Clause:
    """Result of reading one task clause: role-tagged agencies and where the task text starts."""

    assignments: list[tuple[Hit | None, str]]
    task_start: int
    explicit: bool  # the subject was written in the clause (not inherited)


_MANDATE = re.compile(
    r"(?:căn\s+cứ|theo|trong\s+phạm\s+vi|trên\s+cơ\s+sở)\s+(?:vào\s+|theo\s+)?(?:chức\s+năng|nhiệm\s+vụ|quyền\s+hạn)"
    r"(?:\s*,?\s*(?:và\s+)?(?:chức\s+năng|nhiệm\s+vụ|quyền\s+hạn|thẩm\s+quyền))*"
    r"(?:\s+(?:được\s+giao|của\s+mình|của\s+đơn\s+vị|theo\s+quy\s+định|quản\s+lý))*"
    r"(?:\s+(?:tại|trong|theo)\s+(?:kế\s+hoạch|chương\s+trình)(?:\s+này)?)?\s*,?\s*")
"""A mandate phrase before the task ("Căn cứ chức năng, nhiệm vụ, quyền hạn được giao,",
"theo chức năng, nhiệm vụ")."""


_STRONG_VERB = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(w.split()) for w in (
    "tham mưu", "xây dựng", "tổ chức", "triển khai", "bố trí", "thực hiện", "hướng dẫn", "chỉ đạo",
    "ban hành", "kiểm tra", "rà soát", "đề xuất", "phối hợp", "chủ trì", "tăng cường", "đẩy mạnh")) + r")(?!\w)")
"""Verbs that start a task after a "căn cứ …" opening that has no comma ("căn cứ các quy định hiện
hành, khả năng cân đối ngân sách tham mưu …")."""


# Patterns of the clause readers, compiled once (matched at offsets of the key, never on slices)
_SL_PREP = re.compile(r"(?:tại|theo|trong|về|để|của|cho|với)(?!\w)")
_SL_PREP2 = re.compile(r"(?:về|của|theo|tại|trong|với|cho|để)(?!\w)")
_SL_CANCU = re.compile(r"(?:căn cứ|trên cơ sở)\s")
_SL_DUTIES = re.compile(r"nhiệm vụ|quyền hạn|chức năng")
_COMMA_WS = re.compile(r",\s*")
_SEMI_WS = re.compile(r";\s*")
_SEMI_DOT = re.compile(r"[;.]")
_LEAD_OR_COORD = re.compile(r"(?:" + LEAD_CUE + "|" + COORD_CUE + ")")
_COORD_OR_LEAD = re.compile(r"(?:" + COORD_CUE + r"|" + LEAD_CUE + r")")
_LEAD_COORD_BARE = re.compile(LEAD_CUE + "|" + COORD_CUE)
_ANY_CUE = re.compile(LEAD_CUE + "|" + COORD_CUE + "|" + RESP_CUE)
_LEAD_RE = re.compile(LEAD_CUE + r"(?!\s+thực hiện các nhiệm vụ)")
_COORD_RE = re.compile(COORD_CUE)
_RESP_RE = re.compile(RESP_CUE)
_INTRO_RE = re.compile(r"(?:" + "|".join(r"\s+".join(re.escape(w) for w in x.split())
                                         for x in sorted(INTRO_WORDS, key=len, reverse=True)) + r")\s+")
_DELEGATE = re.compile(r"(?:giao|yêu\s+cầu|đề\s+nghị)\s+")
_OPENING = re.compile(r"(?:căn cứ|theo|trong phạm vi|chủ động)")
_MID_COORD = re.compile(r",\s*phối\s+hợp\s+(?:với|cùng)\s+")
_TASKS_WORD = re.compile(r"(?:các|những)\s+nhiệm\s+vụ(?:\s+(?:được giao|được phân công|nêu trên))?\s*,\s*"
                         r"(?=phối hợp)")
_ADVISE = re.compile(r"tham\s+mưu\s+(?:cho\s+|với\s+)?")
_AT_PLACE = re.compile(r"(?:tại|ở|trên\s+địa\s+bàn)\s")
_CONNECTOR = re.compile(r"(?:[,:;]\s*|trong việc\s+|để\s+|nhằm\s+|về việc\s+|cùng\s+|và\s+(?=tham mưu|"
                        r"chỉ đạo|hướng dẫn))")


_OPENING_WORDS = ("căn", "theo", "trong", "trên")
"""The first words of :data:`_MANDATE` and :data:`_SL_CANCU` (a ``str.startswith`` test before them)."""
_INTRO_FIRST = tuple(sorted({w.split()[0].rstrip(",") for w in INTRO_WORDS}))
"""The first words of :data:`INTRO_WORDS` (a ``str.startswith`` test before :data:`_INTRO_RE`)."""


def _strip_leading(k: str, pos: int, end: int, H: _Hits | None = None) -> int:
    """Skip a "Căn cứ chức năng, nhiệm vụ được giao," / "căn cứ kế hoạch của Sở …" opening of
    a task: the task starts at the first verb after a comma or after a body's name."""
    if not k.startswith(_OPENING_WORDS, pos, end):
        return pos  # neither _MANDATE nor _SL_CANCU can match here
    md = _MANDATE.match(k, pos, end)
    if md and md.end() < end and not _SL_PREP.match(k, md.end(), end) and (
            _VERB_RE.match(k, md.end(), end) or _LEAD_OR_COORD.match(k, md.end(), end)):
        return md.end()
    m = _SL_CANCU.match(k, pos, end)
    if not m:
        return pos
    limit = min(end, pos + 200)
    cands = []
    for c in _COMMA_WS.finditer(k, pos, limit):
        nxt = c.end()
        if H is not None:
            t = _TITLE_RE.match(k, nxt, end)
            if H.at(nxt) is not None or (t and H.at(_skip_ws(k, t.end(), end)) is not None):
                cands.append(nxt)  # "Căn cứ kế hoạch này, Giám đốc các Sở, … xây dựng …": the subject
                break
        if _VERB_RE.match(k, nxt, end) and not _SL_DUTIES.match(k, nxt, end):
            cands.append(nxt)
            break
    if H is not None:
        for h in H.between(pos, limit):
            nxt = _skip_ws(k, h.end, end)
            if _VERB_RE.match(k, nxt, end) and not _SL_PREP2.match(k, nxt, end):
                cands.append(nxt)
                break
    if not cands:
        sv = _STRONG_VERB.search(k, pos + 7, limit)
        if sv:
            cands.append(sv.start())
    return min(cands) if cands else pos


def _read_clause(H: _Hits, start: int, end: int, default: list[Hit]) -> _Clause | None:
    """Read the roles of one clause ``[start, end)``; ``default`` are the agencies of an
    enclosing agency-headed block. None when the clause names no responsible body."""
    k = H.ctx.key
    p = _skip_ws(k, start, end)
    p = _strip_leading(k, p, end, H)
    intro = _INTRO_RE.match(k, p, end) if k.startswith(_INTRO_FIRST, p, end) else None
    q = intro.end() if intro else p
    subj, after = _agency_list(H, q, end)
    if subj:
        a = _skip_ws(k, after, end)
        delegate = _DELEGATE.match(k, a, end)
        if delegate:  # "Ủy ban nhân dân tỉnh giao Giám đốc các sở, …": the second list does it
            inner = _read_clause(H, a, end, [])
            if inner is not None and inner.explicit:
                return inner
        if a < end and k[a] in ",":
            a = _skip_ws(k, a + 1, end)
        cue = _cues(H, a, end, subj)
        if cue is not None:
            return cue
        if a < end and k[a] == ":":
            return _Clause([(h, "responsible") for h in subj], _skip_ws(k, a + 1, end), True)
        verb = _VERB_RE.match(k, a, end) and not H.ctx.text[a:a + 1].isupper()
        late = _RESP_RE.search(k, a, min(end, a + 140))
        if not verb and late and not _SEMI_DOT.search(k, a, late.start()) and \
                not _OPENING.match(k, a, end):
            # "Các sở, ban, ngành tỉnh có liên quan tới việc thực hiện Kế hoạch này có trách nhiệm …"
            p2 = late.end()
            cue = _cues(H, _skip_ws(k, p2, end), end, subj)
            if cue is not None:
                return cue
            return _Clause([(h, "responsible") for h in subj], _task_start(k, p2, end), True)
        if verb or _OPENING.match(k, a, end):
            a2 = _strip_leading(k, a, end, H)
            cue = _cues(H, a2, end, subj)
            if cue is not None:
                return cue
            return _Clause([(h, "responsible") for h in subj], a2, True)
        if intro is not None:
            return None
    if default:
        cue = _cues(H, p, end, default)
        if cue is not None:
            cue.explicit = False
            return cue
        mid = _MID_COORD.search(k, p, min(end, p + 90))
        if mid and not _SEMI_DOT.search(k, p, mid.start()):
            coords, after = _agency_list(H, mid.end(), end)
            ts = _task_start(k, after, end)
            if coords and _VERB_RE.match(k, ts, end):
                return _Clause([(h, "responsible") for h in default] + [(h, "coordinate") for h in coords], ts,
                               False)
        return _Clause([(h, "responsible") for h in default], p, False)
    return None


def _cues(H: _Hits, a: int, end: int, subject: list[Hit]) -> _Clause | None:
    """Role cues after the subject: "chủ trì[, phối hợp với X]", "phối hợp với X", "có trách
    nhiệm". None when none is present at ``a``."""
    k = H.ctx.key
    m = _LEAD_RE.match(k, a, end)
    if m:
        p = _skip_ws(k, m.end(), end)
        tasks_word = _TASKS_WORD.match(k, p, end)
        if tasks_word:
            p = tasks_word.end()
        p = _skip_punct(k, p, end)
        out = [(h, "lead") for h in subject]
        m2 = _COORD_RE.match(k, p, end)
        if m2 and "phối" in m2.group(0):
            coords, after = _agency_list(H, m2.end(), end)
            out += [(h, "coordinate") for h in coords]
            p = after if coords else m2.end()
        return _Clause(out, _task_start(k, p, end), True)
    adv = _ADVISE.match(k, a, end)
    if adv:  # "Tham mưu Ủy ban nhân dân tỉnh phối hợp các bộ, ngành Trung ương xây dựng …"
        _items, after = _agency_list(H, adv.end(), end)
        q = _skip_ws(k, after, end)
        m = _COORD_RE.match(k, q, end)
        if _items and m and "phối" in m.group(0):
            coords, after2 = _agency_list(H, m.end(), end)
            if coords:
                out = [(h, "responsible") for h in subject] + [(h, "coordinate") for h in coords]
                return _Clause(out, _task_start(k, after2, end), True)
    m = _COORD_RE.match(k, a, end)
    if m and "phối" in m.group(0):
        coords, after = _agency_list(H, m.end(), end)
        if coords:
            out = [(h, "responsible") for h in subject] + [(h, "coordinate") for h in coords]
            ts = _task_start(k, after, end)
            if not _VERB_RE.match(k, ts, end):  # "Phối hợp chặt chẽ với …, đặc biệt là …": the cooperation
                return _Clause(out, a, True)
            return _Clause(out, ts, True)
    m = _RESP_RE.match(k, a, end)
    if m:
        return _Clause([(h, "responsible") for h in subject], _task_start(k, m.end(), end), True)
    return None


def _skip_punct(k: str, p: int, end: int) -> int:
    while p < end and k[p] in " ,;\t\n|*":
        p += 1
    if k.startswith("và ", p):
        p += 3
    return p


def _task_start(k: str, p: int, end: int) -> int:
    """Where the task text starts after an agency list or cue: connectors skipped ("trong
    việc", "để", "thực hiện:") and a "căn cứ …" opening."""
    p = _skip_ws(k, p, end)
    p = _strip_leading(k, p, end)
    loc = _AT_PLACE.match(k, p, end)
    if loc:  # "… có liên quan tại khu vực biên giới, cửa khẩu đẩy mạnh …"
        sv = _STRONG_VERB.search(k, p, min(end, p + 120))
        if sv:
            p = sv.start()
    while True:
        m = _CONNECTOR.match(k, p, end)
        if not m:
            break
        p = _skip_ws(k, m.end(), end)
    return p


# --------------------------------------------------------------------------------------------
# Units and sentences
# --------------------------------------------------------------------------------------------

_SENT_SPLIT = re.compile(r"(?<=\.)\s+(?=[A-ZĐÀ-Ỹ])|(?<=\.)\s*\n+\s*|\n\s*\n")
_SENT_SPLIT_SCAN = re.compile(r"\.(?:\s+(?=[A-ZĐÀ-Ỹ])|\s*\n+\s*)|\n\s*\n")
""":data:`_SENT_SPLIT` with the full stop matched instead of looked behind (a fast scan: the
engine skips ahead to "." and "\\n"); a match that starts with "." is the split after it."""


_CONTENT_CHAR = re.compile(r"[^ \t\n|*\-.;:]")
"""A character that ``str.strip(" \t\n|*-.;:")`` keeps: ``_CONTENT_CHAR.search(text, a, b)`` is
true exactly when ``text[a:b].strip(" \t\n|*-.;:")`` is not empty (no slice is made)."""


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` (split at ". " + capital, and at blank lines), as clean
    offsets ``(a, b)``; a piece of only blanks and punctuation (" \t\n|*-.;:") is dropped.

    The split points are those of ``_SENT_SPLIT.finditer(text, start, end)``, found with
    :data:`_SENT_SPLIT_SCAN` (the splits are whitespace, so a full stop before one is never inside
    the previous one; only a full stop just before ``start`` needs the original pattern)."""
    out = []
    p = pos = start
    if start > 0 and text[start - 1] == ".":
        m = _SENT_SPLIT.match(text, start, end)
        if m is not None:
            p = pos = m.end()  # the split starts at ``start``: no piece before it
    search = _SENT_SPLIT_SCAN.search
    kept = _CONTENT_CHAR.search
    while True:
        m = search(text, pos, end)
        if m is None:
            break
        ms = m.start()
        if text[ms] == ".":
            ms += 1
        if ms > p and kept(text, p, ms):
            out.append((p, ms))
        p = pos = m.end()
    if p < end and kept(text, p, end):
        out.append((p, end))
    return out


def _label_end(k: str, pos: int, end: int) -> int:
    m = _LABEL_RE.match(k, pos, end)
    return m.end() if m else pos


@dataclass
class _Pending:
    """A task found, before it becomes a :class:`~graph.models.Task`."""

    start: int
    end: int
    roles: list[tuple[Hit | None, str]]
    node: _Node | None
    text_start: int
    summary_text: str | None = None
    timing: tuple[int, int] | None = None


_LEAD_COORD_LINE = re.compile(r"\s*chủ\s+trì\s*,?\s*phối\s+hợp(?:\s+với)?\s*:?\s*")
_COLON_END = re.compile(r":\s*$")
"""A colon that ends a text (only blanks after it); :func:`_ends_with_colon` tests it."""
_TASK_CHAR = re.compile(r"[^ \t\n|*\-.;:,]")
"""A character that ``str.strip(" \t\n|*-.;:,")`` keeps (searched instead of stripping a slice)."""


def _ends_with_colon(text: str, a: int, b: int) -> bool:
    """``_COLON_END.search(text, a, b)`` is not None: the last character of ``[a, b)`` that is not
    white space (``\\s``, ``str.isspace``) is ":". Read backwards from ``b`` (no scan of the range)."""
    while b > a and text[b - 1].isspace():
        b -= 1
    return b > a and text[b - 1] == ":"
_BLOCK_INTRO = re.compile(r"(?:đề\s+nghị|giao|trách\s+nhiệm\s+của|nhiệm\s+vụ\s+của)\s+")
_REPORT_DUTY = re.compile(
    r"(?:;|\.|,?\s+và)\s+((?:định kỳ\s+|kịp\s+thời\s+|thường\s+xuyên\s+)?(?:gửi\s+)?báo\s+cáo\s+(?:kết quả|tình hình|định kỳ|về|ubnd|ủy ban)|"
    r"kết\s+quả(?:\s+thực\s+hiện)?\s+(?:gửi\s+)?báo\s+cáo\s+về)")
_SPLIT_CUE = re.compile(r"(?:chủ\s+trì|(?:thường xuyên\s+|chủ động\s+)?phối\s+hợp(?:\s+chặt\s+chẽ)?"
                        r"(?:\s+với|\s+cùng)?\s*)")
_LATE_INTRO = re.compile(r"(?:đề\s+nghị|yêu\s+cầu|giao)\s+")
_REPORT_TO_BODY = re.compile(r"(?:phản ánh|gửi|báo cáo)\s+(?:kết quả\s+)?(?:về|cho)\s+")
_PAREN_FOR = re.compile(r"(?:\([^)]*\)\s*)?(?:để\s+)?")
_NEXT_DUTY = re.compile(r"(?:tổng hợp|xem xét|giải quyết|theo dõi)")
_PAREN_GIAO = re.compile(r"\(\s*giao\s+")
_TIMING_LINE = re.compile(r"(?:thời gian|thời hạn|tiến độ)(?:\s+thực hiện|\s+hoàn thành)?\s*:")
_TIMING_WORDS = ("thời gian", "thời hạn", "tiến độ")
"""The words a :data:`_TIMING_LINE` starts with (a ``str.startswith`` test before the regex)."""
_RESP_SEG_END = re.compile(r"\n\s*[-+•]|\n\s*\n\s*(?:thời gian|thời hạn|kinh phí|sản phẩm|kết quả)")
_AND_OTHERS = re.compile(r"(?:và\s+)?(?:các|cơ quan)")
_BULLET_LEAD = re.compile(r"chủ\s+trì\s*,?\s*")
_LEAD_IN = re.compile(r"[^.;]{0,90}(?:như\s+sau|sau\s+đây)\s*:?\s*")
_BLANK_LINE = re.compile(r"\n\s*\n")
_LEAD_HEAD = re.compile(r"(?:cơ quan|đơn vị)?\s*chủ trì(?:\s*\[\d+\])?(?: thực hiện)?")
"""Header cell of a task table's lead column ("Cơ quan chủ trì", "Chủ trì thực hiện")."""
_LEAD_FIRST = ("cơ", "đơn", "chủ")
"""The first words :data:`_LEAD_HEAD` can start with."""
_TASK_HEAD = re.compile(r"nội dung|nhiệm vụ|hoạt động")
_TASK_COL = re.compile(r"nội dung|nhiệm vụ|hoạt động|công việc")
_TIME_HEAD = re.compile(r"thời (?:gian|hạn)|tiến độ")
_BULLET_START = re.compile(r"(?:^|\n)\s*[-–+•]\s+")


def _header_cells(key: str, cells: list[tuple[int, int]]) -> list[str] | None:
    """The cells of a task table's header row, whitespace-collapsed (``key[a:b]`` of each cell,
    ``cells`` as clean offsets), or None when the row is no header: a header has a short cell
    (at most 8 words) that is a lead heading (:data:`_LEAD_HEAD`) and a short cell naming the
    coordination ("phối hợp") or the task (:data:`_TASK_HEAD`). A lead heading holds "trì", so
    the other cells are collapsed only when a cell with "trì" is one."""
    for a, b in cells:
        # a lead heading starts with "cơ quan", "đơn vị" or "chủ trì" (its first non-blank word)
        if key.startswith(_LEAD_FIRST, _WS.match(key, a, b).end(), b) and key.find("trì", a, b) >= 0:
            c = " ".join(key[a:b].split())
            if len(c.split()) <= 8 and _LEAD_HEAD.fullmatch(c):
                break
    else:
        return None
    low = [" ".join(key[a:b].split()) for a, b in cells]
    short = [c for c in low if len(c.split()) <= 8]
    if any("phối hợp" in c for c in short) or any(_TASK_HEAD.search(c) for c in short):
        return low
    return None


class _Extractor:
    def __init__(self, doc: Document, registry=None):
        self.doc = doc
        self.ctx = document_context(doc, registry)
        self.text = doc.clean.text
        self.key = self.ctx.key
        rb = recipient_block(self.ctx)
        self.body_end = rb[0] - len("Nơi nhận:") if rb else len(self.text)
        self.skip = (self.body_end, rb[1]) if rb else (len(self.text), len(self.text))
        self.H = _Hits(self.ctx, document_hits(self.ctx))  # a fresh list, owned by _Hits
        self.out: list[_Pending] = []
        self.body_start = doc.opening_end or 0

    def _lab(self, n: _Node) -> int:
        """``_label_end`` of a node's own text (cached on the node)."""
        le = n.label_end
        if le < 0:  # _label_end(self.key, n.start, n.own_end), the call written out
            m = _LABEL_RE.match(self.key, n.start, n.own_end)
            le = n.label_end = m.end() if m else n.start
        return le

    def _body(self, n: _Node) -> int:
        """Start of a node's own text after its label and blanks (cached on the node)."""
        b = n.body
        if b < 0:
            b = n.body = _skip_ws(self.key, self._lab(n), n.own_end)
        return b

    # -- top level ------------------------------------------------------------------------
    def run(self) -> list[_Pending]:
        """The tasks found in the top-level provisions (or the body, when there is none) and in
        the text after them (:meth:`_closing`)."""
        provs = self.doc.provisions
        if not provs:
            node = _Node(self.body_start, self.body_end, "body", "", None)
            self._visit(node, [], None)
            self._closing(node.end)
            return self.out
        mapper = _Mapper(self.doc)
        tomap = mapper.tomap
        # original-text offsets of the hits' starts, ascending (to_original is non-decreasing):
        # a provision whose original span holds none of them is skipped before it is mapped,
        # exactly as _visit would skip its node (no hit starts in its clean range)
        ostarts = [tomap[s] for s in self.H.starts]
        rows: list[_Node] = []
        a_clean = a_orig = 0  # anchor for the mapper: the end of the last provision mapped
        for p in provs:
            if p.kind == "table_row":
                n = mapper.node(p, a_clean, a_orig)
                a_clean, a_orig = n.end, p.span.end
                rows.append(n)
                continue
            if rows:
                self._table_rows(rows)
                rows = []
            i = bisect.bisect_left(ostarts, p.span.start)
            if i == len(ostarts) or ostarts[i] >= p.span.end:
                continue
            n = mapper.node(p, a_clean, a_orig)
            a_clean, a_orig = n.end, p.span.end
            self._visit(n, [], None)
        if rows:
            self._table_rows(rows)
        self._closing(mapper.clean(max(p.span.end for p in provs), a_clean, a_orig))
        return self.out

    def _closing(self, last_end: int) -> None:
        """Text after the last provision (``last_end``, a clean offset) and before the signature
        ("Trong quá trình thực hiện …, các cơ quan … phản ánh về …")."""
        if last_end < self.body_end:
            self._content(None, last_end, self.body_end, [])

    # -- nodes ----------------------------------------------------------------------------
    def _visit(self, node: _Node, inherited: list[Hit], up: _Node | None) -> None:
        """Read the tasks of ``node`` and its subtree; ``inherited``: the agencies of an enclosing
        agency-headed block or subject; ``up``: the node's parent (None at the top level)."""
        if self.skip[0] <= node.start < self.skip[1]:
            return
        if not inherited and not self.H.any_in(node.start, node.end):
            # every rule needs an agency: inherited, or named in the node's subtree (its text,
            # its responsibility lines, its table cells all lie in [start, end))
            return
        if node.kind == "table_row":
            return self._table_rows([node])
        k = self.key
        body = self._lab(node)
        own_end = node.own_end
        if node.start < self.skip[0] < own_end:
            own_end = self.skip[0]
        block = self._block_heading(body, own_end, node)
        if block is not None:
            agencies, rest = block
            if rest < own_end and _CONTENT_CHAR.search(self.text, rest, own_end):
                self._content(node, rest, own_end, agencies)
            self._children(node, agencies, up)
            return
        if k.startswith(_RESP_WORDS, body, own_end) and RESP_LINE.match(k, body, own_end) is not None:
            return  # read by the parent (see _children)
        emb = self._embedded_resp(node)
        if emb is not None and not node.has_kids:
            roles, clauses = self._resp_roles(emb, own_end, [])
            self._assign_group(node, up, [node], roles, clauses, None)
            return
        if inherited and node.has_kids and _LEAD_COORD_LINE.fullmatch(k, body, own_end):
            # "b) Chủ trì, phối hợp" + bullets naming the coordinators before each task
            return self._coordinated_children(node, inherited)
        subjects = self._content(node, body, own_end, inherited)
        if not node.has_kids or not (subjects or inherited):
            return self._children(node, inherited, up)  # (no child: returns at once)
        colon = _ends_with_colon(self.text, body, own_end)
        if subjects and colon:
            # "Ủy ban nhân dân các tỉnh … chịu trách nhiệm …, cụ thể:" — the bullets are theirs
            inherited = [h for h, role in subjects if role in ("lead", "responsible")]
        elif colon and inherited and all(self._is_object_item(c) for c in node.children):
            # "Tham mưu … quyết định:" + "- Phương án phân bổ vốn …": objects of the task, not tasks
            return
        self._children(node, inherited, up)

    def _is_object_item(self, n: _Node) -> bool:
        """A bullet that names a thing (no verb, no agency, no role cue) rather than a task."""
        k = self.key
        b = self._body(n)
        return not (_VERB_RE.match(k, b, n.own_end) or self.H.at(b) is not None or _LEAD_OR_COORD.match(
            k, b, n.own_end))

    def _coordinated_children(self, node: _Node, leads: list[Hit]) -> None:
        k = self.key
        for c in node.children:
            b = self._body(c)
            coords, after = _agency_list(self.H, b, c.own_end)
            if not coords:
                self._visit(c, leads, node)
                continue
            sents = _sentences(self.text, b, c.own_end)
            end = sents[0][1] if sents else c.own_end
            roles = [(h, "lead") for h in leads] + [(h, "coordinate") for h in coords]
            self._emit(c, b, end, _Clause(roles, _task_start(k, after, end), True))

    def _children(self, node: _Node, inherited: list[Hit], up: _Node | None) -> None:
        """The children of ``node`` (``up``: its parent): responsibility-line groups, then the
        other units (:meth:`_visit`), then table rows."""
        if not node.has_kids or (not inherited and not self.H.any_in(node.own_end, node.end)):
            return  # no child, or no agency for any rule (see _visit); own_end: the first child's start
        kids = [c for c in node.children if c.kind != "table_row"]
        rows = [c for c in node.children if c.kind == "table_row"]
        groups = self._resp_groups(node, kids)
        handled = set()
        for tasks, roles, clauses, resp_node in groups:
            for t in tasks:
                handled.add(id(t))
            handled.add(id(resp_node))
            self._assign_group(node, up, tasks, roles, clauses, resp_node)
        for c in kids:
            if id(c) in handled or self._is_resp(c) or self._is_timing(c):
                continue
            self._visit(c, inherited, node)
        if rows:
            self._table_rows(rows)

    # -- agency-headed blocks ---------------------------------------------------------------
    def _block_heading(self, body: int, own_end: int, node: _Node) -> tuple[list[Hit], int] | None:
        """Agencies of a heading that is only a list of agencies, and where its content starts."""
        k = self.key
        p = _skip_ws(k, body, own_end)
        m = _BLOCK_INTRO.match(k, p, own_end)
        if m:
            p = m.end()
        items, after = _agency_list(self.H, p, own_end)
        if not items:
            return None
        a = after
        while a < own_end and k[a] in " \t|*":
            a += 1
        if a >= own_end:
            return items, own_end
        if k[a] == ":":
            return items, _skip_ws(k, a + 1, own_end)
        if k[a] == "\n":
            nxt = _skip_ws(k, a, own_end)
            if nxt >= own_end:
                return items, own_end
            # a heading line: the content starts on its own line with a capital or a label
            lab = _LABEL_RE.match(k, nxt, own_end)
            if self.text[nxt:nxt + 1].isupper() or (lab is not None and lab.end() > nxt):
                if not _VERB_RE.match(k, nxt, own_end) or self.text[nxt].isupper():
                    return items, nxt
        if k[a] == "." and a + 1 >= own_end - 1:
            return items, own_end
        return None

    # -- content of a unit -----------------------------------------------------------------
    def _content(self, node: _Node | None, a: int, b: int, default: list[Hit]) -> list[tuple[Hit, str]]:
        """Read the task clauses of ``[a, b)``: the first sentence with the inherited agencies,
        further sentences when they name their own subject or open with a role cue."""
        if not default and not self.H.any_in(a, b):
            return []  # every reader below needs an agency named in [a, b) or a default
        sents = _sentences(self.text, a, b)
        first = True
        subjects: list = []
        for sa, sb in sents:
            if not default and not self.H.any_in(sa, sb):
                first = False  # as when its clauses are read and name nobody
                continue
            pieces = self._split_roles(sa, sb)
            for pa, pb in pieces:
                use_default = default if (first or self._opens_with_cue(pa, pb)) else []
                cl = _read_clause(self.H, pa, pb, use_default)
                if cl is None:
                    cl = self._late_subject(pa, pb)
                if cl is None:
                    first = False
                    continue
                if not cl.explicit and not first and not self._opens_with_cue(pa, pb):
                    continue
                self._emit(node, pa, pb, cl)
                self._report_task(node, cl, pb)
                if cl.explicit:
                    subjects = list(cl.assignments)
                self._chained(node, cl.task_start, pb)
                first = False
            self._parenthetical(node, sa, sb)
        return subjects

    def _report_task(self, node: _Node | None, cl: _Clause, b: int) -> None:
        """"… và báo cáo kết quả về UBND tỉnh": the reporting duty is a task of its own, for the
        bodies that lead or are responsible."""
        k = self.key
        if k.find("cáo", cl.task_start, b) < 0:
            return  # every form has "báo cáo"
        m = _REPORT_DUTY.search(k, cl.task_start, b)
        if not m:
            return
        s = m.start(1)
        roles = [(h, "responsible") for h, r in cl.assignments if r in ("lead", "responsible")]
        if roles:
            self._emit(node, s, b, _Clause(roles, s, cl.explicit))

    def _opens_with_cue(self, a: int, b: int) -> bool:
        p = _skip_ws(self.key, a, b)
        p = _label_end(self.key, p, b)
        return bool(_COORD_OR_LEAD.match(self.key, p, b))

    def _split_roles(self, a: int, b: int) -> list[tuple[int, int]]:
        """Split a sentence at "; " when the next clause opens with a role cue ("…; phối hợp với
        Sở Y tế xây dựng …")."""
        k = self.key
        if k.find(";", a, b) < 0:
            return [(a, b)]
        cuts = [a]
        for m in _SEMI_WS.finditer(k, a, b):
            p = m.end()
            cue = _SPLIT_CUE.match(k, p, b)
            if cue and ("chủ" in cue.group(0) or self.H.at(cue.end()) is not None):
                cuts.append(p)
                continue
            items, after = _agency_list(self.H, p, b)
            if items:
                q = _skip_ws(k, after, b)
                if (_VERB_RE.match(k, q, b) or _ANY_CUE.match(k, q, b)) \
                        and _read_clause(self.H, cuts[-1], m.start(), []) is not None:
                    cuts.append(p)
        cuts.append(b)
        return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]

    def _late_subject(self, a: int, b: int) -> _Clause | None:
        """A subject after a leading clause: "Trong quá trình thực hiện, nếu có khó khăn, vướng
        mắc, các cơ quan, đơn vị … phản ánh về …"."""
        k = self.key
        p = _skip_ws(k, a, b)
        p = _label_end(k, p, b)
        if not LEADING_CLAUSE.match(k, p, b):
            return None
        for m in _COMMA_WS.finditer(k, p, min(b, p + 260)):
            q = m.end()
            intro = _LATE_INTRO.match(k, q, b)
            if self.H.at(intro.end() if intro else q) is None:
                continue
            cl = _read_clause(self.H, q, b, [])
            if cl is not None and cl.explicit:
                return cl
        return None

    def _chained(self, node: _Node | None, a: int, b: int) -> None:
        """"… phản ánh về Sở Y tế tổng hợp, báo cáo …": the body after "về" does the next verb."""
        k = self.key
        if k.find("gửi", a, b) < 0 and k.find("báo cáo", a, b) < 0 and k.find("phản ánh", a, b) < 0:
            return  # every match of _REPORT_TO_BODY starts with one of them
        for m in _REPORT_TO_BODY.finditer(k, a, b):
            p = m.end()
            items, after = _agency_list(self.H, p, b)
            if not items:
                continue
            q = _skip_ws(k, after, b)
            q = _PAREN_FOR.match(k, q, b).end()
            if _NEXT_DUTY.match(k, q, b):
                self._emit(node, q, b, _Clause([(h, "responsible") for h in items], q, True))

    def _parenthetical(self, node: _Node | None, a: int, b: int) -> None:
        """"(Giao Công an tỉnh chủ trì, phối hợp với …)" assigns the sentence before it."""
        k = self.key
        if k.find("(", a, b) < 0:
            return  # every match of _PAREN_GIAO opens with "("
        for m in _PAREN_GIAO.finditer(k, a, b):
            p = m.end()
            close = k.find(")", p, b)
            if close < 0:
                continue
            items, after = _agency_list(self.H, p, close)
            if not items:
                continue
            cl = _cues(self.H, _skip_ws(k, after, close), close, items) or _Clause(
                [(h, "responsible") for h in items], after, True)
            ts = _skip_ws(k, _label_end(k, _skip_ws(k, a, b), b), b)
            self._emit(node, ts, m.start(), _Clause(cl.assignments, ts, True))

    # -- responsibility lines ("Cơ quan chủ trì: …") -----------------------------------------
    def _is_resp(self, n: _Node) -> bool:
        """Whether a node's own text is a responsibility line (cached on the node)."""
        r = n.resp
        if r is None:
            k = self.key
            body = self._body(n)
            own_end = n.own_end
            r = n.resp = k.startswith(_RESP_WORDS, body, own_end) and RESP_LINE.match(k, body, own_end) is not None
        return r

    def _is_timing(self, n: _Node) -> bool:
        """Whether a node's own text is a timing line ("Thời gian thực hiện: …"; cached on the node)."""
        r = n.timing
        if r is None:
            k = self.key
            body = self._body(n)
            own_end = n.own_end
            r = n.timing = k.startswith(_TIMING_WORDS, body, own_end) and \
                _TIMING_LINE.match(k, body, own_end) is not None
        return r

    _EMBEDDED = re.compile(r"\n[\s*|-]*(?=(?:cơ quan|đơn vị|bộ phận)\s+(?:chủ\s+trì|phối\s+hợp|thực\s+hiện)"
                           r"[^:.;]{0,40}:)")

    def _embedded_resp(self, n: _Node) -> int | None:
        """Start of responsibility lines inside a provision's own text ("…\n\nĐơn vị chủ trì
        thực hiện: Các Sở, ngành …"), or None (cached on the node)."""
        e = n.emb
        if e == -2:
            body = self._lab(n)
            m = self._EMBEDDED.search(self.key, body, n.own_end)
            e = n.emb = m.end() if m else None
        return e

    def _resp_roles(self, a: int, b: int, nodes: list[_Node]) -> tuple[list[tuple[Hit, str]], list[tuple[int, int]]]:
        """Roles read from responsibility lines in ``[a, b)`` and in the bullets of ``nodes``:
        "chủ trì" → lead, "phối hợp" → coordinate, "thực hiện" → responsible. A "Cơ quan thực
        hiện:" line that is a sentence ("Sở X tiến hành rà soát …") is returned as a clause to
        read instead."""
        k = self.key
        roles: list[tuple[Hit, str]] = []
        clauses: list[tuple[int, int]] = []
        lines = list(RESP_LINE.finditer(k, a, b))
        for i, m in enumerate(lines):
            if m.start() != a and k[m.start() - 1] not in "\n-*| \t":
                continue
            word = m.group(1)
            role = "lead" if "chủ" in word else ("coordinate" if "phối" in word else "responsible")
            if "chủ" in word and "phối" in k[m.start():m.end()]:
                role = "lead"
            p = m.end()
            seg_end = lines[i + 1].start() if i + 1 < len(lines) else b
            nl = _RESP_SEG_END.search(k, p, seg_end)
            if nl:
                seg_end = nl.start()
            items, after = _agency_list(self.H, _skip_ws(k, p, seg_end), seg_end)
            rest = _skip_ws(k, after, seg_end)
            md = _MANDATE.match(k, rest, seg_end)
            if items and md and (md.end() >= seg_end or _AND_OTHERS.match(k, md.end(), seg_end)):
                # "Sở Nội vụ, các sở … trong phạm vi chức năng, nhiệm vụ của mình và các cơ quan …"
                roles += [(h, role) for h in self._list_in(p, seg_end)]
                continue
            if role == "responsible" and items and rest < seg_end and (
                    _VERB_RE.match(k, rest, seg_end) or _LEAD_COORD_BARE.match(k, rest, seg_end)):
                clauses.append((p, seg_end))
                continue
            if not items:
                items = self._list_in(p, seg_end)
            roles += [(h, role) for h in items]
        for x in nodes:
            xb = self._body(x)
            r2, c2 = self._resp_roles(xb, x.own_end, list(x.children))
            if not r2 and not c2:
                # a bullet under "Cơ quan chủ trì:" that only names agencies
                parent_line = RESP_LINE.search(k, a, b)
                if parent_line is not None:
                    w = parent_line.group(1)
                    role = "lead" if "chủ" in w else ("coordinate" if "phối" in w else "responsible")
                    r2 = [(h, role) for h in self._list_in(xb, x.own_end)]
            roles += r2
            clauses += c2
        return roles, clauses

    def _list_in(self, a: int, b: int) -> list[Hit]:
        """All agencies named in ``[a, b)`` (a cell or a responsibility line)."""
        return [h for h in self.H.between(a, b)]

    def _resp_groups(self, node: _Node, kids: list[_Node]):
        """Groups of (task nodes, roles, clauses) formed by responsibility lines among ``kids``
        (as provisions or embedded at the end of one), each applying to the tasks before it."""
        groups = []
        pending: list[_Node] = []
        for c in kids:
            if self._is_resp(c):
                cb = self._body(c)
                roles, clauses = self._resp_roles(cb, c.own_end, list(c.children))
                tasks = [t for t in pending if not self._is_timing(t)]
                if roles or clauses:
                    groups.append((tasks or [node], roles, clauses, c))
                pending = []
                continue
            if self._is_timing(c):
                continue
            emb = self._embedded_resp(c)
            if emb is not None:
                roles, clauses = self._resp_roles(emb, c.own_end, [])
                pending.append(c)
                if roles or clauses:
                    groups.append((list(pending), roles, clauses, c))
                pending = []
                continue
            pending.append(c)
        return groups

    def _assign_group(self, parent: _Node, up: _Node | None, tasks: list[_Node], roles, clauses,
                      resp_node: _Node) -> None:
        """Assign the ``roles`` read from responsibility lines to the units of ``tasks`` (children
        of ``parent``, or ``parent`` itself; ``up``: the parent's parent) and read ``clauses``."""
        k = self.key
        units: list[tuple[_Node, int, int]] = []
        for t in tasks:
            body = self._body(t)
            end = t.own_end if t is not parent else (resp_node.start if resp_node is not None and
                                                       resp_node.start > body else t.own_end)
            head = TASK_LIST_HEAD.match(k, body, end)
            if head is not None and t is not parent:
                if "biện pháp" in head.group(0) and parent is not None:
                    pb = self._body(parent)
                    units.append((parent, pb, _line_end(self.text, pb, parent.own_end)))
                    continue
                rest = _skip_ws(k, head.end(), end)
                if rest < end and _CONTENT_CHAR.search(self.text, rest, end):
                    units.append((t, rest, end))
                for c in t.children:
                    cb = self._body(c)
                    units.append((c, cb, c.own_end))
                continue
            if t is parent and not _VERB_RE.match(k, body, end) and not self.text[body:body + 1].islower() \
                    and up is not None:
                # "a) Nghị định quy định chi tiết …" + "Cơ quan chủ trì": the task is the heading above
                gp = up
                pb = self._body(gp)
                units.append((gp, pb, _line_end(self.text, pb, gp.own_end)))
                continue
            units.append((t, body, end))
            if t is not parent:
                for c in t.children:
                    if not self._is_resp(c) and not self._is_timing(c):
                        cb = self._body(c)
                        units.append((c, cb, c.own_end))
        for n, a, b in units:
            emb = self._EMBEDDED.search(k, a, b)
            if emb:
                b = emb.start()
            sents = _sentences(self.text, a, b)
            if not sents:
                continue
            sa, sb = sents[0]
            own = _read_clause(self.H, sa, sb, []) or self._late_subject(sa, sb)
            ts = sa
            extra: list[tuple[Hit, str]] = []
            if own is not None and own.explicit:
                ts = own.task_start
                extra = [(h, r) for h, r in own.assignments if r != "responsible" or not roles or all(
                    x.name != h.name for x, _ in roles)]
            if roles:
                self._emit(n, sa, sb, _Clause(list(roles) + extra, ts, True))
        for ca, cb in clauses:
            self._content(resp_node, ca, cb, [])

    # -- tables ---------------------------------------------------------------------------
    def _table_rows(self, rows: list[_Node]) -> None:
        """Task tables: columns found from the header row; continuation rows aligned to the
        right; bullets of the task cell are tasks of the row's lead and coordinating bodies."""
        cols: dict[str, int] | None = None
        ncols = 0
        cur_lead: list[Hit] = []
        cur_coord: list[Hit] = []
        key = self.key
        for r in rows:
            # a header row names the lead column ("chủ trì", _LEAD_HEAD): a row without "trì" is
            # read only under a header with a task column
            header = key.find("trì", r.start, r.end) >= 0
            if not header and (cols is None or "task" not in cols):
                continue
            cells = self._cells(r)
            if not cells:
                continue
            low = _header_cells(key, cells) if header else None
            if low is not None:
                cols = {}
                for i, c in enumerate(low):
                    if "chủ trì" in c and "lead" not in cols:
                        cols["lead"] = i
                    elif "phối hợp" in c and "coord" not in cols:
                        cols["coord"] = i
                    elif _TIME_HEAD.search(c) and "time" not in cols:
                        cols["time"] = i
                    elif _TASK_COL.search(c) and "task" not in cols and \
                            "nhóm" not in c:
                        cols["task"] = i
                ncols = len(cells)
                cur_lead, cur_coord = [], []
                continue
            if cols is None or "task" not in cols:
                continue
            if len(cells) <= 2 and self.text[cells[-1][0]:cells[-1][1]].strip().isupper():
                continue  # a group row ("A. | BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")
            offset = ncols - len(cells)
            by_col = {i + offset: c for i, c in enumerate(cells)}
            if "lead" in cols and cols["lead"] in by_col:
                a, b = by_col[cols["lead"]]
                cur_lead = self._list_in(a, b)
                cur_coord = []
                if "coord" in cols and cols["coord"] in by_col:
                    a, b = by_col[cols["coord"]]
                    cur_coord = self._list_in(a, b)
            if cols["task"] not in by_col or not (cur_lead or cur_coord):
                continue
            ta, tb = by_col[cols["task"]]
            timing = by_col.get(cols.get("time", -1))
            roles = [(h, "lead") for h in cur_lead] + [(h, "coordinate") for h in cur_coord]
            for ba, bb in self._bullets(ta, tb):
                self._emit(r, ba, bb, _Clause(list(roles), ba, True), timing=timing)

    def _cells(self, r: _Node) -> list[tuple[int, int]]:
        out = []
        p = r.start
        t = self.text
        q = t.find("|", r.start, r.end)
        while q != -1:
            if t[p:q].strip(" \t\n*"):
                out.append(self._trim(p, q))
            p = q + 1
            q = t.find("|", p, r.end)
        if self.text[p:r.end].strip(" \t\n*"):
            out.append(self._trim(p, r.end))
        return out

    def _trim(self, a: int, b: int) -> tuple[int, int]:
        while a < b and self.text[a] in " \t\n*":
            a += 1
        while b > a and self.text[b - 1] in " \t\n*":
            b -= 1
        return a, b

    def _bullets(self, a: int, b: int) -> list[tuple[int, int]]:
        t = self.text
        starts = [m.start() for m in _BULLET_START.finditer(t[a:b])]
        if not starts or (starts[0] != 0 and t[a:a + starts[0]].strip()):
            starts = [0] + starts
        out: list[tuple[int, int]] = []
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < len(starts) else b - a
            sa = a + s
            sa += len(t[sa:a + e]) - len(t[sa:a + e].lstrip(" \t\n-–+•"))
            if not t[sa:a + e].strip():
                continue
            if out and t[out[-1][0]:out[-1][1]].rstrip().endswith(":"):
                out[-1] = (out[-1][0], a + e)  # "- …các chính sách ưu đãi:" + its object bullets
                continue
            cue = _BULLET_LEAD.match(self.key, sa, a + e)
            if cue and _VERB_RE.match(self.key, cue.end(), a + e):
                sa = cue.end()
            out.append((sa, a + e))
        return out

    # -- output ---------------------------------------------------------------------------
    def _emit(self, node: _Node | None, a: int, b: int, cl: _Clause, timing=None) -> None:
        ts = _skip_ws(self.key, cl.task_start, b)
        if ts >= b or not _TASK_CHAR.search(self.text, ts, b):
            return
        if self.key.find("sau", ts, b) >= 0 and _LEAD_IN.fullmatch(self.key, ts, b):
            return  # "… cần tập trung một số nhiệm vụ quan trọng như sau:" introduces the tasks
        self.out.append(_Pending(a, b, list(cl.assignments), node, ts, timing=timing))


def _line_end(text: str, a: int, b: int) -> int:
    m = _BLANK_LINE.search(text, a, b)
    return m.start() if m else b


# --------------------------------------------------------------------------------------------
# Timing and reporting
# --------------------------------------------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTH_YEAR = re.compile(r"(?<!\d\s)(?<!\d)(?<!ngày)\s(?:trong\s+|vào\s+|trước\s+)?tháng\s+(?:\d{1,2}\s*,\s*)?(\d{1,2})"
                         r"\s*(?:/|năm)\s*(\d{4})")
"""A month and year ("tháng 12/2013"); needs the word "tháng" (tested first)."""


_T_DAY_MONTH = re.compile(r"(?:trước|chậm nhất|không muộn hơn|hoàn thành trước|trong)\s+(?:ngày\s+)?(\d{1,2})\s*[/-]\s*"
                          r"(\d{1,2})(?:\s*[/-]\s*(\d{4}))?")
_T_DAY_WORDS = re.compile(r"(?:trước\s+)?ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?")
_T_BEFORE = re.compile(r"trước|chậm nhất|hạn")
_T_QUARTER = re.compile(r"quý\s+([ivx]+|\d)\s*(?:/|năm|,)\s*(\d{4})")
_T_DAY_BEFORE = re.compile(r"ngày\s+\d{1,2}\s*$")
_T_YEAR = re.compile(r"(?:trong|trước|cuối|hoàn thành(?: trong)?)\s+năm\s+(\d{4})")
_F_MONTHS = re.compile(r"định kỳ\s+(\d+)\s+tháng")
_F_QUARTERLY = re.compile(r"hằng quý|hàng quý|định kỳ quý|theo quý")
_F_MONTHLY = re.compile(r"hằng tháng|hàng tháng|định kỳ tháng")
_F_WEEKLY = re.compile(r"hằng tuần|hàng tuần")
_F_YEARLY = re.compile(r"hằng năm|hàng năm|định kỳ năm|định kỳ hằng năm|thường niên")
_F_HALF_YEARLY = re.compile(r"6 tháng một lần|sáu tháng")
"""The timing patterns of :func:`parse_timing`, in the order it tries them (matched on the
folded key of a task text)."""


def parse_timing(text: str) -> tuple[str | None, str | None, str | None]:
    """Deadline and frequency stated in a task text: (deadline, deadline_text, frequency).

    ``deadline``: ISO date ("2025-12-15"), gMonthDay for a yearly date ("--12-15"), quarter
    ("2025-Q4"), month ("2013-12") or year ("2026"); ``frequency``: ISO 8601 duration ("P1Y",
    "P6M", "P3M", "P1M", "P1W"). Input: clean text. Raises nothing.
    """
    return _timing(text, fold_key(text))


def _key_of(clean, a: int, b: int) -> str:
    """``fold_key(clean.text[a:b])``, taken from ``clean.key`` (the fold of the whole text) where
    they agree: the fold of a character depends on its neighbours only through the "qu" onset
    and the word end of a toned pair (:func:`graph.ingest.text.fold_key`) and through the final
    sigma of ``str.lower``; so the slice of the key is the fold of the slice when no letter or
    digit touches the range on either side and it holds no capital sigma. Else the slice is
    folded."""
    text = clean.text
    if (a == 0 or not text[a - 1].isalnum()) and (b >= len(text) or not text[b].isalnum()) \
            and text.find("\u03a3", a, b) < 0:
        return clean.key[a:b]
    return fold_key(text[a:b])


def _timing(text: str, k: str) -> tuple[str | None, str | None, str | None]:
    """:func:`parse_timing` of ``text`` whose folded key (``fold_key(text)``) is ``k``."""
    deadline = dtext = freq = None
    # each pattern is tried only when a word (or character) it cannot match without is in k
    month = "tháng" in k
    year = "năm" in k
    quarter = "quý" in k
    m = _T_DAY_MONTH.search(k) if "/" in k or "-" in k else None
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
        if 1 <= d <= 31 and 1 <= mo <= 12:
            deadline = f"{y}-{mo:02d}-{d:02d}" if y else f"--{mo:02d}-{d:02d}"
            dtext = text[m.start():m.end()]
    if deadline is None and month and "ngày" in k:
        m = _T_DAY_WORDS.search(k)
        if m and _T_BEFORE.search(k[max(0, m.start() - 12):m.start() + 6]):
            d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
            if 1 <= d <= 31 and 1 <= mo <= 12:
                deadline = f"{y}-{mo:02d}-{d:02d}" if y else f"--{mo:02d}-{d:02d}"
                dtext = text[m.start():m.end()]
    if deadline is None and quarter:
        m = _T_QUARTER.search(k)
        if m:
            q = m.group(1)
            q = _ROMAN.get(q, None) if not q.isdigit() else int(q)
            if q and 1 <= q <= 4:
                deadline, dtext = f"{m.group(2)}-Q{q}", text[m.start():m.end()]
    if deadline is None:
        m = _MONTH_YEAR.search(" " + k) if month else None
        if m and _T_DAY_BEFORE.search((" " + k)[:m.start() + 1]):
            m = None
        if m and 1 <= int(m.group(1)) <= 12:
            deadline, dtext = f"{m.group(2)}-{int(m.group(1)):02d}", text[max(0, m.start()):m.end() - 1].strip()
    if deadline is None and year:
        m = _T_YEAR.search(k)
        if m:
            deadline, dtext = m.group(1), text[m.start():m.end()]
    m = _F_MONTHS.search(k) if month and "định kỳ" in k else None
    if m:
        freq = f"P{int(m.group(1))}M"
    elif quarter and _F_QUARTERLY.search(k):
        freq = "P3M"
    elif month and _F_MONTHLY.search(k):
        freq = "P1M"
    elif "tuần" in k and _F_WEEKLY.search(k):
        freq = "P1W"
    elif (year or "thường niên" in k) and _F_YEARLY.search(k):
        freq = "P1Y"
    elif month and _F_HALF_YEARLY.search(k):
        freq = "P6M"
    return deadline, dtext, freq


_REPORT = re.compile(r"(?:báo cáo|gửi(?: báo cáo)?(?: kết quả)?(?: về)?|tổng hợp(?:,)? báo cáo)\s+(?:kết quả\s+)?"
                     r"(?:(?:thực hiện|định kỳ)\s+)?(?:về\s+|cho\s+|lên\s+)?")


def _report_to(H: _Hits, a: int, b: int) -> str | None:
    k = H.ctx.key
    if k.find("báo cáo", a, b) < 0 and k.find("gửi", a, b) < 0:
        return None  # every form of _REPORT has one of them
    for m in _REPORT.finditer(k, a, b):
        items, _after = _agency_list(H, m.end(), b)
        if items and not items[0].collective:
            return items[0].name
    return None


# --------------------------------------------------------------------------------------------
# Public entry
# --------------------------------------------------------------------------------------------


_BULLET_HEAD = re.compile(r"^[-–+•~*\s]+")


_SUMMARY_HEAD = 240
"""Characters of a long task text that :func:`_summary` reads first (enough for its words)."""


def _summary(text: str, max_words: int = 12) -> str:
    """First words of a task as written (bullets and markup removed, clause end respected,
    the end-of-text mark ``./.`` dropped).

    A long text is read from its first :data:`_SUMMARY_HEAD` characters when they give at least
    ``max_words + 2`` words: all but the last word of that head (cut, or its end stripped) are
    words of the whole text (markup removal and whitespace collapsing work character by
    character, the strips touch only the ends), so its first ``max_words`` are the text's."""
    words = None
    if len(text) > _SUMMARY_HEAD:
        words = _words(text[:_SUMMARY_HEAD])
        if len(words) < max_words + 2:
            words = None
    if words is None:
        words = _words(text)
    out = []
    for w in words:
        out.append(w)
        if len(out) >= max_words:
            break
        if w != "." and w.endswith(".") and len(out) >= 4:
            break
    s = " ".join(out)
    if "./" in s:  # every match of _END_MARK holds "./"
        s = _END_MARK.sub("", s)
    return s.rstrip(" ,;:.")


_clean_surface = clean_surface.__wrapped__
""":func:`graph.extract.agencies.clean_surface` without its cache: task texts seldom recur, and
caching them would push agency surfaces out of it."""


def _words(text: str) -> list[str]:
    """``_BULLET_HEAD.sub("", clean_surface(text)).split()``: the words of a text without markup
    and without the bullets and blanks it starts with (:data:`_BULLET_HEAD` is anchored at the
    start, so it can match only there: one ``match`` instead of a ``sub`` that searches)."""
    s = _clean_surface(text)
    m = _BULLET_HEAD.match(s)
    return (s[m.end():] if m is not None else s).split()


_END_MARK = re.compile(r"\s*\./\.?$")
"""The end-of-text mark "./." (or "./") after a document's last sentence (Decree 30/2020/NĐ-CP,
Appendix I), which is not part of the task: "thi hành Quyết định này./." → "… này"."""

_SET_START = Span.__dict__["start"].__set__ if "__slots__" in Span.__dict__ else None
_SET_END = Span.__dict__["end"].__set__ if _SET_START is not None else None


def _span_of(tomap, a: int, b: int) -> Span:
    """``CleanText.original_span(a, b)`` for ``0 <= a <= b <= len(text)`` (the caller's spans
    are inside the text): the :class:`~graph.models.Span` in original offsets of the clean range
    ``[a, b)`` (``tomap``: ``clean.to_original``), filled through its slots (the generated
    ``__init__`` and its check cost three times as much; should ``Span`` lose its slots, the
    constructor is used)."""
    o = tomap[a]
    e = tomap[b - 1] + 1 if b > a else o
    if _SET_START is None:
        return Span(o, e)
    sp = object.__new__(Span)
    _SET_START(sp, o)
    _SET_END(sp, e)
    return sp


def _agency_name(h: Hit) -> str:
    return h.name if not h.collective else h.surface


def extract_tasks(doc: Document, agencies=None, registry=None) -> list[Task]:
    """The tasks of ``doc`` with their assignments, deadline, frequency and reporting body.

    Input: a parsed :class:`~graph.models.Document`; ``agencies`` (the
    :class:`~graph.models.AgencyMention` list of ``extract_agencies``, accepted for the pipeline's
    uniform call; the recogniser's cached hits are used) and ``registry`` (the instrument
    registry, default :func:`graph.registry.load_registry`; it reads document numbers, whose
    codes are not agencies). Output: :class:`~graph.models.Task` objects in text order; ``id`` is
    ``t1``, ``t2`` …; ``span`` points into ``doc.text``; ``provision`` is the eid of the
    provision holding the task; an :class:`~graph.models.Assignment`'s ``agency`` is the
    canonical name (collectives: as written) and its ``span`` the agency mention. Raises nothing
    on text.
    """
    ex = _Extractor(doc, registry)
    pending = ex.run()
    tasks: list[Task] = []
    seen: set = set()
    clean = doc.clean
    tomap = clean.to_original
    for p in sorted(pending, key=attrgetter("text_start", "start")):
        text = clean.text[p.text_start:p.end]
        summary = _summary(text)
        if not summary:
            continue
        assigns = []
        low_summary = summary.lower()
        for h, role in p.roles:
            if h is None:
                continue
            name = _agency_name(h)
            key = (name.lower(), role, low_summary)
            if key in seen:
                continue
            seen.add(key)
            assigns.append(Assignment(agency=name, role=role, span=_span_of(tomap, h.start, h.end)))
        if not assigns:
            continue
        tm = p.timing
        if tm is not None:
            deadline, dtext, freq = parse_timing(clean.text[tm[0]:tm[1]] + " " + text)
        else:
            deadline, dtext, freq = _timing(text, _key_of(clean, p.text_start, p.end))
        t = Task(
            id=f"t{len(tasks) + 1}",
            text=collapse_ws(text),  # " ".join(text.split()), without the list of words
            summary=summary,
            provision=p.node.eid if p.node is not None else None,
            span=_span_of(tomap, p.text_start, p.end),
            assignments=assigns,
            deadline=deadline,
            deadline_text=dtext,
            frequency=freq,
            report_to=_report_to(ex.H, p.text_start, p.end),
        )
        tasks.append(t)
    return tasks


__all__ = ["extract_tasks", "parse_timing"]

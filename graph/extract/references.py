"""References: every place a document cites another instrument, with its relation and evidence.

Stages (eyecite-like, each a small function over the clean text):

1. **Segment** the clean text into paragraphs and items (``;``-separated clauses; a paragraph
   ends at a blank line, a table pipe, a sentence end, or a line that starts a list item,
   "Căn cứ", "Thực hiện" …; a lone line break inside a sentence is a soft wrap, so phrases are
   matched with ``\\s+`` between words).
2. **Find mentions**:

   - numbered: a document number (:mod:`graph.extract.numbers`) with the type word before it
     ("Quyết định số 1591/QĐ-TTg", "Luật Trẻ em số 102/2016/QH13", "Kết luận liên ngành tư
     pháp Trung ương số 23/KL-LNTPTW"); "Pháp lệnh sửa đổi, bổ sung một số điều của Pháp lệnh
     X số N" is N, which amends X;
   - short forms: a type word and a bare number ("Quyết định số 23", "Chỉ thị 28");
   - by name: a capitalised type word of a type that is cited by name (``by_name`` in
     ``doc_types.tsv``: Luật, Chương trình, Chiến lược, Đề án …) and a name body read up to a
     terminator (punctuation, "ngày", "số", a verb such as "được"/"ban hành"/"bảo đảm", a period
     phrase "giai đoạn 2021-2030[, tầm nhìn đến năm 2045]", "trên địa bàn" …);
   - a type word with an issuer and no number ("Chỉ thị của Bộ Chính trị");
   - aliases the text defines: "(sau đây gọi tắt là Đề án 1215)".

3. **Attributes** from the words after a mention: date (``graph.extract.dates``), issuer
   ("của Thủ tướng Chính phủ"; abbreviations expanded; the resolver adds the locality).
4. **Relations**: each item is read as a chain. The item's leading cue ("Căn cứ" →
   ``based_on``; "Thực hiện", "Triển khai", "cụ thể hóa" … → ``implements``; "Xét", "Theo đề
   nghị" → ``cites``) applies to the first mention and to mentions coordinated with it. A later
   mention preceded by a cue *inside* the description of an earlier one is that instrument's
   reference: "Công văn số 23/LĐTBXH-TE … triển khai Quyết định số 1591/QĐ-TTg" gives a mention
   with ``source_number = "23/LĐTBXH-TE"`` (cues: thực hiện/triển khai/hướng dẫn thi hành/quy
   định chi tiết → implements, sửa đổi, bổ sung → amends, thay thế → replaces, bãi bỏ →
   repeals). A programme named right after "phê duyệt"/"ban hành"/"về" in an instrument's
   description, or followed by "(kèm theo Quyết định số N)", is that instrument's content (it
   gets the instrument's number). The document's own relations come from the title and the
   opening's leading cues (ANNOTATION.md: "usually in the title or the opening sentence"); a
   cue in the middle of a sentence, and every reference in the body, ``cites`` — except "Kế
   hoạch này thay thế …" style statements about the document itself.
5. **Self references**: the document's own number, and the programme or plan that the
   document itself approves or issues ("QUYẾT ĐỊNH PHÊ DUYỆT CHƯƠNG TRÌNH …", "Điều 1. Phê
   duyệt Chương trình …", "Ủy ban nhân dân tỉnh ban hành Kế hoạch …", "Kế hoạch này") are
   flagged ``self_reference`` (kept for provenance, not references).

In the body (outside title and opening) a reference *by name* is kept only with some evidence
that it names an existing instrument: a law-type name (Luật, Bộ luật, Pháp lệnh, Công ước) or
a capitalised/quoted name, a period phrase or "quốc gia" in it, a date or issuer after it, or
an implementing verb before it ("tiếp tục thực hiện Đề án …"); names that the text is about to
create ("Xây dựng Chương trình truyền thông …", "… được phê duyệt") are not references.

Public verb: :func:`extract_references`. Every rule here is general; facts about particular
instruments live in ``data/registry``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from graph.extract.numbers import find_numbers, parse_number, using_registry
from graph.ingest.text import char_positions, collapse_ws, fold_key, literal_trie
from graph.models import Document, ReferenceMention, Span
from graph.registry import name_core as _core

try:  # dates are another stage's module; keep a minimal reader if it is absent
    from graph.extract.dates import date_covering as _date_covering
    from graph.extract.dates import find_dates as _find_dates
except ImportError:  # pragma: no cover - exercised only when dates.py is missing
    _FD = re.compile(r"(?:ngày\s*)?(\d{1,2})\s*(?:tháng\s*(\d{1,2})\s*năm|/(\d{1,2})/)\s*(\d{4})", re.I)

    def _find_dates(text: str) -> list[tuple[int, int, str]]:
        out = []
        for m in _FD.finditer(text):
            mo = int(m.group(2) or m.group(3))
            out.append((m.start(), m.end(), f"{int(m.group(4)):04d}-{mo:02d}-{int(m.group(1)):02d}"))
        return out

    def _date_covering(text: str, pos: int) -> tuple[int, int, str] | None:
        return next((d for d in _find_dates(text) if d[0] <= pos < d[1]), None)

__all__ = ["extract_references", "CUES", "relation_of_cue", "normalise_issuer"]


def _ws(pattern: str) -> str:
    """A phrase pattern tolerant of line wraps: every literal space becomes ``\\s+``."""
    return pattern.replace(" ", r"\s+")


@lru_cache(maxsize=1024)
def _R(pattern: str, ws: bool = False) -> re.Pattern:
    """Compiled (and cached) regex; ``ws``: pass the pattern through :func:`_ws` first."""
    return re.compile(_ws(pattern) if ws else pattern)


# --------------------------------------------------------------------------------------------
# Cue words (ANNOTATION.md "Relation rules"); matched on the folded key (lower case).
# --------------------------------------------------------------------------------------------

CUES: tuple[tuple[str, str], ...] = (
    ("căn cứ", "based_on"),
    ("triển khai thực hiện", "implements"),
    ("tổ chức thực hiện", "implements"),
    ("hướng dẫn thi hành", "implements"),
    ("hướng dẫn thực hiện", "implements"),
    ("quy định chi tiết", "implements"),
    ("hướng dẫn chi tiết", "implements"),
    ("cụ thể hóa", "implements"),
    ("thực hiện", "implements"),
    ("triển khai", "implements"),
    ("thi hành", "implements"),
    ("điều chỉnh, bổ sung", "amends"),
    ("điều chỉnh bổ sung", "amends"),
    ("sửa đổi, bổ sung", "amends"),
    ("sửa đổi bổ sung", "amends"),
    ("sửa đổi", "amends"),
    ("bổ sung một số điều", "amends"),
    ("thay thế", "replaces"),
    ("bãi bỏ", "repeals"),
    ("hủy bỏ", "repeals"),
    ("xét đề nghị", "cites"),
    ("theo đề nghị", "cites"),
    ("trên cơ sở", "cites"),
    ("xét", "cites"),
)
"""(cue phrase, relation) pairs; source: ANNOTATION.md "Relation rules"."""

_CUE_REL = {c: r for c, r in CUES}
_MIN_CUE = min(len(c) for c, _ in CUES)
"""Length of the shortest cue phrase (characters): a shorter window cannot hold a cue."""
_CUE_RE = re.compile(
    r"(?<![^\W\d_])(" + "|".join(_ws(re.escape(c).replace(r"\ ", " ")) for c, _ in
                                 sorted(CUES, key=lambda x: -len(x[0]))) + r")(?![^\W\d_])")
"""A cue phrase with no letter right before or after it (the definition :func:`_cue_in` is
tested against; it runs :data:`_CUE_BODY`)."""
_CUE_BODY = re.compile(_CUE_RE.pattern[len(r"(?<![^\W\d_])"):])
""":data:`_CUE_RE` without its leading look-behind: it begins with the phrases' first letters,
so the engine skips to the next such letter at C speed (a pattern that begins with a
look-behind is tried at every offset); :func:`_cue_in` tests the character before a match."""
_LEAD_CUE_RE = re.compile(
    r"[ \t\n]*(?:[-+•*]\s*)?(?:\d+(?:\.\d+)*[.)]\s*|[a-zđ]\)\s*)?(" + "|".join(_ws(c) for c in sorted(
        ("căn cứ", "thực hiện", "triển khai thực hiện", "triển khai", "xét đề nghị", "xét", "theo đề nghị",
         "trên cơ sở", "cụ thể hóa", "tổ chức thực hiện", "v/v thực hiện", "v/v triển khai", "về việc thực hiện",
         "về việc triển khai"), key=len, reverse=True)) + r")(?![^\W\d_])")


@lru_cache(maxsize=512)
def _cue_key(phrase: str) -> str:
    """The cue phrase with white space collapsed and a leading "v/v " or "về việc " dropped
    (cached: a text repeats a few cues)."""
    p = " ".join(phrase.split())
    p = re.sub(r"^(?:v/v|về việc) ", "", p)
    return p


def relation_of_cue(cue: str) -> str:
    """Relation named by a cue phrase (any case/tone placement/spacing): "Căn cứ" →
    ``based_on``, "Triển khai thực hiện" → ``implements``, "sửa đổi, bổ sung" → ``amends`` …;
    ``cites`` for an unknown cue."""
    return _CUE_REL.get(_cue_key(fold_key(cue)), "cites")


# --------------------------------------------------------------------------------------------
# Vocabulary of name bodies (folded key, lower case)
# --------------------------------------------------------------------------------------------

_FIRST_STOP = re.compile(_ws(
    r"(?:này|đó|trên|nêu|và|các|được|đã|sẽ|theo|về|cho|với|trong|tại|số|đang|kèm|thì|là|mà|nhằm|để|có|sau|"
    r"tiếp|khác|liên quan|cũng|phải|chung|chưa|gồm|hoặc|hay|từ|thuộc|gửi|vào|ở|do|như|bằng|tới|mới|của|"
    r"cụ thể|kịp thời|phù hợp|bảo đảm|đảm bảo|một cách|lồng ghép|sử dụng|trình|lập|đúng|đầy đủ|hiệu quả|"
    r"tốt|hàng năm|hằng năm|đồng bộ|năm|quý|tháng|ngày|giai đoạn|thời gian|thời kỳ|đến|triển khai|"
    r"thực hiện|tổ chức thực hiện|ban hành|phê duyệt|hướng dẫn|xây dựng|nghiên cứu|hoàn thiện|rà soát|"
    r"dự thảo|mẫu|gắn|kết hợp|nghiêm túc|thay thế|đề ra|đề xuất|đề nghị|vì vậy|nhưng|khi|nếu|trước|"
    r"riêng|bao gồm|sát với)(?![^\W\d_])"))
"""Words that cannot begin a name body ("Chương trình này", "Kế hoạch kịp thời" …)."""

_STOP_AFTER = re.compile(_ws(
    r"(?:ngày|được|đã|đang|sẽ|thì|nhằm|để|mà|do|theo|như|gồm|bao gồm|cụ thể|này|nêu trên|kèm theo|"
    r"phê duyệt|ban hành|thực hiện|triển khai|tổ chức thực hiện|hướng dẫn|quy định|sửa đổi|thay thế|bãi bỏ|"
    r"bảo đảm|đảm bảo|thuộc|phù hợp|gửi|tới|bằng|lồng ghép|gắn với|kết hợp|vào|phải|cần|là|có hiệu lực|"
    r"trình|tại|ở|của|với|và|trong|số|đến|cho|nay là|một cách|kịp thời|nghiêm túc|hiệu quả|đúng|"
    r"đầy đủ|trên địa bàn|từ|khi|nếu|sau khi|trước|đối với|về việc|về|năm|sát với|bao gồm|hiện hành)(?![^\W\d_])"))
"""Phrases that may end a name; :func:`_stops_here` decides with the context."""

_GENERIC_BODY = frozenset({
    "hành động", "công tác", "tổng thể", "chi tiết", "phối hợp", "quốc gia", "mục tiêu quốc gia",
    "hành động quốc gia", "hoạt động", "trọng tâm", "thực hiện", "triển khai", "triển khai thực hiện",
    "hành động thực hiện", "truyền thông", "đào tạo", "hỗ trợ", "kiểm tra", "công tác năm",
})
"""Bodies too generic to name an instrument by themselves ("Kế hoạch hành động")."""

_PERIOD_HEAD = re.compile(_ws(
    r"(?:giai đoạn|thời kỳ|từ nay đến năm|đến năm|năm)\s*\d{4}(?:\s*[-–—]\s*\d{4})?(?!\d)"))
_PERIOD_CONT = re.compile(_ws(
    r"\s*(?:,\s*|và )?(?:tầm nhìn|định hướng)(?: đến)? năm \d{4}|\s*và những năm tiếp theo|"
    r"\s*,?\s*giai đoạn \d{4}\s*[-–—]\s*\d{4}"))
_LAW_TYPES = frozenset({"Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp", "Công ước", "Hiệp định"})
_SHORT_TYPES = frozenset({"Quyết định", "Chỉ thị", "Nghị quyết", "Nghị định", "Thông tư", "Kết luận",
                          "Quy định", "Công văn", "Thông báo", "Kế hoạch", "Chương trình", "Đề án"})
"""Types cited by a bare number without "số" ("Chỉ thị 28", "Đề án 06")."""

_CREATE_BEFORE = re.compile(_ws(
    r"(?<![^\W\d_])(?:xây dựng|ban hành|(?<!chương\s)trình|đề xuất|nghiên cứu|lập|hoàn thiện|soạn thảo|dự thảo|"
    r"phê duyệt|rà soát|cập nhật|góp ý|tham mưu|tham gia góp ý|chuẩn bị)(?![^\W\d_])(?:[ ,]+[^\s,]+){0,4}"
    r"\s*[“\"]?\s*$"))
_EXISTING_BEFORE = re.compile(_ws(r"(?:điều chỉnh|sửa đổi|bổ sung|thay thế|bãi bỏ)\s*[“\"]?\s*$"))
_CREATED_AFTER = re.compile(_ws(
    r"\s*[”\"]?\s*(?:\([^)]{0,60}\)\s*)?(?:được|sẽ được|phải được) (?:phê duyệt|ban hành|xây dựng|thực hiện|"
    r"triển khai|rà soát|cập nhật|hoàn thiện|thông qua|trình)"))
_USE_BEFORE = re.compile(_ws(
    r"(?:thực hiện|triển khai|theo|tại|của|căn cứ|quy định của|hiệu quả|áp dụng|thi hành|quán triệt)"
    r"(?: \S+){0,2}\s*[“\"]?\s*$"))


# --------------------------------------------------------------------------------------------
# Internal structures
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    para: int


@dataclass(eq=False, slots=True)
class _M:
    """Internal mention (clean-text offsets)."""

    start: int
    end: int
    kind: str  # number | short | name | typed | alias
    type_name: str | None = None
    number: str | None = None
    parsed: object = None
    name: str | None = None
    surface: str = ""
    date: str | None = None
    issuer: str | None = None
    attr_end: int = 0
    self_ref: bool = False
    generic: bool = False
    relation: str = "cites"
    cue: str | None = None
    source: _M | None = None
    content_of: _M | None = None
    prelinked: bool = False
    unit: int = -1
    extra: dict = field(default_factory=dict)


@lru_cache(maxsize=8)
def _patterns(type_names: tuple[str, ...], by_name: frozenset[str]):
    """(head regex, first words of the type names, folded names cited by name)."""
    alts = "|".join(_ws(re.escape(fold_key(t)).replace(r"\ ", " ")) for t in type_names)
    head = re.compile(rf"(?<![^\W\d_])({alts})(?![^\W\d_])")
    literals = tuple(sorted({fold_key(t) for t in type_names}))
    return head, literals, frozenset(fold_key(t) for t in by_name)


_SHORT_TAIL = re.compile(r"([ \t]+số)?[ \t]*:?[ \t]+(\d{1,5})(?![\d/\-–]|\.\d|[^\W\d_]|\s*[.)]\s*\n)")
_OF = re.compile(r"\s+của\s+")


@lru_cache(maxsize=8)
def _literal_scan(literals: tuple[str, ...]):
    """(search regex, set of ``literals``, their lengths ascending), or None when some literal
    overlaps itself after a non-letter (then one ``str.find`` scan per literal is what the
    search means). A literal that overlaps itself only after a letter ("chiến lược": "c") is
    safe: :func:`_head_hits` keeps a hit only at a word start, and such an overlapping
    occurrence never starts a word, so the trie scan and the ``str.find`` scans agree.

    The search regex is the literals' character trie with ``\\s+`` for each space, as group 1,
    followed by a word end: at an offset it matches the longest type name that the head
    pattern (``\\s+`` between words, longest name first) matches there, so a match whose text
    is a literal (single spaces) *is* the head pattern's match at that offset."""
    for lit in literals:
        if not lit or any(lit[:n] == lit[-n:] and not lit[len(lit) - n - 1].isalpha()
                          for n in range(1, len(lit))):
            return None
    trie = literal_trie(literals).replace(re.escape(" "), r"\s+")
    return (re.compile("(" + trie + r")(?![^\W\d_])"), frozenset(literals),
            tuple(sorted({len(x) for x in literals})))


_LETTER_FREQ = {
    "a": 195, "b": 108, "c": 462, "d": 98, "e": 94, "f": 19, "g": 324, "h": 683, "i": 388, "k": 78, "l": 109,
    "m": 121, "n": 805, "o": 160, "p": 160, "q": 74, "r": 131, "s": 123, "t": 514, "u": 225, "v": 131, "w": 5,
    "x": 32, "y": 103, "à": 123, "á": 106, "â": 36, "ã": 20, "è": 2, "é": 4, "ê": 36, "ì": 19, "í": 33, "ò": 9,
    "ó": 23, "ô": 52, "õ": 1, "ù": 6, "ú": 9, "ý": 18, "ă": 32, "đ": 181, "ĩ": 4, "ũ": 2, "ơ": 38, "ư": 88,
    "ạ": 46, "ả": 60, "ấ": 36, "ầ": 15, "ẩ": 9, "ẫ": 5, "ậ": 43, "ắ": 8, "ằ": 3, "ặ": 10, "ẻ": 1, "ẽ": 1,
    "ế": 59, "ề": 37, "ể": 31, "ễ": 2, "ệ": 77, "ỉ": 16, "ị": 62, "ọ": 8, "ỏ": 3, "ố": 50, "ồ": 19, "ổ": 26,
    "ỗ": 3, "ộ": 53, "ớ": 28, "ờ": 29, "ở": 17, "ỡ": 2, "ợ": 29, "ụ": 42, "ủ": 54, "ứ": 27, "ừ": 9, "ử": 18,
    "ữ": 13, "ự": 38, "ỳ": 1, "ỹ": 2,
}
"""Occurrences per 10,000 characters of each letter in the folded text (``CleanText.key``) of
the 300 bulk-corpus documents (measured; letters rarer than 1 in 10,000 left out, counted as
0). Used only to pick the anchor letters of :func:`_anchor_scan` (a speed choice: any choice
gives the same hits)."""


def _pick_anchors(words: list[str]) -> dict[str, int]:
    """For each word (a type name's first word), the offset of its anchor letter: the letter
    that makes the set of anchor letters rarest in text (:data:`_LETTER_FREQ`; a letter not in
    it counts as common). Greedy: each word takes its rarest letter, then, in turn, a letter
    another word already anchors on when that costs nothing more."""
    def freq(c: str) -> int:
        return _LETTER_FREQ.get(c, 1000)

    pick = {w: min(range(len(w)), key=lambda i: (freq(w[i]), i)) for w in words}
    for _ in range(3):
        for w in words:
            others = {v[pick[v]] for v in words if v != w}
            pick[w] = min(range(len(w)), key=lambda i: (0 if w[i] in others else freq(w[i]), i))
    return pick


@lru_cache(maxsize=8)
def _anchor_scan(literals: tuple[str, ...]):
    """(anchor regex, anchor letter → offsets of that letter in the first words anchored on
    it), or None when :func:`_literal_scan` gives None.

    The trie of :func:`_literal_scan` begins with the first letters of the type names (b, c,
    h, n, t …, over a third of the characters of a text), so the regex engine tries it at
    millions of offsets. The anchor regex begins instead with one letter of each name's first
    word ``w`` (its *anchor*, at offset ``k`` in ``w``: a rare letter such as "ế" of "quyết"
    or "ậ" of "luật", chosen by :func:`_pick_anchors`; about a tenth of the characters): at
    the anchor, a look-behind checks the ``k`` letters of ``w`` before it, then come the rest
    of ``w``, the trie of the names whose first word is ``w`` (``\\s+`` for each space) and a
    word end. So it matches at ``a`` when the trie's pattern matches some name with first word
    ``w`` at ``a - k``, and every offset where the trie's pattern matches is found so, from
    its own first word's anchor (:func:`_head_hits` then tries the trie at ``a - k`` for each
    ``k`` of the anchor letter found)."""
    if _literal_scan(literals) is None:
        return None
    by_first: dict[str, list[str]] = {}
    for lit in literals:
        w = lit.split(" ", 1)[0]
        by_first.setdefault(w, []).append(lit[len(w):])
    words = sorted(by_first)
    pick = _pick_anchors(words)
    alts: dict[str, list[str]] = {}
    offsets: dict[str, set[int]] = {}
    for w in words:
        k = pick[w]
        rests = by_first[w]
        tail = literal_trie(rests).replace(re.escape(" "), r"\s+") if any(rests) else ""
        behind = f"(?<={re.escape(w[:k + 1])})" if k else ""
        alts.setdefault(w[k], []).append(behind + re.escape(w[k + 1:]) + tail + r"(?![^\W\d_])")
        offsets.setdefault(w[k], set()).add(k)
    pattern = "|".join(re.escape(c) + "(?:" + "|".join(a) + ")" for c, a in sorted(alts.items()))
    return re.compile("(?:" + pattern + ")"), {c: tuple(sorted(o)) for c, o in offsets.items()}


def _head_hits(kws: str, head_re, literals: tuple[str, ...]) -> list[re.Match]:
    """Every type word in the text (folded, whitespace-normalised key), in order: the matches
    of ``head_re`` at the offsets where one of ``literals`` (a type name with single spaces)
    starts a word and ends one. One scan of the text with the names' character trie (see
    :func:`_literal_scan`) instead of the whole alternation at every offset; the head pattern
    runs only where the trie's match is not itself a literal (two spaces inside a name)."""
    scan = _literal_scan(literals)
    if scan is not None:
        # same hits as a str.find pass per literal: no literal overlaps itself, so those passes
        # see every occurrence; the full pattern at an offset does not depend on the literal
        trie, litset, lens = scan
        anchor_re, anchor_offsets = _anchor_scan(literals)
        out = []
        n = len(kws)
        search = anchor_re.search
        tmatch = trie.match
        seen: set[int] = set()
        pos = 0
        while True:
            am = search(kws, pos)
            if am is None:
                break
            a = am.start()
            pos = a + 1
            # the offsets where the trie's pattern may match, from this anchor (several first
            # words can share an anchor letter; an offset is read once)
            for k in anchor_offsets[kws[a]]:
                i = a - k
                if i < 0 or i in seen:
                    continue
                if i:
                    c = kws[i - 1]
                    if c.isalnum() and not c.isdecimal():  # head_re's (?<![^\W\d_]); covers isalpha
                        continue
                t = tmatch(kws, i)
                if t is None:
                    continue
                seen.add(i)
                if t.group(1) in litset:
                    out.append(t)  # type names are sorted by length: the head pattern gives this match
                    continue
                for L in lens:
                    if kws[i:i + L] in litset and (i + L >= n or not kws[i + L].isalpha()):
                        m = head_re.match(kws, i)
                        if m is not None:
                            out.append(m)
                        break
        out.sort(key=_match_start)
        return out
    out = []
    find = kws.find
    n = len(kws)
    for lit in literals:
        i = find(lit)
        L = len(lit)
        while i != -1:
            if (i == 0 or not kws[i - 1].isalpha()) and (i + L >= n or not kws[i + L].isalpha()):
                m = head_re.match(kws, i)
                if m is not None:
                    out.append(m)
            i = find(lit, i + L)
    out.sort(key=lambda m: m.start())
    # keep the longest of hits starting at the same place ("kế hoạch hành động" over "kế hoạch")
    dedup: list[re.Match] = []
    for m in out:
        if dedup and dedup[-1].start() == m.start():
            if m.end() > dedup[-1].end():
                dedup[-1] = m
            continue
        dedup.append(m)
    return dedup


_match_start = re.Match.start


# --------------------------------------------------------------------------------------------
# Segmentation
# --------------------------------------------------------------------------------------------


_HARD = re.compile(r"\n[ \t]*\n")
_EOL = re.compile(r"[.;:][ \t]*\n")
_DOT = re.compile(r"\.(?<=[^ .\n\t]\.)\s+(?=[A-ZĐÀ-Ỹ\[])")
_MARKER = re.compile(
    # the first lookahead is the first characters of the markers (a lower-case letter only before
    # ")"): a cheap test that turns away most lines (table rows, wrapped text) before the list
    r"\n[ \t]*(?=[-+•–\dIVXLCĐPM\[TQNKX]|[a-zđ]\))"
    r"(?=[-+•–]\s|\d+(?:\.\d+)*\.\s|\d+\)\s|[a-zđ]\)\s|[IVXLC]+\.\s|Điều\s+\d|ĐIỀU\s+\d|"
    r"Chương\s+[IVXLC\d]|CHƯƠNG\s+[IVXLC\d]|Phần\s|PHẦN\s|Mục\s+[IVXLC\d]|\[\d+\]|Căn cứ|CĂN CỨ|Thực hiện|"
    r"Triển khai|Xét\s|Theo đề nghị|QUYẾT ĐỊNH\s*:|Quyết định\s*:|Nơi nhận|Kính gửi|V/v)"
)
"""Paragraph boundaries: blank line or table pipe, a line ending in ``.;:``, a full stop before
a capital, a line starting a list item or a preamble cue. Items also end at ``;``. (Separate
simple regexes: Python's engine scans each far faster than one alternation.)"""


_EOL_SCANS = tuple(re.compile(re.escape(c) + r"[ \t]*\n") for c in ".;:")
""":data:`_EOL` as one pattern per punctuation mark (each has a literal first character, which
the engine finds much faster than a class); a match holds no mark after its first character,
so together they give the matches of :data:`_EOL`."""


_LINE_CUTS = re.compile(
    r"\n(?:(?=[ \t]*(\n))|(?<=[.;:]\n)|" + _MARKER.pattern[2:] + r"|(?<=[ \t]\n)())")
"""The line-break cuts of :data:`_HARD`, :data:`_EOL` and :data:`_MARKER` in one scan (each
is a line break: the first of a blank line, one after ``.;:`` and spaces or tabs, one before
a list item or cue): a blank line (group 1: the line break that ends it), a line break right
after ``.;:``, a marker line, or a line break after a space or tab (group 2; whether ``.;:``
comes before the spaces is read in :func:`_line_cuts`)."""


def _line_cuts(text: str) -> list[int]:
    """Offsets (ascending, of ``\n`` characters in ``text``) that are paragraph cuts: the
    union of ``m.start()`` of :data:`_HARD` and :data:`_MARKER` and ``m.end() - 1`` of
    :data:`_EOL` (their ``finditer`` over ``text``), from one scan of the line breaks
    (:data:`_LINE_CUTS`) instead of five. :data:`_HARD`'s matches do not overlap: in a run of
    blank lines the line break that ends one match does not start another (unless it is also
    an :data:`_EOL` or :data:`_MARKER` cut, which it cannot be)."""
    out: list[int] = []
    last = -1  # the line break that ends the last blank-line match
    for m in _LINE_CUTS.finditer(text):
        p = m.start()
        g = m.lastindex
        if g == 1:
            if p == last:
                continue
            last = m.start(1)
        elif g == 2:
            q = p - 1
            while q and text[q - 1] in " \t":
                q -= 1
            if not q or text[q - 1] not in ".;:":
                continue
        out.append(p)
    return out


class _Units:
    """The items of a text (see :func:`_segment`), found on demand from the sorted cut offsets
    instead of being listed one by one (a document has hundreds of items, a few of which hold
    mentions; bisection on ``cuts`` finds an item in O(log n)).

    ``cuts``: every cut, ascending (character offsets into ``clean.text``/``clean.key``; a cut
    is the separator character that ends an item); ``paras``: the cuts that also end a
    paragraph, ascending (``paraset``: the same, as a set); ``n``: the text length. An item is
    ``[s, e)`` with ``s`` = 0 or a cut plus one and ``e`` the first cut at or after ``s`` (or
    ``n``); empty items are skipped. An item is named by its start offset ``s`` (its *id*; ids
    ascend with the text, -1 is "no item"), and its paragraph id is the number of paragraph
    cuts before ``s`` (every paragraph cut counts, also one between empty items).
    :meth:`get` caches the :class:`_Unit` objects it builds."""

    __slots__ = ("cuts", "paras", "paraset", "n", "_cache")

    def __init__(self, cuts: list[int], paras: set[int], n: int, sorted_paras: list[int] | None = None):
        """``sorted_paras``: ``sorted(paras)`` when the caller has it (not checked)."""
        self.cuts, self.paraset, self.n = cuts, paras, n
        self.paras = sorted(paras) if sorted_paras is None else sorted_paras
        self._cache: dict[int, _Unit] = {}

    def _end(self, s: int) -> int:
        """End of the item starting at ``s`` (first cut at or after ``s``, else the text end)."""
        cuts = self.cuts
        k = bisect_left(cuts, s)
        return cuts[k] if k < len(cuts) else self.n

    def at(self, pos: int) -> int:
        """Id of the last non-empty item starting at or before ``pos`` (the first item if there
        is none); -1 when the text has no item."""
        cuts = self.cuts
        nc = len(cuts)
        k = bisect_left(cuts, pos)  # cuts[k - 1] < pos <= cuts[k]
        while True:
            s = cuts[k - 1] + 1 if k > 0 else 0
            # the item's end, _end(s): the first cut at or after s is cuts[k] (cuts ascend)
            if (cuts[k] if k < nc else self.n) > s:
                return s
            if k == 0:
                return self.next(-1)
            k -= 1

    def get(self, s: int) -> _Unit:
        """The item with id ``s`` (cached)."""
        u = self._cache.get(s)
        if u is None:
            u = self._cache[s] = _Unit(s, self._end(s), bisect_left(self.paras, s))
        return u

    def end_at(self, pos: int) -> int:
        """End offset of the item :meth:`at` ``pos``."""
        return self._end(self.at(pos))

    def para_at(self, pos: int) -> int:
        """Paragraph id of the item :meth:`at` ``pos``."""
        return bisect_left(self.paras, self.at(pos))

    def prev(self, s: int) -> int:
        """Id of the non-empty item before the item ``s``, or -1."""
        if s <= 0:
            return -1
        p = self.at(s - 1)
        return p if p < s else -1

    def sentence_bounds(self, s: int) -> tuple[int, int]:
        """``(lo, hi)`` of the sentence around the item ``s``: the items of its paragraph
        before it while their start lies less than 600 characters before the sentence's start,
        and after it while their end lies less than 400 characters after the sentence's end.
        Walks the cuts: an item's neighbour is in its paragraph when no cut between them is a
        paragraph cut."""
        cuts, n, paraset = self.cuts, self.n, self.paraset
        k = bisect_left(cuts, s) - 1  # cuts[k] == s - 1 ends the item before
        lo = s
        while k >= 0 and cuts[k] not in paraset:
            st = cuts[k - 1] + 1 if k > 0 else 0
            if st < cuts[k]:  # a non-empty item [st, cuts[k])
                if lo - st >= 600:
                    break
                lo = st
            k -= 1
        j = bisect_left(cuts, s)  # cuts[j] ends the item (j == len(cuts): the text end)
        hi = cuts[j] if j < len(cuts) else n
        while j < len(cuts) and cuts[j] not in paraset:
            st = cuts[j] + 1
            e = cuts[j + 1] if j + 1 < len(cuts) else n
            if e > st:  # a non-empty item [st, e)
                if e - hi >= 400:
                    break
                hi = e
            j += 1
        return lo, hi

    def next(self, s: int) -> int:
        """Id of the non-empty item after the item ``s`` (``s`` = -1: the first item), or -1."""
        nxt = 0 if s < 0 else self._end(s) + 1
        while nxt < self.n:
            e = self._end(nxt)
            if e > nxt:
                return nxt
            nxt = e + 1
        return -1


def _segment(text: str, key: str, extra_cuts=()) -> _Units:
    """Items (clauses) of the text with their paragraph ids, as a :class:`_Units` (found on
    demand). ``extra_cuts``: further paragraph boundaries (title end, opening end). A cut
    consumes one separator character (``;``, the line break, the sentence's full stop)."""
    para = set(_line_cuts(text))  # blank lines, lines ending in ".;:", list items and cues
    para.update(char_positions(text, "|"))  # table pipes
    para.update([m.start() for m in _DOT.finditer(text)])  # (the look-behind: not after a space or a dot)
    para.update([c - 1 for c in extra_cuts if 0 < c < len(text)])
    paras = sorted(para)
    # the ";" cuts (ascending) that are not paragraph cuts, after the sorted paragraph cuts: two
    # sorted runs, which the sort merges in one pass (the cuts: their union, ascending)
    cuts = paras + [c for c in char_positions(text, ";") if c not in para]
    cuts.sort()
    return _Units(cuts, para, len(text), paras)


# --------------------------------------------------------------------------------------------
# Mention finders
# --------------------------------------------------------------------------------------------

_BETWEEN_TYPE_NUMBER = re.compile(r"\s*(?:số|số hiệu)?\s*:?\s*")
_NAME_THEN_SO = re.compile(r"(\s+[^;:()\[\]|0-9]{1,160}?)\s+số\s*:?\s*")
_AMEND_JOIN = re.compile(_ws(r"\s+sửa đổi,?\s*bổ sung(?: một số điều)?(?: của)?\s+$"))


@lru_cache(maxsize=4096)
def _type_display(reg, word: str) -> str:
    """Display name of the type word ``word`` as written (the registry's ``name_vi``, else the
    word capitalised); cached per (registry, spelling): a document repeats a few spellings."""
    t = reg.type_by_name(collapse_ws(word))
    return t.name_vi if t else collapse_ws(word).capitalize()


_NUMBERS_SEEN: list = []
"""The last few (text, registry, numbers) of :func:`document_numbers` (compared by identity)."""


def document_numbers(text: str, registry=None) -> list:
    """``find_numbers(text, registry=registry)`` (:mod:`graph.extract.numbers`), kept for the
    last few texts, so that the stages reading one document (references, agencies) share one
    scan. Input: a clean text (``CleanText.text``); output: the
    :class:`~graph.extract.numbers.NumberMatch` list (do not modify it). Texts and registries
    are compared by identity, so a cached result is always the one the call would give."""
    for t, r, nums in _NUMBERS_SEEN:
        if t is text and r is registry:
            return nums
    nums = find_numbers(text, registry=registry)
    _NUMBERS_SEEN.append((text, registry, nums))
    del _NUMBERS_SEEN[:-4]
    return nums


def _find_number_mentions(text: str, key: str, reg, hits: list[re.Match]) -> list[_M]:
    out: list[_M] = []
    hit_starts = [h.start() for h in hits]
    for nm in document_numbers(text, reg):
        m = _M(nm.start, nm.end, "number", number=nm.canonical, parsed=nm.parsed)
        m.extra["num_start"] = nm.start
        lo = max(0, nm.start - 180)
        a, b = bisect_right(hit_starts, lo - 1), bisect_right(hit_starts, nm.start - 1)
        # the last two type words that end before the number (only those are read)
        heads = []
        for k in range(b - 1, a - 1, -1):
            h = hits[k]
            if h.end() <= nm.start:
                heads.append(h)
                if len(heads) == 2:
                    break
        heads.reverse()
        found = False
        if heads:
            best = heads[-1]
            between = key[best.end():nm.start]
            tname = _type_display(reg, text[best.start():best.end()])
            if _BETWEEN_TYPE_NUMBER.fullmatch(between):
                m.start, m.type_name = best.start(), tname
                found = True
            else:
                nm2 = _NAME_THEN_SO.fullmatch(between)
                if nm2 and len(nm2.group(1).split()) <= 22:
                    m.start, m.type_name = best.start(), tname
                    if tname in reg.by_name_types:
                        m.name = _clean_name(text[best.start():best.end() + len(nm2.group(1))])
                    found = True
            if found and len(heads) >= 2:
                # "Pháp lệnh sửa đổi, bổ sung một số điều của Pháp lệnh X số N": N is the outer one
                outer = heads[-2]
                if _AMEND_JOIN.fullmatch(key, outer.end(), best.start()) or (
                        _R(r"\s+sửa đổi,?\s*bổ sung(?: một số điều)? của\s+", True).fullmatch(
                                     key[outer.end():best.start()])):
                    inner = _M(best.start(), best.end() + (len(nm2.group(1)) if not _BETWEEN_TYPE_NUMBER.fullmatch(
                        between) and nm2 else 0), "name", type_name=tname)
                    inner.name = m.name or _clean_name(text[inner.start:inner.end])
                    inner.surface = collapse_ws(text[inner.start:inner.end])
                    inner.relation, inner.cue, inner.prelinked = "amends", "sửa đổi, bổ sung", True
                    inner.source = m
                    inner.attr_end = inner.end
                    out.append(inner)
                    m.start = outer.start()
                    m.type_name = _type_display(reg, text[outer.start():outer.end()])
                    m.name = _clean_name(text[outer.start():best.start()] + (inner.name or ""))
        if not found:
            sm = _SO_BEFORE.search(key[max(0, nm.start - 12):nm.start])
            if sm:
                m.start = nm.start - len(sm.group(1))
            m.type_name = nm.parsed.type_name()
        m.surface = collapse_ws(text[m.start:nm.end])
        out.append(m)
    return out


_SO_BEFORE = re.compile(r"(?:^|[^\w])(số\s*:?\s*)$")
_SO_COLON_BEFORE = re.compile(r"số\s*:\s*$")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_PLURAL_BEFORE = re.compile(r"(?:các|những)\s+$")
"""Patterns run per hit or per mention (compiled once instead of looked up through :func:`_R`)."""


def _find_short_mentions(text: str, key: str, reg, hits, taken) -> list[_M]:
    out = []
    for h in hits:
        if not text[h.start()].isupper():
            continue
        mm = _SHORT_TAIL.match(key, h.end())
        if mm is None or _overlaps(h.start(), mm.end(), taken):
            continue
        tword = text[h.start():h.end()]
        tname = _type_display(reg, tword)
        digits, has_so = mm.group(2), bool(mm.group(1))
        if not has_so and (tname not in _SHORT_TYPES or _YEAR_DIGITS.fullmatch(digits)):
            continue
        m = _M(h.start(), mm.end(), "short", type_name=tname)
        if tname in reg.by_name_types and not has_so:
            if len(digits) < 2 or tname in ("Kế hoạch",):
                continue
            m.kind, m.name = "name", collapse_ws(text[h.start():mm.end()])
        else:
            m.number = digits
        m.surface = collapse_ws(text[h.start():mm.end()])
        out.append(m)
    return out


class _Taken:
    """Character ranges already read as mentions (a byte mask: C-speed overlap tests)."""

    def __init__(self, n: int):
        self.mask = bytearray(n + 1)

    def add(self, a: int, b: int) -> None:
        if b > a:
            self.mask[a:b] = b"\x01" * (b - a)

    def overlaps(self, a: int, b: int) -> bool:
        return b > a and self.mask.find(1, a, b) != -1


def _overlaps(s: int, e: int, taken: _Taken) -> bool:
    return taken.overlaps(s, e)


_OF_AGENCY = re.compile(_ws(
    r"của (?:thủ tướng|chính phủ|bộ|ủy ban|ubnd|hội đồng|hđnd|ban|quốc hội|tỉnh ủy|thành ủy|sở|văn phòng|"
    r"liên hợp quốc|tỉnh|thành phố|địa phương|các|từng|ngành|trung ương|nhà nước|cơ quan|đơn vị|chủ|"
    r"huyện|xã|phường|cấp|đảng bộ|bộ chính trị|tổng cục|cục|chủ tịch)(?![^\W\d_])"))
_GAP_STOP = re.compile(r"[;:()\[\]|“”\"«»]")
_AMENDED_TAG = re.compile(_ws(r"\s*\((?:sửa đổi|sửa đổi, bổ sung|sửa đổi bổ sung)\)"))
_PORTAL_LABEL = re.compile(_ws(
    r"(?:cơ quan ban hành|người ký|lĩnh vực|số hiệu|ngày ban hành|ngày có hiệu lực|loại văn bản|tình trạng|"
    r"ngày hết hiệu lực|nơi ban hành|ngày đăng|số công báo)(?![^\W\d_])"))
_QUOTE_OPEN = "“\"«"
_QUOTE_CLOSE = "”\"»"
_WORD = re.compile(r"[^\s,;:()\[\]“”\"«»|]+")
_COMMA_STOP = re.compile(_ws(
    r"(?:ngày|số|cụ thể|với|nhằm|đồng thời|trong đó|gồm|bao gồm|được|đã|đó|ủy ban|ubnd|chủ tịch|sở|bộ|ban|"
    r"các|những|theo|để|ban hành|tiếp tục|đảm bảo|bảo đảm|góp phần|kèm|tại|và|hoặc|thành phố|tỉnh|"
    r"xây dựng|triển khai|thực hiện|tổ chức|nâng cao|tăng cường|đẩy mạnh|phấn đấu|chủ động|trình|báo cáo|"
    r"gửi|đề nghị|giao|có|là|không|chưa|vì vậy|do đó|tuy nhiên|trong|nay)(?![^\W\d_])"))


_PHAP_BEFORE = re.compile(r"(?:pháp|PHÁP|Pháp)\s+$")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")
"""The word right before a type word (the definition :func:`_word_before` is tested against)."""


def _word_before(before: str) -> str | None:
    """``_WORD_BEFORE.search(before).group(1)``, or None when it does not match: the run of
    letters (:func:`_is_letter`) that ends right before the white space ending ``before``,
    read backwards from the end (``str.rstrip`` strips what ``\\s`` matches) instead of the
    pattern being tried at each offset of ``before``."""
    t = before.rstrip()
    q = n = len(t)
    if n == len(before):
        return None  # no white space at the end
    while q and _is_letter(t[q - 1]):
        q -= 1
    return t[q:] if q < n else None
_VISION = re.compile(_ws(r"(?:tầm nhìn|định hướng)(?![^\W\d_])"))
_NUMBER_START = re.compile(r"\d{1,5}\s?[/-]\s?[^\W\d_]")
_AMENDING = re.compile(_ws(r"sửa đổi|bổ sung"))
_PERIOD_FIRST = "gtđn"
"""First letters of :data:`_PERIOD_HEAD`'s words (giai đoạn, thời kỳ, từ nay, đến năm, năm)."""
"""Patterns of the name readers, run with ``pos``/``endpos`` (none looks behind its start)."""


def _scan_name(text: str, key: str, kws: str, pos: int, limit: int, *, upper: bool, tname: str,
               national_loc: tuple[str, ...], head_re, law_names: tuple[str, ...] = ()) -> tuple[int, bool] | None:
    """Read a name body starting at ``pos`` (just after the type word). Returns (end offset,
    quoted) or None if there is no name body. ``limit`` is the end of the item."""
    n = limit
    j = pos
    while j < n and text[j] in " \t\n":
        j += 1
    if j < n and text[j] in _QUOTE_OPEN:
        for k in range(j + 1, min(len(text), j + 400)):
            c = text[k]
            if c in _QUOTE_CLOSE:
                return (k + 1, True) if k > j + 2 else None
            if c in ";|" or text[k:k + 2] == "\n\n":
                break
        return None
    words: list[tuple[int, int]] = []
    i = pos
    seen_period = False
    national = False
    amending = False
    while True:
        m = _WORD.search(text, i, n)
        if m is None:
            break
        ms, me = m.span()
        gap = text[i:ms]
        if gap != " " and (_GAP_STOP.search(gap) or "\n\n" in gap):
            break
        if "\n" in gap and _PORTAL_LABEL.match(kws, ms):
            break  # the portal's metadata block: "Loại văn bản Kế hoạch\nCơ quan ban hành …"
        w = key[ms:me].rstrip(".")
        if not words:
            proper = text[ms].isupper() and not upper
            if not w or (not proper and _FIRST_STOP.match(kws, ms) and not (
                    w == "của" and tname in ("Công ước", "Kế hoạch")
                    and _R(r"của\s+[A-ZĐÀ-Ỹ]").match(text[ms:ms + 12]))):
                return None
        if "," in gap:
            if not words:
                break
            if seen_period and _PERIOD_CONT.match(kws, i):
                pass
            elif _VISION.match(kws, ms, ms + 20):
                pass
            elif amending and head_re.match(key, ms):
                pass
            elif _COMMA_STOP.match(kws, ms) or head_re.match(kws, ms) or seen_period:
                break
        if seen_period:
            cm = _PERIOD_CONT.match(kws, words[-1][1])
            if cm:
                words.append((ms, cm.end()))
                i = cm.end()
                continue
            break
        pm = _PERIOD_HEAD.match(kws, ms) if kws[ms] in _PERIOD_FIRST else None
        if pm and words:
            words.append((ms, pm.end()))
            i = pm.end()
            seen_period = True
            continue
        if words and (w in ("tỉnh", "thành") or w == "tp"):
            if national and any(kws.startswith(lw, ms) for lw in national_loc):
                break
        if words and w in ("về", "thuộc", "theo", "cho", "tại") and not amending:
            nx = _WORD.search(text, me, n)
            if nx and text[nx.start()].isupper() and head_re.match(kws, nx.start()):
                break  # "Kế hoạch truyền thông về Chương trình X": X is a reference of its own
        if words and _STOP_AFTER.match(kws, ms) and _stops_here(kws, ms, words, amending, head_re,
                                                                          text, tname):
            break
        if upper and any(c.isalpha() for c in text[ms:me]) and not any(
                c.isupper() for c in text[ms:me]):
            break  # an all-caps title name ends where lower case starts
        if key[ms].isdecimal() and _NUMBER_START.match(key, ms, me + 2):
            break  # a number: belongs to a numbered mention
        words.append((ms, me))
        if kws.startswith("quốc gia", ms):
            national = True
        if kws[ms] in "sb" and _AMENDING.match(kws, ms, ms + 12):
            amending = True
        i = me
        if len(words) > 45:
            return None
    if not words:
        return None
    if law_names and tname in _LAW_TYPES and len(words) > 1:
        words = _cut_at_known_law(text, kws, pos, words, tname, law_names)
    end = words[-1][1]
    while end > pos and text[end - 1] in ".,":
        end -= 1
    q = _AMENDED_TAG.match(kws, end)
    if q and tname in _LAW_TYPES:
        end = q.end()  # "Luật Phòng, chống ma túy (sửa đổi)": the amended law, another instrument
    return end, False


def _cut_at_known_law(text: str, kws: str, pos: int, words, tname: str, law_names) -> list:
    """A law name read too far ("Luật Ngân sách nhà nước và phân cấp ngân sách", "Luật Ngân sách
    nhà nước, nguồn chi …") ends where a known law name ends, if what follows is "và"/"," and a
    lower-case word (data: ``law_names.tsv``). Only prefixes with at most as many words as the
    longest known name are tried (a body item holds at least one word), against a set."""
    names, most_words = _law_index(law_names)
    head = fold_key(tname)
    top = min(len(words) - 1, most_words - len(head.split()))
    if top < 1:
        return words
    body = [" ".join(kws[a:b].split()) for a, b in words[:top + 1]]
    for n in range(top, 0, -1):
        cand = head + " " + " ".join(body[:n])
        if cand in names:
            nxt_a = words[n][0]
            gap = text[words[n - 1][1]:nxt_a]
            nxt_word = text[nxt_a:words[n][1]]
            if ("," in gap or body[n] == "và") and (nxt_word[:1].islower() or body[n] == "và" and n + 1 < len(words)
                                                   and text[words[n + 1][0]].islower()):
                return words[:n]
            break
    return words


@lru_cache(maxsize=8)
def _law_index(law_names: tuple[str, ...]) -> tuple[frozenset[str], int]:
    """(the known law names as a set, the most words in one of them)."""
    return frozenset(law_names), max((len(n.split()) for n in law_names), default=0)


def _stops_here(kws: str, at: int, words, amending: bool, head_re, text: str, tname: str) -> bool:
    rest = kws[at:at + 60]
    first = rest.split(" ", 1)[0]
    body = " ".join(kws[words[0][0]:words[-1][1]].split())
    if first == "và":
        nxt = rest[2:].lstrip()
        if _R(r"(?:các|những|đảm bảo|bảo đảm|có|được|đã|đề|tổ chức|thực hiện|triển khai|ban hành|"
                        r"chỉ đạo|hướng dẫn|pháp luật|văn bản|chính sách|quy định|kế hoạch|chương trình|"
                        r"gửi|báo cáo|xây dựng|nâng cao|tăng cường)(?![^\W\d_])", True).match(nxt):
            return True
        if head_re.match(kws, at + len(rest) - len(nxt)):
            return not amending
        return False
    if first == "của":
        if amending or body in ("hành động",):
            return False
        # "của" + an agency or a place names the issuer; "quyền tham gia của trẻ em" is the name
        return bool(_OF_AGENCY.match(rest))
    if first == "về":
        return bool(_R(r"về việc(?![^\W\d_])", True).match(rest)) or bool(_OF_AGENCY.match("của" + rest[2:]))
    if first == "với":
        return bool(_R(r"với (?:các|sở|bộ|ủy|ubnd|cơ quan|đơn vị|nội dung|những)(?![^\W\d_])", True).match(rest))
    if first in ("trong", "cho", "tại", "từ", "trước", "đối"):
        return bool(_R(r"(?:trong|cho|tại|từ|trước|đối với) (?:đó|năm|thời gian|quá trình|các|việc|"
                                 r"phạm vi|giai đoạn|toàn|công tác|thực hiện|cán bộ|người|mọi)(?![^\W\d_])", True).match(rest)) \
            or first in ("tại", "trước")
    if first == "số":
        return bool(_R(r"số\s*:?\s*\d").match(rest))
    if first == "đến":
        return not _R(r"đến năm \d{4}", True).match(rest)
    if first == "năm":
        return not _R(r"năm\s+\d{4}").match(rest)
    if first == "nay":
        return bool(_R(r"nay là", True).match(rest))
    if first in ("sửa", "bổ"):
        return not amending and not body.endswith("luật")
    if first == "hiệu":
        return bool(_R(r"hiệu quả(?![^\W\d_])", True).match(rest)) and tname not in _LAW_TYPES
    if first == "quy":
        return bool(_R(r"quy định(?![^\W\d_])", True).match(rest)) and not _R(r"(?:trái|của)$").search(body)
    if first == "hướng":
        return bool(_R(r"hướng dẫn(?![^\W\d_])", True).match(rest))
    if first == "trình":
        return not body.endswith("chương")
    return True


def _find_name_mentions(text, key, kws, reg, hits, by_name, head_re, units, taken, national_loc) -> list[_M]:
    """Mentions by name (module docstring) read from the type words ``hits`` (their matches,
    in text order); only those written with a capital can start one, so the caller may pass
    just those (the inner reader of "… thi hành … của Luật X" also looks only at those)."""
    out = []
    named: dict[str, bool] = {}  # type word as written -> cited by name (a few spellings per text)
    for hm in hits:
        g = hm.group(1)
        ok = named.get(g)
        if ok is None:
            ok = named[g] = g in by_name or (" " in g and " ".join(g.split()) in by_name)
        if not ok:
            continue
        s = hm.start()
        if not text[s].isupper() or _overlaps(s, hm.end(), taken):
            continue
        word = text[s:hm.end()]
        upper = word.isupper() and len(word) > 2
        # part of another word group: "pháp luật", "Dân Luật"
        before = text[max(0, s - 12):s]
        if word.lower() == "luật" and _PHAP_BEFORE.search(before):
            continue
        pw = _word_before(before)
        if pw and pw[:1].isupper() and not pw.isupper() and not upper and \
                pw.lower() not in ("căn", "thực", "triển", "theo", "các", "và", "của", "tại", "về", "với",
                                              "tiếp", "quyết", "xét", "những", "duyệt", "hành", "số"):
            continue
        tname = _type_display(reg, word)
        res = _scan_name(text, key, kws, hm.end(), units.end_at(s), upper=upper, tname=tname, national_loc=national_loc,
                         head_re=head_re, law_names=reg.law_names)
        if res is None:
            continue
        end, quoted = res
        body = " ".join(kws[hm.end():end].split()).strip(" “”\"«»")
        m = _M(s, end, "name", type_name=tname)
        m.name = _clean_name(text[s:end])
        m.surface = collapse_ws(text[s:end])
        m.extra["upper"] = upper
        m.extra["quoted"] = quoted
        if not quoted and (body in _GENERIC_BODY or len(body) < 3 or (
                len(body.split()) < 2 and tname not in _LAW_TYPES)):
            m.generic = True
        if tname in ("Nghị quyết", "Nghị định") and not quoted and not re.match(
                _ws(r"(?:đại hội|hội nghị|quy định|về|hướng dẫn)(?![^\W\d_])"), body):
            continue  # "Nghị định này", "Nghị quyết của …": leave the words to other readers
        out.append(m)
        taken.add(s, end)
        # "Nghị định quy định chi tiết thi hành một số điều của Luật X": the law X is cited too
        cm = _INNER_CUE.search(kws, hm.end(), end)
        if cm and not _R(r"sửa đổi|bổ sung", True).search(kws[hm.end():cm.start()]):
            for im in hits:
                if im.start() < cm.end() or im.start() >= end:
                    continue
                iw = text[im.start():im.end()]
                if not iw[:1].isupper() or _type_display(reg, iw) not in _LAW_TYPES:
                    continue
                r2 = _scan_name(text, key, kws, im.end(), end, upper=iw.isupper() and len(iw) > 2,
                                tname=_type_display(reg, iw), national_loc=national_loc, head_re=head_re)
                if r2 is None:
                    continue
                inner = _M(im.start(), r2[0], "name", type_name=_type_display(reg, iw))
                inner.name = _clean_name(text[im.start():r2[0]])
                inner.surface = collapse_ws(text[im.start():r2[0]])
                inner.extra["upper"] = iw.isupper() and len(iw) > 2
                inner.extra["inner"] = True
                out.append(inner)
    return out


_INNER_CUE = re.compile(_ws(r"(?:quy định chi tiết|hướng dẫn thi hành|hướng dẫn thực hiện|thi hành)(?:[^,;.]{0,30}?) của "))


def _clean_name(s: str) -> str:
    s = collapse_ws(s).replace("“", "").replace("”", "").replace('"', "").replace("«", "").replace("»", "")
    s = s.strip(" ,.")
    if s.isupper():
        s = s[:1] + s[1:].lower()
    return s


_TYPED = frozenset({"chỉ thị", "quyết định", "nghị quyết", "kết luận", "nghị định", "thông tư", "công văn", "thông báo"})


class _Typed:
    """A type word followed by "của" (the shape of a re.Match used by the typed readers)."""

    def __init__(self, h: re.Match, end: int):
        self._h, self._end = h, end

    def start(self, g: int = 0) -> int:
        return self._h.start()

    def end(self, g: int = 0) -> int:
        return self._end if g == 0 else self._h.end()

    def group(self, g: int = 0) -> str:
        return self._h.group(1)


def _find_typed_issuer(text, key, kws, reg, hits, taken) -> list[_M]:
    out = []
    typed: dict[str, bool] = {}  # type word as written -> a _TYPED type (a few spellings per text)
    for h in hits:
        g = h.group(1)
        ok = typed.get(g)
        if ok is None:
            ok = typed[g] = g in _TYPED or (not g.isalpha() and " ".join(g.split()) in _TYPED)
        if not ok:
            continue
        om = _OF.match(kws, h.end())
        if om is None:
            continue
        m = _Typed(h, om.end())
        if _overlaps(m.start(), m.end(), taken):
            continue
        plural = _PLURAL_BEFORE.search(kws[max(0, m.start() - 8):m.start()])
        if plural:
            pm = _plural_reference(text, kws, m, plural.start() + max(0, m.start() - 8), reg)
            if pm is not None:
                out.append(pm)
            continue
        if not text[m.start()].isupper():
            continue
        iss, iend = _read_issuer(text, kws, m.end())
        if not iss:
            continue
        mm = _M(m.start(), iend, "typed", type_name=_type_display(reg, text[m.start():m.start() + len(m.group(1))]))
        mm.issuer = iss
        mm.surface = collapse_ws(text[m.start():iend])
        out.append(mm)
    return out


_PLURAL_DESC = re.compile(_ws(r"\s*(?:ban hành|phê duyệt)(?: về)? "))


def _plural_reference(text, kws, m, start, reg) -> _M | None:
    """"các Quyết định của Thủ tướng Chính phủ phê duyệt về công tác trẻ em giai đoạn 2021-2030":
    a group of instruments named by issuer and subject (a reference by name)."""
    iss, iend = _read_issuer(text, kws, m.end())
    if not iss:
        return None
    d = _PLURAL_DESC.match(kws, iend)
    if not d:
        return None
    stop = re.compile(r"[;:.()|\n]|,\s|\s(?:và|để|nhằm|theo|trong đó)\s")
    e = stop.search(kws, d.end(), min(len(kws), d.end() + 160))
    end = e.start() if e else min(len(kws), d.end() + 160)
    if end - d.end() < 6:
        return None
    mm = _M(start, end, "name", type_name=_type_display(reg, text[m.start():m.start() + len(m.group(1))]))
    mm.name = collapse_ws(text[start:end])
    mm.surface = mm.name
    mm.issuer = iss
    mm.extra["plural"] = True
    return mm


_ALIAS = re.compile(r"\(\s*(?P<intro>(?:sau đây\s+)?(?:gọi tắt là|viết tắt là|gọi là|gọi chung là)\s+)?"
                    r"([^()\n;]{2,80}?)\s*\)")


# --------------------------------------------------------------------------------------------
# Attributes: date and issuer after a mention
# --------------------------------------------------------------------------------------------

_ISSUER_STOP = re.compile(_ws(
    r"\s(?:về|v/v|phê duyệt|ban hành|quy định|hướng dẫn|thực hiện|triển khai|tại|đã|đang|được|trong|"
    r"đối với|nhằm|số|sửa đổi|thay thế|bãi bỏ|kèm|tổ chức|ngày|có|là|thông qua|gửi|để|cụ thể|"
    r"theo|quy chế|chỉ đạo|đề nghị|xét|giao|tăng cường|đẩy mạnh|thông báo|kết luận|phòng|cắt giảm|"
    r"yêu cầu|tiếp tục|chương trình|kế hoạch|quyết định|nghị quyết|chỉ thị|lần|và các|và những|"
    r"và chương trình|và kế hoạch|và quyết định|và nghị quyết|và chỉ thị|đến|năm|nay)(?![^\W\d_])"
    r"|[,;:()\[\].|“”\"]|\n\s*\n"))


def _read_issuer(text: str, kws: str, pos: int) -> tuple[str | None, int]:
    """Issuer phrase starting at ``pos`` (just after "của"): up to a stop word or punctuation."""
    m = _ISSUER_STOP.search(kws, pos, min(len(kws), pos + 160))
    end = m.start() if m else min(len(kws), pos + 160)
    phrase = collapse_ws(text[pos:end])
    if not phrase or len(phrase.split()) > 16 or not phrase[:1].isupper():
        return None, pos
    return normalise_issuer(phrase), end


_ABBR = (
    (r"\bUBND\b", "Ủy ban nhân dân"), (r"\bHĐND\b", "Hội đồng nhân dân"),
    (r"\bUB\b", "Ủy ban"), (r"\bTP\.?\s*", "thành phố "), (r"\bBCH\b", "Ban Chấp hành"),
    (r"\bThủ tướng CP\b", "Thủ tướng Chính phủ"), (r"\bThủ tướngChính phủ\b", "Thủ tướng Chính phủ"),
    (r"\bMTTQ\b", "Mặt trận Tổ quốc"),
)
_TONE_OLD = (("Uỷ", "Ủy"), ("uỷ", "ủy"), ("UỶ", "ỦY"), ("Hoà", "Hòa"), ("hoà", "hòa"), ("khoẻ", "khỏe"),
             ("Khoẻ", "Khỏe"), ("thuỷ", "thủy"), ("Thuỷ", "Thủy"), ("hoá", "hóa"), ("Hoá", "Hóa"),
             ("Khoá", "Khóa"), ("khoá", "khóa"))


@lru_cache(maxsize=4096)
def normalise_issuer(phrase: str, registry=None) -> str:
    """Canonical spelling of an issuer phrase as written: abbreviations expanded (UBND → Ủy ban
    nhân dân, HĐND, "Thủ tướng CP"), modern tone marks ("Uỷ" → "Ủy"), dashes unified, all-caps
    title text in sentence case, a body matched to the registry's spelling when it differs only
    in punctuation ("Bộ Lao động, Thương binh và Xã hội", "Bộ Lao động Thương binh và Xã hội" →
    "Bộ Lao động - Thương binh và Xã hội"), Party bodies in their usual form ("Hội nghị lần thứ
    sáu Ban Chấp hành Trung ương Khóa XII" → "Ban Chấp hành Trung ương Đảng khóa XII"). No
    locality is added here (see :func:`graph.resolve.complete_locality`)."""
    from graph.registry import load_registry

    s = collapse_ws(phrase).strip(" ,.")
    for a, b in _ABBR:
        s = re.sub(a, b, s)
    for a, b in _TONE_OLD:
        s = s.replace(a, b)
    s = re.sub(r"\s*[–—‐]\s*", " - ", s)
    s = re.sub(r"^Hội nghị(?: lần thứ [^\s]+)?\s+", "", s, flags=re.I)
    reg = registry or load_registry()
    k = _issuer_key(s)
    hit = _issuer_index(reg).get(k)
    if hit is not None:
        return hit
    bm = _R(r"Bộ\s+([A-ZĐ&]{2,})$").match(s)
    if bm:
        hit = reg.issuer("B" + bm.group(1)) or reg.issuer(bm.group(1))
        if hit and hit.name_vi.startswith("Bộ"):
            return hit.name_vi
    if s.isupper():
        s = _sentence_case_body(s)
    m = _R(r"Ban [Cc]hấp hành Trung ương(?: Đảng)?(?:\s+[Kk]hóa\s+([IVXLC]+))?$").match(s)
    if m:
        s = "Ban Chấp hành Trung ương Đảng" + (f" khóa {m.group(1)}" if m.group(1) else "")
    s = re.sub(r"^(Bộ Chính trị|Ban Bí thư)(?: Trung ương Đảng)?\s+[Kk]hóa\s+([IVXLC]+)$",
               lambda mm: f"{mm.group(1)} khóa {mm.group(2)}", s)
    return s


def _issuer_key(s: str) -> str:
    """Key under which issuer spellings that differ only in punctuation agree: ``name_key``
    with hyphens and commas as spaces, spaces collapsed."""
    from graph.registry import name_key

    return " ".join(re.sub(r"[-,]", " ", name_key(s)).split())


@lru_cache(maxsize=8)
def _issuer_index(reg) -> dict[str, str]:
    """:func:`_issuer_key` of each registry issuer's ``name_vi`` → that ``name_vi`` (the first
    issuer in registry order wins a shared key), built once per registry (instead of keying
    every issuer for every phrase :func:`normalise_issuer` reads)."""
    out: dict[str, str] = {}
    for ic in reg.issuers:
        out.setdefault(_issuer_key(ic.name_vi), ic.name_vi)
    return out


_CAP_WORDS = ("Ủy ban nhân dân", "Hội đồng nhân dân", "Ban Thường vụ", "Tỉnh ủy", "Thành ủy", "Bộ Chính trị",
              "Ban Bí thư", "Ban Chấp hành Trung ương", "Thủ tướng Chính phủ", "Chính phủ", "Quốc hội",
              "Văn phòng Chính phủ", "Đảng bộ", "Ban Chấp hành", "Trung ương")


def _sentence_case_body(s: str) -> str:
    """"BAN THƯỜNG VỤ TỈNH ỦY" → "Ban Thường vụ Tỉnh ủy" (known body words keep their capitals;
    other words lower case, place names title case after tỉnh/thành phố)."""
    low = s.lower()
    out = low[:1].upper() + low[1:]
    for w in _CAP_WORDS:
        out = re.sub(re.escape(w.lower()), w, out, flags=re.I)
    out = re.sub(r"\b(tỉnh|thành phố)\s+(.+)$", lambda m: m.group(1) + " " + m.group(2).title(), out)
    out = re.sub(r"\b(Bộ)\s+(\w)", lambda m: m.group(1) + " " + m.group(2).upper(), out)
    return out


_YEAR_AFTER = re.compile(r"\s*năm\s+((?:19|20)\d\d)(?!\d)")
_OF_AFTER = re.compile(_ws(r"\s*,?\s*(?:ban hành )?của\s+"))
_DATE_LEAD = re.compile(_ws(r"\s*,?\s*(?:được (.{2,40}?) (?:thông qua|ban hành) |ban hành |ký )?(?:ngày\s*)?(?=\d)"))


def _attributes(m: _M, text: str, kws: str) -> None:
    """Date and issuer in the words right after the mention (the first date of
    :func:`graph.extract.dates.find_dates` on a short window that covers the lead's end, read
    by :func:`graph.extract.dates.date_covering`)."""
    pos = m.end
    pm = _DATE_LEAD.match(kws, pos, pos + 100)
    iss_pref = None
    if pm:
        if pm.group(1):
            iss_pref = normalise_issuer(collapse_ws(text[pm.start(1):pm.end(1)]))
        dpos = pm.end()
        lo = max(pos, dpos - 6)
        d = _date_covering(text[lo:dpos + 40], dpos - lo)
        if d is not None:
            m.date = d[2]
            pos = lo + d[1]
    if m.date is None:
        ym = _YEAR_AFTER.match(kws, pos, pos + 14)
        if ym and m.kind == "name":
            m.extra["year"] = int(ym.group(1))
            m.surface = collapse_ws(text[m.start:ym.end()])
            pos = ym.end()
    im = _OF_AFTER.match(kws, pos, pos + 24)
    if im:
        iss, iend = _read_issuer(text, kws, im.end())
        if iss:
            m.issuer = iss
            pos = iend
    elif iss_pref:
        m.issuer = iss_pref
    m.attr_end = pos


# --------------------------------------------------------------------------------------------
# Opening and title
# --------------------------------------------------------------------------------------------

_BODY_START = re.compile(
    r"(?:^|\n)[ \t]*(?:(?:[IVX]+|\d+)\s*[.)]\s+\S|điều\s+1\b|phần\s+(?:thứ\s+nhất|i\b|1\b)|chương\s+i\b|"
    r"quyết định\s*:|quyết nghị\s*:|a\)\s|-\s)"
)
_TYPE_HEADING = re.compile(
    r"(?m)^[ \t|]*(kế hoạch|quyết định|chỉ thị|nghị quyết|quy chế phối hợp|chương trình|thông báo|"
    r"công văn|nghị định|thông tư|luật|kết luận|đề án)[ \t|]*$"
)


def _opening_end(doc: Document, key: str) -> int:
    if doc.opening_end:
        return doc.opening_end
    first_cue = _R(r"(?m)^[ \t]*(?:căn cứ|thực hiện|triển khai|xét|theo đề nghị)\b").search(key)
    m = _BODY_START.search(key, first_cue.start() if first_cue else 0)
    return m.start() + 1 if m else len(key)


def _title_range(doc: Document, key: str, opening: int) -> tuple[int, int]:
    if doc.title_span is not None:
        om = doc.clean.to_original
        s = bisect_right(om, doc.title_span.start) - 1
        e = bisect_right(om, max(doc.title_span.end - 1, doc.title_span.start))
        return max(0, s), min(len(key), e)
    m = _TYPE_HEADING.search(key, 0, opening if opening else len(key))
    if not m:
        return 0, 0
    text = doc.clean.text
    pos = m.end()
    end = pos
    for lm in re.finditer(r"[^\n]*\n?", text[pos:min(len(text), pos + 1500)]):
        line = lm.group(0)
        letters = [c for c in line if c.isalpha()]
        if not letters:
            if line == "":
                break
            end = pos + lm.end()
            continue
        if sum(1 for c in letters if c.isupper()) / len(letters) < 0.8:
            break
        end = pos + lm.end()
    return m.start(), end


# --------------------------------------------------------------------------------------------
# The verb
# --------------------------------------------------------------------------------------------


def extract_references(doc: Document, registry=None) -> list[ReferenceMention]:
    """Every reference in ``doc`` as :class:`~graph.models.ReferenceMention`, in text order.

    Input: a parsed :class:`~graph.models.Document` (its ``clean`` text, ``metadata`` for the
    document's own number and locality, ``title_span``/``opening_end`` when known) and the
    :class:`~graph.registry.Registry` (default: :func:`graph.registry.load_registry`).
    Output: mentions with ``span`` in the original text (``doc.text``), ``surface`` as written
    (markup removed, whitespace collapsed), canonical ``document_number`` (None for names; the
    digits for a short form), type, date (ISO 8601), issuer as written (expanded, no locality
    added), ``relation`` and ``cue`` with the ``sentence`` as evidence, ``source_number`` for
    statements the text makes about another instrument, and ``self_reference`` for the
    document's own number or content (kept for provenance;
    :func:`graph.resolve.resolve_references` drops them). Never raises on a well-formed Document.
    """
    from graph.registry import load_registry

    reg = registry or load_registry()
    with using_registry(reg):
        return _extract(doc, reg)


@lru_cache(maxsize=64)
def _national_loc(reg_path: str, locality: str | None, names: tuple[str, ...]) -> tuple[str, ...]:
    out = set()
    for n in ((locality,) if locality else ()) + names:
        n = fold_key(re.sub(r"^(?:tỉnh|thành phố)\s+", "", n, flags=re.I))
        out.add("tỉnh " + n)
        out.add("thành phố " + n)
        out.add("tp " + n)
    return tuple(sorted(out, key=len, reverse=True))


def _extract(doc: Document, reg) -> list[ReferenceMention]:
    text, key = doc.clean.text, doc.clean.key
    kws = key.replace("\n", " ").replace("\t", " ").replace("\r", " ")
    head_re, literals, by_name = _patterns(reg.type_names, reg.by_name_types)
    opening = _opening_end(doc, key)
    title = _title_range(doc, key, opening)
    units = _segment(text, key, (title[0], title[1], opening))
    own = parse_number(doc.metadata.document_number, registry=reg) if doc.metadata.document_number else None
    own_key = own.key if own else None

    hits = _head_hits(kws, head_re, literals)
    mentions = _find_number_mentions(text, key, reg, hits)
    taken = _Taken(len(text))
    for m in mentions:
        taken.add(m.start, m.end)
    # the short-form and by-name readers take only type words written with a capital
    upper = [h for h in hits if text[h.start()].isupper()]
    short = _find_short_mentions(text, key, reg, upper, taken)
    typed = _find_typed_issuer(text, key, kws, reg, hits, taken)
    for m in short + typed:
        taken.add(m.start, m.end)
    mentions += short + typed
    nat = _national_loc(str(reg.path), doc.metadata.locality, reg.locality_names)
    mentions += _find_name_mentions(text, key, kws, reg, upper, by_name, head_re, units, taken, nat)
    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        _attributes(m, text, kws)
        m.unit = units.at(m.start)
        if m.kind == "number" and m.parsed is not None:
            # (the running number first: the key's other parts are looked up in the registry)
            if own_key is not None and int(m.parsed.number) == own_key[0] and m.parsed.key == own_key:
                m.self_ref = True
            elif own_key is None and _SO_COLON_BEFORE.search(key[max(0, m.extra["num_start"] - 8):m.extra["num_start"]]):
                m.self_ref = True
    mentions = _aliases(text, kws, mentions, reg)
    _relations(text, kws, mentions, units, opening, title)
    _link_annexes(kws, mentions)
    _filter_body_names(text, kws, mentions, opening, title)
    _self_plans(doc, kws, mentions)
    furniture = _boilerplate_paras(kws, units)
    sentences: dict[int, str] = {}
    return [_to_public(doc, text, m, units, sentences) for m in mentions
            if not (m.generic and m.content_of is None and not m.self_ref)
            and not (furniture and m.unit >= 0 and units.get(m.unit).para in furniture)]


_BOILERPLATE = ("quý thành viên", "thư viện pháp luật", "thuvienphapluat", "lawnet", "dân luật", "đăng nhập",
                "chúng tôi cam kết", "bản quyền thuộc", "hotline", "email:", "tài khoản của bạn")
"""Page furniture of the legal portals the corpus was crawled from (privacy notices, login
prompts): references there are the portal's, not the document's."""


def _find_all(s: str, sub: str):
    i = s.find(sub)
    while i != -1:
        yield i
        i = s.find(sub, i + 1)


_PORTAL_VOICE = ("chúng tôi", "quý khách", "thành viên")
"""Phrases of a portal's notice that goes on after :data:`_BOILERPLATE` (see :func:`_boilerplate_paras`)."""


_PASS_COST = 40
"""Cost of one more literal scan over a text, in the units of :data:`_LETTER_FREQ` (the
engine tries its pattern at each occurrence of the literal: a pass costs about what 40
occurrences per 10,000 characters do; measured on the bulk corpus). A speed choice only."""


def _phrase_scan(phrases: tuple[str, ...]):
    """The anchor scans of :func:`_phrase_starts` for ``phrases``: a tuple of (regex, ((phrase
    id, offset of the anchor in the phrase), …)), one per anchor character. Each phrase is
    anchored on one of its characters, chosen so that few characters, each rare in text
    (:data:`_LETTER_FREQ`; a character not in it counts as common), anchor all phrases
    (greedy, as :func:`_pick_anchors`). A regex begins with its anchor character (a literal
    the engine finds fast, unlike a class of characters) and then checks each of its
    phrases around it (a look-behind for the part up to the anchor, a look-ahead for the
    rest). A speed choice: any anchors give the same offsets."""
    def cost(c: str, others: set[str]) -> int:
        return _LETTER_FREQ.get(c, 1000) + (0 if c in others else _PASS_COST)

    pick = [min(range(len(ph)), key=lambda i: (_LETTER_FREQ.get(ph[i], 1000), i)) for ph in phrases]
    for _ in range(3):
        for n, ph in enumerate(phrases):
            others = {q[pick[m]] for m, q in enumerate(phrases) if m != n}
            pick[n] = min(range(len(ph)), key=lambda i: (cost(ph[i], others), i))
    by_char: dict[str, list[tuple[int, int]]] = {}
    for n, (ph, k) in enumerate(zip(phrases, pick, strict=True)):
        by_char.setdefault(ph[k], []).append((n, k))
    scans = []
    for c, items in sorted(by_char.items()):
        alts = "|".join(f"(?<={re.escape(phrases[n][:k + 1])})(?={re.escape(phrases[n][k + 1:])})"
                        for n, k in items)
        scans.append((re.compile(re.escape(c) + "(?:" + alts + ")"), tuple(items)))
    return tuple(scans)


def _phrase_starts(kws: str, phrases: tuple[str, ...], scans) -> list[list[int]]:
    """For each of ``phrases`` (in order), the ascending start offsets in ``kws`` of all its
    occurrences (overlapping ones included): what ``list(_find_all(kws, phrase))`` gives, from
    one scan per anchor character (``scans``: :func:`_phrase_scan` of ``phrases``). A match
    of an anchor regex means at least one of its phrases is there; each of them is then
    checked with ``str.startswith``."""
    out: list[list[int]] = [[] for _ in phrases]
    for rx, items in scans:
        for m in rx.finditer(kws):
            a = m.start()
            for n, k in items:
                if a >= k and kws.startswith(phrases[n], a - k):
                    out[n].append(a - k)
    return out


_FURNITURE_PHRASES = _BOILERPLATE + _PORTAL_VOICE
_FURNITURE_SCAN = _phrase_scan(_FURNITURE_PHRASES)


def _boilerplate_paras(kws: str, units: _Units) -> set[int]:
    """Paragraph ids (:meth:`_Units.para_at`) of the portal's page furniture in ``kws`` (the
    folded key with line breaks as spaces): each paragraph holding a :data:`_BOILERPLATE`
    phrase, then, when there is one, each paragraph holding a :data:`_PORTAL_VOICE` phrase
    one or two paragraphs after a furniture paragraph (phrase by phrase, in order of offset).
    All phrases are found in one anchor scan (:func:`_phrase_starts`)."""
    starts = _phrase_starts(kws, _FURNITURE_PHRASES, _FURNITURE_SCAN)
    nb = len(_BOILERPLATE)
    out: set[int] = set()
    for pos in starts[:nb]:
        for i in pos:
            out.add(units.para_at(i))
    if not out:
        return out
    # the notice goes on in the portal's voice ("chúng tôi", "Quý Thành viên")
    for pos in starts[nb:]:
        for i in pos:
            p = units.para_at(i)
            if p - 1 in out or p - 2 in out:
                out.add(p)
    return out


_OF_ISSUER = re.compile(_ws(r"^(?:kế hoạch|chương trình|đề án) của (.+?)(?: về| thực hiện| triển khai|$)"))


def _self_plans(doc: Document, kws: str, mentions: list[_M]) -> None:
    """"Kế hoạch của Ủy ban nhân dân tỉnh (thực hiện Nghị quyết 48)" in a plan of that committee
    that implements that resolution is the document itself."""
    own = [fold_key(i) for i in doc.metadata.issuer or ()]
    if not own:
        return
    implemented = {m.number for m in mentions if m.source is None and m.relation == "implements" and m.number}
    for i, m in enumerate(mentions):
        if m.kind != "name" or m.self_ref or m.content_of is not None or not m.name:
            continue
        om = _OF_ISSUER.match(" ".join(kws[m.start:m.end].split()))
        if not om:
            continue
        iss = fold_key(normalise_issuer(om.group(1)))
        if not any(o == iss or o.startswith(iss + " ") or o.startswith(iss) for o in own):
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None and nxt.number and _R(r"\s*(?:về )?(?:việc )?(?:triển khai |tổ chức )?"
                                                               r"(?:thực hiện|triển khai)\s*", True).fullmatch(kws[m.end:nxt.start]):
            if nxt.number not in implemented:
                continue
        m.self_ref = True


def _aliases(text: str, kws: str, mentions: list[_M], reg) -> list[_M]:
    """"(sau đây gọi tắt là X)": later occurrences of X are the preceding mention's. X must look
    like an instrument's short name (a type word first, or a number in it)."""
    from graph.extract.numbers import find_numbers as _fn

    out = list(mentions)
    ends = {max(m.end, m.attr_end) for m in mentions}
    for am in _alias_matches(text, ends):
        intro = am.group("intro")
        if not intro:
            # a bare "(Chương trình MTQG)" right after the mention (tested first: most
            # parentheses follow no mention, and the test needs no reading of the alias)
            a0 = am.start()
            if not (a0 in ends or a0 - 1 in ends or a0 - 2 in ends):
                continue
        alias = collapse_ws(am.group(2)).strip(" “”\"")
        if len(alias) < 4 or len(alias.split()) < 2:
            continue
        if not intro:
            # … with an abbreviation or a number
            if len(alias.split()) > 6 or not re.search(r"[A-ZĐ]{2,}|\d", alias):
                continue
        words = alias.split()
        if reg.type_by_name(alias) is not None or _fn(alias, registry=reg):
            continue  # a bare type word is anaphora; a number is found anyway
        fa = fold_key(alias)
        starts_type = any(fa.startswith(t + " ") for t in _patterns(reg.type_names, reg.by_name_types)[1])
        if not starts_type and not _R(r"\d").search(alias):
            continue
        prev = [m for m in out if m.end <= am.start() and m.kind != "alias" and am.start() - m.attr_end < 400]
        if not prev:
            continue
        target = prev[-1]
        for os_, oe in _word_occurrences(text, alias):
            if os_ == am.start(2):
                continue
            # the alias wins over a name read at the same place ("Chương trình MTQG tổ chức …")
            clash = [m for m in out if m.start <= os_ < max(m.end, m.start + 1)]
            if any(m.kind != "name" or m.start != os_ for m in clash):
                continue
            for m in clash:
                out.remove(m)
            mm = _M(os_, oe, "alias", type_name=target.type_name, number=target.number,
                    parsed=target.parsed, name=target.name)
            mm.surface = alias
            mm.extra["alias_of"] = target
            mm.content_of = target
            mm.attr_end = oe
            mm.unit = -1
            out.append(mm)
        del words
    out.sort(key=lambda m: m.start)
    return out


_ALIAS_INTRO = re.compile(_ALIAS.pattern[:_ALIAS.pattern.index("(?P<intro>")] + r"(?:sau đây\s+)?"
                          r"(?:gọi tắt là|viết tắt là|gọi là|gọi chung là)\s+")
"""The start of an :data:`_ALIAS` match whose ``intro`` group takes part."""


def _alias_matches(text: str, ends: set[int]):
    """The matches of ``_ALIAS.finditer(text)`` that :func:`_aliases` reads, in order: those
    whose ``intro`` ("sau đây gọi tắt là …") takes part, and any starting at, or one or two
    characters after, an offset in ``ends`` (a mention's end; character offsets into ``text``). A match starts at "(" and holds no other "(" (its
    body excludes parentheses), so the ``finditer`` matches are the matches at each "(" in
    turn: each "(" is tried with ``_ALIAS.match`` only when it is near an end or
    :data:`_ALIAS_INTRO` matches there (a match with an ``intro`` starts so), instead of the
    pattern's lazy body being tried at every parenthesis of the text."""
    find = text.find
    match = _ALIAS.match
    intro = _ALIAS_INTRO.match
    p = find("(")
    while p != -1:
        near = p in ends or p - 1 in ends or p - 2 in ends
        if near or intro(text, p) is not None:
            am = match(text, p)
            if am is not None and (near or am.group("intro")):
                yield am
        p = find("(", p + 1)


def _word_occurrences(text: str, word: str) -> list[tuple[int, int]]:
    r"""``(start, end)`` character offsets into ``text`` of the matches of
    ``(?<![^\W\d_])`` + ``re.escape(word)`` + ``(?![^\W\d_])`` as its ``finditer`` gives them
    (leftmost first, not overlapping): ``word`` (non-empty) with no letter right before or
    after it. Found with ``str.find``: a pattern that begins with a look-behind is tried at
    every offset of the text."""
    out = []
    find = text.find
    L = len(word)
    n = len(text)
    i = find(word)
    while i != -1:
        e = i + L
        if (i == 0 or not _is_letter(text[i - 1])) and (e >= n or not _is_letter(text[e])):
            out.append((i, e))
            i = find(word, e)
        else:
            i = find(word, i + 1)
    return out


def _is_letter(c: str) -> bool:
    r"""``c`` matches ``[^\W\d_]`` in a str pattern: a word character (``str.isalnum``) that is
    not a decimal digit (``\d``: ``str.isdecimal``); "_" is not alphanumeric."""
    return c.isalnum() and not c.isdecimal()


_ANNEX = re.compile(_ws(r"\s*[(,]?\s*(?:được )?(?:ban hành )?kèm theo\s*"))


def _link_annexes(kws: str, mentions: list[_M]) -> None:
    """"Kế hoạch … (kèm theo Quyết định số 2381/QĐ-UBND)": the plan is the decision's content."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        if a.kind == "name" and b.kind == "number" and _ANNEX.fullmatch(kws, a.attr_end, b.start):
            head = a
            while head.source is not None and head.source.kind == "name" and head.source.content_of is None:
                head = head.source  # "Kế hoạch … thực hiện Chiến lược X (kèm theo QĐ N)": the plan is N's
            if head is not a or a.content_of is None:
                head.content_of = b
                head.self_ref = False
                if b.source is head or b.source is a:
                    b.source, b.relation, b.cue = None, "cites", None


_CONTENT_BEFORE = re.compile(_ws(
    r"(?:phê duyệt|ban hành|về việc phê duyệt|về việc ban hành|về phê duyệt|về ban hành|về việc|về|thông qua|"
    r"ban hành kèm theo|phê duyệt kèm theo)\s*(?:kèm theo (?:quyết định|nghị quyết|chỉ thị) này\s*)?[“\"]?\s*$"))
_SELF_CLAUSE = re.compile(_ws(
    r"(?:^|[,;:.]\s*|\s(?:và|thì|nay)\s+)(?:ủy ban nhân dân|ubnd|chủ tịch|hội đồng nhân dân|thủ tướng|chính phủ|"
    r"tỉnh ủy|thành ủy|ban thường vụ|bộ trưởng|giám đốc)(?:[^,;.]{0,60}?)\s(?:ban hành|xây dựng|phê duyệt)\s*$"))
_THIS = re.compile(_ws(r"(?:kế hoạch|quyết định|chỉ thị|chương trình|nghị quyết|quy chế|thông báo|công văn|đề án)"
                       r" này(?![^\W\d_])"))
_DIEU1 = re.compile(_ws(r"điều 1\s*[.:]\s*(?:phê duyệt|ban hành)(?: kèm theo (?:quyết định|nghị quyết) này)?\s*[“\"]?\s*$"))


def _self_clause(before: str) -> bool:
    """``_SELF_CLAUSE.search(before)``, run only when ``before`` (trailing whitespace dropped)
    ends with the last word of one of the pattern's verbs (a match ends so)."""
    return before.rstrip().endswith(("hành", "dựng", "duyệt")) and bool(_SELF_CLAUSE.search(before))


_CONTENT_LAST_WORDS = ("duyệt", "hành", "việc", "về", "qua", "theo", "này")
"""Last words of :data:`_CONTENT_BEFORE`'s phrases (before its optional quote mark)."""


def _content_before(seg: str) -> bool:
    """``_CONTENT_BEFORE.search(seg)``, run only when ``seg`` (trailing whitespace and one
    quote mark dropped) ends with the last word of one of its phrases (a match ends so)."""
    x = seg.rstrip()
    if x.endswith(("“", '"')):
        x = x[:-1].rstrip()
    return x.endswith(_CONTENT_LAST_WORDS) and bool(_CONTENT_BEFORE.search(seg))


def _cue_in(kws: str, a: int, b: int) -> tuple[str, str, int] | None:
    """Last cue phrase in kws[a:b]: (phrase, relation, start). A window shorter than the
    shortest cue ("xét", 3 characters) holds none (most windows are ", " or " và ")."""
    if b - a < _MIN_CUE:
        return None
    # the matches of _CUE_RE.finditer(kws, a, b): _CUE_BODY's matches whose first character
    # follows no letter (the look-behind sees before ``a``, as the pattern's does); a match that
    # fails the test is no match at that offset, so the scan goes on from the next character
    last = None
    search = _CUE_BODY.search
    pos = a
    while True:
        cm = search(kws, pos, b)
        if cm is None:
            break
        i = cm.start()
        if i:
            c = kws[i - 1]
            if c.isalnum() and not c.isdecimal():  # (?<![^\W\d_]); see _is_letter
                pos = i + 1
                continue
        last = cm
        pos = cm.end()
    if last is None:
        return None
    ph = " ".join(last.group(1).split())
    return ph, _CUE_REL.get(ph, "cites"), last.start()


def _relations(text, kws, mentions: list[_M], units, opening: int, title: tuple[int, int]) -> None:
    # end of the previous mention (with attributes) before each mention, for "phê duyệt X" checks
    prev_ends: dict[int, int] = {}
    run = 0
    for x in mentions:
        prev_ends[id(x)] = min(run, x.start)
        run = max(run, x.attr_end)
    by_unit: dict[int, list[_M]] = {}
    for m in mentions:
        if m.unit >= 0:
            by_unit.setdefault(m.unit, []).append(m)
    self_names: list[str] = []
    added: list[_M] = []
    para_cue: dict[int, tuple[str, str]] = {}
    for ui in sorted(by_unit):
        u = units.get(ui)
        ms = by_unit[ui]
        in_title = title[0] <= u.start < title[1] or (title[0] < u.end <= title[1])
        in_opening = u.start < opening
        lead = _LEAD_CUE_RE.match(kws, u.start, u.end)
        if lead:
            ph = _cue_key(" ".join(lead.group(1).split()))
            cue_here = (ph, _CUE_REL.get(ph, "cites"))
            para_cue[u.para] = cue_here
        elif u.para in para_cue and _starts_with_reference(kws, u, ms[0]):
            cue_here = para_cue[u.para]
        else:
            cue_here = None
            para_cue.pop(u.para, None)
        chain: list[_M] = []
        prev_end = u.start
        for m in ms:
            prev_global = prev_ends.get(id(m), 0)
            if m.prelinked:
                continue
            parent = _root(chain[-1]) if chain else None
            gap_lo = max(prev_end, chain[-1].attr_end if chain else u.start)
            cue = _cue_in(kws, gap_lo, m.start)
            before = kws[max(u.start, m.start - 90):m.start]
            self_clause = _self_clause(before) or (kws.find("này", gap_lo, m.start) != -1
                                                   and bool(_THIS.search(kws, gap_lo, m.start)))
            is_name = m.kind in ("name", "typed")
            if is_name and m.content_of is None and _content_before(kws[max(prev_global, m.start - 60):m.start]):
                if parent is not None and not self_clause and not parent.self_ref:
                    m.content_of = parent
                    chain.append(m)
                    prev_end = max(m.end, m.attr_end)
                    continue
                if in_title or in_opening or _DIEU1.search(before) or self_clause or (
                        parent is not None and parent.self_ref):
                    m.self_ref = True
                    self_names.append(_core(m.name or ""))
                    chain.append(m)
                    prev_end = max(m.end, m.attr_end)
                    continue
            if is_name and self_clause and m.content_of is None and cue is None:
                m.self_ref = True
                self_names.append(_core(m.name or ""))
                chain.append(m)
                prev_end = max(m.end, m.attr_end)
                continue
            if is_name and chain and (chain[-1].self_ref and chain[-1].kind == "name") and re.fullmatch(
                    _ws(r"\s*(?:,|và)\s*"), kws[chain[-1].attr_end:m.start]):
                m.self_ref = True  # "THÔNG QUA QUY HOẠCH …, KẾ HOẠCH …"
                chain.append(m)
                prev_end = max(m.end, m.attr_end)
                continue
            if m.generic and m.content_of is None and parent is not None and not parent.self_ref and (
                    cue is None or cue[1] == "cites") and m.start - chain[-1].attr_end < 40:
                m.content_of = parent  # "Nghị quyết 50/NQ-CP … (về) Chương trình hành động …"
                chain.append(m)
                prev_end = max(m.end, m.attr_end)
                continue
            if parent is not None and not self_clause and cue is not None and cue[1] != "cites" \
                    and not parent.self_ref and cue[2] >= chain[-1].attr_end:
                passive = _R(r"được(?: \S+){0,2}\s*$", True).search(kws[max(gap_lo, cue[2] - 24):cue[2]])
                if passive and cue[1] in ("amends", "replaces", "repeals"):
                    # "X (được sửa đổi, bổ sung bởi Y)": Y amends X; Y is also the document's reference
                    tgt = next((x for x in reversed(chain) if x.kind == "number" and x.source is None
                                and not x.self_ref), parent)
                    added.append(_clone(_root(tgt), source=m, relation=cue[1], cue=cue[0], prelinked=True))
                    m.relation, m.cue = (cue_here[1], cue_here[0]) if (cue_here and (in_title or in_opening)) \
                        else ("cites", None)
                    chain.append(m)
                    prev_end = max(m.end, m.attr_end)
                    continue
                m.source, m.relation, m.cue = parent, cue[1], cue[0]
                # "Kế hoạch 14-KH/TU … và Kế hoạch 24/KH-UBND … thực hiện Nghị quyết 66": both implement it
                k = chain.index(parent) if parent in chain else -1
                while k > 0:
                    sib = chain[k - 1]
                    if sib.source is None and not sib.self_ref and sib.number and sib.kind == "number" and \
                            _R(r"\s*và\s*").fullmatch(kws[sib.attr_end:chain[k].start]):
                        added.append(_clone(m, source=sib, prelinked=True))
                        k -= 1
                    else:
                        break
            elif parent is not None and not self_clause and cue is None and chain and chain[-1].source is not None \
                    and _R(r"\s*(?:,|và|;)?\s*", True).fullmatch(kws[chain[-1].attr_end:m.start]):
                # coordinated with a nested mention ("… thực hiện Nghị quyết 137 … và Chương trình 27")
                m.source, m.relation, m.cue = chain[-1].source, chain[-1].relation, chain[-1].cue
            elif parent is not None and not self_clause and cue is None and not parent.self_ref \
                    and parent.number and _described(kws, chain[-1], m):
                # named inside another instrument's description ("Nghị quyết 206 … thuộc Chương trình X")
                m.source, m.relation, m.cue = parent, "cites", None
            else:
                rel, rcue = "cites", None
                if in_title or in_opening:
                    if cue is not None and (in_title or (lead and cue[2] == lead.start(1))):
                        rel, rcue = cue[1], cue[0]
                    elif cue_here is not None and (not chain or _coordinated(kws, chain[-1], m)):
                        rel, rcue = cue_here[1], cue_here[0]
                    elif cue is not None:
                        rcue = cue[0]
                if cue is not None and cue[1] in ("replaces", "repeals", "amends") and (
                        _THIS.search(kws, u.start, m.start) or self_clause):
                    rel, rcue = cue[1], cue[0]  # "Kế hoạch này thay thế Kế hoạch số …"
                if parent is not None and parent.self_ref and cue is not None and (in_title or in_opening) \
                        and cue[1] != "cites":
                    rel, rcue = cue[1], cue[0]
                m.relation, m.cue = rel, rcue
            chain.append(m)
            prev_end = max(m.end, m.attr_end)
    if self_names:
        for m in mentions:
            if m.kind == "name" and not m.self_ref and m.content_of is None and _core_in(_core(m.name or ""), self_names):
                m.self_ref = True
    mentions.extend(added)
    mentions.sort(key=lambda x: x.start)


def _clone(m: _M, **changes) -> _M:
    c = _M(m.start, m.end, m.kind, type_name=m.type_name, number=m.number, parsed=m.parsed, name=m.name,
           surface=m.surface, date=m.date, issuer=m.issuer, attr_end=m.attr_end, self_ref=m.self_ref,
           generic=m.generic, relation=m.relation, cue=m.cue, source=m.source, content_of=m.content_of,
           unit=m.unit, extra=dict(m.extra))
    for k, v in changes.items():
        setattr(c, k, v)
    return c


_THUOC_END = re.compile(r"(?<![^\W\d_])thuộc\s*$")


def _described(kws: str, a: _M, b: _M) -> bool:
    """b is named inside a's description: words other than a list separator lie between them."""
    gap = kws[a.attr_end:b.start]
    # (the pattern ends with "thuộc" and white space: test the stripped end first; str.rstrip
    # strips what \s matches)
    if ";" in gap or not gap.rstrip().endswith("thuộc") or not _THUOC_END.search(gap):
        return False
    return len(gap.split()) >= 2


def _coordinated(kws: str, a: _M, b: _M) -> bool:
    """b follows a in a list ("…; Quyết định số 23 …", "… và Quyết định số 718 …")."""
    gap = kws[a.attr_end:b.start]
    return bool(_R(r"[^;]{0,200}?(?:,|;|và)\s*(?:các\s+)?", True).fullmatch(gap)) and _cue_in(kws, a.attr_end, b.start) is None \
        or bool(_R(r"\s*[,;]?\s*(?:và\s+)?").fullmatch(gap))


_QUALIFIERS = frozenset({"ve", "cua", "tren", "tai", "thuoc", "o", "cho", "-", "hien"})


def _core_in(core: str, names: list[str]) -> bool:
    """``core`` is one of ``names``, or one of them with a qualifier ("… của tỉnh", "… trên …")."""
    if core in names:
        return True
    w = core.split()
    for n in names:
        nw = n.split()
        k = min(len(w), len(nw))
        longer = w if len(w) > len(nw) else nw
        if k >= 4 and w[:k] == nw[:k] and (len(w) == len(nw) or longer[k] in _QUALIFIERS):
            return True
    return False


def _filter_body_names(text: str, kws: str, mentions: list[_M], opening: int, title: tuple[int, int]) -> None:
    """Body names need evidence that they name an existing instrument (module docstring)."""
    known = {_core(m.name) for m in mentions if m.name and (m.content_of is not None or m.kind == "number"
                                                          or m.start < opening)}
    for m in mentions:
        if m.kind != "name" or m.self_ref or m.content_of is not None or m.prelinked or m.generic \
                or m.extra.get("plural"):
            continue
        if _PLURAL_BEFORE.search(kws[max(0, m.start - 8):m.start]):
            m.generic = True
            continue
        if m.start < opening or title[0] <= m.start < title[1]:
            if m.type_name == "Kế hoạch" and not _plan_evidence(m, kws):
                m.generic = True
            continue
        if m.source is not None:
            continue
        before = kws[max(0, m.start - 60):m.start]
        after_ok = m.date is not None or m.issuer is not None or m.extra.get("year")
        if _core_in(_core(m.name or ""), list(known)):
            continue
        if m.type_name not in _LAW_TYPES and (_CREATED_AFTER.match(kws, m.attr_end) or (
                _CREATE_BEFORE.search(before) and not after_ok and not _EXISTING_BEFORE.search(before))):
            m.generic = True
            continue
        if _PLURAL_BEFORE.search(before):
            m.generic = True
            continue
        if m.type_name == "Kế hoạch":
            if not _plan_evidence(m, kws):
                m.generic = True
            continue
        body_first = kws[m.start:m.end].split()[len((m.type_name or "").split()):][:1]
        capital = False
        if body_first:
            idx = m.start + len(m.type_name or "")
            nxt = _R(r"\S").search(text[idx:m.end])
            capital = bool(nxt) and text[idx + nxt.start()].isupper() and not m.extra.get("upper")
        strong = (m.extra.get("quoted") or after_ok or capital
                  or _PERIOD_HEAD.search(kws, m.start, m.end) or "quốc gia" in kws[m.start:m.end])
        if m.type_name in _LAW_TYPES:
            strong = True
        elif not strong and _USE_BEFORE.search(before) and not m.extra.get("upper"):
            strong = True
        if not strong:
            m.generic = True


def _plan_evidence(m: _M, kws: str) -> bool:
    seg = kws[m.start:m.end]
    return bool(m.extra.get("quoted") or "quốc gia" in seg or _R(r"^kế hoạch của ", True).search(seg)
                or m.date or m.issuer)


def _starts_with_reference(kws: str, u: _Unit, m: _M) -> bool:
    """The item begins with the mention (after bullets/space): a list item of references."""
    return kws[u.start:m.start].strip(" \t\n-+•*") == ""


def _root(m: _M) -> _M:
    while m.content_of is not None:
        m = m.content_of
    return m


def _sentence(text: str, units: _Units, m: _M, cache: dict | None = None) -> str:
    if m.unit < 0:
        return collapse_ws(text[max(0, m.start - 200):m.end + 200])
    if cache is not None:  # the sentence depends on the unit only
        got = cache.get(m.unit)
        if got is None:
            got = cache[m.unit] = _sentence(text, units, m)
        return got
    lo, hi = units.sentence_bounds(m.unit)
    return collapse_ws(text[lo:hi])[:1200]


def _to_public(doc: Document, text: str, m: _M, units, sentences: dict | None = None) -> ReferenceMention:
    number, name, dtype, date, issuer = m.number, m.name, m.type_name, m.date, m.issuer
    root = _root(m)
    if root is not m:
        number, dtype, date, issuer = root.number, root.type_name, root.date, root.issuer
        if root.self_ref:
            number = None
    src = _root(m.source) if m.source is not None else None
    source_number = src.number if src is not None and src.number and not src.self_ref else None
    relation = m.relation if root is m or not root.self_ref else "cites"
    if src is not None and source_number is None and not src.self_ref:
        relation = "cites"  # a statement about an instrument known only by name: the document cites it
    fields = dict(
        surface=m.surface or collapse_ws(text[m.start:m.end]),
        span=_original_span(doc.clean, m.start, m.end),
        document_type=dtype,
        document_number=number,
        issuer=issuer,
        date_issued=date,
        name=name,
        relation=relation,
        cue=m.cue,
        sentence=_sentence(text, units, m if m.unit >= 0 else (m.extra.get("alias_of") or m), sentences),
        source_number=source_number,
        self_reference=bool(m.self_ref or root.self_ref),
    )
    if _PLAIN_MENTION:
        r = _new_object(ReferenceMention)
        r.__dict__.update(fields)
        return r
    return ReferenceMention(**fields)


def _original_span(clean, start: int, end: int) -> Span:
    """``clean.original_span(start, end)`` (:class:`~graph.models.CleanText`): the
    :class:`~graph.models.Span` in original offsets of the clean range ``[start, end)``, filled
    through its slots when the range lies in the text and maps to a valid span (the generated
    frozen ``__init__`` and its check cost about three times as much); otherwise, or should
    ``Span`` lose its slots, the method itself (which raises ``ValueError`` on a bad range)."""
    if _SET_SPAN_START is None or not 0 <= start <= end <= len(clean.text):
        return clean.original_span(start, end)
    om = clean.to_original
    o = om[start]
    e = om[end - 1] + 1 if end > start else o
    if o < 0 or e < o:
        return clean.original_span(start, end)
    sp = _new_object(Span)
    _SET_SPAN_START(sp, o)
    _SET_SPAN_END(sp, e)
    return sp


def _slot_setters(cls, names: tuple[str, ...]):
    """The ``__set__`` of each slot descriptor of ``cls`` named in ``names`` (a frozen
    dataclass with slots: the descriptors bypass its ``__setattr__``), or None when ``cls``
    has not exactly these slots."""
    if getattr(cls, "__slots__", None) != names:
        return None
    return tuple(cls.__dict__[n].__set__ for n in names)


_SPAN_SETTERS = _slot_setters(Span, ("start", "end"))
_SET_SPAN_START, _SET_SPAN_END = _SPAN_SETTERS or (None, None)


_MENTION_FIELDS = ("surface", "span", "document_type", "document_number", "issuer", "date_issued", "name",
                   "relation", "cue", "sentence", "source_number", "self_reference")
_new_object = object.__new__


def _plain_dataclass(cls, names: tuple[str, ...]) -> bool:
    """True when calling ``cls(**kw)`` only stores ``kw`` in the instance's ``__dict__``, in the
    order ``names``: a dataclass whose fields are exactly ``names`` (all ``init``), whose
    ``__init__`` is the generated one (compiled from a string), with no ``__post_init__``, no
    ``__slots__`` and no own ``__new__``. Then ``object.__new__(cls)`` plus a ``__dict__`` update builds an equal
    object without the generated frozen ``__init__`` (one ``object.__setattr__`` call per
    field: about 4.5 µs a mention, 9,572 mentions over the bulk corpus)."""
    import dataclasses

    if not dataclasses.is_dataclass(cls):
        return False
    fs = dataclasses.fields(cls)
    return (tuple(f.name for f in fs) == names and all(f.init for f in fs)
            and getattr(getattr(cls.__init__, "__code__", None), "co_filename", "") == "<string>"
            and not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
            and cls.__new__ is object.__new__)


_PLAIN_MENTION = _plain_dataclass(ReferenceMention, _MENTION_FIELDS)
""":func:`_to_public` builds a :class:`~graph.models.ReferenceMention` by a ``__dict__`` update
(see :func:`_plain_dataclass`); False: through its constructor."""

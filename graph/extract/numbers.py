"""Document numbers ("số ký hiệu"): a small grammar whose vocabulary is data.

Shapes (Nghị định 30/2020/NĐ-CP Điều 8 and Phụ lục III for State documents; Luật Ban hành văn
bản quy phạm pháp luật 2015 for legal documents; Hướng dẫn 36-HD/VPTW (2018) for Party ones):

- State, with or without year: ``number[/year]/TYPE-ISSUER[-ISSUER…]`` — ``377/KH-UBND``,
  ``56/2017/NĐ-CP``, ``2236/QCPH-LĐTBXH-GDĐT-YT-CA`` (joint), ``102/2016/QH13`` (a law: no
  type code).
- Letters (công văn) have no type code: ``number/ISSUER-UNIT`` — ``2734/VPCP-KGVX``.
- Party, hyphen first: ``number-TYPE/ISSUER`` — ``28-CT/TW``, ``76-CTr/TU``.

The type codes and issuer codes come from ``data/registry/doc_types.tsv`` and
``issuer_codes.tsv`` (:mod:`graph.registry`): the regexes only give the shape; a match is kept
when its codes are known (so "HIV/AIDS", "2021-2030", "550/100.000" are not numbers).

Noise read through (all seen in real text): spaces beside a separator (``2033 /QĐ-UBND``,
``75/KH- UBND``, ``132- KL/TW``; a space on *both* sides of a dash ends the number, as in a
list "… 377/KH-UBND - Sở …"), a line break beside a separator, doubled slashes, en/em dashes,
letter case (``46/CT-TTG`` = ``46/CT-TTg``), the eth "Ð" of legacy fonts for "Đ" (``QÐ``),
ASCII and OCR spellings of codes listed as
variants (``QD``, ``NO``), a type code glued to its issuer (``27/CTTg``), leading zeros
(``0130/KH-UBND``, kept as written) and numbers that look like years (``2022/KH-UBND``).
Emphasis markup is removed earlier by :func:`graph.ingest.text.clean_text`: run
:func:`find_numbers` on ``CleanText.text`` (or ``.key``; both have the same offsets).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from graph.ingest.text import strip_accents

_LETTER = r"[^\W\d_]"
_SEG = rf"{_LETTER}[^\W_]{{0,15}}(?:&{_LETTER}[^\W_]{{0,10}})*"
_SP = r"[ \t]{0,2}"
_SL = rf"{_SP}\n?{_SP}/{{1,2}}{_SP}\n?{_SP}"
# a dash with whitespace on at most one side
_HY = r"(?:[ \t]?\n?[-–—‐](?![ \t\n])|[-–—‐][ \t]?\n?)"
_YEAR = r"(?:19|20)\d\d"
_NUMBER_RE = re.compile(
    rf"(?<![\w./,\-–])(?P<num>\d{{1,5}})"
    rf"(?:(?P<party>{_HY}{_SEG}{_SL}{_SEG}(?:{_HY}{_SEG}){{0,3}}(?:/{_SEG})?)"
    rf"|(?P<state>(?:{_SL}{_YEAR}(?!\d))?{_SL}{_SEG}(?:{_HY}{_SEG}){{0,6}}))"
    rf"(?![^\W_])",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(rf"/{{1,2}}|[-–—‐]|{_SEG}|\d+")


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A document number read by the grammar.

    ``number``: the running number as written (digits, leading zeros kept); ``year``: the
    year printed in the number or None; ``type_code``: canonical type code (``QĐ``, ``CTr``)
    or None (letters, laws); ``issuer_codes``: the codes after the type, canonical case,
    in order (for letters the first is the issuer and the rest are units); ``party``: a Party
    number (hyphen-first shape, or a Party issuer such as TW/TU); ``shape``: ``state`` or
    ``party`` as printed.
    """

    number: str
    year: int | None
    type_code: str | None
    issuer_codes: tuple[str, ...]
    party: bool
    shape: str = "state"

    @property
    def canonical(self) -> str:
        """The number in canonical form: ``28-CT/TW``, ``56/2017/NĐ-CP``, ``2734/VPCP-KGVX``.
        A Party number printed State-style (``27/NQ- TW``) keeps its printed shape."""
        if self.shape == "party" and self.type_code:
            return f"{self.number}-{self.type_code}/" + "-".join(self.issuer_codes)
        segs = ([self.type_code] if self.type_code else []) + list(self.issuer_codes)
        year = f"/{self.year}" if self.year else ""
        return f"{self.number}{year}/" + "-".join(segs)

    @property
    def issuer_key(self) -> str:
        """Identity of the first issuer: the registry's canonical code if known (so
        ``LĐTBXH`` and ``BLĐTBXH`` agree), else the code accent-folded upper case."""
        if not self.issuer_codes:
            return ""
        return _issuer_key(self.issuer_codes[0], _registry())

    @property
    def key(self) -> tuple:
        """Identity key ``(int number, year, type code, issuer)``, accent- and case-folded:
        equal for every spelling of the same number."""
        t = _fold_code(self.type_code) if self.type_code else ""
        return (int(self.number), self.year, t, self.issuer_key)

    @property
    def loose_key(self) -> tuple:
        """``(int number, year, issuer)``: equal for spellings that differ only in the type
        code (``76-CT/TU`` vs ``76-CTr/TU``) — a candidate merge that the resolver accepts only
        when date and issuer agree."""
        return (int(self.number), self.year, self.issuer_key)

    def type_name(self) -> str | None:
        """Vietnamese type name implied by the number (``Quyết định`` for ``QĐ``; a Party
        ``QĐ`` is also ``Quyết định``); ``Công văn`` for a letter number (no type code, issuer
        first); None when the number does not say (``102/2016/QH13``: Luật or Nghị quyết)."""
        reg = _registry()
        if self.type_code:
            t = reg.doc_type(self.type_code, party=self.party)
            return t.name_vi if t else None
        if self.issuer_codes and len(self.issuer_codes) >= 2:
            return "Công văn"
        return None


@lru_cache(maxsize=8192)
def _fold_code(code: str) -> str:
    return strip_accents(code).upper()


_ISSUER_KEYS: dict[tuple[str, int], str] = {}


def _issuer_key(code: str, reg) -> str:
    ck = (code, id(reg))
    out = _ISSUER_KEYS.get(ck)
    if out is None:
        hit = reg.issuer(code)
        out = _fold_code(hit.code if hit is not None else code)
        if len(_ISSUER_KEYS) > 20000:
            _ISSUER_KEYS.clear()
        _ISSUER_KEYS[ck] = out
    return out


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A number found in a text: ``[start, end)`` character offsets in the text searched,
    ``raw`` the text slice, ``canonical`` its canonical form, ``parsed`` the parse."""

    start: int
    end: int
    raw: str
    canonical: str
    parsed: ParsedNumber

    def __repr__(self) -> str:
        return f"NumberMatch({self.raw!r} → {self.canonical!r} @{self.start})"


def _slot_setters(cls, names: tuple[str, ...]):
    """The ``__set__`` of each slot descriptor of ``cls`` named in ``names`` (a frozen dataclass
    with slots: the descriptors bypass its ``__setattr__``), or None when ``cls`` has not exactly
    these slots or has a ``__post_init__``."""
    if getattr(cls, "__slots__", None) != names or hasattr(cls, "__post_init__"):
        return None
    return tuple(cls.__dict__[n].__set__ for n in names)


_NM_SETTERS = _slot_setters(NumberMatch, ("start", "end", "raw", "canonical", "parsed"))


def _number_match(start: int, end: int, raw: str, canonical: str, parsed: ParsedNumber) -> NumberMatch:
    """``NumberMatch(start, end, raw, canonical, parsed)``, filled through its slots (the
    generated frozen ``__init__`` sets each field with ``object.__setattr__``, about three times
    the cost); the constructor itself should the class lose its slots."""
    if _NM_SETTERS is None:
        return NumberMatch(start, end, raw, canonical, parsed)
    nm = object.__new__(NumberMatch)
    s0, s1, s2, s3, s4 = _NM_SETTERS
    s0(nm, start)
    s1(nm, end)
    s2(nm, raw)
    s3(nm, canonical)
    s4(nm, parsed)
    return nm


@lru_cache(maxsize=1)
def _default_registry():
    from graph.registry import load_registry

    return load_registry()


_ACTIVE: list = []


def _registry():
    return _ACTIVE[-1] if _ACTIVE else _default_registry()


@contextmanager
def using_registry(registry):
    """Context manager: make ``registry`` the one used by :class:`ParsedNumber` properties
    (``key``, ``issuer_key``, ``type_name``) inside the block (default: the repository's)."""
    _ACTIVE.append(registry)
    try:
        yield registry
    finally:
        _ACTIVE.pop()


def _fix_type(code: str, reg) -> str | None:
    t = reg.doc_type(code)
    return t.code if t else None


def _fix_issuer(code: str, reg) -> str:
    """Canonical case of an issuer code as written (variants keep their own spelling)."""
    m = re.fullmatch(r"(.*?)(\d*)", code)
    base, digits = m.group(1), m.group(2)
    hit = reg.issuer(base) if base else None
    if hit is not None:
        for spelled in (hit.code, *hit.variants):
            if spelled.upper() == base.upper():
                return spelled + digits
        for spelled in (hit.code, *hit.variants):
            if strip_accents(spelled).upper() == strip_accents(base).upper():
                return base.upper() + digits if base.islower() else base + digits
    return code if any(c.isupper() for c in code) else code.upper()


def _split_glued(seg: str, reg) -> tuple[str, str] | None:
    """``NĐCP`` → (``NĐ``, ``CP``): a known type code glued to a known issuer code. Also the
    typo where the dash and a shared letter were lost: ``27/CTTg`` (corpus 101, for
    ``27/CT-TTg``) → (``CT``, ``TTg``)."""
    for i in range(1, len(seg)):
        left, right = seg[:i], seg[i:]
        if reg.is_type_code(left) and reg.is_issuer_code(right):
            return left, right
    for i in range(2, len(seg)):
        left, right = seg[:i], seg[i - 1:]
        if len(right) >= 2 and reg.is_type_code(left) and reg.is_issuer_code(right):
            return left, right
    return None


_PARSE_CACHE: dict[tuple[str, int], ParsedNumber | None] = {}


def _parse_tokens(raw: str, reg) -> ParsedNumber | None:
    ck = (raw, id(reg))
    if ck in _PARSE_CACHE:
        return _PARSE_CACHE[ck]
    p = _parse_tokens_uncached(raw, reg)
    if len(_PARSE_CACHE) > 50000:
        _PARSE_CACHE.clear()
    _PARSE_CACHE[ck] = p
    return p


_CANON_CACHE: dict[tuple[str, int], tuple[ParsedNumber, str] | None] = {}


def _parse_canonical(raw: str, reg) -> tuple[ParsedNumber, str] | None:
    """``(parse, parse.canonical)`` of a number as written (:func:`_parse_tokens`), or None when
    it does not parse; cached per (spelling, registry) like the parse itself (``canonical`` is a
    property computed on each access)."""
    ck = (raw, id(reg))
    try:
        return _CANON_CACHE[ck]
    except KeyError:
        pass
    p = _parse_tokens(raw, reg)
    out = (p, p.canonical) if p is not None else None
    if len(_CANON_CACHE) > 50000:
        _CANON_CACHE.clear()
    _CANON_CACHE[ck] = out
    return out


_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})
"""The Icelandic eth (U+00D0/U+00F0) that legacy-font converters put for "Đ"/"đ" ("QÐ-UBND")."""


def _parse_tokens_uncached(raw: str, reg) -> ParsedNumber | None:
    toks = _TOKEN_RE.findall(raw.translate(_ETH))
    if not toks or not toks[0].isdigit():
        return None
    number = toks[0]
    rest = toks[1:]
    if not rest:
        return None
    if rest[0] in "-–—‐":  # Party shape: N-TYPE/ISSUER…
        segs = [t for t in rest if t not in ("/", "//", "-", "–", "—", "‐")]
        if len(segs) < 2:
            return None
        tcode = _fix_type(segs[0], reg)
        if tcode is None:
            return None
        t = reg.doc_type(segs[0], party=True)
        if t is None or t.scope == "state":
            return None  # a State-only type code in Party shape ("5-NĐ/…") is not a number
        tcode = t.code
        issuers = tuple(_fix_issuer(s, reg) for s in segs[1:])
        return ParsedNumber(number, None, tcode, issuers, True, "party")
    seps_and = [t for t in rest if t not in ("/", "//", "-", "–", "—", "‐")]
    year = None
    if seps_and and seps_and[0].isdigit():
        y = int(seps_and[0])
        if not 1945 <= y <= 2100:
            return None
        year = y
        seps_and = seps_and[1:]
    segs = seps_and
    if not segs or any(s.isdigit() for s in segs):
        return None
    first = segs[0]
    tcode = _fix_type(first, reg)
    if tcode is not None and len(segs) == 1 and year is None:
        return None  # "25/KH" alone: not a number
    if tcode is None:
        glued = _split_glued(first, reg)
        if glued and (year is not None or len(segs) == 1 or not reg.is_issuer_code(first)):
            tcode = _fix_type(glued[0], reg)
            segs = [glued[1], *segs[1:]]
        elif reg.is_issuer_code(first):
            if year is None and len(segs) < 2:
                return None
        elif len(segs) >= 2 and (reg.is_issuer_code(segs[1]) or reg.is_type_code(segs[1])):
            pass
        else:
            return None
        if tcode is None:
            issuers = tuple(_fix_issuer(s, reg) for s in segs)
            party = bool(issuers) and _is_party_issuer(issuers[0], reg)
            return ParsedNumber(number, year, None, issuers, party, "state")
    else:
        segs = segs[1:]
        if not segs:
            return None
    issuers = tuple(_fix_issuer(s, reg) for s in segs)
    party = bool(issuers) and _is_party_issuer(issuers[-1], reg)
    return ParsedNumber(number, year, tcode, issuers, party, "state")


def _is_party_issuer(code: str, reg) -> bool:
    hit = reg.issuer(code)
    return hit is not None and hit.kind == "party"


_SEG_BACK = re.compile(rf"(\d{{1,5}}){_HY}{_SEG}[ \t]{{0,2}}\n?[ \t]{{0,2}}$", re.IGNORECASE)


def _candidate_starts(text: str):
    """Offsets where a number may start: every number has a slash, so look back from each one
    (a literal search, much faster than scanning every position with the full pattern)."""
    find = text.find
    j = find("/")
    while j != -1:
        k = j
        while k > 0 and text[k - 1] in " \t\n" and j - k < 5:
            k -= 1
        if k > 0 and text[k - 1].isdigit():
            i = k - 1
            while i > 0 and text[i - 1].isdigit() and k - i < 6:
                i -= 1
            yield i
        elif k > 0 and text[k - 1].isalpha():
            m = _SEG_BACK.search(text, max(0, j - 30), j)
            if m:
                yield m.start(1)
        j = find("/", j + 1)


def find_numbers(text: str, *, registry=None) -> list[NumberMatch]:
    """All document numbers in ``text``, in order, as :class:`NumberMatch` (offsets into
    ``text``). Works on ``CleanText.text`` or ``CleanText.key`` (case-insensitive; on ``key``
    the ``raw`` slice is lower case but ``canonical`` restores the codes' case from the
    registry). ``registry`` defaults to :func:`graph.registry.load_registry`. Never raises on
    text input."""
    reg = registry or _default_registry()
    out: list[NumberMatch] = []
    _ACTIVE.append(reg)
    last_end = -1
    try:
        for start in _candidate_starts(text):
            if start < last_end:
                continue
            m = _NUMBER_RE.match(text, start)
            if m is None:
                continue
            raw = m.group(0)
            pc = _parse_canonical(raw, reg)
            if pc is None:
                continue
            last_end = m.end()
            out.append(_number_match(m.start(), last_end, raw, pc[1], pc[0]))
    finally:
        _ACTIVE.pop()
    return out


def parse_number(s: str, *, registry=None) -> ParsedNumber | None:
    """Parse the first document number in ``s`` (a bare number such as ``"56/2017/NĐ-CP"`` or
    a line such as ``"Số: 377/KH-UBND"``). Returns a :class:`ParsedNumber`, or None when ``s``
    holds no number the grammar accepts. Never raises on string input."""
    reg = registry or _default_registry()
    _ACTIVE.append(reg)
    try:
        for m in _NUMBER_RE.finditer(s or ""):
            p = _parse_tokens(m.group(0), reg)
            if p is not None:
                return p
    finally:
        _ACTIVE.pop()
    return None


def canonical_number(raw: str, *, registry=None) -> str:
    """Canonical form of a number as written: spaces and line breaks dropped, dashes unified,
    doubled slashes collapsed, codes in the case the issuer uses (``34/2014/QĐ-TTG`` →
    ``34/2014/QĐ-TTg``, ``76-CTR/TU`` → ``76-CTr/TU``, ``27/CTTg`` → ``27/CT-TTg``). If the
    grammar does not accept ``raw``, returns it with whitespace removed and dashes unified
    (never raises)."""
    p = parse_number(raw, registry=registry)
    if p is not None:
        return p.canonical
    s = re.sub(r"\s+", "", raw or "")
    s = re.sub(r"[–—‐]", "-", s)
    return re.sub(r"/{2,}", "/", s)


def number_key(s: str, *, registry=None) -> tuple | None:
    """Identity key of the number in ``s`` (:attr:`ParsedNumber.key`), or None."""
    reg = registry or _default_registry()
    p = parse_number(s, registry=reg)
    if p is None:
        return None
    _ACTIVE.append(reg)
    try:
        return p.key
    finally:
        _ACTIVE.pop()

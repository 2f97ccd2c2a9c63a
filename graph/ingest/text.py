"""Normalise text for matching while keeping a map back to the original offsets.

Rules (each keeps the offset map exact):

- Unicode NFC per grapheme cluster (a base character and its combining marks), so NFD input
  ("a" + U+0301) composes; every composed character maps to the cluster's first offset.
- Non-breaking and typographic spaces (U+00A0, U+2000–U+200A, U+202F, U+3000) and tabs → " ".
- ``\\r\\n`` and lone ``\\r`` → ``\\n``.
- Removed: emphasis markup ``*`` (the crawled legal-portal form writes ``**bold**`` and
  ``*italic*``, also inside numbers and dates), zero-width characters (U+200B–U+200D, U+2060,
  U+FEFF) and the soft hyphen (U+00AD).

The comparison key (:func:`fold_key`) is lower case with one tone-mark placement: in the
open syllables "oa", "oe", "uy" the mark goes on the first vowel ("hoà" → "hòa", "khoẻ" →
"khỏe", "Uỷ" → "ủy"), the placement the Ministry of Education's 1984 rules and most current
legal texts use. It is computed character for character, so ``key`` and ``text`` share offsets.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from functools import lru_cache

from graph.models import CleanText

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                                  "\u202f\u205f\u3000\t\v\f"), " ")
_DROP = set("*\u200b\u200c\u200d\u2060\ufeff\u00ad")

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


_SLOW = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\r]")
_DROP_RE = re.compile("[" + re.escape("".join(sorted(_DROP))) + "]")
_SPACE_RE = re.compile("[" + re.escape("".join(chr(c) for c in _SPACES)) + "]")


@lru_cache(maxsize=1)
def _maybe_combining() -> re.Pattern:
    """Character class of every BMP character at or above U+0300 with a non-zero canonical
    combining class (``unicodedata.combining``, from the running Python's Unicode database)
    and of every character beyond the BMP. A text with no match has no combining mark; one
    with a match is tested character by character. (One class of BMP ranges keeps the
    engine's fast bitmap; listing the astral marks one by one would not.)"""
    ranges: list[list[int]] = []
    combining = unicodedata.combining
    for cp in range(0x300, 0x10000):
        if combining(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    body = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile("[" + body + "\U00010000-\U0010ffff]")


def _has_combining(original: str) -> bool:
    """True when ``original`` holds a combining mark (a character at or above U+0300 whose
    ``unicodedata.combining`` is not zero)."""
    if _maybe_combining().search(original) is None:
        return False
    return any(unicodedata.combining(c) for c in set(original) if ord(c) >= 0x300)


@lru_cache(maxsize=1)
def _special() -> re.Pattern:
    """Character class of every character :func:`clean_text` must look at: those of
    :data:`_SLOW`, of :func:`_maybe_combining`, of :data:`_DROP` and of :data:`_SPACES`. One
    scan of the text for it tells which of the paths and replacements apply."""
    body = _maybe_combining().pattern[1:-1] + _SLOW.pattern[1:-1] + _DROP_RE.pattern[1:-1] + \
        _SPACE_RE.pattern[1:-1]
    return re.compile("[" + body + "]")


def clean_text(original: str) -> CleanText:
    """Return the :class:`~graph.models.CleanText` of ``original`` (see module docstring).

    Input: any ``str``. Output: ``text`` and ``key`` of equal length and ``to_original`` with
    ``len(text) + 1`` character offsets into ``original`` (an ``array('i')``, see
    :func:`offset_map`). Never raises on text input.

    Text with no combining marks and no ``\r`` (nearly every real file: portals publish NFC)
    takes a fast path (one scan for the characters to drop or replace, :func:`_specials_in`, then
    ``str.split`` / ``str.replace``; the offset map copied as byte runs of a shared array);
    anything else goes through the per-cluster path. Both give the same result (``tests/test_text.py`` checks them
    against each other).
    """
    found = _specials_in(original)
    if found and any(_SLOW.match(c) or unicodedata.combining(c) for c in found):
        # the test of the module's first version: _SLOW.search(original) or _has_combining(original)
        return _clean_slow(original)
    n = len(original)
    drop_chars = [c for c in found if c in _DROP]
    if not drop_chars:
        text = original
        omap = _identity_map(n + 1)
    elif len(drop_chars) == 1:
        # the runs between the dropped characters are the pieces of a split on it
        pieces = original.split(drop_chars[0])
        text = "".join(pieces)
        omap = _map_of_runs(n, map(len, pieces))
    else:
        drops: list[int] = []
        for c in drop_chars:
            drops += char_positions(original, c)
        drops.sort()
        text = original
        for c in drop_chars:
            text = text.replace(c, "")
        omap = _map_of_runs(n, _run_lengths(n, drops))
    for c in found:
        if ord(c) in _SPACES:
            text = text.replace(c, " ")
    return CleanText(original=original, text=text, key=fold_key(text), to_original=omap)


_TABLE_MIN = 2048
"""Texts at least this long (characters) are searched for :func:`_special` characters by a
table lookup (:func:`_specials_in`) and lower-cased through one (:func:`_lower`); shorter ones
by the regex and ``str.lower`` (a lookup's fixed cost, some microseconds, exceeds the scan's).
``numpy`` (a runtime dependency) is imported on the first long text, not with this module."""


@lru_cache(maxsize=1)
def _special_table():
    """``numpy`` boolean array of 65,536 entries, True at each BMP code point that
    :func:`_special` matches (the surrogates never: the class has none). Built once, from the
    pattern itself."""
    import numpy as np

    every = "".join(map(chr, range(0x10000)))
    table = np.zeros(0x10000, dtype=bool)
    table[[m.start() for m in _special().finditer(every)]] = True
    return table


def _specials_in(original: str) -> set[str]:
    """The distinct characters of ``original`` that :func:`_special` matches:
    ``set(_special().findall(original))``.

    A long text of BMP characters is read as UTF-16 code units (one per character) and looked
    up in :func:`_special_table`, several times faster than the regex engine testing its large
    character class at every character (the class test was a tenth of the parse stage's
    instructions). A text with a character beyond the BMP (two code units) or a short one
    takes the regex. ``tests/test_text_speed4.py`` checks the two ways against each other."""
    if len(original) < _TABLE_MIN:
        return set(_special().findall(original))
    units = original.encode("utf-16-le", "surrogatepass")
    if len(units) != 2 * len(original):
        return set(_special().findall(original))
    import numpy as np

    cps = np.frombuffer(units, dtype=np.uint16)
    return set(map(chr, np.unique(cps[_special_table().take(cps)]).tolist()))


@lru_cache(maxsize=1)
def _lower_table():
    """``numpy`` uint16 array of 65,536 entries: at each BMP code point, the code point of its
    lower case when that is one character (``chr(c).lower()``; always in the BMP), else the
    code point itself (U+0130 "İ", whose lower case has two characters: :func:`fold_key` keeps
    it). Built once."""
    import numpy as np

    out = []
    for c in range(0x10000):
        low = chr(c).lower()
        out.append(ord(low) if len(low) == 1 else c)
    return np.array(out, dtype=np.uint16)


def _table_units(text: str):
    """The UTF-16 code units of ``text`` as a ``numpy`` uint16 array (one per character) when
    the table path of :func:`_lower` applies: ``text`` is long (:data:`_TABLE_MIN`), has no
    capital sigma (whose lower case ``str.lower`` picks from the context: "ς" at a word end),
    no lone surrogate and no character beyond the BMP; else ``None``."""
    if len(text) < _TABLE_MIN or "\u03a3" in text:
        return None
    try:
        units = text.encode("utf-16-le")
    except UnicodeEncodeError:      # a lone surrogate
        return None
    if len(units) != 2 * len(text):
        return None
    import numpy as np

    return np.frombuffer(units, dtype=np.uint16)


def _lower(text: str) -> str:
    """``text`` in lower case, character for character: ``text.lower()`` when that has the
    length of ``text``, else each character's lower case where it is one character and the
    character itself elsewhere (the rule of :func:`fold_key`).

    A text with :func:`_table_units` is mapped through :func:`_lower_table`, about twice as
    fast as ``str.lower`` on Vietnamese text (its per-character case lookup); the result is the
    same string (``tests/test_text_speed4.py`` checks every BMP character and the corpus)."""
    units = _table_units(text)
    if units is not None:
        return _lower_table().take(units).tobytes().decode("utf-16-le")
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: go one by one
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


def char_positions(s: str, c: str) -> list[int]:
    """Offsets of every occurrence of the character ``c`` in ``s``, ascending."""
    out = []
    i = s.find(c)
    while i != -1:
        out.append(i)
        i = s.find(c, i + 1)
    return out


_MAP_CODE = "i"
"""Type code of an offset map (:func:`offset_map`): a C int, 4 bytes on every platform CPython
supports; texts of 2**31 characters or more get ``"q"``."""
_MAP_ITEM = array(_MAP_CODE).itemsize
_MAP_LIMIT = 2 ** (8 * _MAP_ITEM - 1) - 1
_OFFSETS_CAP = 1 << 20
"""Longest run of shared offsets kept (4 MB of ``array('i')``); longer texts build their own."""
_offsets_shared = array(_MAP_CODE)


def offset_map(offsets) -> array:
    """An offset map as :class:`~graph.models.CleanText` holds it: ``array('i', offsets)``
    (``array('q', …)`` when an offset does not fit a C int). Input: an iterable of ints >= 0."""
    offsets = offsets if isinstance(offsets, range) else list(offsets)
    code = _MAP_CODE if not offsets or max(offsets) <= _MAP_LIMIT else "q"
    return array(code, offsets)


def _offsets(n: int) -> array:
    """``offset_map(range(m))`` for some ``m >= n``: a shared array (grown as needed, up to
    :data:`_OFFSETS_CAP` items), else one built for this call. Read only, never changed.

    The shared array is grown from the bytes of ``numpy.arange`` when ``numpy`` is already
    imported (:func:`_specials_in` imports it for every long text): ``array.extend`` of a
    ``range`` converts each int through the argument parser, some 250 instructions an item, a
    one-time cost of ~0.1 G instructions for a 400,000-character text. The items are the same
    (``tests/test_parse_speed5.py``)."""
    global _offsets_shared
    if n > len(_offsets_shared):
        if n > _OFFSETS_CAP:
            return offset_map(range(n))
        m = min(_OFFSETS_CAP, max(n, 2 * len(_offsets_shared), 1 << 15))
        np = sys.modules.get("numpy")
        if np is not None and np.dtype(np.intc).itemsize == _MAP_ITEM:
            grown = array(_MAP_CODE)
            grown.frombytes(np.arange(m, dtype=np.intc).tobytes())
        else:
            grown = array(_MAP_CODE, _offsets_shared)
            grown.extend(range(len(_offsets_shared), m))
        _offsets_shared = grown
    return _offsets_shared


def _identity_map(n: int) -> array:
    """``offset_map(range(n))``, copied from the shared offsets (:func:`_offsets`)."""
    return _offsets(n)[:n]


def _run_lengths(n: int, drops: list[int]) -> list[int]:
    """Lengths of the runs of kept offsets in ``[0, n)`` around ``drops`` (ascending, distinct,
    all < ``n``): ``len(drops) + 1`` runs, possibly empty."""
    out = []
    prev = 0
    for d in drops:
        out.append(d - prev)
        prev = d + 1
    out.append(n - prev)
    return out


def _map_of_runs(n: int, lengths) -> array:
    """The offset map of a text of ``n`` characters from which one character is dropped between
    each two runs of kept ones: ``lengths`` are the runs' lengths (their sum plus the number of
    runs minus one is ``n``). Output: ``offset_map`` of the kept offsets followed by ``n``
    (the end), built by joining byte runs of the shared offsets (no int per character)."""
    base = _offsets(n + 1)
    w = base.itemsize
    view = memoryview(base).cast("B")
    parts = []
    append = parts.append
    prev = 0
    for k in lengths:
        if k:
            append(view[prev * w:(prev + k) * w])
        prev += k + 1
    append(view[n * w:(n + 1) * w])
    out = array(base.typecode)
    out.frombytes(b"".join(parts))
    return out


def _clean_slow(original: str) -> CleanText:
    """Per-grapheme-cluster path of :func:`clean_text` (composes NFD, maps ``\r\n``)."""
    out: list[str] = []
    omap: list[int] = []
    n = len(original)
    i = 0
    while i < n:
        c = original[i]
        if c in _DROP:
            i += 1
            continue
        if c == "\r":
            out.append("\n")
            omap.append(i)
            i += 2 if i + 1 < n and original[i + 1] == "\n" else 1
            continue
        # gather a grapheme cluster: base + combining marks
        j = i + 1
        while j < n and unicodedata.combining(original[j]):
            j += 1
        if j == i + 1:
            out.append(c.translate(_SPACES) if ord(c) in _SPACES else c)
            omap.append(i)
        else:
            composed = unicodedata.normalize("NFC", original[i:j])
            for ch in composed:
                out.append(ch)
                omap.append(i)
        i = j
    omap.append(n)
    text = "".join(out)
    return CleanText(original=original, text=text, key=fold_key(text), to_original=offset_map(omap))


def _with_tone(base: str, tone: str) -> str:
    """``base`` with the combining ``tone`` mark, composed (NFC): ("o", U+0300) → "ò"."""
    return unicodedata.normalize("NFC", base + tone)


def _moved_tones() -> dict[str, str]:
    """The folds of :func:`fold_key`: each open pair of :data:`_PAIRS` with a tone on its second
    vowel → the same pair with the tone on the first ("oà" → "òa", "uỷ" → "ủy"); 15 entries,
    built from the tones of :data:`_TONES` on the lower-case vowels."""
    out = {}
    for a, b in sorted(_PAIRS):
        for tone in sorted(_TONES):
            out[a + _with_tone(b, tone)] = _with_tone(a, tone) + b
    return out


_MOVED = _moved_tones()
_TONED_O = re.compile("o[" + "".join(k[1] for k in _MOVED if k[0] == "o") + r"](?![^\W\d_])")
_TONED_U = re.compile("u[" + "".join(k[1] for k in _MOVED if k[0] == "u") + r"](?![^\W\d_])")
r"""The pairs of :data:`_MOVED` at a word end, one pattern per first vowel: a pattern that starts
with a literal letter lets the regex engine skip to that letter's next occurrence at C speed
(the first version's single pattern ``([ou])([àáảãạèéẻẽẹỳýỷỹỵ])(?![^\W\d_])``, whose first
character is a class, took four times as long over the bulk corpus)."""


def _move_o(m: re.Match) -> str:
    """Replacement for a :data:`_TONED_O` match: the pair with its tone moved (:data:`_MOVED`)."""
    return _MOVED[m.group()]


def _move_u(m: re.Match) -> str:
    """Replacement for a :data:`_TONED_U` match: the pair with its tone moved, unless "q" precedes."""
    s = m.start()
    if s and m.string[s - 1] == "q":      # "qu" + vowel: the "u" is the onset ("quý")
        return m.group()
    return _MOVED[m.group()]


def fold_key(text: str) -> str:
    """Lower-case ``text`` and move tone marks of open "oa"/"oe"/"uy" to the first vowel.

    Same length as ``text`` (character for character). Example: ``fold_key("Uỷ ban khoẻ")``
    → ``"ủy ban khỏe"``. The pair must end the word, the first vowel must carry no mark, and
    the "u" of "qu" is the onset ("quý" is left as is).
    """
    if len(text) <= 80:  # names and phrases recur: keep their keys (whole texts are not kept)
        return _fold_key_short(text)
    return _fold_key(text)


@lru_cache(maxsize=16384)
def _fold_key_short(text: str) -> str:
    return _fold_key(text)


def _fold_key(text: str) -> str:
    low = _lower(text)
    # the two passes touch different pairs and keep every character's letterhood (and "q"), so
    # they give what the first version's one pass over both gave (whose matches could not
    # overlap: a plain "o"/"u" is never the toned second vowel); tests/test_text.py checks this
    return _TONED_U.sub(_move_u, _TONED_O.sub(_move_o, low))


def strip_accents(s: str) -> str:
    """Remove all diacritics and map đ → d, lower-cased: "Trẻ Em" → "tre em" (for
    accent-insensitive search). The result may be shorter than ``s``."""
    d = unicodedata.normalize("NFD", s.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in d if not unicodedata.combining(c))


def collapse_ws(s: str) -> str:
    """Collapse runs of whitespace (including newlines) to one space and strip: ``" ".join(
    s.split())``.

    Computed with ``str.replace`` where it can: when ``s`` with its line breaks made spaces is
    printable (``str.isprintable``: then its only white space is " ", every other kind being
    a control or separator character), runs of spaces are halved until none is left and the
    ends stripped, the same string the split and join give, three to four times as fast on a
    paragraph (no list of words). Anything else is split and joined.
    """
    r = s.replace("\n", " ")
    if r.isprintable():
        while "  " in r:
            r = r.replace("  ", " ")
        return r.strip(" ")
    return " ".join(s.split())


def literal_trie(words) -> str:
    """Regex (string) matching any of ``words`` (literal strings) at a position, written as a
    character trie so that the engine tests each character once. At a position it matches the
    longest word that the rest of the pattern accepts (greedy, backtracking to shorter words),
    as an alternation of the words sorted longest first does. ``""`` for no words."""
    first: dict[str, list[str]] = {}
    ends_here = False
    for w in words:
        if w:
            first.setdefault(w[0], []).append(w[1:])
        else:
            ends_here = True
    alts = [re.escape(c) + literal_trie(rest) for c, rest in sorted(first.items())]
    if not alts:
        return ""
    group = "(?:" + "|".join(alts) + ")"
    return group + "?" if ends_here else group

"""Dates in Vietnamese official text → ISO 8601.

Forms recognised (rules from Nghị định 30/2020/NĐ-CP, Phụ lục I, on how dates are written in
administrative documents, plus the variants seen in the corpus):

- ``ngày 13 tháng 6 năm 2024`` — the formal form; ``ngày`` optional, any whitespace (line
  breaks too) between the parts, no space needed before the number ("tháng12"), digits split
  by a stray space in crawled text ("tháng 0 6"), accentless OCR variants ``thang``/``nam``.
- ``13/6/2024``, ``13/06/2024``, ``24-11-2023``, ``13.6.2024`` — numeric day-month-year with
  the same separator twice, spaces or a line break allowed around it.
- ``November 17, 2025``, ``17 November 2025`` — English month names (translations published
  by the portals).

Both work on *clean* text (``graph.ingest.text.clean_text``: emphasis ``*``/``**`` already
removed, so ``**13**/6/2024`` reads as ``13/6/2024``). Every match is checked against the
calendar (``31/2/2024`` is not a date) and must have a year in 1900–2100.

API: :func:`find_dates` (all dates of a text with their spans) and :func:`parse_date` (the
first date of a short string). Neither raises on any ``str`` input.
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["find_dates", "date_covering", "parse_date", "to_iso"]

_MIN_YEAR, _MAX_YEAR = 1900, 2100

# one or two digits, possibly split by one space ("0 6"); no digit may precede or follow
_DD = r"(\d(?:[ ]?\d)?)"

_TEXT_DATE = re.compile(
    r"(?<![\w])(?:(?:ngày|ngay)[ \t]*\n?[ \t]*)?"      # optional "ngày"
    + _DD
    + r"\s*(?:tháng|thang)\s*"
    + _DD
    + r"\s*(?:,\s*)?(?:năm|nam)\s*(\d{4})(?!\d)",
    re.IGNORECASE,
)
"""Formal form; applied to any text (case-insensitive). The definition: :func:`find_dates`
runs the equal but faster :data:`_TEXT_DATE_DIGITS` and :data:`_NGAY` (tests check them against
this pattern)."""

_TEXT_DATE_DIGITS = re.compile(
    _DD + r"\s*(?:tháng|thang)\s*" + _DD + r"\s*(?:,\s*)?(?:năm|nam)\s*(\d{4})(?!\d)",
    re.IGNORECASE,
)
""":data:`_TEXT_DATE` from its first digit on (same groups). It begins with a digit class, so
the regex engine skips to the next digit at C speed; :data:`_TEXT_DATE` begins with a
lookbehind and an optional word, so the engine tried its whole start at every position."""

_NGAY = re.compile(r"ngày|ngay", re.IGNORECASE)
"""The optional word of :data:`_TEXT_DATE`; both spellings are :data:`_NGAY_LEN` characters."""
_NGAY_LEN = 4
assert all(len(w) == _NGAY_LEN for w in _NGAY.pattern.split("|"))

_NUM_DATE = re.compile(
    r"(\d(?<![\w/.\-]\d)\d?)\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/]|\.\d)",
)
r"""Numeric form with one separator used twice (``/``, ``-`` or ``.``). Its first digit is not
preceded by a word character, ``/``, ``.`` or ``-``: written as a lookbehind *after* that digit
(``(?<![\w/.\-]\d)``, the same test) so that the pattern begins with a digit class and the
engine skips to the next digit at C speed."""


_MONTHS = {m: i + 1 for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTH_ALT = r"(?:january|february|march|april|may|june|july|august|september|october|november|" \
             r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_EN_DATE = re.compile(
    r"(?<![\w])(?:(?P<m1>" + _MONTH_ALT + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH_ALT + r"),?\s+(?P<y2>\d{4}))(?!\d)",
    re.IGNORECASE,
)
"""English dates of translated texts: "November 17, 2025", "17 November 2025"."""

_EN_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                      "\u017fep")
"""The first three letters of every month name of :data:`_EN_DATE`, lower case, and "ſep" (the
long s, which the pattern's case folding takes for "s"): a text whose lower-case form holds
none of them has no English date."""


def _may_have_english_date(text: str) -> bool:
    """Cheap test before :data:`_EN_DATE` (a costly case-insensitive pattern): False only when
    ``text`` cannot hold an English date (no digit pair of a year, or no month name)."""
    if "20" not in text and "19" not in text:
        return False
    low = text.lower()
    for p in _EN_MONTH_PREFIXES:
        if p in low:
            return True
    return False


_ISO_SEEN: dict[tuple[int, int, int], str | None] = {}
"""Answers of :func:`to_iso` by ``(day, month, year)`` (a text repeats its dates; building the
``datetime.date`` and its ISO string cost more than the lookup); cleared when it grows past
8,192 entries."""


def to_iso(day: int, month: int, year: int) -> str | None:
    """``(13, 6, 2024)`` → ``"2024-06-13"``; ``None`` if it is not a calendar date or the year
    lies outside 1900–2100. Answers are kept by ``(day, month, year)`` (:data:`_ISO_SEEN`)."""
    k = (day, month, year)
    try:
        return _ISO_SEEN[k]
    except KeyError:
        pass
    if not (_MIN_YEAR <= year <= _MAX_YEAR):
        iso = None
    else:
        try:
            iso = _dt.date(year, month, day).isoformat()
        except ValueError:
            iso = None
    if len(_ISO_SEEN) >= 8192:
        _ISO_SEEN.clear()
    _ISO_SEEN[k] = iso
    return iso


def _num(s: str) -> int:
    return int(s.replace(" ", ""))


def _word_char(c: str) -> bool:
    """``c`` matches the regex class ``\\w`` (str patterns): alphanumeric or "_"."""
    return c.isalnum() or c == "_"


def _text_dates(text: str, found: list[tuple[int, int, str]]) -> None:
    """Append the formal dates of ``text`` to ``found``: ``(start, end, iso)`` of every match
    of :data:`_TEXT_DATE` (as its ``finditer`` gives them) whose date is valid.

    A match of :data:`_TEXT_DATE` is a match of :data:`_TEXT_DATE_DIGITS` at some digit ``q``,
    started either at an optional "ngày" + ``[ \\t]*\\n?[ \\t]*`` that ends exactly at ``q`` (tried
    first, as the regex does) or at ``q`` itself, where no word character may precede the
    start. The digit matches are searched in increasing order from the end of the last match,
    so the first valid start is the one the regex scan reaches first."""
    search = _TEXT_DATE_DIGITS.search
    n = len(text)
    pos = 0
    while pos < n:
        m = search(text, pos)
        if m is None:
            return
        q = m.start()
        start = _text_date_start(text, q, pos)
        if start is None:
            pos = q + 1      # no match starts here; the scan goes on after the digit
            continue
        iso = to_iso(_num(m.group(1)), _num(m.group(2)), int(m.group(3)))
        if iso:
            found.append((start, m.end(), iso))
        pos = m.end()


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """All dates in ``text`` as ``(start, end, iso)`` character spans, in text order.

    Input: clean text (see module docstring). Spans are half-open offsets into ``text``; for
    the formal form the span starts at "ngày" when present. Overlapping candidates are resolved
    in favour of the earlier, then the longer one. Invalid calendar dates are skipped.
    Never raises.
    """
    if not text or not isinstance(text, str):
        return []
    found: list[tuple[int, int, str]] = []
    if "h" in text or "H" in text:      # "tháng"/"thang" holds an h (no other letter folds to it)
        _text_dates(text, found)
    if _may_have_english_date(text):
        for m in _EN_DATE.finditer(text):
            mon = (m.group("m1") or m.group("m2")).lower().rstrip(".")
            day = m.group("d1") or m.group("d2")
            year = m.group("y1") or m.group("y2")
            iso = to_iso(int(day), _MONTHS.get(mon[:3] if mon != "sept" else "sep", 0), int(year))
            if iso:
                found.append((m.start(), m.end(), iso))
    if "/" in text or "." in text or "-" in text:
        for m in _NUM_DATE.finditer(text):
            iso = to_iso(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            if iso:
                found.append((m.start(), m.end(), iso))
    if len(found) < 2:
        return found
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[int, int, str]] = []
    for d in found:
        if out and d[0] < out[-1][1]:
            continue
        out.append(d)
    return out


_DIGIT = re.compile(r"\d")


def date_covering(text: str, pos: int) -> tuple[int, int, str] | None:
    """The first date of ``find_dates(text)`` whose span covers the offset ``pos``
    (``start <= pos < end``), as ``(start, end, iso)``, or None.

    Fast path for the usual case, a numeric (:data:`_NUM_DATE`) or formal
    (:data:`_TEXT_DATE_DIGITS`, its start moved back to a "ngày" right before it as
    :func:`_text_dates` does) date whose first digit is at ``pos``, with no digit and no English
    month name before ``pos``. Then no other date starts at or before that date's start: every
    form but the English month-first one begins with a digit, or with "ngày" right before its
    digit; and at ``pos`` the numeric form needs a separator where the formal and the English
    forms need a word. So the overlap rule of :func:`find_dates` keeps it, and it is the first
    date covering ``pos``. Otherwise :func:`find_dates` is run. Input: a (short) clean text and
    a character offset into it; never raises on ``str`` input."""
    if 0 <= pos < len(text) and text[pos].isdecimal() and _DIGIT.search(text, 0, pos) is None:
        head = text[:pos].lower()
        if not any(p in head for p in _EN_MONTH_PREFIXES):
            m = _NUM_DATE.match(text, pos)
            if m is not None:
                iso = to_iso(int(m.group(1)), int(m.group(3)), int(m.group(4)))
                if iso:
                    return pos, m.end(), iso
            else:
                m = _TEXT_DATE_DIGITS.match(text, pos)
                if m is not None:
                    start = _text_date_start(text, pos)
                    if start is not None:
                        iso = to_iso(_num(m.group(1)), _num(m.group(2)), int(m.group(3)))
                        if iso:
                            return start, m.end(), iso
    for d in find_dates(text):
        if d[0] <= pos < d[1]:
            return d
    return None


def _text_date_start(text: str, q: int, lo: int = 0) -> int | None:
    """Start of the formal date whose first digit is at ``q``, for a scan that resumed at
    offset ``lo`` (no match may start before it): the "ngày" + blanks (one line break at most)
    ending at ``q`` when it starts at or after ``lo`` and no word character precedes it, else
    ``q`` when no word character precedes ``q``; None when neither holds (the scan would go
    on past ``q``). Used by :func:`_text_dates` and :func:`date_covering`."""
    k = q
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    if k > 0 and text[k - 1] == "\n":
        k -= 1
        while k > 0 and text[k - 1] in " \t":
            k -= 1
    p = k - _NGAY_LEN
    if p >= lo and _NGAY.fullmatch(text, p, k) and not (p and _word_char(text[p - 1])):
        return p
    if not (q and _word_char(text[q - 1])):
        return q
    return None


def parse_date(s: str) -> str | None:
    """The first date in ``s`` as an ISO string, or ``None``.

    Accepts raw strings too: ``*`` emphasis marks are dropped and whitespace is tolerated
    (``"ngày **13** tháng 6\\nnăm 2024"`` → ``"2024-06-13"``). Never raises.
    """
    if not s or not isinstance(s, str):
        return None
    s = s.replace("*", "")
    hits = find_dates(s)
    return hits[0][2] if hits else None

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

__all__ = ["find_dates", "parse_date", "to_iso"]

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
"""Formal form; applied to any text (case-insensitive)."""

_NUM_DATE = re.compile(
    r"(?<![\w/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/]|\.\d)",
)
"""Numeric form with one separator used twice (``/``, ``-`` or ``.``)."""


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


def to_iso(day: int, month: int, year: int) -> str | None:
    """``(13, 6, 2024)`` → ``"2024-06-13"``; ``None`` if it is not a calendar date or the year
    lies outside 1900–2100."""
    if not (_MIN_YEAR <= year <= _MAX_YEAR):
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _num(s: str) -> int:
    return int(s.replace(" ", ""))


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
    for m in _TEXT_DATE.finditer(text):
        iso = to_iso(_num(m.group(1)), _num(m.group(2)), int(m.group(3)))
        if iso:
            found.append((m.start(), m.end(), iso))
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

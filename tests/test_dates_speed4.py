"""Round-4 speed change of the date reader: ``to_iso`` keeps its answers by (day, month, year);
a kept answer must be the one the calendar gives, on first and later calls alike."""

from __future__ import annotations

import datetime as dt

from graph.extract import dates as D


def _plain_to_iso(day: int, month: int, year: int) -> str | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def test_to_iso_kept_answers_are_the_calendar():
    grid = [(d, m, y) for y in (1899, 1900, 2000, 2023, 2024, 2100, 2101) for m in (0, 1, 2, 12, 13)
            for d in (0, 1, 28, 29, 30, 31, 32)]
    for _ in range(2):  # the second round reads the kept answers
        for d, m, y in grid:
            assert D.to_iso(d, m, y) == _plain_to_iso(d, m, y), (d, m, y)


def test_to_iso_store_is_bounded():
    D._ISO_SEEN.clear()
    for i in range(9000):
        D.to_iso(1 + i % 28, 1 + (i // 28) % 12, 1900 + (i // 336) % 201)  # 9,000 distinct dates
    assert len(D._ISO_SEEN) <= 8192
    assert D.to_iso(13, 6, 2024) == "2024-06-13"

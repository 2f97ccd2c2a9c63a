"""Per-document indexes of :mod:`graph.extract.tasks` give the answers of the plain computations.

``_Mapper.clean`` (original → clean offset from a nearby anchor) against ``bisect_left`` over the
whole ``to_original`` map, on maps with dropped characters (markup), ``\\r\\n`` and an NFC
expansion (two clean characters from one original: the map repeats an offset).
"""

from __future__ import annotations

import bisect
from types import SimpleNamespace

import pytest

from graph.extract.tasks import _Mapper
from graph.ingest.text import clean_text

MAPS = [
    # (name, text): the original text given to clean_text
    ("identity", "Sở Y tế chủ trì, phối hợp với Sở Tài chính."),
    ("markup dropped", "1. **Sở Y tế**\n\na) *Chủ trì*, phối hợp với ** Sở Tài chính **"),
    ("crlf", "Điều 1.\r\nSở Y tế\r\n\r\n- Chủ trì\r\n"),
    ("nfc expansion", "ab\u0958\u0301cd\r\nx**y\u0958\u0301\u0301z"),  # U+0958 + mark → 3 clean chars
]


def _plain(tomap, top, x):
    return min(bisect.bisect_left(tomap, x, 0, len(tomap) - 1), top)


@pytest.mark.parametrize("name,text", MAPS)
def test_mapper_clean_matches_bisect_over_the_whole_map(name, text):
    clean = clean_text(text)
    mapper = _Mapper(SimpleNamespace(clean=clean))
    tomap, top = clean.to_original, len(clean.text)
    n = len(text)
    for a_orig in range(n + 1):
        a_clean = _plain(tomap, top, a_orig)
        for x in range(n + 2):
            assert mapper.clean(x, a_clean, a_orig) == _plain(tomap, top, x), (name, a_orig, x)


def test_mapper_clean_on_a_map_with_repeated_offsets():
    """A hand-made map: clean characters 2-4 all come from original offset 2."""
    tomap = (0, 1, 2, 2, 2, 3, 7, 8, 9)
    mapper = _Mapper(SimpleNamespace(clean=SimpleNamespace(to_original=tomap, text="x" * 8)))
    for a_orig in range(11):
        a_clean = _plain(tomap, 8, a_orig)
        for x in range(11):
            assert mapper.clean(x, a_clean, a_orig) == _plain(tomap, 8, x), (a_orig, x)

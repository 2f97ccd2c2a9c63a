"""Round-5 fast paths of the parse stage, each checked against the code it replaces.

- ``graph.ingest.text._offsets`` grows its shared offsets from ``numpy.arange`` bytes when
  ``numpy`` is imported; the replaced code extended the array with a ``range``.
"""

from __future__ import annotations

import sys
from array import array

import pytest

from graph.ingest import text as text_mod


def _replaced_growth(old: array, m: int) -> array:
    """The growth step before round 5: copy, then ``extend(range(len(old), m))``."""
    grown = array(text_mod._MAP_CODE, old)
    grown.extend(range(len(old), m))
    return grown


@pytest.mark.parametrize(
    ("numpy_loaded", "sizes"),
    [
        (True, [1, 5, 40_000, 70_000, 300_000]),      # grown from numpy.arange
        (False, [1, 5, 40_000, 70_000, 300_000]),     # numpy hidden: the extend path
        (True, [1 << 20]),                             # exactly the cap
    ],
)
def test_offsets_growth_equals_range(monkeypatch, numpy_loaded, sizes):
    """Every prefix the shared offsets give is ``range(n)``, whichever way they were grown,
    and equals what the replaced growth step gives."""
    np = pytest.importorskip("numpy")
    monkeypatch.setattr(text_mod, "_offsets_shared", array(text_mod._MAP_CODE))
    if not numpy_loaded:
        monkeypatch.setitem(sys.modules, "numpy", None)
    else:
        monkeypatch.setitem(sys.modules, "numpy", np)
    for n in sizes:
        before = text_mod._offsets_shared
        got = text_mod._offsets(n)
        assert len(got) >= n
        assert got.typecode == text_mod._MAP_CODE
        if len(got) != len(before):
            assert got == _replaced_growth(before, len(got))
        assert got[:n] == array(text_mod._MAP_CODE, range(n))
        assert text_mod._identity_map(n) == array(text_mod._MAP_CODE, range(n))


def test_offsets_beyond_cap_builds_its_own(monkeypatch):
    """A text longer than the cap gets a map of its own (the shared one is not grown)."""
    monkeypatch.setattr(text_mod, "_OFFSETS_CAP", 1000)
    monkeypatch.setattr(text_mod, "_offsets_shared", array(text_mod._MAP_CODE))
    got = text_mod._offsets(1500)
    assert got == array(text_mod._MAP_CODE, range(1500))
    assert len(text_mod._offsets_shared) == 0


def test_clean_text_map_after_growth():
    """clean_text's offset map (drops of "*" and none) after the shared offsets grew from
    numpy: real bold markup of a crawled document, repeated to a long text."""
    pytest.importorskip("numpy")
    frag = "**QUYẾT ĐỊNH**\n\n*Căn cứ Luật Tổ chức chính quyền địa phương;*\n"
    for original in (frag * 3000, frag.replace("*", "") * 3000):
        ct = text_mod.clean_text(original)
        kept = [i for i, c in enumerate(original) if c != "*"] + [len(original)]
        assert list(ct.to_original) == kept

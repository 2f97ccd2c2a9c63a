"""Round-5 speed rewrites of the reference reader, checked against the code they replace.

``_line_cuts`` (one scan of the line breaks) against the union of the ``_HARD``, ``_EOL`` (one
pattern per mark) and ``_MARKER`` scans that ``_segment`` ran before; ``_phrase_starts`` (one
literal anchor scan per anchor character) against a ``str.find`` pass per phrase, and
``_boilerplate_paras`` against the loops over those passes. Rows are text fragments, some real;
corpus-wide checks skip when ``../shared`` is absent."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.extract import references as R
from graph.ingest.text import clean_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
DOCS = SHARED / "corpus" / "documents"


def _corpus(limit: int = 40) -> list:
    if not DOCS.is_dir():
        pytest.skip(f"shared corpus not found at {DOCS}")
    return [clean_text(p.read_text(encoding="utf-8")) for p in sorted(DOCS.glob("*.txt"))[:limit]]


# --------------------------------------------------------------------------------------------
# _line_cuts
# --------------------------------------------------------------------------------------------


def _plain_line_cuts(text: str) -> list[int]:
    """The code _line_cuts replaces (round 4's _segment)."""
    para = {m.start() for m in R._HARD.finditer(text)}
    for rx in R._EOL_SCANS:
        para.update([m.end() - 1 for m in rx.finditer(text)])
    para.update([m.start() for m in R._MARKER.finditer(text)])
    return sorted(para)


LINE_ROWS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương;\nCăn cứ Nghị định số 34/2016/NĐ-CP;\n\nQUYẾT ĐỊNH:\nĐiều 1.",
    "a) Ủy ban nhân dân tỉnh;  \nb) Sở Tư pháp.\t\nc) các sở",   # spaces/tabs before the line break
    "\n\n\n\n",                       # a run of blank lines: _HARD's matches do not overlap
    "x\n \t\n\t\n \n1. Mục tiêu",
    "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.",
    "  \n;",
    "",
    "\n",
]


@pytest.mark.parametrize("text", LINE_ROWS)
def test_line_cuts_are_the_union_of_the_scans(text):
    assert R._line_cuts(text) == _plain_line_cuts(text)


def test_line_cuts_random_strings():
    rnd = random.Random(5)
    alpha = ["\n", "\n\n", " ", "\t", ".", ";", ":", "a", "b) ", "1. ", "Điều 1", "- ", "x", "Căn cứ", "|"]
    for _ in range(5000):
        t = "".join(rnd.choice(alpha) for _ in range(rnd.randint(0, 30)))
        assert R._line_cuts(t) == _plain_line_cuts(t), repr(t)


def test_line_cuts_on_corpus():
    for ct in _corpus():
        assert R._line_cuts(ct.text) == _plain_line_cuts(ct.text)


# --------------------------------------------------------------------------------------------
# _phrase_starts / _boilerplate_paras
# --------------------------------------------------------------------------------------------


def _plain_starts(kws: str, phrases) -> list[list[int]]:
    return [list(R._find_all(kws, ph)) for ph in phrases]


def _plain_boilerplate_paras(kws: str, units) -> set[int]:
    """The code _boilerplate_paras replaces (one str.find pass per phrase)."""
    out: set[int] = set()
    for phrase in R._BOILERPLATE:
        for i in R._find_all(kws, phrase):
            out.add(units.para_at(i))
    if not out:
        return out
    for phrase in ("chúng tôi", "quý khách", "thành viên"):
        for i in R._find_all(kws, phrase):
            p = units.para_at(i)
            if p - 1 in out or p - 2 in out:
                out.add(p)
    return out


PHRASE_ROWS = [
    # real portal furniture (folded key, line breaks as spaces)
    "chúng tôi cam kết bảo mật thông tin của quý thành viên. thư viện pháp luật - thuvienphapluat.vn",
    "đăng nhập tài khoản của bạn để xem. hotline: 19006192 email: info@thuvienphapluat.vn",
    "bản quyền thuộc lawnet. dân luật. quý khách vui lòng",
    "quý thành viên thành viên chúng tôi chúng tôi cam kết",   # overlapping phrases
    "emailemail: lawnetlawnet",
    "quyết định số 12/2020/qđ-ubnd",
    "",
]


@pytest.mark.parametrize("kws", PHRASE_ROWS)
def test_phrase_starts_are_the_find_passes(kws):
    got = R._phrase_starts(kws, R._FURNITURE_PHRASES, R._FURNITURE_SCAN)
    assert got == _plain_starts(kws, R._FURNITURE_PHRASES)


def test_phrase_starts_random_strings():
    rnd = random.Random(7)
    words = list(R._FURNITURE_PHRASES) + ["ý", "ậ", "e", "w", " ", "quý", "luậ", "chú", "x"]
    for _ in range(3000):
        kws = "".join(rnd.choice(words) for _ in range(rnd.randint(0, 12)))
        assert R._phrase_starts(kws, R._FURNITURE_PHRASES, R._FURNITURE_SCAN) == \
            _plain_starts(kws, R._FURNITURE_PHRASES), repr(kws)


def test_phrase_scan_anchors_every_phrase_once():
    ids = sorted(n for _, items in R._FURNITURE_SCAN for n, _ in items)
    assert ids == list(range(len(R._FURNITURE_PHRASES)))
    for rx, items in R._FURNITURE_SCAN:
        for n, k in items:
            assert rx.pattern.startswith(R.re.escape(R._FURNITURE_PHRASES[n][k]))


@pytest.mark.parametrize("kws", PHRASE_ROWS)
def test_boilerplate_paras_rows(kws):
    units = R._segment(kws, kws)
    assert R._boilerplate_paras(kws, units) == _plain_boilerplate_paras(kws, units)


def test_boilerplate_paras_on_corpus():
    for ct in _corpus():
        kws = ct.key.replace("\n", " ").replace("\t", " ").replace("\r", " ")
        units = R._segment(ct.text, ct.key)
        assert R._boilerplate_paras(kws, units) == _plain_boilerplate_paras(kws, units)

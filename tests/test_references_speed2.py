"""Round-2 speed rewrites of the reference reader, checked against their plain definitions.

Each row is a text fragment (some from the bulk corpus); the fast form must give what the
plain form gives: the sentence-stop pattern with its look-behind (``_DOT``) against "a full
stop followed by space and a capital, kept when the character before the stop is neither a
space nor a full stop"; ``_cue_in`` on short windows against a plain scan; the per-registry
issuer index of ``normalise_issuer`` against keying every registry issuer."""

from __future__ import annotations

import re

import pytest

from graph.extract import references as R
from graph.registry import load_registry

_PLAIN_DOT = re.compile(r"\.\s+(?=[A-ZĐÀ-Ỹ\[])")

DOT_ROWS = [
    "Điều 1. Phê duyệt Kế hoạch thực hiện. Giao Sở Y tế chủ trì.",
    "ban hành kèm theo Quyết định này. \nĐiều 2. Quyết định có hiệu lực",
    "… . Kế hoạch số 12/KH-UBND ngày 5/3/2021.. Ủy ban nhân dân tỉnh",
    ". Bắt đầu bằng dấu chấm. [1] Tài liệu",
    "năm 2021 . Sở Tư pháp\t. Thực hiện",
    "Luật Trẻ em.  \n\n  Căn cứ Nghị định số 56/2017/NĐ-CP.",
]


@pytest.mark.parametrize("text", DOT_ROWS)
def test_dot_lookbehind_is_the_filtered_plain_scan(text):
    plain = [i for i in (m.start() for m in _PLAIN_DOT.finditer(text)) if i and text[i - 1] not in " .\n\t"]
    assert [m.start() for m in R._DOT.finditer(text)] == plain


def _plain_cue_in(kws, a, b):
    last = None
    for cm in R._CUE_RE.finditer(kws, a, b):
        last = cm
    if last is None:
        return None
    ph = " ".join(last.group(1).split())
    return ph, R._CUE_REL.get(ph, "cites"), last.start()


CUE_ROWS = [
    "căn cứ luật tổ chức chính quyền địa phương",
    "xét đề nghị của giám đốc sở tư pháp",
    "quyết định số 23 và kế hoạch số 12; xét",
    "thực hiện chỉ thị số 28, triển khai kế hoạch",
]


@pytest.mark.parametrize("kws", CUE_ROWS)
def test_cue_in_short_windows(kws):
    for a in range(len(kws)):
        for b in range(a, min(len(kws), a + 8) + 1):
            assert R._cue_in(kws, a, b) == _plain_cue_in(kws, a, b), (a, b)


ISSUER_ROWS = [
    "Bộ Lao động, Thương binh và Xã hội",
    "Bộ Lao động Thương binh và Xã hội",
    "Thủ tướng Chính phủ",
    "UBND tỉnh Bình Định",
    "BAN THƯỜNG VỤ TỈNH ỦY",
    "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Khóa XII",
]


@pytest.mark.parametrize("phrase", ISSUER_ROWS)
def test_issuer_index_is_the_registry_scan(phrase):
    reg = load_registry()
    k = R._issuer_key(phrase)
    plain = next((ic.name_vi for ic in reg.issuers if R._issuer_key(ic.name_vi) == k), None)
    assert R._issuer_index(reg).get(k) == plain

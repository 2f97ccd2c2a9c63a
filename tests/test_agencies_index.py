"""The literal-prefix index of the registry forms (``graph.extract.agencies._FormIndex``) misses no
match: wherever a form's pattern matches at a word start, the per-document scan
(``_doc_scan``, forms read everywhere) and the recipient-list scan (``_FormIndex.full``) name
that form at that position. The index only says where a form cannot match, so a form left out
where it matches would lose a mention; this checks every form at every position of each row.

Rows: spellings of the heads whose prefixes run through white space and an optional
punctuation mark (``ub\\s*[-,./]?\\s*nhân dân``, ``vp\\s*[-,./]?\\s*…``, ``tt\\s*[-,./]?\\s*…``),
lines of the ``../shared/corpus`` documents, and odd spacing (line breaks, double spaces).
"""

from __future__ import annotations

import pytest

from graph.agency_registry import load_agency_registry
from graph.extract import agencies as ag
from graph.ingest.text import fold_key

ROWS = [
    # abbreviation heads with punctuation and spacing between their parts
    "UB-ND tỉnh; UB . nhân dân huyện; UB/ND xã; UB,  nhân dân; UBND; Ủy ban nhân dân",
    "VP- UBND tỉnh; VP.UBND; VP . Chính phủ; VP/Quốc hội; VPTW Đảng; VP TW Đảng; VP - TW",
    "TT.HĐND tỉnh; TT -  Tỉnh ủy; TT/Thành ủy; TTr HĐND; Thường trực  UBND; TT- TU; TT UBND",
    "UBTW MTTQ Việt Nam; UB TW MTTQ VN; UB - MTTQVN tỉnh; UB.MTTQ tỉnh; Ủy ban MTTQ Việt Nam tỉnh",
    "UB Kiểm tra Tỉnh ủy; UB-Kiểm tra Trung ương; Ủy ban Thường vụ Quốc hội; UBTVQH; UB Dân tộc",
    # lines of the corpus documents (bulk endings and assignments)
    "- Trung tâm TT, DL và CNS TP Hà Nội;\n- VP UBND TP: CVP, PCVP Đ.H.Nam, TKBT, KT;",
    "Nơi nhận:\n- Như Điều 3;\n- TT Tỉnh ủy, TT HĐND tỉnh;\n- CT, các PCT UBND tỉnh;\n- Lưu: VT, KGVX.",
    "Giao Văn phòng\nChính phủ chủ trì, phối hợp với Bộ Tài  chính, Sở Nông nghiệp và Môi trường.",
    "Thủ tướng Chính phủ; Chủ tịch Ủy ban nhân dân tỉnh; Hội đồng nhân dân; Trung tâm Phục vụ hành chính công",
]


def _word_start(k: str, p: int) -> bool:
    return p == 0 or not (k[p - 1].isalnum() or k[p - 1] == "_")


@pytest.mark.parametrize("text", ROWS)
def test_every_form_match_is_a_candidate(text):
    ctx = ag.make_context(text, fold_key(text), None, load_agency_registry())
    k = ctx.key
    mt = ctx.matcher
    sc = ag._doc_scan(ctx)
    assert sc is not None and not mt.index.unindexed
    main = dict(zip(sc.main_pos, sc.main_forms, strict=True))
    pos, fl = mt.index.full.candidates(k)
    full = dict(zip(pos, fl, strict=True))
    for fi, f in enumerate(mt.forms):
        for p in range(len(k)):
            if not _word_start(k, p):
                continue
            m = f.regex.match(k, p)
            if m is None or m.end() <= p:
                continue
            assert fi in full.get(p, ()), (f.row.id, f.regex.pattern[:60], k[p:m.end()])
            if not f.recipients_only:
                assert fi in main.get(p, ()), (f.row.id, f.regex.pattern[:60], k[p:m.end()])


@pytest.mark.parametrize(("pattern", "text"), [
    # (a prefix of the pattern must begin every match, white-space runs written as one space)
    (r"ub\s*[-,./]?\s*nhân\s+dân", "ub - nhân dân"),
    (r"ub\s*[-,./]?\s*nhân\s+dân", "ub-\nnhân dân"),
    (r"ub\s*[-,./]?\s*nhân\s+dân", "ubnhân dân"),
    (r"(?:tt\s*[-,./]?\s*|ttr|tt)\s*(?:hđnd|ubnd)", "tt .  hđnd"),
    (r"(?:tt\s*[-,./]?\s*|ttr|tt)\s*(?:hđnd|ubnd)", "ttubnd"),
    (r"vp\s*(?:trung\s+ương|tw)\s*đảng", "vp  tw\tđảng"),
])
def test_literal_prefixes_begin_every_match(pattern, text):
    import re

    pre = ag._literal_prefixes(pattern, ag._FORM_PREFIX_WIDTH, ag._FORM_PREFIX_CAP)
    assert pre and re.fullmatch(pattern, text)
    written = " ".join(text.split())
    assert any(written.startswith(x) for x in pre), (sorted(pre), written)

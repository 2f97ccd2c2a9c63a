"""Parse a decoded Vietnamese policy document into a :class:`~graph.models.Document`.

One public verb, :func:`parse_document` (``SourceText`` → ``Document``), in stages:

1. ``clean_text`` (``graph.ingest.text``) — every regex below runs on the clean text or its
   ``key`` (lower case, one tone placement); spans are mapped back to the original text with
   :meth:`~graph.models.CleanText.original_span`.
2. **Portal block** — legal portals print ``Số hiệu``, ``Ngày ban hành``, ``Ngày có hiệu
   lực``, ``Loại văn bản``, ``Cơ quan ban hành``/``Nơi ban hành``, ``Người ký``, ``Lĩnh vực``
   above the text, one per line or (crawled form) as ``**Số hiệu:**`` / ``|`` / value lines.
   Read only before the formal header. Values "Đã biết"/"Đang cập nhật" count as absent.
3. **Formal header** (layout of Nghị định 30/2020/NĐ-CP, Phụ lục I; Hướng dẫn 36-HD/VPTW for
   Party documents) — anchored on the national motto ``CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM``
   (or ``ĐẢNG CỘNG SẢN VIỆT NAM``; ``SOCIALIST REPUBLIC OF VIETNAM`` in portal translations),
   matched across line breaks, table pipes and OCR-lost accents. Before it: the issuing body
   (upper case, possibly several bodies for joint documents, or parent + issuing body such as
   "BỘ TÀI CHÍNH / CỤC THUẾ"). After it: ``Số: …`` (the number; "Số 383-QĐ/TW" in Party
   documents, "No." in translations), the place-and-date line, the type heading (``KẾ
   HOẠCH`` …, also broken over two lines), the title (upper-case lines, or one mixed-case
   paragraph), the authority line of decisions ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …"), then the
   body ("Căn cứ …", "Thực hiện …", or a first provision label). A motto met only deep in
   the text after "Căn cứ"/"Điều 1" heads a form in an appendix (the crawl lost the header)
   and is ignored.
   The number slot is read through the noise of crawls, conversions and scans: digits split by
   a space ("3 77/KH-UBND"), the eth "Ð" of legacy fonts for "Đ", glyphs OCR prints for digits
   ("2O/…", "l5/…"); a digit run OCR damaged beyond that ("0£ /QD-TTg") is the one instrument
   of ``data/registry/instruments.tsv`` issued on the header's date with those codes, if any
   (the reading as printed kept in ``header["number_as_read"]``).
4. **Fallbacks when the header lacks a value** — the portal block; the note under an attached
   text that names this document ("(Ban hành kèm theo Quyết định số 2806/QĐ-UBND ngày …)",
   number and date); a number in parentheses in the first line ("… (204/UBND-VX)") or after
   the type that opens it (a portal title without its block: "Quyết định 2827/QĐ-UBND năm
   2025 …"); the promulgation formula for the issuer ("Chính phủ ban hành Nghị định …"); the
   type the text gives itself ("Quyết định này …", at least twice) when nothing else states it.
5. **Signature block** — the first ``TM.``/``KT.``/title line + a person's name after the body
   (before or after ``Nơi nhận``; in a table cell; wrapped over lines; rank words dropped);
   else the portal's ``Người ký``; else, on OCR pages that read the two columns of the closing
   block as one line, a name (family name first) that ends a recipients line ("- Hội đồng Dân
   tộc …; Vũ Đức Dam"). A name OCR printed without some marks takes the spelling of
   ``data/registry/signers.tsv`` when that person signs for the issuer on that date ("Vũ Đức
   Đam"; the reading kept in ``header["signer_as_read"]``).
6. **Provision tree** — labels at line starts: ``Phần``, ``Chương``, ``Mục``, ``Điều n.``,
   ``A.``, Roman ``I.``/``I-``, ``1.``/``1)``, ``1.1.``/``2.3.1.``, ``a)``/``a.``, dash
   bullets (``-``, ``–``, ``•``) and ``+`` bullets; tables (markdown rows, one-line ``a | b |``
   rows, and the crawled form where every cell ends with a line holding only ``|`` and a row
   ends with two such lines) become ``table_row`` provisions (text: cells joined by " | ").
   A label counts only at the start of a paragraph (previous line blank, ending a sentence,
   short, upper case, or part of a label's own paragraph), so hard-wrapped lines that happen
   to start with "2." or "- " are not labels; Roman and letter labels must follow in sequence.
   Nesting is decided by a stack: a label style already open is a sibling, a more minor style
   is a child (rank: Phần < Chương < Mục < Điều, then A. < I. < 1. < 1.1. < 1.1.1. < a) < - <
   + < table row); minor styles never close a structural one, so ``I.`` inside ``Điều 1``
   nests there (kind ``section``), while a Roman label followed directly by ``Điều`` ("I- QUY
   ĐỊNH CHUNG") holds the articles like a chapter. Kinds: ``Phần``/top Roman/``A.`` → part,
   nested Roman and ``Mục`` → section. The main body ends at the closing block (``Nơi nhận``,
   ``TM.``/``KT.``); attached documents after it ("KẾ HOẠCH … (Ban hành kèm theo …)", "PHỤ
   LỤC") are parsed again with eids prefixed ``att_N__``. Eids: ``part_II__item_1__indent_2``
   (indents and rows numbered in order within their parent; "đ" → ``dd``; a repeated eid
   gets ``-2``).

Which source wins (also in :class:`~graph.models.Metadata`): the document's own header wins
over the portal for every field it states (number, type, issuer, date, title); the portal fills
the gaps; for the signer the signature block wins and the portal's ``Người ký`` fills the gap;
``date_effective`` comes from the text ("có hiệu lực … kể từ ngày …") else the portal. Raw
values are kept in ``Metadata.portal`` / ``Metadata.header``; fields where both exist and
differ (after normalising spaces, dashes, case and tone marks) are listed in ``conflicts``
(``document_type_code`` when the type heading and the number's type code disagree). The type
comes from the heading, else the number's type code (``KH``, ``QĐ``, ``CTr`` …, table from
``data/registry/doc_types.tsv`` when present); a consolidated text (``VBHN``) is a "Văn bản hợp
nhất" whatever its heading; a number with an issuer code only ("2734/VPCP-KGVX") or a "V/v"
line makes a "Công văn".

Rules for issuer names (``issuer``): full canonical names, modern tone marks ("Ủy", "Hòa"),
casing of Nghị định 30/2020/NĐ-CP Phụ lục II ("Bộ Lao động - Thương binh và Xã hội", "Ủy ban
nhân dân tỉnh Đắk Nông"); a local body without a named locality in the header takes it from
the authority line or the place of the date line (tỉnh/thành phố from
``data/registry/localities.tsv`` when present); "Chủ tịch Ủy ban nhân dân …" replaces the
council's name where the text says the chairman issues the document (authority line "CHỦ TỊCH
…", the enacting sentence "Chủ tịch Ủy ban nhân dân thành phố ban hành …", or a signature "KT.
CHỦ TỊCH" without "TM. ỦY BAN NHÂN DÂN"), as the corpus annotation does. ``locality`` is the
issuer's province/city/district name for local bodies ("Đắk Nông"; "Thành phố Hồ Chí Minh"
keeps its prefix), else None.

Never raises on text input: if a stage fails on odd text, the document keeps what the earlier
stages found (worst case: empty metadata and no provisions).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from graph.extract.dates import find_dates
from graph.ingest.text import clean_text, collapse_ws, fold_key, strip_accents
from graph.models import CleanText, Document, Metadata, Provision, SourceText, Span

__all__ = ["parse_document", "org_name_case", "normalize_number", "split_number"]

_REGISTRY = Path(__file__).resolve().parents[2] / "data" / "registry"

_fk = lru_cache(maxsize=65536)(fold_key)
"""``fold_key`` memoised (header words and labels repeat across documents)."""

# ---------------------------------------------------------------------------------------------
# Tables (rules, not facts about particular documents)
# ---------------------------------------------------------------------------------------------

_BUILTIN_TYPE_CODES: dict[str, str] = {
    # Nghị định 30/2020/NĐ-CP Phụ lục III; Luật Ban hành VBQPPL 2015 Điều 4; HD 36-HD/VPTW
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế",
    "QYĐ": "Quy định", "QĐI": "Quy định", "TC": "Thông cáo", "TB": "Thông báo",
    "HD": "Hướng dẫn", "CTR": "Chương trình", "KH": "Kế hoạch", "PA": "Phương án",
    "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTR": "Tờ trình",
    "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền", "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "PL": "Pháp lệnh",
    "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch", "VBHN": "Văn bản hợp nhất", "QCPH": "Quy chế phối hợp",
    "KHPH": "Kế hoạch phối hợp", "CTPH": "Chương trình phối hợp", "KL": "Kết luận",
    "CV": "Công văn", "GP": "Giấy phép", "L-CTN": "Lệnh", "KHHĐ": "Kế hoạch hành động",
}
"""Type code (upper case, Đ kept) → type name; extended from ``data/registry/doc_types.tsv``."""

_ASCII_CODE_VARIANTS = {"QD": "QĐ", "ND": "NĐ", "CD": "CĐ", "HD": "HD", "DA": "ĐA", "NO": "NQ"}
"""ASCII/OCR spellings of codes (``QD`` for ``QĐ``) seen in crawled and OCR text."""

_CANON_CODE = {"CTR": "CTr", "TTR": "TTr", "QYĐ": "QyĐ", "QĐI": "QĐi"}
"""Canonical letter case of codes whose printed form has lower-case letters."""

_PARTY_TT = "Thông tri"
"""``TT`` in Party numbering (``05-TT/TW``) is a Thông tri (HD 36-HD/VPTW)."""

_HEADING_TYPES = (
    "Kế hoạch", "Quyết định", "Chỉ thị", "Chương trình", "Nghị quyết", "Nghị quyết liên tịch",
    "Nghị định", "Thông tư", "Thông tư liên tịch", "Luật", "Bộ luật", "Pháp lệnh", "Lệnh",
    "Hiến pháp", "Quy chế phối hợp", "Quy chế", "Quy định", "Thông báo", "Thông tri",
    "Công điện", "Công văn", "Hướng dẫn", "Kết luận", "Báo cáo", "Tờ trình", "Đề án",
    "Phương án", "Chiến lược", "Quy hoạch", "Kế hoạch phối hợp", "Chương trình phối hợp",
    "Thông cáo", "Biên bản", "Văn bản hợp nhất", "Điều lệ", "Nội quy", "Chỉ thị liên tịch",
    "Thông tri", "Quy chế hoạt động", "Quy chế làm việc",
)
"""Type headings printed in the header (Nghị định 30/2020/NĐ-CP Phụ lục III names)."""

_ATTACHMENT_HEADS = (
    "kế hoạch", "quy chế", "quy định", "đề án", "chương trình", "phụ lục", "danh mục",
    "điều lệ", "hướng dẫn", "chiến lược", "quy hoạch", "phương án", "nội quy", "tiêu chí",
    "bảng", "biểu", "mẫu", "chỉ tiêu", "thủ tục hành chính", "quy trình", "hệ thống",
    "nhiệm vụ", "định mức", "kế hoạch hành động", "chương trình hành động",
)
"""First words of headings that open an attached document after the closing block."""

_SPECIAL_NAMES = {
    # official spellings that the generic casing rule does not give (Nghị định 30/2020 PL II;
    # each body's own name); completed from data/registry/issuer_codes.tsv when present
    "bộ công thương": "Bộ Công Thương",
    "sở công thương": "Sở Công Thương",
    "kiểm toán nhà nước": "Kiểm toán nhà nước",
    "ngân hàng nhà nước việt nam": "Ngân hàng Nhà nước Việt Nam",
    "ban chấp hành trung ương": "Ban Chấp hành Trung ương",
    "ban chấp hành trung ương đảng": "Ban Chấp hành Trung ương Đảng",
    "bộ chính trị": "Bộ Chính trị",
    "ban bí thư": "Ban Bí thư",
    "chủ tịch nước": "Chủ tịch nước",
    "chính phủ": "Chính phủ",
    "quốc hội": "Quốc hội",
}

_PROPER_WORDS = {
    "chính phủ": "Chính phủ", "quốc hội": "Quốc hội", "trung ương": "Trung ương",
    "việt nam": "Việt Nam", "nhà nước": "Nhà nước", "đảng": "Đảng", "hồ chí minh": "Hồ Chí Minh",
    "mặt trận tổ quốc": "Mặt trận Tổ quốc", "tỉnh ủy": "Tỉnh ủy", "thành ủy": "Thành ủy",
    "thủ tướng": "Thủ tướng", "chủ tịch nước": "Chủ tịch nước",
}
"""Proper names kept capitalised inside an organisation's name (Nghị định 30/2020 PL II)."""

_GENERIC_HEADS = (
    # (folded head, printed head, takes locality)
    ("chủ tịch ủy ban nhân dân", "Chủ tịch Ủy ban nhân dân", True),
    ("ủy ban nhân dân", "Ủy ban nhân dân", True),
    ("hội đồng nhân dân", "Hội đồng nhân dân", True),
    ("thường trực hội đồng nhân dân", "Thường trực Hội đồng nhân dân", True),
    ("ủy ban mặt trận tổ quốc việt nam", "Ủy ban Mặt trận Tổ quốc Việt Nam", True),
    ("tòa án nhân dân", "Tòa án nhân dân", True),
    ("viện kiểm sát nhân dân", "Viện kiểm sát nhân dân", True),
)
"""Generic bodies whose name is lower case after the first word ("Ủy ban nhân dân tỉnh …")."""

_HEAD_WORDS = (
    "chủ tịch", "bộ trưởng", "thủ tướng", "văn phòng", "tổng cục", "chi cục", "cục", "bộ", "sở",
    "vụ", "ban", "ủy ban", "hội đồng", "tòa án", "viện", "kiểm toán", "ngân hàng", "thanh tra",
    "công an", "tỉnh ủy", "thành ủy", "huyện ủy", "đảng ủy", "đảng bộ", "trường", "bệnh viện",
    "trung tâm", "đài", "liên đoàn", "hội", "đoàn", "quốc hội", "chính phủ", "học viện",
    "đại học", "bảo hiểm xã hội", "kho bạc", "tổng công ty", "công ty", "quỹ", "báo", "phòng",
    "bộ chỉ huy", "bộ tư lệnh", "tập đoàn", "hãng", "cơ quan", "giám đốc", "thống đốc", "chánh",
)
"""Words that open the name of a body in a header line (used to split joint headers)."""

_SUBORDINATE_HEADS = (
    "cục", "tổng cục", "chi cục", "vụ", "sở", "văn phòng", "ban", "trường", "bệnh viện",
    "trung tâm", "viện", "phòng", "tỉnh ủy", "thành ủy", "huyện ủy", "đảng ủy", "công an",
    "bộ chỉ huy", "đài", "kho bạc", "thanh tra", "học viện", "báo", "quỹ",
)
"""Heads of bodies that sit under the body printed above them ("BỘ TÀI CHÍNH / CỤC THUẾ")."""

_INCOMPLETE = {
    "ủy", "ủy ban", "ủy ban nhân", "ủy ban nhân dân", "hội đồng", "hội đồng nhân",
    "hội đồng nhân dân", "thủ", "thủ tướng", "văn phòng", "bộ", "ban", "ban chấp hành",
    "tổng cục", "cục", "sở", "vụ", "ban chỉ đạo", "ban thường vụ", "chủ tịch", "bộ trưởng",
    "ủy ban thường vụ", "văn", "thường trực", "thường trực hội đồng nhân dân",
}
"""A header line that ends here needs the next line to complete the body's name."""

_INCOMPLETE_TAILS = ("ủy", "ủy ban", "ủy ban nhân", "hội đồng", "hội đồng nhân", "thủ tướng",
                     "văn phòng", "chủ tịch", "bộ trưởng", "ban")
"""Line endings that need the next line ("CHỦ TỊCH ỦY / BAN NHÂN DÂN …")."""

_LOCALITY_MARKERS = ("thành phố", "tỉnh", "huyện", "quận", "thị xã", "thị trấn", "xã", "phường",
                     "đặc khu")

_CENTRAL_CITIES_BUILTIN = {
    # thành phố trực thuộc trung ương (Luật Tổ chức chính quyền địa phương); year it became one
    "hà nội": 1945, "hồ chí minh": 1976, "hải phòng": 1955, "đà nẵng": 1997, "cần thơ": 2004,
    "huế": 2025,
}

_SIGN_TITLES = (
    "chủ tịch", "phó chủ tịch", "thủ tướng", "phó thủ tướng", "bộ trưởng", "thứ trưởng",
    "chủ nhiệm", "phó chủ nhiệm", "trưởng ban", "phó trưởng ban", "giám đốc", "phó giám đốc",
    "cục trưởng", "phó cục trưởng", "tổng cục trưởng", "phó tổng cục trưởng", "chánh văn phòng",
    "phó chánh văn phòng", "bí thư", "phó bí thư", "tổng bí thư", "thống đốc", "phó thống đốc",
    "tổng kiểm toán", "phó tổng kiểm toán", "viện trưởng", "phó viện trưởng", "chánh án",
    "phó chánh án", "trưởng đoàn", "chánh thanh tra", "tổng thanh tra", "phó tổng thanh tra",
    "trưởng phòng", "phó trưởng phòng", "chủ tịch nước", "phó chủ tịch nước", "vụ trưởng",
    "phó vụ trưởng", "tổng giám đốc", "phó tổng giám đốc", "hiệu trưởng", "thường trực",
    "trưởng ban chỉ đạo", "phó trưởng ban thường trực", "chi cục trưởng", "tư lệnh",
)
"""Titles printed above a signer's name (Nghị định 30/2020/NĐ-CP Phụ lục I, mục 8)."""

_NOT_NAMES = {
    "nơi nhận", "như trên", "lưu", "đã ký", "ký tên", "đóng dấu", "phụ lục", "kế hoạch",
    "quyết định", "chủ tịch", "thủ tướng", "bộ trưởng", "ủy ban", "hội đồng", "ban",
}

_VN_LETTERS = "abcdđeghiklmnopqrstuvxy"

# ---------------------------------------------------------------------------------------------
# Registry data (optional, read once; built-in tables are the fallback)
# ---------------------------------------------------------------------------------------------


def _read_tsv(name: str) -> list[dict]:
    path = _REGISTRY / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh, delimiter="\t"))
    except (OSError, csv.Error, UnicodeDecodeError):
        return []


@lru_cache(maxsize=1)
def _type_codes() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(state, party, variant) maps: upper-case code → type name, and an other spelling of a
    code (``QD``, OCR ``NO``) → the code (upper case)."""
    state = dict(_BUILTIN_TYPE_CODES)
    party = dict(_BUILTIN_TYPE_CODES)
    party["TT"] = _PARTY_TT
    variants = dict(_ASCII_CODE_VARIANTS)
    for row in _read_tsv("doc_types.tsv"):
        code, name, scope = (row.get("code") or "").strip(), (row.get("name_vi") or "").strip(), \
            (row.get("scope") or "any").strip()
        if not code or not name:
            continue
        up = code.upper()
        if scope in ("state", "any"):
            state.setdefault(up, name)
        if scope in ("party", "any"):
            party.setdefault(up, name)
        for v in (row.get("variants") or "").split(";"):
            v = v.strip().upper()
            if v and v != up and v not in state and v not in party:
                variants.setdefault(v, up)
    return state, party, variants


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    """Folded name → official spelling, for bodies whose casing the generic rule misses."""
    out = dict(_SPECIAL_NAMES)
    for row in _read_tsv("issuer_codes.tsv"):
        name = (row.get("name_vi") or "").strip()
        if name and any(c.isupper() for c in name[1:]):
            out.setdefault(_fk(name), name)
    return out


def _issuers_of_number(number: str, locality: str | None) -> list[str]:
    """Issuing bodies named by a document number's issuer codes, for a document whose text
    names no issuer (a crawl without its header, an English translation): "301/2025/ND-CP" →
    ["Chính phủ"], "28-CT/TW" → the central Party body of ``TW``. A local code (UBND, HĐND)
    names a body only with the document's locality ("Ủy ban nhân dân tỉnh Đắk Nông"); without
    one it gives nothing. Codes: Nghị định 30/2020/NĐ-CP Phụ lục I (state), Hướng dẫn
    36-HD/VPTW (Party), as recorded in ``issuer_codes.tsv``."""
    from graph.extract.numbers import parse_number  # noqa: PLC0415
    from graph.pipeline import default_registry  # noqa: PLC0415 - pipeline imports this module

    p = parse_number(number)
    if p is None:
        return []
    out = []
    for code in p.issuer_codes:
        hit = default_registry().issuer(code)
        if hit is None:
            continue
        name = hit.name_vi
        if hit.scope == "local":
            if not locality:
                continue
            name = f"{name} {locality}"
        out.append(name)
    return out


@dataclass(frozen=True)
class _Locality:
    name: str
    kind: str           # "tỉnh" / "thành phố"
    valid_from: int
    valid_to: int


@lru_cache(maxsize=1)
def _provinces() -> dict[str, list[_Locality]]:
    """Folded province name or variant → candidate localities (with validity years)."""
    out: dict[str, list[_Locality]] = {}
    rows = [r for r in _read_tsv("localities.tsv") if (r.get("level") or "") == "province"]
    for r in rows:
        name = (r.get("name") or "").strip()
        kind = (r.get("kind") or "tỉnh").strip()
        if not name:
            continue
        vf = _year(r.get("valid_from")) or 0
        vt = _year(r.get("valid_to")) or 9999
        loc = _Locality(name, kind, vf, vt)
        for v in [name] + [x.strip() for x in (r.get("variants") or "").split(";") if x.strip()]:
            out.setdefault(_fold_name(v), []).append(loc)
    if not out:
        for city, y in _CENTRAL_CITIES_BUILTIN.items():
            out[city] = [_Locality(_title_words(city), "thành phố", y, 9999)]
    return out


def _year(s: str | None) -> int | None:
    m = re.match(r"\s*(\d{4})", s or "")
    return int(m.group(1)) if m else None


def _fold_name(s: str) -> str:
    """Comparison key of a place name: folded, Đăk/Đắc → Đắk, dashes and spaces unified."""
    k = _fk(collapse_ws(s.replace("–", "-").replace("—", "-")))
    k = re.sub(r"\s*-\s*", " - ", k)
    return re.sub(r"\b(?:đăk|đắc|đak)\b", "đắk", k)


def _province_kind(name: str, year: int | None) -> tuple[str, str] | None:
    """(kind, official name) of a province-level locality, or None if unknown."""
    cands = _provinces().get(_fold_name(name))
    if not cands:
        return None
    if year:
        for c in cands:
            if c.valid_from <= year <= c.valid_to:
                return c.kind, c.name
    c = cands[-1]
    return c.kind, c.name


# ---------------------------------------------------------------------------------------------
# Casing of names
# ---------------------------------------------------------------------------------------------


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:] if word else word


def _title_words(s: str) -> str:
    """Capitalise every syllable (proper names): "đắk nông" → "Đắk Nông"."""
    out = []
    for w in s.split(" "):
        parts = re.split(r"([-'’])", w)
        out.append("".join(_cap(p) if i % 2 == 0 else p for i, p in enumerate(parts)))
    return " ".join(out)


def _fix_place_spelling(folded: str) -> str:
    return re.sub(r"\b(?:đăk|đắc|đak)\b", "đắk", folded)


def _case_locality(marker: str, name: str, year: int | None = None) -> str:
    """``("thành phố", "hồ chí minh")`` → "Thành phố Hồ Chí Minh"; ``("tỉnh", "đắk nông")`` →
    "tỉnh Đắk Nông" (folded input)."""
    name = _fix_place_spelling(name).strip(" ,.-")
    known = _province_kind(name, year) if marker in ("tỉnh", "thành phố", "tp") else None
    proper = known[1] if known else _title_words(name)
    if marker in ("tp", "tp."):
        marker = "thành phố"
    if _fold_name(proper) == "hồ chí minh" and marker == "thành phố":
        return "Thành phố Hồ Chí Minh"
    return f"{marker} {proper}".strip()


def _case_field(rest: str) -> str:
    """Case the field part of a body's name ("lao động - thương binh và xã hội" → "Lao động -
    Thương binh và Xã hội"): each component after the head, "và", "," or " - " starts with a
    capital; after "về" everything stays lower case (Nghị định 30/2020/NĐ-CP Phụ lục II)."""
    if not rest:
        return rest
    about = re.search(r"\b(về|của)\b", rest)
    head, tail = (rest[:about.start()], rest[about.start():]) if about else (rest, "")
    parts = re.split(r"(\s+và\s+|,\s*|\s+-\s+)", head.strip())
    out = []
    for i, p in enumerate(parts):
        if i % 2 == 1:
            out.append(p)
        else:
            out.append(_cap(p))
    s = "".join(out) + (" " + tail.strip() if tail else "")
    for k, v in _PROPER_WORDS.items():
        s = re.sub(rf"(?<![\w]){re.escape(k)}(?![\w])", v, s, flags=re.IGNORECASE)
    return s


def _split_locality(folded: str, allow_commune: bool) -> tuple[str, str, str]:
    """Split "ủy ban nhân dân tỉnh đắk nông" → ("ủy ban nhân dân", "tỉnh", "đắk nông")."""
    markers = _LOCALITY_MARKERS if allow_commune else ("thành phố", "tỉnh", "huyện", "quận",
                                                       "thị xã", "đặc khu")
    alt = "|".join(re.escape(m) for m in markers) + r"|tp\.?"
    m = re.search(rf"(?:^|\s)({alt})(?!\s*ủy\b)(?:\s+|$)(.*)$", folded)
    if not m:
        return folded, "", ""
    return folded[:m.start()].strip(), m.group(1), m.group(2).strip()


def org_name_case(raw: str, *, year: int | None = None) -> str:
    """Canonical printed name of a body from any casing (usually an upper-case header line).

    Input: e.g. "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG", "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "THỦ TƯỚNG CHÍNH PHỦ". Output: "Ủy ban nhân dân tỉnh Đắk Nông", "Bộ Lao động - Thương binh
    và Xã hội", "Thủ tướng Chính phủ" — modern tone marks, Đăk → Đắk, the casing rules of
    Nghị định 30/2020/NĐ-CP Phụ lục II (type of body and each field component capitalised;
    "Ủy ban nhân dân"/"Hội đồng nhân dân" lower case after the first word; localities after
    tỉnh/thành phố/huyện/xã … capitalised; "Thành phố Hồ Chí Minh" as the city's name). ``year``
    (of the document) picks tỉnh/thành phố for localities whose status changed. Never raises.
    """
    return _org_name_case(raw if isinstance(raw, str) else str(raw), year)


@lru_cache(maxsize=8192)
def _org_name_case(raw: str, year: int | None) -> str:
    """:func:`org_name_case`, memoised (header lines repeat across documents)."""
    s = collapse_ws(str(raw).replace("–", "-").replace("—", "-").replace("|", " "))
    s = re.sub(r"\s*-\s*", " - ", s).strip(" -,.;:")
    if not s:
        return ""
    folded = _repair_head(_fix_place_spelling(_expand_abbrev(_fk(s))))
    known = _known_names()
    if folded in known:
        return known[folded]
    # person titles in front of a body: "chủ tịch …", "bộ trưởng bộ …"
    for title in ("chủ tịch", "bộ trưởng", "thủ trưởng", "tổng cục trưởng", "cục trưởng",
                  "giám đốc", "chủ nhiệm", "thống đốc", "tổng kiểm toán", "trưởng"):
        if folded.startswith(title + " ") and not folded.startswith("chủ tịch nước") \
                and (title != "trưởng" or folded.startswith("trưởng ban ")):
            rest = org_name_case(s[len(title):], year=year)
            return _cap(title) + " " + rest if rest else _cap(title)
    for pc in ("tỉnh ủy", "thành ủy", "huyện ủy", "quận ủy", "thị ủy", "đảng ủy"):
        if folded.startswith(pc + " "):
            rest = folded[len(pc):].strip()
            known_p = _province_kind(rest, year)
            return f"{_cap(pc)} {known_p[1] if known_p else _title_words(rest)}"
    for head_f, head_p, _local in _GENERIC_HEADS:
        if folded == head_f or folded.startswith(head_f + " "):
            _, marker, name = _split_locality(folded[len(head_f):].strip(), True)
            rest = folded[len(head_f):].strip()
            if marker:
                return f"{head_p} {_case_locality(marker, name, year)}"
            return f"{head_p} {_title_words(rest)}".strip() if rest else head_p
    org, marker, name = _split_locality(folded, False)
    if org in known:
        base = known[org]
    else:
        m = None
        for h in sorted(_HEAD_WORDS, key=len, reverse=True):
            if org == h or org.startswith(h + " "):
                m = h
                break
        if m is None:
            base = _case_field(org)
        else:
            base = _cap(m) + (" " + _case_field(org[len(m):].strip()) if org[len(m):].strip() else "")
            base = _SUB_PROPER.sub(lambda x: _PROPER_WORDS[x.group(0).lower()], base)
    if marker:
        return f"{base} {_case_locality(marker, name, year)}"
    return base


_ABBREV = (("ubnd", "ủy ban nhân dân"), ("hđnd", "hội đồng nhân dân"), ("tp.", "thành phố"),
           ("tp", "thành phố"), ("mttq", "mặt trận tổ quốc"))


def _expand_abbrev(folded: str) -> str:
    """"ubnd thành phố hà nội" → "ủy ban nhân dân thành phố hà nội" (common header
    abbreviations, Nghị định 30/2020/NĐ-CP Phụ lục I allows them in the issuer line)."""
    for short, full in _ABBREV:
        folded = re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", full, folded)
    return folded


def _repair_head(folded: str) -> str:
    """Restore a generic head whose first letters were lost ("y ban nhân dân" → "ủy ban nhân
    dân": a scanned or mis-encoded "Ủ")."""
    for head_f, _, _ in _GENERIC_HEADS:
        if folded.startswith(head_f):
            return folded
    for head_f, _, _ in _GENERIC_HEADS:
        for k in (1, 2):
            tail = head_f[k:]
            if len(tail) >= 10 and (folded == tail or folded.startswith(tail + " ")) \
                    and not head_f[k - 1] == " ":
                return head_f[:k] + folded
    return folded


_SUB_PROPER = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in _PROPER_WORDS) + r")(?!\w)",
                         re.IGNORECASE)


def _modern(s: str) -> str:
    """Modern tone placement ("Uỷ" → "Ủy", "Hoà" → "Hòa") keeping the letter case."""
    k = _fk(s)
    return "".join(kc.upper() if c.isupper() else kc for c, kc in zip(s, k, strict=True))


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

_NUM_TOKEN = re.compile(
    r"\d{1,6}[a-zA-Z]?(?:\.\d{1,3})?(?:[/\-]\d{4})?[/\-][A-Za-zĐđ][A-Za-zĐđ0-9&.]*(?:[/\-][A-Za-zĐđ0-9&][A-Za-zĐđ0-9&.]*)*"
)
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_LOOKALIKES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "Ð": "Đ", "ð": "đ"})
"""Dashes unified, and the Icelandic eth (U+00D0/U+00F0), which legacy Vietnamese fonts and
their converters put for "Đ"/"đ" ("QÐ-UBND"), read as Đ."""
_SPLIT_DIGITS = re.compile(r"([ \t|*]*)(\d{1,4}(?: \d{1,4}){1,2})(?=[ \t]*/)")
"""Digits of a number split by a stray space ("Số: 3 77/KH-UBND", crawled or OCR text)."""


def normalize_number(raw: str) -> str | None:
    """A document number as printed, tidied: spaces removed ("773 /QĐ-TTg" → "773/QĐ-TTg"),
    dashes unified, line breaks joined ("3783/QĐ-\\nUBND"), trailing punctuation dropped. Letter
    case is kept. Returns None if the result is not shaped like a number (digits, then ``/`` or
    ``-`` and letters). Never raises."""
    if not raw:
        return None
    s = str(raw).translate(_LOOKALIKES).replace("*", "")
    s = re.sub(r"\s*([/\-])\s*", r"\1", s.strip())
    s = re.sub(r"\s+", " ", s)
    m = _NUM_TOKEN.match(s)
    if not m:
        return None
    return m.group(0).rstrip(".-/")


def split_number(number: str) -> tuple[str | None, bool]:
    """The type code of a number and whether it is a Party number.

    "377/KH-UBND" → ("KH", False); "39/2012/NQ-HĐND" → ("NQ", False); "28-CT/TW" → ("CT",
    True); "2734/VPCP-KGVX" → (None, False) (no type code: a Công văn). Codes are returned
    upper case with Đ (``QD`` → ``QĐ``); use :func:`_canon_code` for printed case."""
    if not number:
        return None, False
    n = number.translate(_DASHES)
    m = re.match(r"^\d+[a-zA-Z]?(?:\.\d+)?-([A-Za-zĐđ]+)/", n)
    if m:
        return _code_of(m.group(1), party=True), True
    m = re.match(r"^\d+[a-zA-Z]?(?:\.\d+)?(?:/\d{4})?/([A-Za-zĐđ&]+)(?:[-/]|$)", n)
    if m:
        return _code_of(m.group(1), party=False), False
    return None, False


def _code_of(seg: str, party: bool) -> str | None:
    up = seg.upper()
    state, pmap, variants = _type_codes()
    table = pmap if party else state
    if up in table:
        return up
    if up in variants and variants[up] in table:
        return variants[up]
    return None


def _canon_code(code: str | None) -> str | None:
    if not code:
        return None
    return _CANON_CODE.get(code, code)


def _type_of_code(code: str | None, party: bool) -> str | None:
    if not code:
        return None
    state, pmap, _ = _type_codes()
    return (pmap if party else state).get(code)


# ---------------------------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------------------------

_LINE_JUNK = " \t|#>*"


def _strip_line(s: str) -> str:
    return s.strip(_LINE_JUNK).strip()


def _is_upper_line(s: str) -> bool:
    """True if the letters of ``s`` are (almost) all capitals and there are at least two."""
    if s == s.upper():
        if s == s.lower():
            return False
        return len(s) > 3 or sum(1 for c in s if c.isalpha()) >= 2
    if len(s) <= 25:
        return False
    low = 0
    for c in s:
        if c.islower():
            low += 1
            if low > 2:
                return False
    return True


_RULE_RE = re.compile(r"[-_=~.…·]{3,}")


def _is_rule(s: str) -> bool:
    t = s.strip(" \t|*")
    return len(t) >= 3 and t[0] in "-_=~.…·" and bool(_RULE_RE.fullmatch(t))


_FOLD_VOWELS: dict[str, str] = {}


def _loose_class(ch: str) -> str:
    """A regex class matching ``ch`` with or without its diacritics (OCR tolerance)."""
    base = strip_accents(ch)
    if not _FOLD_VOWELS:
        import unicodedata

        groups: dict[str, set[str]] = {}
        for cp in list(range(0x61, 0x7B)) + list(range(0xE0, 0x250)) + list(range(0x1EA0, 0x1EFA)):
            c = chr(cp)
            if not c.isalpha() or c != c.lower():
                continue
            b = strip_accents(c)
            if len(b) == 1 and b.isascii():
                groups.setdefault(b, set()).add(c)
        groups.setdefault("d", set()).add("đ")
        del unicodedata
        for b, cs in groups.items():
            _FOLD_VOWELS[b] = "".join(sorted(cs | {b}))
    if base in _FOLD_VOWELS:
        return "[" + _FOLD_VOWELS[base] + "]"
    return re.escape(ch)


def _loose_phrase(phrase: str) -> str:
    words = phrase.split()
    return r"[\s|]+".join("".join(_loose_class(c) for c in w) for w in words)


_MOTTO = re.compile(_loose_phrase("cộng hòa xã hội chủ nghĩa việt nam"))
_MOTTO_RARE_FIRST = tuple(sorted(set(_loose_class("c")[1:-1]) - {"c"}))
"""The first letters :data:`_MOTTO` allows besides "c" (OCR variants: "ç", "č", …)."""
_MOTTO_C = re.compile("c" + _MOTTO.pattern[len(_loose_class("c")):])
""":data:`_MOTTO` with a literal "c" first: in a key with none of :data:`_MOTTO_RARE_FIRST` it
finds the same matches, and the engine skips from one "c" to the next at C speed instead of
testing the class at every character (a scan of a document without the motto: 4.5x faster)."""
_MOTTO2 = re.compile(r"độc lập\s*[-–—]\s*tự do|independence\s*[-–—]")
_EN_MOTTO = re.compile(r"socialist[\s|]+republic[\s|]+of[\s|]+viet[\s]?nam")
_PARTY_MOTTO = re.compile(r"đảng[\s|]+cộng[\s|]+sản[\s|]+việt[\s|]+nam")

# ---------------------------------------------------------------------------------------------
# Portal block
# ---------------------------------------------------------------------------------------------

_PORTAL_LABELS = {
    "số hiệu": "number", "ký hiệu": "number", "loại văn bản": "type",
    "cơ quan ban hành": "issuer", "nơi ban hành": "issuer", "người ký": "signer",
    "ngày ban hành": "date_issued", "ngày có hiệu lực": "date_effective",
    "ngày hiệu lực": "date_effective", "lĩnh vực": "domain", "lĩnh vực, ngành": "domain",
    "ngày công báo": "", "số công báo": "", "tình trạng": "", "ngày hết hiệu lực": "",
    "tình trạng hiệu lực": "",
}
_PORTAL_RE = re.compile(
    r"^[ \t|#>]*(" + "|".join(sorted((re.escape(k) for k in _PORTAL_LABELS), key=len, reverse=True))
    + r")[ \t]*:?[ \t]*(.*)$",
    re.MULTILINE,
)
_PORTAL_NONE = re.compile(r"^(?:đã biết|đang cập nhật|không có|không xác định|chưa có|"
                          r"còn hiệu lực|hết hiệu lực|chưa xác định|dữ liệu đang cập nhật)\W*$")


@dataclass
class _Field:
    value: str
    start: int      # clean-text span of the value
    end: int


def _parse_portal(ct: CleanText, limit: int) -> tuple[dict[str, _Field], int, int]:
    """Portal fields found before ``limit`` → (fields, block start, block end); (``{}``, -1, 0)
    without a block (fewer than two labels close together)."""
    text, key = ct.text, ct.key
    fields: dict[str, _Field] = {}
    first, last = -1, 0
    # the block: the first run of at least two labels, each within 400 characters of the last
    hits = [m for m in _line_matches(_PORTAL_RE, _PORTAL_NL, key, 0, limit)   # _PORTAL_RE.finditer
            if m.group(1).strip() in _PORTAL_LABELS]
    run: list[re.Match] = []
    for m in hits:
        if run and m.start() - run[-1].end() > 400:
            if len(run) >= 2:
                break
            run = []
        run.append(m)
    if len(run) < 2:
        return fields, -1, 0
    for m in run:
        name = _PORTAL_LABELS[m.group(1).strip()]
        if first < 0:
            first = m.start()
        vs, ve = m.start(2), m.end(2)
        val = text[vs:ve].strip(" \t|*:")
        if not val:
            # crawled form: label line, "|" line(s), value line
            pos = m.end()
            for _ in range(3):
                nl = text.find("\n", pos)
                if nl < 0:
                    break
                le = text.find("\n", nl + 1)
                le = len(text) if le < 0 else le
                cand = text[nl + 1:le]
                if cand.strip(" \t|*"):
                    if _PORTAL_RE.match(key, nl + 1, le):
                        break
                    lead = len(cand) - len(cand.lstrip(" \t|*"))
                    vs, ve = nl + 1 + lead, nl + 1 + len(cand.rstrip(" \t|*"))
                    val = text[vs:ve]
                    break
                pos = le
        last = max(last, ve)
        if not name or not val or _PORTAL_NONE.match(_fk(val)):
            continue
        fields.setdefault(name, _Field(val, vs, vs + len(val)))
    return fields, first, last


# ---------------------------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------------------------

_SO_RE = re.compile(r"^[ \t|#>]*(?:số|so|no\.)(?![ \t]*(?:hiệu|công báo|:?[ \t]*$\n?[ \t]*[^\d\s|]))"
                    r"[ \t]*(?::|\.)?[ \t]*", re.MULTILINE)
"""The number line: "Số: 377/KH-UBND", "Số 383-QĐ/TW" (Party), "No. 301/2025/ND-CP"
(translations); the value may sit on the next line."""
_BODY_CUE = re.compile(
    r"^(?:[-–+•]\s*)?(?:căn cứ|thực hiện|xét|theo đề nghị|theo đề xuất|triển khai|kính gửi|nhằm|để |"
    r"trong |trên cơ sở|ngày \d|năm \d|thời gian|qua |sau |hiện nay|tiếp tục|thi hành|"
    r"quyết định:|quyết nghị:|nghị quyết:|điều \d|chương [ivxlc\d]|phần [ivxlc\d]|phần thứ|"
    r"mục [ivxlc\d]|[ivxlc]+[.\-–]\s|\d+[.)]\s|[a-zđ]\)\s)"
)
_ENACTING = re.compile(r"^(?:quyết định|quyết nghị|nghị quyết|chỉ thị|ban hành|điện)\s*:")
_AUTHORITY_START = re.compile(
    r"^(?:chủ tịch|thủ tướng|bộ trưởng|ủy ban|hội đồng|chính phủ|ban (?!hành)|tổng cục trưởng|"
    r"cục trưởng|giám đốc|thống đốc|chủ nhiệm|tổng kiểm toán|quốc hội|ban chấp hành|"
    r"bộ chính trị|ban bí thư|ban thường vụ|thường trực|viện trưởng|chánh án|tổng thanh tra|"
    r"khóa|khoá|kỳ họp|tỉnh ủy|thành ủy|đoàn chủ tịch)"
)
_LABEL_START = re.compile(r"(?:[IVXLC]{1,6}\s*[.\-–:]\s|[IVXLC]{1,6}\s*[.\-–]?$|\d{1,3}[.)]\s|[A-ZĐ][.)]\s"
                          r"|(?:Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC|Điều|ĐIỀU|Article|Chapter)\s+(?:[IVXLC\d]|thứ|THỨ))")
"""A provision label at a line start: the body has begun (never a title line)."""
_NOT_AUTHORITY = re.compile(r"\b(?:quyết định|ban hành|phê duyệt|về việc|thông qua|sửa đổi|thực hiện|"
                            r"triển khai|dự án)\b")
_CONNECT_END = re.compile(r"(?:\b(?:và|của|về|cho|với|tại|theo|trên|bởi|do|đối|các|những|"
                          r"ngày|năm|giai|đến|từ|trong|thuộc|hóa)|[,\-–(])\s*$")


@dataclass
class _Header:
    issuer_raw: list[str] = field(default_factory=list)
    issuer_span: tuple[int, int] | None = None
    number: str | None = None
    number_span: tuple[int, int] | None = None
    number_ocr: str | None = None
    place: str | None = None
    place_span: tuple[int, int] | None = None
    date: str | None = None
    date_span: tuple[int, int] | None = None
    heading: str | None = None
    heading_span: tuple[int, int] | None = None
    title: str | None = None
    title_span: tuple[int, int] | None = None
    authority: str | None = None
    authority_span: tuple[int, int] | None = None
    vv: str | None = None
    english: bool = False
    body_start: int = 0
    zone_start: int = 0


def _lines_from(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """(start, end) of the lines that begin in [start, stop)."""
    out = []
    pos = text.rfind("\n", 0, start) + 1 if start > 0 else 0
    n = len(text)
    while pos < stop and pos <= n:
        e = text.find("\n", pos)
        e = n if e < 0 else e
        out.append((pos, e))
        if e >= n:
            break
        pos = e + 1
    return out


def _line_range(text: str, start: int, stop: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The first and the last item of ``_lines_from(text, start, stop)``, found without the
    lines between them: (None, None) when it is empty."""
    pos = text.rfind("\n", 0, start) + 1 if start > 0 else 0
    n = len(text)
    if pos >= stop or pos > n:
        return None, None
    last = text.rfind("\n", pos, stop - 1) + 1      # the last line start before ``stop``
    if last == 0:
        last = pos
    e = text.find("\n", pos)
    e_last = text.find("\n", last)
    return (pos, n if e < 0 else e), (last, n if e_last < 0 else e_last)


def _next_line(text: str, line: tuple[int, int]) -> tuple[int, int]:
    """(start, end) of the line after ``line`` (which ends at a line break)."""
    s = line[1] + 1
    e = text.find("\n", s)
    return s, len(text) if e < 0 else e


def _lines_through(text: str, first: tuple[int, int] | None, last: tuple[int, int] | None):
    """The lines from ``first`` to ``last`` (as :func:`_line_range` gives them), one at a time."""
    if first is None:
        return
    line = first
    while True:
        yield line
        if line[0] >= last[0]:
            return
        line = _next_line(text, line)


def _find_motto(ct: CleanText, start: int) -> tuple[int, int] | None:
    """(start, end) in clean offsets of the first motto at or after ``start`` printed as an
    upper-case line: the national motto, the Party's, or the English one; ``None`` if none."""
    key, text = ct.key, ct.text
    best = None
    motto = _MOTTO if any(c in key for c in _MOTTO_RARE_FIRST) else _MOTTO_C
    for rx, word in ((motto, None), (_PARTY_MOTTO, "đảng"), (_EN_MOTTO, "socialist")):
        if best is None or word is None:
            for m in rx.finditer(key, start):
                if _is_upper_line(text[m.start():m.end()]):
                    if best is None or m.start() < best[0]:
                        best = (m.start(), m.end())
                    break
            continue
        # only a match that starts before the one found counts: try the places where its
        # literal first word starts there, instead of scanning the rest of the text
        stop = best[0] + len(word) - 1
        pos = key.find(word, start, stop)
        while pos >= 0:
            m = rx.match(key, pos)
            if m is None:
                pos = key.find(word, pos + 1, stop)
                continue
            if _is_upper_line(text[m.start():m.end()]):
                best = (m.start(), m.end())
                break
            pos = key.find(word, max(m.end(), pos + 1), stop)
    return best


def _issuer_zone(ct: CleanText, motto_start: int, floor: int) -> tuple[list[str], int, int]:
    """Upper-case lines just before the motto (and the motto line's own prefix)."""
    text = ct.text
    ls = text.rfind("\n", 0, motto_start) + 1
    lines: list[str] = []
    prefix = text[ls:motto_start]
    zone_start = ls
    if _strip_line(prefix):
        lines.append(prefix)
    pos = ls - 1
    steps = 0
    while pos > floor and steps < 14:
        ps = text.rfind("\n", 0, pos) + 1
        if ps < floor:
            break
        line = text[ps:pos]
        t = _strip_line(line)
        if t and not _is_rule(t):
            if not _is_upper_line(t) or re.search(r"\d", t):
                break
            lines.insert(0, line)
        zone_start = ps
        pos = ps - 1
        steps += 1
    return lines, zone_start, motto_start


_HEAD_WORD_SET = frozenset(_HEAD_WORDS)
_HEAD_WORD_PREFIXES = tuple(h + " " for h in _HEAD_WORDS)
"""A name that opens with a head word: the word alone, or these prefixes."""
_INCOMPLETE_SUFFIXES = tuple(" " + p for p in _INCOMPLETE_TAILS)


def _header_bodies(lines: list[str]) -> list[str]:
    """Split the issuer lines into bodies' names (upper case as printed)."""
    segs: list[str] = []
    cur = ""
    for raw in lines:
        for piece in re.split(r"-{3,}|_{3,}|\|", raw):
            t = collapse_ws(piece.replace("*", ""))
            t = t.strip(" .")
            if not t:
                continue
            tf = _fk(t)
            cf = _fk(cur).strip(" -")
            starts_head = tf in _HEAD_WORD_SET or tf.startswith(_HEAD_WORD_PREFIXES)
            incomplete = cf in _INCOMPLETE or cf.endswith(_INCOMPLETE_SUFFIXES)
            if (cur and starts_head and not incomplete
                    and not re.search(r"(?:\bvà|,)\s*$", cf)):
                segs.append(cur.strip(" -"))
                cur = t
            else:
                cur = f"{cur} {t}".strip() if cur else t
    if cur.strip(" -"):
        segs.append(cur.strip(" -"))
    return segs


@lru_cache(maxsize=8192)
def _head_of(folded: str) -> str | None:
    for h in sorted(_HEAD_WORDS, key=len, reverse=True):
        if folded == h or folded.startswith(h + " "):
            return h
    return None


def _parse_number_at(ct: CleanText, lo: int, hi: int) -> tuple[str, int, int] | None:
    """The first ``Số: …`` number in [lo, hi): (number, start, end) in clean text."""
    text, key = ct.text, ct.key
    for m in _line_matches(_SO_RE, _SO_NL, key, lo, hi):      # _SO_RE.finditer(key, lo, hi)
        p = m.end()
        word = text[m.start():p].lstrip(_LINE_JUNK)
        # "Số" as printed in headers: capital S; without a colon only the exact "Số 12-…"
        if word[:1] not in "SN" or (":" not in word and not word.startswith(("Số", "No."))):
            continue
        # value: rest of the line, or the next non-empty line; join a line ending in - or /
        le = text.find("\n", p)
        le = len(text) if le < 0 else le
        seg = text[p:le]
        vs = p
        if not seg.strip(" \t|*"):
            nl = le + 1
            for _ in range(2):
                ne = text.find("\n", nl)
                ne = len(text) if ne < 0 else ne
                if text[nl:ne].strip(" \t|*"):
                    vs, le, seg = nl, ne, text[nl:ne]
                    break
                nl = ne + 1
        seg2 = seg.split("|")[0]
        if re.search(r"[-/]\s*$", seg2):
            ne = text.find("\n", le + 1)
            ne = len(text) if ne < 0 else ne
            seg2 = seg2 + text[le + 1:ne].split("|")[0]
        lead = len(seg2) - len(seg2.lstrip(" \t|*"))
        split = _SPLIT_DIGITS.match(seg2)
        if split and len(split.group(2).replace(" ", "")) <= 6:
            num = normalize_number(split.group(2).replace(" ", "") + seg2[split.end():])
        else:
            num = normalize_number(seg2)
        if not num or not re.match(r"\d", seg2.lstrip(" \t|*")):
            continue
        # locate the printed extent: up to the last char of the number's last component
        s0 = vs + lead
        tail = num[-1]
        end = s0
        stop = min(len(text), s0 + len(seg2) + 4)
        for i in range(s0, stop):
            if text[i] == tail:
                end = i + 1
                if collapse_ws(text[s0:end]).replace(" ", "").translate(_LOOKALIKES) == num:
                    break
        return num, s0, max(end, s0 + 1)
    return None


_OCR_DIGITS = {"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8", "Z": "2"}
"""Glyphs that OCR prints for digits: O/o for 0, l/I/| for 1, S for 5, B for 8, Z for 2 (the
shape confusions of Latin OCR, e.g. Rice, Nagy & Nartker, *Optical Character Recognition: An
Illustrated Guide to the Frontier*, 1999, ch. 4). Any other glyph in a digit run is unreadable."""

_GLYPH_SUFFIX = re.compile(r"(\d+)([OolI])(?=[/\-.])")
"""A number whose "letter suffix" is a glyph OCR prints for a digit ("2O/QD-TTg")."""

_DAMAGED_NUM = re.compile(
    r"(?P<run>[^\s/|:]{1,6})[ \t]*/[ \t]*(?P<tail>[A-Za-zĐđ][A-Za-zĐđ0-9&.]*(?:[-/][A-Za-zĐđ0-9&.]+)*)")
"""An OCR-damaged number in the ``Số:`` slot: a short run holding a digit and other glyphs
("0£ /QD-TTg", "2O24/QĐ-UBND"), then ``/`` and the codes."""


def _damaged_number_at(ct: CleanText, lo: int, hi: int) -> tuple[str, str, int, int] | None:
    """The first ``Số:`` value in [lo, hi) that is a number damaged by OCR: (digit pattern, code
    tail, start, end) with the digits read through :data:`_OCR_DIGITS` and ``.`` for an
    unreadable glyph ("0£ /QD-TTg" → ("0.", "QD-TTg", …)). Only a run that has at least one
    real digit and at most two unreadable glyphs counts; ``None`` otherwise."""
    text, key = ct.text, ct.key
    for m in _line_matches(_SO_RE, _SO_NL, key, lo, hi):      # _SO_RE.finditer(key, lo, hi)
        word = text[m.start():m.end()].lstrip(_LINE_JUNK)
        if not word.startswith(("Số", "No.")):
            continue
        le = text.find("\n", m.end())
        le = len(text) if le < 0 else le
        d = _DAMAGED_NUM.match(text, m.end(), le)
        if d is None:
            continue
        run = d.group("run")
        if not any(c.isdigit() for c in run) or run.isdigit():
            continue
        digits = "".join(c if c.isdigit() else _OCR_DIGITS.get(c, ".") for c in run)
        if digits.count(".") > 2 or not normalize_number("1/" + d.group("tail")):
            continue
        return digits, normalize_number("1/" + d.group("tail"))[2:], d.start(), d.end()
    return None


@lru_cache(maxsize=1)
def _registry_numbers() -> tuple[tuple[str, str], ...]:
    """(number, ISO date) of the instruments in ``data/registry/instruments.tsv``."""
    out = []
    for r in _read_tsv("instruments.tsv"):
        num = (r.get("document_number") or "").strip()
        if num:
            out.append((num, (r.get("date_issued") or "").strip()))
    return tuple(out)


def _resolve_damaged(digits: str, tail: str, date: str | None) -> str | None:
    """The number of a damaged reading (:func:`_damaged_number_at`). Without an unreadable glyph
    the digits as read ("2O24" → "2024") and the codes as printed; with one, the registry
    instrument issued on ``date`` whose number has the same codes (case, Đ/D and year part
    aside) and digits that fit the readable ones ("0." + "QD-TTg" on 2022-01-05 → "02/QĐ-TTg").
    ``None`` when no single instrument fits, or no date is known."""
    if "." not in digits:
        return normalize_number(f"{digits}/{tail}")
    if not date:
        return None
    want = _norm_cmp(tail)
    hits = []
    for num, d in _registry_numbers():
        if d != date:
            continue
        m = re.match(r"(\d+)(?:/\d{4})?/(.+)$", num.translate(_DASHES))
        if m and re.fullmatch(digits, m.group(1)) and _norm_cmp(m.group(2)) == want:
            hits.append(num)
    return hits[0] if len(hits) == 1 else None


_PLACE_TOKEN = re.compile(r"[^\s|]+")


def _place_before(text: str, pos: int, lo: int, need_comma: bool) -> tuple[str, int] | None:
    """The place name printed right before a date that starts at ``pos`` ("Đắk Nông, ngày",
    "Thành phố Hồ Chí\nMinh, ngày", "TP. Hồ Chí Minh, ngày"): up to six capitalised words, not
    crossing a table cell (``|``). Returns (place as printed, whitespace collapsed; start)."""
    base = max(lo, pos - 80)
    seg = text[base:pos]
    core = seg.rstrip()
    comma = core.endswith(",")
    core = core.rstrip(" ,\t\n")
    if need_comma and not comma:
        return None
    toks = list(_PLACE_TOKEN.finditer(core))
    picked: list[re.Match] = []
    for t in reversed(toks):
        w = t.group(0)
        if len(picked) >= 6 or (picked and "|" in core[t.end():picked[-1].start()]):
            break
        if picked and "|" in core[picked[-1].end():]:
            break
        if any(c.isdigit() for c in w):
            break          # "Số:377/KH-UBND" on the line above: a place has no digits
        titled = w[:1].isupper() and (len(w) == 1 or not w[1:].isupper() or w in ("TP.", "TP"))
        if titled or w == "phố" or w in ("Tp.", "Tp"):
            picked.append(t)
            continue
        break
    if not picked or "|" in core[picked[0].end():]:
        return None
    picked.reverse()
    while picked and picked[0].group(0) == "phố":      # "phố" only inside "Thành phố"
        picked.pop(0)
    if not picked:
        return None
    words = [p.group(0) for p in picked]
    place = " ".join(words).strip(" ,")
    if _fk(place) in ("số", "ngày", "năm", "v/v") or any(c.isdigit() for c in place):
        return None
    return place, base + picked[0].start()


_EN_HEADINGS = {
    "decree": "Nghị định", "circular": "Thông tư", "joint circular": "Thông tư liên tịch",
    "decision": "Quyết định", "resolution": "Nghị quyết", "directive": "Chỉ thị", "law": "Luật",
    "plan": "Kế hoạch", "program": "Chương trình", "programme": "Chương trình",
    "notice": "Thông báo", "notification": "Thông báo", "conclusion": "Kết luận",
    "official telegram": "Công điện", "official dispatch": "Công văn", "ordinance": "Pháp lệnh",
    "regulation": "Quy chế", "regulations": "Quy chế", "guidance": "Hướng dẫn",
    "consolidated document": "Văn bản hợp nhất", "order": "Lệnh",
}
"""English type headings of portal translations → the Vietnamese type."""

_HEADING_INDEX: dict[str, str] = dict(_EN_HEADINGS)
for _name in _HEADING_TYPES:
    _HEADING_INDEX.setdefault(fold_key(_name), _name)
    _HEADING_INDEX.setdefault(strip_accents(_name), _name)


def _heading_type(s: str) -> str | None:
    """Type name of a heading line ("KẾ HOẠCH" → "Kế hoạch"), exact match only."""
    if len(s) > 60 or s.rstrip().endswith(":"):
        return None
    t = _fk(collapse_ws(s.strip(" \t|#*:.")))
    if not t or len(t) > 40:
        return None
    hit = _HEADING_INDEX.get(t)
    if hit:
        return hit
    return _HEADING_INDEX.get(strip_accents(t))   # OCR lost accents ("QUYET ĐỊNH")


_LATE_BODY = re.compile(r"^[ \t|#>]*(?:căn cứ|điều 1\b|quyết định:|quyết nghị:)", re.MULTILINE)


def _parse_header(ct: CleanText, floor: int, first_motto: tuple[int, int] | None | bool = False) -> _Header:
    """The formal header read from ``floor`` on (see the module docstring, stage 3).
    ``first_motto`` is ``_find_motto(ct, 0)`` when the caller has it (False: not known): it is
    also ``_find_motto(ct, floor)`` when it is None or starts at or after ``floor``."""
    text, key = ct.text, ct.key
    h = _Header()
    if first_motto is False or (first_motto is not None and first_motto[0] < floor):
        motto = _find_motto(ct, floor)
    else:
        motto = first_motto
    if motto and motto[0] - floor > 2500 and next(_line_matches(_LATE_BODY, _LATE_BODY_NL, ct.key, floor, motto[0]), None):
        motto = None      # the crawl lost the header; this motto heads a form in an appendix
    after = floor
    if motto:
        lines, zs, _ = _issuer_zone(ct, motto[0], floor)
        h.english = key.startswith("socialist", motto[0])
        h.issuer_raw = [] if h.english else lines
        if lines:
            h.issuer_span = (zs, motto[0])
        h.zone_start = zs
        after = motto[1]
    else:
        h.zone_start = floor
    # number: from the issuer zone (two-column layouts may print it before the motto)
    lo = h.zone_start
    hi = min(len(text), after + 900)
    num = _parse_number_at(ct, lo, hi)
    if num:
        h.number, s, e = num
        h.number_span = (s, e)
        after = max(after, e) if e - after < 900 else after
        glyph = _GLYPH_SUFFIX.match(h.number)
        if glyph:
            # "2O/QĐ-UBND": a digit glyph read as a letter suffix (OCR), not a real "12a"
            h.number_ocr = collapse_ws(text[s:e])
            h.number = glyph.group(1) + _OCR_DIGITS[glyph.group(2)] + h.number[glyph.end(2):]
    # place-and-date line
    search_lo = motto[1] if motto else floor
    if num:
        search_lo = min(search_lo, num[1])
    window = text[search_lo:min(len(text), search_lo + 700)]
    for ds, de, iso in find_dates(window):
        abs_s = search_lo + ds
        if not key.startswith("ngày", abs_s) and not text[abs_s:abs_s + 1].isdigit() \
                and not (h.english and text[abs_s:abs_s + 1].isalpha()):
            continue
        pl = _place_before(text, abs_s, search_lo, need_comma=not motto)
        if not pl:
            # a date line without a place ("ngày 13 tháng 6 năm 2024" alone) is still the date
            if not motto or not key.startswith("ngày", abs_s):
                continue
            prev = text[max(search_lo, abs_s - 3):abs_s]
            if prev.strip(" \t|") and "\n" not in prev:
                continue
        else:
            h.place, ps = pl
            h.place_span = (ps, ps + len(text[ps:abs_s].rstrip(" ,\n\t")))
        h.date = iso
        h.date_span = (abs_s, search_lo + de)
        after = max(after, search_lo + de)
        break
    if not motto and not h.number and not h.date:
        after = floor
    if not num:
        # OCR may damage the number ("Số: 0£ /QD-TTg"): read it through the glyph table, or
        # find the one registry instrument of this date with these codes
        dmg = _damaged_number_at(ct, lo, hi)
        if dmg:
            h.number_ocr = collapse_ws(text[dmg[2]:dmg[3]])
            fixed = _resolve_damaged(dmg[0], dmg[1], h.date)
            if fixed:
                h.number, h.number_span = fixed, (dmg[2], dmg[3])
    _parse_heading_title(ct, h, after)
    return h


def _parse_heading_title(ct: CleanText, h: _Header, after: int) -> None:
    """Type heading, title, authority line and body start, scanning lines after ``after``."""
    text = ct.text
    # the lines of _lines_from(text, after, min(len(text), after + 6000)), read one at a time
    # (the loop below stops after a few of them): ``first`` and ``last`` of the list, or None
    first, last = _line_range(text, after, min(len(text), after + 6000))
    if first is not None and first[0] < after:
        # the rest of the date line (table layouts put more cells after the date)
        s0, e0 = first
        if _strip_line(text[after:e0]):
            if last == first:
                last = (after, e0)
            first = (after, e0)
        elif first == last:
            first = last = None
        else:
            first = _next_line(text, first)
    state = "start"
    title_lines: list[tuple[int, int]] = []
    auth_lines: list[tuple[int, int]] = []
    mixed_title = False
    body = None
    skip_until = -1
    for ls, le in _lines_through(text, first, last):
        if ls < skip_until:
            continue
        raw = text[ls:le]
        t = _strip_line(raw)
        if not t or _is_rule(t):
            if state == "title" and mixed_title and title_lines:
                state = "after_title"
            continue
        tk = _fk(t)
        if _MOTTO2.match(tk):
            continue
        if state == "start" and h.vv is None and re.match(r"v/v\b|về việc\b", tk) and not h.heading:
            h.vv = collapse_ws(t)
            continue
        if _ENACTING.match(tk):
            body = ls
            break
        upper = _is_upper_line(t)
        if _LABEL_START.match(t):
            body = ls          # "I. MỤC ĐÍCH": the body's first provision, not a title
            break
        if state == "start":
            ht = _heading_type(t)
            if not ht and upper and len(t) < 16 and (ls, le) != last:
                # a heading broken over two lines ("**QUYẾT\nĐỊNH**")
                nxt = _next_line(text, (ls, le))
                both = t + " " + _strip_line(text[nxt[0]:nxt[1]])
                if _heading_type(both):
                    ht = _heading_type(both)
                    skip_until = nxt[1]
                    raw = text[ls:nxt[1]]
                    t = both
            if ht:
                h.heading = ht
                hs = ls + (len(raw) - len(raw.lstrip(_LINE_JUNK)))
                h.heading_span = (hs, ls + len(raw.rstrip(_LINE_JUNK)))
                state = "after_heading"
                continue
        if upper:
            if state in ("start", "after_heading", "title") and not mixed_title:
                title_lines.append((ls, le))
                state = "title"
                continue
            auth_lines.append((ls, le))
            state = "authority"
            continue
        cue = bool(_BODY_CUE.match(tk)) or tk.startswith(("(ban hành", "(kèm theo", "ban hành kèm"))
        if state == "after_heading" and not cue:
            title_lines.append((ls, le))
            mixed_title = True
            state = "title"
            continue
        if state == "title" and mixed_title and not cue:
            title_lines.append((ls, le))
            continue
        body = ls
        break
    if body is None:
        body = last[1] if last is not None else after
        if not title_lines and not auth_lines and not h.heading:
            body = after
    # peel the authority line(s) off the end of an upper-case title
    if title_lines and not mixed_title and not auth_lines:
        cand = None
        for i in range(len(title_lines) - 1, max(-1, len(title_lines) - 5), -1):
            s, e = title_lines[i]
            tk = _fk(_strip_line(text[s:e]))
            prev = ""
            if i > 0:
                ps, pe = title_lines[i - 1]
                prev = _fk(_strip_line(text[ps:pe]))
            if _AUTHORITY_START.match(tk) and not _CONNECT_END.search(prev) \
                    and not _NOT_AUTHORITY.search(tk):
                cand = i
            elif cand is not None:
                break
        if cand is not None:
            auth_lines = title_lines[cand:]
            title_lines = title_lines[:cand]
    if title_lines:
        s, e = title_lines[0][0], title_lines[-1][1]
        s += len(text[s:e]) - len(text[s:e].lstrip(_LINE_JUNK))
        parts = [_strip_line(text[a:b]) for a, b in title_lines]
        h.title = collapse_ws(" ".join(parts)).strip(" |")
        e = title_lines[-1][0] + len(text[title_lines[-1][0]:title_lines[-1][1]].rstrip(_LINE_JUNK))
        h.title_span = (s, max(s, e))
    if auth_lines:
        parts = [_strip_line(text[a:b]) for a, b in auth_lines]
        h.authority = collapse_ws(" ".join(parts))
        h.authority_span = (auth_lines[0][0], auth_lines[-1][1])
    h.body_start = body


# ---------------------------------------------------------------------------------------------
# Signature block and closing
# ---------------------------------------------------------------------------------------------

def _nl_form(rx: re.Pattern) -> re.Pattern:
    """A MULTILINE pattern that starts with "^", with "\\n" in place of the "^" (see
    :func:`_line_matches`)."""
    assert rx.pattern.startswith("^") and rx.flags & re.MULTILINE
    return re.compile("\n" + rx.pattern[1:], rx.flags)


_SO_NL = _nl_form(_SO_RE)
_PORTAL_NL = _nl_form(_PORTAL_RE)
_LATE_BODY_NL = _nl_form(_LATE_BODY)
"""The line-start patterns searched with :func:`_line_matches` (a "^" tried at every offset
of the range was most of their cost)."""


def _line_matches(rx: re.Pattern, rx_nl: re.Pattern, s: str, pos: int = 0, endpos: int | None = None):
    """The matches of ``rx.finditer(s, pos, endpos)`` for a MULTILINE ``rx`` that starts with
    "^" and never matches the empty string, found with ``rx_nl`` (:func:`_nl_form`): the
    engine then skips ahead to line breaks instead of trying "^" at every offset."""
    end = len(s) if endpos is None else endpos
    p = pos
    while p <= end:
        m = rx.match(s, p, end) if p == 0 or s[p - 1] == "\n" else None
        if m is None:
            nl = rx_nl.search(s, p, end)
            if nl is None:
                return
            m = rx.match(s, nl.start() + 1, end)  # same text as nl without its line break
        yield m
        p = m.end() if m.end() > m.start() else m.start() + 1


_CLOSING_RE = re.compile(
    r"^[ \t|#>]*(?:nơi nhận|tm\.|t/m|t\.m\.|kt\.|k/t|tl\.|t/l|tuq\.|q\.)\s*(?=\S)", re.MULTILINE)

_CLOSING_NL = _nl_form(_CLOSING_RE)


def _closing_positions(ct: CleanText, start: int) -> list[int]:
    """Line starts of closing blocks (``Nơi nhận``, ``TM.``/``KT.`` + upper-case title)."""
    out = []
    text = ct.text
    for m in _line_matches(_CLOSING_RE, _CLOSING_NL, ct.key, start):
        word = _fk(text[m.start():m.end()]).strip(" \t|#>")
        if not word.startswith("nơi nhận"):
            rest_line = text[m.end():text.find("\n", m.end()) if text.find("\n", m.end()) > 0 else len(text)]
            r = rest_line.strip(" |*")
            if not r or not r[:1].isupper() or not _is_upper_line(r.split("|")[0] or "XX"):
                continue
        out.append(text.rfind("\n", 0, m.start()) + 1)
    return out


_SIGN_ANCHOR = re.compile(
    r"(?:^|\|)[ \t#>]*(?:(?:tm\.|t/m|t\.m\.)[ \t]*(?=\S)|(?:(?:tm|t/m|t\.m|kt|k/t|tl|t/l|tuq|q)\.?[ \t]*)?(?:"
    + "|".join(re.escape(t) for t in sorted(_SIGN_TITLES, key=len, reverse=True))
    + r")(?![\w]))",
    re.MULTILINE,
)
_SIGNED_NOTE = {"đã ký", "ký", "daky", "đã ký)", "(đã ký", "ký tên", "đã ký và đóng dấu"}


def _is_name_word(w: str) -> bool:
    return len(w) > 1 and w[0].isupper() and w[1:].islower() and w.isalpha()


def _split_title_name(t: str) -> tuple[str, str] | None:
    """"THỦ TƯỚNG Nguyễn Xuân Phúc" → ("THỦ TƯỚNG", "Nguyễn Xuân Phúc")."""
    toks = t.split()
    for i, w in enumerate(toks):
        if _is_name_word(w):
            name = toks[i:]
            if i and 2 <= len(name) <= 5 and all(_is_name_word(x) for x in name) \
                    and _is_upper_line(" ".join(toks[:i])):
                return " ".join(toks[:i]), " ".join(name)
            return None
    return None


def _find_signer(ct: CleanText, start: int, stop: int) -> tuple[str, int, int, str] | None:
    """(name, start, end, block text) of the first signer in [start, stop) (clean offsets).

    A signer is a person's name (2–5 capitalised words) printed after an upper-case title line
    ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "THỦ TƯỚNG" …, Nghị định 30/2020/NĐ-CP Phụ lục I mục 8),
    on the same table cell or within the next lines ("(Đã ký)" and further titles skipped).
    The block text returned holds the title lines (and the "TM. …" line above them)."""
    text, key = ct.text, ct.key
    for m in _SIGN_ANCHOR.finditer(key, start, stop):
        s = m.start() + (1 if text[m.start()] == "|" else 0)
        le = text.find("\n", s)
        le = len(text) if le < 0 else le
        ce = text.find("|", s, le)
        ce = le if ce < 0 else ce
        t = _strip_line(text[s:ce])
        if not t:
            continue
        tn = _split_title_name(t)
        if tn:
            off = s + text[s:ce].find(tn[1])
            return tn[1], off, off + len(tn[1]), tn[0]
        if not _is_upper_line(t):
            continue
        block = [t]
        # title lines just above (the "TM. ỦY BAN NHÂN DÂN" line)
        ls = text.rfind("\n", 0, s) + 1
        p = _prev_line(text, ls)
        for _ in range(3):
            if not p:
                break
            pt = _strip_line(text[p[0]:p[1]])
            if pt and not _is_upper_line(pt):
                break
            if pt:
                block.insert(0, pt)
            p = _prev_line(text, p[0])
        pos = le + 1
        for _ in range(7):
            if pos >= len(text):
                break
            ne = text.find("\n", pos)
            ne = len(text) if ne < 0 else ne
            raw = text[pos:ne]
            nt = _strip_line(raw.strip().strip("|").split("|")[0])
            ns = pos
            pos = ne + 1
            if not nt or _fk(nt).strip("()[]. ") in _SIGNED_NOTE:
                continue
            if _is_upper_line(nt):
                block.append(nt)
                continue
            cand = _RANK_RE.sub("", nt)
            off = ns + raw.find(cand)
            end = off + len(cand)
            words = cand.split()
            if words and len(words) < 5 and all(_is_name_word(w) for w in words):
                # a name wrapped over lines ("Nguyễn Quỳnh\nThiện")
                while pos < len(text):
                    ne2 = text.find("\n", pos)
                    ne2 = len(text) if ne2 < 0 else ne2
                    line2 = text[pos:ne2]
                    more = _strip_line(line2).split()
                    if not more or len(words) + len(more) > 5 or not all(_is_name_word(w) for w in more):
                        break
                    words += more
                    end = pos + len(line2.rstrip(_LINE_JUNK))
                    pos = ne2 + 1
                cand = " ".join(words)
            if _looks_like_name(cand):
                return cand, off, end, " ".join(block)
            break
    return None


_RANK_RE = re.compile(
    r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)|(?:GS|PGS|TS|ThS|BS|KS)\.?(?:\s*TS\.?)?"
    r"|Chuẩn đô đốc|Phó đô đốc|Đô đốc)\s+")
"""Military ranks and academic titles printed before a signer's name."""


def _looks_like_name(s: str) -> bool:
    words = s.split()
    if not 2 <= len(words) <= 5:
        return False
    f = _fk(s)
    if any(f.startswith(x) for x in _NOT_NAMES):
        return False
    return all(w[:1].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


_SURNAMES = frozenset(strip_accents(s) for s in (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Đinh", "Lâm", "Mai", "Trương", "Hà", "Tô", "Tạ",
    "Cao", "Lưu", "Lương", "Châu", "Thái", "Vương", "Trịnh", "Lại", "Tôn", "Kiều", "Quách",
    "Triệu", "Nông", "Lò", "Chu", "Phùng", "Khổng", "La", "Giang", "Thân", "Hứa", "Từ", "Doãn",
    "Nghiêm", "Kim", "Tăng", "Diệp", "Mạc", "Quan", "Bạch", "Bế", "Hầu", "Sầm", "Vi", "Văn",
))
"""Vietnamese family names (accents folded, so an OCR "Vu" still counts): the common surnames
listed in Lê Trung Hoa, *Họ và tên người Việt Nam* (NXB Khoa học Xã hội, 2005)."""

_MERGED_SIGNER = re.compile(
    r"^[ \t|>]*[-–~•+][^\n]*?[;,.][ \t]+((?:[^\W\d_]+[ \t]+){1,3}[^\W\d_]+)[ \t|]*$", re.MULTILINE)
"""A recipients line of an OCR page that ends with the signer's name: the scan read the two
columns of the closing block (Nơi nhận | title and name) as one line ("- Hội đồng Dân tộc …;
Vũ Đức Dam")."""


def _merged_column_signer(ct: CleanText, lo: int, hi: int) -> tuple[str, int, int] | None:
    """(name, start, end) of a signer printed at the end of a recipients line in [lo, hi)
    (:data:`_MERGED_SIGNER`): 2–4 capitalised words, the first a family name
    (:data:`_SURNAMES`), not a province ("Hà Tĩnh"). Used only when no signature block is
    found; ``None`` otherwise."""
    for m in _MERGED_SIGNER.finditer(ct.text, lo, hi):
        name = m.group(1)
        words = name.split()
        if strip_accents(words[0]) not in _SURNAMES or not all(_is_name_word(w) for w in words):
            continue
        if _province_kind(name, None) is not None or not _looks_like_name(name):
            continue
        return name, m.start(1), m.end(1)
    return None


@lru_cache(maxsize=1)
def _known_signers() -> tuple[tuple[str, str, str, str], ...]:
    """(name, folded issuer, valid from, valid to) of ``data/registry/signers.tsv`` (a row's
    ``issuer`` may list several bodies, ";"-separated: one tuple each)."""
    out = []
    for r in _read_tsv("signers.tsv"):
        name = (r.get("name") or "").strip()
        for issuer in (r.get("issuer") or "").split(";"):
            if name and issuer.strip():
                out.append((name, _fk(issuer.strip()), (r.get("valid_from") or "").strip(),
                            (r.get("valid_to") or "").strip()))
    return tuple(out)


def _lost_marks(seen: str, official: str) -> bool:
    """True if ``seen`` is ``official`` with some diacritics lost (OCR: "Dam" for "Đam"), letter
    for letter; False if they differ otherwise or are equal."""
    if len(seen) != len(official) or seen == official:
        return False
    for a, b in zip(seen, official, strict=True):
        bare = strip_accents(b)
        if a != b and a != (bare.upper() if b.isupper() else bare):
            return False
    return True


def _registry_spelling(name: str, issuers: list[str], date: str | None) -> str | None:
    """The registry's spelling (``data/registry/signers.tsv``) of a signer name that OCR printed
    without some of its marks ("Vũ Đức Dam" → "Vũ Đức Đam"), when the registry person signs for
    one of ``issuers`` and ``date`` lies in the row's validity; ``None`` otherwise."""
    folded = {_fk(x) for x in issuers}
    for official, issuer, vf, vt in _known_signers():
        if issuer not in folded or not _lost_marks(name, official):
            continue
        if date and ((vf and date < vf) or (vt and date > vt)):
            continue
        return official
    return None


# ---------------------------------------------------------------------------------------------
# Provisions
# ---------------------------------------------------------------------------------------------

_LABEL_BODY = (
    r"[ \t|#>]*(?:"
    r"(?P<chap>(?:Chương|CHƯƠNG|Chapter|CHAPTER)[ \t]*\n?[ \t]*(?P<chap_n>[IVXLC]+|\d+)\b\.?)"
    r"|(?P<phan>(?:Phần|PHẦN)[ \t]*\n?[ \t]*(?P<phan_n>(?:thứ|THỨ)[ \t]+[^\W\d_]+|[IVXLC]+|\d+)\b[.:]?)"
    r"|(?P<muc>(?:Mục|MỤC|Section|SECTION)[ \t]+(?P<muc_n>[IVXLC]+|\d+)\b[.:]?)"
    r"|(?P<art>(?:Điều|ĐIỀU|Article|ARTICLE)[ \t]*\n?[ \t]*(?P<art_n>\d+[a-zđ]?)[ \t]*[.:])"
    r"|(?P<multi>(?P<multi_n>\d{1,2}(?:\.\d{1,2}){1,3})\.?)(?=[ \t]|$)"
    r"|(?P<num>(?P<num_n>\d{1,3})[ \t]*(?:\.(?![\d])|\)|/(?=[ \t])))"
    r"|(?P<rom>(?P<rom_n>[IVXLC]{1,6})[ \t]*(?:[.\-–:)](?![\d])))"
    r"|(?P<ul>(?P<ul_n>[A-ZĐ])[ \t]*[.)])(?=[ \t])"
    r"|(?P<lt>(?P<lt_n>[a-zđ])[ \t]*[).])(?=[ \t]|$)"
    r"|(?P<dash>[-–—•·∙▪●◦](?![-–—]))(?=[ \t]*\S)"
    r"|(?P<plus>\+)(?=[ \t]*\S)"
    r")"
)
_LABEL_FIRST = (r"(?=[ \t|#>]*(?:[\d\-–—•·∙▪●◦+]|[a-zđA-ZĐ][ \t]*[.)]|[IVXLC]+[ \t]*[.\-–:)]"
                r"|C[hH]|P[hH]|M[ụỤ]|S[eE]|Đ[iI]|A[rR]))")
"""What every label style of :data:`_LABEL_BODY` begins with, as one lookahead: a line that
fails it (most lines: a word that is no label) is rejected after two characters instead of
being tried against each style in turn. It only speeds the search up; the matches are the
same."""
_LABEL_RE = re.compile("^" + _LABEL_FIRST + _LABEL_BODY, re.MULTILINE)
"""A provision label at a line start (see the module docstring for the styles)."""
_LABEL_NL = re.compile("\n" + _LABEL_FIRST + _LABEL_BODY, re.MULTILINE)
"""The same after a newline (a literal first character lets the engine skip ahead fast)."""


def _line_labels(text: str, lo: int, hi: int):
    """(line start, match) of every label line in [lo, hi)."""
    if lo == 0 or text[lo - 1] == "\n":
        m = _LABEL_RE.match(text, lo, hi)
        if m:
            yield lo, m
    for m in _LABEL_NL.finditer(text, max(lo - 1, 0) if lo and text[lo - 1] == "\n" else lo, hi):
        if m.start() + 1 > lo:
            yield m.start() + 1, m
_PIPE_LINE = re.compile(r"^[ \t]*\|[ \t]*$", re.MULTILINE)
"""A line holding only "|" (the cell border of a crawled table)."""
_ROW_LINE = re.compile(r"^[^\n]*\|[^\n]*$", re.MULTILINE)
"""A line holding a "|" (a one-line table row, or a cell border)."""
_TERMINAL = tuple(".;:!?)”\"…’'")
_TERMINAL_CHARS = frozenset(_TERMINAL)
_first = itemgetter(0)
_PREAMBLE_CUE = re.compile(r"(?:căn cứ|xét |theo đề nghị|theo đề xuất)")
_ATTACH_NOTE = re.compile(r"^[ \t|#>]*\(\s*(?:được\s+)?(?:ban\s+hành\s+)?kèm\s+theo", re.MULTILINE)
_ATTACH_NOTE_NL = _nl_form(_ATTACH_NOTE)

_STRUCT_RANK = {"phan": 0, "chap": 1, "romS": 1.5, "muc": 2, "art": 3}
_MINOR_RANK = {"ul": 4.0, "rom": 5.0, "num": 6.0, "multi2": 6.5, "multi3": 6.6, "multi4": 6.7,
               "lt": 7.0, "dash": 8.0, "plus": 9.0, "row": 10.0}
_RANK = {**_MINOR_RANK, **_STRUCT_RANK}
"""Rank of every style (:attr:`_Node.rank`), minor and structural in one table."""
_EID = {"chapter": "chp", "part": "part", "section": "sec", "article": "art", "item": "item",
        "point": "point", "indent": "indent", "table_row": "row"}
_ORDINALS = {"nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
             "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


def _roman(s: str) -> int | None:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total, prev = 0, 0
    for c in reversed(s):
        v = vals.get(c)
        if v is None:
            return None
        total += -v if v < prev else v
        prev = max(prev, v)
    # reject non-canonical numerals ("IIII", "VX")
    return total if _to_roman(total) == s else None


def _to_roman(n: int) -> str:
    out = ""
    for v, r in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                 (4, "IV"), (1, "I")):
        while n >= v:
            out += r
            n -= v
    return out


@dataclass(slots=True)
class _Node:
    style: str
    kind: str
    label: str
    start: int              # clean offsets
    head_end: int           # end of the label
    end: int = 0
    children: list[_Node] = field(default_factory=list)
    row_text: str | None = None

    @property
    def structural(self) -> bool:
        return self.style in _STRUCT_RANK

    @property
    def rank(self) -> float:
        return _STRUCT_RANK.get(self.style, _MINOR_RANK.get(self.style, 9.5))


_BLANK_ONLY = re.compile(r"\n[ \t]*\n")
"""A blank line (with the line breaks around it)."""
_BLANK_AFTER = re.compile(r"\n(?=[ \t]*\n)")
"""Every line break that a blank line follows (overlapping runs of blank lines included): the
starts of all :data:`_BLANK_ONLY` matches."""
_SEPARATOR_ROW = re.compile(r"[\s|:\-]*")


def _pipe_lines(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) of the lines that begin in [lo, hi) and hold a ``|`` before ``hi`` (the
    end cut at ``hi``): the lines :data:`_ROW_LINE` matches there, found with a literal search
    for "|" instead of a regex tried at every line. The parser reads tables with
    :func:`_scan_tables`; this and the next two functions are the definitions it is tested
    against."""
    out: list[tuple[int, int]] = []
    find, rfind = text.find, text.rfind
    j = find("|", lo, hi)
    while j >= 0:
        le = find("\n", j, hi)
        if le < 0:
            le = hi
        ls = rfind("\n", 0, j) + 1
        if ls >= lo:
            out.append((ls, le))
        if le >= hi:
            break
        j = find("|", le + 1, hi)
    return out


def _table_blocks(text: str, pipe_lines: list[tuple[int, int]]) -> list[list]:
    """Crawled-table regions among ``pipe_lines`` (:func:`_pipe_lines`): runs of ``|``-only
    lines (:data:`_PIPE_LINE`) with no blank line between consecutive ones and at most 40 lines
    apart. Each block is ``[start, end, pipes]`` (clean offsets; ``pipes`` = the (start, end) of
    its ``|`` lines)."""
    blocks: list[list] = []
    blk: list | None = None
    count, find = text.count, text.find
    blanks: list[int] | None = None      # line breaks that a blank line follows, found once
    bi = 0
    for s, e in pipe_lines:
        if e - s != 1 and text[s:e].strip(" \t") != "|":
            continue
        if blk is not None:
            a = blk[1]
            nl = count("\n", a, s)
            # _BLANK_ONLY.search(text, a, s): a blank line needs two line breaks in the gap; the
            # first blank line after ``a`` is the one to check (later ones end later)
            has_blank = False
            if 2 <= nl <= 40:
                if blanks is None:
                    blanks = [m.start() for m in _BLANK_AFTER.finditer(text, a, pipe_lines[-1][1])]
                while bi < len(blanks) and blanks[bi] < a:
                    bi += 1
                has_blank = bi < len(blanks) and find("\n", blanks[bi] + 1) + 1 <= s
            if nl <= 40 and not has_blank:
                blk[1] = e
                blk[2].append((s, e))
                continue
        blk = [s, e, [(s, e)]]
        blocks.append(blk)
    return blocks


def _rows_in_block(text: str, pipes: list[tuple[int, int]]) -> list[tuple[int, int, list[str]]]:
    """Rows of a crawled table block: (start, end, cells). The text between two ``|`` lines is
    a cell; an empty cell (two ``|`` lines in a row) ends a row."""
    rows: list[tuple[int, int, list[str]]] = []
    cells: list[str] = []
    row_start = row_end = -1
    for (_ps, cs), (ce, _pe) in zip(pipes, pipes[1:], strict=False):
        seg = text[cs:ce]
        words = seg.split()
        if not words:
            if cells:
                rows.append((row_start, row_end, cells))
                cells, row_start = [], -1
            continue
        if row_start < 0:
            row_start = cs + len(seg) - len(seg.lstrip())   # the first character that is not a space
        row_end = cs + len(seg.rstrip())                    # after the last one
        cells.append(" ".join(words))                       # collapse_ws, inlined
    if cells:
        rows.append((row_start, row_end, cells))
    return rows


def _scan_tables(text: str, lo: int, hi: int) -> tuple[list[tuple[int, int]], list[tuple[int, int, list[str]]],
                                                       list[tuple[int, int]]]:
    """One pass over the lines of ``[lo, hi)`` that hold a ``|``: what :func:`_pipe_lines`,
    :func:`_table_blocks` and :func:`_rows_in_block` give, without their three passes and
    intermediate lists.

    Output: (``spans``, ``rows``, ``others``): ``spans`` = (start, end) of each crawled-table
    block (:func:`_table_blocks`), ``rows`` = (start, end, cells) of the rows of all blocks in
    order (:func:`_rows_in_block`), ``others`` = the (start, end) of the lines holding a ``|``
    that are not ``|``-only lines (:func:`_pipe_lines` less the block lines), in order. Clean
    offsets; a line's end is cut at ``hi``. ``tests/test_parse_speed3.py`` checks it against the
    three functions."""
    spans: list[tuple[int, int]] = []
    rows: list[tuple[int, int, list[str]]] = []
    others: list[tuple[int, int]] = []
    find, rfind, count = text.find, text.rfind, text.count
    tn = len(text)
    blank = _BLANK_ONLY.search
    b_start = b_end = -1          # the open block (b_end: end of its last "|" line)
    cells: list[str] = []         # cells of the open row
    row_start = -1
    last_cs = last_seg = None     # the open row's last cell: its start and text (for the row's end)
    j = find("|", lo, hi)
    while j >= 0:
        if (j == 0 or text[j - 1] == "\n") and (j + 1 == hi or (j + 1 < tn and text[j + 1] == "\n")):
            ls, le = j, j + 1     # a line of just "|" (every "|" line of the crawled portal text)
        else:
            le = find("\n", j, hi)
            if le < 0:
                le = hi
            ls = rfind("\n", 0, j) + 1
        if ls >= lo:
            if le - ls == 1 or text[ls:le].strip(" \t") == "|":
                joined = False
                seg = None
                if b_end >= 0:
                    if ls - b_end <= 400:     # a cell, most likely: its text is needed below
                        seg = text[b_end:ls]
                        nl = seg.count("\n")
                    else:
                        nl = count("\n", b_end, ls)
                    # _BLANK_ONLY.search(text, b_end, ls) needs two line breaks in the gap; with
                    # exactly two they are the gap's ends (b_end ends a line, ls starts one), so
                    # the one line between them is blank or not
                    if nl < 2 or (nl == 2 and text[b_end + 1:ls - 1].strip(" \t")) \
                            or (2 < nl <= 40 and blank(text, b_end, ls) is None):
                        joined = True
                if joined:
                    # the text between the block's last "|" line and this one is a cell
                    if seg is None:
                        seg = text[b_end:ls]
                    words = seg.split()
                    if words:
                        if row_start < 0:
                            row_start = b_end + len(seg) - len(seg.lstrip())
                        last_cs, last_seg = b_end, seg
                        cells.append(" ".join(words))        # collapse_ws (a short cell)
                    elif cells:
                        rows.append((row_start, last_cs + len(last_seg.rstrip()), cells))
                        cells, row_start = [], -1
                    b_end = le
                else:
                    if cells:
                        rows.append((row_start, last_cs + len(last_seg.rstrip()), cells))
                        cells, row_start = [], -1
                    if b_end >= 0:
                        spans.append((b_start, b_end))
                    b_start, b_end = ls, le
            else:
                others.append((ls, le))
        if le >= hi:
            break
        j = find("|", le + 1, hi)
    if cells:
        rows.append((row_start, last_cs + len(last_seg.rstrip()), cells))
    if b_end >= 0:
        spans.append((b_start, b_end))
    return spans, rows, others


def _prev_line(text: str, ls: int) -> tuple[int, int] | None:
    if ls <= 0:
        return None
    pe = ls - 1
    ps = text.rfind("\n", 0, pe) + 1
    return ps, pe


class _ProvisionBuilder:
    """Builds the provision forest of one segment ``[lo, hi)`` of the clean text."""

    def __init__(self, ct: CleanText, lo: int, hi: int, skip_preamble: bool):
        self.ct = ct
        self.text = ct.text
        self.lo, self.hi = lo, hi
        self.skip_preamble = skip_preamble
        self.roots: list[_Node] = []
        self.stack: list[_Node] = []
        self.label_lines: set[int] = set()
        self.last_roman: int | None = None
        self.last_ul: str | None = None

    # -- guards -----------------------------------------------------------------------------
    def _prev_ok(self, ls: int) -> bool:
        text = self.text
        if ls <= 1 or ls - 1 < self.lo:
            return True     # no previous line in the segment, or an empty first line
        c = text[ls - 2]
        if c == "\n" or c in _TERMINAL_CHARS:
            return True     # the previous line is empty or ends a sentence (as the loop finds)
        p = _prev_line(text, ls)
        if p is None or p[1] < self.lo:
            return True
        steps = 0
        while p and steps < 5:
            ps, pe = p
            t = _strip_line(text[ps:pe])
            if ps in self.label_lines:
                return True
            if steps == 0:
                if not t or t.endswith(_TERMINAL) or text[ps:pe].strip() == "|" or _is_rule(t):
                    return True
                if len(t) < 50 or _is_upper_line(t):
                    return True
            elif not t or t.endswith(_TERMINAL):
                return False
            p = _prev_line(text, ps)
            steps += 1
        return False

    def _para_start(self, ls: int) -> bool:
        """The line at ``ls`` starts a paragraph: the previous line is blank or ends a sentence."""
        p = _prev_line(self.text, ls)
        if p is None or p[1] < self.lo:
            return True
        t = _strip_line(self.text[p[0]:p[1]])
        return not t or t.endswith(_TERMINAL)

    # -- tree -------------------------------------------------------------------------------
    def _place(self, node: _Node) -> None:
        stack = self.stack
        s = node.style
        struct = s in _STRUCT_RANK
        rank = _RANK.get(s, 9.5)
        while stack:
            top = stack[-1]
            ts = top.style
            if ts == s:
                stack.pop()
                break
            if ts in _STRUCT_RANK:
                if struct and _STRUCT_RANK[ts] >= rank:
                    stack.pop()
                    continue
                break
            if struct:
                stack.pop()
                continue
            # the minor styles open since the innermost structural node
            open_minor = False
            for n in reversed(stack):
                if n.style in _STRUCT_RANK:
                    break
                if n.style == s:
                    open_minor = True
                    break
            if open_minor:
                stack.pop()
                continue
            if _RANK.get(ts, 9.5) > rank:
                stack.pop()
                continue
            break
        if node.style in ("rom", "romS"):
            node.kind = "part" if not stack else "section"
        if stack:
            stack[-1].children.append(node)
        else:
            self.roots.append(node)
        stack.append(node)

    def build(self) -> list[_Node]:
        text, key = self.text, self.ct.key
        lo, hi = self.lo, self.hi
        blocks, block_rows, others = _scan_tables(text, lo, hi)
        events: list[tuple[int, str, object]] = [(rs, "row", (re_, cells)) for rs, re_, cells in block_rows]
        in_block = _SortedIntervals(blocks)
        row_lines: set[int] = set()
        for s, e in others:
            if in_block.contains(s):
                continue
            line = text[s:e]
            if _SEPARATOR_ROW.fullmatch(line):
                continue
            cells = [" ".join(c.split()) for c in line.strip().strip("|").split("|")]
            if not any(cells):
                continue
            ls = s + len(line) - len(line.lstrip())
            events.append((ls, "row", (s + len(line.rstrip()), cells)))
            row_lines.add(s)
        bi, nb = 0, len(blocks)          # the first block that does not end before ``ls``
        for ls, m in _line_labels(text, lo, hi):
            if ls in row_lines:
                continue
            while bi < nb and blocks[bi][1] < ls:
                bi += 1
            if bi < nb and blocks[bi][0] <= ls:
                continue                  # inside a crawled table (its rows are events already)
            events.append((ls, "label", m))
        events.sort(key=_first)
        started = not self.skip_preamble
        next_label: list[int] | None = None   # index of the next label event after each event
        for idx, (pos, kind, payload) in enumerate(events):
            if kind == "row":
                end, cells = payload
                if not started:
                    continue
                node = _Node("row", "table_row", _row_label(cells), pos, pos)
                node.row_text = " | ".join(cells)
                node.end = end
                self._place(node)
                continue
            m = payload
            node = self._label_node(m, pos)
            if node is None:
                continue
            if node.style in ("rom", "ul"):
                # the next label event (indexed only here: "rom"/"ul" labels are rare; a scan
                # from each one was quadratic in the table rows that follow it)
                if next_label is None:
                    next_label = [-1] * (len(events) + 1)
                    for j in range(len(events) - 1, -1, -1):
                        next_label[j] = j if events[j][1] == "label" else next_label[j + 1]
                j = next_label[idx + 1]
                nxt = events[j][2] if j >= 0 else None
                if nxt is not None and nxt.group("art") is not None:
                    node.style = "romS"      # "I- QUY ĐỊNH CHUNG" then "Điều 1.": a chapter-like part
            if not started:
                rest = key[node.head_end:node.head_end + 40].lstrip(" \t")
                if _PREAMBLE_CUE.match(rest):
                    continue
                started = True
            self.label_lines.add(pos)
            self._place(node)
        self._close(self.roots, hi)
        return self.roots

    def _label_node(self, m: re.Match, ls: int) -> _Node | None:
        text = self.text
        style = m.lastgroup
        if style is None:
            return None
        if style.endswith("_n"):
            style = style[:-2]
        lab_end = m.end()
        line_end = text.find("\n", lab_end)
        line_end = len(text) if line_end < 0 else line_end
        rest = text[lab_end:line_end].strip(" \t|")
        if style == "chap" or style == "phan":
            # "Chương II Thông tư này …" in a wrapped sentence is not a chapter: a heading is
            # alone, upper case or after "." / ":", unless a paragraph ended just before
            if rest and not (_is_upper_line(rest) or rest[0] in ".:-–") and not self._para_start(ls):
                return None
        elif style != "art" and not self._prev_ok(ls):
            return None
        if text[ls] in _LINE_JUNK:
            head = text[ls:lab_end]
            label_start = ls + len(head) - len(head.lstrip(_LINE_JUNK))
        else:
            label_start = ls
        # the styles by frequency (items, points, indents, articles first); each is one branch
        if style == "num":
            if not rest and not self._next_nonblank(line_end):
                return None
            return _Node("num", "item", m.group("num_n"), label_start, lab_end)
        if style == "lt":
            n = m.group("lt_n")
            if n not in _VN_LETTERS and n not in "fjwz":
                return None
            if not rest:
                return None
            return _Node("lt", "point", n, label_start, lab_end)
        if style == "dash" or style == "plus":
            if not rest or _is_rule(rest):
                return None
            return _Node(style, "indent", text[label_start:label_start + 1], label_start, lab_end)
        if style == "art":
            return _Node("art", "article", m.group("art_n"), label_start, lab_end)
        if style == "multi":
            n = m.group("multi_n")
            depth = n.count(".") + 1
            return _Node(f"multi{min(depth, 4)}", "item", n, label_start, lab_end)
        if style == "chap":
            return _Node("chap", "chapter", m.group("chap_n"), label_start, lab_end)
        if style == "phan":
            n = m.group("phan_n")
            lab = collapse_ws(n)
            return _Node("phan", "part", lab, label_start, lab_end)
        if style == "muc":
            if not rest and not self._prev_ok(ls):
                return None
            return _Node("muc", "section", m.group("muc_n"), label_start, lab_end)
        if style == "rom" or style == "ul":
            n = m.group("rom_n") if style == "rom" else m.group("ul_n")
            val = _roman(n) if style == "rom" else None
            if not rest and not self._next_nonblank(line_end):
                return None
            if val is not None and self.last_roman is not None and 1 <= val - self.last_roman <= 2:
                self.last_roman = val
                return _Node("rom", "part", n, label_start, lab_end)
            if len(n) == 1 and self.last_ul is not None and ord(n) == ord(self.last_ul) + 1:
                self.last_ul = n
                return _Node("ul", "part", n, label_start, lab_end)
            if val is not None and self.last_roman is None and val <= 3:
                self.last_roman = val
                return _Node("rom", "part", n, label_start, lab_end)
            if len(n) == 1 and n == "A" and (_is_upper_line(rest) or not rest):
                self.last_ul = n
                return _Node("ul", "part", n, label_start, lab_end)
            if val is not None and self.last_roman is not None and val == 1:
                self.last_roman = val     # numbering restarts (a new part or attachment)
                return _Node("rom", "part", n, label_start, lab_end)
            return None
        return None

    def _next_nonblank(self, pos: int) -> bool:
        nxt = self.text[pos:pos + 200].strip(" \t\n|")
        return bool(nxt)

    def _close(self, nodes: list[_Node], end: int) -> None:
        text = self.text
        for i, n in enumerate(nodes):
            nxt = nodes[i + 1].start if i + 1 < len(nodes) else end
            if n.style != "row" or not n.end:
                n.end = nxt
            else:
                n.end = min(max(n.end, n.start), nxt)
            if n.children:
                self._close(n.children, nxt)
                if n.style == "row":
                    n.end = nxt
            # trim trailing whitespace/pipes (a window of the text at a time, not a char)
            e, s0 = n.end, n.start
            if e > s0 and text[e - 1] in " \t\n|":
                while e > s0:
                    w = max(s0, e - 64)
                    kept = len(text[w:e].rstrip(" \t\n|"))
                    e = w + kept
                    if kept:
                        break
                n.end = e


class _SortedIntervals:
    """Closed intervals ``[start, end]``, sorted and disjoint, asked about positions in
    increasing order: :meth:`contains` walks forward instead of bisecting each time."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.i = 0

    def contains(self, pos: int) -> bool:
        """True if ``pos`` lies in one of the intervals (``pos`` never smaller than the last
        one asked)."""
        spans, i, n = self.spans, self.i, len(self.spans)
        while i < n and spans[i][1] < pos:
            i += 1
        self.i = i
        return i < n and spans[i][0] <= pos


_ROW_LABEL_RE = re.compile(r"\d{1,3}|[IVXLC]{1,6}|[A-ZĐ]|\d{1,2}(?:\.\d{1,2}){1,3}")
_SLUG_RE = re.compile(r"[^0-9A-Za-z.]+")


def _row_label(cells: list[str]) -> str:
    first = cells[0].strip(" .") if cells else ""
    if _ROW_LABEL_RE.fullmatch(first):
        return first
    return ""


@lru_cache(maxsize=4096)
def _slug_of(style: str, lab: str) -> str:
    """The eid part of a node's label, from its style and label as printed ("II", "1.2", "dd"
    for "đ", "2" for "thứ hai"); memoised (labels repeat)."""
    if style == "phan":
        parts = _fk(lab).split()
        if parts and parts[0] == "thứ" and len(parts) > 1 and parts[1] in _ORDINALS:
            return str(_ORDINALS[parts[1]])
        lab = lab.split()[-1]
    if style == "lt":
        return "dd" if lab == "đ" else lab
    return _SLUG_RE.sub("", strip_accents(lab) if not lab.isascii() else lab) or "x"


_BLANK_LINE = re.compile(r"\n[ \t|]*\n")
_NONSPACE = re.compile(r"[^\s|]")


def _heading_of(text: str, node: _Node, blank_paras: bool = False) -> str:
    """The heading of a provision: its label paragraph when more content follows it and it
    does not end a sentence (always for chapters, parts and sections); "" for indents and table
    rows. ``blank_paras``: the document separates paragraphs by blank lines (crawled portal
    text, hard-wrapped), so a paragraph runs to the next blank line rather than the line end."""
    kind = node.kind
    if kind == "indent" or kind == "table_row":
        return ""
    children = node.children
    lo = node.head_end
    end = node.end
    hi = end if end < lo + 1500 else lo + 1500
    le = text.find("\n", lo, hi)
    if le >= 0 and not text[lo:le].strip(_LINE_JUNK):
        # the heading stands on the next paragraph ("Chương I\n\nQUY ĐỊNH CHUNG")
        m0 = _NONSPACE.search(text, lo, hi)
        if m0 and (not children or m0.start() < children[0].start):
            lo = text.rfind("\n", 0, m0.start()) + 1
    child = children[0].start if children else hi
    # a blank line that starts before the first child also ends before it (the child's line is
    # not blank), so the search can stop there
    m = _BLANK_LINE.search(text, lo, hi if hi < child else child)
    blank = m.start() if m else hi
    stop = min(child, blank, hi)
    top = kind == "chapter" or kind == "part" or kind == "section"
    if not children and (m or blank_paras) and not top \
            and (stop >= end or _NONSPACE.search(text, stop, end) is None):
        return ""      # the label paragraph is all there is: no heading
    para = text[lo:stop]
    more = False        # a non-empty line of the paragraph is left out of the heading
    if blank_paras or (children and child <= blank) or (m and blank <= child):
        # the whole paragraph
        if "|" in para or "#" in para or ">" in para or "*" in para:
            head = " ".join([ln.strip(_LINE_JUNK) for ln in para.split("\n")])
        else:
            # with no junk character, stripping the lines only removes spaces and tabs at
            # their ends, which the collapse below removes as well
            head = para
    else:
        # one paragraph per line, but a hard-wrapped line continues on a line that starts in
        # lower case ("1. Mục\nđích"), and an upper-case heading on upper-case lines; the lines
        # after the first one that does not continue it are not looked at
        head = None
        upper = False
        for ln in para.split("\n"):
            ln = ln.strip(_LINE_JUNK)
            if not ln:
                continue
            if head is None:
                head = ln
                upper = _is_upper_line(head)
            elif (upper and _is_upper_line(ln)) or (not upper and ln[:1].islower()):
                head += " " + ln
            else:
                more = True
                break
        if head is None:
            return ""
    head = collapse_ws(head).strip(" :")
    if not head or len(head) > 250:
        return ""
    if top:
        return head
    if (children or more or (stop < end and _NONSPACE.search(text, stop, end))) \
            and not head.endswith((".", ";", ",")) and ";" not in head \
            and not _CONNECT_END.search(head[-7:]):    # its words have at most 5 letters
        return head
    return ""


_FAST_PROVISION = ("__slots__" not in vars(Provision) and not hasattr(Provision, "__post_init__")
                   and list(Provision.__dataclass_fields__)
                   == ["eid", "kind", "label", "heading", "span", "text", "children"])
"""Provision is a plain frozen dataclass with these fields: an instance can be filled through
its ``__dict__`` (what its generated ``__init__`` does field by field, five times slower).
Should the model change shape, :func:`_provision` falls back to the constructor."""


def _provision(eid: str, kind: str, label: str, heading: str, span: Span, text: str,
               children: tuple[Provision, ...]) -> Provision:
    """``Provision(eid, kind, label, heading, span, text, children)``, built fast."""
    if not _FAST_PROVISION:
        return Provision(eid=eid, kind=kind, label=label, heading=heading, span=span, text=text,
                         children=children)
    p = object.__new__(Provision)
    d = p.__dict__
    d["eid"], d["kind"], d["label"], d["heading"] = eid, kind, label, heading
    d["span"], d["text"], d["children"] = span, text, children
    return p


_SPAN_SLOTS = (vars(Span).get("__slots__") == ("start", "end")
               and list(Span.__dataclass_fields__) == ["start", "end"])
_SET_START = Span.__dict__["start"].__set__ if _SPAN_SLOTS else None
_SET_END = Span.__dict__["end"].__set__ if _SPAN_SLOTS else None


def _span(start: int, end: int) -> Span:
    """``Span(start, end)`` for ``0 <= start <= end`` (the caller guarantees it), filled through
    its slots: the generated ``__init__`` and its ``__post_init__`` check take three times as
    long. Should ``Span`` change shape, the constructor is used."""
    if _SET_START is None:
        return Span(start, end)
    sp = object.__new__(Span)
    _SET_START(sp, start)
    _SET_END(sp, end)
    return sp


def _to_provisions(ct: CleanText, nodes: list[_Node], prefix: str, used: set[str],
                   blank_paras: bool = False) -> tuple[Provision, ...]:
    """The :class:`~graph.models.Provision` forest of ``nodes`` (eids prefixed by ``prefix``,
    unique within ``used``; spans in original offsets; texts whitespace-collapsed)."""
    out = []
    counters: dict[str, int] = {}
    text = ct.text
    to_orig = ct.to_original
    fast = _FAST_PROVISION and _SET_START is not None
    for n in nodes:
        kind = n.kind
        base = _EID[kind]
        leaf_kind = kind == "indent" or kind == "table_row"
        if leaf_kind:
            k = counters[base] = counters.get(base, 0) + 1
            eid = f"{prefix}{base}_{k}"
        else:
            eid = f"{prefix}{base}_{_slug_of(n.style, n.label)}"
        cand = eid
        if cand in used:
            k = 2
            while cand in used:
                cand = f"{eid}-{k}"
                k += 1
        used.add(cand)
        nch = n.children
        start = n.start
        end = n.end if n.end > start else start
        # CleanText.original_span, inlined (start <= end inside the text by construction)
        o = to_orig[start]
        if nch:
            children = _to_provisions(ct, nch, cand + "__", used, blank_paras)
            # linear: the head part, each child's text and the gaps between (whitespace-collapsed)
            pieces = [collapse_ws(text[start:nch[0].start])]
            last = len(nch) - 1
            for i, c in enumerate(nch):
                pieces.append(children[i].text)
                nxt = nch[i + 1].start if i < last else end
                if nxt > c.end:
                    gap = text[c.end:nxt]
                    if not gap.isspace():         # white space collapses to nothing
                        pieces.append(collapse_ws(gap))
            txt = " ".join(filter(None, pieces))
            heading = _heading_of(text, n, blank_paras)
        else:
            children = ()
            txt = (n.row_text or "") if kind == "table_row" else collapse_ws(text[start:end])
            heading = "" if leaf_kind else _heading_of(text, n, blank_paras)   # indents, rows: none
        if fast:
            sp = _new(Span)
            _SET_START(sp, o)
            _SET_END(sp, to_orig[end - 1] + 1 if end > start else o)
            p = _new(Provision)
            d = p.__dict__
            d["eid"], d["kind"], d["label"], d["heading"] = cand, kind, n.label, heading
            d["span"], d["text"], d["children"] = sp, txt, children
            out.append(p)
        else:
            span = _span(o, to_orig[end - 1] + 1) if end > start else _span(o, o)
            out.append(_provision(cand, kind, n.label, heading, span, txt, children))
    return tuple(out)


_new = object.__new__


_ATTACH_HEAD_RE = re.compile(
    # the lookahead (first letters of the heads) only rejects other lines sooner
    r"^(?=[ \t|#>]*[" + "".join(sorted({h[0] for h in _ATTACHMENT_HEADS} | {"p", "d"})) + "])"
    r"[ \t|#>]*(?:(?:phụ lục|danh mục)\b[^\n]{0,160}|(?:"
    + "|".join(re.escape(h) for h in sorted(_ATTACHMENT_HEADS, key=len, reverse=True))
    + r")[ \t|]*)$",
    re.MULTILINE,
)
_ATTACH_HEAD_NL = _nl_form(_ATTACH_HEAD_RE)


def _attachment_starts(ct: CleanText, lo: int, hi: int) -> list[int]:
    """Line starts of attached documents ("KẾ HOẠCH … (Ban hành kèm theo …)", "PHỤ LỤC …")."""
    text, key = ct.text, ct.key
    out: list[int] = []
    for m in _line_matches(_ATTACH_NOTE, _ATTACH_NOTE_NL, key, lo, hi):
        # the heading: walk back over the upper-case title lines to the first of them
        ls = m.start()
        start = ls
        p = _prev_line(text, ls)
        steps = 0
        while p and p[0] >= lo and steps < 8:
            t = _strip_line(text[p[0]:p[1]])
            if t and (not _is_upper_line(t) or _CLOSING_RE.match(key, p[0], p[1])):
                break
            if t:
                start = p[0]
            p = _prev_line(text, p[0])
            steps += 1
        out.append(start)
    for m in _line_matches(_ATTACH_HEAD_RE, _ATTACH_HEAD_NL, key, lo, hi):
        t = _strip_line(text[m.start():m.end()])
        if t and (_is_upper_line(t) or re.fullmatch(r"(?i)phụ lục\s*[\dIVXLC]*\.?", t)):
            out.append(m.start())
    return sorted(set(out))


def _build_provisions(ct: CleanText, body_start: int, closings: list[int]) -> tuple[tuple[Provision, ...], int]:
    """Provision forest of the main body and the attachments; also the first provision start."""
    text = ct.text
    n = len(text)
    main_end = closings[0] if closings else n
    segments: list[tuple[int, int, str, bool]] = [(body_start, main_end, "", True)]
    if closings:
        atts = [a for a in _attachment_starts(ct, main_end, n) if a >= main_end]
        merged: list[int] = []
        for a in atts:
            if merged and a - merged[-1] < 400 and not any(merged[-1] < c < a for c in closings):
                continue
            merged.append(a)
        for i, a in enumerate(merged):
            nxt = merged[i + 1] if i + 1 < len(merged) else n
            cl = [c for c in closings if a < c < nxt]
            end = cl[0] if cl else nxt
            segments.append((a, end, f"att_{i + 1}__", False))
    used: set[str] = set()
    out: list[Provision] = []
    first = -1
    # layout: crawled portal text separates paragraphs by blank lines and hard-wraps them
    sample = text[body_start:body_start + 20000]
    blank_paras = sample.count("\n\n") * 8 > sample.count("\n") > 20
    for lo, hi, prefix, skip in segments:
        if hi <= lo:
            continue
        roots = _ProvisionBuilder(ct, lo, hi, skip).build()
        if roots and first < 0 and not prefix:
            first = roots[0].start
        if not roots and not prefix:
            out.extend(_paragraphs(ct, lo, hi))
            continue
        out.extend(_to_provisions(ct, roots, prefix, used, blank_paras))
    return tuple(out), first


_TABLE_HEAD_WORDS = frozenset({"stt", "tt", "số tt", "số thứ tự", "thứ tự"})
"""First header cells of Vietnamese tables ("STT" = số thứ tự, ordinal number): never a title."""


def _paragraphs(ct: CleanText, lo: int, hi: int) -> list[Provision]:
    """Provisions for a main body with no numbered structure (an official letter, a notice):
    one Akoma Ntoso ``paragraph`` per block of text between blank lines (per line when the body
    has no blank line), eids ``para_1``, ``para_2`` … — so every task and mention of such a
    document still lies in a provision. Spans in original offsets; texts whitespace-collapsed."""
    text = ct.text
    to_orig = ct.to_original
    seg = text[lo:hi]
    if _BLANK_ONLY.search(seg):
        pieces, gap = _BLANK_SPLIT.split(seg), 0      # blocks, with the blank lines between them
    else:
        pieces, gap = seg.split("\n"), 1              # lines (the "\n" after each not listed)
    out, pos, k = [], lo, 0
    for piece in pieces:
        a, pos = pos, pos + len(piece) + gap
        body = collapse_ws(piece)
        if not body:            # a blank-line separator, or a line of spaces
            continue
        a += len(piece) - len(piece.lstrip())
        b = a + len(piece.strip())
        k += 1
        span = _span(to_orig[a], to_orig[b - 1] + 1)
        out.append(_provision(f"para_{k}", "paragraph", str(k), "", span, body, ()))
    return out


_BLANK_SPLIT = re.compile(r"(\n[ \t]*\n)")
""":data:`_BLANK_ONLY` as a capturing split pattern (the separators stay in the list)."""


# ---------------------------------------------------------------------------------------------
# Metadata assembly
# ---------------------------------------------------------------------------------------------

_ENACT_SENTENCE = re.compile(
    r"(chủ tịch\s+)?(ủy ban nhân dân|ubnd|uỷ ban nhân dân)\s+(tỉnh|thành phố|tp\.?|huyện|quận|"
    r"thị xã|xã|phường)?[^.;:]{0,30}?\s+(?:ban\s+hành|xây\s+dựng|có\s+ý\s+kiến|chỉ\s+đạo|"
    r"yêu\s+cầu|quyết\s+định|phát\s+động|triển\s+khai|tổ\s+chức)")
"""The enacting sentence of a plan or letter: "Ủy ban nhân dân tỉnh ban hành Kế hoạch …",
"Chủ tịch UBND tỉnh có ý kiến chỉ đạo …", "UBND tỉnh phát động Đợt thi đua …"."""


def _enact_sentence(key: str, lo: int, hi: int) -> re.Match | None:
    """``_ENACT_SENTENCE.search(key, lo, hi)``, started where a match can first begin: every
    match holds "ủy ban nhân dân"/"ubnd", at the earliest where the first of them stands,
    preceded at most by "chủ tịch" and the spaces before it."""
    first = -1
    for word in ("ủy ban nhân dân", "ubnd", "uỷ ban nhân dân"):
        i = key.find(word, lo, hi)
        if i >= 0 and (first < 0 or i < first):
            first = i
    if first < 0:
        return None
    k = first
    while k > lo and key[k - 1].isspace():
        k -= 1
    return _ENACT_SENTENCE.search(key, max(lo, k - len("chủ tịch")), hi)


_ENACT_FORMULA = re.compile(
    r"(?:^|[;:.,]\s+|\n)[ \t|#>]*((?:(?!ban\s+hành)[^\s;:.,()\n][^;:.,()\n]{1,90}?))\s+ban\s+hành\s+("
    + "|".join(re.escape(fold_key(t)) for t in sorted(set(_HEADING_TYPES), key=len, reverse=True))
    + r")\b")


def _enacting_body(ct: CleanText, lo: int, hi: int) -> tuple[str, int, int] | None:
    """The body named in the promulgation formula ("Chính phủ ban hành Nghị định …", "Bộ
    trưởng Bộ Công Thương ban hành Thông tư …"; Nghị định 154/2020/NĐ-CP mẫu văn bản) when the
    header is missing: (name as printed, start, end) in clean offsets."""
    for m in _ENACT_FORMULA.finditer(ct.key, lo, hi):
        raw = ct.text[m.start(1):m.end(1)].strip()
        if not raw[:1].isupper():
            continue
        raw = re.sub(r"^(?:Theo đề nghị của .*|Xét .*)$", "", raw).strip()
        if raw and len(raw.split()) <= 14 and _head_of(_fk(raw)) is not None:
            return raw, m.start(1), m.start(1) + len(ct.text[m.start(1):m.end(1)].rstrip())
    return None


_CHAIR_OPINION = re.compile(
    r"(chủ tịch\s+)?(?:ủy ban nhân dân|ubnd)\s+(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)?"
    r"\s*(?:có\s+ý\s+kiến|chỉ\s+đạo|ban\s+hành)")


def _issuer_from_header(h: _Header, year: int | None) -> list[tuple[str, str]]:
    """[(canonical name, folded raw)] of the issuing bodies printed in the header."""
    segs = _header_bodies(h.issuer_raw)
    if not segs:
        return []
    folded = [_fk(s) for s in segs]
    heads = [_head_of(f) for f in folded]
    if len(segs) >= 2:
        last_head = heads[-1]
        same_rank = len({hd for hd in heads}) == 1
        party_parent = folded[-2] in ("ban chấp hành trung ương", "ban chấp hành trung ương đảng") \
            or folded[-2].startswith("đảng bộ ")
        if (not same_rank or party_parent) and last_head in _SUBORDINATE_HEADS:
            parent = org_name_case(segs[-2], year=year)
            child = org_name_case(segs[-1], year=year)
            name = _attach_parent(child, parent, last_head)
            return [(name, folded[-1])]
    return [(org_name_case(s, year=year), f) for s, f in zip(segs, folded, strict=True)]


def _attach_parent(child: str, parent: str, head: str) -> str:
    """Name a subordinate body with its parent's locality ("Sở Y tế" + "Ủy ban nhân dân tỉnh
    Đắk Nông" → "Sở Y tế tỉnh Đắk Nông"; "Văn phòng" → "Văn phòng Ủy ban nhân dân tỉnh …")."""
    pf = _fk(parent)
    if pf.startswith("ban chấp hành trung ương"):
        # Party central bodies: "Ban Tuyên giáo và Dân vận Trung ương", "Văn phòng Trung ương Đảng"
        if _fk(child) == "văn phòng":
            return "Văn phòng Trung ương Đảng"
        return child if _fk(child).endswith("trung ương") else f"{child} Trung ương"
    if head == "văn phòng" and _fk(child) == "văn phòng":
        return f"Văn phòng {parent}"
    if re.search(r"\b(tỉnh|thành phố|huyện|quận|thị xã)\b", _fk(child)):
        return child
    for head_f, _, _ in _GENERIC_HEADS:
        if pf.startswith(head_f + " "):
            loc = parent[len(head_f) + 1:]
            if head in ("tỉnh ủy", "thành ủy", "huyện ủy"):
                return f"{child} {re.sub(r'^(?:tỉnh|thành phố|huyện) ', '', loc)}"
            return f"{child} {loc}"
    return child


def _needs_locality(name: str) -> bool:
    f = _fk(name)
    return any(f == h for h, _, local in _GENERIC_HEADS if local)


def _locality_phrase(place: str | None, auth_name: str | None, year: int | None) -> str | None:
    """"tỉnh Lạng Sơn"/"thành phố Hà Nội" for a local body without a printed locality."""
    if auth_name:
        f = _fk(auth_name)
        for head_f, _, _ in _GENERIC_HEADS:
            if f.startswith(head_f + " "):
                loc = auth_name[len(head_f) + 1:]
                if re.search(r"\s\S", loc):      # "tỉnh X", not a bare "tỉnh"
                    return loc
    if place:
        pf = _fold_name(place)
        pf = re.sub(r"^(?:thành phố|tp\.?)\s*", "", pf)
        kind = _province_kind(pf, year)
        if kind:
            return _case_locality(kind[0], pf, year)
        return None
    return None


def _bare_marker(name: str | None) -> str | None:
    """"tỉnh"/"thành phố" when a generic body's name ends with a bare level word."""
    if not name:
        return None
    f = _fk(name)
    m = re.search(r"\s(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)$", f)
    return m.group(1) if m else None


@lru_cache(maxsize=8192)
def _norm_cmp(s: str | None) -> str:
    if not s:
        return ""
    return strip_accents(_fk(collapse_ws(str(s).translate(_DASHES)))).replace(" ", "")


def _portal_number(fields: dict[str, _Field], portal_title: str | None) -> str | None:
    if "number" in fields:
        return normalize_number(fields["number"].value)
    if portal_title:
        m = re.search(r"\d[\w./\-–Đđ&]*[/\-][\w./\-–Đđ&]+", portal_title)
        if m:
            return normalize_number(m.group(0))
    return None


_TITLE_LINE = re.compile(
    r"[ \t#>|]*(?:" + "|".join(re.escape(fold_key(t)) for t in sorted(set(_HEADING_TYPES), key=len, reverse=True))
    + r")[ \t]+(?:số[ \t]*:?[ \t]*)?(\d[^\s,;()]*(?:[ \t]*/[ \t]*[^\s,;()]+)?)")
"""A portal title on the first line: "Quyết định 2827/QĐ-UBND năm 2025 công bố …"."""


def _title_number(ct: CleanText, lo: int, hi: int) -> tuple[str, int, int] | None:
    """A number in parentheses in the first lines ("… năm 2012 (204/UBND-VX)"), or after the
    type that opens the first line (a portal title without its block: "Quyết định 2827/QĐ-UBND
    năm 2025 …", "Kế hoạch số 171/KH-UBND …")."""
    m = re.search(r"\((\d{1,6}[/\-][^\s()]{2,40})\)", ct.text[lo:hi])
    if m:
        num = normalize_number(m.group(1))
        if num:
            return num, lo + m.start(1), lo + m.end(1)
    first = _NONSPACE.search(ct.text, lo, hi)
    if first:
        ls = ct.text.rfind("\n", 0, first.start()) + 1
        m = _TITLE_LINE.match(ct.key, max(ls, lo), hi)
        if m:
            num = normalize_number(ct.text[m.start(1):m.end(1)])
            if num:
                return num, m.start(1), m.start(1) + len(ct.text[m.start(1):m.end(1)].rstrip(".-/"))
    return None


_SELF_NOTE = re.compile(
    r"^[ \t|#>]*\(\s*(?:được\s+)?(?:ban\s+hành\s+)?kèm\s+theo\s+("
    + "|".join(re.escape(fold_key(t)) for t in sorted(set(_HEADING_TYPES), key=len, reverse=True))
    + r")\s+(?:số\s*:?\s*)?(\d[^\s,;()]*(?:\s*/\s*[^\s,;()]+)?)",
    re.MULTILINE,
)
_SELF_NOTE_NL = _nl_form(_SELF_NOTE)


def _self_note(ct: CleanText, lo: int) -> tuple | None:
    """The note under an attached text that names this document: "(Ban hành kèm theo Quyết
    định số 2806/QĐ-UBND ngày 19 tháng 11 năm 2025 của …)" → (type, number, iso date or None,
    start, end, issuer) with issuer = (name as printed, start, end) or None. Used only when the
    header states no number (crawls that lost the header)."""
    m = next(_line_matches(_SELF_NOTE, _SELF_NOTE_NL, ct.key, lo), None)   # _SELF_NOTE.search(ct.key, lo)
    if not m:
        return None
    num = normalize_number(ct.text[m.start(2):m.end(2)])
    if not num:
        return None
    typ = _HEADING_INDEX.get(m.group(1))
    ds = find_dates(ct.text[m.end(2):m.end(2) + 60])
    iso = ds[0][2] if ds and ds[0][0] < 12 else None
    # "… của Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai)": the issuer, up to the closing parenthesis
    close = ct.text.find(")", m.end(2), m.end(2) + 250)
    issuer = None
    if close > 0:
        mi = re.search(r"\bcủa\s+([^()]+)$", ct.key[m.end(2):close])
        if mi:
            a = m.end(2) + mi.start(1)
            issuer = (collapse_ws(ct.text[a:close]), a, close)
    return typ or "", num, iso, m.start(2), m.end(2), issuer


_SELF_TYPE = re.compile(
    r"(?<![\w])("
    + "|".join(re.escape(t) for t in sorted(set(_HEADING_TYPES), key=len, reverse=True))
    + r")[ \t]+này(?![\w])")
"""A document naming itself: "Quyết định này có hiệu lực …", "Thông tư này quy định …" (the
type word capitalised, as texts write their own type; lower-case "các quy định này" is not)."""


_SELF_TYPE_BODY = re.compile(_SELF_TYPE.pattern.removeprefix(r"(?<![\w])"))
""":data:`_SELF_TYPE` without its opening look-behind: a pattern that starts with the type
words lets the engine skip to the positions where one of their first letters stands (with the
look-behind first it tried every position)."""
_WORD_CHAR = re.compile(r"\w")


def _self_type_matches(text: str, lo: int):
    """The matches of ``_SELF_TYPE.finditer(text, lo)``: :data:`_SELF_TYPE_BODY` searched, a
    match after a word character dropped and the search resumed one character after its start
    (where the engine would have gone on), else resumed at its end."""
    pos = lo
    search, word = _SELF_TYPE_BODY.search, _WORD_CHAR.match
    while True:
        m = search(text, pos)
        if m is None:
            return
        s = m.start()
        if s and word(text, s - 1):
            pos = s + 1
            continue
        yield m
        pos = m.end() if m.end() > s else s + 1


def _self_type(ct: CleanText, lo: int) -> tuple[str, int, int] | None:
    """The type a header-less text gives itself ("Quyết định này" …, Nghị định 30/2020/NĐ-CP
    mẫu văn bản: a text refers to itself as "<loại văn bản> này"): the type named so most
    often after ``lo``, at least twice (ties: the first named), with the clean span of its
    first mention; ``None`` otherwise."""
    counts: dict[str, list[int]] = {}
    for m in _self_type_matches(ct.text, lo):
        counts.setdefault(m.group(1), []).append(m.start(1))
    if not counts:
        return None
    best = max(counts, key=lambda t: (len(counts[t]), -counts[t][0]))
    if len(counts[best]) < 2:
        return None
    s = counts[best][0]
    return best, s, s + len(best)


def _effective(ct: CleanText, lo: int, hi: int, issued: str | None) -> tuple[str, int, int] | None:
    key = ct.key
    for m in re.finditer(r"có hiệu lực(?: thi hành)?(?: kể)? từ(?: ngày)?", key[lo:hi]):
        s = lo + m.end()
        tail = key[s:s + 60]
        if re.match(r"\s*(?:ngày\s+)?(?:ký|ban hành)", tail):
            if issued:
                return issued, lo + m.start(), s + len(re.match(r"\s*(?:ngày\s+)?(?:ký|ban hành)",
                                                               tail).group(0))
            return None
        ds = find_dates(ct.text[s:s + 60])
        if ds and ds[0][0] <= 8:
            return ds[0][2], lo + m.start(), s + ds[0][1]
    return None


def _metadata(ct: CleanText) -> tuple[Metadata, _Header, int, tuple[Provision, ...], list[int]]:
    text, key = ct.text, ct.key
    n = len(text)
    motto = _find_motto(ct, 0)
    limit = motto[0] if motto else min(n, 5000)
    fields, pfirst, plast = _parse_portal(ct, limit)
    floor = plast if pfirst >= 0 else 0
    # portal title: the line just before the block ("Kế hoạch 377/KH-UBND thực hiện …")
    portal_title = None
    portal_title_span = None
    if pfirst > 0:
        for ls, le in reversed(_lines_from(text, max(0, pfirst - 2000), pfirst)):
            if ls >= pfirst:
                continue
            t = _strip_line(text[ls:le])
            if not t:
                continue
            tk = _fk(t)
            if any(tk.startswith(_fk(nm) + " ") for nm in _HEADING_TYPES) and re.search(r"\d", t):
                portal_title = collapse_ws(t)
                portal_title_span = (ls + text[ls:le].find(t[:1]), ls + text[ls:le].find(t[:1]) + len(t))
                break
            if len(t) > 3:
                break
    h = _parse_header(ct, floor, motto)
    # ---- raw values
    header: dict = {}
    portal: dict = {k: v.value for k, v in fields.items()}
    if portal_title:
        portal["title"] = portal_title
    spans: dict = {}

    def span(a: int, b: int) -> Span:
        return ct.original_span(max(0, min(a, n)), max(0, min(max(a, b), n)))

    # ---- number
    number = h.number
    if number:
        header["number"] = number
        spans["document_number"] = span(*h.number_span)
    if h.number_ocr:
        header["number_as_read"] = h.number_ocr      # damaged by OCR; ``number`` is the repair
    p_number = _portal_number(fields, portal_title)
    if p_number:
        portal["number_normalized"] = p_number
    if not number and p_number:
        number = p_number
        if "number" in fields:
            f = fields["number"]
            spans["document_number"] = span(f.start, f.end)
    self_note = None
    if not number:
        sn = _self_note(ct, floor)
        if sn and (not h.heading or sn[0] == h.heading):
            self_note = sn
            number = sn[1]
            header["number_in_attachment_note"] = number
            spans["document_number"] = span(sn[3], sn[4])
    if not number:
        tn = _title_number(ct, floor, min(n, floor + 400))
        if tn:
            number = tn[0]
            header["number_in_title"] = number
            spans["document_number"] = span(tn[1], tn[2])
    # ---- type
    code, party = split_number(number) if number else (None, False)
    code_type = _type_of_code(code, party)
    doc_type = None
    if h.heading:
        header["type"] = h.heading
        doc_type = h.heading
        spans["document_type"] = span(*h.heading_span)
    if code == "VBHN":
        doc_type = code_type
    if code_type:
        header["type_from_code"] = code_type
    if not doc_type and code_type:
        doc_type = code_type
        if "document_number" in spans:
            spans["document_type"] = spans["document_number"]
    if not doc_type and number and code is None and re.match(r"^\d+[a-zA-Z]?/[A-Za-zĐđ]", number):
        doc_type = "Công văn"        # a number with an issuer code only (2734/VPCP-KGVX)
    if not doc_type and h.vv:
        doc_type = "Công văn"
    p_type = fields["type"].value.strip() if "type" in fields else None
    if not doc_type and p_type:
        doc_type = p_type
        spans["document_type"] = span(fields["type"].start, fields["type"].end)
    if not doc_type and portal_title:
        for nm in _HEADING_TYPES:
            if _fk(portal_title).startswith(_fk(nm) + " "):
                doc_type = nm
                break
    if not doc_type and not number and not h.heading:
        own = _self_type(ct, h.body_start)
        if own:
            doc_type = own[0]
            header["type_from_self_reference"] = own[0]
            spans["document_type"] = span(own[1], own[2])
    # ---- date
    date_issued = h.date
    year = int(date_issued[:4]) if date_issued else None
    if h.date:
        header["date_issued"] = h.date
        spans["date_issued"] = span(*h.date_span)
    p_date = None
    if "date_issued" in fields:
        ds = find_dates(fields["date_issued"].value)
        p_date = ds[0][2] if ds else None
        if p_date:
            portal["date_issued_iso"] = p_date
    if not date_issued and p_date:
        date_issued = p_date
        spans["date_issued"] = span(fields["date_issued"].start, fields["date_issued"].end)
    if not date_issued and self_note and self_note[2]:
        date_issued = self_note[2]
        header["date_in_attachment_note"] = date_issued
    if year is None and date_issued:
        year = int(date_issued[:4])
    if year is None and number:
        my = re.search(r"/(\d{4})/", number)
        year = int(my.group(1)) if my else None
    # ---- place
    place = h.place
    if place:
        header["place"] = place
        spans["place"] = span(*h.place_span)
    # ---- title
    title = h.title
    if title and _fk(title).strip(" .|*") in _TABLE_HEAD_WORDS:
        title = None  # a crawl that starts with a table: its first header cell is no title
    if title:
        header["title"] = title
        spans["title"] = span(*h.title_span)
    elif h.vv:
        title = re.sub(r"^(?i:v/v|về việc)\s*:?\s*", "", h.vv) or None
        header["title"] = h.vv
    elif portal_title and portal_title_span:
        # the portal's name line: "<Loại> <số> <trích yếu>" → the trích yếu
        title = re.sub(r"^\S+(?:\s+\S+)?\s+\d\S*\s+", "", portal_title, count=1) or None
        spans["title"] = span(*portal_title_span)
    if h.authority:
        header["authority"] = h.authority
    # ---- provisions (needed for opening_end and the signer zone)
    closings = _closing_positions(ct, h.body_start)
    provisions, first_prov = _build_provisions(ct, h.body_start, closings)
    # ---- issuer
    issuers = _issuer_from_header(h, year)
    if h.issuer_raw:
        header["issuer"] = collapse_ws(" ".join(_strip_line(x) for x in h.issuer_raw))
    names = [nm for nm, _ in issuers]
    auth_name = org_name_case(h.authority, year=year) if h.authority else None
    if auth_name:
        header["authority_name"] = auth_name
    if not names and auth_name:
        names = [re.sub(r"^(?:Chủ tịch|Bộ trưởng|Giám đốc|Chủ nhiệm|Thống đốc|Tổng cục trưởng|"
                        r"Cục trưởng|Trưởng ban) ", "", auth_name)]
        names = [nm[:1].upper() + nm[1:] for nm in names]
    # locality for a generic body printed without one ("ỦY BAN NHÂN DÂN |")
    fixed = []
    for nm in names:
        bare = _bare_marker(nm)
        if _needs_locality(nm) or bare:
            loc = _locality_phrase(place, auth_name, year)
            if loc and (not bare or _fk(loc).startswith(bare)):
                nm = f"{re.sub(r' (?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường)$', '', nm)} {loc}"
        fixed.append(nm)
    names = fixed
    # the chairman issues: authority line, enacting sentence, or signature without "TM."
    sign = None
    sign_lo = closings[0] if closings else max(h.body_start, n - 3000)
    sign = _find_signer(ct, sign_lo, min(n, sign_lo + 6000))
    if sign is None and not closings:
        sign = _find_signer(ct, max(h.body_start, n - 1500), n)
    chair = None
    if auth_name and _fk(auth_name).startswith("chủ tịch ủy ban nhân dân"):
        chair = True
    elif auth_name and _fk(auth_name).startswith("ủy ban nhân dân"):
        chair = False
    if chair is None:
        op_hi = first_prov if first_prov > 0 else min(n, h.body_start + 2500)
        m = _enact_sentence(key, h.body_start, max(h.body_start, op_hi))
        if m:
            chair = bool(m.group(1))
    if chair is None and sign is not None:
        block = _fk(sign[3])
        if re.search(r"\b(?:tm|t/m)\b", block):
            chair = False
        elif "chủ tịch" in block:
            chair = True
    if chair is None and closings:
        blk = _fk(text[closings[0]:closings[0] + 400])
        if re.search(r"(?:^|\n)[ \t|#>]*(?:tm\.|t/m)", blk):
            chair = False
        elif re.search(r"(?:^|\n)[ \t|#>]*(?:kt\. ?)?chủ tịch\b", blk) and "nơi nhận" not in blk[:3]:
            chair = True
    if chair and names and _fk(names[0]).startswith("ủy ban nhân dân"):
        names[0] = "Chủ tịch " + names[0]
        header["issued_by_chairman"] = True
    if not names:
        eb = _enacting_body(ct, h.body_start, first_prov if first_prov > 0 else min(n, h.body_start + 6000))
        if eb:
            names = [org_name_case(eb[0], year=year)]
            header["issuer_from_enacting_formula"] = eb[0]
            spans["issuer"] = span(eb[1], eb[2])
    if not names and not h.issuer_raw and not h.number and not h.heading:
        # no header at all (a letter quoted by its title): "Chủ tịch UBND tỉnh có ý kiến chỉ đạo"
        op = _CHAIR_OPINION.search(key, h.body_start, min(n, h.body_start + 1500))
        if op:
            loc = _locality_phrase(place, None, year)
            lvl = op.group(2) or ""
            base = "Ủy ban nhân dân" + (f" {loc}" if loc else (f" {lvl}" if lvl else ""))
            names = [("Chủ tịch " if op.group(1) else "") + base]
            spans["issuer"] = span(op.start(), op.end())
    if not names and self_note and self_note[5]:
        raw, a, b = self_note[5]
        names = [org_name_case(raw, year=year)]
        header["issuer_in_attachment_note"] = raw
        spans["issuer"] = span(a, b)
    p_issuer = fields["issuer"].value if "issuer" in fields else None
    if not names and p_issuer:
        names = [org_name_case(p_issuer, year=year)]
        spans["issuer"] = span(fields["issuer"].start, fields["issuer"].end)
    if h.issuer_span and "issuer" not in spans:
        a, b = h.issuer_span
        t = text[a:b]
        a2 = a + len(t) - len(t.lstrip(" \t\n|#>"))
        b2 = a + len(t.rstrip(" \t\n|-#>"))
        spans["issuer"] = span(a2, max(a2, b2))
    if not names and number:
        # last resort: the issuer codes of the document's own number (NĐ-CP → Chính phủ)
        names = _issuers_of_number(number, _locality_phrase(place, auth_name, year))
        if names:
            header["issuer_from_number"] = number
            if "document_number" in spans:
                spans["issuer"] = spans["document_number"]
    names = [_modern(x) for x in names if x]
    names = list(dict.fromkeys(names))
    if names:
        header["issuer_names"] = list(names)
    # ---- signer
    signer = None
    if sign:
        signer = collapse_ws(sign[0])
        header["signer"] = signer
        spans["signer"] = span(sign[1], sign[2])
    p_signer = fields["signer"].value.strip() if "signer" in fields else None
    if not signer and p_signer and _looks_like_name(collapse_ws(p_signer)):
        signer = collapse_ws(p_signer)
        spans["signer"] = span(fields["signer"].start, fields["signer"].end)
    if not signer and closings:
        merged = _merged_column_signer(ct, closings[0], min(n, closings[0] + 3000))
        if merged:
            signer = merged[0]
            header["signer_in_recipients_line"] = signer
            spans["signer"] = span(merged[1], merged[2])
    if signer:
        official = _registry_spelling(signer, names, date_issued)
        if official:
            header["signer_as_read"] = signer
            signer = official
    # ---- effective date
    eff = _effective(ct, h.body_start, closings[0] if closings else n, date_issued)
    date_effective = None
    if eff:
        date_effective = eff[0]
        header["date_effective"] = eff[0]
        spans["date_effective"] = span(eff[1], eff[2])
    elif "date_effective" in fields:
        ds = find_dates(fields["date_effective"].value)
        if ds:
            date_effective = ds[0][2]
            spans["date_effective"] = span(fields["date_effective"].start, fields["date_effective"].end)
    domain = fields["domain"].value.strip() if "domain" in fields else None
    if domain:
        spans["domain"] = span(fields["domain"].start, fields["domain"].end)
    # ---- locality
    locality = None
    if names:
        f0 = names[0]
        m = re.search(r"\b(?:tỉnh|thành phố|Thành phố|huyện|quận|thị xã|xã|phường|đặc khu) (.+)$", f0)
        if m and any(_fk(f0).startswith(hf) or _fk(f0).startswith("chủ tịch " + hf)
                     or _head_of(_fk(f0)) in _SUBORDINATE_HEADS for hf, _, _ in _GENERIC_HEADS):
            locality = m.group(1).strip()
            if _fk(locality) == "hồ chí minh":
                locality = "Thành phố Hồ Chí Minh"
    # ---- conflicts
    conflicts = []
    if h.number and p_number and _norm_cmp(h.number) != _norm_cmp(p_number):
        conflicts.append("document_number")
    if h.date and p_date and h.date != p_date:
        conflicts.append("date_issued")
    if doc_type and p_type and _norm_cmp(doc_type) != _norm_cmp(p_type):
        conflicts.append("document_type")
    if h.heading and code_type and _norm_cmp(h.heading) != _norm_cmp(code_type):
        conflicts.append("document_type_code")
    if sign and p_signer and _norm_cmp(sign[0]) != _norm_cmp(p_signer):
        conflicts.append("signer")
    if names and p_issuer:
        pi = _norm_cmp(re.sub(r"(?i)^(?:tỉnh|thành phố|ubnd)\s+", "", p_issuer))
        if not any(pi in _norm_cmp(x) for x in names):
            conflicts.append("issuer")
    if date_effective and "date_effective" in fields and eff:
        ds = find_dates(fields["date_effective"].value)
        if ds and ds[0][2] != eff[0]:
            conflicts.append("date_effective")
    md = Metadata(
        document_number=number,
        document_type=doc_type,
        type_code=_canon_code(code),
        issuer=tuple(names),
        date_issued=date_issued,
        date_effective=date_effective,
        place=place,
        signer=signer,
        domain=domain,
        title=title,
        locality=locality,
        portal=portal,
        header=header,
        conflicts=tuple(conflicts),
        spans=spans,
    )
    return md, h, first_prov, provisions, closings


def parse_document(source: SourceText, *, clean: CleanText | None = None) -> Document:
    """Parse ``source`` into a :class:`~graph.models.Document`.

    Input: a :class:`~graph.models.SourceText` (any text). ``clean`` may pass the
    :class:`~graph.models.CleanText` of ``source.text`` if the caller already has it.
    Output: ``Document`` with ``clean`` (= ``clean_text(source.text)``), ``metadata`` (see the
    module docstring for the sources and which one wins), ``provisions`` (forest of
    :class:`~graph.models.Provision`, spans in original-text offsets), ``title_span`` (original
    offsets) and ``opening_end`` (clean-text offset where the first body provision starts; the
    title and the "Căn cứ"/"Thực hiện" preamble lie before it; with no provision, the end of the
    opening paragraphs after the title).

    Never raises on text input: if a stage fails on odd text, the Document has empty metadata
    (the error named in ``metadata.header["parse_error"]``) and no provisions.
    """
    text = source.text if isinstance(source.text, str) else str(source.text or "")
    ct = clean if clean is not None and clean.original == text else clean_text(text)
    try:
        md, h, first_prov, provisions, _closings = _metadata(ct)
    except Exception as e:  # noqa: BLE001 - garbage in → an empty Document, never a crash
        # a bug on odd text must not lose the document; the reason stays visible
        return Document(source=source, clean=ct, provisions=(),
                        metadata=Metadata(header={"parse_error": f"{type(e).__name__}: {e}"}))
    n = len(ct.text)
    if first_prov >= 0:
        opening_end = first_prov
    else:
        opening_end = _opening_paragraphs_end(ct, h.body_start)
    title_span = md.spans.get("title")
    return Document(source=source, clean=ct, metadata=md, provisions=provisions,
                    title_span=title_span, opening_end=max(0, min(opening_end, n)))


def _opening_paragraphs_end(ct: CleanText, body_start: int) -> int:
    """End of the "Căn cứ"/"Thực hiện" paragraphs after the title (no provision found)."""
    text, key = ct.text, ct.key
    end = body_start
    for ls, le in _lines_from(text, body_start, min(len(text), body_start + 8000)):
        t = _fk(_strip_line(text[ls:le]))
        if not t:
            continue
        if re.match(r"(?:căn cứ|thực hiện|xét|theo đề nghị|theo đề xuất|triển khai)", t) or end == body_start:
            end = le
            continue
        break
    del key
    return end

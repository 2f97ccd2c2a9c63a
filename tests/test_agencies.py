"""Agency recognition, canonical names, registry and grouping (tables of real text fragments).

Fragments come from ``../shared/corpus`` documents (file named in each row). The corpus-level
check at the end is skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.agency_registry import load_agency_registry, locality_key
from graph.extract.agencies import (
    agency_info,
    canonical_agency,
    collective_members,
    extract_agencies,
    find_agencies,
    group_agencies,
    header_locality,
    make_context,
    match_key,
    modern,
)
from graph.ingest.text import clean_text, fold_key
from graph.models import Agency, AgencyMention, Span

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


def hits_of(text: str, locality: str | None = None, recipients: bool = False):
    reg = load_agency_registry()
    loc = reg.locality(locality) if locality else None
    ctx = make_context(text, fold_key(text), loc, reg)
    return find_agencies(ctx, recipients=recipients)


# ------------------------------------------------------------------------------------------
# registry
# ------------------------------------------------------------------------------------------


def test_registry_rows_have_sources_and_counts():
    reg = load_agency_registry()
    assert all(r.source for r in reg.agencies)
    assert all(x.source for x in reg.localities)
    pre = [x for x in reg.provinces if not x.valid_from and x.valid_to]
    post = [x for x in reg.provinces if x.valid_from == "2025-07-01"]
    assert len(pre) == 63
    assert len(post) == 34
    dn = reg.locality("Đắk Nông", "2024-06-13")
    assert dn is not None and dn.full_name == "tỉnh Đắk Nông" and dn.merged_into == "lam-dong-2025"
    parts = {x.name for x in reg.parts_of(dn)}
    assert parts == {"Gia Nghĩa", "Cư Jút", "Đắk Glong", "Đắk Mil", "Đắk R'lấp", "Đắk Song", "Krông Nô", "Tuy Đức"}


@pytest.mark.parametrize("name,on,full", [
    ("Đăk Nông", None, "tỉnh Đắk Nông"),
    ("tỉnh Đắk Lắk", "2025-12-01", "tỉnh Đắk Lắk"),
    ("Thành phố Hồ Chí Minh", None, "Thành phố Hồ Chí Minh"),
    ("Thừa Thiên Huế", None, "tỉnh Thừa Thiên Huế"),
    ("Cần Thơ", "2018-01-01", "thành phố Cần Thơ"),
    ("Đắk R'Lấp", None, "huyện Đắk R'lấp"),
])
def test_locality_lookup(name, on, full):
    loc = load_agency_registry().locality(name, on)
    assert loc is not None and loc.full_name == full


def test_locality_key_folds_variants():
    assert locality_key("Đăk R'lấp") == locality_key("Đắk R'Lấp") == "dak rlap"


# ------------------------------------------------------------------------------------------
# canonical names
# ------------------------------------------------------------------------------------------

CANONICAL = [
    # (surface, document locality, canonical) — sources in comments
    ("Sở Y tế", "Lạng Sơn", "Sở Y tế tỉnh Lạng Sơn"),
    ("UBND TP", "Cần Thơ", "Ủy ban nhân dân thành phố Cần Thơ"),  # 101 Nơi nhận
    ("Bộ LĐTBXH", None, "Bộ Lao động - Thương binh và Xã hội"),  # 015
    ("Bộ Lao động – Thương binh và Xã hội", None, "Bộ Lao động - Thương binh và Xã hội"),  # 030
    ("Bộ Lao động, Thương binh và Xã hội", None, "Bộ Lao động - Thương binh và Xã hội"),  # 035
    ("Sở LĐ-TB&XH", "Vĩnh Long", "Sở Lao động - Thương binh và Xã hội tỉnh Vĩnh Long"),
    ("Sở Nông nghiệp & Phát triển nông thôn", "Đắk Nông",
     "Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Nông"),  # 012
    ("Uỷ ban nhân dân tỉnh", "Sơn La", "Ủy ban nhân dân tỉnh Sơn La"),  # 018
    ("Văn phòng Uỷ ban nhân dân tỉnh", "Vĩnh Long", "Văn phòng Ủy ban nhân dân tỉnh Vĩnh Long"),
    ("Tỉnh ủy", "Lạng Sơn", "Tỉnh ủy Lạng Sơn"),  # 001
    ("TT. Thành ủy", "Cần Thơ", "Thường trực Thành ủy Cần Thơ"),  # 101
    ("Ban Thường vụ Tỉnh ủy", "Đắk Nông", "Ban Thường vụ Tỉnh ủy Đắk Nông"),  # 000
    ("TT HĐND tỉnh", "Bình Dương", "Thường trực Hội đồng nhân dân tỉnh Bình Dương"),  # 015
    ("Ủy ban MTTQVN tỉnh", "Hà Tĩnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Tĩnh"),  # 105
    ("UBMT TQ VN thành phố", "Cần Thơ", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ"),  # 109
    ("Công an Thành phố", "Hà Nội", "Công an thành phố Hà Nội"),  # 121
    ("Bộ Chỉ huy quân sự tỉnh", "Bắc Ninh", "Bộ Chỉ huy Quân sự tỉnh Bắc Ninh"),  # 118
    ("Sở Y tế Lâm Đồng", "Lâm Đồng", "Sở Y tế tỉnh Lâm Đồng"),  # 039
    ("UBND huyện Cư Jút", "Đắk Nông", "Ủy ban nhân dân huyện Cư Jút"),
    ("Báo và PTTH Đắk Lắk", "Đắk Lắk", "Báo và Phát thanh, Truyền hình Đắk Lắk"),  # 126
    ("Báo và Phát thanh Truyền hình Lai Châu", "Lai Châu", "Báo và Phát thanh, Truyền hình Lai Châu"),  # 122
    ("Đài Phát thanh - Truyền hình tỉnh", "Sơn La", "Đài Phát thanh - Truyền hình tỉnh Sơn La"),  # 016
    ("Ban Chấp hành Trung ương khóa XII", None, "Ban Chấp hành Trung ương Đảng khóa XII"),  # 101
    ("Đài Tiêng nói Việt Nam", None, "Đài Tiếng nói Việt Nam"),  # 104, OCR
    ("Hội Cựu chiến binh", None, "Hội Cựu chiến binh Việt Nam"),  # 115, national document
    ("Trung tâm Kiểm soát bệnh tật tỉnh", "Đắk Lắk", "Trung tâm Kiểm soát bệnh tật tỉnh Đắk Lắk"),  # 113
    ("Viện VSDT Tây Nguyên", "Đắk Lắk", "Viện Vệ sinh Dịch tễ Tây Nguyên"),  # 113
    ("Kiểm toán nhà nước khu vực II", "Nghệ An", "Kiểm toán nhà nước khu vực II"),  # 116
    ("Phó Thủ tướng Chính phủ Trần Hồng Hà", "Cần Thơ", "Phó Thủ tướng Chính phủ Trần Hồng Hà"),  # 101
]


@pytest.mark.parametrize("surface,locality,expected", CANONICAL)
def test_canonical_agency(surface, locality, expected):
    assert canonical_agency(surface, locality) == expected


def test_modern_tone_marks_keep_case():
    assert modern("UỶ BAN NHÂN DÂN tỉnh Thanh Hoá") == "ỦY BAN NHÂN DÂN tỉnh Thanh Hóa"
    assert len(match_key("Đăk Nông")) == len("Đăk Nông")


# ------------------------------------------------------------------------------------------
# recognition in running text
# ------------------------------------------------------------------------------------------

FIND = [
    # (text, locality, [(surface, name, collective)]) — real fragments
    ("Điều 3. Chánh Văn phòng UBND tỉnh; Giám đốc các sở: Y tế, Kế hoạch và Đầu tư, Tài chính; "
     "Chủ tịch UBND các huyện, thành phố chịu trách nhiệm thi hành Quyết định này.", "Sơn La",  # 016
     [("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh Sơn La", False),
      ("Y tế", "Sở Y tế tỉnh Sơn La", False),
      ("Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư tỉnh Sơn La", False),
      ("Tài chính", "Sở Tài chính tỉnh Sơn La", False),
      ("UBND các huyện, thành phố", "UBND các huyện, thành phố", True)]),
    ("đề nghị của các Sở Giáo dục và Đào tạo, Văn hóa và Thể thao, Nông nghiệp và PTNT,", "Bình Định",  # 010
     [("Sở Giáo dục và Đào tạo", "Sở Giáo dục và Đào tạo tỉnh Bình Định", False),
      ("Văn hóa và Thể thao", "Sở Văn hóa và Thể thao tỉnh Bình Định", False),
      ("Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bình Định", False)]),
    ("Các Sở, ban, ngành, đoàn thể cấp tỉnh và Ủy ban nhân dân các huyện, thành phố xây dựng kế hoạch",
     "Đắk Nông",  # 000
     [("Các Sở, ban, ngành, đoàn thể cấp tỉnh", "Các Sở, ban, ngành, đoàn thể cấp tỉnh", True),
      ("Ủy ban nhân dân các huyện, thành phố", "Ủy ban nhân dân các huyện, thành phố", True)]),
    ("- Các bộ, ngành liên quan và UBND các tỉnh/ thành\nphố.", None,  # 125, table cell
     [("Các bộ, ngành liên quan", "Các bộ, ngành liên quan", True),
      ("UBND các tỉnh/ thành phố", "UBND các tỉnh/ thành phố", True)]),
    ("Điều 3. Các Bộ trưởng, Thủ trưởng cơ quan ngang Bộ chịu trách nhiệm thi hành", None,  # 103
     [("Các Bộ", "Các Bộ", True), ("cơ quan ngang Bộ", "cơ quan ngang Bộ", True)]),
    ("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;", None, []),  # a body inside a law name
    ("phối hợp với các cơ sở y tế trực thuộc", "Cần Thơ",  # "cơ sở y tế" is not "Sở Y tế"
     [("các cơ sở y tế trực thuộc", "các cơ sở y tế trực thuộc", True)]),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None, []),
    ("Phòng An ninh chính trị nội bộ Công an tỉnh", "Sơn La",  # 117
     [("Phòng An ninh chính trị nội bộ", "Phòng An ninh chính trị nội bộ", False),
      ("Công an tỉnh", "Công an tỉnh Sơn La", False)]),
]


@pytest.mark.parametrize("text,locality,expected", FIND)
def test_find_agencies(text, locality, expected):
    got = [(h.surface, h.name, h.collective) for h in hits_of(text, locality)]
    assert got == expected


NOT_IN_NUMBERS = [
    # (text, locality, [(surface, name, collective)]) — codes inside a document number are its
    # issuer's, not agency mentions; the real mentions around them are still found
    ("Kế hoạch 377/KH-UBND thực hiện Chỉ thị số 28-CT/TW ngày 25/12/2023", "Đắk Nông", []),  # 000, offset 43
    ("Số hiệu 377/KH-UBND\nNgày ban hành 27/10/2024", "Đắk Nông", []),  # 000, offset 266
    ("Số: 377/KH-UBND\n\nĐắk Nông, ngày 27 tháng 10 năm 2024", "Đắk Nông", []),  # 000, offset 562
    ("Số: 2236/QCPH-LĐTBXH-GDĐT-YT-CA\n\nHà Nội, ngày 16 tháng 6 năm 2023", None, []),  # 032
    ("Chỉ thị số 28-CT/TW, ngày 25/12/2023 của Bộ Chính trị về tăng cường", "Đắk Nông",  # 000
     [("Bộ Chính trị", "Bộ Chính trị", False)]),
    ("Kế hoạch số 11/KH-UBND ngày 23/01/2020 của UBND tỉnh về thực hiện Chỉ thị số 02/CT-TTg", "Sơn La",  # 117
     [("UBND tỉnh", "Ủy ban nhân dân tỉnh Sơn La", False)]),
    ("Quyết định số 2566/QĐ-UBND ngày 08/12/2022 của UBND tỉnh và các nguồn kinh phí", "Sơn La",  # 117
     [("UBND tỉnh", "Ủy ban nhân dân tỉnh Sơn La", False)]),
    ("Kế hoạch số 55/KH-UBND ngày 10/4/2018 của UBND tỉnh Hậu Giang về Thực", "Cần Thơ",  # 101
     [("UBND tỉnh Hậu Giang", "Ủy ban nhân dân tỉnh Hậu Giang", False)]),
    ("753/QĐ- BKHCN ngày 29/4/2025; 3671/QĐ-BNNMT ngày 08/9/2025", None, []),  # bulk 0ae1f5a6ab384c74
]


@pytest.mark.parametrize("text,locality,expected", NOT_IN_NUMBERS)
def test_no_agency_inside_document_numbers(text, locality, expected):
    got = [(h.surface, h.name, h.collective) for h in hits_of(text, locality)]
    assert got == expected


def test_main_plan_number_is_not_a_mention():
    """The plan's own number "377/KH-UBND" (title line, portal block, "Số:" line) is not a
    mention of the People's Committee; its real mentions still are."""
    from graph.pipeline import extract_file

    path = Path(__file__).resolve().parents[1] / "data" / "documents" / \
        "000_daknong_377-kh-ubnd_2024_chi-thi-28_tre-em.txt"
    ex = extract_file(path)
    text = ex.document.text
    numbers = [i for i in range(len(text)) if text.startswith("377/KH-UBND", i)]
    assert len(numbers) >= 3
    ubnd = [a for a in ex.agencies if a.name == "Ủy ban nhân dân tỉnh Đắk Nông"]
    assert ubnd and ubnd[0].mentions
    for m in ubnd[0].mentions:
        assert not any(n <= m.span.start < n + len("377/KH-UBND") for n in numbers), m
    assert "Ủy ban nhân dân tỉnh" in ubnd[0].surfaces


@pytest.mark.parametrize("tail", ["\nNgười ký Tôn Thị Ngọc Hạnh", " Người ký Tôn Thị Ngọc Hạnh Lĩnh vực Văn hóa - Xã hội "
                                  "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG Số: 377/KH-UBND", ""])
def test_portal_issuer_field_covers_only_the_locality(tail):
    """"Cơ quan ban hành Tỉnh Đắk Nông" names the People's Committee; when a crawl lost its line
    breaks the mention must not run on into the signer and the header (it ran 869 characters)."""
    from graph.models import Document, Metadata, SourceText

    raw = "Loại văn bản Kế hoạch Cơ quan ban hành Tỉnh Đắk Nông" + tail + "\n\nCác Sở xây dựng kế hoạch"
    doc = Document(source=SourceText("t", raw), clean=clean_text(raw), metadata=Metadata(), provisions=())
    portal = [m for m in extract_agencies(doc) if m.span.start == raw.index("Tỉnh Đắk Nông")]
    assert len(portal) == 1
    assert portal[0].name == "Ủy ban nhân dân tỉnh Đắk Nông"
    assert raw[portal[0].span.start:portal[0].span.end] == "Tỉnh Đắk Nông" == portal[0].surface


def test_recipient_short_forms():
    text = ("Nơi nhận:\n- TT. Thành ủy, TT.HĐND TP;\n- CT, PCT UBND TP;\n- Sở: NN&MT, TC, VH,TT&DL, YT;\n"
            "- VP. UBND thành phố (2I, 3B);\n- Lưu: VT, CT.\n")  # 109/110
    doc_text = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\n\nSố: 1/KH-UBND\n\n" + text
    from graph.models import Document, Metadata, SourceText

    doc = Document(source=SourceText("t", doc_text), clean=clean_text(doc_text), metadata=Metadata(),
                   provisions=())
    names = {m.name for m in extract_agencies(doc)}
    for n in ("Thường trực Thành ủy Cần Thơ", "Thường trực Hội đồng nhân dân thành phố Cần Thơ",
              "Chủ tịch Ủy ban nhân dân thành phố Cần Thơ", "Sở Nông nghiệp và Môi trường thành phố Cần Thơ",
              "Sở Tài chính thành phố Cần Thơ", "Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ",
              "Sở Y tế thành phố Cần Thơ", "Văn phòng Ủy ban nhân dân thành phố Cần Thơ"):
        assert n in names, n


def test_header_locality_and_spans():
    raw = "**ỦY BAN NHÂN DÂN\n**TỈNH ĐẮK NÔNG\n\nSố: 377/KH-UBND\n\nCác Sở, ban, ngành xây dựng kế hoạch"
    c = clean_text(raw)
    loc = header_locality(c.text, c.key)
    assert loc is not None and loc.name == "Đắk Nông"
    from graph.models import Document, Metadata, SourceText

    doc = Document(source=SourceText("t", raw), clean=c, metadata=Metadata(), provisions=())
    ms = extract_agencies(doc)
    head = ms[0]
    assert head.name == "Ủy ban nhân dân tỉnh Đắk Nông"
    assert raw[head.span.start:head.span.end].startswith("ỦY BAN NHÂN DÂN")


def test_group_agencies_english_parent_members():
    ms = [
        AgencyMention("Sở Y tế", Span(0, 7), "Sở Y tế tỉnh Lạng Sơn"),
        AgencyMention("Sở Y tế", Span(50, 57), "Sở Y tế tỉnh Lạng Sơn"),
        AgencyMention("các sở, ban, ngành", Span(20, 38), "các sở, ban, ngành", collective=True),
    ]
    ags = group_agencies(ms)
    assert [a.name for a in ags] == ["Sở Y tế tỉnh Lạng Sơn", "các sở, ban, ngành"]
    sy = ags[0]
    assert isinstance(sy, Agency) and len(sy.mentions) == 2 and sy.surfaces == ["Sở Y tế"]
    assert sy.english == "Department of Health, Lang Son Province"
    assert sy.parent == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert ags[1].members == ["Sở Y tế tỉnh Lạng Sơn"]


def test_agency_info_and_members():
    assert agency_info("Bộ Y tế")["english"] == "Ministry of Health"
    assert agency_info("Bộ Y tế")["parent"] == "Chính phủ"
    assert agency_info("Tỉnh ủy Lạng Sơn")["parent"] == "Ban Chấp hành Trung ương Đảng"
    assert agency_info("nothing known") == {}
    specific = [Agency("Ủy ban nhân dân huyện Cư Jút"), Agency("Sở Y tế tỉnh Đắk Nông")]
    assert collective_members("Ủy ban nhân dân các huyện, thành phố", specific) == ["Ủy ban nhân dân huyện Cư Jút"]


# ------------------------------------------------------------------------------------------
# mention spans hold exactly their surface (real fragments; the scan once took a trailing full
# stop, ", " or "thuộc " into the span, and the dropped "trưởng" of "Các Bộ trưởng")
# ------------------------------------------------------------------------------------------

_SPAN_PUNCT = " \t\n,.;:"


def mentions_of(text: str):
    from graph.models import SourceText
    from graph.pipeline import extract

    ex = extract(SourceText(path="fragment.txt", text=text))
    return ex.document.text, [m for a in ex.agencies for m in a.mentions]


SPANS = [
    # (source, fragment, surface whose span must hold exactly that surface)
    ("115_bcdqg1237", "- Ban Chỉ đạo quốc gia.", "Ban Chỉ đạo quốc gia"),
    ("125_ttg_2530", "- Triển khai các hoạt động của Ban Chỉ đạo quốc\ngia về khắc phục ô nhiễm không khí.",
     "Ban Chỉ đạo quốc gia về khắc phục ô nhiễm không khí"),
    ("117_sonla", "gửi về UBND tỉnh (qua Phòng An ninh chính trị nội bộ, Công an tỉnh) trước ngày 28/2/2023;",
     "Phòng An ninh chính trị nội bộ"),
    ("115_bcdqg1237", "báo cáo về Ban Chỉ đạo quốc gia 1237 (qua Văn phòng Ban Chỉ đạo (Cục Chính sách, Tổng cục "
     "Chính trị - Bộ Quốc phòng) để xem xét, giải quyết./.", "Cục Chính sách"),
    ("116_nghean", "Tư pháp, Sở Khoa học và Công nghệ, Bộ Chỉ huy Quân sự tỉnh, Phòng Hành chính,\n"
     "Lưu trữ thuộc Văn phòng Tỉnh ủy, Phòng Nội chính thuộc Văn phòng UBND tỉnh và\n"
     "Phòng An ninh chính trị nội bộ Công an tỉnh;", "Phòng Nội chính"),
    ("101_cantho", "2023 của Bộ trưởng Bộ Y tế hướng dẫn chức năng, nhiệm vụ và quyền hạn của Chi cục\n"
     "Dân số thuộc Sở Y tế;", "Chi cục Dân số"),
    ("103_ttg", "Điều 3. Các Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, Thủ trưởng cơ quan trực thuộc Chính phủ "
     "chịu trách nhiệm thi hành Quyết định này./.", "Các Bộ"),
]


@pytest.mark.parametrize("source,text,surface", SPANS, ids=[f"{r[0]}-{r[2]}" for r in SPANS])
def test_mention_span_holds_exactly_its_surface(source, text, surface):
    doc_text, ms = mentions_of(text)
    found = [m for m in ms if m.surface == surface]
    assert found, [m.surface for m in ms]
    for m in ms:
        got = doc_text[m.span.start:m.span.end]
        assert " ".join(got.split()) == " ".join(m.surface.split()), (got, m.surface)
        assert got == got.strip(_SPAN_PUNCT)


def test_ministers_are_not_read_as_ministries_with_their_title():
    """103_ttg / 104_ttg: "Các Bộ trưởng" are people; the span never takes in "trưởng" and no
    agency is named "Các Bộ trưởng". The body they stand for ("Các Bộ") is what the annotation
    (``../shared/corpus/expected/103_*.json``: agency "Các Bộ", "thi hành Quyết định này") and
    the module's title rule (titles stand for their body) record."""
    text = ("Điều 3. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch "
            "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương chịu trách nhiệm thi hành Quyết định này.")
    doc_text, ms = mentions_of(text)
    assert not [m for m in ms if "trưởng" in fold_key(m.surface) or "trưởng" in fold_key(m.name)]
    assert not [m for m in ms if "trưởng" in fold_key(doc_text[m.span.start:m.span.end])]


NO_BODY_FROM_TITLE = [
    # (source, fragment): a head followed by "trưởng"/"phó" is a person's title, not a body
    ("bulk fc5c… customs notice, signature", "TL.\nCỤC TRƯỞNG\nKT. TRƯỞNG BAN NGHIỆP VỤ THUẾ\nHQ\n"
     "PHÓ TRƯỞNG BAN\nĐào Thu Hương"),
    ("constructed after 103_ttg Điều 3", "Điều 3. Các Cục trưởng, Vụ trưởng chịu trách nhiệm thi hành "
     "Quyết định này./."),
]


@pytest.mark.parametrize("source,text", NO_BODY_FROM_TITLE, ids=[r[0] for r in NO_BODY_FROM_TITLE])
def test_no_body_is_read_from_a_title(source, text):
    assert mentions_of(text)[1] == []


@pytest.mark.skipif(not (CORPUS / "documents").exists(), reason="../shared/corpus/documents is absent")
def test_every_corpus_mention_span_is_trimmed_and_holds_its_surface():
    """Property over the whole corpus: ``text[span]`` has no leading/trailing whitespace or
    ``,.;:`` and, markup (``|``, ``*``) and whitespace aside, equals the mention's surface."""
    import re

    from graph.ingest.parse import parse_document
    from graph.models import SourceText

    bad = []
    for f in sorted((CORPUS / "documents").glob("*.txt")):
        doc = parse_document(SourceText(str(f), f.read_text(encoding="utf-8")))
        for m in extract_agencies(doc):
            got = doc.text[m.span.start:m.span.end]
            if not got or got != got.strip(_SPAN_PUNCT) or \
                    " ".join(re.sub(r"[*|]", " ", got).split()) != " ".join(m.surface.split()):
                bad.append((f.name[:4], got, m.surface))
    assert not bad, bad[:20]


# ------------------------------------------------------------------------------------------
# corpus (regression guard against ../shared/corpus; skipped when absent)
# ------------------------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
def test_corpus_agencies_f1():
    from graph.ingest.parse import parse_document
    from graph.ingest.text import collapse_ws
    from graph.models import SourceText

    def norm(s):
        s = collapse_ws(s)
        for a, b in (("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân")):
            s = s.replace(a, b)
        import re

        return fold_key(re.sub(r"\s*[–—-]\s*", " - ", s))

    tp = npred = ngold = 0
    for f in sorted((CORPUS / "documents").glob("*.txt")):
        exp = json.loads((CORPUS / "expected" / (f.stem + ".json")).read_text(encoding="utf-8"))
        doc = parse_document(SourceText(str(f), f.read_text(encoding="utf-8")))
        pred = {norm(a.name) for a in group_agencies(extract_agencies(doc)) if not a.collective}
        gold = {norm(a["name"]) for a in exp["agencies"]}
        tp, npred, ngold = tp + len(pred & gold), npred + len(pred), ngold + len(gold)
    p, r = tp / npred, tp / ngold
    assert 2 * p * r / (p + r) >= 0.94

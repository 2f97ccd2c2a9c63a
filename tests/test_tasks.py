"""Tasks, roles, deadlines and reporting duties (tables of real text fragments).

Each fragment is a short document built from real text of ``../shared/corpus`` (file named in
the row) and parsed with :func:`graph.ingest.parse.parse_document`. The corpus-level check at
the end is skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.extract.agencies import extract_agencies
from graph.extract.tasks import extract_tasks, parse_timing
from graph.ingest.parse import parse_document
from graph.models import SourceText

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"

HEADER_CT = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
             "Độc lập - Tự do - Hạnh phúc\n\nSố: 165/KH-UBND\n\nCần Thơ, ngày 21 tháng 11 năm 2025\n\n"
             "KẾ HOẠCH\n\nTHỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG\n\n")
HEADER_SL = ("ỦY BAN NHÂN DÂN\nTỈNH SƠN LA\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
             "Số: 3605/QĐ-UBND\n\nSơn La, ngày 30 tháng 12 năm 2014\n\nQUYẾT ĐỊNH\n\nVỀ VIỆC BAN HÀNH KẾ HOẠCH\n\n"
             "ỦY BAN NHÂN DÂN TỈNH SƠN LA\n\n")
HEADER_TTG = ("THỦ TƯỚNG CHÍNH PHỦ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
              "Số: 2530/QĐ-TTg\n\nHà Nội, ngày 19 tháng 11 năm 2025\n\nQUYẾT ĐỊNH\n\nPHÊ DUYỆT KẾ HOẠCH\n\n")


def assignments(text: str) -> set[tuple[str, str, str]]:
    """(agency, role, task summary) of every assignment."""
    doc = parse_document(SourceText("t.txt", text))
    tasks = extract_tasks(doc, extract_agencies(doc))
    return {(a.agency, a.role, t.summary) for t in tasks for a in t.assignments}


def missing(expected, got) -> list:
    """Expected (agency, role, task start) triples that no assignment matches."""
    return sorted(e for e in expected
                  if not any(g[0] == e[0] and g[1] == e[1] and g[2].startswith(e[2]) for g in got))


CASES = [
    (  # agency-headed block, "chủ trì, phối hợp với …", "Phối hợp với …" (101)
        HEADER_CT + "II. NỘI DUNG THỰC HIỆN\n\n1. Sở Y tế\n\na) Chủ trì, phối hợp với sở,\nban, ngành, Ủy ban nhân "
        "dân xã, phường tăng cường kiểm tra, đôn đốc việc thực hiện hiệu quả chủ trương, chính sách, pháp luật về "
        "công tác dân số;\n\nb) Phối hợp với Sở Tư pháp và\ncác cơ quan liên quan tổ chức phổ biến các chủ trương, "
        "chính sách về công tác dân số.\n\n2. Sở Giáo\ndục và Đào tạo\n\nCăn cứ chức năng nhiệm vụ, chỉ\nđạo các cơ "
        "sở giáo dục phổ thông lồng ghép nội dung giáo dục dân số.\n",
        {("Sở Y tế thành phố Cần Thơ", "lead", "tăng cường kiểm tra, đôn đốc việc"),
         ("sở, ban, ngành", "coordinate", "tăng cường kiểm tra, đôn đốc việc"),
         ("Ủy ban nhân dân xã, phường", "coordinate", "tăng cường kiểm tra, đôn đốc việc"),
         ("Sở Y tế thành phố Cần Thơ", "responsible", "tổ chức phổ biến các chủ"),
         ("Sở Tư pháp thành phố Cần Thơ", "coordinate", "tổ chức phổ biến các chủ"),
         ("các cơ quan liên quan", "coordinate", "tổ chức phổ biến các chủ"),
         ("Sở Giáo dục và Đào tạo thành phố Cần Thơ", "responsible", "chỉ đạo các cơ sở giáo")},
    ),
    (  # decision articles: "Giao … chủ trì, phối hợp" and "… chịu trách nhiệm thi hành" (016)
        HEADER_SL + "QUYẾT ĐỊNH:\n\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n\nĐiều 2. Giao Sở Y tế chủ "
        "trì, phối hợp với các sở, ban, ngành liên quan, UBND các huyện, thành phố tổ chức triển khai thực hiện Kế "
        "hoạch.\n\nĐiều 3. Chánh Văn phòng UBND tỉnh; Giám đốc các sở: Y tế, Tài chính; Chủ tịch UBND các huyện, "
        "thành phố chịu trách nhiệm thi hành Quyết định này./.\n",
        {("Sở Y tế tỉnh Sơn La", "lead", "tổ chức triển khai thực hiện Kế"),
         ("các sở, ban, ngành liên quan", "coordinate", "tổ chức triển khai thực hiện Kế"),
         ("UBND các huyện, thành phố", "coordinate", "tổ chức triển khai thực hiện Kế"),
         ("Văn phòng Ủy ban nhân dân tỉnh Sơn La", "responsible", "thi hành Quyết định này"),
         ("Sở Y tế tỉnh Sơn La", "responsible", "thi hành Quyết định này"),
         ("Sở Tài chính tỉnh Sơn La", "responsible", "thi hành Quyết định này"),
         ("UBND các huyện, thành phố", "responsible", "thi hành Quyết định này")},
    ),
    (  # "Nhiệm vụ" bullets + "Cơ quan thực hiện: Đơn vị chủ trì / phối hợp" (121)
        HEADER_CT + "II. NHIỆM VỤ\n\n1. Về dữ liệu\n\na) Nhiệm vụ:\n\n- Triển khai rà soát,\nhoàn thiện, chuẩn hóa cơ "
        "sở dữ liệu của đơn vị.\n\nb) Cơ quan thực hiện:\n\n- Đơn vị chủ trì: Các Sở, ban,\nngành.\n\n- Đơn vị phối "
        "hợp: Sở Khoa học\nvà Công nghệ, UBND xã, phường.\n\nc) Thời gian thực hiện: Hoàn\nthành trong năm 2025.\n",
        {("Các Sở, ban, ngành", "lead", "Triển khai rà soát, hoàn thiện,"),
         ("Sở Khoa học và Công nghệ thành phố Cần Thơ", "coordinate", "Triển khai rà soát, hoàn thiện,"),
         ("UBND xã, phường", "coordinate", "Triển khai rà soát, hoàn thiện,")},
    ),
    (  # responsibility lines embedded after a bullet (118)
        HEADER_CT + "III. NHIỆM VỤ, GIẢI PHÁP\n\n1. Rà soát,\nkiện toàn đội ngũ\n\n- Thường xuyên rà soát, kiện\ntoàn "
        "đội ngũ cán bộ, công chức xây dựng chính sách.\n\n*Đơn vị chủ trì thực hiện: *Các\nSở, ngành, đơn vị, UBND "
        "cấp xã.\n\n*Đơn vị phối hợp: *Sở Nội\nvụ, Sở Tư pháp.\n\n*Thời gian thực hiện: *Thường\nxuyên.\n",
        {("Các Sở, ngành, đơn vị", "lead", "Thường xuyên rà soát, kiện toàn"),
         ("UBND cấp xã", "lead", "Thường xuyên rà soát, kiện toàn"),
         ("Sở Nội vụ thành phố Cần Thơ", "coordinate", "Thường xuyên rà soát, kiện toàn"),
         ("Sở Tư pháp thành phố Cần Thơ", "coordinate", "Thường xuyên rà soát, kiện toàn")},
    ),
    (  # closing sentence with a leading clause and a chained reporting body (101)
        HEADER_CT + "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở, ban, ngành thành phố\nvà Ủy ban nhân dân xã, phường\n\nCăn cứ "
        "chức năng, nhiệm vụ, quyền\nhạn được giao tổ chức triển khai thực hiện Kế hoạch theo quy định.\n\nTrong quá "
        "trình tổ chức\nthực hiện nếu có khó khăn, vướng mắc, các cơ quan, đơn vị và địa phương\nphản ánh về Sở Y tế "
        "tổng hợp, báo cáo, tham mưu trình Ủy ban nhân dân thành phố xem\nxét, chỉ đạo kịp thời./.\n",
        {("Sở, ban, ngành thành phố", "responsible", "tổ chức triển khai thực hiện Kế"),
         ("Ủy ban nhân dân xã, phường", "responsible", "tổ chức triển khai thực hiện Kế"),
         ("các cơ quan, đơn vị và địa phương", "responsible", "phản ánh về Sở Y tế"),
         ("Sở Y tế thành phố Cần Thơ", "responsible", "tổng hợp, báo cáo, tham mưu")},
    ),
    (  # task table in the crawled form: one cell per line, continuation rows without merged cells (125)
        HEADER_TTG + "QUYẾT ĐỊNH:\n\nĐiều 1. Phê duyệt Kế hoạch.\n\nNơi nhận:\n- Lưu: VT, NN.\n|\n**KT. THỦ TƯỚNG**\n"
        "**PHÓ THỦ TƯỚNG**\n**Trần Hồng Hà**\n|\n**PHỤ LỤC I**\nBẢNG PHÂN CÔNG\n|\n**STT**\n|\n**Cơ quan chủ trì**\n|\n**Cơ quan phối hợp**\n|\n**Nội dung nhiệm\n"
        "vụ**\n|\n**Thời hạn hoàn thành**\n|\n|\n1\n|\nBộ Nông nghiệp và Môi trường\n|\n- Bộ Khoa học và Công nghệ;\n"
        "- Các bộ, ngành liên quan và UBND các tỉnh/ thành\nphố.\n|\n- Hoàn thiện Nghị định về xử lý vi phạm hành\n"
        "chính trong lĩnh vực bảo vệ môi trường.\n|\nBan hành trong quý I năm 2026.\n|\n|\n- Rà soát, cập nhật các "
        "hướng dẫn kỹ thuật về hệ\nsố phát thải và kiểm kê khí thải.\n|\nGiai đoạn 2026 - 2027.\n|\n|\n",
        {("Bộ Nông nghiệp và Môi trường", "lead", "Hoàn thiện Nghị định về xử"),
         ("Bộ Khoa học và Công nghệ", "coordinate", "Hoàn thiện Nghị định về xử"),
         ("Các bộ, ngành liên quan", "coordinate", "Hoàn thiện Nghị định về xử"),
         ("UBND các tỉnh/ thành phố", "coordinate", "Hoàn thiện Nghị định về xử"),
         ("Bộ Nông nghiệp và Môi trường", "lead", "Rà soát, cập nhật các hướng"),
         ("Bộ Khoa học và Công nghệ", "coordinate", "Rà soát, cập nhật các hướng"),
         ("Các bộ, ngành liên quan", "coordinate", "Rà soát, cập nhật các hướng"),
         ("UBND các tỉnh/ thành phố", "coordinate", "Rà soát, cập nhật các hướng")},
    ),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_assignments(text, expected):
    got = assignments(text)
    assert not missing(expected, got), (missing(expected, got), sorted(got))


TIMING = [
    # (text, deadline, frequency) — real phrases
    ("Định kỳ hằng năm (trước ngày 15 tháng 12) báo cáo kết quả", "--12-15", "P1Y"),  # 107
    ("gửi về UBND tỉnh trước ngày 28/2/2023", "2023-02-28", None),  # 117
    ("định kỳ 6 tháng, hằng năm báo cáo", None, "P6M"),
    ("Ban hành trong quý I năm 2026. Thực hiện rà soát", "2026-Q1", None),  # 125
    ("Quý IV/2025 và các năm tiếp theo", "2025-Q4", None),
    ("Thời gian thực hiện: Tháng 11, 12/2013 và bổ sung", "2013-12", None),  # 115
    ("Hoàn thành trong năm 2025.", "2025", None),  # 121
    ("Thực hiện thường xuyên, liên tục", None, None),
    # frequencies behind the word prefilters of parse_timing (bulk corpus)
    ("kịp thời báo cáo Thủ tướng Chính phủ vào 15:00 ngày Chủ nhật hàng tuần để kịp thời chỉ đạo", None, "P1W"),
    ("phê duyệt, triển khai kế hoạch hằng quý thực hiện chương trình, dự án", None, "P3M"),
    ("ra Quyết định hỗ trợ trợ cấp xã hội hằng tháng cho đối tượng", None, "P1M"),
    ("lồng ghép vào hoạt động thường niên của các", None, "P1Y"),
    ("thực hiện đổi mật khẩu tối thiểu 06 tháng một lần hoặc ngay sau khi", None, "P6M"),
]


@pytest.mark.parametrize("text,deadline,frequency", TIMING)
def test_parse_timing(text, deadline, frequency):
    d, _dt, f = parse_timing(text)
    assert (d, f) == (deadline, frequency)


def test_task_fields_deadline_report_and_spans():
    text = (HEADER_SL + "IV. TỔ CHỨC THỰC HIỆN\n\n1. Các sở, ban, ngành trực thuộc UBND tỉnh; UBND các huyện, thành "
            "phố xây dựng Kế hoạch thực hiện công tác bảo vệ BMNN và gửi về UBND tỉnh trước ngày 28/2/2023; báo cáo "
            "kết quả thực hiện về UBND tỉnh định kỳ 6 tháng.\n")
    doc = parse_document(SourceText("t.txt", text))
    tasks = extract_tasks(doc, None)
    assert tasks, "no task found"
    t = tasks[0]
    assert t.deadline == "2023-02-28" and t.frequency == "P6M"
    assert t.report_to == "Ủy ban nhân dân tỉnh Sơn La"
    assert t.provision and t.id == "t1"
    assert text[t.span.start:t.span.end].startswith("xây dựng Kế hoạch")
    a = t.assignments[0]
    assert text[a.span.start:a.span.end] == a.agency
    assert len(t.summary.split()) <= 12


def test_no_tasks_without_a_responsible_body():
    text = HEADER_SL + "I. MỤC ĐÍCH\n\n1. Nâng cao nhận thức cho cán bộ, đảng viên về công tác bảo vệ bí mật.\n"
    doc = parse_document(SourceText("t.txt", text))
    assert extract_tasks(doc, None) == []


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
def test_corpus_assignments_f1():
    """Regression guard on the hand-annotated corpus, scored like ``bench/evaluate.py``."""
    from graph.ingest.text import collapse_ws, fold_key, strip_accents

    def agency_norm(s):
        import re

        s = collapse_ws(s)
        for a, b in (("Uỷ", "Ủy"), ("uỷ", "ủy"), ("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân")):
            s = s.replace(a, b)
        return fold_key(re.sub(r"\s*[–—-]\s*", " - ", s))

    def toks(s):
        return strip_accents(fold_key(collapse_ws(s or ""))).split()

    tp = npred = ngold = 0
    for f in sorted((CORPUS / "documents").glob("1*.txt")):
        exp = json.loads((CORPUS / "expected" / (f.stem + ".json")).read_text(encoding="utf-8"))["assignments"]
        doc = parse_document(SourceText(str(f), f.read_text(encoding="utf-8")))
        got = [{"agency": a.agency, "role": a.role, "task": t.summary} for t in extract_tasks(doc, None)
               for a in t.assignments]
        used = set()
        for e in exp:
            et = toks(e["task"])
            for j, x in enumerate(got):
                if j in used or agency_norm(e["agency"]) != agency_norm(x["agency"]) or e["role"] != x["role"]:
                    continue
                xt = toks(x["task"])
                common = sum(1 for a, b in zip(et, xt, strict=False) if a == b)
                if et and max(common, len(set(et) & set(xt))) / len(et) >= 0.6:
                    used.add(j)
                    tp += 1
                    break
        npred += len(got)
        ngold += len(exp)
    p, r = tp / npred, tp / ngold
    assert 2 * p * r / (p + r) >= 0.80


@pytest.mark.parametrize("text, summary", [
    # corpus 016 (Sơn La 3605/QĐ-UBND), Điều 3: the end-of-text mark "./." is not part of the task
    ("chịu trách nhiệm thi hành Quyết định này./.", "chịu trách nhiệm thi hành Quyết định này"),
    # corpus 103 (773/QĐ-TTg), the same close without the last dot
    ("chịu trách nhiệm thi hành Quyết định này./", "chịu trách nhiệm thi hành Quyết định này"),
    ("nghiêm túc triển khai thực hiện./.", "nghiêm túc triển khai thực hiện"),
    ("xây dựng kế hoạch về công tác chăm sóc, giáo dục và bảo vệ trẻ em trên địa bàn",
     "xây dựng kế hoạch về công tác chăm sóc, giáo dục và"),  # 12 words (ANNOTATION.md: 8–12)
    ("cấp phép cho 12/2024/TT-BYT.", "cấp phép cho 12/2024/TT-BYT"),
])
def test_task_summary(text, summary):
    from graph.extract.tasks import _summary

    assert _summary(text) == summary

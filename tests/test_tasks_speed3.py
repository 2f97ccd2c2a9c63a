"""Speed paths of :mod:`graph.extract.tasks` (third pass) give the answers of the definitions they
replace, and the task extractor leaves no cyclic garbage.

Fragments are real text of ``../shared/corpus`` (file named in the row); the corpus-level
comparisons are skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import gc

from graph.extract.agencies import extract_agencies
from graph.extract.tasks import extract_tasks
from graph.ingest.parse import parse_document
from graph.models import SourceText

HEADER_CT = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
             "Độc lập - Tự do - Hạnh phúc\n\nSố: 165/KH-UBND\n\nCần Thơ, ngày 21 tháng 11 năm 2025\n\n"
             "KẾ HOẠCH\n\nTHỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG\n\n")

NESTED = (  # agency-headed blocks with points, responsibility lines (corpus documents 101, 121)
    HEADER_CT + "II. NỘI DUNG THỰC HIỆN\n\n1. Sở Y tế\n\na) Chủ trì, phối hợp với sở,\nban, ngành, Ủy ban nhân "
    "dân xã, phường tăng cường kiểm tra, đôn đốc việc thực hiện hiệu quả chủ trương, chính sách, pháp luật về "
    "công tác dân số;\n\nb) Phối hợp với Sở Tư pháp và\ncác cơ quan liên quan tổ chức phổ biến các chủ trương, "
    "chính sách về công tác dân số.\n\n2. Về dữ liệu\n\na) Nhiệm vụ:\n\n- Triển khai rà soát,\nhoàn thiện, chuẩn "
    "hóa cơ sở dữ liệu của đơn vị.\n\nb) Cơ quan thực hiện:\n\n- Đơn vị chủ trì: Các Sở, ban,\nngành.\n\n- Đơn vị "
    "phối hợp: Sở Khoa học\nvà Công nghệ, UBND xã, phường.\n\nc) Thời gian thực hiện: Hoàn\nthành trong năm 2025.\n")


def test_extract_tasks_leaves_no_cyclic_garbage():
    """The provision tree of the extractor has no parent links: reference counting frees all of it
    (the cyclic collector found 14k tree nodes per pass over the bulk corpus before)."""
    doc = parse_document(SourceText("t.txt", NESTED))
    agencies = extract_agencies(doc)
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        tasks = extract_tasks(doc, agencies)
        assert tasks and any(t.provision and "__" in t.provision for t in tasks)  # nested provisions read
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()

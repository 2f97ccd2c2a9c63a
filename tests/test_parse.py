"""parse_document: metadata from the portal block and the formal header, the provision tree.

Every fragment below is copied from a real document (file named in the comment: corpus =
../shared/corpus/documents, bulk = ../shared/corpus/bulk/documents); some are cut short.
Tests that read the shared corpus skip when it is absent; the main plan is in data/documents.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.ingest.parse import normalize_number, org_name_case, parse_document, split_number
from graph.ingest.text import clean_text, collapse_ws, fold_key
from graph.models import SourceText

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
MAIN_DOC = ROOT / "data" / "documents" / "000_daknong_377-kh-ubnd_2024_chi-thi-28_tre-em.txt"


def parse(text: str, path: str = "x.txt"):
    return parse_document(SourceText(path=path, text=text))


def need_corpus() -> Path:
    if not (CORPUS / "documents").is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


# ---------------------------------------------------------------------------------------------
# Header variants (real fragments) → metadata
# ---------------------------------------------------------------------------------------------

H000 = (  # corpus 000: portal block + formal header
    "Chủ nhật, Ngày 27/10/2024\n\nKế hoạch 377/KH-UBND thực hiện Chương trình số 76-CTr/TU thực "
    "hiện Chỉ thị 28-CT/TW tăng cường công tác chăm sóc, giáo dục và bảo vệ trẻ em đáp ứng yêu cầu "
    "phát triển đất nước phồn vinh, hạnh phúc do tỉnh Đắk Nông ban hành\n\nSố hiệu 377/KH-UBND\n"
    "Ngày ban hành 13/06/2024\nNgày có hiệu lực 13/06/2024\nLoại văn bản Kế hoạch\nCơ quan ban hành"
    " Tỉnh Đắk Nông\nNgười ký Tôn Thị Ngọc Hạnh\nLĩnh vực Văn hóa - Xã hội\n\nỦY BAN NHÂN DÂN\n"
    "TỈNH ĐẮK NÔNG\n\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "---------------\n\nSố: 377/KH-UBND\n\nĐắk Nông, ngày 13 tháng 6 năm 2024\n\n \n\nKẾ HOẠCH\n\n"
    "THỰC HIỆN CHƯƠNG TRÌNH SỐ 76-CTR/TU, NGÀY 13/5/2024 CỦA BAN THƯỜNG VỤ TỈNH ỦY VỀ VIỆC THỰC "
    "HIỆN CHỈ THỊ SỐ 28-CT/TW\n\nThực hiện Chương trình số 76-CT/TU, ngày 13/5/2024 của Ban Thường "
    "vụ Tỉnh ủy; Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai thực hiện, cụ thể như sau:\n\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\n- Nhằm tạo sự chuyển biến tích cực.\n"
)
H001 = (  # corpus 001: one-line table rows
    "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 32/KH-UBND | Lạng Sơn, ngày 30 "
    "tháng 01 năm 2024 |\nKẾ HOẠCH\nTHỰC HIỆN CHƯƠNG TRÌNH CHĂM SÓC SỨC KHOẺ TÂM THẦN TRẺ EM, CHĂM SÓC"
    " TRẺ EM MỒ CÔI GIAI ĐOẠN 2024 - 2030 TRÊN ĐỊA BÀN TỈNH LẠNG SƠN\nThực hiện Quyết định số "
    "1591/QĐ-TTg ngày 08/12/2023 của Thủ tướng Chính phủ, UBND tỉnh ban hành Kế hoạch như sau:\n"
)
H101 = (  # corpus 101: crawled form, ** markup, date line broken
    "|\n**ỦY BAN NHÂN DÂN\n**\nTHÀNH PHỐ CẦN THƠ\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT "
    "NAM**\nĐộc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 165/KH-UBND\n|\n*Cần Thơ, ngày "
    "21\ntháng 11 năm 2025 *\n|\n\n** **\n\n**KẾ HOẠCH**\n\nTHỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG NGÀY 15 "
    "THÁNG 8 NĂM 2024 CỦA\nTHỦ TƯỚNG CHÍNH PHỦ VỀ VIỆC TĂNG CƯỜNG THỰC HIỆN CÔNG TÁC DÂN SỐ TRONG "
    "TÌNH\nHÌNH MỚI\n\nThực hiện Chỉ thị số 27/CT-TTg\nngày 15 tháng 8 năm 2024 của Thủ tướng Chính "
    "phủ về việc tăng cường thực hiện\ncông tác dân số trong tình hình mới.\n"
)
H008 = (  # corpus 008: words broken over lines, authority line under an upper-case title
    "THỦ\nTƯỚNG CHÍNH PHỦ\n-------\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - "
    "Hạnh phúc\n---------------\n|\nSố: 1493/QĐ-TTg\n|\nHà\nNội, ngày 10 tháng 9 năm 2021\n|\n"
    "QUYẾT ĐỊNH\nPHÊ DUYỆT CHƯƠNG TRÌNH “CAN THIỆP GIẢM TỬ VONG TRẺ EM DƯỚI 5 TUỔI ĐẾN\nNĂM 2030”\n"
    "THỦ TƯỚNG CHÍNH PHỦ\nCăn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n"
)
H006 = (  # corpus 006: no type heading, locality only in the date line
    "ỦY\nBAN NHÂN DÂN |\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 869/KH-UBND |\nQuảng Bình, "
    "ngày 28 tháng 5 năm 2021 |\nTHỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG QUỐC GIA VÌ TRẺ EM TỈNH QUẢNG BÌNH "
    "GIAI ĐOẠN 2021-2030\nThực hiện Nghị quyết số 121/2020/QH14 ngày 19/6/2020 của Quốc hội.\n"
)
H035 = (  # corpus 035: the Ủ of ỦY lost
    "Y BAN NHÂN DÂN\nTỈNH KON TUM\n\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự "
    "do - Hạnh phúc\n---------------\n\nSố: 2516/KH-UBND\n\nKon Tum, ngày 03 tháng 10 năm 2014\n\n"
    " \n\nKẾ HOẠCH\n\nTRIỂN KHAI THỰC HIỆN QUYẾT ĐỊNH SỐ 34/2014/QĐ-TTG\n\nCăn cứ Quyết định số "
    "34/2014/QĐ-TTg.\n"
)
H104 = (  # corpus 104: OCR of a scan (accents lost, number unreadable)
    "GHINHPHU VN \"Để\n\neT\n\nTHỦ TƯỚNG CHÍNH PHỦ CONG HOA XÃ HỘI CHỦ NGHĨA VIET NAM\nĐộc lập - Tự"
    " do - Hạnh phúc\n\nSố: 0£ /QD-TTg Hà Nội, ngày 05 tháng 01 năm 2022\n\nQUYET ĐỊNH\nPhê duyệt "
    "Chiến lược Quốc gia về dinh dưỡng giai đoạn 2021-2030\nvà tầm nhìn đến năm 2045\n\nTHỦ TƯỚNG "
    "CHÍNH PHỦ\n\nCăn cứ Luật TỔ chức Chính 1 phủ ngày 19 tháng 6 năm 2015;\n"
)
H032 = (  # corpus 032: joint document, the "-" ends a line between two ministries
    "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nBỘ GIÁO DỤC VÀ ĐÀO TẠO -\nBỘ Y TẾ\nBỘ CÔNG AN\n-------\n\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\nSố: "
    "2236/QCPH-LĐTBXH-GDĐT-YT-CA\n\nHà Nội, ngày 16 tháng 6 năm 2023\n\n \n\nQUY CHẾ PHỐI HỢP\n\n"
    "VỀ PHÒNG, CHỐNG BẠO LỰC, XÂM HẠI TÌNH DỤC TRẺ EM\n\nCăn cứ Luật Trẻ em số 102/2016/QH13;\n"
)
H030 = (  # corpus 030: Công văn (no type code), "V/v" line, signature
    "VĂN PHÒNG CHÍNH PHỦ\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh "
    "phúc\n--------------\n\nSố: 2734/VPCP-KGVX\nV/v thực hiện Chỉ thị 1408/CT-TTg ngày 01/9/2009 "
    "của Thủ tướng CP về tăng cường bảo vệ, chăm sóc trẻ em.\n\nHà Nội, ngày 27 tháng 04 năm 2010\n\n"
    "Kínhgửi: Bộ Lao động – Thương binh và Xã hội\n\nVăn phòng Chính phủ thông báo để BộLao động – "
    "Thương binh và Xã hội biết, thực hiện.\n\nNơi nhận:\n- Như trên;\n- Phó Thủ tướng Nguyễn Sinh "
    "Hùng;\n- Lưu: VT, KGVX (03)\n\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nNguyễn Hữu Vũ\n"
)
H031 = (  # corpus 031: no header; the number in the title; the chairman gives the direction
    "Chỉ đạo triển khai Tháng hành động vì trẻ em năm 2012 (204/UBND-VX)\n\n \n\n Kính gửi: Sở Lao "
    "động – Thương binh và Xã hội\n                                   \nThực hiện Công văn số "
    "581/LĐTBXH-BVCSTE, ngày 05 tháng 3 năm 2012 của Bộ Lao động – Thương binh và Xã hội; Chủ tịch "
    "UBND tỉnh có ý kiến chỉ đạo như sau:\n1. Giao Sở Lao động – Thương binh và Xã hội:\n- Xây dựng "
    "Kế hoạch chi tiết.\n"
)
H004 = (  # corpus 004: authority line "CHỦ TỊCH …" → the chairman issues the decision
    "UỶ BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 29/QĐ-UBND | Vĩnh Long, ngày 10 "
    "tháng 01 năm 2011 |\nQUYẾT ĐỊNH\nVỀ VIỆC BAN HÀNH KẾ HOẠCH HÀNH ĐỘNG VÌ TRẺ EM BỊ ẢNH HƯỞNG BỞI"
    " HIV/AIDS TỈNH VĨNH LONG GIAI ĐOẠN 2011 - 2015 VÀ TẦM NHÌN ĐẾN NĂM 2020\nCHỦ TỊCH UỶ BAN NHÂN "
    "DÂN TỈNH VĨNH LONG\nCăn cứ Luật Tổ chức Hội đồng nhân dân và Uỷ ban nhân dân, ngày 26/11/2003;\n"
    "QUYẾT ĐỊNH:\nĐiều 1. Ban hành Kế hoạch hành động vì trẻ em.\nĐiều 2. Quyết định có hiệu lực kể "
    "từ ngày ký./.\n| KT. CHỦ TỊCH |\n"
)
H020 = (  # corpus 020: the enacting sentence names the chairman
    "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - "
    "Tự do - Hạnh phúc\n---------------\n\nSố: 74/KH-UBND\n\nCần Thơ, ngày 16 tháng 4 năm 2018\n\n \n\n"
    "KẾ HOẠCH\n\nHÀNH ĐỘNG CỦA THÀNH PHỐ CẦN THƠ VỀ DINH DƯỠNG ĐẾN NĂM 2020\n\nCăn cứ Chỉ thị số "
    "46/CT-TTg ngày 21 tháng 12 năm 2017 của Thủ tướng Chính phủ. Chủ tịch Ủy ban nhân dân thành "
    "phố ban hành Kế hoạch hành động của thành phố Cần Thơ về dinh dưỡng đến năm 2020, với các nội "
    "dung cụ thể như sau:\n\nI. MỤC TIÊU\n\nNâng cao nhận thức.\n"
)
H023 = (  # corpus 023: "Thành phố Hồ Chí Minh" is the city's name
    "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 2022/KH-UBND | Thành phố Hồ Chí "
    "Minh, ngày 13 tháng 5 năm 2014 |\nKẾ HOẠCH\nTRIỂN KHAI, TỔ CHỨC THÁNG HÀNH ĐỘNG “VÌ TRẺ EM” "
    "NĂM 2014\nNăm 2014, Thành phố tiếp tục tập trung chỉ đạo.\n"
)
H126_TAIL = (  # corpus 126: Chỉ thị signed "KT. CHỦ TỊCH" without "TM. ỦY BAN NHÂN DÂN"
    "|\n**ỦY BAN NHÂN\nDÂN **\nTỈNH ĐẮK LẮK\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 012/CT-UBND\n|\n*Đắk Lắk, ngày\n26 "
    "tháng 11 năm 2025*\n|\n\n\n**CHỈ THỊ**\n\nVỀ VIỆC TĂNG CƯỜNG CẢI CÁCH THỦ TỤC HÀNH CHÍNH\n\n"
    "Thời gian qua, tỉnh Đắk Lắk\nđã có nhiều nỗ lực.\n\nUBND tỉnh (thông qua Văn phòng\nUBND tỉnh) "
    "để được xem xét, giải quyết./.\n\n\n|\n*Nơi nhận:*\n- CT, PCT UBND tỉnh;\n- Lưu: VT, PVHCC "
    "(B_04b).\n|\n**KT. CHỦ TỊCH**\nPHÓ CHỦ TỊCH\n**Trương Công Thái**\n|\n\n\n** **"
)
H_PARTY = (  # bulk 056a116c: Party header, "Số 383-QĐ/TW" without a colon, "T/M BAN BÍ THƯ"
    "|\n**BAN CHẤP HÀNH\nTRUNG ƯƠNG**\n*\n|\n**ĐẢNG CỘNG SẢN\nVIỆT NAM**\n---------------\n|\n|\n"
    "Số 383-QĐ/TW\n|\n*Hà Nội, ngày 19\ntháng 11 năm 2025 *\n|\n\n\n**QUY ĐỊNH**\n\nVỀ\nPHÔNG LƯU "
    "TRỮ ĐẢNG CỘNG SẢN VIỆT NAM\n\n-----\n\n- Căn cứ Điều lệ Đảng;\n\nBan Bí thư quy định về Phông "
    "lưu trữ Đảng Cộng sản\nViệt Nam như sau:\n\n**I- QUY ĐỊNH CHUNG**\n\n**Điều 1. Phông lưu trữ "
    "Đảng Cộng\nsản Việt Nam**\n\nPhông lưu trữ gồm toàn bộ tài liệu.\n\n|\nNơi nhận:\n- Lưu Văn "
    "phòng Trung ương Đảng.\n|\n**T/M BAN BÍ THƯ**\nTrần Cẩm Tú\n|\n"
)
H_EN = (  # bulk 277ec1cb: English translation published by the portal
    "|\n**THE GOVERNMENT\nOF VIETNAM**\n---------\n|\n**THE SOCIALIST\nREPUBLIC OF VIETNAM**\n"
    "Independence – Freedom – Happiness\n---------------\n|\n|\nNo. 301/2025/ND-CP\n|\n*Hanoi, "
    "November\n17, 2025*\n|\n\n\n**DECREE**\n\nAMENDMENTS\nTO GOVERNMENT’S DECREE NO. 38/2024/ND-CP\n\n"
    "*Pursuant to the Law on Government Organization\nNo. 63/2025/QH15;*\n"
)
H_CRAWLED_PORTAL = (  # bulk 15e6fb3d: crawled portal block ("**Số hiệu:**" / "|" / value)
    "#\n**Số hiệu:**\n|\n223/CĐ-TTg\n|\n|\n**Loại văn bản:**\n|\nCông điện\n|\n**Nơi ban hành:**\n|\n"
    "Thủ tướng Chính phủ\n|\n|\n**Người ký:**\n|\nHồ Quốc Dũng\n|\n**Ngày ban hành:**\n|\n20/11/2025\n"
    "|\n|\n**\nNgày hiệu lực:**\n|\nĐã biết\n|\n**Ngày công báo:**\n|\nĐang cập nhật\n|\n|\n"
    "**Tình trạng:**\n|\nĐã biết\n|\n|\n**THỦ TƯỚNG CHÍNH\nPHỦ**\n-------\n|\n**CỘNG HÒA XÃ HỘI\n"
    "CHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 223/CĐ-TTg\n|\n"
    "*Hà Nội, ngày 20\ntháng 11 năm 2025 *\n|\n**CÔNG ĐIỆN**\nV/V TẬP TRUNG ỨNG\nPHÓ LŨ ĐẶC BIỆT LỚN "
    "TẠI KHÁNH HÒA, ĐẮK LẮK VÀ GIA LAI\n**THỦ TƯỚNG CHÍNH PHỦ điện:**\n|\n"
)
H_SUB = (  # bulk 299dbc03: parent body above the issuing body
    "|\n|\nBỘ TÀI CHÍNH\n**CỤC THUẾ**\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\nĐộc lập -"
    " Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 983/TB-CT\n|\n*Hà Nội, ngày 21\ntháng 11 năm "
    "2025*\n|\n**THÔNG BÁO**\nKẾ HOẠCH TẠM DỪNG\nỨNG DỤNG TMS\nCục Thuế có kế hoạch nâng cấp hệ thống."
    "\n"
)
H_BROKEN_NUMBER = (  # bulk 128b34e0: number broken after "QĐ-"; "UBND" must not join the place
    "**ỦY BAN NHÂN\nDÂN**\n**TỈNH NGHỆ AN**\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 3783/QĐ-\nUBND\n|\n*Nghệ An, ngày\n20 "
    "tháng 11 năm 2025*\n|\n**QUYẾT ĐỊNH**\nBAN HÀNH DANH MỤC THỦ TỤC HÀNH CHÍNH THỰC HIỆN KHÔNG PHỤ"
    " THUỘC VÀO ĐỊA\nGIỚI HÀNH CHÍNH\n**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NGHỆ AN**\n*Căn cứ Luật Tổ chức"
    " chính\nquyền địa phương ngày 16/6/2025; *\n"
)
H_NOTE = (  # bulk 815d3cd8: the crawl lost the header; the attachment note names the decision
    "VỀ\nVIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH NGÀNH XÂY DỰNG\n\nDANH\nMỤC THỦ TỤC HÀNH CHÍNH "
    "NGÀNH XÂY DỰNG\n\n*(Ban hành kèm theo Quyết định số: 2806/QĐ-UBND ngày 19 tháng 11 năm 2025 của"
    "\nChủ tịch Ủy ban Nhân dân tỉnh Đồng Nai)*\n\n|\n**Số** **TT**\n|\n**Mã** **TTHC**\n|\n"
)

H_TWO_LINE_HEADING = (  # bulk af2a4fc9: "**QUYẾT\nĐỊNH**", "**Điều\n1.****"
    "|\n**ỦY BAN NHÂN DÂN **\nTHÀNH PHỐ HÀ NỘI\n--------\n|\n**CỘNG HÒA XÃ HỘI CHỦ\nNGHĨA VIỆT NAM**"
    "\nĐộc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 71/2025/QĐ-UBND\n|\n*Hà Nội, ngày 26 "
    "tháng\n11 năm 2025*\n|\n\n\n**QUYẾT\nĐỊNH**\n\nVỀ VIỆC BAN HÀNH QUY CHẾ XÉT TẶNG DANH HIỆU\n"
    "“CÔNG DÂN THỦ ĐÔ ƯU TÚ”\n\n*Căn cứ Luật Tổ chức\nchính quyền địa phương số 72/2025/QH15;*\n\n"
    "**Điều\n1.****\n**Ban hành kèm theo Quyết định này Quy chế xét tặng danh hiệu\n“Công dân Thủ đô "
    "ưu tú”.\n\n**Điều\n2.****\n**Quyết định này có hiệu lực kể từ ngày 06 tháng 12 năm 2025.\n"
)
H_CHAIR_HEADER = (  # bulk 55d7a47d: the header itself names the chairman, split "ỦY / BAN"
    "|\n**CHỦ TỊCH ỦY\nBAN NHÂN DÂN**\nTỈNH ĐỒNG THÁP\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT"
    " NAM**\nĐộc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố:\n144/2025/QĐ-CTUBND\n|\n*Đồng "
    "Tháp,\nngày 02 tháng 12 năm 2025*\n|\n\n\n**QUYẾT ĐỊNH**\n\nBAN HÀNH QUY CHẾ VỀ QUẢN LÝ, SỬ DỤNG "
    "CHỮ KÝ SỐ\n"
)

H_LAUNCH = (  # bulk 556b2fb4: signed "KT. CHỦ TỊCH" but the council launches the plan
    "|\n**ỦY BAN NHÂN DÂN\n**\nTỈNH ĐẮK LẮK\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 0124/KH-UBND\n|\n*Đắk Lắk, ngày 18\n"
    "tháng 11 năm 2025*\n|\n\n** **\n\n**KẾ HOẠCH**\n\nPHÁT ĐỘNG ĐỢT THI ĐUA LẬP THÀNH TÍCH CHÀO "
    "MỪNG ĐẠI HỘI LẦN THỨ\nXIV CỦA ĐẢNG\n\nThực hiện Quyết định số\n2437/QĐ-TTg ngày 04/11/2025 của "
    "Thủ tướng Chính phủ. UBND tỉnh phát động Đợt thi đua lập thành tích chào mừng Đại\nhội lần thứ "
    "XIV của Đảng như sau:\n\n**I. MỤC ĐÍCH,\nYÊU CẦU**\n\nNội dung.\n\nNơi nhận:\n- Lưu: VT, NV "
    "(V-10b).\n|\n**KT. CHỦ TỊCH **\nPHÓ CHỦ TỊCH\n**Đào Mỹ**\n|\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (H000, {"document_number": "377/KH-UBND", "document_type": "Kế hoạch", "type_code": "KH",
                "issuer": ("Ủy ban nhân dân tỉnh Đắk Nông",), "date_issued": "2024-06-13",
                "place": "Đắk Nông", "signer": "Tôn Thị Ngọc Hạnh", "locality": "Đắk Nông",
                "date_effective": "2024-06-13", "domain": "Văn hóa - Xã hội"}),
        (H001, {"document_number": "32/KH-UBND", "document_type": "Kế hoạch",
                "issuer": ("Ủy ban nhân dân tỉnh Lạng Sơn",), "date_issued": "2024-01-30",
                "place": "Lạng Sơn", "signer": None}),
        (H101, {"document_number": "165/KH-UBND", "document_type": "Kế hoạch",
                "issuer": ("Ủy ban nhân dân thành phố Cần Thơ",), "date_issued": "2025-11-21",
                "place": "Cần Thơ", "locality": "Cần Thơ",
                "title": "THỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG NGÀY 15 THÁNG 8 NĂM 2024 CỦA THỦ TƯỚNG CHÍNH "
                         "PHỦ VỀ VIỆC TĂNG CƯỜNG THỰC HIỆN CÔNG TÁC DÂN SỐ TRONG TÌNH HÌNH MỚI"}),
        (H008, {"document_number": "1493/QĐ-TTg", "document_type": "Quyết định", "type_code": "QĐ",
                "issuer": ("Thủ tướng Chính phủ",), "date_issued": "2021-09-10", "place": "Hà Nội",
                "locality": None,
                "title": "PHÊ DUYỆT CHƯƠNG TRÌNH “CAN THIỆP GIẢM TỬ VONG TRẺ EM DƯỚI 5 TUỔI ĐẾN NĂM "
                         "2030”"}),
        (H006, {"document_number": "869/KH-UBND", "document_type": "Kế hoạch",
                "issuer": ("Ủy ban nhân dân tỉnh Quảng Bình",), "place": "Quảng Bình"}),
        (H035, {"issuer": ("Ủy ban nhân dân tỉnh Kon Tum",), "date_issued": "2014-10-03"}),
        (H104, {"document_number": "02/QĐ-TTg", "document_type": "Quyết định",
                "issuer": ("Thủ tướng Chính phủ",), "date_issued": "2022-01-05", "place": "Hà Nội"}),
        (H032, {"document_number": "2236/QCPH-LĐTBXH-GDĐT-YT-CA", "document_type": "Quy chế phối hợp",
                "type_code": "QCPH",
                "issuer": ("Bộ Lao động - Thương binh và Xã hội", "Bộ Giáo dục và Đào tạo", "Bộ Y tế",
                           "Bộ Công an"), "place": "Hà Nội"}),
        (H030, {"document_number": "2734/VPCP-KGVX", "document_type": "Công văn", "type_code": None,
                "issuer": ("Văn phòng Chính phủ",), "date_issued": "2010-04-27", "place": "Hà Nội",
                "signer": "Nguyễn Hữu Vũ"}),
        (H031, {"document_number": "204/UBND-VX", "document_type": "Công văn", "date_issued": None,
                "place": None, "signer": None}),
        (H004, {"issuer": ("Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long",), "date_effective": "2011-01-10"}),
        (H020, {"issuer": ("Chủ tịch Ủy ban nhân dân thành phố Cần Thơ",)}),
        (H023, {"issuer": ("Ủy ban nhân dân Thành phố Hồ Chí Minh",), "place": "Thành phố Hồ Chí Minh",
                "locality": "Thành phố Hồ Chí Minh"}),
        (H126_TAIL, {"document_number": "012/CT-UBND", "document_type": "Chỉ thị",
                     "issuer": ("Chủ tịch Ủy ban nhân dân tỉnh Đắk Lắk",), "signer": "Trương Công Thái"}),
        (H_PARTY, {"document_number": "383-QĐ/TW", "document_type": "Quy định",
                   "issuer": ("Ban Chấp hành Trung ương",), "date_issued": "2025-11-19",
                   "signer": "Trần Cẩm Tú"}),
        (H_EN, {"document_number": "301/2025/ND-CP", "document_type": "Nghị định", "type_code": "NĐ",
                "date_issued": "2025-11-17", "place": "Hanoi"}),
        (H_CRAWLED_PORTAL, {"document_number": "223/CĐ-TTg", "document_type": "Công điện",
                            "issuer": ("Thủ tướng Chính phủ",), "date_issued": "2025-11-20",
                            "signer": "Hồ Quốc Dũng", "date_effective": None}),
        (H_SUB, {"document_number": "983/TB-CT", "document_type": "Thông báo", "issuer": ("Cục Thuế",)}),
        (H_BROKEN_NUMBER, {"document_number": "3783/QĐ-UBND", "place": "Nghệ An",
                           "issuer": ("Chủ tịch Ủy ban nhân dân tỉnh Nghệ An",)}),
        (H_NOTE, {"document_number": "2806/QĐ-UBND", "document_type": "Quyết định",
                  "date_issued": "2025-11-19", "issuer": ("Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai",)}),
        (H_TWO_LINE_HEADING, {"document_type": "Quyết định", "date_issued": "2025-11-26",
                              "title": "VỀ VIỆC BAN HÀNH QUY CHẾ XÉT TẶNG DANH HIỆU “CÔNG DÂN THỦ ĐÔ ƯU "
                                       "TÚ”", "date_effective": "2025-12-06"}),
        (H_CHAIR_HEADER, {"document_number": "144/2025/QĐ-CTUBND", "place": "Đồng Tháp",
                          "issuer": ("Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp",)}),
        (H_LAUNCH, {"document_number": "0124/KH-UBND", "issuer": ("Ủy ban nhân dân tỉnh Đắk Lắk",),
                    "signer": "Đào Mỹ"}),
    ],
    ids=["000-portal+header", "001-one-line-rows", "101-crawled", "008-broken-words",
         "006-no-heading", "035-lost-U", "104-ocr", "032-joint", "030-cong-van", "031-title-number",
         "004-authority-chair", "020-enacting-chair", "023-hcm", "126-kt-chu-tich", "party",
         "english", "crawled-portal", "parent-child", "broken-number", "attachment-note",
         "two-line-heading", "chair-in-header", "council-launches"],
)
def test_header_metadata(text, expected):
    md = parse(text).metadata
    for field, value in expected.items():
        assert getattr(md, field) == value, field


def test_portal_and_header_kept_and_spans_point_at_values():
    doc = parse(H000)
    md = doc.metadata
    assert md.portal["number"] == "377/KH-UBND"
    assert md.portal["issuer"] == "Tỉnh Đắk Nông"
    assert md.header["number"] == "377/KH-UBND"
    assert md.conflicts == ()                  # "Tỉnh Đắk Nông" is the header's body, abridged
    t = doc.text
    assert t[md.spans["document_number"].start:md.spans["document_number"].end] == "377/KH-UBND"
    assert t[md.spans["place"].start:md.spans["place"].end] == "Đắk Nông"
    assert t[md.spans["date_issued"].start:md.spans["date_issued"].end] == "ngày 13 tháng 6 năm 2024"
    assert t[md.spans["issuer"].start:md.spans["issuer"].end] == "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG"
    assert doc.title_span is not None
    assert t[doc.title_span.start:doc.title_span.end].startswith("THỰC HIỆN CHƯƠNG TRÌNH SỐ 76-CTR/TU")


def test_conflict_between_portal_and_header_is_recorded_header_wins():
    text = H000.replace("Số hiệu 377/KH-UBND", "Số hiệu 378/KH-UBND").replace(
        "Ngày ban hành 13/06/2024", "Ngày ban hành 14/06/2024")
    md = parse(text).metadata
    assert md.document_number == "377/KH-UBND" and md.date_issued == "2024-06-13"
    assert {"document_number", "date_issued"} <= set(md.conflicts)
    assert md.portal["number"] == "378/KH-UBND"


def test_portal_fills_what_the_header_lacks():
    # the header lost its number line; the portal's "Số hiệu" fills it
    text = H000.replace("Số: 377/KH-UBND\n", "")
    md = parse(text).metadata
    assert md.document_number == "377/KH-UBND"
    assert "number" not in md.header


def test_signature_in_a_table_cell():
    # corpus 117: "| Nơi nhận: … | CHỦ TỊCH Hoàng Quốc Khánh |"
    text = (H004.split("QUYẾT ĐỊNH:")[0] + "QUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này.\n\n|\n"
            "| Nơi nhận: - Bộ Công an (Cục A03 - để b/c); - Chủ tịch, các PCT UBND tỉnh; - Lưu: VT, NC,"
            " ĐH30b. | CHỦ TỊCH Hoàng Quốc Khánh |\n|---|---|\n")
    assert parse(text).metadata.signer == "Hoàng Quốc Khánh"


@pytest.mark.parametrize(
    ("block", "name"),
    [
        ("**KT. CHỦ TỊCH**\nPHÓ CHỦ TỊCH\n**Nguyễn Quỳnh\nThiện**\n|\n", "Nguyễn Quỳnh Thiện"),  # bulk 741f24db
        ("**TM. ỦY BAN NHÂN\nDÂN**\n**KT. CHỦ TỊCH**\nPHÓ CHỦ TỊCH\n**Mai\nSơn**\n|\n", "Mai Sơn"),  # e452177a
        ("**KT. BỘ TRƯỞNG**\nTHỨ TRƯỞNG\nThượng tướng Vũ Hải Sản\n|\n", "Vũ Hải Sản"),  # bulk 8ea98f88
        ("**TM. ỦY BAN\nNHÂN DÂN**\nCHỦ TỊCH\n**Trương Cảnh Tuyên**\n|\n", "Trương Cảnh Tuyên"),  # 107
        ("| TRƯỞNG BAN PHÓ THỦ TƯỚNG Nguyễn Thiện Nhân |\n", "Nguyễn Thiện Nhân"),  # corpus 115
    ],
)
def test_signature_blocks(block, name):
    head = H101.split("Thực hiện Chỉ thị")[0]
    text = head + "I. MỤC ĐÍCH\n\nNội dung.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n|\n" + block
    assert parse(text).metadata.signer == name


# OCR pages (corpus 104, a scanned Quyết định 02/QĐ-TTg): the number slot reads "0£ /QD-TTg" and
# the two columns of the closing block are read as one line, so the signer's name ends a
# recipients line; the OCR lost the stroke of "Đ" in "Đam".
OCR_CLOSING = (
    "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.\n\nNơi nhận: „1 HỦ TƯ) ỚNG\n"
    "- Ban Bí thư Trung ương Đảng; hộ HY\n- Uy ban Thường vụ Quốc hội;\n\n- Văn phòng Quốc hội;\n\n"
    "- Hội đồng Dân tộc và các ủy ban của Quốc hội; Vũ Đức Dam\n- Kiểm toán Nhà nước;\n\n"
    "- Luu: VT, KGVX (3b). 40\n"
)


@pytest.mark.parametrize(
    ("header", "number", "as_read"),
    [
        # the registry holds 02/QĐ-TTg of 2022-01-05 (instruments.tsv): the one fit of "0?" + QĐ-TTg
        ("Số: 0£ /QD-TTg Hà Nội, ngày 05 tháng 01 năm 2022", "02/QĐ-TTg", "0£ /QD-TTg"),
        # another date: no registry instrument fits, the number stays unknown (as read is kept)
        ("Số: 0£ /QD-TTg Hà Nội, ngày 06 tháng 01 năm 2022", None, "0£ /QD-TTg"),
        # glyphs OCR prints for digits (O for 0, l for 1) need no registry (built from 104's line)
        ("Số: 2O/QD-TTg Hà Nội, ngày 06 tháng 01 năm 2022", "20/QD-TTg", "2O/QD-TTg"),
        ("Số: l5/QĐ-TTg Hà Nội, ngày 06 tháng 01 năm 2022", "15/QĐ-TTg", "l5/QĐ-TTg"),
        # no real digit at all: not read as a number
        ("Số: £x /QD-TTg Hà Nội, ngày 05 tháng 01 năm 2022", None, None),
    ],
)
def test_ocr_damaged_number(header, number, as_read):
    md = parse(H104.replace("Số: 0£ /QD-TTg Hà Nội, ngày 05 tháng 01 năm 2022", header)).metadata
    assert md.document_number == number
    assert md.header.get("number_as_read") == as_read


@pytest.mark.parametrize(
    ("date_line", "issuer_line", "signer"),
    [
        # signs for the Prime Minister within the registry's validity (signers.tsv): its spelling
        ("ngày 05 tháng 01 năm 2022", "THỦ TƯỚNG CHÍNH PHỦ", "Vũ Đức Đam"),
        # after 2023-01-05 he no longer signs for the Prime Minister: the name as read
        ("ngày 05 tháng 01 năm 2024", "THỦ TƯỚNG CHÍNH PHỦ", "Vũ Đức Dam"),
        # another issuer: the registry row does not apply
        ("ngày 05 tháng 01 năm 2022", "BỘ Y TẾ", "Vũ Đức Dam"),
    ],
)
def test_ocr_signer_in_a_recipients_line(date_line, issuer_line, signer):
    text = (H104.replace("ngày 05 tháng 01 năm 2022", date_line).replace("THỦ TƯỚNG CHÍNH PHỦ CONG", issuer_line
            + " CONG") + "QUYET ĐỊNH:\n\nĐiều 1. Phê duyệt Chiến lược.\n\n" + OCR_CLOSING)
    md = parse(text).metadata
    assert md.signer == signer
    assert md.header["signer_in_recipients_line"] == "Vũ Đức Dam"
    sp = md.spans["signer"]
    assert text[sp.start:sp.end] == "Vũ Đức Dam"


@pytest.mark.parametrize(
    "line",
    [
        "- UBND tỉnh Hà Tĩnh; Hà Tĩnh\n",                          # a province, not a person
        "- Văn phòng Quốc hội; Văn phòng Chính phủ\n",               # not a family name first
        "- Bộ Y tế;\n",
    ],
)
def test_recipients_lines_that_hold_no_signer(line):
    text = H104 + "QUYET ĐỊNH:\n\nĐiều 1. Phê duyệt.\n\nNơi nhận: „1 HỦ TƯ) ỚNG\n" + line
    assert parse(text).metadata.signer is None


# The number slot as crawls and conversions print it (corpus 000's header with the slot rewritten):
# (slot as printed, number, printed extent)
NUMBER_SLOTS = [
    ("Số:377/KH-UBND", "377/KH-UBND", "377/KH-UBND"),           # no space: the date line keeps its place
    ("Số: 3 77/KH-UBND", "377/KH-UBND", "3 77/KH-UBND"),        # digits split by a stray space
    ("Số: 37 7 /KH-UBND", "377/KH-UBND", "37 7 /KH-UBND"),
    ("Số: 377/QÐ-UBND", "377/QĐ-UBND", "377/QÐ-UBND"),          # eth (U+00D0) of legacy fonts for Đ
    ("Số: **377**/KH-UBND", "377/KH-UBND", "377**/KH-UBND"),    # markup inside (kept in the span)
    ("Số: 377/KH-\nUBND", "377/KH-UBND", "377/KH-\nUBND"),      # broken over a line
    ("Số : 377 / KH-UBND", "377/KH-UBND", "377 / KH-UBND"),
]


@pytest.mark.parametrize(("slot", "number", "printed"), NUMBER_SLOTS)
def test_number_slot_variants(slot, number, printed):
    head = "ỦY BAN NHÂN DÂN\nTỈNH" + H000.split("ỦY BAN NHÂN DÂN\nTỈNH")[1]
    text = head.replace("Số: 377/KH-UBND", slot)
    md = parse(text).metadata
    assert md.document_number == number
    sp = md.spans["document_number"]
    assert text[sp.start:sp.end] == printed
    assert (md.date_issued, md.place) == ("2024-06-13", "Đắk Nông")


# A crawl that lost the header but kept the portal's title line (bulk d148e7e9's table, titled as
# the portal titles it: thuvienphapluat.vn "Quyết định 2827/QĐ-UBND năm 2025 …").
@pytest.mark.parametrize(
    ("title", "number", "doc_type"),
    [
        ("Quyết định 2827/QĐ-UBND năm 2025 công bố thủ tục hành chính nội bộ ngành Tài chính Đồng Nai",
         "2827/QĐ-UBND", "Quyết định"),
        ("**Kế hoạch số 171/KH-UBND năm 2025 về nhiệm vụ trọng tâm**", "171/KH-UBND", "Kế hoạch"),
        ("Kế hoạch 2021-2030 về trẻ em", None, None),            # a period, not a number
    ],
)
def test_number_in_a_title_line(title, number, doc_type):
    table = "|\n**STT**\n|\n**TÊN\nTHỦ TỤC HÀNH CHÍNH**\n|\n|\n**A**\n|\n**THỦ TỤC HÀNH CHÍNH NỘI BỘ CẤP TỈNH**\n|\n"
    md = parse(title + "\n\n" + table).metadata
    assert (md.document_number, md.document_type) == (number, doc_type)


def test_every_signer_row_has_a_source():
    import csv as _csv

    with open(ROOT / "data" / "registry" / "signers.tsv", encoding="utf-8", newline="") as f:
        rows = list(_csv.DictReader(f, delimiter="\t", quoting=_csv.QUOTE_NONE))
    assert rows and all((r.get("source") or "").strip() and r["name"].strip() and r["issuer"].strip()
                        for r in rows)


# Crawls that lost the header: the text names its own type ("Quyết định này", bulk d83d634a).
H_SELF = (
    "1. Phạm vi điều chỉnh\n\na) Quyết định này ban hành tiêu chuẩn, định mức sử\ndụng xe ô tô chuyên "
    "dùng trang bị cho cơ quan, tổ chức, đơn vị thuộc phạm vi quản lý của tỉnh Tuyên\nQuang.\n\nb) "
    "Quyết định này không điều chỉnh đối với các đơn\nvị sự nghiệp công lập tự bảo đảm chi thường "
    "xuyên và chi đầu tư.\n\n2. Đối tượng áp dụng\n\nCơ quan nhà nước; các cơ quan, tổ chức, cá "
    "nhân khác có liên quan.\n"
)


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        (H_SELF, "Quyết định"),
        # named once only: too weak
        (H_SELF.replace("b) \nQuyết định này", "b) \nVăn bản").replace("b) Quyết định này", "b) Văn bản"),
         None),
        # lower case "các quy định này" is the common noun, not the text's own type
        ("1. Phạm vi\n\nThực hiện theo các quy định này và các quy định này.\n", None),
    ],
)
def test_type_named_by_the_text_itself(text, doc_type):
    md = parse(text).metadata
    assert md.document_type == doc_type


# ---------------------------------------------------------------------------------------------
# Names, numbers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG", "Ủy ban nhân dân tỉnh Đắk Nông"),
        ("UỶ BAN NHÂN DÂN TỈNH KHÁNH HOÀ", "Ủy ban nhân dân tỉnh Khánh Hòa"),
        ("ỦY BAN NHÂN DÂN TỈNH ĐĂK NÔNG", "Ủy ban nhân dân tỉnh Đắk Nông"),     # corpus 012
        ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
        ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"),
        ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Bộ Lao động - Thương binh và Xã hội"),
        ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Bộ Nông nghiệp và Môi trường"),
        ("BỘ CÔNG THƯƠNG", "Bộ Công Thương"),
        ("BỘ Y TẾ", "Bộ Y tế"),
        ("CỤC THUẾ", "Cục Thuế"),
        ("HỘI ĐỒNG NHÂN DÂN TỈNH ĐẮK NÔNG", "Hội đồng nhân dân tỉnh Đắk Nông"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
        ("UBND THÀNH PHỐ HÀ NỘI", "Ủy ban nhân dân thành phố Hà Nội"),
        ("ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ", "Ủy ban nhân dân huyện Krông Nô"),
        ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng"),
        ("BỘ TRƯỞNG BỘ NỘI VỤ", "Bộ trưởng Bộ Nội vụ"),
        ("BAN CHỈ ĐẠO QUỐC GIA VỀ TÌM KIẾM, QUY TẬP HÀI CỐT LIỆT SĨ",
         "Ban Chỉ đạo quốc gia về tìm kiếm, quy tập hài cốt liệt sĩ"),                  # corpus 115
        ("BAN THƯỜNG VỤ TỈNH ỦY", "Ban Thường vụ Tỉnh ủy"),
        ("TỈNH ỦY ĐẮK NÔNG", "Tỉnh ủy Đắk Nông"),
        ("NGÂN HÀNG NHÀ NƯỚC VIỆT NAM", "Ngân hàng Nhà nước Việt Nam"),
        ("UỶ BAN NHÂN DÂN TỈNH BÀ RỊA – VŨNG TÀU", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"),
        ("Y BAN NHÂN DÂN TỈNH KON TUM", "Ủy ban nhân dân tỉnh Kon Tum"),            # corpus 035
    ],
)
def test_org_name_case(raw, name):
    assert org_name_case(raw) == name


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("377/KH-UBND", "377/KH-UBND"),
        ("773 /QĐ-TTg", "773/QĐ-TTg"),                       # corpus 103
        ("3783/QĐ-\nUBND", "3783/QĐ-UBND"),                   # bulk 128b34e0
        ("39/2012/NQ-HĐND", "39/2012/NQ-HĐND"),
        ("28-CT/TW", "28-CT/TW"),
        ("2236/QCPH-LĐTBXH-GDĐT-YT-CA", "2236/QCPH-LĐTBXH-GDĐT-YT-CA"),
        ("30/2006/TTLT-BTC-BNN&PTNT-BTS", "30/2006/TTLT-BTC-BNN&PTNT-BTS"),   # corpus 012
        ("66.2/2025/NQ-CP", "66.2/2025/NQ-CP"),              # bulk 001c610b
        ("76–CTr/TU", "76-CTr/TU"),
        ("0£ /QD-TTg", None),                                # corpus 104 (OCR)
        ("Đã biết", None),
    ],
)
def test_normalize_number(raw, number):
    assert normalize_number(raw) == number


@pytest.mark.parametrize(
    ("number", "code", "party"),
    [
        ("377/KH-UBND", "KH", False),
        ("39/2012/NQ-HĐND", "NQ", False),
        ("28-CT/TW", "CT", True),
        ("76-CTr/TU", "CTR", True),
        ("2734/VPCP-KGVX", None, False),
        ("301/2025/ND-CP", "NĐ", False),
        ("2236/QCPH-LĐTBXH-GDĐT-YT-CA", "QCPH", False),
    ],
)
def test_split_number(number, code, party):
    assert split_number(number) == (code, party)


# ---------------------------------------------------------------------------------------------
# Provision tree
# ---------------------------------------------------------------------------------------------


def _tree(doc):
    return {p.eid: p for p in doc.all_provisions()}


def test_main_plan_tree():
    text = MAIN_DOC.read_text(encoding="utf-8")
    doc = parse(text, str(MAIN_DOC))
    provs = _tree(doc)
    assert [p.eid for p in doc.provisions] == ["part_I", "part_II"]
    assert provs["part_I"].heading == "MỤC ĐÍCH, YÊU CẦU"
    assert provs["part_II"].heading == "NỘI DUNG THỰC HIỆN"
    items = [e for e in provs if re.fullmatch(r"part_I+__item_\d", e)]
    assert items == ["part_I__item_1", "part_I__item_2"] + [f"part_II__item_{i}" for i in range(1, 6)]
    assert provs["part_I__item_1"].heading == "Mục đích"
    # every dash bullet is an indent whose span in the original holds its words
    bullets = [m.group(1) for m in re.finditer(r"(?m)^- (.+)$", text)]
    indents = [p for p in doc.all_provisions() if p.kind == "indent"]
    assert len(indents) == len(bullets) == 16
    for p, words in zip(indents, bullets, strict=True):
        assert p.label == "-"
        assert collapse_ws(text[p.span.start:p.span.end]).startswith("- " + words[:40])
        assert words[:40] in p.text
    assert [p.eid for p in provs["part_II__item_1"].children] == [
        "part_II__item_1__indent_1", "part_II__item_1__indent_2", "part_II__item_1__indent_3"]
    # spans nest and the text of a part is the collapsed text of its span
    part2 = provs["part_II"]
    assert part2.text == collapse_ws(clean_text(text[part2.span.start:part2.span.end]).text)
    for p in doc.all_provisions():
        for c in p.children:
            assert p.span.start <= c.span.start <= c.span.end <= p.span.end
    assert doc.clean.text[doc.opening_end:].startswith("I. MỤC ĐÍCH, YÊU CẦU")


DECISION = (  # corpus 008 (cut): Roman parts inside Điều 1, then Điều 2
    "QUYẾT ĐỊNH:\nĐiều 1. Phê duyệt Chương trình “Can thiệp giảm tử vong\ntrẻ em dưới 5 tuổi đến năm "
    "2030” với những nội dung sau:\nI. MỤC TIÊU\n1. Giảm tử vong trẻ sơ sinh, trẻ em dưới 1 tuổi và trẻ"
    " em dưới 5 tuổi nhằm thu hẹp\nkhoảng cách giữa các vùng miền.\n- Đến năm 2025: Giảm tỷ suất tử "
    "vong\ntrẻ sơ sinh xuống 9‰ trong toàn quốc.\n- Đến năm 2030: Giảm tỷ suất tử vong trẻ sơ sinh "
    "xuống 8‰.\nII. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Truyền thông.\nĐiều 2. Quyết định này có hiệu lực kể từ"
    " ngày ký.\n"
)
LAW = (  # bulk 056a116c (cut): "I-" parts hold articles; items and points inside articles
    "Ban Bí thư quy định như sau:\n\n**I- QUY ĐỊNH CHUNG**\n\n**Điều 1. Phông lưu trữ Đảng Cộng\n"
    "sản Việt Nam**\n\nPhông lưu trữ Đảng Cộng sản Việt Nam gồm:\n\n1. Tài liệu của các tổ chức tiền "
    "thân của Đảng.\n\n2. Tài liệu Đại hội Đảng toàn quốc.\n\n**Điều 2. Trách nhiệm của người đứng đầu**"
    "\n\n1. Người đứng đầu cơ quan, tổ chức đảng có trách nhiệm:\n\na) Tổ chức tuyên truyền;\n\nb) "
    "Quản lý về lưu trữ.\n\n**II- QUẢN LÝ TÀI LIỆU LƯU TRỮ**\n\n**Điều 3. Nguyên tắc quản lý**\n\n"
    "Tài liệu lưu trữ được quản lý tập trung.\n"
)
CHAPTERS = (  # the Chương/Điều/khoản/điểm layout of legal documents (bulk Nghị định, Thông tư)
    "Chương I\n\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh\n\nNghị định này quy định về viện trợ.\n"
    "\nĐiều 2. Giải thích từ ngữ\n\n1. Viện trợ là khoản hỗ trợ.\n\na. Viện trợ không hoàn lại;\n\n"
    "b. Viện trợ bằng hiện vật.\n\nChương II\n\nQUY ĐỊNH CỤ THỂ\n\nĐiều 3. Hồ sơ\n\nHồ sơ quy định tại\n"
    "Chương II Thông tư này được áp dụng.\n"
)
SUBITEMS = (  # corpus 108 (1.1.), 103 (+ bullets), and a three-level number
    "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\n1.1. Quán triệt và triển khai nghiêm túc.\n\n1.2. Xác "
    "định rõ nhiệm vụ.\n\n2. Yêu cầu\n\n2.3.1. Bảo đảm tiến độ.\n\n- Quan tâm chỉ đạo, tổ chức thực "
    "hiện tốt chính sách người có công với cách mạng:\n\n+ Thực hiện kịp thời, đầy đủ, đúng chính "
    "sách ưu đãi.\n\n+ Thực hiện phong trào \"Đền ơn đáp nghĩa\".\n\n- Chăm lo đời sống.\n"
)
TABLE = (  # corpus 125: crawled task table (cells end with "|", rows with "||")
    "III. TỔ CHỨC THỰC HIỆN\n\n|\n**STT**\n|\n**Cơ quan chủ trì**\n|\n**Cơ quan phối hợp**\n|\n"
    "**Nội dung nhiệm\nvụ**\n|\n|\n1\n|\nBộ Nông nghiệp và Môi trường\n|\n- Bộ Khoa học và Công "
    "nghệ;\n- Bộ Xây dựng;\n|\nHoàn thiện hệ thống chính sách pháp luật về kiểm soát,\nquản lý chất "
    "lượng môi trường không khí\n|\n|\n2\n|\nBộ Y tế\n|\n- Bộ Công Thương;\n|\nGiám sát sức khỏe.\n|\n\n"
    "IV. KINH PHÍ\n\n1. Ngân sách nhà nước.\n"
)
ATTACHED = (  # corpus 010: decision, closing block, then the attached plan
    "QUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch.\nĐiều 2. Quyết định này có hiệu "
    "lực kể từ ngày ký./.\n| TM. ỦY BAN NHÂN DÂN |\nTHỰC HIỆN CHIẾN LƯỢC QUỐC GIA VỀ DINH DƯỠNG GIAI "
    "ĐOẠN 2018 - 2020 VÀ TẦM NHÌN ĐẾN NĂM 2030 TRÊN ĐỊA BÀN TỈNH BÌNH ĐỊNH\n(Ban hành kèm theo Quyết "
    "định số 797/QĐ-UBND ngày 14/3/2018 của UBND tỉnh Bình Định)\n1. Mục tiêu chung:\nĐến năm 2020,"
    " bữa ăn của người dân được cải thiện.\n2. Mục tiêu cụ thể:\na) Mục tiêu 1: Cải thiện.\n"
)


@pytest.mark.parametrize(
    ("text", "eids"),
    [
        (DECISION, ["art_1", "art_1__sec_I", "art_1__sec_I__item_1", "art_1__sec_I__item_1__indent_1",
                    "art_1__sec_I__item_1__indent_2", "art_1__sec_II", "art_1__sec_II__item_1", "art_2"]),
        (LAW, ["part_I", "part_I__art_1", "part_I__art_1__item_1", "part_I__art_1__item_2",
               "part_I__art_2", "part_I__art_2__item_1", "part_I__art_2__item_1__point_a",
               "part_I__art_2__item_1__point_b", "part_II", "part_II__art_3"]),
        (CHAPTERS, ["chp_I", "chp_I__art_1", "chp_I__art_2", "chp_I__art_2__item_1",
                    "chp_I__art_2__item_1__point_a", "chp_I__art_2__item_1__point_b", "chp_II",
                    "chp_II__art_3"]),
        (SUBITEMS, ["part_I", "part_I__item_1", "part_I__item_1__item_1.1", "part_I__item_1__item_1.2",
                    "part_I__item_2", "part_I__item_2__item_2.3.1", "part_I__item_2__item_2.3.1__indent_1",
                    "part_I__item_2__item_2.3.1__indent_1__indent_1",
                    "part_I__item_2__item_2.3.1__indent_1__indent_2", "part_I__item_2__item_2.3.1__indent_2"]),
        (TABLE, ["part_III", "part_III__row_1", "part_III__row_2", "part_III__row_3", "part_IV",
                 "part_IV__item_1"]),
        (ATTACHED, ["art_1", "art_2", "att_1__item_1", "att_1__item_2", "att_1__item_2__point_a"]),
    ],
    ids=["roman-in-article", "parts-hold-articles", "chapters", "sub-items-and-plus", "crawled-table",
         "attachment"],
)
def test_provision_trees(text, eids):
    doc = parse(text)
    assert [p.eid for p in doc.all_provisions()] == eids


def test_provision_details():
    doc = parse(SUBITEMS + "\n" + TABLE.replace("III.", "V.").replace("IV.", "VI."))
    p = _tree(doc)
    assert p["part_I__item_2__item_2.3.1__indent_1__indent_1"].label == "+"
    assert p["part_I__item_2__item_2.3.1__indent_1__indent_1"].kind == "indent"
    rows = [x for x in doc.all_provisions() if x.kind == "table_row"]
    assert rows[0].text == "STT | Cơ quan chủ trì | Cơ quan phối hợp | Nội dung nhiệm vụ"
    assert rows[1].label == "1"
    assert rows[1].text == ("1 | Bộ Nông nghiệp và Môi trường | - Bộ Khoa học và Công nghệ; - Bộ Xây "
                            "dựng; | Hoàn thiện hệ thống chính sách pháp luật về kiểm soát, quản lý chất "
                            "lượng môi trường không khí")
    t = doc.text
    assert t[rows[2].span.start:rows[2].span.end].startswith("2\n|\nBộ Y tế")
    law = _tree(parse(LAW))
    assert law["part_I__art_1"].heading == "Phông lưu trữ Đảng Cộng sản Việt Nam"
    assert law["part_I__art_2__item_1__point_a"].heading == ""
    assert law["part_I"].kind == "part" and law["part_I__art_1"].kind == "article"
    chp = _tree(parse(CHAPTERS))
    assert chp["chp_I"].heading == "QUY ĐỊNH CHUNG" and chp["chp_I"].kind == "chapter"
    assert chp["chp_I__art_1"].heading == "Phạm vi điều chỉnh"
    assert "Chương II Thông tư" in chp["chp_II__art_3"].text      # a wrapped sentence, not a chapter


def test_broken_article_labels_and_wrapped_attachment_words():
    doc = parse(H_TWO_LINE_HEADING)
    assert [p.eid for p in doc.provisions] == ["art_1", "art_2"]
    # bulk af2a4fc9: "(theo mẫu số 01\nkèm theo)." inside a paragraph is not an attached text
    body = ("QUYẾT ĐỊNH:\nĐiều 1. Hồ sơ gồm xác nhận của Ủy\nban nhân dân xã (theo mẫu số 01\nkèm theo)."
            "\n\nTrường hợp cá nhân là người đứng đầu.\n\nĐiều 2. Hiệu lực.\n\nNơi nhận:\n- Lưu: VT.\n\n"
            "QUY CHẾ\n\n(Ban hành kèm theo Quyết định số 71/2025/QĐ-UBND)\n\nĐiều 1. Phạm vi\n\nNội dung.\n")
    assert [p.eid for p in parse(body).all_provisions()] == ["art_1", "art_2", "att_1__art_1"]


def test_preamble_bullets_are_not_provisions():
    doc = parse(H_PARTY)
    assert [p.eid for p in doc.provisions] == ["part_I"]
    assert doc.clean.text[doc.opening_end:].startswith("I- QUY ĐỊNH CHUNG")


# ---------------------------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "ỦY BAN NHÂN DÂN\n", "TỈNH ĐẮK NÔNG\n", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", "Số: 12/KH-UBND\n",
    "Số:\n", "Hà Nội, ngày 13 tháng 6 năm 2024\n", "KẾ HOẠCH\n", "QUYẾT ĐỊNH:\n", "I. MỤC ĐÍCH\n", "1. ",
    "a) ", "- ", "+ ", "|\n", "| a | b |\n", "Điều 1. ", "Chương I\n", "Phần thứ nhất\n", "Nơi nhận:\n",
    "KT. CHỦ TỊCH\n", "PHÓ CHỦ TỊCH\n", "Nguyễn Văn A\n", "**", "*", "\n", "\n\n", "\r\n", " ",
    "Căn cứ Luật ", "(Ban hành kèm theo Quyết định số 5/QĐ-TTg ngày 1/1/2020)\n", "Số hiệu 1/KH-UBND\n",
    "Người ký X\n", "\u0301", "\u00a0", "Đăk", "II.", "V/v ", "PHỤ LỤC\n", "1.1. ", "TM. ỦY BAN\n",
])


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(max_size=300), st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=50)
                 .map("".join)))
def test_never_raises_and_spans_inside(text):
    doc = parse(text)
    n = len(text)
    assert "parse_error" not in doc.metadata.header
    assert doc.clean.text == clean_text(text).text
    for sp in doc.metadata.spans.values():
        assert 0 <= sp.start <= sp.end <= n
    for p in doc.all_provisions():
        assert 0 <= p.span.start <= p.span.end <= n
        for c in p.children:
            assert p.span.start <= c.span.start and c.span.end <= p.span.end
    assert 0 <= doc.opening_end <= len(doc.clean.text)
    if doc.title_span:
        assert 0 <= doc.title_span.start <= doc.title_span.end <= n


# ---------------------------------------------------------------------------------------------
# The fast paths of the parser give what the plain regexes give (speed work kept the output)
# ---------------------------------------------------------------------------------------------

_LAYOUT = st.lists(st.one_of(st.sampled_from([
    "\n", "\n\n", " \n", "\t", " ", "|", "|\n", "\n|\n", "\n \t\n", "a", "b.", "1.", "2)", "I.", "IV-",
    "A.", "đ)", "- ", "• ", "+ ", "Chương II", "CHƯƠNG", "Phần thứ", "Mục 1", "Điều 3.", "Article 2:",
    "Section", "chủ tịch ", "ủy ban nhân dân tỉnh ban hành", "ubnd xã chỉ đạo", "cộng hòa xã hội chủ nghĩa việt nam",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM",
    "đảng cộng sản việt nam", "PHỤ LỤC", "kế hoạch", "Cán bộ", "x", "**",
])), max_size=60).map("".join)


def _old_table_blocks(text, lo, hi):
    """The table blocks as the parser first found them (a regex per line and per gap)."""
    from graph.ingest.parse import _BLANK_ONLY, _PIPE_LINE, _line_matches, _nl_form

    blocks = []
    for m in _line_matches(_PIPE_LINE, _nl_form(_PIPE_LINE), text, lo, hi):
        s, e = m.span()
        if blocks:
            blk = blocks[-1]
            if text.count("\n", blk[1], s) <= 40 and not _BLANK_ONLY.search(text, blk[1], s):
                blk[1] = e
                blk[2].append((s, e))
                continue
        blocks.append([s, e, [(s, e)]])
    return blocks


def _old_find_motto(ct, start):
    from graph.ingest.parse import _EN_MOTTO, _MOTTO, _PARTY_MOTTO, _is_upper_line

    best = None
    for rx in (_MOTTO, _PARTY_MOTTO, _EN_MOTTO):
        for m in rx.finditer(ct.key, start):
            if _is_upper_line(ct.text[m.start():m.end()]):
                if best is None or m.start() < best[0]:
                    best = (m.start(), m.end())
                break
    return best


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(_LAYOUT, st.integers(0, 40), st.integers(0, 400))
def test_fast_paths_agree_with_the_regexes(text, lo, hi):
    import graph.ingest.parse as P

    lo, hi = min(lo, len(text)), min(max(lo, hi), len(text))
    # lines holding "|": literal search == the row-line regex
    want = [m.span() for m in P._line_matches(P._ROW_LINE, P._nl_form(P._ROW_LINE), text, lo, hi)]
    got = P._pipe_lines(text, lo, hi)
    assert got == want
    assert P._table_blocks(text, got) == _old_table_blocks(text, lo, hi)
    # labels: the first-character lookahead changes no match
    plain = re.compile("\n" + P._LABEL_BODY, re.MULTILINE)
    assert [m.span() for m in P._LABEL_NL.finditer(text, lo, hi)] == [m.span() for m in plain.finditer(text, lo, hi)]
    head = re.compile(P._ATTACH_HEAD_RE.pattern.replace(P._ATTACH_HEAD_RE.pattern[1:P._ATTACH_HEAD_RE.pattern.index(")") + 1],
                                                        "", 1), re.MULTILINE)
    assert [m.span() for m in P._ATTACH_HEAD_RE.finditer(text)] == [m.span() for m in head.finditer(text)]
    # mottos and the enacting sentence: searched from where they can begin
    ct = clean_text(text)
    assert P._find_motto(ct, lo) == _old_find_motto(ct, lo)
    want_m = P._ENACT_SENTENCE.search(ct.key, lo, hi)
    got_m = P._enact_sentence(ct.key, lo, hi)
    assert (got_m and got_m.span()) == (want_m and want_m.span())


@pytest.mark.parametrize("text", ["", "\n\n\n", "|||", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số:",
                                  "\x00\x01", "- - -", "I.\nII.\nIII."])
def test_garbage_gives_a_document(text):
    doc = parse(text)
    assert doc.metadata.document_number is None


# ---------------------------------------------------------------------------------------------
# Real corpus (skips without ../shared)
# ---------------------------------------------------------------------------------------------

FIELDS = ("document_number", "document_type", "issuer", "date_issued", "place", "signer")
KNOWN_MISSES = {
    # the text never names Lạng Sơn (expected from outside knowledge: the letter's URL is on
    # langson.gov.vn; ANNOTATION.md asks for "only what the text shows")
    ("031_langson_204-ubnd-vx_2012_thang_hanhdong_treem", "issuer"),
}


def _tones(s):
    if not s:
        return s
    k = fold_key(s)
    return "".join(kc.upper() if c.isupper() else kc for c, kc in zip(s, k, strict=True))


def test_corpus_metadata_matches_expected():
    corpus = need_corpus()
    misses = []
    files = sorted((corpus / "documents").glob("*.txt"))
    for f in files:
        exp = json.loads((corpus / "expected" / (f.stem + ".json")).read_text(encoding="utf-8"))["document"]
        md = parse(f.read_text(encoding="utf-8"), str(f)).metadata
        got = {"document_number": md.document_number, "document_type": md.document_type,
               "issuer": sorted(_tones(x) for x in md.issuer), "date_issued": md.date_issued,
               "place": md.place, "signer": _tones(md.signer)}
        want = dict(exp, issuer=sorted(_tones(x) for x in exp["issuer"]), signer=_tones(exp["signer"]))
        for k in FIELDS:
            if got[k] != want[k]:
                misses.append((f.stem, k, got[k], want[k]))
    unexpected = [m for m in misses if (m[0], m[1]) not in KNOWN_MISSES]
    assert not unexpected
    for k in FIELDS:
        assert sum(1 for m in misses if m[1] == k) / len(files) <= 0.021, k


def test_bulk_corpus_builds_and_agrees_with_manifest():
    corpus = need_corpus()
    bulk = corpus / "bulk"
    if not (bulk / "MANIFEST.tsv").is_file():
        pytest.skip("bulk corpus absent")
    rows = list(csv.DictReader((bulk / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    rows = rows[::2]          # every other document keeps the file under a minute on a busy machine

    def norm(s):
        return (s or "").replace("Đ", "D").replace("đ", "d").replace("/", "-").lower()

    score = {"number": [0, 0], "type": [0, 0], "year": [0, 0]}
    for r in rows:
        text = (bulk / "documents" / r["file"]).read_text(encoding="utf-8")
        doc = parse(text, r["file"])
        md = doc.metadata
        for p in doc.all_provisions():
            assert 0 <= p.span.start <= p.span.end <= len(text)
        if r["number_from_url"]:
            score["number"][1] += 1
            a, b = norm(md.document_number), norm(r["number_from_url"])
            score["number"][0] += a == b or (a.startswith(b + "-") and len(b) >= 4)
        if r["document_type_from_url"] and r["document_type_from_url"] != "Văn bản":
            score["type"][1] += 1
            score["type"][0] += md.document_type == r["document_type_from_url"]
        if r["year_from_url"]:
            score["year"][1] += 1
            y = (md.date_issued or "")[:4] or (re.search(r"/(\d{4})/", md.document_number or "") or [""])[0][1:5]
            score["year"][0] += y == r["year_from_url"]
    # the misses are crawls that lost the header (no number or date anywhere in the text) and
    # two URLs that differ from the printed number (see the report)
    assert score["number"][0] / score["number"][1] >= 0.93
    assert score["type"][0] / score["type"][1] >= 0.98
    assert score["year"][0] / score["year"][1] >= 0.95


# ---------------------------------------------------------------------------------------------
# The bulk check of bench/evaluate.py: how a number and a type are compared with the URL's
# ---------------------------------------------------------------------------------------------


def _evaluate():
    import importlib.util

    spec = importlib.util.spec_from_file_location("evaluate", ROOT / "bench" / "evaluate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize(
    ("ours", "url_number", "agrees"),
    [
        ("2820/QĐ-UBND", "2820-QD-UBND", True),               # bulk 001c610b
        ("66.8/2025/NQ-CP", "66-8-2025-NQ-CP", True),          # bulk 53a2def6: the slug turns "." into "-"
        ("2634/QĐ-TTg", "2634-QD", True),                      # the portal's URLs drop "TTg"
        ("52/2025/QĐ-CTUBND", "52-2025-QD-UBND", False),       # bulk fc5e61d7: the URL drops "CT"
        ("174/KH-UBND", "171-KH-UBND", False),                 # bulk 31fb08f3: the URL has another number
        (None, "225-CD", False),
    ],
)
def test_evaluate_url_number(ours, url_number, agrees):
    assert _evaluate().url_number_agrees(ours, url_number) is agrees


VBHN_URL = ("https://thuvienphapluat.vn/van-ban/Thuong-mai/Van-ban-hop-nhat-57-VBHN-BCT-2025-Thong-tu-phuong-"
            "phap-xac-dinh-phe-duyet-khung-gia-phat-dien-682830.aspx")   # bulk 087cf37a


@pytest.mark.parametrize(
    ("ours", "manifest_type", "url", "agrees"),
    [
        ("Văn bản hợp nhất", "Văn bản", VBHN_URL, True),      # the manifest cut the URL's type short
        ("Quyết định", "Văn bản", VBHN_URL, False),
        ("Văn bản", "Văn bản", VBHN_URL, True),
        ("Kế hoạch", "Quyết định", "https://x/Quyet-dinh-2820-QD-UBND-2025-a.aspx", False),
        ("Quyết định", "Quyết định", "https://x/Quyet-dinh-2820-QD-UBND-2025-a.aspx", True),
        (None, "Quyết định", "https://x/Quyet-dinh-2820-QD-UBND-2025-a.aspx", False),
    ],
)
def test_evaluate_url_type(ours, manifest_type, url, agrees):
    assert _evaluate().url_type_agrees(ours, manifest_type, url) is agrees


@pytest.mark.parametrize(
    ("text", "url_number", "printed"),
    [
        ("Số: 221/CĐ-TTg", "221-CD", True),
        ("Số: 22\n1/CĐ-TTg", "221-CD", True),                  # broken over a line
        ("Số: **22**1/CĐ-TTg", "221-CD", True),                # markup inside
        ("Số: 4O08/QĐ-BTC", "4008-QD-BTC", True),              # OCR O for 0
        ("Thông tư số 06/2024/TT-BGDĐT ngày 10", "24-2025-TT-BGDDT", False),   # bulk d3ec59a0: only "2024"
        ("Số: 174/KH-UBND", "171-KH-UBND", False),             # bulk 31fb08f3
    ],
)
def test_evaluate_number_printed(text, url_number, printed):
    assert _evaluate().number_printed(text, url_number) is printed


# ---- issuer from the number's issuer codes, when the text names none (bulk 277ec1cb, an English
# translation; a crawl that starts at the type heading) -------------------------------------------------
ENGLISH_DECREE = """|
**THE GOVERNMENT
OF VIETNAM**
---------
|
**THE SOCIALIST
REPUBLIC OF VIETNAM**
Independence – Freedom – Happiness
---------------
|
|
No. 301/2025/ND-CP
|
*Hanoi, November
17, 2025*
|


**DECREE**

AMENDMENTS
TO GOVERNMENT’S DECREE NO. 38/2024/ND-CP DATED APRIL 05, 2024 PRESCRIBING
PENALTIES FOR ADMINISTRATIVE VIOLATIONS AGAINST REGULATIONS ON FISHERIES
"""


@pytest.mark.parametrize("text, number, issuer", [
    (ENGLISH_DECREE, "301/2025/ND-CP", ("Chính phủ",)),
    # constructed: a provincial plan whose header lacks the locality
    ("KẾ HOẠCH\nTriển khai Chỉ thị số 28-CT/TW\n\nSố: 12/KH-UBND\n\nI. MỤC ĐÍCH\n", "12/KH-UBND", ()),
])
def test_issuer_from_the_numbers_codes_when_the_text_names_none(text, number, issuer):
    m = parse(text).metadata
    assert m.document_number == number
    assert tuple(m.issuer) == issuer  # a local code (UBND) names no body without a locality


# ---- a body with no numbered structure gets paragraph provisions (corpus 030, an official letter:
# its task had no provision, found by SHACL TaskShape on the corpus build) ---------------------------------
LETTER_030 = """VĂN PHÒNG CHÍNH PHỦ
-------

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập – Tự do – Hạnh phúc
--------------

Số: 2734/VPCP-KGVX
V/v thực hiện Chỉ thị 1408/CT-TTg ngày 01/9/2009 của Thủ tướng CP về tăng cường bảo vệ, chăm sóc trẻ em.

Hà Nội, ngày 27 tháng 04 năm 2010

Kínhgửi: Bộ Lao động – Thương binh và Xã hội

Bộ Lao động – Thương binh và Xã hộicó văn bản đôn đốc các Bộ, ngành liên quan, địa phương chủ động, tích cực triểnkhai thực hiện Chỉ thị số 1408/CT-TTg ngày 01 tháng 9 năm 2009 của Thủ tướngChính phủ.

Văn phòng Chính phủ thông báo để BộLao động – Thương binh và Xã hội biết, thực hiện.

Nơi nhận:
- Như trên;
- Lưu: VT, KGVX (03)
"""


def test_unstructured_body_gets_paragraph_provisions_and_its_task_one_of_them():
    from graph.pipeline import extract

    doc = parse(LETTER_030)
    assert [p.kind for p in doc.provisions] == ["paragraph"] * 3
    assert [p.eid for p in doc.provisions] == ["para_1", "para_2", "para_3"]
    for p in doc.provisions:
        assert " ".join(LETTER_030[p.span.start:p.span.end].split()) == p.text
    assert doc.provisions[2].text.startswith("Văn phòng Chính phủ thông báo")
    ex = extract(SourceText(path="030.txt", text=LETTER_030))
    assert ex.tasks and all(t.provision and t.provision.startswith("para_") for t in ex.tasks)


# ---- a crawl that starts with a table (bulk 76e422d2, 0ae1f5a6): "STT" is a header cell, no title -------
def test_first_table_header_cell_is_not_a_title():
    text = ("|\n**STT**\n|\n**Số\nhồ ****sơ**** TTHC**\n|\n**Tên****\n****TTHC**\n|\n|\n1\n|\n1.011012\n|\n"
            "Hoàn thuế theo Điều ước\nquốc tế khác\n|\n")
    assert parse(text).metadata.title is None

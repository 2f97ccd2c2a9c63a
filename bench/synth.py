"""Synthetic corpus generator: realistic Vietnamese plans, decisions and directives, by seed.

Used by ``bench/bench_ingest.py`` to measure how ingest time, memory and query latency grow
from a thousand to a hundred thousand documents. Each document follows the grammar of the real
corpus (``../shared/corpus``): an optional legal-portal block (``Số hiệu``, ``Ngày ban hành`` …),
the formal header (issuing body, national motto, ``Số: …``, place-and-date line, type heading,
title), a ``Căn cứ …`` / ``Thực hiện …`` preamble that cites other synthetic documents and real
instruments of ``data/registry/instruments.tsv``, a body of parts (I., II.), items (1., 2.),
points (a), b)) and dash bullets, a ``TỔ CHỨC THỰC HIỆN`` section (or ``Điều 2``/``Điều 3``)
that hands tasks to departments with ``chủ trì``/``phối hợp`` cues and deadlines, and a
closing (recipients, signature block). A quarter of the documents are written in the crawled
markdown style of ``bulk/`` (``**bold**``, ``|`` table pipes, lines broken at ~75 characters).

Determinism and random access: document ``i`` depends only on ``(seed, i)``; the identity of
any document (number, type, issuer, date) is computable without generating the others, so a
document can cite earlier ones and corpora can be generated in parallel shards. Numbers are
unique per issuer: provincial document ``i`` belongs to province ``i mod P`` with number
``i // P + 1``; every 50th document (``i mod 50 == 7``) is a Prime Minister's decision with
number ``3001 + i // 50`` in its own series (above the numbers of the real decisions in
``data/registry/instruments.tsv``, so a synthetic decision is never mistaken for a real one).

Command line::

    python bench/synth.py OUT_DIR --count 10000 [--seed 0] [--mean-kb 10] [--dup-rate 0]

writes ``OUT_DIR/s000/…`` (1,000 files per folder) and ``OUT_DIR/MANIFEST.tsv`` (file, number,
type, issuer, date, cited numbers, implemented numbers, task count, bytes).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "data" / "registry"

NATIONAL_EVERY = 50
NATIONAL_OFFSET = 7
NATIONAL_NUMBER_BASE = 3000
YEARS = tuple(range(2012, 2026))
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")

# --- grammar banks (synthetic text, not facts about any document) -------------------------------

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý", "Tôn", "Lò", "Y")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân", "Thị Thu", "Hồng")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam",
         "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến", "Điệp")

DEPARTMENTS = (
    # (name without locality, number code, English-free short topic hook)
    ("Sở Y tế", "SYT"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"),
    ("Sở Tài chính", "STC"),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT"),
    ("Sở Nội vụ", "SNV"),
    ("Sở Tư pháp", "STP"),
    ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "SNN"),
    ("Sở Tài nguyên và Môi trường", "STNMT"),
    ("Sở Khoa học và Công nghệ", "SKHCN"),
    ("Sở Công Thương", "SCT"),
    ("Sở Xây dựng", "SXD"),
)
OTHER_BODIES = ("Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Đài Phát thanh và Truyền hình tỉnh",
                "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Tỉnh đoàn", "Hội Liên hiệp Phụ nữ tỉnh",
                "Hội Nông dân tỉnh", "Liên đoàn Lao động tỉnh", "Bảo hiểm xã hội tỉnh")
COLLECTIVES = ("Các Sở, ban, ngành, đoàn thể cấp tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố",
               "Các cơ quan, đơn vị có liên quan", "Ủy ban nhân dân các xã, phường, thị trấn")
MINISTRIES = ("Bộ Y tế", "Bộ Giáo dục và Đào tạo", "Bộ Lao động - Thương binh và Xã hội", "Bộ Tài chính",
              "Bộ Kế hoạch và Đầu tư", "Bộ Nội vụ", "Bộ Tư pháp", "Bộ Thông tin và Truyền thông",
              "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Công an", "Bộ Nông nghiệp và Phát triển nông thôn")
DOMAINS = ("Văn hóa - Xã hội", "Bộ máy hành chính", "Thể thao - Y tế", "Giáo dục", "Công nghệ thông tin",
           "Lao động - Tiền lương", "Tài nguyên - Môi trường", "Thương mại")


@dataclass(frozen=True)
class Topic:
    """A policy subject: title phrase, lead department index, activity and goal phrases."""

    title: str
    lead: int
    partners: tuple[int, ...]
    activities: tuple[str, ...]
    goals: tuple[str, ...]
    domain: str


TOPICS = (
    Topic("tăng cường công tác chăm sóc, giáo dục và bảo vệ trẻ em", 2, (0, 1, 3, 8),
          ("tuyên truyền, phổ biến pháp luật về quyền trẻ em", "rà soát, cập nhật cơ sở dữ liệu về trẻ em",
           "kiện toàn đội ngũ cộng tác viên làm công tác trẻ em ở cộng đồng",
           "tổ chức Tháng hành động vì trẻ em hằng năm", "hỗ trợ trẻ em có hoàn cảnh đặc biệt",
           "xây dựng môi trường sống an toàn, thân thiện với trẻ em",
           "phòng, chống bạo lực, xâm hại trẻ em trong gia đình và nhà trường",
           "tổ chức Diễn đàn trẻ em các cấp"),
          ("100% trẻ em có hoàn cảnh đặc biệt được trợ giúp kịp thời",
           "giảm tỷ lệ trẻ em bị tai nạn, thương tích", "95% xã, phường đạt tiêu chuẩn phù hợp với trẻ em"),
          "Văn hóa - Xã hội"),
    Topic("tăng cường công tác dân số trong tình hình mới", 0, (2, 1, 5, 3),
          ("truyền thông thay đổi hành vi về dân số và phát triển", "nâng cao chất lượng dân số",
           "tầm soát, chẩn đoán trước sinh và sơ sinh", "chăm sóc sức khỏe người cao tuổi",
           "kiểm soát mất cân bằng giới tính khi sinh", "củng cố mạng lưới cộng tác viên dân số"),
          ("duy trì mức sinh thay thế", "tỷ số giới tính khi sinh dưới 109 bé trai/100 bé gái"),
          "Thể thao - Y tế"),
    Topic("đẩy mạnh chuyển đổi số và phát triển chính quyền số", 7, (4, 3, 5, 11),
          ("xây dựng, cập nhật cơ sở dữ liệu dùng chung của tỉnh", "cung cấp dịch vụ công trực tuyến toàn trình",
           "bảo đảm an toàn, an ninh thông tin mạng", "phát triển hạ tầng số",
           "đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức", "thúc đẩy thanh toán không dùng tiền mặt"),
          ("80% hồ sơ thủ tục hành chính được xử lý trực tuyến", "100% cơ quan nhà nước kết nối mạng truyền số liệu"),
          "Công nghệ thông tin"),
    Topic("phòng, chống ma túy và kiểm soát ma túy", 2, (0, 1, 8),
          ("tuyên truyền phòng, chống ma túy trong trường học", "quản lý người sử dụng trái phép chất ma túy",
           "tổ chức cai nghiện ma túy tại gia đình và cộng đồng", "xây dựng xã, phường không ma túy",
           "hỗ trợ tái hòa nhập cộng đồng cho người sau cai nghiện"),
          ("giảm số người nghiện ma túy", "100% người nghiện được tư vấn, điều trị"), "Văn hóa - Xã hội"),
    Topic("thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững", 2, (4, 3, 9, 12),
          ("hỗ trợ phát triển sản xuất, đa dạng hóa sinh kế", "hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo",
           "hỗ trợ việc làm bền vững", "truyền thông và giảm nghèo về thông tin",
           "nâng cao năng lực thực hiện chương trình", "rà soát hộ nghèo, hộ cận nghèo hằng năm"),
          ("giảm tỷ lệ hộ nghèo đa chiều bình quân 1-1,5%/năm",), "Văn hóa - Xã hội"),
    Topic("phát triển giáo dục mầm non", 1, (3, 5, 13, 0),
          ("rà soát, sắp xếp mạng lưới trường, lớp mầm non", "bảo đảm đủ giáo viên mầm non theo định mức",
           "đầu tư cơ sở vật chất, thiết bị dạy học", "nâng cao chất lượng nuôi dưỡng, chăm sóc trẻ",
           "phát triển giáo dục mầm non ở khu công nghiệp"),
          ("huy động 99% trẻ mẫu giáo đến trường",), "Giáo dục"),
    Topic("bảo vệ môi trường và ứng phó với biến đổi khí hậu", 10, (9, 12, 13),
          ("kiểm soát các nguồn gây ô nhiễm môi trường", "thu gom, xử lý chất thải rắn sinh hoạt",
           "quan trắc chất lượng không khí", "phòng, chống thiên tai", "trồng rừng và bảo vệ rừng"),
          ("100% chất thải nguy hại được xử lý",), "Tài nguyên - Môi trường"),
    Topic("cải cách thủ tục hành chính", 5, (6, 7, 3),
          ("rà soát, đơn giản hóa thủ tục hành chính", "nâng cao chỉ số hài lòng của người dân",
           "thực hiện cơ chế một cửa, một cửa liên thông", "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
           "kiểm tra công tác cải cách hành chính"),
          ("chỉ số PAR INDEX tăng hằng năm",), "Bộ máy hành chính"),
)

VERBS = ("Chủ trì, phối hợp với {partners} triển khai {act}", "Tham mưu Ủy ban nhân dân tỉnh {act}",
         "Hướng dẫn, đôn đốc các địa phương {act}", "Phối hợp với {partners} {act}",
         "Tổ chức {act}", "Theo dõi, kiểm tra việc {act}", "Bố trí kinh phí để {act}")
DEADLINES = ("; thời gian thực hiện: hằng năm", "; hoàn thành trước ngày 30/6/{y}", "; thời gian: quý IV năm {y}",
             "; định kỳ 6 tháng báo cáo Ủy ban nhân dân tỉnh", "; hoàn thành trong năm {y}", "", "")
FILLER = ("nhằm nâng cao hiệu quả công tác quản lý nhà nước trên địa bàn tỉnh",
          "bảo đảm thiết thực, hiệu quả, phù hợp với tình hình thực tiễn của địa phương",
          "gắn với việc thực hiện nhiệm vụ phát triển kinh tế - xã hội của từng ngành, địa phương",
          "huy động sự tham gia của cả hệ thống chính trị và toàn xã hội",
          "tạo sự chuyển biến tích cực về nhận thức và hành động của các cấp, các ngành")


# --- registries ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def provinces() -> tuple[tuple[str, str, str], ...]:
    """``(short name, full name, kind)`` of the provinces of ``data/registry/localities.tsv``
    (level ``province``), in file order. Raises ``FileNotFoundError`` without the registry."""
    out = []
    with open(REGISTRY / "localities.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["level"] == "province" and not row.get("valid_from"):
                out.append((row["name"], row["full_name"], row["kind"]))
    return tuple(out)


@lru_cache(maxsize=1)
def registry_instruments() -> tuple[dict, ...]:
    """Rows of ``data/registry/instruments.tsv`` issued by national bodies (cited as real
    instruments by synthetic documents)."""
    with open(REGISTRY / "instruments.tsv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["document_number"] and r["date_issued"]]
    return tuple(r for r in rows if not any(w in r["issuer"] for w in ("tỉnh", "Tỉnh ủy")))


# --- identities ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Identity:
    """Who issued document ``i``, when, and under which number (all synthetic).

    ``date``: ISO 8601. ``province``: short name, or ``None`` for a national document.
    """

    index: int
    number: str
    doc_type: str
    type_code: str
    issuer: str
    issuer_header: tuple[str, ...]
    province: str | None
    province_full: str | None
    date: str
    topic: int

    @property
    def year(self) -> int:
        """Year of issue."""
        return int(self.date[:4])


def _rng(seed: int, i: int, salt: str = "") -> random.Random:
    return random.Random(f"{seed}:{i}:{salt}")


def identity(i: int, seed: int = 0) -> Identity:
    """The identity of synthetic document ``i`` under ``seed`` (see module docstring)."""
    r = _rng(seed, i, "id")
    year = r.choice(YEARS)
    month, day = r.randint(1, 12), r.randint(1, 28)
    date = f"{year:04d}-{month:02d}-{day:02d}"
    topic = r.randrange(len(TOPICS))
    if i % NATIONAL_EVERY == NATIONAL_OFFSET:
        return Identity(i, f"{NATIONAL_NUMBER_BASE + i // NATIONAL_EVERY + 1}/QĐ-TTg", "Quyết định", "QĐ", "Thủ tướng Chính phủ",
                        ("THỦ TƯỚNG CHÍNH PHỦ",), None, None, date, topic)
    provs = provinces()
    short, full, _kind = provs[i % len(provs)]
    n = i // len(provs) + 1
    kind = r.random()
    if kind < 0.55:
        t, code = "Kế hoạch", "KH"
    elif kind < 0.9:
        t, code = "Quyết định", "QĐ"
    else:
        t, code = "Chỉ thị", "CT"
    number = f"{n}/{code}-UBND"
    issuer = f"Ủy ban nhân dân {full}"
    return Identity(i, number, t, code, issuer, ("ỦY BAN NHÂN DÂN", full.upper()), short, full, date, topic)


def _cite_text(ident: Identity, *, short: bool = False) -> str:
    y, m, d = ident.date.split("-")
    if ident.province is None:
        return (f"{ident.doc_type} số {ident.number} ngày {int(d)} tháng {int(m)} năm {y} của {ident.issuer} "
                f"phê duyệt Chương trình {TOPICS[ident.topic].title} giai đoạn {y}-{int(y) + 5}")
    if short:
        return f"{ident.doc_type} số {ident.number} ngày {int(d)}/{int(m)}/{y}"
    return (f"{ident.doc_type} số {ident.number} ngày {int(d)} tháng {int(m)} năm {y} của {ident.issuer} "
            f"về {TOPICS[ident.topic].title}")


def _registry_cite(row: dict) -> str:
    y, m, d = row["date_issued"].split("-")
    return (f"{row['document_type']} số {row['document_number']} ngày {int(d)} tháng {int(m)} năm {y} "
            f"của {row['issuer']} {'về' if row['document_type'] != 'Quyết định' else 'phê duyệt'} "
            f"{row['known_as'][0].lower() + row['known_as'][1:]}")


def earlier_documents(i: int, seed: int = 0, *, k: int = 3) -> list[Identity]:
    """Up to ``k`` earlier synthetic documents that document ``i`` may cite: same province (or
    national ones), issued before it. Deterministic."""
    me = identity(i, seed)
    r = _rng(seed, i, "cite")
    p = len(provinces())
    cands: list[Identity] = []
    for step in r.sample(range(1, 40), 12):
        j = i - p * step
        if j >= 0:
            o = identity(j, seed)
            if o.province == me.province and o.date < me.date and o.number != me.number:
                cands.append(o)
    first = max(NATIONAL_OFFSET, NATIONAL_OFFSET + NATIONAL_EVERY * ((i - NATIONAL_OFFSET) // NATIONAL_EVERY - 60))
    nat = [identity(j, seed) for j in range(first, i, NATIONAL_EVERY)]
    nat = [o for o in nat if o.date < me.date and o.topic == me.topic] or [o for o in nat if o.date < me.date]
    if nat:
        cands.insert(0, r.choice(nat))
    seen, out = set(), []
    for c in cands:
        if c.number not in seen:
            seen.add(c.number)
            out.append(c)
    return out[:k]


# --- documents ---------------------------------------------------------------------------------------

@dataclass
class SynthDoc:
    """One generated document: ``text`` and what a perfect extractor would find in it."""

    identity: Identity
    text: str
    implements: list[str] = field(default_factory=list)
    based_on: list[str] = field(default_factory=list)
    tasks: int = 0
    markdown: bool = False

    @property
    def filename(self) -> str:
        """File name: index, type code and slugged number, ``.md`` in markdown style else ``.txt``."""
        num = self.identity.number.replace("/", "-").replace("Đ", "D")
        return f"{self.identity.index:06d}_{num}.{'md' if self.markdown else 'txt'}"


def _name(r: random.Random) -> str:
    return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"


def _sentence(r: random.Random, topic: Topic, ident: Identity) -> str:
    act = r.choice(topic.activities)
    partners = ", ".join(DEPARTMENTS[j][0] for j in r.sample(topic.partners, min(2, len(topic.partners))))
    verb = r.choice(VERBS).format(act=act, partners=partners)
    tail = r.choice(DEADLINES).format(y=ident.year + r.randint(0, 2))
    extra = f", {r.choice(FILLER)}" if r.random() < 0.6 else ""
    return f"{verb}{extra}{tail}."


def _bullets(r: random.Random, topic: Topic, ident: Identity, n: int) -> list[str]:
    return ["- " + _sentence(r, topic, ident) for _ in range(n)]


def _prose(r: random.Random, topic: Topic, n: int) -> str:
    parts = []
    for _ in range(n):
        parts.append(f"{r.choice(FILLER).capitalize()}; {r.choice(topic.activities)}, {r.choice(FILLER)}.")
    return " ".join(parts)


def _date_line(ident: Identity) -> str:
    y, m, d = ident.date.split("-")
    place = ident.province or "Hà Nội"
    return f"{place}, ngày {int(d):02d} tháng {int(m)} năm {y}"


def _portal(r: random.Random, ident: Identity, title: str, signer: str) -> list[str]:
    y, m, d = ident.date.split("-")
    issuer = f"Tỉnh {ident.province}" if ident.province else ident.issuer
    return [f"{r.choice(WEEKDAYS)}, Ngày {r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{ident.year + 1}", "",
            f"{ident.doc_type} {ident.number} {title} do {issuer.lower() if ident.province else issuer} ban hành",
            "", f"Số hiệu {ident.number}", f"Ngày ban hành {d}/{m}/{y}", f"Ngày có hiệu lực {d}/{m}/{y}",
            f"Loại văn bản {ident.doc_type}", f"Cơ quan ban hành {issuer}", f"Người ký {signer}",
            f"Lĩnh vực {TOPICS[ident.topic].domain}", ""]


def _header(ident: Identity) -> list[str]:
    return [*ident.issuer_header, "", "-------", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc", "---------------", "", f"Số: {ident.number}", "", _date_line(ident), ""]


def _assignment_section(r: random.Random, topic: Topic, ident: Identity, heading: str, size: int,
                        kind: str) -> tuple[list[str], int]:
    lines = [heading, ""]
    tasks = 0
    depts = [topic.lead, *[j for j in topic.partners if j != topic.lead]]
    depts += r.sample(range(len(DEPARTMENTS)), 2)
    seen = []
    for j in depts:
        if j not in seen:
            seen.append(j)
    n = 0
    for j in seen[: 3 + size]:
        n += 1
        dept = DEPARTMENTS[j][0]
        lines += [f"{n}. {dept}", ""]
        for b in range(r.randint(1, 3)):
            if j == topic.lead and b == 0:
                partners = ", ".join(DEPARTMENTS[k][0] for k in topic.partners[:2] if k != j) or "các cơ quan liên quan"
                lines.append(f"- Là cơ quan thường trực, chủ trì, phối hợp với {partners} tham mưu Ủy ban nhân dân "
                             f"tỉnh triển khai thực hiện {kind} này; định kỳ trước ngày 15/12 hằng năm "
                             f"tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện.")
            else:
                lines.append("- " + _sentence(r, topic, ident))
            lines.append("")
            tasks += 1
    for body in r.sample(OTHER_BODIES, r.randint(1, 2)):
        n += 1
        lines += [f"{n}. {body}", "", "- " + _sentence(r, topic, ident), ""]
        tasks += 1
    n += 1
    coll = r.choice(COLLECTIVES[:2])
    lines += [f"{n}. {coll}", "", f"Căn cứ chức năng, nhiệm vụ được giao, xây dựng kế hoạch cụ thể để {r.choice(topic.activities)}; "
              f"báo cáo kết quả thực hiện về {DEPARTMENTS[topic.lead][0]} trước ngày 10/12 hằng năm để tổng hợp.", ""]
    tasks += 1
    return lines, tasks


def _plan_body(r: random.Random, topic: Topic, ident: Identity, size: int, kind: str) -> tuple[list[str], int]:
    lines = ["I. MỤC ĐÍCH, YÊU CẦU", "", "1. Mục đích", ""]
    lines += [f"- {_prose(r, topic, r.randint(1, 3))}", "" ] * 1
    lines += ["2. Yêu cầu", "", f"- {_prose(r, topic, r.randint(1, 2))}", ""]
    lines += ["II. MỤC TIÊU", ""]
    for g in topic.goals:
        lines += [f"- Đến năm {ident.year + r.randint(2, 5)}, {g}.", ""]
    lines += ["III. NHIỆM VỤ, GIẢI PHÁP", ""]
    for k in range(1, size + 2):
        act = r.choice(topic.activities)
        lines += [f"{k}. {act[0].upper() + act[1:]}", ""]
        if r.random() < 0.4:
            for pt in "abc"[: r.randint(1, 3)]:
                lines += [f"{pt}) {_sentence(r, topic, ident)}", ""]
        else:
            for b in _bullets(r, topic, ident, r.randint(1, 4)):
                lines += [b, ""]
    lines += ["IV. KINH PHÍ THỰC HIỆN", "",
              f"Kinh phí thực hiện {kind} được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành "
              "và các nguồn huy động hợp pháp khác.", ""]
    sec, tasks = _assignment_section(r, topic, ident, "V. TỔ CHỨC THỰC HIỆN", size, kind)
    return lines + sec, tasks


def generate(i: int, seed: int = 0, *, mean_kb: float = 10.0) -> SynthDoc:
    """Generate synthetic document ``i`` (pure function of ``(i, seed, mean_kb)``).

    ``mean_kb``: target mean size in kilobytes of UTF-8 (documents vary from ~0.3× to ~3× it).
    """
    ident = identity(i, seed)
    r = _rng(seed, i, "body")
    topic = TOPICS[ident.topic]
    signer = _name(r)
    size = max(1, int(r.lognormvariate(0, 0.6) * mean_kb / 2.2))
    cites = earlier_documents(i, seed)
    real = list(registry_instruments())
    reals = r.sample(real, min(len(real), r.randint(0, 2))) if real else []
    doc = SynthDoc(ident, "")
    lines: list[str] = []
    title_core = topic.title
    period = f"giai đoạn {ident.year}-{ident.year + 5}"
    if ident.province is None:
        title = f"PHÊ DUYỆT CHƯƠNG TRÌNH {topic.title.upper()} {period.upper()}"
        if r.random() < 0.5:
            lines += _portal(r, ident, f"phê duyệt Chương trình {title_core} {period}", signer)
        lines += _header(ident) + ["QUYẾT ĐỊNH", "", title, "", "THỦ TƯỚNG CHÍNH PHỦ", ""]
        for row in reals:
            lines.append(f"Căn cứ {_registry_cite(row)};")
            doc.based_on.append(row["document_number"])
        lines.append(f"Xét đề nghị của Bộ trưởng {r.choice(MINISTRIES)},")
        lines += ["", "QUYẾT ĐỊNH:", "",
                  f"Điều 1. Phê duyệt Chương trình {title_core} {period} với các nội dung chủ yếu sau đây:", ""]
        body, _ = _plan_body(r, topic, ident, size, "Chương trình")
        lines += body[: body.index("V. TỔ CHỨC THỰC HIỆN")]
        lines += ["Điều 2. Tổ chức thực hiện", ""]
        tasks = 0
        for n, m in enumerate(r.sample(MINISTRIES, 3), 1):
            lines += [f"{n}. {m}", "", f"- Chủ trì, phối hợp với các bộ, ngành liên quan {r.choice(topic.activities)} "
                      f"trên phạm vi cả nước; hoàn thành trong năm {ident.year + 1}.", ""]
            tasks += 1
        lines += ["4. Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "",
                  f"- Xây dựng kế hoạch thực hiện Chương trình tại địa phương; {r.choice(topic.activities)}.", "",
                  "Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.", "",
                  "Điều 4. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố "
                  "trực thuộc trung ương chịu trách nhiệm thi hành Quyết định này./.", ""]
        doc.tasks = tasks + 1
        closing = ["Nơi nhận:", "- Ban Bí thư Trung ương Đảng;", "- Các Bộ, cơ quan ngang bộ;", "- Lưu: VT, KGVX.", "",
                   "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "", signer]
    else:
        impl = cites[0] if cites and r.random() < 0.8 else None
        if impl is None and reals:
            impl_text, impl_num = _registry_cite(reals[0]), reals[0]["document_number"]
            reals = reals[1:]
        elif impl is not None:
            impl_text, impl_num = _cite_text(impl), impl.number
        else:
            impl_text, impl_num = None, None
        if ident.doc_type == "Kế hoạch":
            title = (f"THỰC HIỆN {impl_text.split(' về ')[0].upper()} VỀ {topic.title.upper()}" if impl_text
                     else f"{topic.title.upper()} {period.upper()}")
        elif ident.doc_type == "Chỉ thị":
            title = f"VỀ VIỆC {topic.title.upper()}"
        else:
            title = f"VỀ VIỆC BAN HÀNH KẾ HOẠCH {topic.title.upper()} {period.upper()}"
        if r.random() < 0.6:
            lines += _portal(r, ident, title.capitalize(), signer)
        lines += _header(ident) + [ident.doc_type.upper(), "", title, ""]
        if ident.doc_type == "Quyết định":
            lines += [f"ỦY BAN NHÂN DÂN {ident.province_full.upper()}", "",
                      "Căn cứ Luật Tổ chức chính quyền địa phương;", ""]
            for row in reals:
                lines += [f"Căn cứ {_registry_cite(row)};", ""]
                doc.based_on.append(row["document_number"])
            for c in cites:
                lines += [f"Căn cứ {_cite_text(c)};", ""]
                doc.based_on.append(c.number)
            lead = DEPARTMENTS[topic.lead]
            lines += [f"Theo đề nghị của Giám đốc {lead[0]} tại Tờ trình số {r.randint(10, 999)}/TTr-{lead[1]} "
                      f"ngày {r.randint(1, 28)}/{r.randint(1, 12)}/{ident.year}.", "", "QUYẾT ĐỊNH:", "",
                      f"Điều 1. Ban hành kèm theo Quyết định này Kế hoạch {topic.title} {period}.", "",
                      "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.", "",
                      f"Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc {lead[0]}, Thủ trưởng các Sở, ban, ngành, "
                      "Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố chịu trách nhiệm thi hành Quyết định này./.",
                      ""]
            body, tasks = _plan_body(r, topic, ident, size, "Kế hoạch")
            lines += ["KẾ HOẠCH", "", f"{topic.title.upper()} {period.upper()}",
                      f"(Ban hành kèm theo Quyết định số {ident.number} ngày {_date_line(ident).split('ngày ')[1]} "
                      f"của Ủy ban nhân dân {ident.province_full})", ""] + body
        else:
            opening = []
            if impl_text:
                opening.append(f"Thực hiện {impl_text}")
                doc.implements.append(impl_num)
            for c in cites[1:]:
                opening.append(_cite_text(c))
                doc.implements.append(c.number)
            for row in reals:
                opening.append(_registry_cite(row))
                doc.implements.append(row["document_number"])
            if opening:
                lines += ["; ".join(opening) + f"; Ủy ban nhân dân tỉnh ban hành {ident.doc_type} triển khai thực hiện, "
                          "cụ thể như sau:", ""]
            body, tasks = _plan_body(r, topic, ident, size, ident.doc_type)
            lines += body
        doc.tasks = tasks
        kind = "Kế hoạch" if ident.doc_type == "Quyết định" else ident.doc_type
        closing = [f"Trên đây là {kind} {topic.title} của Ủy ban nhân dân tỉnh; trong quá trình thực hiện, "
                   f"nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về {DEPARTMENTS[topic.lead][0]} để tổng hợp, "
                   "báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.", "",
                   "Nơi nhận:", "- Thường trực Tỉnh ủy;", "- Chủ tịch, các PCT UBND tỉnh;",
                   "- Các Sở, ban, ngành tỉnh;", "- Lưu: VT, KGVX.", "",
                   "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", signer]
    lines += [""] + closing
    doc.markdown = r.random() < 0.25
    doc.text = _markdownify(lines, r) if doc.markdown else "\n".join(lines) + "\n"
    return doc


def _wrap(line: str, width: int) -> list[str]:
    out, cur = [], ""
    for w in line.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    out.append(cur)
    return out


def _markdownify(lines: list[str], r: random.Random) -> str:
    """The crawled-portal style of ``bulk/``: bold headings, ``|`` cells, lines broken at ~75
    characters, italic "Căn cứ" lines."""
    out: list[str] = []
    for ln in lines:
        s = ln.strip()
        if not s:
            out.append("")
            continue
        if s.isupper() or s.startswith(("Điều ", "QUYẾT ĐỊNH")) or (s[:2].rstrip(".").isdigit() and len(s) < 80):
            s = f"**{s}**"
        elif s.startswith("Căn cứ"):
            s = f"*{s}*"
        if s.startswith("Số:") or s.startswith("**CỘNG HÒA"):
            out.append("|")
        out.extend(_wrap(s, r.randint(60, 80)))
    return "\n".join(out) + "\n"


# --- corpus on disk -------------------------------------------------------------------------------------

MANIFEST_FIELDS = ("file", "number", "type", "issuer", "date", "based_on", "implements", "tasks", "bytes", "duplicate_of")


def _write_range(args: tuple) -> list[dict]:
    out_dir, start, stop, seed, mean_kb, dup_rate = args
    rows = []
    for i in range(start, stop):
        r = _rng(seed, i, "dup")
        if i > 0 and r.random() < dup_rate:
            # the same document from a second source: another file, other formatting
            j = r.randrange(0, i)
            d = generate(j, seed, mean_kb=mean_kb)
            text = d.text.replace("\n\n", "\n \n") if not d.markdown else d.text.replace("**", "")
            name, dup = f"{i:06d}_copy-of-{d.filename}", d.filename
        else:
            d = generate(i, seed, mean_kb=mean_kb)
            text, name, dup = d.text, d.filename, ""
        sub = Path(out_dir) / f"s{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (sub / name).write_bytes(data)
        rows.append({"file": f"{sub.name}/{name}", "number": d.identity.number, "type": d.identity.doc_type,
                     "issuer": d.identity.issuer, "date": d.identity.date, "based_on": ";".join(d.based_on),
                     "implements": ";".join(d.implements), "tasks": d.tasks, "bytes": len(data),
                     "duplicate_of": dup})
    return rows


def write_corpus(out_dir: str | os.PathLike, count: int, *, seed: int = 0, mean_kb: float = 10.0,
                 dup_rate: float = 0.0, workers: int = 1) -> dict:
    """Write documents ``0 … count-1`` under ``out_dir`` (1,000 per sub-folder) and
    ``MANIFEST.tsv``. ``dup_rate``: share of files that are a re-formatted copy of an earlier
    document (a second source of the same document). Existing files are overwritten.

    Returns ``{"documents": n, "bytes": total, "seconds": wall time}``.
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    step = 500
    jobs = [(str(out), s, min(s + step, count), seed, mean_kb, dup_rate) for s in range(0, count, step)]
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        with ProcessPoolExecutor(workers) as pool:
            chunks = list(pool.map(_write_range, jobs))
    else:
        chunks = [_write_range(j) for j in jobs]
    total = 0
    with open(out / "MANIFEST.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS, delimiter="\t")
        w.writeheader()
        for rows in chunks:
            for row in rows:
                total += row["bytes"]
                w.writerow(row)
    return {"documents": count, "bytes": total, "seconds": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mean-kb", type=float, default=10.0)
    ap.add_argument("--dup-rate", type=float, default=0.0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args(argv)
    s = write_corpus(a.out_dir, a.count, seed=a.seed, mean_kb=a.mean_kb, dup_rate=a.dup_rate, workers=a.workers)
    print(f"wrote {s['documents']} documents, {s['bytes'] / 1e6:.1f} MB in {s['seconds']:.1f} s to {a.out_dir}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Agencies named in a document: recognition, canonical names, grouping.

Stages (eyecite style, patterns built from data):

1. Patterns are compiled once per :class:`~graph.agency_registry.AgencyRegistry` from its
   names, abbreviations and phrase variants (``data/registry/agency_terms.tsv``): "Ủy ban nhân
   dân" also matches "UBND", "Uỷ ban nhân dân", "UB nhân dân"; "Lao động - Thương binh và Xã
   hội" also "Lao động – Thương binh & Xã hội", "LĐ-TB&XH", "LĐTBXH"; "&" and "và" are
   interchangeable, commas and dashes inside names optional.
2. :func:`find_agencies` scans a stretch of the clean text (regexes run on ``CleanText.key``,
   the lower-case tone-folded copy, with "Đăk" read as "Đắk") and returns :class:`Hit` objects:
   specific bodies (a registry row; a list sharing one head word, "các Sở: Y tế, Tư pháp";
   a body with a generic head such as "Ban Chỉ đạo …", "Trung tâm …", "Cục …"; a Deputy Prime
   Minister by name) and collective references ("các Sở, ban, ngành", "Ủy ban nhân dân các
   huyện, thành phố", "UBND xã, phường").
3. Canonical names (:func:`canonical_agency`): modern tone marks, abbreviations expanded, the
   locality added ("Sở Y tế" in a Lạng Sơn plan → "Sở Y tế tỉnh Lạng Sơn"; "Tỉnh ủy" →
   "Tỉnh ủy Lạng Sơn"; in documents of national bodies no locality is guessed).
4. :func:`extract_agencies` runs the scan over the whole document, the formal header, the
   portal block and the recipient list ("Nơi nhận", where short forms such as "TT HĐND tỉnh",
   "CT, PCT UBND TP", "Sở: TC, YT" and the Government Office's department codes are read), and
   returns :class:`~graph.models.AgencyMention` objects; :func:`group_agencies` merges them into
   :class:`~graph.models.Agency` objects with surfaces, English label, parent and members.

Titles stand for their body ("Giám đốc Sở Y tế", "Chánh Văn phòng UBND tỉnh" → the body; "Các
Bộ trưởng" → "Các Bộ"), except the Chairperson of a People's Committee, who is an agency of
his own in the annotation schema (``../shared/corpus/ANNOTATION.md``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

try:  # the regex parser, used to index patterns by their literal prefixes (speed only)
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from graph.agency_registry import AgencyRegistry, AgencyRow, Locality, load_agency_registry
from graph.ingest.text import collapse_ws, fold_key, literal_trie, strip_accents
from graph.models import Agency, AgencyMention, Document, Span

# --------------------------------------------------------------------------------------------
# Word lists (rules as data). Entries are lower case with modern tone marks (``fold_key``).
# --------------------------------------------------------------------------------------------

TITLES: tuple[str, ...] = (
    "phó chủ tịch thường trực", "phó chủ tịch", "chủ tịch", "phó giám đốc", "tổng giám đốc",
    "giám đốc", "thủ trưởng", "người đứng đầu", "lãnh đạo", "tư lệnh", "chỉ huy trưởng",
    "chánh án", "tổng biên tập", "trưởng",
)
"""Titles that may open a collective reference; the body is what the text makes responsible
("Thủ trưởng các sở, ban, ngành" → "các sở, ban, ngành"). "Bộ trưởng" becomes "Bộ"."""

HEAD_TITLES = ("trưởng", "phó")
"""Words that, right after the head of a body, make a person's title of it ("Cục trưởng",
"Vụ phó", "CỤC TRƯỞNG" over a signature): no body is read there. "Các Bộ trưởng" alone stands
for the ministries ("Các Bộ"), as the corpus annotation records (``../shared/corpus/expected``
103_ttg, 104_ttg: agency "Các Bộ" for "Các Bộ trưởng … chịu trách nhiệm thi hành")."""

DETERMINERS = ("tất cả các", "toàn thể các", "các", "mỗi", "từng")
"""Words that open a collective reference ("các Sở, ban, ngành")."""

COLLECTIVE_NOUNS = (
    "sở", "ban", "ngành", "bộ", "đoàn thể", "cơ quan", "đơn vị", "địa phương", "tổ chức", "hội",
    "cấp ủy", "cấp", "chính quyền", "lực lượng", "huyện", "quận", "thị xã", "thành phố", "tỉnh",
    "xã", "phường", "thị trấn", "đặc khu", "tp", "tx", "cơ sở", "trường", "trường học", "trung tâm",
    "trạm", "doanh nghiệp", "cá nhân", "quân khu", "vụ", "cục", "phòng", "ủy ban", "ub",
    "ban chỉ đạo", "đội", "chi cục", "hệ thống", "ngành dọc", "viện", "đài", "cơ quan ngang bộ",
    "thành viên", "đảng ủy", "hội đồng", "ban ngành", "ủy ban nhân dân", "ubnd", "hđnd",
    "hội đồng nhân dân", "bệnh viện", "phó thủ tướng", "bộ trưởng", "tc ct-xh", "trang thông tin",
    "chủ đầu tư", "chủ dự án", "cơ quan báo chí", "cơ quan thông tấn", "trạm y tế",
)
"""Heads of collective references (after a determiner)."""

CONTINUE_WORDS = COLLECTIVE_NOUNS + (
    "liên quan", "có liên quan", "đoàn thể", "địa phương", "quân đội", "cá nhân", "chính quyền",
    "ngành", "các", "trực thuộc", "thuộc", "mặt trận tổ quốc",
)
"""Words that continue a collective after a comma or "và" ("các cơ quan, đơn vị và địa
phương")."""

COLLECTIVE_STOP = frozenset((
    "tới", "đến", "về", "cho", "để", "nhằm", "việc", "theo", "tại", "trong", "với", "từ", "khi", "nếu",
    "là", "đã", "này", "đó", "thì", "mà", "như", "gồm", "bao", "sau", "trước", "ngay",
))
"""Function words that end a collective reference ("các sở, ban, ngành tỉnh có liên quan <tới>
việc …")."""

MULTIWORD_NOUNS = (
    "viện nghiên cứu", "trung tâm nghiên cứu", "cơ sở giáo dục", "cơ sở y tế", "cơ sở đào tạo",
    "cơ quan báo chí", "cơ quan thông tấn", "cơ quan truyền thông", "cơ quan chuyên môn",
    "cơ quan ngang bộ", "cơ quan thông tin đại chúng", "tổ chức chính trị - xã hội",
    "tổ chức chính trị xã hội", "tổ chức xã hội", "tổ chức thành viên", "tổ chức tín dụng",
    "trường đại học", "cơ sở cai nghiện", "đơn vị sự nghiệp", "hệ thống thông tin cơ sở",
    "cơ sở sản xuất", "tổ chức hội", "tổ chức đoàn thể", "cơ quan chức năng", "lực lượng chức năng",
    "cơ quan thường trực", "ban đại diện", "trạm y tế", "trung tâm y tế", "chủ dự án", "chủ đầu tư",
)
"""Nouns of several words inside collectives, read as one unit ("các trường đại học, viện nghiên
cứu" — "nghiên cứu" is not a verb there)."""

TASK_VERBS: tuple[str, ...] = tuple(sorted({
    "xây dựng", "tổ chức", "tham mưu", "tăng cường", "thi hành", "triển khai", "thực hiện",
    "nghiên cứu", "tiếp tục", "đẩy mạnh", "chỉ đạo", "đầu tư", "rà soát", "hoàn thiện", "phối hợp",
    "kịp thời", "tham gia", "báo cáo", "chủ động", "thường xuyên", "hướng dẫn", "bố trí", "giám sát",
    "kiểm tra", "theo dõi", "nâng cao", "ứng dụng", "ban hành", "thu thập", "tập trung", "bảo đảm",
    "hoàn thành", "tổng hợp", "đề xuất", "chịu trách nhiệm", "hỗ trợ", "mở rộng", "thí điểm",
    "huy động", "đôn đốc", "phát huy", "tiến hành", "khuyến khích", "chú trọng", "lập", "khẩn trương",
    "tổng kết", "sơ kết", "đảm bảo", "trực tiếp", "thành lập", "áp dụng", "bổ sung", "tích hợp",
    "tìm kiếm", "lồng ghép", "kiểm soát", "lựa chọn", "đẩy nhanh", "định kỳ", "giúp", "vận hành",
    "diễn tập", "công khai", "kết hợp", "thiết lập", "trình", "đa dạng hóa", "phổ biến", "kiện toàn",
    "xác định", "phân bổ", "phê duyệt", "quyết định", "ưu tiên", "cập nhật", "tiếp nhận", "đánh giá",
    "làm tốt", "có văn bản", "có kế hoạch", "có trách nhiệm", "đổi mới", "phản ánh", "giải quyết",
    "cải cách", "biểu dương", "cung cấp", "phát động", "định hướng", "cân đối", "đăng ký", "phân công",
    "tuân thủ", "gửi", "bám sát", "tối ưu hóa", "quán triệt", "tuyên truyền", "vận động", "tập huấn",
    "bồi dưỡng", "đào tạo", "củng cố", "thẩm định", "quản lý", "sử dụng", "căn cứ", "duy trì",
    "phát triển", "tạo điều kiện", "lãnh đạo", "thống nhất", "chuẩn bị", "phát hiện", "xử lý",
    "thanh tra", "cấp phát", "thông báo", "chủ trì", "đề nghị", "yêu cầu", "cần", "phải", "được",
    "để", "nhằm", "theo", "trong", "tại", "về", "với", "đối với", "trên cơ sở", "khi", "nếu",
    "hằng năm", "hàng năm", "là", "sẽ", "đã", "đang", "nắm", "thúc đẩy", "khắc phục", "ngăn chặn",
    "phòng ngừa", "tham dự", "xem xét", "nghiêm túc", "quan tâm", "thu gom", "đưa", "nêu cao",
    "thay đổi", "đăng tải", "dành", "cho", "từ", "đến", "bao gồm", "gồm", "như", "do", "mà", "vì",
    "của", "làm", "đồng thời", "trước", "sau", "ngay", "trước ngày", "chậm nhất", "đôn",
    "bảo vệ", "hướng tới", "phấn đấu", "ký", "xin", "mời", "giao", "thuộc",
    "phục vụ", "nhận", "chấp hành", "đề ra", "tham khảo", "vận",
}, key=len, reverse=True))
"""Words that end an agency list and start the task ("Sở Y tế chủ trì, phối hợp với các sở, ban,
ngành liên quan <tổ chức> …"). Collected from the task openings of ``../shared/corpus``."""

NOUN_AFTER_TOCHUC = ("chính trị", "xã hội", "thành viên", "đoàn thể", "hội", "cá nhân", "khoa học",
                     "tín dụng", "phi", "quốc tế", "có liên quan", "liên quan", "được", "đảng",
                     "cơ sở", "trực thuộc", "kinh tế", "doanh nghiệp", "nghề nghiệp", "tôn giáo",
                     "chức năng", "và cá nhân", ",", ";", "đơn vị", "khác", "trên địa bàn")
"""Words after "tổ chức" that make it a noun ("các tổ chức chính trị - xã hội"), not a verb."""

GENERIC_HEADS: tuple[str, ...] = (
    "ban chỉ đạo", "ban chỉ huy", "ban quản lý", "ban công tác", "ban đại diện", "trung tâm",
    "chi cục", "tổng cục", "cục", "vụ", "viện", "học viện", "đại học", "trường", "bệnh viện",
    "hội đồng", "hội", "đài", "báo", "tạp chí", "phòng", "tổ công tác", "chi nhánh",
    "kho bạc nhà nước", "ngân hàng", "kiểm toán nhà nước", "văn phòng", "ủy ban", "tổng công ty",
    "liên đoàn", "bộ tư lệnh", "đảng ủy", "ban",
)
"""Heads of bodies that the registry may not list ("Ban Chỉ đạo …", "Trung tâm …", "Cục …")."""

LOCAL_HEADS = ("ban chỉ đạo", "ban chỉ huy", "ban quản lý", "trung tâm", "hội đồng", "hội", "đài",
               "liên đoàn", "chi nhánh", "bệnh viện", "ban đại diện", "đảng ủy")
"""Generic heads of bodies that belong to the document's locality when none is written
("Trung tâm Kiểm soát bệnh tật tỉnh" → "… tỉnh Đắk Lắk"); others ("Cục", "Vụ") are national."""

SUBUNIT_HEADS = ("phòng", "trung tâm", "cục", "vụ", "chi cục", "văn phòng")
"""Generic heads of units that take their parent body ("Phòng Nội chính thuộc Văn phòng UBND
tỉnh" → "Phòng Nội chính, Văn phòng Ủy ban nhân dân tỉnh …")."""

NOT_HEAD_AFTER = ("xã", "đại", "quốc", "dịch", "môi", "thị", "thư", "nhiệm", "sự", "học", "công",
                  "hiện", "nghĩa", "hải", "đồng", "ủy", "tổng", "lữ", "phụ", "văn", "kiểm", "phiên",
                  "nghiệp")
"""Words that, just before a generic head, show it is part of another word ("xã hội", "dịch
vụ", "môi trường", "thư viện", "NGHIỆP VỤ" in a customs signature, bulk corpus)."""

GENERIC_STOP = (
    "chủ trì", "phối hợp", "có trách nhiệm", "chịu trách nhiệm", "và các", "và", "theo", "tại",
    "trong", "để", "nhằm", "đối với", "với", "là", "đã", "sẽ", "đang", "kèm theo", "thì", "khi",
    "nếu", "cho", "từ", "đến", "trình", "tham mưu", "được", "có", "các", "qua", "giúp", "ở",
    "nghiêm túc", "gồm", "do", "như", "trên", "thuộc", "trực thuộc", "của", "về", "năm", "ngày",
    "số", "tháng", "bằng", "hoặc", "cùng", "vào", "ra", "tới", "sau", "trước", "nay", "này",
)
"""Words that end a generic body name ("về", "của" are allowed in committee names, see code)."""

NAME_BREAK_VERBS = (
    "chủ trì", "phối hợp", "tăng cường", "tham mưu", "triển khai", "thực hiện", "tổ chức",
    "xây dựng", "hướng dẫn", "chỉ đạo", "báo cáo", "kiểm tra", "theo dõi", "đôn đốc", "đề xuất",
    "có trách nhiệm", "chịu trách nhiệm", "đảm bảo", "bảo đảm", "tiếp tục", "chủ động", "ban hành",
    "quyết định", "giao", "đề nghị", "thành lập", "rà soát", "cung cấp", "hỗ trợ", "tổng hợp",
    "nghiên cứu", "đẩy mạnh", "chấp hành", "thi hành", "tham gia", "phát huy", "nâng cao",
    "làm thường trực", "kịp thời", "thường xuyên", "khẩn trương", "giám sát",
)
"""Verbs that end a generic body name written in lower case ("Chi cục Hải quan khu vực XI
<tăng cường> …"); other verbs may belong to a name ("Ban Chỉ đạo … khắc phục ô nhiễm")."""

COMPOUNDS = ("chương trình", "công trình", "quá trình", "lộ trình", "giáo trình", "việc làm",
             "phục vụ", "dịch vụ", "nhiệm vụ", "thủ tục")
"""Two-syllable words whose second syllable alone would end a name ("trình", "vụ")."""

NATIONAL_FALLBACK = {"cong-ttdt": "cong-ttdt-cp"}
"""Provincial templates that, in a national body's document, mean a national body."""

COLLECTIVE_WHEN_NATIONAL = ("ubnd", "hdnd", "ct-ubnd", "tt-hdnd")
"""Provincial templates that, unnamed in a national body's document, are generic ("Chủ tịch
Ủy ban nhân dân tỉnh" in a national plan means every province's)."""

# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

_DASHES = str.maketrans("–—−‐‑’", "-----'")
_DASH_PAIRS = tuple(zip("–—−‐‑’", "-----'", strict=True))


def match_key(key: str) -> str:
    """The matching key: ``CleanText.key`` with dashes unified and "đăk" read as "đắk" (same
    length, character for character)."""
    # one replace per character of _DASHES (same result as key.translate(_DASHES), faster)
    for a, b in _DASH_PAIRS:
        if a in key:
            key = key.replace(a, b)
    return key.replace("đăk", "đắk")


@lru_cache(maxsize=8192)
def modern(text: str) -> str:
    """``text`` with modern tone placement and the case kept ("Uỷ ban" → "Ủy ban", "hoá" →
    "hóa"); same length."""
    key = fold_key(text)
    out = []
    for a, b in zip(text, key, strict=True):
        out.append(a if a.lower() == b else (b.upper() if a.isupper() else b))
    return "".join(out)


@lru_cache(maxsize=16384)
def clean_surface(s: str) -> str:
    """A surface as written without markup: table pipes, bullets, whitespace runs removed
    (cached: surfaces recur)."""
    s = s.replace("|", " ").replace("*", "")
    return collapse_ws(s).strip(" ,;:.-~")


_WORD_RE = re.compile(r"\w+|[^\w\s]")


def _flex(phrase_key: str) -> str:
    """Regex for a folded phrase: spaces → ``\\s+``; commas, dashes and periods optional;
    "và" ↔ "&"."""
    toks = _WORD_RE.findall(phrase_key)
    out: list[str] = []
    prev = None
    for t in toks:
        if t in ("và", "&"):
            out.append(r"\s*(?:và|&)\s*")
            prev = "&"
            continue
        if t in (",", "-", ".", "/"):
            out.append(r"\s*,?\s*" if t == "," else r"\s*[-,./]?\s*")
            prev = t
            continue
        if prev is not None and prev not in ("&", ",", "-", ".", "/"):
            out.append(r"\s+")
        out.append(re.escape(t))
        prev = t
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Compiled matcher
# --------------------------------------------------------------------------------------------


@dataclass
class _Form:
    row: AgencyRow
    regex: re.Pattern  # no left boundary (checked in code, so that the regex engine can use the
    abbreviation: bool  # literal prefix to skip ahead)
    recipients_only: bool
    uy: str = ""  # "tỉnh ủy" / "thành ủy" form of a {ủy} template

    def finditer(self, k: str, start: int, end: int):
        """Matches in ``k[start:end]`` that start at a word boundary."""
        bad = "/-" if self.abbreviation else ""
        pos = start
        while pos < end:
            m = self.regex.search(k, pos, end)
            if m is None:
                return
            s = m.start()
            if s > 0 and (k[s - 1].isalnum() or k[s - 1] == "_" or k[s - 1] in bad):
                pos = s + 1
                continue
            yield m
            pos = m.end() if m.end() > s else s + 1

    def match(self, k: str, pos: int, end: int):
        """A match starting exactly at ``pos`` (at a word boundary), or None."""
        if pos > 0 and (k[pos - 1].isalnum() or (self.abbreviation and k[pos - 1] in "/-")):
            return None
        return self.regex.match(k, pos, end)


    def finditer_at(self, k: str, positions, end: int):
        """The matches of :meth:`finditer` when every match must start at one of ``positions``
        (ascending, all in ``[start, end)``, none just after a word character): the same
        matches, found by trying only those positions."""
        bad = "/-" if self.abbreviation else ""
        pos = -1
        rx = self.regex
        for s in positions:
            if s < pos or (bad and s > 0 and k[s - 1] in bad):
                continue
            m = rx.match(k, s, end)
            if m is None:
                continue
            yield m
            pos = m.end() if m.end() > s else s + 1


_PREFIX_WIDTH = 8
"""Longest literal prefix (characters) used to index the department tails and the collective
openings (speed only)."""
_FORM_PREFIX_WIDTH = 8
_FORM_PREFIX_CAP = 1024
"""Longest literal prefix (characters) and most prefixes of one registry form (speed only):
long enough that the forms of a common head ("Văn phòng …", "UBND …") are told apart by what
follows it, so that few are tried where none matches; the cap keeps every form indexed."""

class _NoPrefix(Exception):
    """Raised inside :func:`_literal_prefixes` when a pattern has too many prefixes."""


def _literal_prefixes(pattern: str, width: int = _PREFIX_WIDTH, cap: int = 64) -> frozenset[str] | None:
    """Strings one of which begins, once runs of whitespace are written as one space, every text
    that ``pattern`` matches (each 1 to ``width`` characters, no space at either end).

    Read from the parsed pattern: literals, groups, alternations, small character sets and
    optional single characters are followed; a run of ``\\s`` after the first character is
    written " " (zero or one space for ``\\s*``), and a run right after it (``\\s*[-,./]?\\s*``
    with the character left out) is the same run; a literal space or a set holding white space
    ends the prefix (before the run); anything else ends the prefix; zero-width assertions are
    skipped. None when no such set exists (the pattern could start
    with anything, ignores case) or it would have more than ``cap`` members. Speed only: the
    result never decides a match, it only tells where a match cannot start.
    """
    try:
        tree = _sre_parse.parse(pattern)
    except re.error:
        return None
    if tree.state.flags & re.IGNORECASE:
        return None
    out: set[str] = set()
    lit, sub, branch, in_ = _sre_c.LITERAL, _sre_c.SUBPATTERN, _sre_c.BRANCH, _sre_c.IN
    repeats = (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT)
    zero_width = (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT)
    space_class = [(in_, [(_sre_c.CATEGORY, _sre_c.CATEGORY_SPACE)])]

    def stop(acc: str) -> None:
        if len(out) > cap:
            raise _NoPrefix
        out.add(acc.rstrip(" "))

    def walk(seq: list, acc: str) -> None:
        if len(acc) >= width or not seq:
            return stop(acc[:width])
        op, av = seq[0]
        rest = seq[1:]
        if op == lit:
            c = chr(av)
            return stop(acc) if c.isspace() else walk(rest, acc + c)
        if op == sub and not av[1] and not av[2]:
            return walk(list(av[3]) + rest, acc)
        if op == branch:
            for alt in av[1]:
                walk(list(alt) + rest, acc)
            return None
        if op == in_ and 0 < len(av) <= 8 and all(o == lit and not chr(c).isspace() for o, c in av):
            for _, c in av:
                walk(rest, acc + chr(c))
            return None
        if op in zero_width:
            return walk(rest, acc)
        if op in repeats:
            lo, hi, item = av
            item = list(item)
            if lo == 0 and hi == 1 and len(item) == 1 and item[0][0] in (lit, in_):
                walk(rest, acc)  # the optional character left out
                return walk(item + rest, acc)  # … or written
            if item == space_class and acc and hi >= 1:
                # what follows may begin with white space only where it is a literal space or
                # a white-space set (the walk stops there: the prefix ends at this run) or
                # another run of ``\s`` (read here as the same run, below)
                if acc.endswith(" "):  # the same run of whitespace as the one before
                    return walk(rest, acc)
                if lo == 0:
                    walk(rest, acc)
                return walk(rest, acc + " ")
        return stop(acc)

    try:
        walk(list(tree), "")
    except (_NoPrefix, RecursionError):
        return None
    if not out or "" in out:
        return None
    return frozenset(out)


@dataclass(eq=False)
class _PrefixTrie:
    """Literal prefixes of some registry forms (see :func:`_literal_prefixes`; a prefix's space
    stands for a run of whitespace), for finding where those forms may match (speed only).

    ``path``: regex that, at a position, reads the longest text along the character trie of
    the prefixes, ending where some prefix ends; ``closure``: text so read, whitespace runs
    written as one space → indices (ascending) of the forms one of whose prefixes begins it.
    """

    path: re.Pattern | None
    closure: dict

    def forms_read(self, read: str) -> tuple[int, ...]:
        """Forms for a text read by ``path`` or ``starts``."""
        f = self.closure.get(read)
        if f is None:
            f = self.closure.get(" ".join(read.split()), ())
        return f

    def forms_at(self, k: str, pos: int) -> tuple[int, ...]:
        """Indices of the forms one of whose prefixes is written at ``pos``."""
        m = self.path.match(k, pos) if self.path is not None else None
        return self.forms_read(m.group()) if m else ()

    def candidates(self, k: str, start: int = 0, end: int | None = None) -> tuple[list[int], list[tuple]]:
        """Word starts in ``[start, end)`` where some prefix is written, and the forms there."""
        pos: list[int] = []
        fl: list[tuple[int, ...]] = []
        if self.path is not None:
            for s, f in _trie_reads(self.path, self.closure, k, start, end):
                pos.append(s)
                fl.append(f)
        return pos, fl


def _trie_reads(path: re.Pattern, closure: dict, k: str, start: int = 0, end: int | None = None):
    """``(position, value)`` for each word start in ``[start, end)`` of ``k`` where ``path``
    (a :func:`_trie_regex`) reads a text whose ``closure`` value is non-empty; the text is looked
    up as read, then with whitespace runs written as one space (speed only). The trie has no
    word-boundary assertion in front, so the engine skips ahead on its first characters; the
    boundary is tested here, and every position is tried."""
    end = len(k) if end is None else end
    search, get = path.search, closure.get
    p = start
    while True:
        m = search(k, p, end)
        if m is None:
            return
        s = m.start()
        p = s + 1
        if s and (k[s - 1].isalnum() or k[s - 1] == "_"):
            continue
        read = m.group()
        info = get(read)
        if info is None:
            info = get(" ".join(read.split()))
        if info:
            yield s, info


def _prefix_trie(by: dict[str, list[int]]) -> _PrefixTrie:
    """The :class:`_PrefixTrie` of prefix → form indices."""
    if not by:
        return _PrefixTrie(None, {})
    nodes = {x[:n] for x in by for n in range(1, len(x) + 1)}
    closure = {}
    for y in nodes:
        if not y.endswith(" "):
            closure[y] = tuple(sorted({i for n in range(1, len(y) + 1) for i in by.get(y[:n], ())}))
    trie = _trie_regex(sorted(by), lambda y: bool(closure.get(y)))
    return _PrefixTrie(re.compile(trie), closure)


@dataclass(eq=False)
class _FormIndex:
    """The registry forms indexed by the literal prefixes of their patterns (speed only):
    ``main`` for the forms read everywhere, ``full`` also for the recipient-list short forms,
    ``unindexed`` the forms with no usable prefix (always tried), ``union`` the prefixes of
    ``main`` with those of the generic heads and collective openings (one scan per document,
    :func:`_doc_scan`). A form is only tried where one of its prefixes is written, which every
    match of it needs, so the matches found are those of trying it everywhere."""

    main: _PrefixTrie
    full: _PrefixTrie
    unindexed: frozenset
    union: _UnionTrie | None = None


def _trie_regex(strings, accept, node: str = "") -> str:
    """Regex (string) that, after ``node`` was read, reads on along the character trie of
    ``strings`` (the rest of the trie's words, no space at their ends) the longest path the
    text follows, stopping only where ``accept(text read)`` is true; a space stands for
    ``\\s+``. An optional branch is written as an empty last alternative, not ``?`` (the same
    matches; the engine keeps no repeat state for it)."""
    first: dict[str, list[str]] = {}
    for x in strings:
        if x:
            first.setdefault(x[0], []).append(x[1:])
    alts = []
    for c in sorted(first):
        rest = _trie_regex(first[c], accept, node + c)
        alts.append((r"\s+" if c == " " else re.escape(c)) + rest)
    if not alts:
        return ""
    if node and not node.endswith(" ") and accept(node):
        alts.append("")  # stop here when no longer path is written (as "(?:…)?", one state less)
    return "(?:" + "|".join(alts) + ")"


def _index_forms(forms: list[_Form]) -> _FormIndex:
    main: dict[str, list[int]] = {}
    full: dict[str, list[int]] = {}
    unindexed = set()
    for i, f in enumerate(forms):
        pre = _literal_prefixes(f.regex.pattern, _FORM_PREFIX_WIDTH, _FORM_PREFIX_CAP)
        if pre is None:
            unindexed.add(i)
            continue
        for x in pre:
            full.setdefault(x, []).append(i)
            if not f.recipients_only:
                main.setdefault(x, []).append(i)
    return _FormIndex(_prefix_trie(main), _prefix_trie(full), frozenset(unindexed),
                      _union_trie(main))


@dataclass(eq=False)
class _DocScan:
    """Where, in one context's whole ``key``, the scans of :func:`find_agencies` may match
    (speed only): word starts (ascending clean offsets) where a literal prefix is written
    (:func:`_literal_prefixes`, whitespace runs read as one space). ``main_pos``/``main_forms``:
    the registry forms read everywhere (form indices at each position, as
    ``_FormIndex.main.candidates``; the recipient-list short forms, some of whose prefixes are
    one letter, are left to :func:`_form_candidates`); ``generic``: positions where a generic head
    (:data:`GENERIC_HEADS`) may start; ``collective``: where an opening of a collective
    (:data:`_COLL_SCAN`) may start. A match of one of those patterns in any stretch
    ``[start, end)`` starts at one of these positions (its prefix is written there), so trying
    only them finds the matches a scan of the stretch finds."""

    main_pos: list
    main_forms: list
    generic: list
    collective: list


@dataclass(eq=False)
class _UnionTrie:
    """The literal prefixes of the registry forms read everywhere, of the generic heads and of
    the collective openings in one character trie, so that one scan of a text finds the
    candidate positions of all of them (:class:`_DocScan`; speed only).

    ``path``: as :attr:`_PrefixTrie.path`; ``closure``: text read → (main form indices, generic
    head may start, collective may start), each from the prefixes that begin the text read."""

    path: re.Pattern
    closure: dict
    after_gap: re.Pattern | None = None

    def scan(self, k: str) -> _DocScan:
        """The :class:`_DocScan` of the whole of ``k``: ``path`` tried at offset 0, then one
        regex scan with ``after_gap`` (``path`` right after a character that is no word
        character, :func:`_after_gap`), which tries ``path`` only at word starts: the engine
        skips ahead to the next such character by a character-set test, where a scan with
        ``path`` itself tries every letter that begins some prefix, mostly inside words (about
        20 % less CPU over the bulk corpus; the same positions and texts read)."""
        mp: list[int] = []
        mf: list[tuple] = []
        gp: list[int] = []
        cp: list[int] = []
        get = self.closure.get
        search = self.after_gap.search
        m = self.path.match(k)
        s = p = 0  # p: where the next gap character may be (the last position read, or 0)
        read = m.group() if m is not None else None
        while True:
            if read is None:
                m = search(k, p)
                if m is None:
                    break
                s = p = m.start(1)
                if k[s - 1].isalnum():  # (an astral letter: the character set holds every
                    continue  # character above U+FFFF)
                read = m.group(1)
            info = get(read)
            if info is None:
                info = get(" ".join(read.split()))
            read = None
            if info is None:
                continue
            main, gen, coll = info
            if main:
                mp.append(s)
                mf.append(main)
            if gen:
                gp.append(s)
            if coll:
                cp.append(s)
        return _DocScan(mp, mf, gp, cp)


def _union_trie(main: dict[str, list[int]]) -> _UnionTrie | None:
    """The :class:`_UnionTrie` of the form prefixes ``main`` (prefix → form indices, as
    built in :func:`_index_forms`) and of the generic heads and collective openings; None when
    the latter have no usable literal prefixes (then each scan runs on its own)."""
    gen = frozenset(GENERIC_HEADS)  # written as they are (one space): a space of the trie reads any run
    coll = _literal_prefixes(_COLL_SCAN.pattern, cap=256)
    if coll is None:
        return None
    keys = set(main) | gen | coll
    nodes = {x[:n] for x in keys for n in range(1, len(x) + 1)}
    closure: dict[str, tuple] = {}
    for y in nodes:
        if y.endswith(" "):
            continue
        pre = [y[:n] for n in range(1, len(y) + 1)]
        info = (tuple(sorted({i for x in pre for i in main.get(x, ())})),
                any(x in gen for x in pre), any(x in coll for x in pre))
        if any(info):
            closure[y] = info
    trie = _trie_regex(sorted(keys), lambda y: y in closure)
    return _UnionTrie(re.compile(trie), closure, re.compile(_after_gap() + "(" + trie + ")"))


@lru_cache(maxsize=1)
def _after_gap() -> str:
    """A regex character set (string) holding every character that is not a word character
    (``\\w``: neither ``str.isalnum`` nor "_") below U+10000, and every character above (a
    superset, which the caller narrows: spelled out, the set compiles to a bitmap the engine
    tests in a few steps, where ``\\W`` looks each character up in the Unicode tables). Built once
    (about 20 ms)."""
    runs = []
    start = None
    for c in range(0x10000):
        word = chr(c).isalnum() or c == 0x5F
        if not word and start is None:
            start = c
        elif word and start is not None:
            runs.append((start, c - 1))
            start = None
    if start is not None:
        runs.append((start, 0xFFFF))
    runs.append((0x10000, 0x10FFFF))
    return "[" + "".join(re.escape(chr(a)) if a == b else re.escape(chr(a)) + "-" + re.escape(chr(b))
                         for a, b in runs) + "]"


def _doc_scan(ctx: Context) -> _DocScan | None:
    """The :class:`_DocScan` of ``ctx.key`` (computed once per context, kept in
    ``ctx._cache["scan"]``), or None when the registry has no union trie."""
    sc = ctx._cache.get("scan")
    if sc is None:
        union = ctx.matcher.index.union
        if union is None:
            return None
        sc = ctx._cache["scan"] = union.scan(ctx.key)
    return sc


def _form_candidates(ctx: Context, start: int, end: int, recipients: bool) -> tuple[list, list, int, int]:
    """Where registry forms may match in ``[start, end)``: ``(pos, forms, i, j)``, where
    ``pos[i:j]`` are the ascending word starts in the stretch at which one of their prefixes is
    written (see :class:`_FormIndex`) and ``forms[n]`` the form indices (ascending) whose
    prefix is written at ``pos[n]``; recipient-list short forms only when ``recipients``. The whole text's candidates (:func:`_doc_scan`) and those of the recipient
    list (:func:`recipient_block`) are computed once per context; for a stretch of the list, a
    position may then also name forms whose prefix runs past ``end`` (they cannot match)."""
    idx = ctx.matcher.index
    rb = ctx._cache.get("recipients") if recipients else None
    if rb is not None and rb[0] <= start and end <= rb[1]:
        # an item of the recipient list: the candidates of the whole list, computed once. Those
        # read up to the list's end may name more forms at a position than those read up to
        # ``end``; the forms added need text past ``end`` (a prefix of theirs), so never match.
        cached = ctx._cache.get("form_starts_recipients")
        if cached is None or cached[0] != rb:
            cached = ctx._cache["form_starts_recipients"] = (rb, idx.full.candidates(ctx.key, *rb))
        pos, fl = cached[1]
        i, j = bisect.bisect_left(pos, start), bisect.bisect_left(pos, end)
    elif recipients:
        pos, fl = idx.full.candidates(ctx.key, start, end)
        i, j = 0, len(pos)
    else:
        sc = _doc_scan(ctx)
        if sc is not None:
            pos, fl = sc.main_pos, sc.main_forms
        else:
            cached = ctx._cache.get("form_starts")
            if cached is None:
                cached = ctx._cache["form_starts"] = idx.main.candidates(ctx.key)
            pos, fl = cached
        i, j = bisect.bisect_left(pos, start), bisect.bisect_left(pos, end)
    return pos, fl, i, j


@dataclass(eq=False)
class _Matcher:
    registry: AgencyRegistry
    forms: list[_Form]
    loc_regex: re.Pattern
    so_tails: list[tuple[re.Pattern, AgencyRow, bool]]
    bo_tails: list[tuple[re.Pattern, AgencyRow, bool]]
    expand: list[tuple[re.Pattern, str, str]]  # (pattern, display, the abbreviation it needs)
    national_keys: dict
    index: _FormIndex | None = None
    _arrays: tuple | None = None

    def form_arrays(self) -> tuple[tuple, tuple, tuple]:
        """Per form index (as :attr:`forms`): the bound ``match`` of its regex, its
        ``abbreviation`` and ``recipients_only`` flags (built once; speed only)."""
        if self._arrays is None:
            self._arrays = (tuple(f.regex.match for f in self.forms), tuple(f.abbreviation for f in self.forms),
                            tuple(f.recipients_only for f in self.forms))
        return self._arrays


def _phrase_regex(phrase: str, terms) -> str:
    """Regex (string) for a name, with every registry term replaced by its variants."""
    k = match_key(fold_key(phrase))
    spans = []
    for t in terms:
        for m in re.finditer(r"(?<!\w)" + re.escape(t.term) + r"(?!\w)", k):
            if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), t))
    spans.sort(key=lambda x: x[0])
    parts = []
    pos = 0
    for s, e, t in spans:
        if k[pos:s].strip():
            parts.append(_flex(k[pos:s].strip()))
        inner = [x for x in terms if x is not t and x.term in t.term and x.term != t.term]
        own = _phrase_regex(t.term, inner) if inner else _flex(t.term)
        alts = sorted({own, *(_flex(match_key(fold_key(v))) for v in t.variants)}, key=len, reverse=True)
        parts.append("(?:" + "|".join(alts) + ")")
        pos = e
    if k[pos:].strip():
        parts.append(_flex(k[pos:].strip()))
    return r"\s*".join(parts)


def _compile_right(pattern: str, abbreviation: bool) -> re.Pattern:
    return re.compile(pattern + (r"(?![\w/\-])" if abbreviation else r"(?!\w)"))


def _compile(pattern: str, abbreviation: bool) -> re.Pattern:
    if abbreviation:
        return re.compile(r"(?<![\w/\-])" + pattern + r"(?![\w/\-])")
    return re.compile(r"(?<!\w)" + pattern + r"(?!\w)")


@lru_cache(maxsize=8)
def _matcher(registry: AgencyRegistry) -> _Matcher:
    terms = sorted(registry.terms, key=lambda t: len(t.term), reverse=True)
    forms: list[_Form] = []
    so_tails, bo_tails = [], []
    for row in registry.agencies:
        pairs = [(row.name, "")]
        if "{ủy}" in row.name:
            pairs = [(row.name.replace("{ủy}", "Tỉnh ủy"), "tỉnh ủy"),
                     (row.name.replace("{ủy}", "Thành ủy"), "thành ủy")]
        for nm, uy in pairs:
            rx = _phrase_regex(nm, terms) + (r"(?!\s+ban\s+nhân)" if uy else "")
            forms.append(_Form(row, _compile_right(rx, False), False, False, uy))
        for ab in row.abbreviations:
            abp = [(ab, "")]
            if "{ủy}" in ab:
                abp = [(ab.replace("{ủy}", "Tỉnh ủy"), "tỉnh ủy"), (ab.replace("{ủy}", "Thành ủy"), "thành ủy")]
            for nm, uy in abp:
                forms.append(_Form(row, _compile_right(_phrase_regex(nm, terms), True), True, False, uy))
        is_so = row.level == "province" and row.name.startswith("Sở ")
        is_bo = row.level == "national" and row.name.startswith("Bộ ")
        if not is_so:
            for sf in row.short_forms:
                forms.append(_Form(row, _compile_right(_flex(match_key(fold_key(sf))), True), True, True,
                                   pairs[0][1]))
        if is_so or is_bo:
            tails = so_tails if is_so else bo_tails
            tails.append((_compile(_phrase_regex(row.name.split(" ", 1)[1], terms), False), row, False))
            for ab in row.abbreviations:
                if fold_key(ab).startswith(("sở ", "bộ ")):
                    tails.append((_compile(_phrase_regex(ab.split(" ", 1)[1], terms), True), row, False))
            for sf in row.short_forms:
                tails.append((_compile(_flex(match_key(fold_key(sf))), True), row, True))
    names: set[str] = set()
    for loc in registry.localities:
        if loc.level == "national":
            continue
        for nm in (loc.name, *loc.variants):
            names.add(_flex(match_key(fold_key(nm))))
    loc_regex = re.compile(r"(?:" + "|".join(sorted(names, key=len, reverse=True)) + r")(?!\w)")
    expand = []
    for t in terms:
        for v in t.variants:
            if v.isupper() and len(v) >= 3 and re.fullmatch(r"[\wĐ&.,-]+", v):
                expand.append((re.compile(r"(?<![\w&])" + re.escape(v) + r"(?![\w&])"), t.display, v))
    national_keys = {}
    for row in registry.agencies:
        if row.level == "national":
            national_keys[_loose(row.name)] = row
    return _Matcher(registry, forms, loc_regex, so_tails, bo_tails, expand, national_keys, _index_forms(forms))


@lru_cache(maxsize=8192)
def _loose(s: str) -> str:
    """Accent-free, punctuation-free key for tolerant comparison of noisy (OCR) names."""
    k = strip_accents(fold_key(s))
    return " ".join(re.findall(r"\w+", k))


# --------------------------------------------------------------------------------------------
# Context and hits
# --------------------------------------------------------------------------------------------


@dataclass
class Context:
    """What the recogniser needs about one text: ``text`` (clean), ``key`` (matching key, same
    length), the document's ``locality`` (None for national bodies' documents), ``date`` (ISO,
    picks between localities of the same name), the registry. Build with :func:`make_context`."""

    text: str
    key: str
    locality: Locality | None
    registry: AgencyRegistry
    date: str | None = None
    aliases: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def matcher(self) -> _Matcher:
        """The compiled patterns of the registry (looked up once per context)."""
        m = self._cache.get("matcher")
        if m is None:
            m = self._cache["matcher"] = _matcher(self.registry)
        return m


@dataclass
class Hit:
    """One agency reference in the clean text: ``[start, end)`` clean offsets, ``surface`` as
    written (markup removed, title dropped), ``name`` canonical (collectives: the surface),
    ``collective``, ``kind``, ``row`` the registry row when known, ``parent`` canonical,
    ``english`` label where known, ``generic`` for names read from a generic head."""

    start: int
    end: int
    surface: str
    name: str
    collective: bool = False
    kind: str = "government"
    row: AgencyRow | None = None
    parent: str | None = None
    english: str | None = None
    generic: bool = False

    def __repr__(self) -> str:
        c = "*" if self.collective else ""
        return f"Hit({c}{self.surface!r} → {self.name!r} @{self.start})"


def _in_number(ctx: Context):
    """Predicate ``f(pos)``: True when clean offset ``pos`` lies inside a document number
    ("377/KH-UBND", "2236/QCPH-LĐTBXH-GDĐT-YT-CA", "28-CT/TW": any number the grammar of
    :mod:`graph.extract.numbers` reads, with the instrument registry in
    ``ctx._cache["instruments"]`` or the default one). Codes inside a number name its issuer,
    they are not agency mentions. Computed once per context."""
    f = ctx._cache.get("in_number")
    if f is None:
        from graph.extract.references import document_numbers
        from graph.registry import load_registry

        reg = ctx._cache.get("instruments") or load_registry()
        nums = document_numbers(ctx.text, reg)
        if not nums:
            def f(pos: int) -> bool:
                return False
        else:
            starts = [n.start for n in nums]
            ends = [n.end for n in nums]

            def f(pos: int) -> bool:
                i = bisect.bisect_right(starts, pos) - 1
                return i >= 0 and pos < ends[i]
        ctx._cache["in_number"] = f
    return f


def make_context(text: str, key: str, locality: Locality | None, registry: AgencyRegistry | None = None,
                 date: str | None = None) -> Context:
    """A :class:`Context` for a clean text and its ``CleanText.key`` (or ``fold_key(text)``)."""
    return Context(text=text, key=match_key(key), locality=locality,
                   registry=registry or load_agency_registry(), date=date)


# --------------------------------------------------------------------------------------------
# Locality of a document
# --------------------------------------------------------------------------------------------

_HEADER_LOC = re.compile(
    r"(?:ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd|tỉnh ủy|thành ủy|chủ tịch ủy ban nhân dân)"
    r"[\s|*]*(?:tỉnh|thành phố|tp\.?)\s+([^\n|*]{2,40})")
_NATIONAL_ISSUER = re.compile(
    r"^\W*(?:thủ tướng|chính phủ|văn phòng chính phủ|bộ |ban chỉ đạo quốc gia|quốc hội|"
    r"ủy ban thường vụ quốc hội|ban chấp hành trung ương|bộ chính trị|ban bí thư|liên bộ)")


def document_locality(doc: Document, registry: AgencyRegistry | None = None) -> Locality | None:
    """The province (or centrally-run city) whose bodies issued ``doc``, or None for documents
    of national bodies. Read from ``doc.metadata.locality`` or ``issuer`` when set, else from the
    formal header ("ỦY BAN NHÂN DÂN / TỈNH ĐẮK NÔNG") or the portal's "Cơ quan ban hành"."""
    registry = registry or load_agency_registry()
    md = doc.metadata
    date = md.date_issued if md else None
    if md and md.locality:
        loc = registry.locality(md.locality, date)
        if loc:
            return loc
    for iss in (md.issuer if md else ()):
        k = match_key(fold_key(iss))
        if _NATIONAL_ISSUER.match(k):
            return None
        m = re.search(r"(?:tỉnh|thành phố)\s+(.+)$", k)
        if m:
            loc = registry.locality(m.group(1), date)
            if loc:
                return loc
    return header_locality(doc.clean.text, doc.clean.key, registry, date)


def header_locality(text: str, key: str, registry: AgencyRegistry | None = None,
                    date: str | None = None) -> Locality | None:
    """Locality read from the first lines of a text (see :func:`document_locality`)."""
    registry = registry or load_agency_registry()
    k = match_key(key[:4000])
    m = re.search(r"cơ quan ban hành\s*:?\s*(.+)", k)
    portal = m.group(1).strip() if m else ""
    if portal and _NATIONAL_ISSUER.match(portal):
        return None
    for m in _HEADER_LOC.finditer(k):
        ml = _matcher(registry).loc_regex.match(m.group(1).strip())
        if ml:
            loc = registry.locality(ml.group(0), date)
            if loc:
                return loc
    if portal:
        ml = re.search(r"(?:tỉnh|thành phố)\s+(.+)", portal)
        loc = registry.locality((ml.group(1) if ml else portal).split(",")[0].strip(), date)
        if loc:
            return loc
    m = re.search(r"\n[\s*|]*([^\n,]{2,30}),\s*ngày\s+\d", k)
    if m and not _NATIONAL_ISSUER.search(k[:800]):
        loc = registry.locality(m.group(1).strip(" *|"), date)
        if loc:
            return loc
    return None


# --------------------------------------------------------------------------------------------
# Canonical names
# --------------------------------------------------------------------------------------------


def _template_name(row: AgencyRow, loc: Locality | None, uy: str = "") -> str:
    name = row.name
    if "{ủy}" in name:
        city = loc.is_city if loc is not None else uy == "thành ủy"
        name = name.replace("{ủy}", "Thành ủy" if city else "Tỉnh ủy")
    return name


def _with_locality(row: AgencyRow, loc: Locality | None, uy: str = "") -> str:
    name = _template_name(row, loc, uy)
    if loc is None:
        return name
    if "{ủy}" in row.name:
        return f"{name} {loc.short}"
    return f"{name} {loc.full_name}"


def canonical_agency(surface: str, locality: Locality | str | None = None,
                     registry: AgencyRegistry | None = None) -> str:
    """Canonical name of one agency surface: modern tone marks, abbreviations expanded, the
    locality added to provincial bodies.

    ``locality``: the document's :class:`~graph.agency_registry.Locality`, or its name ("Lạng
    Sơn"), or None (documents of national bodies). Examples: ``canonical_agency("Sở Y tế",
    "Lạng Sơn") == "Sở Y tế tỉnh Lạng Sơn"``; ``canonical_agency("UBND TP", "Cần Thơ") ==
    "Ủy ban nhân dân thành phố Cần Thơ"``; ``canonical_agency("Bộ LĐTBXH") == "Bộ Lao động -
    Thương binh và Xã hội"``. A surface the recogniser does not read as one agency is returned
    with modern tone marks and whitespace collapsed. Raises nothing.
    """
    registry = registry or load_agency_registry()
    if isinstance(locality, str):
        locality = registry.locality(locality)
    text = clean_surface(surface)
    ctx = make_context(text, fold_key(text), locality, registry)
    for h in find_agencies(ctx, 0, len(text), recipients=True):
        if h.start == 0 and len(text) - h.end <= 1:
            return h.name
    return modern(text)


def _expand(ctx: Context, name: str) -> str:
    """Expand upper-case abbreviations of registry terms inside a generic name ("Viện VSDT"
    → "Viện Vệ sinh Dịch tễ")."""
    return _expand_name(ctx.matcher, name)


@lru_cache(maxsize=8192)
def _expand_name(matcher: _Matcher, name: str) -> str:
    """:func:`_expand` for the patterns of ``matcher`` (cached: names recur)."""
    for rx, disp, lit in matcher.expand:
        if lit in name:  # the pattern needs the abbreviation as written (a cheap test first)
            name = rx.sub(disp, name)
    return name


# --------------------------------------------------------------------------------------------
# Recognition: registry names
# --------------------------------------------------------------------------------------------

_SEP = r"[ \t]*(?:\n[ \t|*]*)?"
_SUFFIX = re.compile(
    _SEP + r"(?P<lvl>tỉnh|thành phố|tp\.?|huyện|quận|thị xã|tx\.?|cấp tỉnh|cấp thành phố)"
    r"(?:(?=" + _SEP + r"[^\W\d_])" + _SEP + r"(?P<name>[^\W\d_][^\n,;:()|]*))?")
_UNITS = re.compile(
    _SEP + r"(?:các\s+|cấp\s+|\d+\s+)?(?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|tỉnh|thành phố|tp\.?|"
    r"tx\.?|cấp xã|cấp huyện|cấp tỉnh|cấp cơ sở|các cấp|cơ sở|địa phương)(?!\w)")
_OWN_LEVEL = re.compile(_SEP + r"(?:cấp\s+)?(?:tỉnh|thành phố|tp\.?)(?!\s*[,/]\s*(?:thành phố|tp|huyện|xã|tỉnh))(?!\w)")
_UBND_LIKE = ("ubnd", "hdnd", "ct-ubnd", "cong-an", "tt-hdnd", "tt-ubnd", "vp-ubnd", "mttq-tinh", "tand",
              "vksnd", "bchqs", "ptth", "bao-ptth", "tinh-doan", "hlhpn", "hnd", "ldld", "hccb")


def _is_upper_initial(text: str, pos: int) -> bool:
    return 0 <= pos < len(text) and text[pos].isupper()


_WS_BAR_STAR = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "|*"
"""The characters of the regex class ``[\\s|*]`` (every Unicode whitespace character is below
U+3001)."""


def _last_run(s: str) -> str:
    """The run of word characters (``\\w``) that ends ``s`` ("" when ``s`` ends otherwise)."""
    i = len(s)
    while i and (s[i - 1].isalnum() or s[i - 1] == "_"):
        i -= 1
    return s[i:]


@lru_cache(maxsize=64)
def _by_length(words: tuple[str, ...]) -> dict[str, tuple[str, ...]] | None:
    """``words`` sorted longest first (stable), grouped by the run of word characters that ends
    each: a word can only be written just before a position if the text there ends with the
    same run. None when some word does not end with a word character (then every word is
    tried)."""
    ordered = sorted(words, key=len, reverse=True)
    if any(not w or not (w[-1].isalnum() or w[-1] == "_") for w in ordered):
        return None
    out: dict[str, list[str]] = {}
    for w in ordered:
        out.setdefault(_last_run(w), []).append(w)
    return {k: tuple(v) for k, v in out.items()}


_WS_BAR_STAR_SET = frozenset(_WS_BAR_STAR)
_GROUPS_SEEN: dict[int, tuple] = {}
"""id of a word tuple → (the tuple, its :func:`_by_length`): the tuples of this module are
constants, so their groups are looked up without hashing them (the tuple is kept, so its id
is not reused)."""


def _preceding(ctx: Context, pos: int, words) -> str | None:
    """The longest of ``words`` written just before ``pos`` (at a word start, only spaces, ``|``
    and ``*`` between), looking back 50 characters; None when none is. (A word that begins
    exactly 50 characters back counts as at a word start.)"""
    k = ctx.key
    lo = pos - 50 if pos > 50 else 0
    seen = _GROUPS_SEEN.get(id(words))
    if seen is not None and seen[0] is words:
        groups = seen[1]
    else:
        words = tuple(words)
        groups = _by_length(words)
        if len(_GROUPS_SEEN) < 256:
            _GROUPS_SEEN[id(words)] = (words, groups)
    if groups is None:  # not for the word lists of this module; kept exact with the regex
        before = k[lo:pos]
        for w in sorted(words, key=len, reverse=True):
            if re.search(r"(?<!\w)" + re.escape(w) + r"[\s|*]*$", before):
                return w
        return None
    j = pos  # the text before pos without its trailing white space, "|" and "*": k[lo:j]
    while j > lo and k[j - 1] in _WS_BAR_STAR_SET:
        j -= 1
    if not k.endswith(words, lo, j):
        return None  # (a cheap test first: the answer is a word that ends k[lo:j])
    r = j
    while r > lo and (k[r - 1].isalnum() or k[r - 1] == "_"):
        r -= 1
    for w in groups.get(k[r:j], ()):
        if k.endswith(w, lo, j):
            i = j - len(w)
            if i == lo or not (k[i - 1].isalnum() or k[i - 1] == "_"):
                return w
    return None


_SEP_RE = re.compile(_SEP)


def _locality_after(ctx: Context, pos: int, end: int) -> tuple[int, Locality | None, str, bool]:
    """Read a locality suffix at ``pos``: (end, locality, level word, named)."""
    k = ctx.key
    m = _SUFFIX.match(k, pos, end)
    if m:
        lvl = m.group("lvl")
        if m.group("name"):
            ml = ctx.matcher.loc_regex.match(k, m.start("name"), end)
            if ml:
                loc = ctx.registry.locality(k[ml.start():ml.end()], ctx.date)
                if loc is not None:
                    return ml.end(), loc, lvl, True
            if lvl in ("huyện", "quận", "thị xã") and _is_upper_initial(ctx.text, m.start("name")):
                words = []
                for w in ctx.text[m.start("name"):end].split()[:4]:
                    if w[:1].isupper():
                        words.append(w.strip(",;:."))
                    else:
                        break
                if words:
                    e = ctx.text.index(words[-1], m.start("name")) + len(words[-1])
                    return e, None, lvl + ":" + " ".join(words), True
        return m.end("lvl"), None, lvl, False
    m2 = _SEP_RE.match(k, pos, end)
    p2 = m2.end() if m2 else pos
    if p2 > pos and _is_upper_initial(ctx.text, p2):
        ml = ctx.matcher.loc_regex.match(k, p2, end)
        if ml:
            loc = ctx.registry.locality(k[ml.start():ml.end()], ctx.date)
            if loc is not None:
                return ml.end(), loc, "", True
    return pos, None, "", False


def _registry_hits(ctx: Context, start: int, end: int, recipients: bool) -> list[Hit]:
    """Registry hits in ``[start, end)`` (the whole-text scan is computed once and cached)."""
    if recipients or (start, end) == (0, len(ctx.text)) and "reg" not in ctx._cache:
        hits = _scan_registry(ctx, start, end, recipients)
        if not recipients and (start, end) == (0, len(ctx.text)):
            ctx._cache["reg"] = hits
        return list(hits)
    if "reg" not in ctx._cache:
        ctx._cache["reg"] = _scan_registry(ctx, 0, len(ctx.text), False)
    return [h for h in ctx._cache["reg"] if start <= h.start and h.end <= end]


def _scan_registry(ctx: Context, start: int, end: int, recipients: bool) -> list[Hit]:
    """Registry hits in ``[start, end)`` (clean offsets), recipient-list short forms too when
    ``recipients``: at each position, the form matches longest first (full names before
    abbreviations, then form order) are tried with :func:`_registry_hit` until one gives a hit;
    a position inside a hit found is not tried; then locality chains and head-sharing lists
    (:func:`_locality_chain`, :func:`_chains`). Hits by start."""
    k, t = ctx.key, ctx.text
    pos, fl, i, j = _form_candidates(ctx, start, end, recipients)
    mt = ctx.matcher
    unindexed = mt.index.unindexed
    forms = mt.forms
    in_number = _in_number(ctx)
    hits: list[Hit] = []
    if unindexed:  # (none for the shipped registry) each form in turn, as _Form.finditer_at
        cands = []
        at: dict[int, list[int]] = {}
        for n in range(i, j):
            for fi in fl[n]:
                at.setdefault(fi, []).append(pos[n])
        for fi in sorted(at.keys() | unindexed):
            f = forms[fi]
            if f.recipients_only and not recipients:
                continue
            found = f.finditer(k, start, end) if fi in unindexed else f.finditer_at(k, at[fi], end)
            for m in found:
                if m.end() > m.start() and not in_number(m.start()):
                    cands.append((m.start(), m.end(), f))
        cands.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2].abbreviation))
        taken_end = -1
        for s, e, f in cands:
            if s < taken_end:
                continue
            h = _registry_hit(ctx, s, e, f, end, recipients)
            if h is None:
                continue
            hits.append(h)
            taken_end = h.end
    else:
        # Position by position (``pos`` ascends, each position once): the matches of
        # _Form.finditer_at for every form (a form's match starts at or after the end of its
        # previous one, ``last``), the candidates of one position in form order as there. They
        # are sorted and tried at once: sorting all candidates by (start, longest first, full
        # names first) keeps each position's together, in this order, and _registry_hit depends
        # on its arguments and the context only. Matches that _registry_hit rejects at once for
        # their case are left out.
        matchers, abbrev, rec_only = mt.form_arrays()
        last: dict[int, int] = {}  # form index → where its next match may start
        taken_end = -1
        for n in range(i, j):
            p = pos[n]
            upper = t[p].isupper()
            after_bad = p > 0 and k[p - 1] in "/-"
            here = None
            for fi in fl[n]:
                if rec_only[fi] and not recipients:
                    continue
                ab = abbrev[fi]
                if (ab and after_bad) or p < last.get(fi, -1):
                    continue
                m = matchers[fi](k, p, end)
                if m is None:
                    continue
                me = m.end()
                if me <= p:
                    last[fi] = p + 1
                    continue
                last[fi] = me
                if not ab:
                    if not upper:
                        continue  # (_registry_hit: a full name starts with a capital)
                elif not recipients and not upper and not any(map(str.isupper, t[p:me])):
                    continue  # (_registry_hit: an abbreviation outside a recipient list has one)
                if here is None:
                    here = [(p, me, forms[fi])]
                else:
                    here.append((p, me, forms[fi]))
            if here is None or p < taken_end or in_number(p):
                continue
            if len(here) > 1:
                here.sort(key=lambda c: (-c[1], c[2].abbreviation))  # (c[0] == p for all)
            for s, e, f in here:
                if s < taken_end:
                    continue
                h = _registry_hit(ctx, s, e, f, end, recipients)
                if h is not None:
                    hits.append(h)
                    taken_end = h.end
    hits.extend(_locality_chain(ctx, hits, end))
    chained = _chains(ctx, hits, start, end, recipients)
    if chained:
        hits = [h for h in hits if not _overlaps(h, chained)] + chained
    hits.sort(key=lambda h: h.start)
    return hits


_UBND_CAC = re.compile(r"\s*,\s*(?:ubnd|ủy ban nhân dân)\s+(?:các|cấp)(?!\w)")
_CAC_CAP = re.compile(r"\s+các\s+cấp(?!\w)")
_CAC = re.compile(r"\s+các(?!\w)")
_KHOA = re.compile(r"\s+khóa\s+([ivxlc]+)(?!\w)")
_REGION = re.compile(r"\s+khu vực\s+([ivxlc]+|\d+)(?!\w)")
_NOT_GOV_WORDS = ("phó", "phi", "cơ", "trụ", "cán", "toàn", "nội", "đồng", "chủ tịch", "luật")
_DETS = ("các", "mỗi", "từng")


_FOREIGN_GOV = re.compile(r"\s+(?:lào|campuchia|hoa kỳ|mỹ|nhật|hàn|trung quốc)")


def _registry_hit(ctx: Context, s: int, e: int, f: _Form, end: int, recipients: bool) -> Hit | None:
    k, row = ctx.key, f.row
    if not f.abbreviation and not ctx.text[s].isupper():  # (s < e <= len(text))
        return None
    if f.abbreviation and not recipients and not any(map(str.isupper, ctx.text[s:e])):
        return None
    prev = _preceding(ctx, s, _NOT_GOV_WORDS)
    if prev == "phó" and row.id in ("thu-tuong", "ct-ubnd", "chu-tich-nuoc"):
        return None
    if prev == "phi" and row.id == "chinh-phu":
        return None
    if prev in ("cơ", "trụ", "cán", "toàn", "nội", "đồng"):
        return None
    if prev == "chủ tịch" and row.id == "tt-ubnd":
        return None
    if _in_law_name(k, s):
        return None  # a body inside a law's name ("Luật Tổ chức Chính phủ")
    if row.id == "chinh-phu" and _FOREIGN_GOV.match(k[e:e + 15]):
        return None
    ee, loc, lvl, named = e, None, "", False
    if row.level == "province":
        det = _preceding(ctx, s, _DETS)
        if det and row.name.startswith("Sở ") and _chain_follows(ctx, e, end):
            det = None
        if det and row.id != "ct-ubnd" and not f.recipients_only:
            return _collective_from(ctx, s - len(det) - _gap_before(ctx, s), s, e, end)
        # "HĐND, UBND các tỉnh …", "UBND xã, phường", "Ủy ban nhân dân cấp xã"
        if row.id in _UBND_LIKE:
            if _UBND_CAC.match(k, e, end):
                return _collective_from(ctx, s, s, e, end)
            um = _UNITS.match(k, e, end)
            every_level = row.kind in ("mass", "front") and _CAC_CAP.match(k, e, end)
            if not every_level and (um and not _OWN_LEVEL.match(k, e, end) or _CAC.match(k, e, end)):
                named_m = _SUFFIX.match(k, e, end)
                if not (named_m and named_m.group("name")
                        and ctx.matcher.loc_regex.match(k, named_m.start("name"), end)):
                    if row.id in ("ubnd", "hdnd", "ct-ubnd", "cong-an", "tt-hdnd", "tt-ubnd", "tand",
                                  "vksnd", "ptth", "bao-ptth") or _CAC.match(k, e, end):
                        return _collective_from(ctx, s, s, e, end)
        ee, loc, lvl, named = _locality_after(ctx, e, end)
        if lvl in ("cấp tỉnh", "cấp thành phố") and ctx.locality is None:
            return _collective_from(ctx, s, s, e, end)
        if ctx.locality is None and not named and row.id in COLLECTIVE_WHEN_NATIONAL:
            return _collective_from(ctx, s, s, e, end) if lvl else None
        if not named and not lvl and not recipients and row.id in (
                "thanh-tra", "thue", "bhxh", "cuc-thue", "doan-dbqh", "cn-nhcsxh", "ban-dan-toc", "cong-an"):
            if row.id != "cong-an" or _preceding(ctx, s, ("lực lượng", "cơ quan", "bộ", "ngành", "và")) or \
                    ctx.locality is None:
                return None
        if row.id in NATIONAL_FALLBACK and ctx.locality is None and not named:
            nrow = ctx.registry.agency(NATIONAL_FALLBACK[row.id])
            surface = clean_surface(ctx.text[s:ee])
            return Hit(s, ee, surface, nrow.name, False, nrow.kind, nrow, nrow.parent or None, nrow.english)
    khoa = _KHOA.match(k, ee, end) if row.id in ("bchtw", "ban-bi-thu") else None
    suffix = ""
    if khoa:
        ee = khoa.end()
        suffix = f" khóa {khoa.group(1).upper()}"
    region = _REGION.match(k, ee, end) if row.id in ("kiem-toan-nn", "nhnn") else None
    if region:
        ee = region.end()
        surface = clean_surface(ctx.text[s:ee])
        return Hit(s, ee, surface, modern(surface), False, row.kind, row, row.name)
    surface = clean_surface(ctx.text[s:ee])
    place = loc if named else ctx.locality
    memo = ctx._cache.get("registry_names")
    if memo is None:
        memo = ctx._cache["registry_names"] = {}
    # (row and locality come from ctx.registry, which the context keeps: their ids are stable)
    mk = (id(row), id(loc), lvl, named, f.uy, surface)
    got = memo.get(mk)
    if got is None:  # the canonical name and parent depend on these only (per context)
        got = memo[mk] = (_registry_name(ctx, row, loc, lvl, named, f.uy, surface),
                          _parent_name(ctx, row, place, f.uy) if row.parent else None)
    name = got[0] + suffix
    parent = got[1]
    eng = row.english or None
    if eng and row.level == "province" and place is not None:
        eng = f"{eng}, {place.english}"
    return Hit(s, ee, surface, name, False, row.kind, row, parent, eng)


_LAW_NAME = re.compile(r"luật\s+(?:tổ chức|ban hành văn bản quy phạm pháp luật của)\s+(?:(?!được|thông qua|ngày|số|của)"
                       r"[^\s,;.()]+\s*,?\s+){0,7}$")


_LAW_WORD_END = re.compile(r"luật[\s|*]*$")


def _in_law_name(k: str, s: int) -> bool:
    """True when ``s`` is inside a law's name ("Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân
    dân"), where bodies are not agencies of the document."""
    lo = s - 90 if s > 90 else 0
    if k.find("luật", lo, s) < 0:
        return False  # both patterns need the word
    before = k[lo:s]
    return bool(_LAW_WORD_END.search(before) or _LAW_NAME.search(before))


def _gap_before(ctx: Context, s: int) -> int:
    m = re.search(r"[\s|*]*$", ctx.key[max(0, s - 10):s])
    return len(m.group(0)) if m else 0


def _registry_name(ctx: Context, row: AgencyRow, loc: Locality | None, lvl: str, named: bool,
                   uy: str, surface: str) -> str:
    """Canonical name of a registry match with its locality suffix."""
    if row.level == "national":
        return row.name
    if ":" in lvl:
        word, nm = lvl.split(":", 1)
        return f"{_template_name(row, None, uy)} {word} {modern(nm)}"
    if row.kind == "press" and row.id in ("ptth", "bao-ptth"):
        return _press_name(ctx, row, loc, lvl, named, surface)
    if named:
        return _with_locality(row, loc, uy)
    target = ctx.locality
    if "{ủy}" in row.name and target is not None and uy and (uy == "thành ủy") != target.is_city:
        return _template_name(row, None, uy)  # another province's committee; resolved later
    if target is None:
        counterpart = _national_counterpart(ctx, row)
        if counterpart:
            return counterpart
        base = _template_name(row, None, uy)
        if lvl in ("tỉnh", "thành phố", "tp", "tp."):
            return f"{base} {'tỉnh' if lvl == 'tỉnh' else 'thành phố'}"
        return base
    return _with_locality(row, target, uy)


def _press_name(ctx: Context, row: AgencyRow, loc: Locality | None, lvl: str, named: bool,
                surface: str) -> str:
    """Provincial broadcasters keep the name as written ("Đài Phát thanh - Truyền hình tỉnh Sơn
    La"), abbreviations expanded; the locality is the full name after "tỉnh"/"thành phố", the
    bare name otherwise ("Báo và Phát thanh, Truyền hình Cần Thơ")."""
    k = fold_key(surface)
    base = surface
    m = re.search(r"\s+(?:tỉnh|thành phố|tp\.?)(?:\s+.*)?$", k)
    if m:
        base = surface[:m.start()]
    elif named:
        ml = ctx.matcher.loc_regex.search(match_key(k))
        if ml:
            base = surface[:ml.start()].rstrip()
    if re.search(r"ptth|pt-th|pt&th", k) or row.id == "bao-ptth":
        base = row.name
    base = modern(base)
    place = loc if named else ctx.locality
    if place is None:
        return base
    if lvl in ("tỉnh", "thành phố", "tp", "tp."):
        return f"{base} {place.full_name}"
    return f"{base} {place.short}"


def _national_counterpart(ctx: Context, row: AgencyRow) -> str | None:
    if row.kind not in ("mass", "front"):
        return None
    for r in ctx.registry.agencies:
        if r.level == "national" and fold_key(r.name) in (fold_key(row.name), fold_key(row.name + " Việt Nam")):
            return r.name
    return None


@lru_cache(maxsize=8)
def _row_named(registry: AgencyRegistry) -> dict[str, AgencyRow]:
    """Name → first agency row with that name (registry order)."""
    out: dict[str, AgencyRow] = {}
    for r in registry.agencies:
        out.setdefault(r.name, r)
    return out


@lru_cache(maxsize=8)
def _province_full_names(registry: AgencyRegistry) -> tuple[str, ...]:
    return tuple(x.full_name for x in registry.provinces)


def _parent_name(ctx: Context, row: AgencyRow, loc: Locality | None, uy: str) -> str | None:
    p = row.parent
    if not p:
        return None
    prow = _row_named(ctx.registry).get(p)
    if prow is None:
        return p.replace("{ủy}", "Thành ủy" if (loc is not None and loc.is_city) else "Tỉnh ủy") + (
            f" {loc.short}" if loc is not None and "{ủy}" in p else "")
    if prow.level == "national":
        return prow.name
    return _with_locality(prow, loc, uy) if loc is not None else _template_name(prow, None, uy)


_NAMED_UNITS = re.compile(r"\s*:\s*(?:[A-ZĐÀ-Ỹ][\w']*(?:\s+[A-ZĐÀ-Ỹ][\w']*)*)(?:\s*(?:,|và)\s*[A-ZĐÀ-Ỹ][\w']*"
                          r"(?:\s+[A-ZĐÀ-Ỹ][\w']*)*)+")


_CHAIR_TITLE = re.compile(r"(?:phó\s+)?chủ\s+tịch\s+|thường\s+trực\s+(?=hđnd|hội đồng)")
_LOWER_NEXT = re.compile(r"\s*[a-zà-ỹđ]")


def _collective_from(ctx: Context, s: int, head_start: int, head_end: int, end: int) -> Hit:
    """A collective hit that starts at ``s`` and runs over the unit words after the head (a
    title such as "Chủ tịch" before the body is left out of the span)."""
    t = _CHAIR_TITLE.match(ctx.key[s:head_end])
    if t:
        s += t.end()
    e = max(head_end, _collective_end(ctx, head_end, end, started=True))
    named = _NAMED_UNITS.match(ctx.text, e, end)
    if named and named.end() - e > 4 and not _LOWER_NEXT.match(ctx.text[named.end():named.end() + 3]):
        # "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, …"
        e = named.end()
    surface = _strip_title(clean_surface(ctx.text[s:e]))
    return Hit(s, e, surface, surface, True, _collective_kind(ctx.key[s:e]))


_LOC_CHAIN = re.compile(r"\s*(?:,|và)\s*(?:tỉnh|thành\s+phố)\s+")


def _locality_chain(ctx: Context, hits: list[Hit], end: int) -> list[Hit]:
    """Localities sharing one body name: "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh" → the
    People's Committee of each."""
    out: list[Hit] = []
    k = ctx.key
    taken = {h.start for h in hits}
    fulls = _province_full_names(ctx.registry)
    for h in hits:
        if h.row is None or h.row.level != "province" or h.collective or not h.name.endswith(fulls):
            continue
        pos = h.end
        while True:
            m = _LOC_CHAIN.match(k, pos, end)
            if not m or m.start() in taken:
                break
            ml = ctx.matcher.loc_regex.match(k, m.end(), end)
            if not ml:
                break
            loc = ctx.registry.locality(k[ml.start():ml.end()], ctx.date)
            if loc is None:
                break
            seg = k[m.start():m.end()]
            a = m.start() + len(seg) - len(seg.lstrip(" ,\n\tvà"))
            surface = clean_surface(ctx.text[a:ml.end()])
            out.append(Hit(a, ml.end(), surface, _with_locality(h.row, loc), False, h.kind, h.row,
                           _parent_name(ctx, h.row, loc, ""), h.english))
            pos = ml.end()
    return out


def _chain_follows(ctx: Context, pos: int, end: int) -> bool:
    """True when a department name without its head word follows ("các Sở Y tế, Tài chính")."""
    sm = _CHAIN_SEP.match(ctx.key, pos, end)
    if not sm:
        return False
    return any(rx.match(ctx.key, sm.end(), end) for rx, _row, short in ctx.matcher.so_tails if not short)


_SO_HEAD = re.compile(r"(?<!\w)(?:các\s+)?(sở|bộ)(?:\s*,\s*(?:ban\s*,\s*)?ngành)?\s*:\s*(?=\w)")
_SO_HEAD_CORE = re.compile(r"(?:sở|bộ)(?:\s*,\s*(?:ban\s*,\s*)?ngành)?\s*:\s*(?=\w)")
"""The part of :data:`_SO_HEAD` from the head word on (no assertion in front: a fast scan)."""
_CHAIN_SEP = re.compile(r"\s*(?:[,;]\s*(?:và\s+)?|\s+và\s+|\s*&\s*)")


@lru_cache(maxsize=16)
def _tail_index(matcher: _Matcher, head: str) -> tuple[_PrefixTrie, frozenset]:
    """The department tails of ``head`` ("sở"/"bộ") indexed by literal prefix (as the registry
    forms, :class:`_FormIndex`): (trie, indices of tails with no usable prefix)."""
    tails = matcher.so_tails if head == "sở" else matcher.bo_tails
    by: dict[str, list[int]] = {}
    unindexed = set()
    for i, (rx, _row, _short) in enumerate(tails):
        pre = _literal_prefixes(rx.pattern, cap=_FORM_PREFIX_CAP)
        if pre is None:
            unindexed.add(i)
            continue
        for x in pre:
            by.setdefault(x, []).append(i)
    return _prefix_trie(by), frozenset(unindexed)


_SO_GAP_CHARS = frozenset(",bangnàh")
"""The characters other than white space that :data:`_SO_HEAD_CORE` may read between its head
word and its colon (", ban, ngành")."""


def _so_cores(k: str, start: int, end: int) -> list[int]:
    """Ascending starts of the matches of :data:`_SO_HEAD_CORE` in ``k[start:end]``. Every match
    reads "sở"/"bộ", then only white space and characters of :data:`_SO_GAP_CHARS`, then the
    first colon after it: so the colons are found (``str.find``), and before each the head
    words that may reach it are tried."""
    out: list[int] = []
    q = k.find(":", start, end)
    match = _SO_HEAD_CORE.match
    while q != -1:
        j = q
        while j > start and (k[j - 1] in _SO_GAP_CHARS or k[j - 1].isspace()):
            j -= 1
        c = max(start, j - 2)
        while True:
            c = _SO_HEAD_START.search(k, c, q)
            if c is None:
                break
            a = c.start()
            if match(k, a, end) is not None:
                out.append(a)
            c = a + 1
        q = k.find(":", q + 1, end)
    return out


_SO_HEAD_START = re.compile(r"sở|bộ")


def _so_heads(k: str, start: int, end: int):
    """The matches of ``_SO_HEAD.finditer(k, start, end)``, tried only where they can start:
    every match holds a match of :data:`_SO_HEAD_CORE` (:func:`_so_cores`), at its start or
    after "các" and whitespace."""
    pos = start
    for c in _so_cores(k, start, end):
        cands = []
        j = c
        while j > start and k[j - 1].isspace():
            j -= 1
        if j < c and j - 3 >= start and k[j - 3:j] == "các":
            cands.append(j - 3)
        cands.append(c)
        for a in cands:
            if a < pos:
                continue
            m = _SO_HEAD.match(k, a, end)
            if m is not None:
                yield m
                pos = m.end()
                break


def _chains(ctx: Context, hits: list[Hit], start: int, end: int, recipients: bool) -> list[Hit]:
    """Bodies that share the head word of a list ("các Sở: Y tế, Tư pháp", "Sở Giáo dục và Đào
    tạo, Văn hóa và Thể thao, …", "Các Bộ: Quốc phòng, Công an")."""
    k, t = ctx.key, ctx.text
    out: list[Hit] = []
    starts: list[tuple[int, str]] = []
    for h in hits:
        if h.row is not None and not h.collective and (
                (h.row.level == "province" and h.row.name.startswith("Sở "))
                or (h.row.level == "national" and h.row.name.startswith("Bộ "))):
            starts.append((h.end, "sở" if h.row.level == "province" else "bộ", False))
    for m in _so_heads(k, start, end):
        starts.append((m.end(), m.group(1), True))
    if not starts:
        return out
    taken = [(h.start, h.end) for h in hits]
    for pos, head, first in sorted(starts):
        tails = ctx.matcher.so_tails if head == "sở" else ctx.matcher.bo_tails
        while pos < end:
            p = pos
            if not first:
                sm = _CHAIN_SEP.match(k, pos, end)
                if not sm:
                    break
                p = sm.end()
            best = None
            trie, unindexed = _tail_index(ctx.matcher, head)
            for i in sorted({*trie.forms_at(k, p), *unindexed}):  # the tails that may match at p
                rx, row, short = tails[i]
                if short and not recipients:
                    continue
                mm = rx.match(k, p, end)
                if mm and (best is None or mm.end() > best[0].end()):
                    best = (mm, row)
            if best is None:
                break
            mm, row = best
            if not recipients and not _is_upper_initial(t, p):
                break
            over = [(a, b) for a, b in taken if a <= p < b]
            if over and over[0][1] > mm.end():
                pos = over[0][1]
                first = False
                continue
            surface = clean_surface(t[p:mm.end()])
            if row.level == "province":
                name = _with_locality(row, ctx.locality) if ctx.locality is not None else row.name
                parent = _parent_name(ctx, row, ctx.locality, "")
                eng = f"{row.english}, {ctx.locality.english}" if ctx.locality is not None else row.english
            else:
                name, parent, eng = row.name, row.parent, row.english
            out.append(Hit(p, mm.end(), surface, name, False, row.kind, row, parent, eng))
            taken.append((p, mm.end()))
            pos = mm.end()
            first = False
    return out


# --------------------------------------------------------------------------------------------
# Recognition: special forms and generic heads
# --------------------------------------------------------------------------------------------

_PERSON = re.compile(r"Phó Thủ tướng(?: Chính phủ)?(?: [A-ZĐ][^\W\d_]*){2,4}")
_CONGRESS = re.compile(r"đại hội đại biểu toàn quốc lần thứ [ivxlc]+(?: của đảng)?")
_PERSON_LIT = "Phó Thủ tướng"
_CONGRESS_LIT = "đại hội đại biểu toàn quốc lần thứ "
"""The literal beginnings of :data:`_PERSON` and :data:`_CONGRESS` (every match holds one)."""


def _find_special(ctx: Context, start: int, end: int) -> list[Hit]:
    hits = []
    present = ctx._cache.get("special")
    if present is None:  # both patterns begin with a literal: none is written in most texts
        present = ctx._cache["special"] = (_PERSON_LIT in ctx.text, _CONGRESS_LIT in ctx.key)
    if not present[0] and not present[1]:
        return hits
    for m in _PERSON.finditer(ctx.text, start, end):
        s = clean_surface(m.group(0))
        hits.append(Hit(m.start(), m.end(), s, modern(s), False, "government", None, "Chính phủ"))
    for m in _CONGRESS.finditer(ctx.key, start, end):
        s = clean_surface(ctx.text[m.start():m.end()])
        roman = re.search(r"lần thứ ([ivxlc]+)", m.group(0)).group(1).upper()
        hits.append(Hit(m.start(), m.end(), s, f"Đại hội đại biểu toàn quốc lần thứ {roman} của Đảng",
                        False, "party"))
    return hits


_GENERIC_HEAD_SCAN = re.compile(literal_trie(GENERIC_HEADS) + r"(?!\w)")
"""The heads as a trie, without the word-start assertion (tested in code): a fast scan with
the same matches at word starts as :data:`_GENERIC_HEAD_RE`."""
_GENERIC_HEAD_RE = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(h) for h in sorted(GENERIC_HEADS, key=len, reverse=True)) + r")(?!\w)")


def _word_test(words, any_space: bool = True) -> re.Pattern:
    """Pattern that matches at a position when one of ``words`` is written there, followed by
    no word character; a space inside a word stands for any run of whitespace when
    ``any_space`` (else for one space). Written as a character trie
    (:func:`~graph.ingest.text.literal_trie`), so that the engine tests each character once:
    for yes/no tests, where it answers as an alternation of the words does."""
    trie = literal_trie(sorted(set(words)))
    if any_space:
        trie = trie.replace(re.escape(" "), r"\s+")
    return re.compile("(?:" + trie + r")(?!\w)")


_STOP_RE = _word_test(GENERIC_STOP, any_space=False)
_VERB_RE = _word_test(TASK_VERBS)
_BREAK_RE = _word_test(NAME_BREAK_VERBS)
_STOP_FIRST = frozenset(w.split()[0] for w in GENERIC_STOP)
_BREAK_FIRST = frozenset(w.split()[0] for w in NAME_BREAK_VERBS)
"""First words of :data:`GENERIC_STOP` and :data:`NAME_BREAK_VERBS`: :data:`_STOP_RE` /
:data:`_BREAK_RE` match at a word start only where the run of word characters there is one of
them (each word is word characters only, followed by white space or by no word character)."""
_SUFFIX_FIRST = frozenset("thqc")
"""First characters of the level words of :data:`_SUFFIX` (tỉnh, thành phố, tp, huyện, quận, thị
xã, tx, cấp …): it matches only where the word after its separator begins with one."""
_TOPIC_HEADS = ("ban chỉ đạo", "văn phòng", "hội đồng", "tổ công tác", "ủy ban", "ban")
_SCHOOL_WORDS = ("đại học", "cao đẳng", "trung cấp", "chính trị", "trung học", "tiểu học", "mầm non", "thpt",
                 "thcs", "quân sự", "sĩ quan", "bồi dưỡng")


class _Covered:
    """Spans sorted by start with the running greatest end, for tests answered by bisection:
    ``covered(s)`` is ``any(a <= s < b for a, b in spans)``; see also :meth:`contains` and
    :meth:`overlaps`."""

    def __init__(self, spans: list[tuple[int, int]]):
        sp = sorted(spans)
        self.starts = [a for a, _ in sp]
        self.reach = []  # greatest end among the spans up to here
        m = None
        for _, b in sp:
            m = b if m is None or b > m else m
            self.reach.append(m)

    def __call__(self, s: int) -> bool:
        i = bisect.bisect_right(self.starts, s)
        return i > 0 and self.reach[i - 1] > s

    def contains(self, a: int, b: int) -> bool:
        """``any(x <= a and b <= y for x, y in spans)``."""
        i = bisect.bisect_right(self.starts, a)
        return i > 0 and self.reach[i - 1] >= b

    def overlaps(self, a: int, b: int) -> bool:
        """``any(a < y and x < b for x, y in spans)``."""
        i = bisect.bisect_left(self.starts, b)
        return i > 0 and self.reach[i - 1] > a


_NOT_HEAD_WORDS = NOT_HEAD_AFTER + DETERMINERS + ("những",)
_BAN_NAMES = re.compile(r"\s+(?:công tác|cơ yếu|tuyên giáo|dân vận|tổ chức|nội chính|"
                        r"kinh tế|đối ngoại|chuyên trách|thi đua)")


def _generic_heads(ctx: Context, start: int, end: int):
    """The matches of ``_GENERIC_HEAD_RE.finditer(ctx.key, start, end)``: the pattern without
    its word-start assertion tried at the candidate positions of :func:`_doc_scan` (or, without
    them, searched for, the assertion tested here)."""
    k = ctx.key
    pos = start
    sc = _doc_scan(ctx)
    if sc is not None:
        match = _GENERIC_HEAD_SCAN.match
        cand = sc.generic
        for n in range(bisect.bisect_left(cand, start), bisect.bisect_left(cand, end)):
            s = cand[n]
            if s < pos:
                continue
            m = match(k, s, end)
            if m is not None:
                yield m
                pos = m.end()
        return
    search = _GENERIC_HEAD_SCAN.search
    while True:
        m = search(k, pos, end)
        if m is None:
            return
        s = m.start()
        if s > 0 and (k[s - 1].isalnum() or k[s - 1] == "_"):
            pos = s + 1
            continue
        yield m
        pos = m.end()


_GENERIC_HEAD_LEN = max(map(len, GENERIC_HEADS))
"""Longest match of :data:`_GENERIC_HEAD_SCAN` (characters): its heads are literal, one space
between words."""


def _capital_generic_heads(ctx: Context, start: int, end: int):
    """The matches of :func:`_generic_heads` that start with a capital letter in ``ctx.text``
    (the only ones :func:`_find_generic` reads). A match written in lower case still hides the
    candidates that start inside it, so it is read only when the next candidate starts within
    :data:`_GENERIC_HEAD_LEN` characters (a match ends before that)."""
    sc = _doc_scan(ctx)
    t = ctx.text
    if sc is None:
        for m in _generic_heads(ctx, start, end):
            if t[m.start()].isupper():
                yield m
        return
    k = ctx.key
    match = _GENERIC_HEAD_SCAN.match
    cand = sc.generic
    pos = start
    lo, hi = bisect.bisect_left(cand, start), bisect.bisect_left(cand, end)
    for n in range(lo, hi):
        s = cand[n]
        if s < pos:
            continue
        if not t[s].isupper():  # (s < end <= len(t))
            if n + 1 < hi and cand[n + 1] < s + _GENERIC_HEAD_LEN:
                m = match(k, s, end)
                if m is not None:
                    pos = m.end()
            continue
        m = match(k, s, end)
        if m is not None:
            yield m
            pos = m.end()


_CAP_OR_DIGIT = re.compile(r"[A-ZĐÀ-Ỹ0-9]")


def _find_generic(ctx: Context, start: int, end: int, taken: list[tuple[int, int]]) -> list[Hit]:
    """Bodies with a generic head and a capitalised name ("Trung tâm Kiểm soát bệnh tật tỉnh")."""
    k, t = ctx.key, ctx.text
    hits = []
    covered = None  # built at the first head that needs it
    for m in _capital_generic_heads(ctx, start, end):
        s = m.start()
        if covered is None:
            covered = _Covered(taken)
        if covered(s):
            continue
        # (each test below only rejects, and none has an effect: the cheap word tests that
        # reject most heads, "ban" and "trường" not followed by a name, come first)
        head = m.group(0)
        if head == "trường" and not any(k.startswith(w, m.end() + 1) for w in _SCHOOL_WORDS):
            continue
        if head == "ban" and not _BAN_NAMES.match(k, m.end(), end):
            continue
        if _preceding(ctx, s, _NOT_HEAD_WORDS):
            continue
        if _HEAD_TITLE_RE.match(k, m.end(), end):
            continue  # "Cục trưởng", "CỤC TRƯỞNG" (a signature): a person's title, not a body
        if _registry_form_at(ctx, s, end):
            continue  # a registry name the registry pass rejected (e.g. inside a law's name)
        e = _generic_end(ctx, m.end(), end, head)
        if e is None:
            continue
        words = t[m.end():e].split()
        if not words:
            continue
        surface = clean_surface(t[s:e])
        if t[s:m.end()].isupper() and not t[m.end():e].strip()[:3].isupper():
            continue
        if surface.isupper() and len(surface) > 6:
            continue  # headings in capitals ("VỤ TÌM KIẾM") are not names
        if not _CAP_OR_DIGIT.search(t[m.end():e]) and head not in (
                "kho bạc nhà nước", "kiểm toán nhà nước", "ngân hàng", "trung tâm", "ban chỉ đạo"):
            continue
        h = _generic_hit(ctx, s, e, head, surface)
        if h is not None:
            hits.append(h)
    return hits


_HEAD_TITLE_RE = re.compile(r"[ \t]*(?:\n[ \t|*]*)?(?:" + "|".join(HEAD_TITLES) + r")(?!\w)")
_GE_WORD = re.compile(r"[ \t]*(?:\n[ \t|*]*)?(\w[\w'.]*)")
_GE_DASH = re.compile(r"[ \t]*(-)[ \t]*(?:\n[ \t|*]*)?(?=\w)")
_GE_COMMA = re.compile(r"[ \t]*,[ \t]*(?:\n[ \t|*]*)?(?=\w)")
_GE_NEXT = re.compile(r"[ \t]*(\w+)")
_GE_TWO = re.compile(r"\w+\s+(\w+)")
_GE_CUA = re.compile(r"của\s+(?:quốc hội|đảng|chính phủ)")
_ROMAN_WORD = re.compile(r"[ivxlc]+")
_COMPOUND_SET = frozenset(COMPOUNDS)


_LIST_LABEL = re.compile(r"(?:[a-zđ]|\d+(?:\.\d+)*)[.)]")
_WORD_NUMBER = re.compile(r"\w+\s*\d")


def _generic_end(ctx: Context, pos: int, end: int, head: str) -> int | None:
    """End of a generic body name whose head ends at ``pos`` (None when no name follows)."""
    k, t = ctx.key, ctx.text
    words = 0
    last = None
    cap_seen = False
    prev_word = ""
    while pos < end and words < 18:
        mm = _GE_WORD.match(k, pos, end)
        if not mm:
            m2 = _GE_DASH.match(k, pos, end)
            if m2 and words and _specific_at(ctx, m2.end(), end) is None:
                pos = m2.end()
                continue
            m3 = _GE_COMMA.match(k, pos, end)
            if m3 and words and (head in ("ban chỉ đạo", "hội đồng", "vụ") or head == "tổ công tác"
                                 and not cap_seen):
                nxt = m3.end()
                if not _STOP_RE.match(k, nxt) and not _is_upper_initial(t, nxt) and not _verb_at(k, nxt, end):
                    pos = nxt
                    continue
            break
        ws = mm.start(1)
        w = mm.group(1)
        if "\n" in k[pos:ws] and _LIST_LABEL.match(k[ws:ws + 6]):
            break  # the next list label
        if words and _specific_at(ctx, ws, end) is not None:
            break  # the parent body follows ("Phòng An ninh chính trị nội bộ Công an tỉnh")
        # (_SUFFIX reads the same separator as _GE_WORD, then a level word at ``ws``)
        loc_m = _SUFFIX.match(k, pos, end) if words and w[0] in _SUFFIX_FIRST else None
        if loc_m:
            if loc_m.group("name") and ctx.matcher.loc_regex.match(k, loc_m.start("name"), end):
                return ctx.matcher.loc_regex.match(k, loc_m.start("name"), end).end()
            if loc_m.group("lvl") in ("tỉnh", "thành phố", "tp", "tp.", "cấp tỉnh", "cấp thành phố"):
                after = loc_m.end("lvl")
                nm = _GE_NEXT.match(k, after, end)
                if not nm or not _is_upper_initial(t, nm.start(1)) or _STOP_RE.match(k, nm.start(1)):
                    return after
        if words and _is_upper_initial(t, ws) and ctx.matcher.loc_regex.match(k, ws, end):
            return ctx.matcher.loc_regex.match(k, ws, end).end()
        compound = f"{prev_word} {w}" in _COMPOUND_SET
        run = _word_run(w)
        if not compound and run in _STOP_FIRST and _STOP_RE.match(k, ws):
            nxt_word = _GE_TWO.match(k, ws, end)
            nw = nxt_word.group(1) if nxt_word else ""
            if w == "về" and nw not in ("việc",) and not _verb_at(k, ws + 3 + (len(k[ws + 2:ws + 6]) - len(
                    k[ws + 2:ws + 6].lstrip())), end):
                pos = mm.end()
                words += 1
                prev_word = w
                continue
            if w == "và" and cap_seen and nxt_word and _is_upper_initial(t, nxt_word.start(1)) and \
                    _specific_at(ctx, nxt_word.start(1), end) is None and not _GENERIC_HEAD_RE.match(
                        k, nxt_word.start(1)):
                pos = mm.end()
                words += 1
                prev_word = w
                continue
            if w == "của" and words and _GE_CUA.match(k, ws, end):
                return _GE_CUA.match(k, ws, end).end()
            if w in ("số", "năm", "ngày", "tháng") and not _WORD_NUMBER.match(k[ws:ws + 12]):
                pass
            elif w == "các" and head == "ban chỉ đạo" and k.startswith("các chương trình", ws):
                pass
            elif w == "phối" and words == 0 and head == "hội đồng":
                pass
            else:
                break
        if not _is_upper_initial(t, ws) and not w.isdigit() and not _ROMAN_WORD.fullmatch(w):
            if not compound and run in _BREAK_FIRST and _BREAK_RE.match(k, ws, end) and \
                    not (head == "tổ công tác" and words == 0):
                break
            if words == 0 and head not in ("ban chỉ đạo", "trung tâm", "kho bạc nhà nước", "kiểm toán nhà nước",
                                           "ngân hàng", "tổ công tác", "trường", "hội đồng"):
                break
        else:
            cap_seen = True
        pos = mm.end()
        words += 1
        last = pos
        prev_word = w
    return last


def _main_forms_at(ctx: Context, pos: int) -> tuple[int, ...] | list[int]:
    """Indices (ascending) of the registry forms read everywhere that may match at ``pos``:
    those one of whose literal prefixes is written there (``_FormIndex.main.forms_at``) and the
    unindexed ones. At a word start (not after a word character) with the per-document scan
    available they are looked up in it (:class:`_DocScan`: its union trie reads, at each
    position, the forms of every main prefix written there, as the main trie does), else read
    again."""
    k = ctx.key
    mt = ctx.matcher
    unindexed = mt.index.unindexed
    if not unindexed and (pos == 0 or not (k[pos - 1].isalnum() or k[pos - 1] == "_")):
        sc = _doc_scan(ctx)
        if sc is not None:
            mp = sc.main_pos
            i = bisect.bisect_left(mp, pos)
            return sc.main_forms[i] if i < len(mp) and mp[i] == pos else ()
    return sorted({*mt.index.main.forms_at(k, pos), *unindexed})


def _registry_form_at(ctx: Context, pos: int, end: int) -> bool:
    """True when some registry name (full form) matches at ``pos``."""
    k = ctx.key
    if pos > 0 and k[pos - 1].isalnum():
        return False  # no full form starts just after a letter (see _Form.match)
    forms = ctx.matcher.forms
    for fi in _main_forms_at(ctx, pos):
        f = forms[fi]
        if not f.abbreviation and f.regex.match(k, pos, end):
            return True
    return False


def _verb_at(k: str, pos: int, end: int) -> bool:
    return bool(_VERB_RE.match(k, pos, end))


_CAP_LEVEL_END = re.compile(r"\s+cấp\s+(tỉnh|thành phố|huyện|xã|quân khu|cơ sở)$")
_CAC_CAP_END = re.compile(r"\s+các cấp$")
_LEVEL_END = re.compile(r"\s+(?:tỉnh|thành phố|tp\.?)$")


def _generic_hit(ctx: Context, s: int, e: int, head: str, surface: str) -> Hit | None:
    """The hit of a generic name at ``[s, e)`` (see :func:`_generic_hit_new`). Its fields but the
    offsets depend only on ``ctx.key[s:e]``, ``surface`` and ``head`` (and the context's locality
    and registry): they are kept per context (``ctx._cache["generic_names"]``) and each call
    gets a new :class:`Hit` (hits are changed later)."""
    memo = ctx._cache.get("generic_names")
    if memo is None:
        memo = ctx._cache["generic_names"] = {}
    mk = (ctx.key[s:e], surface, head)
    f = memo.get(mk)
    if f is None:
        h = _generic_hit_new(ctx, s, e, head, surface)
        f = memo[mk] = () if h is None else (h.surface, h.name, h.collective, h.kind, h.row, h.parent,
                                              h.english, h.generic)
        return h
    if not f:
        return None
    return Hit(s, e, *f)


def _generic_hit_new(ctx: Context, s: int, e: int, head: str, surface: str) -> Hit | None:
    """Build the hit of a generic name (the work that :func:`_generic_hit` keeps)."""
    k = ctx.key
    key = k[s:e]
    loc = ctx.locality
    base = surface
    # "… cấp tỉnh/thành phố": the document's own level is specific, another level collective
    m_cap = _CAP_LEVEL_END.search(key)
    if m_cap or _CAC_CAP_END.search(key):
        lvl = m_cap.group(1) if m_cap else "các"
        own = loc is not None and ((lvl == "tỉnh" and not loc.is_city) or (lvl == "thành phố" and loc.is_city))
        if not own:
            return Hit(s, e, surface, surface, True, _collective_kind(key))
        base = surface[:m_cap.start()]
        return _finish_generic(ctx, s, e, head, surface, modern(_expand(ctx, base)) + " " + loc.full_name)
    named = ctx.matcher.loc_regex.search(key)
    m_lvl = _LEVEL_END.search(key)
    name = modern(_expand(ctx, collapse_ws(surface)))
    if m_lvl and loc is not None:
        name = modern(_expand(ctx, collapse_ws(surface[:m_lvl.start()]))) + " " + loc.full_name
    elif named is None and loc is not None and head in LOCAL_HEADS and not re.search(
            r"quốc gia|trung ương|việt nam|khu vực|chính phủ|\d", key):
        name = f"{name} {loc.full_name}"
    return _finish_generic(ctx, s, e, head, surface, name)


def _finish_generic(ctx: Context, s: int, e: int, head: str, surface: str, name: str) -> Hit:
    # a noisy spelling of a national body ("Đài Tiêng nói Việt Nam")
    row = _fuzzy_national(ctx, name)
    if row is not None:
        return Hit(s, e, surface, row.name, False, row.kind, row, row.parent or None, row.english or None)
    kind = "press" if head in ("đài", "báo", "tạp chí") else "government"
    if head in ("hội", "liên đoàn"):
        kind = "mass"
    if head in ("đảng ủy",):
        kind = "party"
    return Hit(s, e, surface, name, False, kind, None, None, None, generic=True)


def _fuzzy_national(ctx: Context, name: str) -> AgencyRow | None:
    """The national body whose name ``name`` misspells (OCR: "Đài Tiêng nói Việt Nam"): equal
    without accents, or rapidfuzz ratio ≥ 91 on the accent-free key. None otherwise."""
    return _fuzzy_lookup(ctx.matcher, _loose(name))


@lru_cache(maxsize=4096)
def _fuzzy_lookup(matcher: _Matcher, key: str) -> AgencyRow | None:
    row = matcher.national_keys.get(key)
    if row is not None:
        return row
    from rapidfuzz import fuzz, process

    best = process.extractOne(key, list(matcher.national_keys), scorer=fuzz.ratio, score_cutoff=91)
    return matcher.national_keys[best[0]] if best is not None else None


# --------------------------------------------------------------------------------------------
# Recognition: collectives
# --------------------------------------------------------------------------------------------

_COLL_START = re.compile((
    r"(?<!\w)(?:(?:tất cả các|toàn thể các|các|mỗi|từng)\s+(?:" + "|".join(
        w for w in sorted(COLLECTIVE_NOUNS, key=len, reverse=True)) + r")(?!\w)"
    r"|(?:sở|bộ),\s*(?:ban|ngành|cơ quan)(?!\w)"
    r"|cơ quan (?:ngang bộ|trực thuộc chính phủ|thuộc chính phủ|thuộc chính phú|chuyên môn|trung ương|thông tấn|"
    r"báo chí|truyền thông)(?!\w)"
    r"|ban chỉ đạo (?:các|ở các) (?:cấp|tỉnh|quân khu)(?!\w)"
    r"|mặt trận tổ quốc(?! việt nam)(?! vn)(?!\w)"
    r"|(?:cấp ủy|chính quyền)(?: đảng)?,\s*(?:chính quyền|mặt trận)(?!\w)"
    r"|lực lượng (?:công an|cảnh sát|hải quan|chức năng|quân đội)(?!\w)(?! nhân dân)"
    r"|ngành (?:y tế|giáo dục|nông nghiệp)(?!\w)|chính quyền địa phương(?!\w))"
).replace(" ", r"\s+").replace("-", r"\s*-\s*"))
"""Openings of a collective reference (words may be broken over lines)."""
_COLL_SCAN = re.compile((
    r"(?:" + "|".join(d + r"\s+(?:" + "|".join(w for w in sorted(COLLECTIVE_NOUNS, key=len, reverse=True))
                      + r")(?!\w)" for d in ("tất cả các", "toàn thể các", "các", "mỗi", "từng")) +
    r"|sở,\s*(?:ban|ngành|cơ quan)(?!\w)|bộ,\s*(?:ban|ngành|cơ quan)(?!\w)"
    r"|cơ quan (?:ngang bộ|trực thuộc chính phủ|thuộc chính phủ|thuộc chính phú|chuyên môn|trung ương|thông tấn|"
    r"báo chí|truyền thông)(?!\w)"
    r"|ban chỉ đạo (?:các|ở các) (?:cấp|tỉnh|quân khu)(?!\w)"
    r"|mặt trận tổ quốc(?! việt nam)(?! vn)(?!\w)"
    r"|cấp ủy(?: đảng)?,\s*(?:chính quyền|mặt trận)(?!\w)|chính quyền(?: đảng)?,\s*(?:chính quyền|mặt trận)(?!\w)"
    r"|lực lượng (?:công an|cảnh sát|hải quan|chức năng|quân đội)(?!\w)(?! nhân dân)"
    r"|ngành (?:y tế|giáo dục|nông nghiệp)(?!\w)|chính quyền địa phương(?!\w))"
).replace(" ", r"\s+").replace("-", r"\s*-\s*"))
""":data:`_COLL_START` without its word-start assertion and with the determiners distributed
over the alternatives, so that the engine can skip ahead on first letters (the assertion is
tested in code). Same matches at a word start."""


_CE_GAP = re.compile(r"[ \t]*(?:\n[ \t|*]*)?")
_CE_SEP = re.compile(r"[,/][ \t]*(?:\n[ \t|*]*)?")
_CE_CAC_CAP = re.compile(r"các\s+(?:cấp|ngành)(?!\w)")
_CE_CAC_WORD = re.compile(r"các\s+(\w+)")
_CE_UBND = re.compile(r"(?:ủy\s+ban\s+nhân\s+dân|ubnd|hđnd|hội\s+đồng\s+nhân\s+dân)(?!\w)")
_CE_XAHOI = re.compile(r"-\s*xã\s+hội")
_CE_DASH = re.compile(r"-[ \t]*")
_CE_WORD = re.compile(r"\w[\w'.]*")
_CE_NEW = re.compile(r"(?:các|mỗi|từng|ủy\s+ban\s+nhân\s+dân|ubnd|hđnd)(?!\w)")
_CE_TOCHUC = re.compile(r"tổ\s+chức(?!\w)")
_CE_OF = re.compile(r"(?:của|thuộc|trực\s+thuộc)\s+")
_CE_OF_LOC = re.compile(
    r"(?:tỉnh|thành\s+phố|sở|ubnd\s+tỉnh|ủy\s+ban\s+nhân\s+dân\s+tỉnh|ubnd\s+thành\s+phố|"
    r"ủy\s+ban\s+nhân\s+dân\s+thành\s+phố|chính\s+phủ|thẩm\s+quyền\s+quản\s+lý|trung\s+ương|tw|tư)(?!\w)")
_CE_UNDER = re.compile(r"trực\s+thuộc(?!\w)")
_CE_AREA = re.compile(r"(?:đóng\s+)?trên\s+địa\s+bàn(?:\s+(?:tỉnh|thành\s+phố))?|từ\s+tỉnh\s+đến\s+cơ\s+sở|"
                      r"từ\s+trung\s+ương\s+đến\s+địa\s+phương|trong\s+và\s+ngoài\s+nước|ở\s+nước\s+ngoài")
_CE_NOT_VERB = re.compile(
    r"(?:có\s+liên\s+quan|liên\s+quan|được\s+giao|được\s+phân\s+công|chủ\s+trì,?\s+quản\s+lý|chủ\s+trì\s+thực\s+hiện|"
    r"trực\s+tiếp\s+quản\s+lý|chủ\s+trì\s+dự\s+án|quản\s+lý\s+chuyên\s+môn|quản\s+lý)")
_CE_ASSIGNED = re.compile(
    r"(?:được\s+giao(?:\s+chủ\s+trì)?(?:\s+thực\s+hiện(?:\s+các)?\s+nhiệm\s+vụ(?:\s+thuộc\s+kế\s+hoạch)?)?|"
    r"được\s+phân\s+công(?:\s+chủ\s+trì)?(?:\s+thực\s+hiện\s+nhiệm\s+vụ)?(?:\s+theo\s+kế\s+hoạch\s+này)?|"
    r"chủ\s+trì(?:,?\s+quản\s+lý)?(?:,?\s+tham\s+gia)?(?:\s+thực\s+hiện)?(?:\s+dự\s+án)?|"
    r"trực\s+tiếp\s+quản\s+lý|quản\s+lý\s+chuyên\s+môn)")


_CE_AREA_FIRST = frozenset(("đóng", "trên", "từ", "trong", "ở"))
"""First words of :data:`_CE_AREA` (each followed by white space there)."""


def _word_run(tok: str) -> str:
    """The leading run of word characters of a token read by :data:`_CE_WORD`."""
    if "'" in tok or "." in tok:
        return _CE_RUN.match(tok).group()
    return tok


_CE_RUN = re.compile(r"\w*")


def _collective_end(ctx: Context, pos: int, end: int, started: bool = False) -> int:
    """End of a collective reference whose head ends near ``pos`` (clean offset)."""
    k = ctx.key
    p = pos
    last = pos
    nwords = 1 if started else 0
    prev_tok = ""
    while p < end and nwords < 24:
        q = p if k[p] not in " \t\n" else _CE_GAP.match(k, p, end).end()  # (p < end)
        if q >= end:
            break
        ch = k[q]
        if ch in ",/":
            nxt = _CE_SEP.match(k, q, end).end()
            if _COLL_START.match(k, nxt, end) and not _CE_CAC_CAP.match(k, nxt, end) \
                    and prev_tok not in ("cấp", "ngành"):
                break  # "Ban Chỉ đạo các quân khu, Ban Chỉ đạo các tỉnh": two collectives
            new_det = _CE_CAC_WORD.match(k, nxt, end)
            if new_det and new_det.group(1) not in ("cấp", "ngành") and prev_tok not in ("cấp", "ngành"):
                break  # ", các cơ quan báo chí": another collective
            if _starts_continue(k, nxt) and not _starts_specific(ctx, nxt, end) and not _CE_UBND.match(k, nxt, end):
                p = nxt
                prev_tok = ","
                continue
            break
        if ch == "-":
            if _CE_XAHOI.match(k, q, end) or prev_tok in ("chính trị", "xã hội", "trị"):
                p = _CE_DASH.match(k, q, end).end()
                continue
            break
        mw = _CE_WORD.match(k, q, end)
        if not mw:
            break
        tok = mw.group(0)
        word = tok.rstrip(".")
        if word == "và":
            nxt = _CE_GAP.match(k, q + 2, end).end()
            if _CE_NEW.match(k, nxt, end) or _starts_specific(ctx, nxt, end) or _COLL_START.match(k, nxt, end):
                break
            if _starts_continue(k, nxt):
                p = nxt
                prev_tok = "và"
                continue
            break
        mn = _MULTI_NOUN_RE.match(k, q, end) if tok in _MULTI_FIRST else None
        if mn:
            p = last = mn.end()
            prev_tok = "noun"
            nwords += 2
            continue
        mt = _CE_TOCHUC.match(k, q, end) if tok == "tổ" else None
        if mt:
            after = " ".join(k[mt.end():mt.end() + 40].split())
            if prev_tok not in ("quan", "thuộc", "trực") and (prev_tok in (",", "và", "") and nwords == 0 or prev_tok in (
                    ",", "và") or any(after.startswith(w) for w in NOUN_AFTER_TOCHUC)):
                p = last = mt.end()
                prev_tok = "tổ chức"
                nwords += 2
                continue
            break
        if word in ("của", "thuộc", "trực"):
            r = _CE_OF.match(k, q, end)
            if r:
                nxt = r.end()
                sp = _specific_at(ctx, nxt, end)
                if sp is not None:
                    p = last = sp
                    nwords += 3
                    prev_tok = "spec"
                    continue
                mloc = _CE_OF_LOC.match(k, nxt, end)
                if mloc:
                    p = last = mloc.end()
                    continue
            bare = _CE_UNDER.match(k, q, end)
            if bare:  # "các cơ sở y tế trực thuộc"
                p = last = bare.end()
                continue
            break
        mm = _CE_AREA.match(k, q, end) if tok in _CE_AREA_FIRST else None
        if mm:
            p = last = mm.end()
            continue
        if word in COLLECTIVE_STOP and nwords > 0:
            break
        if _word_run(tok) in _VERB_FIRST and _verb_at(k, q, end) and not (nwords > 0 and ctx.text[q:q + 1].isupper()) and not _CE_NOT_VERB.match(
                k, q, end):
            if nwords > 0 or not started:
                break
        if word in ("được", "chủ", "trực", "quản") and nwords > 0:
            mm = _CE_ASSIGNED.match(k, q, end)
            if mm:
                p = last = mm.end()
                nwords += 2
                continue
            break
        if k[q:q + 1].isdigit() and nwords == 0:
            p = last = q + len(word)
            continue
        p = q + len(word)
        last = p
        nwords += 1
        prev_tok = word
    return last


def _ws(phrase: str) -> str:
    """Regex for a phrase whose words may be separated by any whitespace (line breaks too)."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


def _alternation(words) -> re.Pattern:
    return re.compile(r"(?:" + "|".join(_ws(w) for w in sorted(set(words), key=len, reverse=True)) + r")(?!\w)")


_CONTINUE_RE = _word_test(CONTINUE_WORDS)
_MULTI_NOUN_RE = _alternation(MULTIWORD_NOUNS)
_MULTI_FIRST = frozenset(w.split()[0] for w in MULTIWORD_NOUNS)
"""First words of :data:`MULTIWORD_NOUNS`: a match of :data:`_MULTI_NOUN_RE` begins with one, then
white space, so the token :data:`_CE_WORD` reads there is that word."""
_VERB_FIRST = frozenset(w.split()[0] for w in TASK_VERBS)
"""First words of :data:`TASK_VERBS`: :data:`_VERB_RE` matches at a position only where the run
of word characters there is one of them."""


def _starts_continue(k: str, pos: int) -> bool:
    return bool(_CONTINUE_RE.match(k, pos))


def _starts_specific(ctx: Context, pos: int, end: int) -> bool:
    return _specific_at(ctx, pos, end) is not None


def _specific_at(ctx: Context, pos: int, end: int) -> int | None:
    """End of a specific registry agency that starts at ``pos``, else None."""
    reg = ctx._cache.get("reg_at")
    if reg is None and "reg" in ctx._cache:
        reg = ctx._cache["reg_at"] = {h.start: h.end for h in ctx._cache["reg"] if not h.collective}
    if reg is not None:
        e = reg.get(pos)
        return e if e is not None and e <= end else None
    best = None
    if not _is_upper_initial(ctx.text, pos):
        return None
    mt = ctx.matcher
    for fi in _main_forms_at(ctx, pos):
        f = mt.forms[fi]
        if f.recipients_only:
            continue
        m = f.match(ctx.key, pos, end)
        if m and m.end() > pos and (best is None or m.end() > best):
            best = m.end()
    return best


_CAC_BO = re.compile(r"(?:các\s+)?bộ\s*$")
_LIST_HEAD = re.compile(r"(?:các\s+)?(?:sở|bộ)(?:\s*,\s*(?:ban\s*,\s*)?ngành)?")
_COLON = re.compile(r"\s*:")


def _collective_openings(ctx: Context, start: int, end: int):
    """The matches of :data:`_COLL_SCAN` in ``ctx.key[start:end]`` that start at a word start
    (those of :data:`_COLL_START`), in text order, each tried where it may start
    (:func:`_doc_scan`; without it, searched for). Overlapping ones are all given: the caller
    skips what it has consumed."""
    k = ctx.key
    sc = _doc_scan(ctx)
    if sc is not None:
        match = _COLL_SCAN.match
        cand = sc.collective
        for n in range(bisect.bisect_left(cand, start), bisect.bisect_left(cand, end)):
            m = match(k, cand[n], end)
            if m is not None:
                yield m
        return
    pos = start
    while True:
        m = _COLL_SCAN.search(k, pos, end)
        if not m:
            return
        s = m.start()
        pos = s + 1
        if s > 0 and (k[s - 1].isalnum() or k[s - 1] == "_"):
            continue  # not at a word start: _COLL_START does not match here
        yield m


def _find_collectives(ctx: Context, start: int, end: int, taken: list[tuple[int, int]]) -> list[Hit]:
    k, t = ctx.key, ctx.text
    hits = []
    pos = start
    covered = None  # built at the first opening
    for m in _collective_openings(ctx, start, end):
        if m.start() < pos:
            continue
        s = m.start()
        if covered is None:
            covered = _Covered(taken)
        if covered(s):
            pos = m.end()
            continue
        if _HEAD_TITLE_RE.match(k, m.end(), end) and not _CAC_BO.match(k[s:m.end()]):
            pos = m.end()  # "các Cục trưởng, Vụ trưởng": persons ("Các Bộ trưởng" see HEAD_TITLES)
            continue
        e = max(m.end(), _collective_end(ctx, m.end(), end, started=True))
        surface = _strip_title(clean_surface(t[s:e]))
        if fold_key(surface) in ("các cấp", "mỗi cấp", "từng cấp"):
            pos = e  # "… Đoàn Thanh niên các cấp": a scope, not a body
            continue
        # (a list head "các Sở:" is looked for only where a colon follows)
        if surface and not (_COLON.match(k, e, e + 3) and _LIST_HEAD.fullmatch(" ".join(k[s:e].split()))):
            hits.append(Hit(s, e, surface, surface, True, _collective_kind(k[s:e])))
        pos = e
    return hits


def _strip_title(surface: str) -> str:
    """Drop a leading title from a collective surface ("Thủ trưởng các sở" → "các sở"; "Các Bộ
    trưởng" → "Các Bộ"; "Chủ tịch UBND các huyện" → "UBND các huyện")."""
    s = surface
    k = fold_key(s)
    m = _BO_TRUONG.match(k)
    if m:
        d = len(m.group(1) or "")
        return s[:d] + s[d:d + 2] + s[m.end():]
    if k.startswith(_TITLE_FIRST):  # (a cheap test first)
        for tt in _TITLES_LONGEST_FIRST:
            if k.startswith(tt + " "):
                return s[len(tt) + 1:]
    return s


_BO_TRUONG = re.compile(r"(các\s+)?bộ trưởng(?!\w)")
_TITLES_LONGEST_FIRST = tuple(sorted(TITLES, key=len, reverse=True))
_TITLE_FIRST = tuple({tt.split()[0] for tt in TITLES})
"""First words of the titles: a surface that starts with none of them has no title."""


def _collective_kind(key: str) -> str:
    if "đảng" in key or "cấp ủy" in key:
        return "party"
    if "mặt trận" in key or "đoàn thể" in key or "chính trị - xã hội" in key:
        return "front"
    if "báo chí" in key or "truyền thông" in key or "đài" in key:
        return "press"
    return "government"


# --------------------------------------------------------------------------------------------
# Recognition: all together
# --------------------------------------------------------------------------------------------


_TWO_WORDS = re.compile(r"\S+\s+\S+")


def find_agencies(ctx: Context, start: int = 0, end: int | None = None, *, recipients: bool = False,
                  collectives: bool = True) -> list[Hit]:
    """All agency references in ``ctx.text[start:end]``, in text order, not overlapping.

    ``recipients``: also read short forms that only recipient lists use ("CT", "TC", "KGVX").
    ``collectives``: also return collective references. Output: :class:`Hit` objects (clean-text
    offsets). Raises nothing.
    """
    end = len(ctx.text) if end is None else end
    hits = _registry_hits(ctx, start, end, recipients)
    if not collectives:
        hits = [h for h in hits if not h.collective]
    for sp in _find_special(ctx, start, end):
        inner = [h for h in hits if sp.start <= h.start and h.end <= sp.end]
        if not _overlaps(sp, [h for h in hits if h not in inner]):
            hits = [h for h in hits if h not in inner] + [sp]
    generic = _find_generic(ctx, start, end, [(h.start, h.end) for h in hits])
    overlaps = _SpanIndex(hits) if generic else None
    for g in generic:
        if g.collective and not collectives:
            continue
        gs, ge = g.start, g.end
        if not overlaps.overlap(gs, ge):  # _overlaps(g, hits)
            hits.append(g)
            overlaps.add(g)
            continue
        inner = [h for h in hits if gs <= h.start and h.end <= ge]
        if inner and all(h.row is not None and h.row.id in ("chinh-phu", "quoc-hoi") for h in inner) and \
                not any(h.start < gs < h.end or h.start < ge < h.end for h in hits if h not in inner):
            hits = _without(hits, inner) + [g]
            overlaps = _SpanIndex(hits)
    coll = _find_collectives(ctx, start, end, [(h.start, h.end) for h in hits]) if collectives else []
    if coll:
        index = _SpanIndex(hits)
        removed: set[int] = set()  # ids of the hits that collectives replaced
        for c in coll:
            cs, ce = c.start, c.end
            if index.contains(cs, ce):
                continue  # a hit holds c
            inner = []
            within = []  # hits starting inside c
            for h in index.starting_in(cs, ce):
                if id(h) in removed:
                    continue
                if h.end <= ce:
                    inner.append(h)
                if h.start < ce:
                    within.append(h)
            head_end = _TWO_WORDS.match(ctx.key, cs, ce)
            head = head_end.end() if head_end else cs
            if any(not h.collective and h.start <= head and h.end > ce for h in within):
                continue  # "các Sở Giáo dục và Đào tạo, …": a list of departments
            if inner:
                hits = _without(hits, inner)
                removed.update(id(h) for h in inner)
            hits.append(c)
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    in_number = _in_number(ctx)
    out: list[Hit] = []
    for h in hits:
        if out and h.start < out[-1].end or in_number(h.start):
            continue
        out.append(h)
    return out


class _SpanIndex:
    """The hits of :func:`find_agencies` sorted by start, for its overlap tests: each answer is
    that of a scan over the hits (speed only; the bisection is :class:`_Covered`'s).

    Collectives never start inside or hold one another (:func:`_find_collectives` goes on after
    each), and a hit a collective replaced lies inside it, before the next collective: so the
    tests for collectives need only the hits given here, less those replaced (the caller skips
    them in :meth:`starting_in`)."""

    def __init__(self, hits: list[Hit]):
        self.hits = sorted(hits, key=lambda h: (h.start, h.end))
        self.spans = _Covered([(h.start, h.end) for h in self.hits])  # same order as self.hits
        self.added: list[tuple[int, int]] = []  # spans added, by start
        self.added_starts: list[int] = []
        self.added_reach: list[int] = []  # greatest end among the added spans up to here

    def add(self, h: Hit) -> None:
        """Count ``h`` in :meth:`overlap` from now on (hits are added in text order: appended;
        otherwise the added spans are sorted again)."""
        a, b = h.start, h.end
        if not self.added or a >= self.added_starts[-1]:
            self.added.append((a, b))
            self.added_starts.append(a)
            self.added_reach.append(b if not self.added_reach or b > self.added_reach[-1] else self.added_reach[-1])
            return
        self.added.append((a, b))
        self.added.sort()
        self.added_starts = [x for x, _ in self.added]
        self.added_reach = []
        m = -1
        for _, y in self.added:
            m = y if y > m else m
            self.added_reach.append(m)

    def overlap(self, a: int, b: int) -> bool:
        """``any(a < h.end and h.start < b for h in hits)``, the hits added included (the added
        spans by bisection, as :meth:`_Covered.overlaps`)."""
        if self.spans.overlaps(a, b):
            return True
        i = bisect.bisect_left(self.added_starts, b)
        return i > 0 and self.added_reach[i - 1] > a

    def contains(self, a: int, b: int) -> bool:
        """``any(h.start <= a and b <= h.end for h in hits)`` (the hits given)."""
        return self.spans.contains(a, b)

    def starting_in(self, a: int, b: int) -> list[Hit]:
        """The hits given with ``a <= h.start <= b``, by start."""
        starts = self.spans.starts
        return self.hits[bisect.bisect_left(starts, a):bisect.bisect_right(starts, b)]


def _without(hits: list[Hit], inner: list[Hit]) -> list[Hit]:
    """``[h for h in hits if h not in inner]`` (``in`` compares hits by value): a hit whose
    span no hit of ``inner`` has cannot equal one of them, and is kept without comparing."""
    spans = {(x.start, x.end) for x in inner}
    return [h for h in hits if (h.start, h.end) not in spans or h not in inner]


def _overlaps(h: Hit, hits: list[Hit]) -> bool:
    return any(h.start < o.end and o.start < h.end for o in hits)


# --------------------------------------------------------------------------------------------
# Recipient lists
# --------------------------------------------------------------------------------------------

_RECIPIENTS = re.compile(r"(?:^|\n|\|)[ \t*|]*nơi\s+nhận\s*[*:]*(?!\s*(?:hồ sơ|và|kết quả|đơn|văn bản đề nghị))")
_RECIPIENTS_AFTER_START = re.compile(
    r"[\n|][ \t*|]*nơi\s+nhận\s*[*:]*(?!\s*(?:hồ sơ|và|kết quả|đơn|văn bản đề nghị))")
""":data:`_RECIPIENTS` without its "^" alternative, which matches only at the text's start: the
same matches after offset 0, found by a fast scan (the engine skips ahead to "\\n" and "|")."""


_RECIPIENTS_END = re.compile(
    r"\n\s*\|?\s*\n\s*\n|\|\s*(?:\n\s*)?(?:tm\.|kt\.|thủ tướng|chủ tịch|trưởng ban|bộ trưởng)|"
    r"\n\s*(?:tm\.|kt\.)|l[ưu]u\s*:[^\n|]*")


def recipient_block(ctx: Context) -> tuple[int, int] | None:
    """Clean-text range of the last "Nơi nhận:" list (to the signature block), or None."""
    if "recipients" in ctx._cache:
        return ctx._cache["recipients"]
    k = ctx.key
    last = None
    pos = 0
    first = _RECIPIENTS.match(k)  # the only place "^" can match
    if first is not None:
        last = first
        pos = first.end()
    # the matches of _RECIPIENTS_AFTER_START.finditer(k, pos), found from the "nơi" each holds
    # (a fast str.find): a match of this "nơi" starts at a "|" of the run of [ \t*|] before it,
    # or at a "\n" just before that run; the leftmost such start that is not before ``pos``
    q = k.find("nơi", pos)
    while q != -1:
        j = q
        while j > pos and k[j - 1] in " \t*|":
            j -= 1
        a = j - 1 if j > pos and k[j - 1] == "\n" else k.find("|", j, q)
        m = _RECIPIENTS_AFTER_START.match(k, a) if a >= 0 else None
        if m is not None:
            last = m
            pos = m.end()
        q = k.find("nơi", max(q + 1, pos))
    if last is None:
        ctx._cache["recipients"] = None
        return None
    s = last.end()
    stop = _RECIPIENTS_END.search(ctx.key, s)
    e = stop.end() if stop else len(ctx.key)
    ctx._cache["recipients"] = out = (s, min(e, s + 3000))
    return out


_ITEM_SEP = re.compile(r"\n|;|(?<![\w])[-~](?=\s)|\*-\*")
_ITEM_HEAD = re.compile(r"[\s*]*(vpcp|văn phòng chính phủ|l[ưu]u|các vụ|vpub|văn phòng ubnd tỉnh)\s*:")
_ITEM_PART = re.compile(r"[^,;]+")
_PARENS = re.compile(r"\(.*?\)")


def _recipient_hits(ctx: Context, s: int, e: int) -> list[Hit]:
    """Agencies of a recipient list: items split at "-", ";"; shared heads distributed ("Sở:
    TC, YT" → "Sở Tài chính", "Sở Y tế"; "VPCP: …, KGVX" → the Government Office and its
    departments; "Lưu: VT, KGVX"); unknown items compared accent-insensitively with national
    bodies ("Uy ban Thường vụ Quốc hội")."""
    k = ctx.key
    hits: list[Hit] = []
    items = []
    pos = s
    for m in _ITEM_SEP.finditer(k[s:e]):
        if m.start() + s > pos:
            items.append((pos, s + m.start()))
        pos = s + m.end()
    items.append((pos, e))
    for a, b in items:
        seg = k[a:b]
        if not seg.strip():
            continue
        mh = _ITEM_HEAD.match(seg)
        if mh:
            head = mh.group(1)
            if head in ("vpcp", "văn phòng chính phủ"):
                row = ctx.registry.agency("vpcp")
                hs = a + seg.index(head)
                hits.append(Hit(hs, hs + len(head), clean_surface(ctx.text[hs:hs + len(head)]), row.name,
                                False, row.kind, row, row.parent, row.english))
            if head in ("vpub", "văn phòng ubnd tỉnh"):
                hits.extend(find_agencies(ctx, a, a + mh.end() - 1, recipients=True, collectives=False))
            for mi in _ITEM_PART.finditer(seg[mh.end():]):
                ia, ib = a + mh.end() + mi.start(), a + mh.end() + mi.end()
                raw = ctx.text[ia:ib]
                if not raw.strip():
                    continue
                ia += len(raw) - len(raw.lstrip())
                for h in find_agencies(ctx, ia, ib, recipients=True, collectives=False):
                    is_vpcp_unit = h.row is not None and h.row.parent == "Văn phòng Chính phủ"
                    if is_vpcp_unit and ctx.locality is not None:
                        continue
                    if h.row is not None and h.row.id == "ct-ubnd" and head not in ("vpub",):
                        continue
                    hits.append(h)
            continue
        sub = find_agencies(ctx, a, b, recipients=True)
        raw = clean_surface(ctx.text[a:b])
        raw = _PARENS.sub("", raw).strip(" ;,.")
        covered = sum(h.end - h.start for h in sub)
        if raw and len(raw) > 6 and covered < len(raw) - 2:
            row = _fuzzy_national(ctx, raw)
            if row is not None:
                ia = a + (len(ctx.text[a:b]) - len(ctx.text[a:b].lstrip(" -~*\t")))
                hits.append(Hit(ia, ia + len(raw), raw, row.name, False, row.kind, row, row.parent or None,
                                row.english or None))
                continue
        for h in sub:
            if h.row is not None and h.row.parent == "Văn phòng Chính phủ" and ctx.locality is not None:
                continue
            hits.append(h)
    return hits


# --------------------------------------------------------------------------------------------
# Document level
# --------------------------------------------------------------------------------------------


def _portal_issuer(ctx: Context) -> list[Hit]:
    """The portal's "Cơ quan ban hành Tỉnh Đắk Nông" names the People's Committee.

    The hit covers "tỉnh|thành phố" and the locality name only (matched against the registry's
    locality names), never the rest of the line: crawls that lost their line breaks run the
    field into the signer, the header and the body."""
    m = re.search(r"cơ quan ban hành[ \t:]*((?:tỉnh|thành phố)[ \t]+)", ctx.key[:3000])
    if not (m and ctx.locality is not None):
        return []
    ml = ctx.matcher.loc_regex.match(ctx.key, m.end(1))
    if not ml:
        return []
    s, e = m.start(1), ml.end()
    row = ctx.registry.agency("ubnd")
    return [Hit(s, e, clean_surface(ctx.text[s:e]), _with_locality(row, ctx.locality), False, "government",
                row, "Chính phủ", f"{row.english}, {ctx.locality.english}")]


def _header_issuer(ctx: Context) -> list[Hit]:
    """The formal header "ỦY BAN NHÂN DÂN / TỈNH ĐẮK NÔNG" (name broken over lines)."""
    out = []
    k = ctx.key[:5000]
    for m in re.finditer(r"(?:ủy ban nhân dân|hội đồng nhân dân|chủ tịch ủy ban nhân dân)[\s|*]*\n[\s|*]*"
                         r"(?:tỉnh|thành phố)\s+[^\n|*]+", k):
        if not ctx.text[m.start()].isupper():
            continue
        surface = clean_surface(ctx.text[m.start():m.end()])
        got = _header_name(surface, ctx.locality, ctx.registry, ctx.date)
        if got is not None:
            out.append(Hit(m.start(), m.end(), surface, *got))
    return out


_HEADER_SEEN: dict = {}
"""(surface, ids of locality and registry, date) → (locality, registry, fields) of
:func:`_header_name` (headers recur across the documents of a province)."""


def _header_name(surface: str, locality: Locality | None, registry: AgencyRegistry,
                 date: str | None) -> tuple | None:
    """The fields ``(name, collective, kind, row, parent, english)`` of the hit that a header's
    ``surface`` names (the first agency :func:`find_agencies` reads in it on its own, when it
    starts the surface), or None. Depends on its arguments only, so answers are kept (compared
    by identity of the locality and registry)."""
    key = (surface, id(locality), id(registry), date)
    seen = _HEADER_SEEN.get(key)
    if seen is not None and seen[0] is locality and seen[1] is registry:
        return seen[2]
    sub = make_context(surface, fold_key(surface), locality, registry, date)
    hs = find_agencies(sub, 0, len(surface), collectives=False)
    got = None
    if hs and hs[0].start == 0:
        h = hs[0]
        got = (h.name, False, h.kind, h.row, h.parent, h.english)
    if len(_HEADER_SEEN) > 4096:
        _HEADER_SEEN.clear()
    _HEADER_SEEN[key] = (locality, registry, got)
    return got


_CONTEXTS: list = []


def document_context(doc: Document, registry=None) -> Context:
    """The recogniser's :class:`Context` for a document (locality from :func:`document_locality`).
    The last few contexts are kept, so that agency and task extraction share one scan.
    ``registry``: the instrument registry (:func:`graph.registry.load_registry`, the default),
    used to read document numbers, whose codes are not agency mentions."""
    for clean, ctx in _CONTEXTS:
        if clean is doc.clean:
            if registry is not None and "in_number" not in ctx._cache:
                ctx._cache["instruments"] = registry
            return ctx
    reg = load_agency_registry()
    loc = document_locality(doc, reg)
    date = doc.metadata.date_issued if doc.metadata else None
    ctx = make_context(doc.clean.text, doc.clean.key, loc, reg, date)
    if registry is not None:
        ctx._cache["instruments"] = registry
    _CONTEXTS.append((doc.clean, ctx))
    del _CONTEXTS[:-4]
    return ctx


def document_hits(ctx: Context) -> list[Hit]:
    """All hits of a document: body text, header, portal block and recipient list, with sub-units
    given their parent and short names resolved to the full names the document uses."""
    if "doc_hits" in ctx._cache:
        return list(ctx._cache["doc_hits"])
    rb = recipient_block(ctx)
    hits = _portal_issuer(ctx) + _header_issuer(ctx)
    taken = [(h.start, h.end) for h in hits]
    spans = [(0, len(ctx.text))] if not rb else [(0, rb[0]), (rb[1], len(ctx.text))]
    for a, b in spans:
        for h in find_agencies(ctx, a, b):
            if not any(x < h.end and h.start < y for x, y in taken):
                hits.append(h)
    if rb:
        hits += _recipient_hits(ctx, *rb)
    hits.sort(key=lambda h: h.start)
    _enrich(ctx, hits)
    _resolve_aliases(ctx, hits)
    if ctx.locality is not None:
        hits = [h for h in hits if not (h.row is not None and "{ủy}" in h.row.name and h.name == _template_name(
            h.row, None, "thành ủy" if "thành ủy" in fold_key(h.surface) else "tỉnh ủy"))]
    ctx._cache["doc_hits"] = list(hits)
    return hits


_SUBUNIT_GAP = re.compile(r"[\s,]*(?:-|thuộc|trực thuộc|,)?[\s,]*")


def _enrich(ctx: Context, hits: list[Hit]) -> None:
    """Give generic sub-units their parent ("Phòng Nội chính thuộc Văn phòng UBND tỉnh")."""
    for i in range(len(hits) - 1):
        h = hits[i]
        if not h.generic or h.collective:
            continue
        nxt = hits[i + 1]
        if nxt.collective:
            continue
        # the first word of the surface's key (as fold_key(h.surface).split()[0]: the same
        # first word; the tests reordered, cheapest first, none has an effect)
        head = fold_key(h.surface).split(None, 1)[0] if h.surface else ""
        if head not in _SUBUNIT_FIRST:
            continue
        between = ctx.key[h.end:nxt.start]
        if _SUBUNIT_GAP.fullmatch(between) and len(between) < 14:
            base = modern(_expand(ctx, h.surface))
            h.name = f"{base}, {nxt.name}"
            h.parent = nxt.name
            h.end = nxt.start if nxt.start > h.end else h.end


_SUBUNIT_FIRST = frozenset(w.split()[0] for w in SUBUNIT_HEADS)
"""First words of :data:`SUBUNIT_HEADS` (the heads :func:`_enrich` gives a parent)."""


def _resolve_aliases(ctx: Context, hits: list[Hit]) -> None:
    """Short forms that abbreviate a full name the document uses: a generic name that is the
    start of a longer one ("Ban Chỉ đạo quốc gia" → "… về khắc phục ô nhiễm không khí"; "Phòng
    An ninh chính trị nội bộ" → "…, Công an tỉnh Sơn La"), and another province's Party body
    written without its name ("Ban Thường vụ Tỉnh ủy" → "… Tỉnh ủy Hậu Giang")."""
    full: dict[str, str] = {}
    for h in hits:
        if not h.collective and (h.generic or h.name.count(",")):
            full.setdefault(fold_key(h.name), h.name)
    longer = _Extensions(full) if full else None
    by_row: dict[int, list[Hit]] | None = None  # id of a row → the hits of that row, in order
    for h in hits:
        if h.collective:
            continue
        if h.generic:
            k = fold_key(h.name)
            fn = longer.first(k, k)
            if fn is not None:
                h.name = fn
            base = fold_key(modern(h.surface))
            if base != k:
                fn = longer.first(base, k)  # (the hit's own key is skipped, not the base)
                if fn is not None:
                    h.name = fn
        row = h.row
        if row is None or ctx.locality is None:
            continue
        if "{ủy}" in row.name:
            bare = _template_name(row, None, "thành ủy" if "thành ủy" in fold_key(h.surface) else "tỉnh ủy")
            if h.name == bare:
                if by_row is None:
                    by_row = _hits_by_row(hits)
                named = {o.name for o in by_row[id(row)] if o.name.startswith(bare + " ")}
                if len(named) == 1:
                    h.name = named.pop()
        if row.id == "bch-dang-bo":
            if by_row is None:
                by_row = _hits_by_row(hits)
            named = {o.name for o in by_row[id(row)] if o is not h and o.name != h.name}
            if len(named) == 1 and re.search(r"(?:tỉnh|thành phố)$", fold_key(h.surface)) and \
                    h.name.endswith(ctx.locality.full_name) is not False:
                h.name = named.pop()


def _hits_by_row(hits: list[Hit]) -> dict[int, list[Hit]]:
    """id of a registry row → the hits of ``hits`` with that row, in order (hits without a row
    left out)."""
    out: dict[int, list[Hit]] = {}
    for o in hits:
        if o.row is not None:
            out.setdefault(id(o.row), []).append(o)
    return out


class _Extensions:
    """The folded full names of :func:`_resolve_aliases` (key → name, in first-use order),
    sorted, for its prefix lookups by bisection (speed only)."""

    def __init__(self, full: dict[str, str]):
        self.order = {fk: n for n, fk in enumerate(full)}
        self.names = list(full.values())
        self.keys = sorted(full)

    def first(self, k: str, skip: str) -> str | None:
        """The name of the first key (in ``full``'s order) other than ``skip`` that is ``k``
        followed by " " or "," and more: ``next((fn for fk, fn in full.items() if fk != skip and
        fk.startswith(k) and fk[len(k):len(k) + 1] in (" ", ",")), None)``. Those keys sort
        together: from ``k + " "`` up to ``k + "!"``, and from ``k + ","`` up to ``k + "-"``."""
        keys = self.keys
        best = -1
        for lo, hi in ((k + " ", k + "!"), (k + ",", k + "-")):
            for i in range(bisect.bisect_left(keys, lo), bisect.bisect_left(keys, hi)):
                if keys[i] == skip:
                    continue
                n = self.order[keys[i]]
                if best < 0 or n < best:
                    best = n
        return self.names[best] if best >= 0 else None


def extract_agencies(doc: Document, registry=None) -> list[AgencyMention]:
    """Every agency named in ``doc``, in text order (specific bodies and collective references).

    Input: a parsed :class:`~graph.models.Document`; ``registry`` is the instrument registry
    (default :func:`graph.registry.load_registry`), used only to read document numbers, whose
    codes ("377/KH-UBND") are not agency mentions — the agency registry is
    :func:`~graph.agency_registry.load_agency_registry`. Output:
    :class:`~graph.models.AgencyMention` objects whose ``span`` points into ``doc.text`` (the
    original) and holds exactly the surface's words (:func:`surface_span`: no trailing
    punctuation, connective or dropped title), and whose ``name`` is canonical (collectives: as
    written). Raises nothing on text.
    """
    ctx = document_context(doc, registry)
    out = []
    text = ctx.text
    clean = doc.clean
    to = clean.to_original
    n = len(clean.text)
    for h in document_hits(ctx):
        s, e = surface_span(text, h)
        # CleanText.original_span, its common case written out (a span of at least one character)
        span = Span(to[s], to[e - 1] + 1) if 0 <= s < e <= n else clean.original_span(s, e)
        out.append(AgencyMention(surface=h.surface, span=span, name=h.name, collective=h.collective,
                                 kind=h.kind))
    return out


_MARKUP = frozenset(" \t\n\r\u00a0|*")
_ODD_SPACE = re.compile(r"[^\S \t\n\r\u00a0]")
"""Whitespace other than that of :data:`_MARKUP`."""
_SPAN_TAIL = re.compile(r"(?:[\s|*,.;:~-]|(?<!\w)(?:trực\s+thuộc|thuộc|của|và)(?!\w))+$")


@lru_cache(maxsize=8192)
def _plain_surface(surface: str) -> bool:
    """True when ``surface`` (not empty) ends with no white space and holds no markup (``|``,
    ``*``) and no white space other than that of :data:`_MARKUP` (cached: surfaces recur)."""
    return not surface[-1].isspace() and "|" not in surface and "*" not in surface \
        and not _ODD_SPACE.search(surface)


def _walk_words(text: str, s: int, e: int, surface: str) -> int | None:
    """Where the character walk of :func:`surface_span` ends when it matches the whole of
    ``surface``, taken a word at a time; None when some word is not written whole at its place
    (then the walk is done character by character). For a ``surface`` with no ``|`` or ``*``
    and no white space at its end only: there the walk skips the surface's white space without
    moving in the text, skips markup in the text before each character, and matches a word
    written as it is in one step per character (none of its characters is markup), ending after
    the last one."""
    p = s
    for w in surface.split():
        while p < e and text[p] in _MARKUP:
            p += 1
        if p + len(w) <= e and text.startswith(w, p):
            p += len(w)
        else:
            return None
    return p


def surface_span(text: str, h: Hit) -> tuple[int, int]:
    """Clean-text offsets ``(start, end)`` of the words of ``h.surface`` inside
    ``text[h.start:h.end]`` (``text`` the clean text the hit was read from).

    A hit's ``[start, end)`` may run past its surface: the name scan consumed a trailing full stop
    ("Ban Chỉ đạo quốc gia."), a sub-unit was joined to its parent across ", " or "thuộc "
    (:func:`_enrich`), or a title was dropped ("Các Bộ trưởng" → "Các Bộ", :func:`_strip_title`).
    The surface is matched character by character from ``h.start``, skipping whitespace and
    markup (``|``, ``*``) in the text and whitespace in the surface (a surface written exactly so
    in the text is taken at once, with the same result); the span ends after its last
    character when it is matched to the end, at a word end. Otherwise (surfaces rewritten from
    recipient-list short forms) trailing whitespace, punctuation ``,.;:-~``, markup and
    connectives ("thuộc", "trực thuộc", "của", "và") are trimmed. The span never grows and
    never becomes empty. Raises nothing.
    """
    s, e = h.start, h.end
    surface = h.surface
    n = len(surface)
    if n and s + n <= e and text.startswith(surface, s) and _plain_surface(surface):
        # written exactly as the surface (the common case): the walk below would consume the
        # same characters one for one (a space of the surface, then the same space of the text)
        p = s + n
        if not (p < len(text) and text[p].isalnum() and text[p - 1].isalnum()):
            return s, p
    walked = _walk_words(text, s, e, surface) if n and not surface[-1].isspace() and "|" not in surface \
        and "*" not in surface else None
    if walked is not None:
        p, i = walked, n
    else:
        p, i = s, 0
        while i < n and p < e:
            if surface[i].isspace():
                i += 1
            elif text[p] in _MARKUP:
                p += 1
            elif text[p] == surface[i]:
                p += 1
                i += 1
            else:
                break
    if i == n and p > s and not (p < len(text) and text[p].isalnum() and text[p - 1].isalnum()):
        return s, p
    m = _SPAN_TAIL.search(text, s, e)
    if m and m.start() > s:
        return s, m.start()
    return s, e


# --------------------------------------------------------------------------------------------
# Grouping
# --------------------------------------------------------------------------------------------


def group_agencies(mentions: list[AgencyMention]) -> list[Agency]:
    """Merge mentions into agencies: one :class:`~graph.models.Agency` per canonical name (per
    surface, case-insensitively, for collectives), with distinct surfaces in order of first
    appearance, the English label and parent from the registry, and for collectives the
    specific agencies of the same document that belong to the group (``members``).

    Input: :class:`~graph.models.AgencyMention` objects (any order). Output: agencies in order of
    first mention. Raises nothing.
    """
    reg = load_agency_registry()
    groups: dict[str, Agency] = {}
    for m in sorted(mentions, key=lambda x: x.span.start):
        key = ("c:" + fold_key(m.name)) if m.collective else fold_key(m.name)
        a = groups.get(key)
        if a is None:
            a = Agency(name=m.name, collective=m.collective, kind=m.kind)
            if not m.collective:
                info = agency_info(m.name, reg)
                a.english, a.parent = info.get("english"), info.get("parent")
            groups[key] = a
        if m.surface not in a.surfaces:
            a.surfaces.append(m.surface)
        a.mentions.append(m)
    specifics = [a for a in groups.values() if not a.collective]
    members: dict[tuple[str, ...], list[str]] = {}  # prefixes → members (collective_members)
    for a in groups.values():
        if a.collective:
            pre = _member_prefixes(a.name)
            if not pre:
                a.members = []
                continue
            got = members.get(pre)
            if got is None:
                got = members[pre] = [x.name for x in specifics if x.name.startswith(pre)]
            a.members = list(got)
    return list(groups.values())


def agency_info(name: str, registry: AgencyRegistry | None = None) -> dict:
    """English label and parent of a canonical name, from the registry: ``{"english": …,
    "parent": …, "row": id}`` (empty dict for names the registry does not know)."""
    return dict(_agency_info(name, registry or load_agency_registry()))


@lru_cache(maxsize=8)
def _name_keys(registry: AgencyRegistry) -> tuple[dict, dict]:
    """Folded names of the registry rows ("{ủy}" templates both ways): (key → first row with
    it, key → first province row with it), in registry order."""
    exact: dict[str, AgencyRow] = {}
    province: dict[str, AgencyRow] = {}
    for row in registry.agencies:
        cands = [row.name] if "{ủy}" not in row.name else [row.name.replace("{ủy}", "Tỉnh ủy"),
                                                             row.name.replace("{ủy}", "Thành ủy")]
        for nm in cands:
            nk = fold_key(nm)
            exact.setdefault(nk, row)
            if row.level == "province":
                province.setdefault(nk, row)
    return exact, province


@lru_cache(maxsize=4096)
def _agency_info(name: str, registry: AgencyRegistry) -> tuple:
    """:func:`agency_info` as a tuple of items (cached). The row is the one with the longest
    folded name equal to the name or, for provincial templates, followed by a space (the
    first in registry order among equals)."""
    k = fold_key(name)
    exact, province = _name_keys(registry)
    best = None
    row = exact.get(k)
    if row is not None:
        best = (row, k)
    else:
        i = k.rfind(" ")
        while i > 0:
            row = province.get(k[:i])
            if row is not None:
                best = (row, k[:i])
                break
            i = k.rfind(" ", 0, i)
    if best is None:
        return ()
    row, nk = best
    rest = name[len(nk):].strip()
    loc = registry.locality(rest) if rest else None
    eng = row.english or None
    parent = row.parent or None
    if row.level == "province" and loc is not None:
        eng = f"{eng}, {loc.english}" if eng else None
        if parent:
            prow = _row_named(registry).get(parent)
            if prow is not None and prow.level == "province":
                parent = _with_locality(prow, loc)
            elif "{ủy}" in parent:
                parent = parent.replace("{ủy}", "Thành ủy" if loc.is_city else "Tỉnh ủy") + " " + loc.short
    elif row.level == "province" and parent and "{ủy}" in parent:
        parent = parent.replace("{ủy}", "Tỉnh ủy")
    return (("english", eng), ("parent", parent), ("row", row.id))


_GROUP_WORDS = {
    "sở": ("Sở ",), "ngành": ("Sở ", "Ban "), "bộ": ("Bộ ",),
    "đoàn thể": ("Ủy ban Mặt trận", "Hội ", "Liên đoàn", "Đoàn Thanh niên"),
    "huyện": ("Ủy ban nhân dân huyện", "Ủy ban nhân dân thành phố", "Ủy ban nhân dân thị xã"),
    "xã": ("Ủy ban nhân dân xã", "Ủy ban nhân dân phường"),
    "phường": ("Ủy ban nhân dân phường",),
    "tổ chức chính trị - xã hội": ("Ủy ban Mặt trận", "Hội ", "Liên đoàn", "Đoàn Thanh niên"),
}


_GROUP_WORD_RES = tuple((w, re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)"), pre) for w, pre in _GROUP_WORDS.items())


def collective_members(name: str, specifics: list[Agency]) -> list[str]:
    """Specific agencies of the document that a collective covers ("các Sở, ban, ngành" → every
    "Sở …" named; "UBND các huyện" → every district committee named): names in order. A rule on
    head words; never guesses beyond them."""
    pre = _member_prefixes(name)
    if not pre:
        return []
    return [a.name for a in specifics if a.name.startswith(pre)]


@lru_cache(maxsize=4096)
def _member_prefixes(name: str) -> tuple[str, ...]:
    """The name prefixes of the specific agencies that the collective ``name`` covers (those of
    :data:`_GROUP_WORDS` for each head word it holds, in that order; ``()`` for none). Depends
    on the name only (cached: collective names recur; :func:`group_agencies` also shares the
    members of equal prefixes within a document)."""
    k = fold_key(name)
    prefixes: list[str] = []
    for w, rx, pre in _GROUP_WORD_RES:
        if w in k and rx.search(k):  # the word as written first (a cheap test)
            prefixes.extend(pre)
    return tuple(prefixes)

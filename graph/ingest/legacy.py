"""Legacy Vietnamese 8-bit encodings → Unicode: TCVN3 (ABC), VNI-Windows, Windows-1258.

Before Unicode, Vietnamese text was typed in "font encodings": the bytes are Latin-1/cp1252
code points that a special font draws as Vietnamese letters. Two dominate old government
files:

- **TCVN3 (ABC)**, fonts ``.VnTime``/``.VnArial``: one byte per letter. The lowercase letters
  with tone marks sit at 0xB5–0xFE, the seven base letters ``Ă Â Ê Ô Ơ Ư Đ`` at 0xA1–0xA7 and
  ``ă â ê ô ơ ư đ`` at 0xA8–0xAE. The ABC set has **no** capitals with tone marks: writers
  switch to the "H" fonts (``.VnTimeH``) that draw the lowercase codes as capitals, so in the
  bytes "ỦY BAN" reads ``ñY BAN``. The full standard TCVN 5712:1993 (table VN1) adds those
  capitals at 0x80–0x9F, in the gaps of 0xA0–0xFF and at 0x01–0x17; :func:`decode_tcvn3`
  reads both forms (for the ABC form it restores capitals from context, see below).
- **VNI-Windows**, fonts ``VNI-Times`` …: a base letter followed by one modifier byte
  (``aù`` = á, ``AÙ`` = Á, ``aâ`` = â, ``aá`` = ấ, ``aê`` = ă), and single bytes for
  ``ô`` = ơ, ``ö`` = ư, ``ñ`` = đ, ``í ì æ ó ò`` = í ì ỉ ĩ ị, ``î`` = ỵ (uppercase likewise).

Windows-1258 is a real code page (Python codec ``cp1258``) whose tone marks are combining
characters; :func:`decode_cp1258` composes them (NFC).

Sources of the tables (checked, not copied):

- TCVN3/VN1: the TCVN 5712:1993 VN1 table as implemented by GNU libc's ``TCVN5712-1`` charmap
  (the bytes below were cross-checked byte by byte against ``iconv -f TCVN5712-1``; see
  ``tests/test_readers.py``) and XFree86 ``lib/X11/lcUniConv/tcvn.h``. The ABC subset agrees
  with the converters in ``cmpitg/bogoengine`` (``src/charset.hpp``, ``utf8ToTCVN3``) and the
  TCVN3 tables of ``duydev/vietnamese-conversion`` (``src/charsets.ts``), which map the toned
  capitals to the lowercase codes, as the ``.VnTimeH`` convention does.
- VNI-Windows: the modifier scheme of ``lamdao/xvnkb`` (``vni.h``, the VNI table of the xvnkb
  Vietnamese keyboard) cross-checked with ``duydev/vietnamese-conversion`` ``src/charsets.ts``.

Detection (:func:`detect_legacy`, :func:`detect_8bit`) decodes a sample with each candidate
and counts the words that are well-formed Vietnamese syllables (onset, vowel cluster, coda,
at most one tone mark) against malformed words and stray symbols; the candidate with the best
count wins if it is clearly Vietnamese, else ``None``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "LEGACY_ENCODINGS",
    "decode_tcvn3",
    "encode_tcvn3",
    "decode_vni",
    "encode_vni",
    "decode_cp1258",
    "encode_cp1258",
    "decode_legacy",
    "detect_legacy",
    "detect_8bit",
    "vietnamese_score",
    "is_vietnamese_syllable",
    "VietnameseScore",
]

LEGACY_ENCODINGS = ("cp1258", "tcvn3", "vni")
"""Names of the 8-bit encodings this module decodes (the ``SourceText.encoding`` values)."""

# ---------------------------------------------------------------------------------------------
# TCVN3 / TCVN 5712:1993 VN1.  Byte → Unicode, rows of 16 from the byte in the row's name.
# Cross-checked against glibc iconv TCVN5712-1 (see module docstring).

_VN1_ROWS = {
    0x80: "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ",
    0x90: "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ",
    0xA0: "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ",
    0xB0: "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ",
    0xC0: "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ",
    0xD0: "éẹềểễếệìỉỄẾỒĩíịò",
    0xE0: "Ổỏõóọồổỗốộờởỡớợù",
    0xF0: "ỖủũúụừửữứựỳỷỹýỵỐ",
}
# VN1 also puts twelve capitals on C0 control positions (never \t \n \r).
_VN1_C0 = {0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự",
           0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ"}

_TCVN3_DECODE: dict[int, str] = dict(_VN1_C0)
for _start, _row in _VN1_ROWS.items():
    assert len(_row) == 16, hex(_start)
    for _i, _ch in enumerate(_row):
        _TCVN3_DECODE[_start + _i] = _ch

# Bytes 0x80–0x9F are VN1 capitals, but ABC files saved from Windows use them for cp1252
# punctuation (“ ” – …). These cp1252 meanings are plausible in a Vietnamese text; the decoder
# chooses per occurrence (see _resolve_c1).
_CP1252_PUNCT = {0x80: "€", 0x84: "„", 0x85: "…", 0x89: "‰", 0x91: "‘", 0x92: "’", 0x93: "“",
                 0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—"}
_OPENING = {0x84, 0x91, 0x93}
_CLOSING = {0x92, 0x94}

# Capitals the ABC set lacks (encoded as the lowercase code in the .VnTimeH convention).
_ABC_BASE_CAPITALS = set("ĂÂÊÔƠƯĐ")

# bytes 0x80–0x9F whose cp1252 meaning is no plausible punctuation are capitals outright; the
# others stay as C1 code points for the per-occurrence decision
_TCVN3_TABLE = "".join(
    chr(b) if b in _CP1252_PUNCT else _TCVN3_DECODE.get(b, chr(b)) for b in range(256)
)
_TCVN3_ENCODE_VN1: dict[str, int] = {}
for _b, _ch in sorted(_TCVN3_DECODE.items()):
    if not unicodedata.combining(_ch) and (_ch != chr(_b) or _ch.isalpha()):
        _TCVN3_ENCODE_VN1.setdefault(_ch, _b)
_TCVN3_ENCODE_ABC: dict[str, int] = {}
for _ch, _b in _TCVN3_ENCODE_VN1.items():
    if _ch.isupper() and _ch not in _ABC_BASE_CAPITALS:
        _low = _TCVN3_ENCODE_VN1.get(_ch.lower())
        if _low is not None:
            _TCVN3_ENCODE_ABC[_ch] = _low
            continue
    _TCVN3_ENCODE_ABC[_ch] = _b

# ---------------------------------------------------------------------------------------------
# VNI-Windows. Unicode letter → VNI byte sequence (bytes shown as their cp1252 characters).
# Order of tones in the xvnkb table: none, acute, grave, hook, tilde, dot.

_VNI_UNICODE = (
    "áàảãạéèẻẽẹóòỏõọúùủũụýỳỷỹỵâấầẩẫậêếềểễệôốồổỗộăắằẳẵặơớờởỡợưứừửữựỉĩịđ"
    "ÁÀẢÃẠÉÈẺẼẸÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴÂẤẦẨẪẬÊẾỀỂỄỆÔỐỒỔỖỘĂẮẰẲẴẶƠỚỜỞỠỢƯỨỪỬỮỰỈĨỊĐ"
)
_VNI_CODES = (
    "aù aø aû aõ aï eù eø eû eõ eï où oø oû oõ oï uù uø uû uõ uï yù yø yû yõ î "
    "aâ aá aà aå aã aä eâ eá eà eå eã eä oâ oá oà oå oã oä aê aé aè aú aü aë "
    "ô ôù ôø ôû ôõ ôï ö öù öø öû öõ öï æ ó ò ñ "
    "AÙ AØ AÛ AÕ AÏ EÙ EØ EÛ EÕ EÏ OÙ OØ OÛ OÕ OÏ UÙ UØ UÛ UÕ UÏ YÙ YØ YÛ YÕ Î "
    "AÂ AÁ AÀ AÅ AÃ AÄ EÂ EÁ EÀ EÅ EÃ EÄ OÂ OÁ OÀ OÅ OÃ OÄ AÊ AÉ AÈ AÚ AÜ AË "
    "Ô ÔÙ ÔØ ÔÛ ÔÕ ÔÏ Ö ÖÙ ÖØ ÖÛ ÖÕ ÖÏ Æ Ó Ò Ñ"
).split()
assert len(_VNI_UNICODE) == len(_VNI_CODES) == 130
_VNI_ENCODE = dict(zip(_VNI_UNICODE, _VNI_CODES, strict=True))
_VNI_DECODE = {v: k for k, v in _VNI_ENCODE.items()}
# longest match first: two-character sequences, then single bytes
_VNI_RE = re.compile("(" + "|".join(sorted(map(re.escape, _VNI_DECODE), key=len, reverse=True)) + ")")


def _cp1252_table() -> str:
    out = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D: undefined, keep the C1 code
            out.append(chr(b))
    return "".join(out)


_CP1252 = _cp1252_table()
_CP1252_ENCODE = {c: b for b, c in enumerate(_CP1252) if ord(c) != b}


def to_latin_bytes(text: str) -> bytes:
    """Text decoded as Latin-1 or cp1252 back to the bytes it was decoded from: one byte per
    character (code points < 256 as themselves, cp1252's other characters by its table,
    anything else → ``?``). Used to re-read legacy-font text (TCVN3, VNI) that a reader or an
    HTML/DOCX source already decoded as Windows-1252. Raises nothing."""
    out = bytearray()
    for c in text:
        o = ord(c)
        if o < 256:
            out.append(o)
        else:
            out.append(_CP1252_ENCODE.get(c, 0x3F))
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Vietnamese syllable check (used for detection and for TCVN3 context decisions).

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWEL_CLUSTERS = {
    *"aăâeêioôơuưy",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi",
    "oo", "ôi", "ôô", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu",
    "ya", "yê",
    "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu",
}
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
           *"bcdđghklmnprstvx", "")
_RIME_RE = re.compile(r"(?P<v>[aăâeêioôơuưy]{1,3})(?P<c>ch|ng|nh|[cmnptk])?")
# vowel clusters that end the syllable (off-glides i/y/o/u, and ia/ua/ưa/uya): no final
_NO_CODA = {"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua",
            "ui", "ưa", "ưi", "ưu", "ya", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây",
            "uôi", "uya", "uyu", "ươi", "ươu"}
# clusters that never end a syllable: ă/â and the diphthongs iê/yê/uô/ươ need a final
_NEED_CODA = {"ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê"}
_STOPS = {"c", "ch", "p", "t", "k"}
_VIET_LETTERS = set("abcdefghijklmnopqrstuvwxyzăâđêôơư")


def _strip_tone(word: str) -> tuple[str, int]:
    d = unicodedata.normalize("NFD", word)
    tones = sum(1 for c in d if c in _TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONE_MARKS))
    return base, tones


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """True if ``word`` (any case, NFC or NFD) is a well-formed Vietnamese syllable.

    Checks: letters of the Vietnamese alphabet only, at most one tone mark, an onset from the
    Vietnamese set (``ngh``, ``qu``, ``gi`` …), a known vowel cluster and an allowed final
    (``c ch m n ng nh p t``, and ``k`` of Central Highlands names such as "Đắk"), finals only
    after clusters that allow them ("mưa" but not "mưang"), and after a stop final only the
    acute or dot-below tone ("thực", not "thùc" or "tơt"; "Đăk" is let through). A phonotactic test meant for encoding
    detection, not a dictionary: "ỏy" and "thùc" fail; "quyết", "gì", "nghiêng" pass.
    Never raises.
    """
    if not word or len(word) > 8:
        return False
    low = unicodedata.normalize("NFD", word.lower())
    tone = [c for c in low if c in _TONE_MARKS]
    if len(tone) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in low if c not in _TONE_MARKS))
    if not set(base) <= _VIET_LETTERS:
        return False
    for onset in _ONSETS:
        if base.startswith(onset):
            m = _RIME_RE.fullmatch(base, len(onset))
            if m is None:
                continue
            v, coda = m.group("v"), m.group("c")
            if v not in _VOWEL_CLUSTERS:
                continue
            if coda and v in _NO_CODA or not coda and v in _NEED_CODA:
                continue
            # a syllable closed by a stop takes only the acute or the dot-below tone (toneless
            # only in the spelling "Đăk" of Central Highlands names)
            if coda in _STOPS and (tone[0] not in ("\u0301", "\u0323") if tone else coda != "k"):
                continue
            return True
    return False


@dataclass(frozen=True)
class VietnameseScore:
    """Counts over a text: ``valid``/``invalid`` words that contain a non-ASCII letter and are /
    are not Vietnamese syllables, ``odd`` non-ASCII symbols that a Vietnamese text does not
    use (``¸ © ® ¬ µ`` … typical of a wrong decoding) and U+FFFD."""

    valid: int
    invalid: int
    odd: int

    @property
    def value(self) -> int:
        """``valid - 2 * invalid - odd``: higher is more Vietnamese."""
        return self.valid - 2 * self.invalid - self.odd

    def is_vietnamese(self) -> bool:
        """At least one valid word and at least 85 % of the evidence valid."""
        bad = self.invalid + self.odd
        return self.valid >= 1 and self.valid >= 6 * bad


_ALLOWED_SYMBOLS = set("\u00a0“”‘’„–—…•‰°±×÷≤≥€′″·\u00ad\u200b\ufeff")
_WORD_RE = re.compile(r"[^\W\d_]+")


_VOWEL_LETTERS = set("aăâeêioôơuưy")


def _is_abbreviation(word: str) -> bool:
    low = word.lower()
    return set(low) <= _VIET_LETTERS and not any(c in _VOWEL_LETTERS for c in low)


def vietnamese_score(text: str) -> VietnameseScore:
    """Score how Vietnamese ``text`` looks (see :class:`VietnameseScore`). Never raises."""
    text = unicodedata.normalize("NFC", text)
    valid = invalid = 0
    for w in _WORD_RE.findall(text):
        if w.isascii():
            continue
        if _is_abbreviation(w):  # "QĐ", "HĐND", "đ": no vowel, no evidence either way
            continue
        if is_vietnamese_syllable(w):
            valid += 1
        else:
            invalid += 1
    odd = 0
    for c in _SUSPECT_RE.findall(text):
        if c not in _ALLOWED_SYMBOLS and (c < " " or unicodedata.category(c)[0] not in "LM"):
            odd += 1
    return VietnameseScore(valid, invalid, odd)


_SUSPECT_RE = re.compile("[\x00-\x08\x0e-\x1f\x80-\U0010ffff]")


# ---------------------------------------------------------------------------------------------
# TCVN3


def _is_c1(c: str) -> bool:
    return 0x80 <= ord(c) <= 0x9F


def _wordish(c: str) -> bool:
    return c.isalpha() or _is_c1(c)


_C1_RE = re.compile("[\x80-\x9f]")


def _resolve_c1(chars: list[str]) -> None:
    """Decide, for each byte 0x80–0x9F left in ``chars``, VN1 capital or cp1252 punctuation.

    A capital when the byte touches a letter and the word it then forms is a Vietnamese
    syllable — unless it is a quote-like byte (“ ‘ „ at a word start, ” ’ at a word end) and
    the word without it is a syllable too ("“anh" stays a quote). Works on the word around
    each byte only (linear in the text)."""
    n = len(chars)
    for m in _C1_RE.finditer("".join(chars)):
        i = m.start()
        o = ord(chars[i])
        cap = _TCVN3_DECODE[o]
        punct = _CP1252_PUNCT.get(o)
        if punct is None:
            chars[i] = cap
            continue
        prev_l = i > 0 and chars[i - 1].isalpha()
        next_l = i + 1 < n and _wordish(chars[i + 1])
        if not (prev_l or next_l):
            chars[i] = punct
            continue
        s = i
        while s > 0 and chars[s - 1].isalpha() and i - s < 12:
            s -= 1
        e = i + 1
        while e < n and _wordish(chars[e]) and e - i < 12:
            e += 1
        before = "".join(chars[s:i])
        after = "".join(_TCVN3_DECODE[ord(c)] if _is_c1(c) else c for c in chars[i + 1:e])
        use_cap = is_vietnamese_syllable(before + cap + after)
        if use_cap and o in _OPENING and not prev_l:
            use_cap = not is_vietnamese_syllable(after)
        if use_cap and o in _CLOSING and not next_l:
            use_cap = not is_vietnamese_syllable(before)
        chars[i] = cap if use_cap else punct


_AMBIGUOUS_LOWER = {c for c in set(_TCVN3_TABLE[0xA8:]) if c.islower() and not c.isascii()}


_AMBIGUOUS_RE = re.compile("[" + "".join(sorted(_AMBIGUOUS_LOWER)) + "]")
# a word without ASCII lowercase that holds an ambiguous code: the only words to reconsider
_CANDIDATE_RE = re.compile(
    r"(?<![^\W\d_])(?=[^\W\d_a-z]*[" + "".join(sorted(_AMBIGUOUS_LOWER)) + r"])[^\W\d_a-z]+(?![^\W\d_])")
_PREV_WORD_RE = re.compile(r"([^\W\d_]+)[ \t]+\Z")
_NEXT_WORD_RE = re.compile(r"[ \t]+([^\W\d_]+)")
_ASCII_LOWER_RE = re.compile("[a-z]")


def _case_kind(word: str) -> str:
    """'L' has a true (ASCII) lowercase letter; 'U' reads as all caps; 'A' ambiguous."""
    if _ASCII_LOWER_RE.search(word):
        return "L"
    uppers = [i for i, c in enumerate(word) if c.isupper()]
    amb = _AMBIGUOUS_RE.search(word) is not None
    if uppers and (len(uppers) >= 2 or uppers[0] > 0 or not amb):
        return "U"
    return "A" if amb else "X"


def _evidence(word: str | None) -> str | None:
    """Case evidence from a neighbouring word: "L" (has lowercase), "U" (an all-uppercase
    Vietnamese syllable of two letters or more) or None (abbreviations such as "UBND")."""
    if word is None:
        return None
    kind = _case_kind(word)
    if kind == "L":
        return "L"
    if kind == "U" and len(word) >= 2 and is_vietnamese_syllable(word):
        return "U"
    return None


def _restore_capitals(text: str) -> str:
    """ABC files write toned capitals with the lowercase code (``.VnTimeH`` font): "ñY BAN".

    Rules, per line: a word with an uppercase letter after its first letter, or two uppercase
    letters, and no lowercase letter apart from such codes, is made all uppercase ("ñY" →
    "ỦY", "TRÎ" → "TRẺ"). A word that is a capital followed by such codes ("Sè", read "Số"),
    or made only of such codes, is made uppercase only when the words next to it (only spaces
    between) are all-uppercase syllables — both of them, or the one there is on a line with no
    lowercase letter ("TRẺ ë NÔNG" → "TRẺ Ở NÔNG"; abbreviations such as "UBND" are no
    evidence). Other words are left as they are: the capital of a title-case word written in
    the H font ("ñy ban") cannot be recovered. Linear in the text; only words without ASCII
    lowercase are looked at.
    """
    if _AMBIGUOUS_RE.search(text) is None:
        return text
    out: list[str] = []
    last = 0
    line_lower: dict[int, bool] = {}
    for m in _CANDIDATE_RE.finditer(text):
        w = m.group()
        kind = _case_kind(w)
        upper = kind == "U"
        if kind == "A":
            a, b = m.start(), m.end()
            line_start = text.rfind("\n", 0, a) + 1
            line_end = text.find("\n", b)
            if line_end < 0:
                line_end = len(text)
            pm = _PREV_WORD_RE.search(text, max(line_start, a - 48), a)
            nm = _NEXT_WORD_RE.match(text, b, min(line_end, b + 48))
            sides = [x for x in (_evidence(pm.group(1) if pm else None),
                                 _evidence(nm.group(1) if nm else None)) if x is not None]
            if sides and all(x == "U" for x in sides):
                if len(sides) == 2:
                    upper = True
                else:
                    if line_start not in line_lower:
                        line_lower[line_start] = _ASCII_LOWER_RE.search(text, line_start, line_end) is not None
                    upper = not line_lower[line_start]
        if upper:
            out.append(text[last:m.start()])
            out.append(w.upper())
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def decode_tcvn3(data: bytes, *, restore_case: bool = True) -> str:
    """Decode TCVN3 (ABC) bytes, including the TCVN 5712 VN1 capitals, to NFC Unicode.

    Input: bytes. Output: ``str`` (NFC). Bytes 0x80–0x9F are read as VN1 capitals when they
    sit in a word that is then a Vietnamese syllable, else as cp1252 punctuation (“ ” – …).
    With ``restore_case`` the ``.VnTimeH`` convention (capitals written with lowercase codes)
    is undone where the context shows an uppercase word. Never raises.
    """
    text = codecs.charmap_decode(data, "strict", _TCVN3_TABLE)[0]
    if _C1_RE.search(text):
        chars = list(text)
        _resolve_c1(chars)
        text = "".join(chars)
    text = unicodedata.normalize("NFC", text)
    if restore_case and not _has_vn1_capitals(text):
        text = _restore_capitals(text)
    return text


_VN1_CAPITALS = {c for c in _TCVN3_DECODE.values() if c.isupper() and c not in _ABC_BASE_CAPITALS}


_VN1_CAPITALS_RE = re.compile("[" + "".join(sorted(_VN1_CAPITALS)) + "]")


def _has_vn1_capitals(text: str) -> bool:
    """True if the text uses VN1 toned capitals: then lowercase codes mean lowercase."""
    return _VN1_CAPITALS_RE.search(text) is not None


def encode_tcvn3(text: str, *, capitals: str = "vn1", errors: str = "strict") -> bytes:
    """Encode ``text`` as TCVN3 bytes (the inverse of :func:`decode_tcvn3`).

    ``capitals="vn1"`` writes toned capitals with the TCVN 5712 VN1 codes (lossless round
    trip); ``capitals="abc"`` writes them with the lowercase code, as files typed in the
    ``.VnTimeH`` font have them (case is then restored only from context). Characters outside
    TCVN3 and cp1252 raise ``ValueError`` (``errors="strict"``) or become ``?``
    (``errors="replace"``).
    """
    if capitals not in ("vn1", "abc"):
        raise ValueError("capitals must be 'vn1' or 'abc'")
    table = _TCVN3_ENCODE_VN1 if capitals == "vn1" else _TCVN3_ENCODE_ABC
    out = bytearray()
    for i, c in enumerate(unicodedata.normalize("NFC", text)):
        b = table.get(c)
        if b is None:
            o = ord(c)
            if o < 0x80 and o not in _VN1_C0:
                b = o
            elif c in _CP1252_ENCODE and 0x80 <= _CP1252_ENCODE[c] <= 0x9F:
                b = _CP1252_ENCODE[c]
            elif c == "\u00a0":
                b = 0xA0
        if b is None:
            if errors == "replace":
                b = 0x3F
            else:
                raise ValueError(f"character {c!r} (U+{ord(c):04X}) at {i} has no TCVN3 code")
        out.append(b)
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# VNI


def decode_vni(data: bytes) -> str:
    """Decode VNI-Windows bytes to NFC Unicode. Bytes that are not part of a VNI letter are
    read as cp1252. Input: bytes; output: ``str``. Never raises."""
    parts = _VNI_RE.split(codecs.charmap_decode(data, "strict", _CP1252)[0])
    parts[1::2] = [_VNI_DECODE[p] for p in parts[1::2]]
    return unicodedata.normalize("NFC", "".join(parts))


def encode_vni(text: str, *, errors: str = "strict") -> bytes:
    """Encode ``text`` as VNI-Windows bytes (inverse of :func:`decode_vni`). Characters outside
    VNI and cp1252 raise ``ValueError`` (``errors="strict"``) or become ``?``."""
    out = []
    for i, c in enumerate(unicodedata.normalize("NFC", text)):
        seq = _VNI_ENCODE.get(c)
        if seq is not None:
            out.append(seq)
        elif ord(c) < 0x80 or c in _CP1252_ENCODE or (0xA0 <= ord(c) < 0x100 and c not in _VNI_DECODE):
            out.append(c)
        elif errors == "replace":
            out.append("?")
        else:
            raise ValueError(f"character {c!r} (U+{ord(c):04X}) at {i} has no VNI code")
    return to_latin_bytes("".join(out))


# ---------------------------------------------------------------------------------------------
# Windows-1258


def decode_cp1258(data: bytes) -> str:
    """Decode Windows-1258 bytes to NFC (its tone marks are combining characters).
    Undefined bytes become U+FFFD. Never raises."""
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def encode_cp1258(text: str, *, errors: str = "strict") -> bytes:
    """Encode ``text`` as Windows-1258 the way Windows does: precomposed where the code page
    has the letter, else base letter + combining tone mark. Unencodable characters raise
    ``ValueError`` or become ``?`` (``errors="replace"``)."""
    out = bytearray()
    for i, c in enumerate(unicodedata.normalize("NFC", text)):
        try:
            out += c.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, _ = _strip_tone(c)
        tone = "".join(m for m in unicodedata.normalize("NFD", c) if m in _TONE_MARKS)
        try:
            out += (base + tone).encode("cp1258")
        except UnicodeEncodeError:
            if errors == "replace":
                out += b"?"
            else:
                raise ValueError(f"character {c!r} (U+{ord(c):04X}) at {i} has no cp1258 code") from None
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# detection

_DECODERS = {"cp1258": decode_cp1258, "tcvn3": decode_tcvn3, "vni": decode_vni}


def decode_legacy(data: bytes, encoding: str) -> str:
    """Decode ``data`` with one of :data:`LEGACY_ENCODINGS`; ``KeyError`` for another name."""
    return _DECODERS[encoding](data)


_SAMPLE = 256 * 1024


def _best(data: bytes, names: tuple[str, ...]) -> tuple[str | None, VietnameseScore | None]:
    sample = data[:_SAMPLE]
    best_name, best = None, None
    for name in names:
        sc = vietnamese_score(_DECODERS[name](sample))
        if best is None or sc.value > best.value:
            best_name, best = name, sc
    return best_name, best


def detect_8bit(data: bytes) -> str | None:
    """Name the Vietnamese 8-bit encoding of ``data``: ``"cp1258"``, ``"tcvn3"``, ``"vni"``,
    or ``None`` when none of them gives Vietnamese text (Western Latin-1 text, binary data,
    broken UTF-8 …). Looks at the first 256 KiB. Never raises."""
    if not any(b >= 0x80 for b in data[:_SAMPLE]):
        return None
    name, sc = _best(data, ("cp1258", "tcvn3", "vni"))
    if name is None or sc is None or not sc.is_vietnamese():
        return None
    return name


def detect_legacy(text: str) -> str | None:
    """Tell whether ``text`` — bytes decoded as cp1252 or Latin-1, or Unicode text typed in a
    legacy font (e.g. a DOCX in ``.VnTime``) — is really TCVN3 or VNI.

    Returns ``"tcvn3"``, ``"vni"`` or ``None``. ``None`` when the text already contains
    Vietnamese Unicode letters (U+0100 and up), when converting does not give clearly
    Vietnamese text, or when the text as it is scores as well as the conversion. Never raises.
    """
    sample = text[:_SAMPLE]
    if not any(0x80 <= ord(c) for c in sample):
        return None
    if any(0x100 <= ord(c) and c not in _CP1252_ENCODE for c in sample):
        return None
    data = to_latin_bytes(sample)
    name, sc = _best(data, ("tcvn3", "vni"))
    if name is None or sc is None or not sc.is_vietnamese():
        return None
    as_is = vietnamese_score(sample)
    if as_is.is_vietnamese() and as_is.value >= sc.value:
        return None
    return name

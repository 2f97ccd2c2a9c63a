"""The registry: facts the extractor may rely on, shipped as data in ``data/registry/*.tsv``.

Files (tab-separated, UTF-8, first line = header, every fact row carries a ``source`` column):

- ``doc_types.tsv`` — document-type codes as printed in document numbers (``QĐ``, ``NĐ``,
  ``CTr`` …) with the Vietnamese and English type names. ``scope`` is ``state``, ``party`` or
  ``any`` (the same code can name different types in State and Party numbering: ``TT`` is a
  Thông tư in ``02/2021/TT-BYT`` but a Thông tri in ``05-TT/TW``). ``variants`` lists other
  spellings seen in real text (ASCII ``QD``, OCR ``NO``), ``;``-separated. Sources: Nghị định
  30/2020/NĐ-CP Phụ lục III (administrative documents), Luật Ban hành văn bản quy phạm pháp
  luật 2015 Điều 4 (legal documents), Hướng dẫn 36-HD/VPTW (2018) (Party documents).
- ``issuer_codes.tsv`` — issuer codes of document numbers (``TTg``, ``CP``, ``UBND``, ``TW``…)
  with the issuing body's name; ``scope`` = ``local`` means the body's name takes the
  locality of the document that cites it (``UBND`` → Ủy ban nhân dân tỉnh …).
- ``instruments.tsv`` — known instruments (copied from the project's verified facts, each row
  with its ``source``): number, type, date, issuer, ``known_as`` (the name the instrument
  carries or approves), English label, relation note (``approves the programme`` marks a
  decision that approves the programme named in ``known_as``).
- ``law_names.tsv`` — names of laws and codes as printed with their numbers in real documents
  ("Luật Ngân sách nhà nước số 83/2015/QH13"), each with the document it was read from; used
  only to know where a law's name ends ("Luật Ngân sách nhà nước và phân cấp ngân sách"),
  never to give a number the text does not state.
- ``abbreviations.tsv`` — abbreviations expanded when names are compared (QPPL, BMNN, MTQG …).
- ``localities.tsv`` (maintained elsewhere, read only if present) — provinces and their names,
  used to recognise an explicit locality in an issuer phrase.

:func:`load_registry` reads them once; lookups are by number (:meth:`Registry.by_number`), by
name (:meth:`Registry.by_name`, accent-insensitive with a strict fuzzy threshold) and by
approved programme name (:meth:`Registry.approving_decision`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graph.errors import ReadError
from graph.ingest.text import collapse_ws, fold_key, strip_accents

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "data" / "registry"
"""The repository's ``data/registry`` directory (next to the ``graph`` package)."""


@dataclass(frozen=True)
class DocType:
    """A document-type code: ``code`` as printed (canonical case), ``scope`` (state/party/any),
    Vietnamese ``name_vi``, English ``name_en``, other spellings ``variants``, ``source``."""

    code: str
    scope: str
    name_vi: str
    name_en: str
    variants: tuple[str, ...] = ()
    source: str = ""
    by_name: bool = False
    """Instruments of this type are also cited by name without a number ("Luật Trẻ em")."""


@dataclass(frozen=True)
class IssuerCode:
    """An issuer code of document numbers: ``code``, the body's ``name_vi``/``name_en``,
    ``kind`` (state/party), ``scope`` (central/local: local names take a locality)."""

    code: str
    name_vi: str
    name_en: str
    kind: str
    scope: str
    variants: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Instrument:
    """A known instrument (one row of ``instruments.tsv``). ``id`` is the row's document number
    as written in the file; ``key`` the number's identity key (see
    :attr:`graph.extract.numbers.ParsedNumber.key`) or None if it does not parse."""

    id: str
    document_number: str
    document_type: str
    date_issued: str | None
    issuer: str
    known_as: str
    english_label: str
    relation_note: str
    status: str
    source: str
    key: tuple | None = field(default=None, compare=False)

    @property
    def approves(self) -> bool:
        """True if this instrument approves the programme/strategy named in ``known_as``."""
        return self.relation_note.lower().startswith("approves")


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[re.Pattern, str], ...]:
    path = DEFAULT_DIR / "abbreviations.tsv"
    if not path.exists():
        return ()
    out = []
    for r in _read_tsv(path):
        ab, ex = (r.get("abbreviation") or "").strip(), (r.get("expansion") or "").strip()
        if ab and ex:
            out.append((re.compile(r"(?<![^\W\d_])" + re.escape(ab) + r"(?![^\W\d_])"), ex))
    return tuple(out)


def expand_abbreviations(s: str) -> str:
    """Expand the abbreviations of ``data/registry/abbreviations.tsv`` (case-sensitive, whole
    words): "Luật Ban hành văn bản QPPL" → "Luật Ban hành văn bản quy phạm pháp luật"."""
    if not any(c.isupper() for c in s[1:]):
        return s
    for pat, ex in _abbreviations():
        s = pat.sub(ex, s)
    return s


@lru_cache(maxsize=65536)
def name_key(s: str) -> str:
    """Comparison key of an instrument name: abbreviations expanded (:func:`expand_abbreviations`,
    so "Luật Tổ chức HĐND và UBND" and "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân" get
    the same key), accents and case removed, đ → d, punctuation and quotes dropped, spaces
    collapsed, "giai đoạn 2021 - 2030" spacing unified."""
    s = expand_abbreviations(collapse_ws(s))
    s = strip_accents(fold_key(s))
    s = re.sub(r"[\"“”‘’'«»()\[\]]", " ", s)
    s = re.sub(r"\s*[-–—]\s*", " - ", s)
    s = re.sub(r"[,;:.]", " ", s)
    return " ".join(s.split())


class Registry:
    """Code tables and known instruments (see module docstring). Build with
    :func:`load_registry`; instances are read-only after construction."""

    def __init__(self, doc_types: list[DocType], issuers: list[IssuerCode],
                 instruments: list[Instrument], localities: list[dict] | None = None,
                 path: Path | None = None, law_names: list[str] | None = None):
        self.path = path
        self.law_names: tuple[str, ...] = tuple(sorted({fold_key(collapse_ws(n)) for n in law_names or ()},
                                                     key=len, reverse=True))
        """Known law/code names, folded (lower case), longest first."""
        self.doc_types = doc_types
        self.issuers = issuers
        self.instruments = instruments
        self.localities = localities or []
        # code (casefolded, any variant) -> list of DocType
        self._type_by_code: dict[str, list[DocType]] = {}
        for t in doc_types:
            for c in (t.code, *t.variants):
                if c:
                    self._type_by_code.setdefault(_code_key(c), []).append(t)
        self._type_by_name: dict[str, DocType] = {}
        for t in doc_types:
            self._type_by_name.setdefault(fold_key(t.name_vi), t)
        self.type_names: tuple[str, ...] = tuple(sorted({t.name_vi for t in doc_types}, key=len, reverse=True))
        """Vietnamese type names, longest first (for building head-word patterns)."""
        self.by_name_types: frozenset[str] = frozenset(t.name_vi for t in doc_types if t.by_name)
        self._issuer_by_code: dict[str, IssuerCode] = {}
        for i in issuers:
            for c in (i.code, *i.variants):
                self._issuer_by_code.setdefault(_code_key(c), i)
        self._by_key: dict[tuple, list[Instrument]] = {}
        for ins in instruments:
            if ins.key is not None:
                self._by_key.setdefault(ins.key, []).append(ins)
        self._names: list[tuple[str, Instrument]] = [
            (name_key(ins.known_as), ins) for ins in instruments if ins.known_as
        ]
        self._approved_cores: list[tuple[str, Instrument]] = [
            (name_key(strip_period(ins.known_as)), ins) for ins in instruments if ins.known_as and ins.approves
        ]
        self._approving_cache: dict = {}
        self._by_number_cache: dict = {}
        self.locality_names: tuple[str, ...] = tuple(sorted(
            {v for row in self.localities for v in _locality_variants(row)}, key=len, reverse=True))
        self._locality_keys = tuple((fold_key(n), n) for n in self.locality_names)
        self._by_name_cache: dict = {}
        self.locality_rows: dict[str, dict] = {}
        """folded name/short name/variant → the localities.tsv row (first one wins)."""
        for row in self.localities:
            for v in _locality_variants(row) + [row.get("full_name") or ""]:
                if v:
                    self.locality_rows.setdefault(fold_key(v), row)
        self._locality_cache: dict[str, str | None] = {}

    # -- code tables ---------------------------------------------------------------------
    def doc_type(self, code: str, party: bool | None = None) -> DocType | None:
        """The :class:`DocType` of a type code (any case, any listed variant), preferring an entry
        whose code is spelled so with its accents, then one with such a variant (``HĐ`` is Hợp
        đồng, ``HD`` Hướng dẫn; ``DA`` Dự án, ``ĐA`` Đề án: Decree 30/2020/NĐ-CP Appendix III),
        then the entry of the given scope (``party`` True/False); None if unknown."""
        cands = self._type_by_code.get(_code_key(code))
        if not cands:
            return None
        if len(cands) > 1:  # codes that differ only by Đ share a key: HĐ (Hợp đồng) is not HD
            cf = code.casefold()
            cands = ([t for t in cands if t.code.casefold() == cf]
                     or [t for t in cands if any(v.casefold() == cf for v in t.variants)] or cands)
        if party is not None:
            want = "party" if party else "state"
            for t in cands:
                if t.scope == want:
                    return t
            for t in cands:
                if t.scope == "any":
                    return t
        return cands[0]

    def is_type_code(self, code: str) -> bool:
        """True if ``code`` (any case/variant) is a known document-type code."""
        return _code_key(code) in self._type_by_code

    def type_by_name(self, name: str) -> DocType | None:
        """The :class:`DocType` whose Vietnamese name is ``name`` (case-insensitive)."""
        return self._type_by_name.get(_type_key(name))

    def issuer(self, code: str) -> IssuerCode | None:
        """The :class:`IssuerCode` of an issuer code (any case/variant; a trailing term number
        such as ``QH13``/``UBTVQH14``/``HĐND17`` is ignored), or None."""
        k = _code_key(code)
        hit = self._issuer_by_code.get(k)
        if hit is None:
            stripped = re.sub(r"\d+$", "", k)
            if stripped != k:
                hit = self._issuer_by_code.get(stripped)
        return hit

    def is_issuer_code(self, code: str) -> bool:
        """True if ``code`` is a known issuer code (see :meth:`issuer`)."""
        return self.issuer(code) is not None

    # -- instruments ---------------------------------------------------------------------
    def by_number(self, number: str) -> list[Instrument]:
        """Known instruments with the identity key of ``number`` (any spelling the number
        grammar reads: ``46/CT-TTG`` finds ``46/CT-TTg``); [] if none or unparseable."""
        hit = self._by_number_cache.get(number)
        if hit is not None:  # (before the import below: a function-level import costs ~1 us a call)
            return list(hit)
        from graph.extract.numbers import parse_number, using_registry

        p = parse_number(number, registry=self)
        hits: list[Instrument] = []
        if p is not None:
            with using_registry(self):
                hits = list(self._by_key.get(p.key, ()))
        if len(self._by_number_cache) < 20000:
            self._by_number_cache[number] = hits
        return list(hits)

    def by_name(self, name: str, *, threshold: float = 92.0) -> list[tuple[Instrument, float]]:
        """Known instruments whose ``known_as`` matches ``name``: exact on :func:`name_key`
        (score 100), else rapidfuzz ``token_sort_ratio`` ≥ ``threshold`` (0–100), best first."""
        ck = (name, threshold)
        hit = self._by_name_cache.get(ck)
        if hit is None:
            hit = self._by_name(name, threshold)
            if len(self._by_name_cache) > 20000:
                self._by_name_cache.clear()
            self._by_name_cache[ck] = hit
        return list(hit)

    def _by_name(self, name: str, threshold: float) -> list[tuple[Instrument, float]]:
        k = name_key(name)
        if not k:
            return []
        exact = [(ins, 100.0) for nk, ins in self._names if nk == k]
        if exact:
            return exact
        from rapidfuzz import fuzz

        out = []
        for nk, ins in self._names:
            score = fuzz.token_sort_ratio(k, nk)
            if score >= threshold:
                out.append((ins, float(score)))
        out.sort(key=lambda x: -x[1])
        return out

    def approving_decision(self, programme_name: str, *, threshold: float = 92.0) -> Instrument | None:
        """The known decision that approves the programme/strategy named ``programme_name``
        (matched as in :meth:`by_name`, also ignoring a trailing period such as "giai đoạn
        2021-2030"), or None."""
        ck = (programme_name, threshold)
        if ck in self._approving_cache:
            return self._approving_cache[ck]
        out = None
        for ins, _score in self.by_name(programme_name, threshold=threshold):
            if ins.approves:
                out = ins
                break
        if out is None:
            core = name_key(strip_period(programme_name))
            out = next((ins for k, ins in self._approved_cores if k == core), None)
        if len(self._approving_cache) < 20000:
            self._approving_cache[ck] = out
        return out

    def find_locality(self, text: str) -> str | None:
        """The first known locality name (from ``localities.tsv``) that ``text`` ends with
        (accent-sensitive, case-insensitive), or None."""
        hit = self._locality_cache.get(text)
        if hit is not None or text in self._locality_cache:
            return hit
        k = fold_key(text.strip())
        out = None
        for fk, name in self._locality_keys:
            if k.endswith(fk):
                out = name
                break
        if len(self._locality_cache) < 20000:
            self._locality_cache[text] = out
        return out


_PERIOD_TAIL = re.compile(
    r"(?:\s*,?\s*(?:giai đoạn|thời kỳ|đến năm|năm|từ nay đến năm|tầm nhìn|định hướng|và tầm nhìn|"
    r"và định hướng|và những năm tiếp theo)\b.*|\s+\d{4}\s*[-–—]\s*\d{4}\b.*)$", re.I)


@lru_cache(maxsize=65536)
def strip_period(name: str) -> str:
    """Remove a trailing period/vision phrase from a programme name: "Chương trình X giai đoạn
    2021-2030" → "Chương trình X" (used to match local implementations to national names)."""
    out = _PERIOD_TAIL.sub("", name).strip(" ,")
    return out or name


_LOCAL_TAIL = re.compile(r"\s+trên địa bàn\b.*$", re.I)


@lru_cache(maxsize=16384)
def name_core(name: str) -> str:
    """Comparison key of an instrument's name (:func:`name_key`) without its locality tail
    ("… trên địa bàn tỉnh X") and its period (:func:`strip_period`): "Chương trình X giai đoạn
    2021-2030 trên địa bàn tỉnh Y" and "Chương trình X" get the same key. Cached (pure)."""
    return name_key(strip_period(_LOCAL_TAIL.sub("", name)))


@lru_cache(maxsize=4096)
def _type_key(name: str) -> str:
    return fold_key(collapse_ws(name))


def _code_key(code: str) -> str:
    """Lookup key of a code: upper case, spaces dropped, Đ → D (ASCII spellings of QĐ/NĐ);
    other marks kept, so "TƯ" (Trung ương) and "TU" (Tỉnh ủy) stay apart."""
    return code.replace(" ", "").upper().replace("Đ", "D") if code else ""


def _locality_variants(row: dict) -> list[str]:
    out = [row.get("name") or "", row.get("short") or ""]
    out += [v for v in (row.get("variants") or "").split(";")]
    return [v.strip() for v in out if v and v.strip()]


def _read_tsv(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as e:
        raise ReadError(str(path), f"cannot read registry table: {e}") from e


def _split(v: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (v or "").split(";") if x.strip())


@lru_cache(maxsize=8)
def _load(path: Path) -> Registry:
    doc_types = [DocType(r["code"] or "", r["scope"], r["name_vi"], r["name_en"], _split(r.get("variants")),
                         r.get("source") or "", (r.get("by_name") or "0").strip() == "1")
                 for r in _read_tsv(path / "doc_types.tsv")]
    issuers = [IssuerCode(r["code"], r["name_vi"], r["name_en"], r["kind"], r["scope"],
                          _split(r.get("variants")), r.get("source") or "")
               for r in _read_tsv(path / "issuer_codes.tsv")]
    localities = _read_tsv(path / "localities.tsv") if (path / "localities.tsv").exists() else []
    laws = [r["name"] for r in _read_tsv(path / "law_names.tsv")] if (path / "law_names.tsv").exists() else []
    reg = Registry(doc_types, issuers, [], localities, path)
    from graph.extract.numbers import parse_number, using_registry

    instruments = []
    rows = _read_tsv(path / "instruments.tsv") if (path / "instruments.tsv").exists() else []
    with using_registry(reg):
        for r in rows:
            num = (r.get("document_number") or "").strip()
            if not num:
                continue
            p = parse_number(num, registry=reg)
            instruments.append(Instrument(
                id=num, document_number=num, document_type=r.get("document_type") or "",
                date_issued=(r.get("date_issued") or None), issuer=r.get("issuer") or "",
                known_as=r.get("known_as") or "", english_label=r.get("english_label") or "",
                relation_note=r.get("relation_note") or "", status=r.get("status") or "",
                source=r.get("source") or "", key=p.key if p else None))
    return Registry(doc_types, issuers, instruments, localities, path, laws)


def load_registry(path: str | Path | None = None) -> Registry:
    """Load the registry from the directory ``path`` (default: the repository's
    ``data/registry``, :data:`DEFAULT_DIR`). Cached per directory.

    Raises :class:`~graph.errors.ReadError` if ``doc_types.tsv`` or ``issuer_codes.tsv`` is
    missing or unreadable; ``instruments.tsv`` and ``localities.tsv`` are optional.
    """
    return _load(Path(path).resolve() if path is not None else DEFAULT_DIR)

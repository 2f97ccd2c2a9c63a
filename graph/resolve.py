"""Resolution: reference mentions → one canonical resource per instrument, one edge per pair.

Rules (ANNOTATION.md "Relation rules"; never guess, never drop):

- **Grouping.** Numbered mentions group by the number's identity key (number, year, type code,
  issuer; :attr:`graph.extract.numbers.ParsedNumber.key`), so every spelling of one number
  (``46/CT-TTG``, ``27/CTTg``, ``982/LĐTBXH-CTE`` vs ``982/BLĐTBXH-CTE``) is one instrument.
  Spellings that differ only in the type code (``76-CT/TU`` vs ``76-CTr/TU``) merge when their
  dates and issuers agree. Same number with dates in *different years* (a number without a
  year restarts every year) are different instruments; same year but different days merge and
  the disagreement is kept in :attr:`Reference.conflicts`.
- A short form ("Quyết định số 23") joins the one numbered instrument of that type and number
  in the document, else stays an instrument of its own with just the digits.
- Names: a programme named as an instrument's content ("Quyết định … phê duyệt Chương trình X")
  carries that instrument's number; any later mention of the same name (period and locality
  ignored: "Chương trình X trên địa bàn tỉnh … giai đoạn 2024-2030") joins it. Other names
  group by name. "Chỉ thị của Bộ Chính trị" joins the one Chỉ thị of that issuer, if unique.
- **Attributes.** Canonical number = the most frequent well-formed spelling (the type code
  agrees with the type word written before it, Party numbers hyphen-first); type = the type
  word written most often; date = the date written most often; issuer = the fullest issuer
  phrase written ("của …"), else the body named by the number's issuer code (TTg → Thủ tướng
  Chính phủ …); local bodies get the document's locality ("Ban Thường vụ Tỉnh ủy" in a Đắk Nông
  document → "Ban Thường vụ Tỉnh ủy Đắk Nông").
- **Edges.** One :class:`~graph.models.Reference` per (source, target) with the strongest
  relation (:data:`graph.models.RELATION_STRENGTH`). A mention stated about another instrument
  (``source_number``) gives the edge source → target *and* a ``cites`` edge from the document
  (the document mentions the target too). Self-loops are dropped. The registry adds
  ``registry_id``, ``title``, ``english_label`` and ``approved_by``; it never changes what the
  text says.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.extract.numbers import parse_number as _parse_number
from graph.extract.numbers import using_registry
from graph.ingest.text import collapse_ws
from graph.ingest.text import fold_key as _fold_key
from graph.models import RELATION_STRENGTH, Document, Reference, ReferenceMention
from graph.registry import name_core as _core

__all__ = ["resolve_references", "complete_locality", "document_locality"]

_JOINT_TYPES = {"TTLT", "NQLT", "QCPH", "KHPH", "CTPH"}


@lru_cache(maxsize=16384)
def fold_key(s: str) -> str:
    return _fold_key(s)


_PN_CACHE: dict[tuple[str, int], object] = {}


def parse_number(s: str, registry=None):
    k = (s, id(registry))
    if k not in _PN_CACHE:
        if len(_PN_CACHE) > 50000:
            _PN_CACHE.clear()
        _PN_CACHE[k] = _parse_number(s, registry=registry)
    return _PN_CACHE[k]


def document_locality(doc: Document, registry) -> tuple[str | None, str | None]:
    """The document's locality as (name, full name): ("Đắk Nông", "tỉnh Đắk Nông"), from
    ``metadata.locality`` or the issuer's name; (None, None) for national documents."""
    loc = (doc.metadata.locality or "").strip()
    cands = [loc] if loc else []
    cands += list(doc.metadata.issuer or ())
    for c in cands:
        m = re.search(r"(tỉnh|thành phố|Thành phố)\s+(.+)$", c)
        if m:
            name = m.group(2).strip()
            return name, f"{m.group(1)} {name}"
        if c and c == loc:
            row = registry.locality_rows.get(fold_key(c))
            if row is not None:
                full = row.get("full_name") or f"{row.get('kind', 'tỉnh')} {row.get('name')}"
                return row.get("name") or c, full
            return c, c
    return None, None


_LOCAL_TAIL = re.compile(r"(?:\s(?:tỉnh|thành phố|Thành phố))$")
_PARTY_LOCAL = re.compile(r"(?:Tỉnh ủy|Thành ủy|Đảng bộ tỉnh|Đảng bộ thành phố)$")


def complete_locality(issuer: str, loc: tuple[str | None, str | None], registry=None) -> str:
    """Add the document's locality to a local body named without one: "Ủy ban nhân dân tỉnh" →
    "Ủy ban nhân dân tỉnh Bình Định", "Ban Thường vụ Tỉnh ủy" → "Ban Thường vụ Tỉnh ủy Đắk
    Nông", "Sở Y tế" → "Sở Y tế tỉnh Sơn La". Issuers that already name a place, and national
    bodies, are returned unchanged."""
    name, full = loc
    if not name or not issuer:
        return issuer
    if registry is not None and registry.find_locality(issuer):
        return issuer
    if _LOCAL_TAIL.search(issuer):
        return f"{issuer} {name}"
    if re.search(r"(?:Tỉnh ủy|Thành ủy)$", issuer):
        return f"{issuer} {name}"
    if re.match(r"(?:Ủy ban nhân dân|Hội đồng nhân dân|Chủ tịch Ủy ban nhân dân)$", issuer):
        return f"{issuer} {full}"
    if re.match(r"Sở\s", issuer) and not re.search(r"\s(?:tỉnh|thành phố)\s", issuer):
        return f"{issuer} {full}"
    return issuer


class _Group:
    __slots__ = ("mentions", "key", "loose", "year_dates", "names", "first", "short", "name_key")

    def __init__(self, first: int):
        self.mentions: list[ReferenceMention] = []
        self.key = None
        self.loose = None
        self.names: set[str] = set()
        self.first = first
        self.short = None
        self.name_key = None


def _num_of(m: ReferenceMention, reg):
    if not m.document_number or m.document_number.isdigit():
        return None
    return parse_number(m.document_number, registry=reg)


def _well_formed(m: ReferenceMention, p, reg) -> bool:
    """The number ``p`` (parsed from ``m.document_number``) is a well-formed spelling: its type
    code agrees with the type word written before it, and a Party number is hyphen-first."""
    return _well_formed_type(p, m.document_type, reg)


def _well_formed_type(p, dtype: str | None, reg) -> bool:
    """:func:`_well_formed` of the parsed number ``p`` written after the type word ``dtype``."""
    if p is None:
        return False
    if p.type_code and dtype:
        t = reg.doc_type(p.type_code, party=p.party)
        if t is not None and fold_key(t.name_vi) != fold_key(dtype) and not (
                fold_key(dtype).startswith(fold_key(t.name_vi))):
            return False
    if p.party and p.shape != "party":
        return False
    return True


@lru_cache(maxsize=16384)
def _well_formed_spelling(reg, number: str, dtype: str | None) -> bool:
    """:func:`_well_formed` of a mention with this number spelling and type word (it reads
    nothing else of the mention), cached per (registry, number, type word): a document repeats
    its numbers, a corpus its type words."""
    return _well_formed_type(parse_number(number, registry=reg), dtype, reg)


@lru_cache(maxsize=16384)
def _keys(reg, number: str) -> tuple[tuple, tuple] | None:
    """``(key, loose_key)`` of a written number (``ParsedNumber`` properties, recomputed on
    each access), or None when it does not parse; cached per (registry, spelling). The keys
    read the issuer table of the active registry: call it only inside ``using_registry(reg)``
    (as :func:`resolve_references` does)."""
    p = parse_number(number, registry=reg)
    return (p.key, p.loose_key) if p is not None else None


@lru_cache(maxsize=16384)
def _canonical_spelling(reg, number: str) -> str:
    """Canonical form of a written number (``ParsedNumber.canonical``, a property computed on
    each access), or the number as written when it does not parse; cached per (registry,
    spelling)."""
    p = parse_number(number, registry=reg)
    return p.canonical if p is not None else number


def resolve_references(doc: Document, mentions: list[ReferenceMention], registry=None) -> list[Reference]:
    """Group ``mentions`` (from :func:`graph.extract.references.extract_references`) into one
    :class:`~graph.models.Reference` per (source, target) pair, in order of first mention.

    Mentions flagged ``self_reference`` are dropped. See the module docstring for the rules.
    ``registry`` defaults to :func:`graph.registry.load_registry`. Never raises on mentions
    produced by the extractor.
    """
    from graph.registry import load_registry

    reg = registry or load_registry()
    with using_registry(reg):
        return _resolve(doc, mentions, reg)


def _resolve(doc: Document, mentions: list[ReferenceMention], reg) -> list[Reference]:
    loc = document_locality(doc, reg)
    ms = [m for m in mentions if not m.self_reference]
    groups: list[_Group] = []
    by_key: dict[tuple, list[_Group]] = {}
    by_loose: dict[tuple, list[_Group]] = {}
    alias: dict[str, _Group] = {}
    parsed: dict[int, object] = {}

    def new_group(pos: int) -> _Group:
        g = _Group(pos)
        groups.append(g)
        return g

    # 1. numbered mentions
    for i, m in enumerate(ms):
        p = _num_of(m, reg)
        if p is None:
            continue
        parsed[i] = p
        key, loose = _keys(reg, m.document_number)
        cands = by_key.get(key, [])
        g = None
        if cands:
            g = _pick_by_year(cands, m, p)
        if g is None:
            # a spelling differing only in the type code, same date and issuer
            for og in by_loose.get(loose, ()):
                if _compatible(og, m):
                    g = og
                    break
            if g is None:
                g = new_group(m.span.start)
                g.key, g.loose = key, loose
                by_key.setdefault(key, []).append(g)
                by_loose.setdefault(loose, []).append(g)
        g.mentions.append(m)
        if m.name:
            alias.setdefault(_core(m.name), g)
    # 2. short forms ("Quyết định số 23")
    for i, m in enumerate(ms):
        if i in parsed or not m.document_number or not m.document_number.isdigit():
            continue
        hits = [g for g in groups if g.key and g.key[0] == int(m.document_number)
                and _same_type(g, m.document_type)]
        if len(hits) == 1:
            hits[0].mentions.append(m)
            continue
        sk = ("short", int(m.document_number), fold_key(m.document_type or ""))
        g = next((g for g in groups if g.short == sk), None)
        if g is None:
            g = new_group(m.span.start)
            g.short = sk
        g.mentions.append(m)
    # 3. names
    for i, m in enumerate(ms):
        if i in parsed or (m.document_number and m.document_number.isdigit()) or not m.name:
            continue
        ck = _core(m.name)
        g = alias.get(ck)
        # (a group named ck is always in alias under ck: no need to look through the groups)
        if g is None:
            g = _prefix_alias(alias, ck)
        if g is None:
            g = new_group(m.span.start)
            g.name_key = ck
            alias[ck] = g
        g.mentions.append(m)
    # 4. "Chỉ thị của Bộ Chính trị"
    for i, m in enumerate(ms):
        if i in parsed or m.document_number or m.name:
            continue
        if not m.issuer:
            continue
        hits = [g for g in groups if g.key and _same_type(g, m.document_type)
                and any(x.issuer and fold_key(x.issuer) == fold_key(m.issuer) for x in g.mentions)]
        if len(hits) == 1:
            hits[0].mentions.append(m)
    # 5. edges
    refs: dict[tuple, Reference] = {}
    order: dict[tuple, int] = {}
    info = {id(g): _group_info(g, reg, loc) for g in groups}
    for g in groups:
        for m in g.mentions:
            pairs = []
            if m.source_number:
                sg = _group_for_number(m.source_number, by_key, by_loose, reg)
                if sg is not None and sg is not g:
                    pairs.append((sg, m.relation))
                pairs.append((None, "cites"))
            else:
                pairs.append((None, m.relation))
            for sg, rel in pairs:
                k = (id(sg) if sg is not None else None, id(g))
                r = refs.get(k)
                if r is None:
                    gi = info[id(g)]
                    r = Reference(
                        document_number=gi["number"], document_type=gi["type"], issuer=gi["issuer"],
                        date_issued=gi["date"], name=gi["name"], relation=rel,
                        source=info[id(sg)]["number"] if sg is not None else None,
                        surfaces=list(gi["surfaces"]), mentions=[], registry_id=gi["registry_id"],
                        approved_by=gi["approved_by"], title=gi["title"], english_label=gi["english"],
                        conflicts=list(gi["conflicts"]))
                    refs[k] = r
                    order[k] = m.span.start
                elif RELATION_STRENGTH.get(rel, 0) > RELATION_STRENGTH.get(r.relation, 0):
                    r.relation = rel
                r.mentions.append(m)
    out = [refs[k] for k in sorted(refs, key=lambda k: (order[k], k[0] is not None))]
    for r in out:
        seen = []
        for m in r.mentions:
            if m.source_number is None or r.source is not None:
                s = collapse_ws(m.surface)
                if s not in seen:
                    seen.append(s)
        if seen:
            r.surfaces = seen
    return out


def _pick_by_year(cands: list[_Group], m: ReferenceMention, p) -> _Group | None:
    if not m.date_issued or p.year is not None:
        return cands[0]
    for g in cands:
        ys = {x.date_issued[:4] for x in g.mentions if x.date_issued}
        if not ys or m.date_issued[:4] in ys:
            return g
    return None


def _compatible(g: _Group, m: ReferenceMention) -> bool:
    dates = {x.date_issued for x in g.mentions if x.date_issued}
    if dates and m.date_issued and m.date_issued not in dates:
        return False
    if not dates or not m.date_issued:
        return False
    iss = {fold_key(x.issuer) for x in g.mentions if x.issuer}
    if iss and m.issuer and fold_key(m.issuer) not in iss:
        return False
    return True


def _same_type(g: _Group, tname: str | None) -> bool:
    if not tname:
        return True
    types = {fold_key(x.document_type) for x in g.mentions if x.document_type}
    return not types or fold_key(tname) in types


_QUALIFIER_WORDS = frozenset({"ve", "cua", "tren", "tai", "thuoc", "o", "cho", "-", "hien"})
"""Words (name_key form) after which a longer name only qualifies a shorter one: "Chương
trình X" ~ "Chương trình X của tỉnh"; "Luật X (sửa đổi)" stays another instrument."""


_FUZZ: list = []
"""``[(rapidfuzz.fuzz.ratio, rapidfuzz.process.extractOne)]`` once :func:`_rapidfuzz` imported them."""


def _rapidfuzz():
    """``(rapidfuzz.fuzz.ratio, rapidfuzz.process.extractOne)``, imported on first use (as the
    function-level import did) and kept (a function-level import statement costs a module
    lookup on every call)."""
    if not _FUZZ:
        from rapidfuzz import fuzz, process

        _FUZZ.append((fuzz.ratio, process.extractOne))
    return _FUZZ[0]


def _prefix_alias(alias: dict, ck: str):
    """A name that is a longer/shorter form of a known alias (≥ 4 words in common, the rest a
    qualifier: "Chiến lược Quốc gia về dinh dưỡng" ~ "Chiến lược quốc gia về dinh dưỡng …"), or
    the same name spelt slightly differently (rapidfuzz ratio ≥ 92: "ở địa bàn" / "tại địa bàn")."""
    words = ck.split()
    for k, g in alias.items():
        kw = k.split()
        n = min(len(words), len(kw))
        longer = words if len(words) > len(kw) else kw
        if n >= 4 and words[:n] == kw[:n] and (len(words) == len(kw) or longer[n] in _QUALIFIER_WORDS):
            return g
    if len(ck) > 20 and alias:
        ratio, extract_one = _rapidfuzz()
        best = extract_one(ck, list(alias), scorer=ratio, score_cutoff=92)
        if best is not None:
            return alias[best[0]]
    return None


def _group_for_number(number: str, by_key: dict, by_loose: dict, reg):
    keys = _keys(reg, number)
    if keys is None:
        return None
    hit = by_key.get(keys[0]) or by_loose.get(keys[1])
    return hit[0] if hit else None


def _mode(values: list):
    """The most frequent of ``values`` (a non-empty list of hashables), the first seen on a
    tie: what ``Counter(values).most_common(1)[0][0]`` gives (its ``max`` over the counts in
    first-seen order), without building a Counter (a list of one value, or of equal values,
    is answered by ``list.count``)."""
    v0 = values[0]
    if len(values) == 1 or values.count(v0) == len(values):
        return v0
    counts: dict = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__)  # the first maximal key, in first-seen order


def _group_info(g: _Group, reg, loc) -> dict:
    numbered = [(m, parse_number(m.document_number, registry=reg)) for m in g.mentions
                if m.document_number and not m.document_number.isdigit()]
    number = None
    p0 = None
    if numbered:
        well = [(m, p) for m, p in numbered if _well_formed_spelling(reg, m.document_number, m.document_type)] \
            or numbered
        spelled = [_canonical_spelling(reg, m.document_number) for m, _p in well]
        number = _mode(spelled)
        p0 = next((p for (_m, p), c in zip(well, spelled, strict=True) if p is not None and c == number), None)
    elif g.short:
        number = str(g.short[1])
    types = [m.document_type for m in g.mentions if m.document_type]
    dtype = _mode(types) if types else (p0.type_name() if p0 else None)
    dates = [m.date_issued for m in g.mentions if m.date_issued]
    date = _mode(dates) if dates else None
    conflicts = []
    if len(dates) > 1 and len(set(dates)) > 1:
        conflicts.append("date: " + ", ".join(sorted(set(dates))))
    issuers = [m.issuer for m in g.mentions if m.issuer]
    issuer = None
    if issuers:
        explicit = [i for i in issuers if reg.find_locality(i)]
        issuer = max(explicit or issuers, key=len)
        issuer = complete_locality(issuer, loc, reg)
    elif p0 is not None:
        issuer = _issuer_from_codes(p0, reg, loc)
    names = [m.name for m in g.mentions if m.name]
    name = None
    if names and not numbered:
        mixed = [n for n in names if not n.isupper()] or names
        name = max(mixed, key=len)
    elif names and numbered:
        name = max(names, key=len) if (dtype in ("Luật", "Bộ luật", "Pháp lệnh")) else None
    surfaces = []
    for m in g.mentions:
        s = collapse_ws(m.surface)
        if s not in surfaces:
            surfaces.append(s)
    registry_id = title = english = approved_by = None
    hits = reg.by_number(number) if number and p0 is not None else []
    if hits:
        if date:
            same = [h for h in hits if h.date_issued == date] or hits
        else:
            same = hits
        h = same[0]
        registry_id, title, english = h.id, h.known_as or None, h.english_label or None
    elif name:
        byname = reg.by_name(name)
        if byname:
            h = byname[0][0]
            if not h.approves:
                registry_id, title, english = h.id, h.known_as or None, h.english_label or None
        ap = reg.approving_decision(name)
        if ap is not None:
            approved_by = ap.document_number
            english = english or ap.english_label or None
    return {"number": number, "type": dtype, "date": date, "issuer": issuer, "name": name,
            "surfaces": surfaces, "registry_id": registry_id, "title": title, "english": english,
            "approved_by": approved_by, "conflicts": conflicts}


def _issuer_from_codes(p, reg, loc) -> str | None:
    """Issuer named by the number's codes (TTg → Thủ tướng Chính phủ; UBND → Ủy ban nhân dân
    of the document's locality; joint numbers → every issuer, "; "-separated)."""
    codes = list(p.issuer_codes)
    if not codes:
        return None
    if p.type_code and p.type_code.upper() in _JOINT_TYPES:
        names = [reg.issuer(c).name_vi for c in codes if reg.issuer(c) is not None]
        return "; ".join(names) if names else None
    hit = reg.issuer(codes[0])
    if hit is None:
        return None
    if hit.scope == "local":
        name, full = loc
        if not name:
            return None
        if hit.kind == "party":
            return f"{hit.name_vi} {name}"
        return f"{hit.name_vi} {full}"
    return hit.name_vi

"""Data model shared by every pipeline stage.

Data flow, one way: file → :class:`SourceText` → :class:`CleanText` (with offset map) →
:class:`Document` (metadata, provisions) → mentions (:class:`ReferenceMention`,
:class:`AgencyMention`) → resolved :class:`Reference`, :class:`Agency`, :class:`Task` →
:class:`Extraction` → RDF (``graph.build``) → store.

Offsets are always **character** offsets (Python ``str`` indices), never bytes.
Every :class:`Span` given by a public object points into ``Document.text`` (the decoded
source text, as read), unless the field's docstring says otherwise.
Dates are ISO 8601 strings (``YYYY-MM-DD``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

RelationType = Literal["implements", "based_on", "amends", "replaces", "repeals", "cites"]
"""Relation of a document to an instrument it refers to (``../shared/corpus/ANNOTATION.md``)."""

RELATION_STRENGTH: dict[str, int] = {
    "implements": 5,
    "based_on": 4,
    "amends": 3,
    "replaces": 3,
    "repeals": 3,
    "cites": 1,
}
"""Order used to keep one relation per (source, target) pair: implements > based_on >
amends/replaces/repeals > cites (ANNOTATION.md, "Relation rules")."""

Role = Literal["lead", "coordinate", "responsible"]
"""Responsibility roles: lead = "chủ trì", coordinate = "phối hợp", responsible = the subject
of a task with no lead/coordinate word."""


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range ``[start, end)`` in a text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class SourceText:
    """A decoded source file.

    ``text`` is the document text as read (for HTML/DOCX/PDF: the extracted body text).
    ``format`` is one of ``txt``, ``markdown``, ``html``, ``docx``, ``pdf``;
    ``encoding`` names the byte encoding detected (``utf-8``, ``utf-8-sig``, ``utf-16``,
    ``cp1258``, ``tcvn3``, ``vni``); for DOCX/PDF it is ``None`` unless the text was typed in a
    legacy Vietnamese font and converted (then ``tcvn3``/``vni``); for HTML, the page's charset.
    ``sha256`` is the hex digest of the file's bytes (the incremental-build key).
    """

    path: str
    text: str
    format: str = "txt"
    encoding: str | None = "utf-8"
    sha256: str = ""


@dataclass(frozen=True, eq=False)
class CleanText:
    """Text normalised for matching, with a map back to the original.

    - ``text``: NFC, non-breaking and odd spaces → space, ``\\r\\n`` → ``\\n``, emphasis
      markup (``*``, ``**``) and zero-width characters removed. Old-style tone marks kept, so
      surfaces read as written.
    - ``key``: same length as ``text``, char for char: lower-cased, with one tone-mark placement
      ("khoẻ" → "khỏe", "uỷ" → "ủy") and Đăk → Đắk style variants left to the matchers.
      Regexes for matching run on ``key``; surfaces are sliced from ``text`` at the same span.
    - ``to_original``: ``len(text) + 1`` ints, non-decreasing; ``to_original[i]`` is the offset
      in the original text of clean character ``i`` (the last entry maps the end). A read-only
      sequence of ints: an ``array('i')`` from ``graph.ingest.text.clean_text`` (4 bytes an
      offset, copied as byte runs instead of built one int object per character); index it,
      slice it, ``len`` and ``bisect`` it as a tuple. Other sequences of ints (a tuple) work
      wherever a ``CleanText`` is built by hand.
    """

    original: str
    text: str
    key: str
    to_original: Sequence[int]

    def original_span(self, start: int, end: int) -> Span:
        """Map a clean-text span ``[start, end)`` to a :class:`Span` in the original text."""
        if not (0 <= start <= end <= len(self.text)):
            raise ValueError(f"span [{start}, {end}) outside clean text of {len(self.text)} chars")
        if end == start:
            o = self.to_original[start]
            return Span(o, o)
        return Span(self.to_original[start], self.to_original[end - 1] + 1)


@dataclass(frozen=True)
class Provision:
    """A subdivision of a document (Akoma Ntoso vocabulary for ``kind``).

    ``kind``: ``chapter`` (Chương), ``part`` (I., II. …), ``article`` (Điều n.), ``item``
    (1., 2. …), ``point`` (a), b) …), ``indent`` (a dash bullet), ``table_row``, and
    ``paragraph`` (a block of a body with no numbered structure, e.g. an official letter).
    ``eid``: stable id inside the document, Akoma-Ntoso style (``part_II__item_1__point_a``;
    indents are numbered in order: ``indent_3``).
    ``label``: as printed ("II", "1", "a", "-"). ``heading``: the heading text, if any.
    ``span``: the provision's whole extent in the original text (heading and content, up to the
    next sibling). ``text``: the clean text of that extent, whitespace collapsed.
    """

    eid: str
    kind: str
    label: str
    heading: str
    span: Span
    text: str
    children: tuple[Provision, ...] = ()

    def walk(self):
        """Yield this provision and all its descendants, depth first, in document order."""
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True)
class Metadata:
    """Metadata of a document.

    Values come from two places: the portal block (``Số hiệu``, ``Ngày ban hành`` …) that legal
    portals print above the text, and the formal header of the document itself (issuing body,
    ``Số: …``, the place-and-date line, the type heading, the title). The chosen value of each
    field is the header's where the header states it (it is the document's own text; portals
    re-key it and sometimes abbreviate the issuer, e.g. "Tỉnh Đắk Nông"), else the portal's.
    Both raw sets are kept in ``portal`` and ``header``; ``conflicts`` names fields where they
    disagree.
    """

    document_number: str | None = None
    document_type: str | None = None
    type_code: str | None = None
    issuer: tuple[str, ...] = ()
    date_issued: str | None = None
    date_effective: str | None = None
    place: str | None = None
    signer: str | None = None
    domain: str | None = None
    """"Lĩnh vực" (the portal's subject field)."""
    title: str | None = None
    locality: str | None = None
    portal: dict = field(default_factory=dict)
    header: dict = field(default_factory=dict)
    conflicts: tuple[str, ...] = ()
    spans: dict = field(default_factory=dict)
    """field name → :class:`Span` (original text) where the chosen value was read."""


@dataclass(frozen=True, eq=False)
class Document:
    """A parsed document: source, cleaned text, metadata and provision tree.

    ``opening_end`` is the clean-text offset where the body's first provision starts (the title
    and the "Căn cứ"/"Thực hiện" preamble lie before it).
    """

    source: SourceText
    clean: CleanText
    metadata: Metadata
    provisions: tuple[Provision, ...]
    title_span: Span | None = None
    opening_end: int = 0

    @property
    def text(self) -> str:
        """The original text (offsets of every public :class:`Span` point here)."""
        return self.source.text

    def all_provisions(self):
        """All provisions in document order (depth first)."""
        for p in self.provisions:
            yield from p.walk()


@dataclass(frozen=True)
class ReferenceMention:
    """One place where the text refers to an instrument.

    ``surface``: the words as written (markup removed, whitespace collapsed).
    ``span``: in the original text. ``document_number``: canonical form (see
    ``graph.extract.numbers.canonical_number``) or None. ``cue``: the word that set the
    relation ("Căn cứ", "Thực hiện" …), ``sentence``: the clean sentence (evidence).
    ``source_number``: None when the document itself refers; else the number of the
    instrument that the sentence says makes the reference.
    """

    surface: str
    span: Span
    document_type: str | None = None
    document_number: str | None = None
    issuer: str | None = None
    date_issued: str | None = None
    name: str | None = None
    relation: str = "cites"
    cue: str | None = None
    sentence: str = ""
    source_number: str | None = None
    self_reference: bool = False


@dataclass
class Reference:
    """One instrument referred to by the document (mentions grouped and resolved).

    Field meanings follow ``../shared/corpus/ANNOTATION.md``; ``mentions`` keeps every
    :class:`ReferenceMention` (for provenance); ``registry_id`` is the key of the registry
    entry it was resolved to, if any; ``approved_by``: number of the decision approving a
    programme/strategy, from the registry or the text.
    """

    document_number: str | None
    document_type: str | None
    issuer: str | None
    date_issued: str | None
    name: str | None
    relation: str
    source: str | None = None
    surfaces: list[str] = field(default_factory=list)
    mentions: list[ReferenceMention] = field(default_factory=list)
    registry_id: str | None = None
    approved_by: str | None = None
    title: str | None = None
    english_label: str | None = None
    conflicts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AgencyMention:
    """An agency named in the text: ``surface`` as written, ``name`` canonical (full name with
    locality, modern tone marks), ``collective`` True for group references ("các Sở, ban,
    ngành"), ``kind`` one of government, party, front, mass, press, other."""

    surface: str
    span: Span
    name: str
    collective: bool = False
    kind: str = "government"


@dataclass
class Agency:
    """A canonical agency of the document: ``name`` (vi), ``surfaces`` as written,
    ``english`` label where the registry knows it, ``parent`` canonical name of the body it
    belongs to (``org:subOrganizationOf``), ``collective`` for group resources."""

    name: str
    surfaces: list[str] = field(default_factory=list)
    mentions: list[AgencyMention] = field(default_factory=list)
    collective: bool = False
    kind: str = "government"
    english: str | None = None
    parent: str | None = None
    members: list[str] = field(default_factory=list)


@dataclass
class Assignment:
    """Who must do a task: ``agency`` canonical name (or the collective as written), ``role``,
    ``span`` of the agency mention in the original text (evidence)."""

    agency: str
    role: str
    span: Span | None = None


@dataclass
class Task:
    """An actionable provision: ``text`` (clean), ``summary`` (first words, as in ANNOTATION.md),
    ``provision`` eid, ``span`` in the original text, ``deadline`` (ISO date or a period such as
    "2025-Q4"), ``frequency`` (e.g. "P6M", "P1Y"), ``deadline_text`` as written, ``report_to``
    agency name, ``assignments``."""

    id: str
    text: str
    summary: str
    provision: str | None
    span: Span
    assignments: list[Assignment] = field(default_factory=list)
    deadline: str | None = None
    deadline_text: str | None = None
    frequency: str | None = None
    report_to: str | None = None


@dataclass(eq=False)
class Extraction:
    """Everything read from one document: the input of ``graph.build``."""

    document: Document
    references: list[Reference] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

"""Extraction → RDF. Pure: no I/O; the same extraction always gives the same graph.

Modelling (see ``ontology/policy.ttl`` and the README):

- the document and every instrument it refers to: ``eli:LegalResource`` with ``eli:id_local``
  (document number, "số hiệu"), ``eli:type_document`` (a ``plg:DocumentType`` concept),
  ``eli:date_document``, ``eli:passed_by`` (``org:Organization``), ``eli:title``; instruments
  known only by name carry ``plg:name``;
- provisions: ``eli:LegalResourceSubdivision`` with ``eli:is_part_of``/``eli:has_part``,
  ``plg:eid``, ``plg:provisionKind``, ``plg:label``, ``plg:start``/``plg:end``;
- relations: ``eli:ensures_implementation_of``, ``eli:based_on``, ``eli:cites``, ``eli:amends``,
  ``eli:repeals``, ``plg:replaces``; approval of a programme: ``plg:approvedBy``;
- agencies: ``org:Organization`` (``skos:prefLabel`` vi/en, ``skos:altLabel`` variants,
  ``org:subOrganizationOf``); collectives: ``plg:AgencyGroup`` with ``plg:member``;
- tasks: ``plg:Task`` (a ``prov:Activity``) with ``plg:leadAgency`` / ``plg:coordinatingAgency`` /
  ``plg:responsibleAgency`` (sub-properties of ``prov:wasAssociatedWith``);
- provenance: each extracted statement is reified as a ``plg:Evidence`` (``rdf:Statement``)
  with ``prov:wasDerivedFrom`` the ``plg:SourceFile``, an ``oa:TextPositionSelector``
  (``oa:start``/``oa:end``: character offsets in the source file's decoded text, which the
  graph keeps as ``plg:content``), the sentence (``plg:quote``) and the cue (``plg:cue``).
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from graph.extract.numbers import parse_number
from graph.ingest.text import fold_key
from graph.meta import MODEL_VERSION, doctype_key
from graph.models import Agency, Extraction, Provision, Reference, Span, Task
from graph.vocab import (
    ELI,
    OA,
    ORG,
    PLG,
    PREFIXES,
    RELATION_PROPERTY,
    ROLE_PROPERTY,
    doctype_iri,
    group_iri,
    instrument_iri,
    org_iri,
    person_iri,
    source_iri,
)


def _registry():
    from graph.pipeline import default_registry  # noqa: PLC0415

    return default_registry()


def _year(date: str | None, number: str | None) -> str | None:
    """Year of issue: from the ISO date, else from a number that states it (56/2017/NĐ-CP)."""
    if date and re.match(r"\d{4}-", date):
        return date[:4]
    p = parse_number(number) if number else None
    return str(p.year) if p and p.year else None


def is_national(number: str | None, issuer: str | None) -> bool:
    """True if the instrument was issued by a central body: its issuer names no locality
    ("tỉnh", "thành phố", "huyện" …) and its number's issuer codes are central in
    ``data/registry/issuer_codes.tsv`` (scope column). A number with no known code is national
    unless the issuer says otherwise."""
    if issuer and re.search(r"(?i)\b(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|tỉnh ủy|thành ủy)\b", issuer):
        return False
    p = parse_number(number) if number else None
    if p is None:
        return True
    reg = _registry()
    scopes = {c.scope for c in (reg.issuer(code) for code in p.issuer_codes) if c is not None}
    return "local" not in scopes


def _type_code(number: str | None, type_name: str | None) -> str | None:
    """Type code of an instrument: from its number ("377/KH-UBND" → "KH", "28-CT/TW" → "CT"),
    else from its type name via ``doc_types.tsv``; types that have no code in numbers (Luật,
    Chiến lược, Công văn of the state) are keyed by their Vietnamese name ("Luật"). None if
    neither says."""
    p = parse_number(number) if number else None
    if p is not None and p.type_code:
        return p.type_code
    if type_name:
        t = _registry().type_by_name(type_name)
        if t is not None:
            return t.code or t.name_vi
    return None


def reference_iri(ref: Reference, locality: str | None) -> str:
    """IRI of a referenced instrument (see :func:`graph.vocab.instrument_iri`)."""
    number = ref.document_number
    jur = None if is_national(number, ref.issuer) else locality
    return instrument_iri(number=number, type_code=_type_code(number, ref.document_type),
                          year=_year(ref.date_issued, number), jurisdiction=jur, name=ref.name or ref.title)


def document_iri(ex: Extraction) -> str:
    """IRI of the extracted document itself."""
    m = ex.document.metadata
    number = m.document_number
    jur = None if is_national(number, m.issuer[0] if m.issuer else None) else m.locality
    name = m.title or ex.document.source.path
    return instrument_iri(number=number, type_code=m.type_code or _type_code(number, m.document_type),
                          year=_year(m.date_issued, number), jurisdiction=jur, name=name)


_NT_CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


def _nt_escape(text: str) -> str:
    """A lexical form escaped for an N-Triples string (RDF 1.1 N-Triples §2.4): ``\\``, ``"``,
    ``\\n``, ``\\r``, other control characters as ``\\uXXXX``. (``str.replace`` passes in C,
    then a regex for the rare control characters: a ``str.translate`` table is many times slower
    on long texts.)"""
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if _NT_CONTROL.search(text):
        text = _NT_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)
    return text


def _nt_string(text: str) -> str:
    """N-Triples form of a plain string literal: ``nt_term(Literal(text))`` without building
    the rdflib term."""
    return '"' + _nt_escape(str(text)) + '"'


def nt_term(term) -> str:
    """One RDF term (rdflib ``URIRef`` or ``Literal``) in N-Triples syntax.

    IRIs are written as given (the builder mints them with :mod:`graph.vocab`, which only makes
    valid IRIs); literal lexical forms are escaped per RDF 1.1 N-Triples §2.4 (``\\``, ``"``,
    line breaks, and other control characters as ``\\uXXXX``,
    https://www.w3.org/TR/n-triples/#grammar-production-STRING_LITERAL_QUOTE). Raises
    ``TypeError`` for a blank node or any other term kind (the builder makes none).
    """
    kind = type(term)  # exact types first: isinstance on rdflib terms goes through ABCMeta
    if kind is URIRef:
        return f"<{term}>"
    if kind is Literal or isinstance(term, Literal):
        lex = _nt_string(str(term))
        if term.language:
            return f"{lex}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{lex}^^<{term.datatype}>"
        return lex
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise TypeError(f"not an IRI or literal: {term!r}")


_XSD_INTEGER = f"<{XSD.integer}>"


def _nt_integer(n: int) -> str:
    """N-Triples form of an ``xsd:integer``: ``nt_term(Literal(n, datatype=XSD.integer))``."""
    return f'"{int(n)}"^^{_XSD_INTEGER}'


# predicates and classes of the evidence pattern, in N-Triples form (written for every statement)
_RDF_TYPE, _RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = (nt_term(t) for t in (
    RDF.type, RDF.subject, RDF.predicate, RDF.object))
_EVIDENCE, _WAS_DERIVED_FROM, _HAS_SELECTOR, _TEXT_POSITION_SELECTOR, _OA_START, _OA_END = (
    nt_term(t) for t in (PLG.Evidence, PROV.wasDerivedFrom, OA.hasSelector, OA.TextPositionSelector,
                         OA.start, OA.end))
_QUOTE, _CUE, _SURFACE = (nt_term(t) for t in (PLG.quote, PLG.cue, PLG.surface))


class _Triples:
    """An ordered set of triples kept as N-Triples lines (far cheaper than an rdflib Graph for
    a graph that is only written out). ``add`` has rdflib's signature."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: dict[str, None] = {}

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        self.lines[f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"] = None

    def add_nt(self, s: str, p: str, o: str) -> None:
        """Add a triple whose terms are already in N-Triples form (``nt_term`` of each)."""
        self.lines[f"{s} {p} {o} .\n"] = None

    def __len__(self) -> int:
        return len(self.lines)

    def ntriples(self) -> str:
        return "".join(self.lines)


class _Builder:
    def __init__(self, ex: Extraction):
        self.ex = ex
        self.g = _Triples()
        self.doc = URIRef(document_iri(ex))
        self.src = URIRef(source_iri(ex.document.source.sha256 or _sha(ex.document.text)))
        self.src_nt = nt_term(self.src)
        self.locality = ex.document.metadata.locality
        self.org_names: dict[URIRef, str] = {}
        """Organization IRI → its Vietnamese prefLabel in this graph (the first name given)."""
        self.type_names: dict[URIRef, str] = {}
        """Type concept not in the registry → the first name this document gives it (its prefLabel)."""

    # -- helpers -------------------------------------------------------------------------------
    def evidence(self, s, p, o, span: Span | None, *, quote: str = "", cue: str | None = None,
                 surface: str | None = None) -> None:
        """Reify (s, p, o) with its provenance; ``span`` in original-text characters."""
        key = f"{s}|{p}|{o}|{span.start if span else ''}|{span.end if span else ''}"
        ev = f"{self.doc}/evidence/{hashlib.sha1(key.encode()).hexdigest()[:16]}"
        e = f"<{ev}>"
        add = self.g.add_nt  # the terms rendered once (same lines as g.add((URIRef(ev), …)))
        add(e, _RDF_TYPE, _EVIDENCE)
        add(e, _RDF_SUBJECT, nt_term(s))
        add(e, _RDF_PREDICATE, nt_term(p))
        add(e, _RDF_OBJECT, nt_term(o))
        add(e, _WAS_DERIVED_FROM, self.src_nt)
        if span is not None:
            sel = f"<{ev}/selector>"
            add(e, _HAS_SELECTOR, sel)
            add(sel, _RDF_TYPE, _TEXT_POSITION_SELECTOR)
            add(sel, _OA_START, _nt_integer(span.start))
            add(sel, _OA_END, _nt_integer(span.end))
        if quote:
            add(e, _QUOTE, _nt_string(quote))
        if cue:
            add(e, _CUE, _nt_string(cue))
        if surface:
            add(e, _SURFACE, _nt_string(surface))

    def add(self, s, p, o, span: Span | None = None, **kw) -> None:
        self.g.add((s, p, o))
        if span is not None or kw.get("quote"):
            self.evidence(s, p, o, span, **kw)

    def org(self, name: str, *, surface: str | None = None, english: str | None = None,
            parent: str | None = None) -> URIRef:
        """The ``org:Organization`` named ``name`` (IRI from :func:`~graph.vocab.org_iri`, which
        ignores case), with one Vietnamese ``skos:prefLabel`` per graph as SKOS requires (SKOS
        Reference §5.4, S14): a name that differs from the first one given only in spelling
        or case ("Thành phố" / "thành phố") becomes a ``skos:altLabel``."""
        o = URIRef(org_iri(name))
        self.g.add((o, RDF.type, ORG.Organization))
        first = self.org_names.setdefault(o, name)
        self.g.add((o, SKOS.prefLabel if first == name else SKOS.altLabel, Literal(name, lang="vi")))
        if surface and surface != name:
            self.g.add((o, SKOS.altLabel, Literal(surface, lang="vi")))
        if english:
            self.g.add((o, SKOS.prefLabel, Literal(english, lang="en")))
        if parent:
            p = self.org(parent)
            self.g.add((o, ORG.subOrganizationOf, p))
        return o

    def doctype(self, code: str | None, name: str | None) -> URIRef | None:
        """The shared type concept. Its labels come from the registry's scheme (meta graph);
        a document only adds a label for a type the registry does not know, so a concept never
        gets two Vietnamese prefLabels from documents that name their type differently (within
        a document, the first name is the prefLabel, later ones altLabels: SKOS S14). The concept
        is :func:`graph.vocab.doctype_iri` of :func:`graph.meta.doctype_key`, so codes that differ
        only by Đ, and the two types of one code (TT), stay apart."""
        if not code:
            return None
        t = doctype_iri(doctype_key(code, name, _registry()))
        self.g.add((t, RDF.type, PLG.DocumentType))
        known = _registry().doc_type(code) or (_registry().type_by_name(name) if name else None)
        if known is None:
            if code != name:  # a real code, not a type keyed by its name
                self.g.add((t, SKOS.notation, Literal(code)))
            if name:
                first = self.type_names.setdefault(t, name)
                self.g.add((t, SKOS.prefLabel if first == name else SKOS.altLabel, Literal(name, lang="vi")))
        return t

    # -- parts -----------------------------------------------------------------------------
    def document(self) -> None:
        ex, g, d = self.ex, self.g, self.doc
        m = ex.document.metadata
        src = ex.document.source
        sp = m.spans or {}
        g.add((d, RDF.type, ELI.LegalResource))
        g.add((d, PLG.sourceFile, self.src))
        g.add((self.src, RDF.type, PLG.SourceFile))
        g.add((self.src, PLG.contentHash, Literal(src.sha256 or _sha(src.text))))
        g.add((self.src, PLG.sourcePath, Literal(src.path)))
        g.add((self.src, PLG.sourceFormat, Literal(src.format)))
        g.add((self.src, PLG.content, Literal(src.text)))
        g.add((self.src, PLG.modelVersion, Literal(MODEL_VERSION)))  # graph.batch rebuilds other versions
        # bookkeeping on the graph's own node, read by GraphStore.graph_meta
        if m.document_number:
            self.add(d, ELI.id_local, Literal(m.document_number), sp.get("document_number"),
                     surface=m.document_number)
        t = self.doctype(m.type_code or _type_code(m.document_number, m.document_type), m.document_type)
        if t is not None:
            self.add(d, ELI.type_document, t, sp.get("document_type"))
        if m.date_issued:
            self.add(d, ELI.date_document, Literal(m.date_issued, datatype=XSD.date), sp.get("date_issued"))
        if m.date_effective:
            self.add(d, ELI.first_date_entry_in_force, Literal(m.date_effective, datatype=XSD.date),
                     sp.get("date_effective"))
        for name in m.issuer:
            o = self.org(name)
            self.add(d, ELI.passed_by, o, sp.get("issuer"))
        if m.title:
            self.add(d, ELI.title, Literal(m.title, lang="vi"), sp.get("title"))
        if m.signer:
            p = URIRef(person_iri(m.signer))
            g.add((p, RDF.type, FOAF.Person))
            g.add((p, FOAF.name, Literal(m.signer)))
            self.add(d, PLG.signedBy, p, sp.get("signer"))
        if m.place:
            self.add(d, PLG.placeOfIssue, Literal(m.place), sp.get("place"))
        if m.locality:
            g.add((d, PLG.locality, Literal(m.locality)))
        for p in ex.document.provisions:
            self.provision(p, d)

    def provision(self, p: Provision, parent: URIRef) -> None:
        g = self.g
        node = URIRef(f"{self.doc}/{p.eid}")
        g.add((node, RDF.type, ELI.LegalResourceSubdivision))
        g.add((node, ELI.is_part_of, parent))
        g.add((parent, ELI.has_part, node))
        g.add((node, PLG.eid, Literal(p.eid)))
        g.add((node, PLG.provisionKind, Literal(p.kind)))
        g.add((node, PLG.label, Literal(p.label)))
        if p.heading:
            g.add((node, PLG.heading, Literal(p.heading)))
        g.add((node, DCTERMS.description, Literal(p.text)))
        g.add((node, PLG.start, Literal(p.span.start, datatype=XSD.integer)))
        g.add((node, PLG.end, Literal(p.span.end, datatype=XSD.integer)))
        for c in p.children:
            self.provision(c, node)

    def references(self) -> None:
        by_number: dict[str, URIRef] = {}
        iris: list[tuple[Reference, URIRef]] = []
        for ref in self.ex.references:
            r = URIRef(reference_iri(ref, self.locality))
            iris.append((ref, r))
            if ref.document_number:
                by_number[_norm_number(ref.document_number)] = r
        own = self.ex.document.metadata.document_number
        if own:
            by_number[_norm_number(own)] = self.doc
        for ref, r in iris:
            self.instrument(ref, r, by_number)
            subj = self.doc
            if ref.source:
                subj = by_number.get(_norm_number(ref.source)) or URIRef(
                    instrument_iri(number=ref.source, type_code=_type_code(ref.source, None), year=None,
                                   jurisdiction=None if is_national(ref.source, None) else self.locality))
                if subj not in by_number.values():
                    self.g.add((subj, RDF.type, ELI.LegalResource))
                    self.g.add((subj, ELI.id_local, Literal(ref.source)))
            prop = RELATION_PROPERTY.get(ref.relation, ELI.cites)
            if not ref.mentions:
                self.g.add((subj, prop, r))
            for mention in ref.mentions:
                self.add(subj, prop, r, mention.span, quote=mention.sentence, cue=mention.cue,
                         surface=mention.surface)

    def instrument(self, ref: Reference, r: URIRef, by_number: dict[str, URIRef]) -> None:
        g = self.g
        g.add((r, RDF.type, ELI.LegalResource))
        span = ref.mentions[0].span if ref.mentions else None
        if ref.document_number:
            self.add(r, ELI.id_local, Literal(ref.document_number), span)
        t = self.doctype(_type_code(ref.document_number, ref.document_type), ref.document_type)
        if t is not None:
            self.add(r, ELI.type_document, t, span)
        if ref.date_issued:
            self.add(r, ELI.date_document, Literal(ref.date_issued, datatype=XSD.date), span)
        if ref.issuer:
            self.add(r, ELI.passed_by, self.org(ref.issuer), span)
        if ref.name:
            self.add(r, PLG.name, Literal(ref.name, lang="vi"), span)
        if ref.title:
            g.add((r, ELI.title, Literal(ref.title, lang="vi")))
        if ref.english_label:
            g.add((r, SKOS.prefLabel, Literal(ref.english_label, lang="en")))
        label = ref.name or ref.title
        if ref.document_number:
            label = f"{ref.document_type or ''} {ref.document_number}".strip()
        if label:
            g.add((r, SKOS.prefLabel, Literal(label, lang="vi")))
        for s in ref.surfaces:
            g.add((r, PLG.surface, Literal(s)))
        if ref.approved_by:
            dec = by_number.get(_norm_number(ref.approved_by))
            if dec is None:
                dec = URIRef(instrument_iri(number=ref.approved_by, type_code=_type_code(ref.approved_by, None),
                                            year=None, jurisdiction=None))
                g.add((dec, RDF.type, ELI.LegalResource))
                g.add((dec, ELI.id_local, Literal(ref.approved_by)))
            if dec != r:
                g.add((r, PLG.approvedBy, dec))
                g.add((dec, PLG.approves, r))

    def agencies(self) -> dict[str, URIRef]:
        out: dict[str, URIRef] = {}
        for a in self.ex.agencies:
            out[fold_key(a.name)] = self.agency(a)
        return out

    def agency(self, a: Agency) -> URIRef:
        g = self.g
        if a.collective:
            node = URIRef(group_iri(a.name, self.locality))
            g.add((node, RDF.type, PLG.AgencyGroup))
            g.add((node, SKOS.prefLabel, Literal(a.name, lang="vi")))
            for m in a.members:
                g.add((node, PLG.member, self.org(m)))
        else:
            node = self.org(a.name, english=a.english, parent=a.parent)
        for s in a.surfaces:
            if s != a.name:
                g.add((node, SKOS.altLabel, Literal(s, lang="vi")))
        for m in a.mentions:
            self.add(node, PLG.mentionedIn, self.doc, m.span, surface=m.surface)
        return node

    def agency_ref(self, name: str, agencies: dict[str, URIRef]) -> URIRef:
        """The node of an agency named by a task: the document's agency of that name (case and
        tone-mark placement ignored); else a group for a collective phrase ("các …", "cấp …"),
        else an organisation."""
        node = agencies.get(fold_key(name))
        if node is None:
            collective = bool(re.match(r"(?i)(các|cấp)\b", name.strip()))
            node = self.agency(Agency(name=name, collective=collective))
            agencies[fold_key(name)] = node
        return node

    def tasks(self, agencies: dict[str, URIRef]) -> None:
        for t in self.ex.tasks:
            self.task(t, agencies)

    def task(self, t: Task, agencies: dict[str, URIRef]) -> None:
        g = self.g
        node = URIRef(f"{self.doc}/task/{t.id}")
        g.add((node, RDF.type, PLG.Task))
        g.add((node, PLG.inDocument, self.doc))
        g.add((node, RDFS.label, Literal(t.summary, lang="vi")))
        g.add((node, DCTERMS.description, Literal(t.text, lang="vi")))
        if t.provision:
            self.add(node, PLG.inProvision, URIRef(f"{self.doc}/{t.provision}"), t.span, quote=t.summary)
        if t.deadline:
            dt = XSD.date if re.fullmatch(r"\d{4}-\d\d-\d\d", t.deadline) else (
                XSD.gYear if re.fullmatch(r"\d{4}", t.deadline) else None)
            g.add((node, PLG.deadline, Literal(t.deadline, datatype=dt)))
        if t.deadline_text:
            g.add((node, PLG.deadlineText, Literal(t.deadline_text)))
        if t.frequency:
            g.add((node, PLG.frequency, Literal(t.frequency, datatype=XSD.duration)))
        if t.report_to:
            g.add((node, PLG.reportTo, self.agency_ref(t.report_to, agencies)))
        for a in t.assignments:
            target = self.agency_ref(a.agency, agencies)
            self.add(node, ROLE_PROPERTY.get(a.role, PLG.responsibleAgency), target, a.span or t.span,
                     quote=t.summary, cue=a.role)

    def build(self) -> _Triples:
        self.document()
        self.references()
        self.tasks(self.agencies())
        return self.g


def _norm_number(n: str) -> str:
    return re.sub(r"\s+", "", n).upper().replace("Đ", "D")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_ntriples(ex: Extraction) -> tuple[str, int]:
    """Turn one :class:`~graph.models.Extraction` into N-Triples: ``(text, triple count)``.

    The text is UTF-8-ready N-Triples (one triple per line, each once, in a deterministic
    order); the batch writer loads it directly. Same triples as :func:`build_graph`.
    Pure function of its input; raises nothing on a well-formed Extraction.
    """
    t = _Builder(ex).build()
    return t.ntriples(), len(t)


def build_graph(ex: Extraction) -> Graph:
    """Turn one :class:`~graph.models.Extraction` into an rdflib :class:`~rdflib.Graph`.

    Pure function of its input. The graph holds the document, its provisions, the instruments it
    refers to, agencies, tasks and ``plg:Evidence`` provenance nodes (the project's prefixes
    bound). Raises nothing on a well-formed Extraction.
    """
    nt, _ = build_ntriples(ex)
    g = Graph()
    for k, v in PREFIXES.items():
        g.bind(k, v)
    g.parse(data=nt, format="nt")
    return g


def document_graph_iri(ex: Extraction) -> str:
    """The named graph that holds this document's statements."""
    from graph.vocab import graph_iri  # noqa: PLC0415

    return graph_iri(document_iri(ex))

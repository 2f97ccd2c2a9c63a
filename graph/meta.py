"""Store-level facts that belong to no single document: the SKOS concept scheme of Vietnamese
document types and the agency hierarchy known to the registries."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from graph.ingest.text import fold_key
from graph.vocab import DOCTYPE, PLG, PREFIXES, doctype_iri

MODEL_VERSION = 2
"""Version of the graph model: the IRIs and shape of a document's graph. Each document graph
records the version it was built by, on its primary source file's node (``plg:modelVersion``);
:func:`graph.batch.build_paths` rebuilds a document whose graph records another version (or
none), even when its file is unchanged. 1 (not recorded): document-type IRIs minted with the
accents stripped (``doctype/qd``); 2: Đ kept apart (``doctype/qdd``, :func:`graph.vocab.doctype_slug`)."""


def doctype_key(code: str | None, name: str | None = None, registry=None) -> str | None:
    """The key of the document-type concept of a type ``code`` as printed ("QĐ", "qd", "TT"),
    for :func:`graph.vocab.doctype_iri`; None when ``code`` is empty.

    A known code gives the registry's canonical spelling ("QD" → "QĐ"; accents decide between
    codes that differ only by Đ, :meth:`graph.registry.Registry.doc_type`). One code can name
    two types: "TT" is Thông tư for the state and Thông tri for the Party (Hướng dẫn
    36-HD/VPTW, 2018). The first type listed in ``doc_types.tsv`` keeps the bare code; when
    ``name`` (the type name the text gives) names a later one, the key is the code and that
    name ("TT Thông tri"). An unknown code, or a type keyed by its name ("Luật"), is its own key.
    ``registry``: default :func:`graph.pipeline.default_registry`.
    """
    if not code:
        return None
    if registry is None:
        from graph.pipeline import default_registry  # noqa: PLC0415

        registry = default_registry()
    t = registry.doc_type(code)
    if t is None or not t.code:
        return code
    names = list(dict.fromkeys(r.name_vi for r in registry.doc_types if r.code == t.code))
    if name and len(names) > 1:
        fk = fold_key(name)
        for n in names[1:]:
            if fold_key(n) == fk:
                return f"{t.code} {n}"
    return t.code


def doctype_scheme(rows) -> Graph:
    """SKOS scheme of document types. ``rows``: iterable of (code, Vietnamese name, English name)
    or (code, Vietnamese name, English name, key); the concept is ``doctype_iri(key)``, the key
    defaulting to the code (see :func:`doctype_key`).

    Type codes follow Decree 30/2020/NĐ-CP on administrative documents (Appendix III) and the
    Party's Regulation 66-QĐ/TW (2017) on Party document formats.
    """
    g = Graph()
    for k, v in PREFIXES.items():
        g.bind(k, v)
    scheme = DOCTYPE[""]
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("Loại văn bản", lang="vi")))
    g.add((scheme, SKOS.prefLabel, Literal("Vietnamese document types", lang="en")))
    for row in rows:
        code, vi, en = row[:3]
        c = doctype_iri(row[3] if len(row) > 3 else code)
        g.add((c, RDF.type, PLG.DocumentType))
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, scheme))
        if code != vi:
            g.add((c, SKOS.notation, Literal(code)))
            g.add((c, PLG.typeCode, Literal(code)))
        g.add((c, SKOS.prefLabel, Literal(vi, lang="vi")))
        if en:
            g.add((c, SKOS.prefLabel, Literal(en, lang="en")))
    return g


def meta_graph() -> Graph:
    """The store-level graph built from the shipped registries (``doc_types.tsv``)."""
    from graph.pipeline import default_registry  # noqa: PLC0415

    reg = default_registry()
    seen: set[str] = set()
    rows = []
    for t in reg.doc_types:
        # types without a number code are keyed by name (graph.build); one code may name two types
        key = doctype_key(t.code, t.name_vi, reg) if t.code else t.name_vi
        if key not in seen:  # a type shared by state and Party documents (QĐ, KH): one concept
            seen.add(key)
            rows.append((t.code or t.name_vi, t.name_vi, t.name_en, key))
    return doctype_scheme(rows)

"""Store-level facts that belong to no single document: the SKOS concept scheme of Vietnamese
document types and the agency hierarchy known to the registries."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from graph.vocab import DOCTYPE, PLG, PREFIXES, slug


def doctype_scheme(rows) -> Graph:
    """SKOS scheme of document types. ``rows``: iterable of (code, Vietnamese name, English name).

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
    for code, vi, en in rows:
        c = DOCTYPE[slug(code)]
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

    seen: set[str] = set()
    rows = []
    for t in default_registry().doc_types:
        key = t.code or t.name_vi  # types without a number code are keyed by name (graph.build)
        if key not in seen:  # a code shared by state and Party documents: one concept
            seen.add(key)
            rows.append((key, t.name_vi, t.name_en))
    return doctype_scheme(rows)

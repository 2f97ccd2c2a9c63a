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
        g.add((c, SKOS.notation, Literal(code)))
        g.add((c, PLG.typeCode, Literal(code)))
        g.add((c, SKOS.prefLabel, Literal(vi, lang="vi")))
        if en:
            g.add((c, SKOS.prefLabel, Literal(en, lang="en")))
    return g


def meta_graph() -> Graph:
    """The store-level graph built from the shipped registries."""
    from graph.build import _TYPE_NAME_CODE  # noqa: PLC0415

    return doctype_scheme((code, vi, None) for vi, code in _TYPE_NAME_CODE.items())

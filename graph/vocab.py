"""Namespaces and IRI minting. Every IRI the product uses is named here once.

External vocabularies: ELI (European Legislation Identifier ontology,
http://data.europa.eu/eli/ontology#), W3C ORG (https://www.w3.org/TR/vocab-org/), Dublin Core
terms, SKOS, PROV-O (https://www.w3.org/TR/prov-o/), FOAF, Web Annotation (oa:, for text
position selectors, https://www.w3.org/TR/annotation-vocab/).

Our own terms live in ``PLG`` (``ontology/policy.ttl``); ``tests/test_vocab.py`` checks that
every ``PLG`` term used in code is declared there.

IRIs of things (``BASE`` = ``https://w3id.org/plg/``):

- instrument: ``BASE eli/{jurisdiction}/{type}/{year}/{number}`` after the ELI URI template
  ``/eli/{jurisdiction}/{type}/{year}/{natural identifier}``: jurisdiction ``vn`` for national
  bodies, ``vn/{province-slug}`` for provincial ones; type = lower-case type code; year of
  issue (``_`` when the text never states it); number = the document number slugged
  (``377-kh-ubnd``).
- instrument known only by name: ``BASE name/{slug of the name}``.
- provision: ``{instrument IRI}/{eid}``; task: ``{instrument IRI}/task/{n}``.
- organisation: ``BASE org/{slug of the canonical name}``; group: ``BASE group/{slug}``;
  person: ``BASE person/{slug}``; source file: ``BASE source/{sha256[:16]}``.
- named graph of a source document: ``BASE graph/{sha256[:16] of the instrument IRI}``.
- document type (a SKOS concept): ``BASE doctype/{slug of the type code}`` with đ spelled
  ``dd``, so codes that differ only by Đ stay apart (``hd`` Hướng dẫn, ``hdd`` Hợp đồng); a type
  without a code is keyed by its name (``doctype/luat``), see :func:`doctype_slug`.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from graph.ingest.text import strip_accents

BASE = "https://w3id.org/plg/"
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
PLG = Namespace(BASE + "ontology#")
DOCTYPE = Namespace(BASE + "doctype/")
ROLE = Namespace(BASE + "role/")
VOID = Namespace("http://rdfs.org/ns/void#")

PREFIXES = {
    "eli": ELI,
    "org": ORG,
    "dct": DCTERMS,
    "skos": SKOS,
    "prov": PROV,
    "foaf": FOAF,
    "oa": OA,
    "plg": PLG,
    "doctype": DOCTYPE,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}


SPARQL_PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
"""The :data:`PREFIXES` as a SPARQL prologue (one ``PREFIX`` line each), for queries built in code."""

META_GRAPH = BASE + "graph/meta"
"""Named graph holding store-level facts (registry-derived hierarchy, doc-type scheme)."""

RELATION_PROPERTY = {
    "implements": ELI.ensures_implementation_of,
    "based_on": ELI.based_on,
    "cites": ELI.cites,
    "amends": ELI.amends,
    "repeals": ELI.repeals,
    "replaces": PLG.replaces,
}
"""Relation name (ANNOTATION.md) → property."""

ROLE_PROPERTY = {
    "lead": PLG.leadAgency,
    "coordinate": PLG.coordinatingAgency,
    "responsible": PLG.responsibleAgency,
}


def slug(text: str, max_len: int = 80) -> str:
    """ASCII slug: accents removed, đ → d, non-alphanumerics → "-", lower case.

    ``slug("Ủy ban nhân dân tỉnh Đắk Nông")`` → ``"uy-ban-nhan-dan-tinh-dak-nong"``. Long
    slugs are cut and suffixed with 8 hex chars of a SHA-1 of the full text, so they stay unique.
    """
    s = re.sub(r"[^a-z0-9]+", "-", strip_accents(text)).strip("-") or "x"
    if len(s) > max_len:
        h = hashlib.sha1(s.encode()).hexdigest()[:8]
        s = s[: max_len - 9].rstrip("-") + "-" + h
    return s


def doctype_slug(key: str) -> str:
    """Local name of a document-type concept (``BASE doctype/{local name}``).

    ``key``: a type code as printed in numbers (one token: ``"QĐ"``, ``"HD"``, ``"CTr"``), or, with a
    space, a type keyed by its name (``"Công văn"``, a type with no code) or a code qualified by
    the name of the second type that shares it (``"TT Thông tri"``, see
    :func:`graph.meta.doctype_key`). Codes are slugged with đ/Đ spelled ``dd`` (Vietnamese Telex),
    because the type tables give codes that differ only by Đ: HD Hướng dẫn / HĐ Hợp đồng and
    DA Dự án / ĐA Đề án (Decree 30/2020/NĐ-CP, Appendix III). Keys with a space are slugged
    plainly. ``"QĐ"`` → ``"qdd"``, ``"HD"`` → ``"hd"``, ``"Công văn"`` → ``"cong-van"``,
    ``"TT Thông tri"`` → ``"tt-thong-tri"``.
    """
    if any(c.isspace() for c in key):
        return slug(key)
    return slug(key.replace("đ", "dd").replace("Đ", "DD"))


def doctype_iri(key: str):
    """IRI (``rdflib.URIRef``) of the document-type concept of ``key`` (see :func:`doctype_slug`)."""
    return DOCTYPE[doctype_slug(key)]


def instrument_iri(*, number: str | None, type_code: str | None, year: str | None,
                   jurisdiction: str | None, name: str | None = None) -> str:
    """Mint the IRI of an instrument from its identity (see module docstring).

    ``number`` is the canonical document number; ``jurisdiction`` is ``None``/"vn" for national
    instruments or a province name ("Đắk Nông"). Without a number, ``name`` is required.
    Raises ``ValueError`` if neither is given.
    """
    if number:
        j = "vn" if not jurisdiction or jurisdiction == "vn" else "vn/" + slug(jurisdiction)
        t = slug(type_code) if type_code else "_"
        y = year or "_"
        return f"{BASE}eli/{j}/{t}/{y}/{slug(number)}"
    if name:
        return f"{BASE}name/{slug(name, 120)}"
    raise ValueError("an instrument needs a number or a name")


def org_iri(name: str) -> str:
    """IRI of an organisation from its canonical Vietnamese name."""
    return f"{BASE}org/{slug(name, 120)}"


def group_iri(label: str, locality: str | None = None) -> str:
    """IRI of a collective reference ("các Sở, ban, ngành"), scoped to a locality."""
    loc = f"{slug(locality)}/" if locality else ""
    return f"{BASE}group/{loc}{slug(label, 120)}"


def person_iri(name: str) -> str:
    """IRI of a person (signer) from the name as printed."""
    return f"{BASE}person/{slug(name)}"


def source_iri(sha256: str) -> str:
    """IRI of a source file from the SHA-256 of its bytes."""
    return f"{BASE}source/{sha256[:16]}"


def graph_iri(doc_iri: str) -> str:
    """Named graph holding the statements extracted from one source document."""
    return f"{BASE}graph/{hashlib.sha256(doc_iri.encode()).hexdigest()[:16]}"

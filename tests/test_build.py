"""The N-Triples writer of ``graph.build``: literal escaping and the evidence pattern.

The builder writes N-Triples text directly (no rdflib Graph per document); these tests check
that what it writes parses back, with standard parsers, to exactly the values it was given.
"""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from graph.build import build_ntriples, nt_term
from graph.pipeline import extract_file
from tests.conftest import MAIN_DOC

# any Unicode scalar value (surrogates cannot be encoded in UTF-8 and are never in a decoded text)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


def _parse_one(line: str) -> ox.Triple:
    triples = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == 1
    return triples[0]


@given(TEXT)
def test_string_literal_round_trips_through_an_n_triples_parser(value):
    """Backslashes, quotes, line breaks and every control character (RDF 1.1 N-Triples §2.4)."""
    t = _parse_one(f"<http://e/s> <http://e/p> {nt_term(Literal(value))} .\n")
    assert t.object == ox.Literal(value)


@given(TEXT, st.sampled_from(["vi", "en"]))
def test_language_literal_round_trips(value, lang):
    t = _parse_one(f"<http://e/s> <http://e/p> {nt_term(Literal(value, lang=lang))} .\n")
    assert t.object == ox.Literal(value, language=lang)


def test_typed_literals_and_iris():
    from rdflib.namespace import XSD as _XSD  # noqa: N811 (module level, pytest's collector probes it)

    assert nt_term(Literal(42, datatype=_XSD.integer)) == '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert nt_term(Literal("2024-06-13", datatype=_XSD.date)) == \
        '"2024-06-13"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert nt_term(URIRef("http://e/x")) == "<http://e/x>"
    assert nt_term(Literal("a\\b\"c\nd\re\x00f\x7f")) == '"a\\\\b\\"c\\nd\\re\\u0000f\\u007F"'


def test_plan_graph_parses_and_every_evidence_is_complete():
    """The plan's graph parses as N-Triples with the count the builder reports; every evidence
    node has subject, predicate, object, source and, when it has a selector, start ≤ end."""
    ex = extract_file(MAIN_DOC)
    nt, n = build_ntriples(ex)
    triples = list(ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == n == len(set(triples))
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    evidence = [s for s, props in by_subject.items()
                if any(o.value.endswith("#Evidence") for o in props.get(rdf + "type", []))]
    assert len(evidence) > 50
    for ev in evidence:
        props = by_subject[ev]
        for p in ("subject", "predicate", "object"):
            assert len(props.get(rdf + p, [])) == 1, (ev, p)
        assert props.get("http://www.w3.org/ns/prov#wasDerivedFrom")
        for sel in props.get("http://www.w3.org/ns/oa#hasSelector", []):
            sp = by_subject[sel]
            start = int(sp["http://www.w3.org/ns/oa#start"][0].value)
            end = int(sp["http://www.w3.org/ns/oa#end"][0].value)
            assert 0 <= start <= end <= len(ex.document.text)


def test_each_organization_has_one_vietnamese_preflabel_per_graph():
    """SKOS S14: at most one prefLabel per language. Real documents name one body in several
    spellings that share its IRI ("Hội đồng nhân dân tỉnh Đăk Nông" / "… Đắk Nông" in 012,
    "Bộ Trưởng Bộ Y tế" / "Bộ trưởng Bộ Y tế" in 101): the first is the prefLabel, the others
    altLabels. Before the fix 38 of the 349 corpus files had an organization with two."""
    from collections import Counter

    from tests.conftest import need_corpus

    skos_pref = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    files = sorted((need_corpus() / "documents").glob("*.txt"))
    assert len(files) >= 40
    for f in files:
        nt, _ = build_ntriples(extract_file(f))
        pref = Counter(line.split(" ", 1)[0] for line in nt.splitlines()
                       if f" {skos_pref} " in line and line.endswith("@vi .") and "/org/" in line.split(" ", 1)[0])
        doubled = [s for s, n in pref.items() if n > 1]
        assert not doubled, f"{f.name}: {doubled}"

"""Validation (SHACL) and dumps of the default graph: round trips, determinism, broken graphs."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from graph.batch import build_paths
from graph.export import export_store
from graph.store import GraphStore
from graph.validate import store_union_graph, validate_graph, validate_store
from graph.vocab import ELI, PLG
from tests.conftest import MAIN_DOC


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = GraphStore(tmp_path_factory.mktemp("pub") / "store")
    assert not build_paths(st, [MAIN_DOC]).failures
    return st


def test_default_graph_conforms(store):
    conforms, violations, _ = validate_store(store)
    assert conforms, violations


def _broken(store) -> Graph:
    g = store_union_graph(store)
    task = next(g.subjects(RDF.type, PLG.Task))
    for p in (PLG.leadAgency, PLG.coordinatingAgency, PLG.responsibleAgency, PLG.inProvision):
        g.remove((task, p, None))
    doc = next(g.subjects(PLG.sourceFile, None))
    g.remove((doc, ELI.passed_by, None))
    g.add((URIRef("https://w3id.org/plg/eli/vn/x/_/nameless"), RDF.type, ELI.LegalResource))
    g.add((doc, ELI.cites, URIRef("https://w3id.org/plg/eli/vn/x/_/nameless")))  # no evidence
    return g


def test_broken_graph_fails_naming_the_shapes(store):
    conforms, violations, _ = validate_graph(_broken(store))
    assert not conforms
    text = "\n".join(violations)
    for shape in ("TaskShape", "DocumentShape", "InstrumentShape", "ProvenanceShape"):
        assert shape in text, f"{shape} not reported:\n{text}"
    assert "no issuer" in text and "no provision" in text


def test_sparql_constraints_in_oxigraph_agree_with_pyshacl(store):
    """The SHACL-SPARQL constraint run by Oxigraph finds exactly the focus nodes and values that
    pySHACL's own (rdflib) evaluation of the same shapes file finds."""
    import pyshacl
    from rdflib.namespace import SH

    from graph.validate import SHAPES

    g = _broken(store)
    task = next(t for t in g.subjects(PLG.responsibleAgency, None) if (t, RDF.type, PLG.Task) in g)
    for ev in list(g.subjects(RDF.subject, task)):  # a lead without evidence, on top of the cites
        g.remove((ev, RDF.subject, task))
    _, violations, _ = validate_graph(g)
    ours = sorted(v.split(" : ", 1)[0].split(": ", 1)[1] for v in violations if v.startswith("ProvenanceShape"))
    _, report, _ = pyshacl.validate(g, shacl_graph=Graph().parse(SHAPES), inference="none")
    theirs = sorted(str(report.value(r, SH.focusNode)) for r in report.subjects(SH.sourceShape, None)
                    if str(report.value(r, SH.sourceShape)).endswith("ProvenanceShape"))
    assert ours == theirs and len(ours) >= 2


def test_store_is_validated_graph_by_graph(store, tmp_path):
    st = GraphStore(tmp_path / "two")
    assert not build_paths(st, [MAIN_DOC]).failures
    bad = _broken(store)
    st.replace_graph("https://w3id.org/plg/graph/broken", bad)
    ok, v, _ = validate_store(st, graphs=[g for g in st.named_graphs() if not g.endswith("/broken")])
    assert ok, v
    ok, v, _ = validate_store(st, workers=2)
    assert not ok and any("TaskShape" in x for x in v)


def test_unsupported_sparql_constraint_is_refused(tmp_path):
    from graph.errors import ValidationFailed
    from graph.validate import SHAPES

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES.read_text(encoding="utf-8").replace(
        "$this ?p ?value .", "$this ?p ?value . BIND($this AS ?x)"), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="BIND"):
        validate_graph(Graph(), shapes)


def test_cli_validate_exit_codes(store, tmp_path):
    from typer.testing import CliRunner

    from graph.cli import app

    good = tmp_path / "good"
    assert not build_paths(GraphStore(good), [MAIN_DOC]).failures
    r = CliRunner().invoke(app, ["validate", "--store", str(good)])
    assert r.exit_code == 0, r.output
    broken = GraphStore(tmp_path / "broken")
    broken.replace_graph("https://w3id.org/plg/graph/broken", _broken(store))
    del broken
    r = CliRunner().invoke(app, ["validate", "--store", str(tmp_path / "broken")])
    assert r.exit_code == 1 and "TaskShape" in r.output


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "trig", "nquads", "jsonld"])
def test_export_round_trips_and_is_deterministic(store, fmt):
    data = export_store(store, fmt)
    assert data == export_store(store, fmt)  # two exports diff cleanly
    union = store_union_graph(store)
    if fmt in ("turtle", "ntriples"):
        back = Graph().parse(data=data.decode(), format={"turtle": "turtle", "ntriples": "nt"}[fmt])
        assert isomorphic(back, union)
        return
    ds = Dataset()
    ds.parse(data=data.decode(), format={"trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt])
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert set(store.named_graphs()) <= graphs  # named graphs kept
    back = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        back.add((s, p, o))
    assert isomorphic(back, union)


def test_jsonld_uses_the_published_context(store):
    doc = json.loads(export_store(store, "jsonld"))
    assert doc["@context"]["eli"] == str(ELI)
    assert any("@graph" in g for g in doc["@graph"])


def test_literals_survive_export(store):
    data = export_store(store, "turtle").decode()
    g = Graph().parse(data=data, format="turtle")
    assert (None, ELI.id_local, Literal("377/KH-UBND")) in g

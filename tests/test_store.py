"""The embedded store: atomic replace per named graph, queries, deterministic export."""

import pytest
from rdflib import Graph, Literal, URIRef

from graph.errors import QueryError
from graph.store import GraphStore, sparql_literal

EX = "http://example.org/"


def _g(*objs):
    g = Graph()
    for i, o in enumerate(objs):
        g.add((URIRef(EX + "s"), URIRef(EX + f"p{i}"), Literal(o)))
    return g


def test_replace_graph_replaces_exactly_that_graph(tmp_path):
    st = GraphStore(tmp_path / "s")
    st.replace_graph(EX + "g1", _g("a", "b"))
    st.replace_graph(EX + "g2", _g("c"))
    st.replace_graph(EX + "g1", _g("z"))
    _, rows = st.select("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o")
    assert [r["o"] for r in rows] == ["c", "z"]
    assert st.named_graphs() == [EX + "g1", EX + "g2"]


def test_failed_replace_keeps_previous_content(tmp_path):
    st = GraphStore(tmp_path / "s")
    st.replace_graph(EX + "g1", _g("a"))
    with pytest.raises(Exception):  # noqa: B017 - bad N-Triples: any StoreError
        st.replace_graph(EX + "g1", "<not n-triples")
    _, rows = st.select("SELECT ?o WHERE { ?s ?p ?o }")
    assert [r["o"] for r in rows] == ["a"]


def test_literals_with_quotes_newlines_and_diacritics_round_trip(tmp_path):
    st = GraphStore(tmp_path / "s")
    text = 'Sở KH&ĐT "x"\n<script>alert(1)</script> \\'
    st.replace_graph(EX + "g", _g(text))
    _, rows = st.select("SELECT ?o WHERE { ?s ?p ?o }")
    assert rows[0]["o"] == text


def test_bad_query_gives_query_error_with_parser_message():
    st = GraphStore()
    with pytest.raises(QueryError, match="(?i)syntax|error|expected"):
        st.query("SELEC ?x WHERE {")


def test_sparql_literal_escapes():
    st = GraphStore()
    nasty = 'a"b\\c\nd'
    st.replace_graph(EX + "g", _g(nasty))
    _, rows = st.select(f"SELECT ?p WHERE {{ ?s ?p {sparql_literal(nasty)} }}")
    assert [r["p"] for r in rows] == [EX + "p0"]


def test_export_is_deterministic(tmp_path):
    st = GraphStore()
    st.replace_graph(EX + "g2", _g("c", "d"))
    st.replace_graph(EX + "g1", _g("a", "b"))
    for fmt in ("turtle", "trig", "nquads", "ntriples"):
        assert st.export(fmt) == st.export(fmt)


def test_store_reopens_with_data(tmp_path):
    st = GraphStore(tmp_path / "s")
    st.replace_graph(EX + "g", _g("a"))
    st.flush()
    del st
    st2 = GraphStore(tmp_path / "s")
    assert len(st2) == 1

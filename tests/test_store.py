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


# ---- the default graph is the merge of the named graphs (graph/store.py docstring) ----------------------
SHARED = (URIRef("https://w3id.org/plg/org/bo-chinh-tri"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
          Literal("Bộ Chính trị", lang="vi"))


def _doc(n: int) -> Graph:
    g = Graph()
    g.add(SHARED)
    g.add((URIRef(f"{EX}doc{n}"), URIRef(f"{EX}passedBy"), SHARED[0]))
    return g


def _count(st, where: str = "?s ?p ?o") -> int:
    return st.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[1][0]["n"]


def test_a_triple_in_many_graphs_counts_once_and_leaves_with_its_last_graph(tmp_path):
    st = GraphStore(tmp_path / "s")
    for n in range(3):
        st.replace_graph(f"{EX}g{n}", _doc(n))
    assert _count(st) == 4  # one shared label + three passedBy, not 3 + 3
    assert _count(st, "GRAPH ?g { ?s ?p ?o }") == 6
    assert len(st) == 6 and st.triple_count() == 4
    st.replace_graph(f"{EX}g0", Graph())  # replaced by nothing: its own triple goes
    st.remove_graph(f"{EX}g1")
    assert _count(st) == 2
    st.remove_graph(f"{EX}g2")
    assert _count(st) == 0 and _count(st, "GRAPH ?g { ?s ?p ?o }") == 0


def test_a_store_of_the_old_layout_is_read_through_the_union_and_migrated_when_written(tmp_path):
    import pyoxigraph as ox

    old = ox.Store(str(tmp_path / "old"))
    for n in range(2):
        for t in _doc(n):
            old.add(ox.Quad(*(ox.NamedNode(str(x)) if isinstance(x, URIRef) else ox.Literal(str(x), language="vi")
                              for x in t), ox.NamedNode(f"{EX}g{n}")))
    old.flush()
    del old
    ro = GraphStore(tmp_path / "old", read_only=True)
    assert ro.union_view and _count(ro, "?s a ?t") == 0 and _count(ro, f"?s <{EX}passedBy> ?o") == 2
    del ro
    rw = GraphStore(tmp_path / "old")
    assert not rw.union_view and _count(rw) == 3 and len(rw) == 4


def test_load_file_writes_a_named_graph_and_the_merge(tmp_path):
    f = tmp_path / "x.nt"
    f.write_bytes(_doc(0).serialize(format="nt", encoding="utf-8"))
    st = GraphStore(tmp_path / "s")
    st.load_file(str(f), "ntriples")
    st.load_file(str(f), "ntriples", graph_iri=f"{EX}other")
    assert _count(st) == 2 and len(st) == 4 and len(st.named_graphs()) == 2

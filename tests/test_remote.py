"""RemoteStore (graph/remote.py) against a real Oxigraph server started on loopback by the tests.

The ``oxigraph`` PyPI package ships the server binary (``oxigraph serve --location DIR --bind
127.0.0.1:PORT``). The same fixture graphs go into a local GraphStore and into the server; every
read must agree, byte for byte where the output is deterministic (exports).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from graph.errors import QueryError, StoreError
from graph.remote import RemoteStore
from graph.serve import BackgroundServer, create_app
from graph.store import GraphStore, open_store
from graph.vocab import PLG, graph_iri

pytestmark = pytest.mark.server

sys.path.insert(0, os.path.dirname(__file__))
from test_serve import fixture_graphs  # noqa: E402 — the endpoint tests' fixture graph

sys.path.pop(0)


def oxigraph_binary() -> str | None:
    cand = Path(sys.executable).parent / "oxigraph"
    return str(cand) if cand.exists() else shutil.which("oxigraph")


class OxigraphServer:
    """``oxigraph serve`` on a free loopback port, in a temp directory; ``stop()`` ends it."""

    def __init__(self, location: Path):
        binary = oxigraph_binary()
        if binary is None:
            pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
        for _ in range(5):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
            s.close()
            self.proc = subprocess.Popen([binary, "serve", "--location", str(location),
                                          "--bind", f"127.0.0.1:{self.port}"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if self._wait_ready():
                break
            self.stop()
        else:
            pytest.fail("could not start the oxigraph server")
        self.url = f"http://127.0.0.1:{self.port}"

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture(scope="module")
def oxserver(tmp_path_factory):
    srv = OxigraphServer(tmp_path_factory.mktemp("oxigraph-server"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def docs():
    return fixture_graphs(n_tasks=8)


@pytest.fixture(scope="module")
def local(docs, tmp_path_factory):
    store = GraphStore(str(tmp_path_factory.mktemp("local")))
    for iri, g in docs.items():
        store.replace_graph(graph_iri(iri), g)
    return store


MODES = {
    "oxigraph-layout": "{url}/query",  # update /update, GSP /store, union-default-graph parameter
    "update-only+dataset": "{url}/query#gsp=none&union=dataset",  # standard protocol only
}


@pytest.fixture(params=list(MODES))
def remote(request, oxserver, docs):
    store = RemoteStore(MODES[request.param].format(url=oxserver.url))
    store.clear()
    for iri, g in docs.items():
        assert store.replace_graph(graph_iri(iri), g) == len(g)
    yield store
    store.clear()
    store.close()


QUERIES = [
    "SELECT ?d ?n WHERE { ?d <http://data.europa.eu/eli/ontology#id_local> ?n } ORDER BY ?n",
    "SELECT ?d WHERE { ?p <http://data.europa.eu/eli/ontology#id_local> \"345/KH-UBND\" . "
    "?p <http://data.europa.eu/eli/ontology#ensures_implementation_of>+ ?d } ORDER BY ?d",
    "SELECT ?t ?l WHERE { ?t a <https://w3id.org/plg/ontology#Task> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?t",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_select_matches_local(remote, local, query):
    assert remote.select(query) == local.select(query)


def test_query_result_types(remote):
    res = remote.query("SELECT ?s WHERE { ?s a <http://data.europa.eu/eli/ontology#LegalResource> }")
    assert isinstance(res, ox.QuerySolutions)
    assert len([s["s"] for s in res]) == 3
    assert bool(remote.query("ASK { ?s a <http://data.europa.eu/eli/ontology#LegalResource> }")) is True
    assert bool(remote.query("ASK { ?s a <http://example.org/None> }")) is False
    triples = remote.query("CONSTRUCT WHERE { ?s <http://data.europa.eu/eli/ontology#id_local> ?n }")
    assert len(triples) == 3 and all(isinstance(t, ox.Triple) for t in triples)


def test_bookkeeping_matches_local(remote, local, docs):
    assert remote.named_graphs() == local.named_graphs()
    assert len(remote) == len(local)
    for fmt, oxfmt in (("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS), ("turtle", ox.RdfFormat.TURTLE)):
        assert canonical(remote.export(fmt), oxfmt) == canonical(local.export(fmt), oxfmt)


def canonical(data: bytes, fmt) -> list[str]:
    """Quads of a serialization with blank nodes relabelled by RDFC-1.0 (labels differ by store)."""
    ds = ox.Dataset(ox.parse(data, format=fmt))
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in ds)


def test_graph_meta(remote):
    g = "https://w3id.org/plg/graph/meta-test"
    data = Graph()
    data.add((URIRef(g), PLG.contentHash, Literal("abc123")))
    data.add((URIRef(g), PLG.sourcePath, Literal("documents/x.txt")))
    remote.replace_graph(g, data)
    assert remote.graph_meta(g) == {"sha256": "abc123", "path": "documents/x.txt"}
    assert remote.graph_meta("https://w3id.org/plg/graph/none") == {}


def test_replace_is_a_replacement_and_remove(remote, docs):
    iri = next(iter(docs))
    g = graph_iri(iri)
    small = Graph()
    small.add((URIRef(iri), PLG.note, Literal("only this")))
    before = len(remote)
    assert remote.replace_graph(g, small) == 1
    assert len(remote) == before - len(docs[iri]) + 1
    rows = remote.select(f"SELECT ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")[1]
    assert rows == [{"p": str(PLG.note), "o": "only this"}]
    assert remote.remove_graph(g) is True
    assert remote.remove_graph(g) is False
    assert g not in remote.named_graphs()


def test_replace_graph_accepts_ntriples_text(remote):
    g = "https://w3id.org/plg/graph/nt-text"
    n = remote.replace_graph(g, '<https://w3id.org/plg/a> <http://example.org/p> "x\\ny"@vi .\n')
    assert n == 1
    assert remote.select(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")[1] == [{"o": "x\ny"}]


def test_load_file(remote, tmp_path):
    f = tmp_path / "x.ttl"
    f.write_text('<https://w3id.org/plg/a> <http://example.org/p> "é" .\n', encoding="utf-8")
    remote.load_file(str(f), "turtle", graph_iri="https://w3id.org/plg/graph/file")
    assert remote.select('SELECT ?o WHERE { <https://w3id.org/plg/a> <http://example.org/p> ?o }')[1] == [{"o": "é"}]


def test_errors_carry_the_servers_message(remote):
    with pytest.raises(QueryError) as e:
        remote.query("SELEC * {}")
    assert "error at" in str(e.value) and e.value.status == 400
    with pytest.raises(QueryError):
        remote.update("INSERT DATA { <a")


def test_unreachable_server_is_a_store_error():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    store = RemoteStore(f"http://127.0.0.1:{port}/query", timeout_s=2)
    with pytest.raises(StoreError):
        len(store)


@pytest.mark.parametrize("url,update,gsp,union", [
    ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store", "param"),
    ("http://h:7878/query/", "http://h:7878/update", "http://h:7878/store", "param"),
    ("http://h:8890/sparql", "http://h:8890/sparql", None, "dataset"),
    ("http://h:3030/ds/query#update=http://h:3030/ds/update&gsp=http://h:3030/ds/data&union=none",
     "http://h:3030/ds/update", "http://h:3030/ds/data", "none"),
    ("http://h:7200/repositories/plg#update=http://h:7200/repositories/plg/statements",
     "http://h:7200/repositories/plg/statements", None, "dataset"),
])
def test_url_conventions(url, update, gsp, union):
    s = RemoteStore(url)
    assert (s.update_url, s.gsp_url, s.union) == (update, gsp, union)
    assert "#" not in s.query_url


def test_open_store_dispatches_on_url(oxserver):
    store = open_store(oxserver.url + "/query")
    assert isinstance(store, RemoteStore)
    store.close()


def test_endpoint_in_front_of_a_remote_store(oxserver, docs, local):
    remote = RemoteStore(oxserver.url + "/query")
    remote.clear()
    for iri, g in docs.items():
        remote.replace_graph(graph_iri(iri), g)
    app = create_app(oxserver.url + "/query", timeout_s=10, workers=1)
    try:
        with BackgroundServer(app) as srv, httpx.Client(base_url=srv.url, timeout=30) as c:
            for q in QUERIES:
                r = c.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
                assert r.status_code == 200, r.text
                got = [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]
                want = [{k: str(v) for k, v in row.items() if v is not None} for row in local.select(q)[1]]
                assert got == want
            r = c.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{oxserver.url}/query> {{ ?s ?p ?o }} }}"})
            assert r.status_code == 403
            r = c.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a ?c }"}, headers={"Accept": "text/turtle"})
            assert len(Graph().parse(data=r.text, format="turtle")) == len(local.select("SELECT * { ?s a ?c }")[1])
    finally:
        remote.clear()
        remote.close()


def test_from_clause_is_respected(remote, docs):
    iri = next(iter(docs))
    q = (f"SELECT DISTINCT ?d FROM <{graph_iri(iri)}> WHERE "
         "{ ?d a <http://data.europa.eu/eli/ontology#LegalResource> }")
    assert remote.select(q)[1] == [{"d": iri}]

"""Security of the endpoint (graph/serve.py, graph/sparql_guard.py) against a real server on loopback.

Every refusal test asserts three things: the request is refused with the one JSON error shape, the
store is byte-for-byte unchanged (N-Quads export before/after), and a TCP listener started by the
test on 127.0.0.1 — the target of every SERVICE/LOAD/FROM IRI — received no connection.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from graph.errors import QueryError
from graph.serve import BackgroundServer, create_app
from graph.sparql_guard import check, inspect, tokenize, unescape_codepoints
from graph.store import GraphStore
from graph.vocab import BASE, graph_iri, instrument_iri

pytestmark = pytest.mark.server

TIMEOUT_S = 2.0
PLAN = instrument_iri(number="345/KH-UBND", type_code="KH", year="2024", jurisdiction="Tỉnh Thử")


def _build(path) -> None:
    sys.path.insert(0, os.path.dirname(__file__))
    try:
        from test_serve import build_store  # the same fixture graph as the endpoint tests
    finally:
        sys.path.pop(0)
    build_store(path)


def snapshot(path) -> bytes:
    """N-Quads export of the store (read-only open: works while the server's workers read it)."""
    return GraphStore(str(path), read_only=True).export("nquads")


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(0.5)
            try:
                self.connections.append(conn.recv(200))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self):
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("secstore")
    _build(d)
    return d


@pytest.fixture(scope="module")
def baseline(store_dir):
    return snapshot(store_dir)


@pytest.fixture(scope="module")
def app(store_dir):
    return create_app(str(store_dir), timeout_s=TIMEOUT_S, max_results=1000, workers=2)


@pytest.fixture(scope="module")
def server(app):
    with BackgroundServer(app) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def assert_refused(r: httpx.Response, status: int = 403) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]["message"]


G = graph_iri(PLAN)
UPDATES = [
    'INSERT DATA { <https://w3id.org/plg/x> <http://example.org/p> "x" }',
    f'INSERT DATA {{ GRAPH <{G}> {{ <https://w3id.org/plg/x> <http://example.org/p> "x" }} }}',
    f'DELETE DATA {{ GRAPH <{G}> {{ <{PLAN}> a <http://data.europa.eu/eli/ontology#LegalResource> }} }}',
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    'DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p "y" } } WHERE { GRAPH ?g { ?s ?p ?o } }',
    f"WITH <{G}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "LOAD <{L}/data.ttl>",
    f"LOAD SILENT <{{L}}/data.ttl> INTO GRAPH <{G}>",
    "LOAD <file:///etc/passwd>",
    "LOAD <file:///etc/passwd> INTO GRAPH <https://w3id.org/plg/graph/passwd>",
    "CLEAR ALL", "CLEAR DEFAULT", f"CLEAR GRAPH <{G}>", "CLEAR SILENT NAMED",
    "DROP ALL", f"DROP SILENT GRAPH <{G}>",
    "CREATE GRAPH <https://w3id.org/plg/graph/new>",
    f"ADD <{G}> TO DEFAULT", f"MOVE <{G}> TO <https://w3id.org/plg/graph/other>",
    f"COPY <{G}> TO DEFAULT",
    "drop all", "  # a comment first\n  DrOp   AlL", r"\u0044ROP ALL", "PREFIX : <http://e/>\nclear all",
    'INSERT DATA { <http://e/a> <http://e/b> "x" } ; DROP ALL',
]
CHANNELS = [
    ("POST update= (form)", "POST", lambda u: {"data": {"update": u}}, 403),
    ("POST application/sparql-update", "POST",
     lambda u: {"content": u.encode(), "headers": {"Content-Type": "application/sparql-update"}}, 403),
    ("GET query=", "GET", lambda u: {"params": {"query": u}}, 403),
    ("POST query= (form)", "POST", lambda u: {"data": {"query": u}}, 403),
    ("POST application/sparql-query", "POST",
     lambda u: {"content": u.encode(), "headers": {"Content-Type": "application/sparql-query"}}, 403),
    ("GET update=", "GET", lambda u: {"params": {"update": u}}, 405),
]


@pytest.mark.parametrize("channel,method,make,status", CHANNELS, ids=[c[0] for c in CHANNELS])
def test_updates_are_refused(client, listener, store_dir, baseline, channel, method, make, status):
    for text in UPDATES:
        u = text.replace("{L}", listener.url)
        msg = assert_refused(client.request(method, "/sparql", **make(u)), status)
        if status == 403:
            assert "refused" in msg, (u, msg)
    assert listener.connections == []
    assert snapshot(store_dir) == baseline


QUERY_ATTACKS = [
    "SELECT * WHERE { SERVICE <{L}/sparql> { ?s ?p ?o } }",
    "select * where { service <{L}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <{L}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?ep { <{L}/sparql> } SERVICE ?ep { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{L}/x> { ?s ?p ?z } } } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{L}/x> { ?s ?p ?o } } } LIMIT 1",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{L}/x> { ?s ?p ?o } } } }",
    r"SELECT * WHERE { \u0053ERVICE <{L}/sparql> { ?s ?p ?o } }",
    r"SELECT * WHERE { \U00000053\U00000045RVICE <{L}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { # } comment\n SERVICE <{L}/sparql> { ?s ?p ?o } }",
    'SELECT * WHERE { BIND("}" AS ?x) SERVICE <{L}/sparql> { ?s ?p ?o } }',
    "PREFIX l: <{L}/> SELECT * WHERE { SERVICE l:sparql { ?s ?p ?o } }",
    "BASE <{L}/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "ASK { SERVICE <{L}/sparql> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{L}/sparql> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <{L}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { << ?a ?b ?c >> ?p ?o . SERVICE <{L}/sparql> { ?s ?p ?o } }",  # rdflib cannot parse
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o<1)SERVICE<{L}/x>{} }",
    "SELECT * FROM <{L}/g> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <{L}/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", QUERY_ATTACKS)
def test_outbound_queries_are_refused(client, listener, store_dir, baseline, query):
    q = query.replace("{L}", listener.url)
    for r in (client.get("/sparql", params={"query": q}),
              client.post("/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query"})):
        msg = assert_refused(r)
        assert "refused" in msg
    time.sleep(0.05)
    assert listener.connections == []
    assert snapshot(store_dir) == baseline


@pytest.mark.parametrize("param,value", [
    ("default-graph-uri", "{L}/g"), ("named-graph-uri", "{L}/g"),
    ("default-graph-uri", "file:///etc/passwd"), ("named-graph-uri", "file:///etc/passwd"),
])
def test_remote_dataset_parameters_are_refused(client, listener, param, value):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                      param: value.replace("{L}", listener.url)})
    assert_refused(r)
    assert listener.connections == []


ALLOWED = [
    "SELECT ?service ?load ?from WHERE { ?service ?load ?from } LIMIT 1",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:load ?o } LIMIT 1",
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> LOAD <file:///etc/passwd> DROP ALL" }',
    "# SERVICE <http://127.0.0.1:9/sparql> { }\nSELECT * WHERE { ?s ?p ?o } LIMIT 1",
    'SELECT * WHERE { ?s ?p "x"@from }',
    "SELECT * WHERE { ?s <http://example.org/service> ?o }",
    f"SELECT * FROM <{G}> WHERE {{ ?s ?p ?o }} LIMIT 1",
    f"SELECT * FROM NAMED <{G}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
]


@pytest.mark.parametrize("query", ALLOWED)
def test_harmless_mentions_are_not_refused(client, query):
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200, r.text


def test_runaway_query_is_killed_while_twenty_others_answer(app, client, listener, store_dir, baseline):
    pool = app.state.policygraph.pool
    before = set(pool.pids())
    assert len(before) == 2
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    label = "http://www.w3.org/2000/01/rdf-schema#label"

    def timed(q):
        t0 = time.monotonic()
        r = client.get("/sparql", params={"query": q})
        return r, time.monotonic() - t0

    with ThreadPoolExecutor(21) as ex:
        run_fut = ex.submit(timed, runaway)
        time.sleep(0.3)  # the runaway holds one worker
        futs = {i: ex.submit(timed, f"SELECT ?l WHERE {{ <{PLAN}/task/{i}> <{label}> ?l }}") for i in range(1, 21)}
        answers = {i: f.result() for i, f in futs.items()}
        r, took = run_fut.result()
    msg = assert_refused(r, 503)
    assert "time limit" in msg
    assert TIMEOUT_S <= took < TIMEOUT_S + 3
    for i, (resp, elapsed) in answers.items():
        assert resp.status_code == 200, resp.text
        assert resp.json()["results"]["bindings"] == [{"l": {"type": "literal", "value": f"Nhiệm vụ {i}",
                                                             "xml:lang": "vi"}}]
        assert elapsed < TIMEOUT_S  # answered while the runaway was still running
    # the runaway's worker process was killed (not left running) and replaced
    gone = before - set(pool.pids())
    assert len(gone) == 1
    pid = gone.pop()
    assert not os.path.exists(f"/proc/{pid}")
    assert pool.killed >= 1
    deadline = time.monotonic() + 30
    while len(pool.pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(pool.pids()) == 2
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.json()["boolean"] is True
    assert snapshot(store_dir) == baseline
    assert listener.connections == []


def test_result_cap_stops_a_large_cartesian_product_quickly(client):
    t0 = time.monotonic()
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"})
    assert r.status_code == 200 and r.headers["x-result-truncated"] == "true"
    assert len(r.json()["results"]["bindings"]) == 1000
    assert time.monotonic() - t0 < TIMEOUT_S


def test_request_body_limit(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 << 20)
    assert_refused(client.post("/sparql", content=big.encode(),
                               headers={"Content-Type": "application/sparql-query"}), 413)
    huge = b"x" * (5 << 20)  # a read-only server does not buffer bodies beyond a few MB
    assert_refused(client.post("/sparql", content=huge, headers={"Content-Type": "application/sparql-query"}), 413)
    assert_refused(client.post("/sparql", data={"update": "x" * (5 << 20)}), 413)


def test_binds_to_loopback_by_default():
    import inspect as pyinspect

    from graph.serve import BackgroundServer, run_server

    assert pyinspect.signature(run_server).parameters["host"].default == "127.0.0.1"
    assert pyinspect.signature(BackgroundServer).parameters["host"].default == "127.0.0.1"


def test_worker_network_sandbox(listener):
    """The sandbox the workers enter (a network namespace without interfaces) blocks connections."""
    code = ("import socket, sys\nfrom graph.serve import _drop_network\n"
            "if not _drop_network(): print('unsupported'); sys.exit(0)\n"
            f"s = socket.socket()\ntry:\n    s.connect(('127.0.0.1', {listener.port})); print('connected')\n"
            "except OSError as e:\n    print('blocked', e.errno)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(os.path.dirname(__file__)),
                                                       os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    if out.stdout.strip() == "unsupported":
        pytest.skip("network namespaces are not available here")
    assert out.stdout.startswith("blocked"), out.stdout + out.stderr
    assert listener.connections == []


def test_update_token_does_not_allow_load_or_service(tmp_path, listener):
    _build(tmp_path)
    app = create_app(str(tmp_path), update_token="tok", timeout_s=TIMEOUT_S)
    with BackgroundServer(app) as srv, httpx.Client(base_url=srv.url, timeout=30) as c:
        before = snapshot(tmp_path)
        auth = {"Authorization": "Bearer tok"}
        for u in (f"LOAD <{listener.url}/x.ttl>", "LOAD <file:///etc/passwd>",
                  f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}",
                  f"DELETE {{ ?s ?p ?o }} USING <{listener.url}/g> WHERE {{ ?s ?p ?o }}"):
            assert_refused(c.post("/sparql", data={"update": u}, headers=auth))
        assert snapshot(tmp_path) == before
    assert listener.connections == []


# ---- the guard itself (no server) ---------------------------------------------------------------

GUARD_TABLE = [
    # (text, kind, services, loads, FROM, FROM NAMED)
    ("SELECT * { ?s ?p ?o }", "query", (), (), (), ()),
    ("select * { service <http://x/s> { } }", "query", ("http://x/s",), (), (), ()),
    (r"SELECT * { \u0053ERVICE <http://x/s> { } }", "query", ("http://x/s",), (), (), ()),
    ("PREFIX p: <http://x/> SELECT * FROM p:g FROM NAMED <http://y/> { }", "query", (), (),
     ("http://x/g",), ("http://y/",)),
    ("BASE <https://w3id.org/plg/> SELECT * FROM <graph/a> { }", "query", (), (), (BASE + "graph/a",), ()),
    ("LOAD <file:///etc/passwd>", "update", (), ("file:///etc/passwd",), (), ()),
    ('SELECT * { ?s ?p "SERVICE <http://x/>" } # LOAD <http://y/>', "query", (), (), (), ()),
    ("PREFIX service: <http://x/> SELECT ?load { ?load service:from ?with }", "query", (), (), (), ()),
]


@pytest.mark.parametrize("text,kind,services,loads,dflt,named", GUARD_TABLE)
def test_guard_inspection_table(text, kind, services, loads, dflt, named):
    insp = inspect(text)
    assert (insp.kind, insp.services, insp.loads, insp.default_graphs, insp.named_graphs) == \
        (kind, services, loads, dflt, named)


def test_guard_parses_with_rdflib_only_when_a_keyword_could_be_there():
    assert inspect("# from a comment, with words\nSELECT * { ?s ?p 'service' }").parsed_by == "lexer"
    assert inspect("PREFIX x: <http://x/> SELECT ?from ?with { ?from x:load ?with }").parsed_by == "lexer"
    assert inspect("SELECT * FROM <https://w3id.org/plg/graph/a> { }").parsed_by == "lexer+rdflib"
    # a '<' operator the lexer might take for an IRI start still leads to the full parse
    insp = inspect("SELECT * { ?s ?p ?o FILTER(?o<1)SERVICE<http://x/>{} }")
    assert insp.parsed_by == "lexer+rdflib" and insp.services == ("http://x/",)


def test_guard_lexer_keeps_text_and_unescapes():
    q = 'PREFIX a: <http://x/> SELECT ?v { ?v a:b "s\\"x" . } # c\n'
    assert "".join(t.text for t in tokenize(q)) == q
    assert unescape_codepoints(r"\u0041\U0001F600") == "A\U0001F600"
    with pytest.raises(QueryError) as e:
        check("SELECT * { SERVICE <http://x/> {} }")
    assert e.value.status == 403
    assert check("INSERT DATA { <http://a> <http://b> <http://c> }", allow_update=True).kind == "update"


def test_controls_listener_sees_what_the_engine_would_do():
    """Positive control: without the guard, Oxigraph itself *would* connect for SERVICE — so an
    empty listener in the tests above means the guard stopped it."""
    import pyoxigraph as ox

    lst = Listener()
    try:
        with pytest.raises(OSError):
            list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{lst.url}/sparql> {{ ?s ?p ?o }} }}"))
        deadline = time.monotonic() + 5
        while not lst.connections and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(lst.connections) >= 1
    finally:
        lst.close()

"""The SPARQL endpoint and linked-data pages (graph/serve.py), against a real server on loopback.

A small fixture graph (documents as eli:LegalResource with an eli:ensures_implementation_of
chain, agencies, tasks, awkward literals) is written with GraphStore.replace_graph into a temp
store; the tests start the server in a thread on a free 127.0.0.1 port and stop it at the end.
Expected answers come from the same store queried in-process.
"""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS

from graph.serve import (
    GRAPH_OFFERS,
    SOLUTION_OFFERS,
    BackgroundServer,
    create_app,
    negotiate,
    serialize_solutions,
)
from graph.store import GraphStore
from graph.vocab import BASE, ELI, PLG, graph_iri, instrument_iri, org_iri

pytestmark = pytest.mark.server

XSS = '<script>alert("x")</script> & <b>'
AWKWARD = 'tab\there, comma, "quote"\nnew line'


def fixture_graphs(n_tasks: int = 40) -> dict[str, Graph]:
    """{document IRI: rdflib Graph} — a directive, a programme implementing it, a plan
    implementing the programme, with agencies and tasks (about 7·n_tasks triples)."""
    directive = instrument_iri(number="99-CT/TW", type_code="CT", year="2023", jurisdiction=None)
    programme = instrument_iri(number="12/CTr-UBND", type_code="CTr", year="2024", jurisdiction="Tỉnh Thử")
    plan = instrument_iri(number="345/KH-UBND", type_code="KH", year="2024", jurisdiction="Tỉnh Thử")
    ubnd, so = URIRef(org_iri("Ủy ban nhân dân tỉnh Thử")), URIRef(org_iri("Sở Thử nghiệm"))
    docs = {}
    for iri, number, title, implements in (
        (directive, "99-CT/TW", "Chỉ thị về thử nghiệm", None),
        (programme, "12/CTr-UBND", "Chương trình thực hiện Chỉ thị", directive),
        (plan, "345/KH-UBND", XSS, programme),
    ):
        g = Graph()
        d = URIRef(iri)
        g.add((d, RDF.type, ELI.LegalResource))
        g.add((d, ELI.id_local, Literal(number)))
        g.add((d, ELI.title, Literal(title, lang="vi")))
        g.add((d, ELI.date_document, Literal("2024-03-01", datatype=rns.XSD.date)))
        g.add((d, ELI.passed_by, ubnd))
        if implements:
            g.add((d, ELI.ensures_implementation_of, URIRef(implements)))
        docs[iri] = g
    g = docs[plan]
    g.add((ubnd, SKOS.prefLabel, Literal("Ủy ban nhân dân tỉnh Thử", lang="vi")))
    g.add((so, SKOS.prefLabel, Literal("Sở Thử nghiệm", lang="vi")))
    g.add((so, RDFS.comment, Literal(AWKWARD)))
    sel = BNode()
    g.add((URIRef(plan), PLG.selector, sel))
    g.add((sel, RDF.value, Literal(7)))
    for i in range(n_tasks):
        t = URIRef(f"{plan}/task/{i + 1}")
        g.add((t, RDF.type, PLG.Task))
        g.add((t, RDFS.label, Literal(f"Nhiệm vụ {i + 1}", lang="vi")))
        g.add((t, PLG.inDocument, URIRef(plan)))
        g.add((t, PLG.leadAgency, so))
        g.add((t, PLG.coordinatingAgency, ubnd))
        g.add((t, PLG.deadline, Literal(f"2025-{i % 12 + 1:02d}-01", datatype=rns.XSD.date)))
    return docs


def build_store(path) -> dict[str, Graph]:
    """Write the fixture into an on-disk store at ``path`` (one named graph per document)."""
    docs = fixture_graphs()
    store = GraphStore(str(path))
    for iri, g in docs.items():
        store.replace_graph(graph_iri(iri), g)
    store.flush()
    del store
    return docs


def local_rows(path, query: str) -> list[tuple]:
    """Expected SELECT answer: the same store, opened read-only in this process."""
    res = ox.Store.read_only(str(path)).query(query)
    return sorted(tuple(str(t) if t is not None else "" for t in sol) for sol in res)


def rows_of(body: bytes, fmt: ox.QueryResultsFormat) -> list[tuple]:
    res = ox.parse_query_results(body, format=fmt)
    return sorted(tuple(str(t) if t is not None else "" for t in sol) for sol in res)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("store")
    build_store(d)
    return d


@pytest.fixture(scope="module")
def server(store_dir):
    app = create_app(str(store_dir), timeout_s=5, max_results=25, cors_origins=["https://app.example"])
    with BackgroundServer(app) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


DOCS_Q = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> "
          "SELECT ?d ?n ?t WHERE { ?d a eli:LegalResource ; eli:id_local ?n ; eli:title ?t }")
CHAIN_Q = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?d WHERE { "
           "?p eli:id_local \"345/KH-UBND\" . ?p eli:ensures_implementation_of+ ?d }")
AWKWARD_Q = "SELECT ?s ?o ?unbound WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#comment> ?o }"
BNODE_Q = f"SELECT ?v WHERE {{ ?d <{PLG.selector}> ?b . ?b <{RDF.value}> ?v }}"


# ---- SELECT / ASK in every format -------------------------------------------------------------

RESULT_FORMATS = [
    ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv", "text/csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
]


@pytest.mark.parametrize("accept,ctype,fmt", RESULT_FORMATS)
@pytest.mark.parametrize("query", [DOCS_Q, CHAIN_Q, AWKWARD_Q])
def test_select_every_format(client, store_dir, accept, ctype, fmt, query):
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(ctype)
    assert "Accept" in r.headers.get("vary", "")
    if fmt == ox.QueryResultsFormat.CSV:  # CSV keeps lexical forms only (W3C SPARQL 1.1 CSV/TSV §2)
        got = sorted(tuple(row) for row in list(csv.reader(io.StringIO(r.text)))[1:])
        res = ox.Store.read_only(str(store_dir)).query(query)
        assert got == sorted(tuple("" if t is None else t.value for t in sol) for sol in res)
    else:
        assert rows_of(r.content, fmt) == local_rows(store_dir, query)


def test_csv_quoting_and_crlf(client):
    r = client.get("/sparql", params={"query": AWKWARD_Q}, headers={"Accept": "text/csv"})
    assert r.content.startswith(b"s,o,unbound\r\n")
    expected_field = '"' + AWKWARD.replace('"', '""') + '"'
    assert expected_field in r.text
    assert r.text.endswith("\r\n")


def test_tsv_escapes_tabs_and_newlines(client):
    r = client.get("/sparql", params={"query": AWKWARD_Q}, headers={"Accept": "text/tab-separated-values"})
    header, row, _ = r.text.split("\n")
    assert header == "?s\t?o\t?unbound"
    assert row.count("\t") == 2 and "\\t" in row and "\\n" in row


def test_blank_nodes_and_typed_literals_json(client):
    r = client.get("/sparql", params={"query": BNODE_Q})
    b = r.json()["results"]["bindings"]
    assert b == [{"v": {"type": "literal", "value": "7", "datatype": str(rns.XSD.integer)}}]
    r = client.get("/sparql", params={"query": f"SELECT ?b WHERE {{ ?d <{PLG.selector}> ?b }}"})
    assert r.json()["results"]["bindings"][0]["b"]["type"] == "bnode"


@pytest.mark.parametrize("accept,fmt", [(a, f) for a, _, f in RESULT_FORMATS])
@pytest.mark.parametrize("query,answer", [("ASK { ?s a <http://data.europa.eu/eli/ontology#LegalResource> }", True),
                                          ("ASK { ?s a <http://example.org/Nothing> }", False)])
def test_ask_every_format(client, accept, fmt, query, answer):
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200
    if fmt in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML):
        assert bool(ox.parse_query_results(r.content, format=fmt)) is answer
    else:
        assert r.text.strip() == ("true" if answer else "false")


# ---- CONSTRUCT / DESCRIBE --------------------------------------------------------------------

GRAPH_FORMATS = [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
]
CONSTRUCT_Q = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> CONSTRUCT { ?d eli:title ?t ; "
               "eli:ensures_implementation_of ?x } WHERE { ?d eli:title ?t OPTIONAL { ?d eli:ensures_implementation_of ?x } }")


@pytest.mark.parametrize("accept,ctype,rdflib_fmt", GRAPH_FORMATS)
def test_construct_every_format(client, store_dir, accept, ctype, rdflib_fmt):
    r = client.post("/sparql", data={"query": CONSTRUCT_Q}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(ctype)
    got = Graph().parse(data=r.content, format=rdflib_fmt)
    want = Graph()
    for t in ox.Store.read_only(str(store_dir)).query(CONSTRUCT_Q):
        want.parse(data=f"{t.subject} {t.predicate} {t.object} .", format="nt")
    assert len(got) == len(want) == 5
    assert set(got) == set(want)


def test_describe_returns_graph(client):
    plan = instrument_iri(number="345/KH-UBND", type_code="KH", year="2024", jurisdiction="Tỉnh Thử")
    r = client.get("/sparql", params={"query": f"DESCRIBE <{plan}>"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert (URIRef(plan), RDF.type, ELI.LegalResource) in g


# ---- content negotiation ---------------------------------------------------------------------

NEGOTIATION = [
    # (Accept, query kind, expected content type prefix)
    (None, "select", "application/sparql-results+json"),
    ("*/*", "select", "application/sparql-results+json"),
    ("*/*", "construct", "text/turtle"),
    ("text/csv, application/sparql-results+json", "select", "text/csv"),
    ("application/sparql-results+json;q=0.5, text/csv;q=0.9", "select", "text/csv"),
    ("text/*;q=0.8, application/sparql-results+xml;q=0.9", "select", "application/sparql-results+xml"),
    ("text/*", "select", "text/csv"),
    ("text/tab-separated-values;q=1.0, */*;q=0.1", "select", "text/tab-separated-values"),
    ("application/json", "select", "application/sparql-results+json"),
    ("application/json", "construct", "application/ld+json"),
    ("application/xml", "select", "application/sparql-results+xml"),
    ("application/xml", "construct", "application/rdf+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "select",
     "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "construct", "application/rdf+xml"),
    ("application/rdf+xml;q=0.3, application/ld+json;q=0.7, text/turtle;q=0.5", "construct", "application/ld+json"),
    ("text/turtle;q=0, */*", "construct", "application/n-triples"),
    ("application/n-triples, text/plain;q=0.5", "construct", "application/n-triples"),
    # SPARQLWrapper's headers
    ("application/sparql-results+json,application/json,text/javascript,application/javascript", "select",
     "application/sparql-results+json"),
    ("application/turtle,text/turtle", "construct", "text/turtle"),
    ("application/ld+json,application/x-json+ld", "construct", "application/ld+json"),
]


@pytest.mark.parametrize("accept,kind,ctype", NEGOTIATION)
def test_content_negotiation(client, accept, kind, ctype):
    q = DOCS_Q if kind == "select" else CONSTRUCT_Q
    headers = {"Accept": accept} if accept is not None else {}
    r = client.get("/sparql", params={"query": q}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(ctype)


@pytest.mark.parametrize("accept,kind", [("image/png", "select"), ("text/turtle", "select"),
                                         ("text/csv", "construct"), ("*/*;q=0", "select")])
def test_not_acceptable_is_406_json(client, accept, kind):
    q = DOCS_Q if kind == "select" else CONSTRUCT_Q
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 406
    err = r.json()["error"]
    assert err["status"] == 406 and "available" in err["message"]


@pytest.mark.parametrize("param,kind,ctype", [
    ("csv", "select", "text/csv"), ("tsv", "select", "text/tab-separated-values"),
    ("xml", "select", "application/sparql-results+xml"), ("json", "construct", "application/ld+json"),
    ("text/tab-separated-values", "select", "text/tab-separated-values"), ("ttl", "construct", "text/turtle"),
    ("nt", "construct", "application/n-triples"), ("rdfxml", "construct", "application/rdf+xml"),
])
def test_format_parameter_overrides_accept(client, param, kind, ctype):
    q = DOCS_Q if kind == "select" else CONSTRUCT_Q
    r = client.get("/sparql", params={"query": q, "format": param}, headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith(ctype)


def test_unknown_format_parameter_falls_back_to_accept(client):
    r = client.get("/sparql", params={"query": DOCS_Q, "format": "n3"}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")


NEGOTIATE_UNIT = [
    ("", SOLUTION_OFFERS, "json"),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.2", SOLUTION_OFFERS, "csv"),  # client order on ties
    ("application/*", SOLUTION_OFFERS, "json"),
    ("application/*;q=0.5, application/sparql-results+xml", SOLUTION_OFFERS, "xml"),
    ("text/turtle;q=0, text/*;q=0.9, application/*;q=0.1", GRAPH_OFFERS, "ntriples"),  # text/plain
    ("image/*", GRAPH_OFFERS, None),
    ("text/turtle;charset=utf-8;q=0.4, application/ld+json;q=0.41", GRAPH_OFFERS, "jsonld"),
    ("garbage, text/csv", SOLUTION_OFFERS, "csv"),
]


@pytest.mark.parametrize("accept,offers,key", NEGOTIATE_UNIT)
def test_negotiate_unit(accept, offers, key):
    assert negotiate(accept, offers) == key


# ---- protocol ------------------------------------------------------------------------------


def test_post_urlencoded_and_direct_agree(client, store_dir):
    want = local_rows(store_dir, DOCS_Q)
    a = client.post("/sparql", data={"query": DOCS_Q}, headers={"Accept": "application/sparql-results+json"})
    b = client.post("/sparql", content=DOCS_Q.encode(), headers={"Content-Type": "application/sparql-query",
                                                                 "Accept": "application/sparql-results+json"})
    c = client.post("/sparql", content=DOCS_Q.encode(),
                    headers={"Content-Type": "application/sparql-query; charset=UTF-8"})
    for r in (a, b, c):
        assert r.status_code == 200, r.text
        assert rows_of(r.content, ox.QueryResultsFormat.JSON) == want


PROTOCOL_ERRORS = [
    # (method, kwargs, status, message fragment)
    ("GET", {"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400, "error at"),
    ("GET", {"params": {"query": "SELEC * {}"}}, 400, "SPARQL syntax error"),
    ("GET", {"params": {"query": "SELEC * {}"}, "headers": {"Accept": "text/turtle"}}, 400, "SPARQL syntax error"),
    ("GET", {"params": {"query": "   "}}, 400, "empty query"),
    ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "exactly one"),
    ("POST", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400, "not both"),
    ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "Content-Type"),
    ("POST", {"content": b"ASK {\xff}", "headers": {"Content-Type": "application/sparql-query"}}, 400, "UTF-8"),
    ("PUT", {"content": b"x"}, 405, "Method Not Allowed"),
]


@pytest.mark.parametrize("method,kwargs,status,fragment", PROTOCOL_ERRORS)
def test_protocol_errors_have_one_json_shape(client, method, kwargs, status, fragment):
    r = client.request(method, "/sparql", **kwargs)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status
    assert fragment in body["error"]["message"]


def test_result_cap_truncates_and_says_so(client):
    q = "SELECT ?t WHERE { ?t a <https://w3id.org/plg/ontology#Task> }"
    r = client.get("/sparql", params={"query": q})
    assert len(r.json()["results"]["bindings"]) == 25
    assert r.headers["x-result-truncated"] == "true" and r.headers["x-result-limit"] == "25"
    r = client.get("/sparql", params={"query": q + " LIMIT 3"})
    assert len(r.json()["results"]["bindings"]) == 3 and "x-result-truncated" not in r.headers
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert len(r.text.strip().splitlines()) == 25 and r.headers["x-result-truncated"] == "true"


def test_dataset_from_query_and_protocol(client):
    directive = instrument_iri(number="99-CT/TW", type_code="CT", year="2023", jurisdiction=None)
    g = graph_iri(directive)
    q = "SELECT DISTINCT ?d WHERE { ?d a <http://data.europa.eu/eli/ontology#LegalResource> }"
    r = client.get("/sparql", params={"query": q.replace("WHERE", f"FROM <{g}> WHERE")})
    assert [b["d"]["value"] for b in r.json()["results"]["bindings"]] == [directive]
    r = client.get("/sparql", params={"query": q, "default-graph-uri": g})
    assert [b["d"]["value"] for b in r.json()["results"]["bindings"]] == [directive]
    r = client.get("/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                      "named-graph-uri": g})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [g]
    r = client.get("/sparql", params={"query": q})
    assert len(r.json()["results"]["bindings"]) == 3  # union default graph


def test_sparqlwrapper_client(server, store_dir):
    from SPARQLWrapper import CSV, JSON, JSONLD, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

    want = local_rows(store_dir, DOCS_Q)
    for method in ("GET", POST):
        sw = SPARQLWrapper(server.url + "/sparql")
        sw.setMethod(method)
        sw.setQuery(DOCS_Q)
        sw.setReturnFormat(JSON)
        res = sw.query().convert()
        got = sorted((b["d"]["value"], b["n"]["value"], b["t"]["value"]) for b in res["results"]["bindings"])
        assert [r[0].strip("<>") for r in want] == [g[0] for g in got]
        sw.setReturnFormat(XML)
        doc = sw.query().convert()
        assert len(doc.getElementsByTagName("result")) == 3
        for fmt in (CSV, TSV):
            sw.setReturnFormat(fmt)
            text = sw.query().convert().decode()
            assert len(text.strip().splitlines()) == 4
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery("ASK { ?d a <http://data.europa.eu/eli/ontology#LegalResource> }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True
    sw.setQuery(CONSTRUCT_Q)
    for fmt, parse_as in ((TURTLE, "turtle"), (JSONLD, None), (RDFXML, None)):
        sw.setReturnFormat(fmt)
        out = sw.query().convert()
        g = out if isinstance(out, Graph) else Graph().parse(data=out, format=parse_as)
        assert len(g) == 5


def test_service_description(client, server):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    ep = URIRef(server.url + "/sparql")
    assert (ep, RDF.type, URIRef(sd + "Service")) in g
    assert (ep, URIRef(sd + "endpoint"), ep) in g
    assert (ep, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) not in g
    assert len(list(g.objects(ep, URIRef(sd + "resultFormat")))) == 8
    r = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert json.loads(r.text)
    r = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.headers["content-type"].startswith("text/html") and "<form" in r.text
    assert "script-src" not in r.headers["content-security-policy"]


# ---- linked data ---------------------------------------------------------------------------


def test_resource_path_and_query_forms(client):
    plan = instrument_iri(number="345/KH-UBND", type_code="KH", year="2024", jurisdiction="Tỉnh Thử")
    path = "/" + plan[len(BASE):]
    a = client.get(path, headers={"Accept": "text/turtle"})
    b = client.get("/resource", params={"iri": plan}, headers={"Accept": "text/turtle"})
    assert a.status_code == b.status_code == 200
    ga, gb = Graph().parse(data=a.text, format="turtle"), Graph().parse(data=b.text, format="turtle")
    assert isomorphic(ga, gb)
    assert (URIRef(plan), ELI.title, Literal(XSS, lang="vi")) in ga
    assert (URIRef(f"{plan}/task/1"), PLG.inDocument, URIRef(plan)) in ga  # incoming links too
    j = client.get(path, headers={"Accept": "application/ld+json"})
    assert j.headers["content-type"].startswith("application/ld+json")
    assert isomorphic(Graph().parse(data=j.text, format="json-ld"), ga)
    nt = client.get(path, params={"format": "nt"})
    assert nt.headers["content-type"].startswith("application/n-triples")


def test_resource_html_is_escaped(client):
    plan = instrument_iri(number="345/KH-UBND", type_code="KH", year="2024", jurisdiction="Tỉnh Thử")
    r = client.get("/" + plan[len(BASE):],
                   headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script>" not in r.text and "&lt;script&gt;" in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]
    programme = instrument_iri(number="12/CTr-UBND", type_code="CTr", year="2024", jurisdiction="Tỉnh Thử")
    assert f'href="/{programme[len(BASE):]}"' in r.text  # minted IRIs link to this server
    assert "Chương trình thực hiện Chỉ thị" in r.text  # … with their label as text
    assert 'type="text/turtle"' in r.text
    task = client.get("/" + plan[len(BASE):] + "/task/1", headers={"Accept": "text/html"})
    assert f'href="/{plan[len(BASE):]}"' in task.text
    assert "Sở Thử nghiệm" in task.text


@pytest.mark.parametrize("path,params,status", [
    ("/eli/vn/xx/1999/nothing-here", None, 404),
    ("/resource", {"iri": "https://w3id.org/plg/nothing"}, 404),
    ("/resource", {"iri": "http://a> } ; DROP ALL #"}, 400),
    ("/resource", {"iri": "not an iri"}, 400),
    ("/resource", None, 400),
])
def test_resource_errors(client, path, params, status):
    r = client.get(path, params=params, headers={"Accept": "text/html"})
    assert r.status_code == status
    assert r.json()["error"]["status"] == status


def test_void(client, server, store_dir):
    r = client.get("/.well-known/void")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    void = "http://rdfs.org/ns/void#"
    ds = URIRef(server.url + "/.well-known/void#dataset")
    assert (ds, RDF.type, URIRef(void + "Dataset")) in g
    assert (ds, URIRef(void + "sparqlEndpoint"), URIRef(server.url + "/sparql")) in g
    n = int(next(g.objects(ds, URIRef(void + "triples"))))
    store = ox.Store.read_only(str(store_dir))
    # distinct triples of the default graph (the merge), not one per graph that holds them
    assert n == int(next(iter(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))["n"].value)
    assert n == len({(q.subject, q.predicate, q.object) for q in store if q.graph_name != ox.DefaultGraph()})
    classes = {str(o) for b in g.objects(ds, URIRef(void + "classPartition")) for o in g.objects(b, URIRef(void + "class"))}
    assert str(ELI.LegalResource) in classes and str(PLG.Task) in classes
    assert client.get("/.well-known/void", headers={"Accept": "application/ld+json"}).status_code == 200


def test_ontology_rdf_and_html(client, server):
    from graph.serve import ONTOLOGY_FILE

    if not ONTOLOGY_FILE.is_file():
        r = client.get("/ontology")
        assert r.status_code == 404
        pytest.skip("ontology/policy.ttl not written yet")
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.content == ONTOLOGY_FILE.read_bytes()
    r = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and json.loads(r.text)
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "pylode" in r.text.lower(), "pyLODE did not document the ontology (fallback page served)"
    cache = server.app.state.policygraph._onto_cache
    assert len(cache) == 1 and next(iter(cache.values())) == r.text  # made once, then cached
    r2 = client.get("/ontology", headers={"Accept": "text/html"})
    assert r2.text == r.text


def test_jsonld_context(client):
    from graph.serve import ONTOLOGY_FILE

    ctx = ONTOLOGY_FILE.parent / "context.jsonld"
    r = client.get("/context.jsonld")
    if not ctx.is_file():
        assert r.status_code == 404
        pytest.skip("ontology/context.jsonld not written yet")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    assert r.content == ctx.read_bytes() and "@context" in r.json()
    assert r.headers["access-control-allow-origin"] == "*"


def test_cors(client, server):
    r = client.options("/sparql", headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                                          "Access-Control-Request-Headers": "Content-Type"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "https://app.example"
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://app.example"})
    assert r.headers["access-control-allow-origin"] == "https://app.example"
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_index_health_and_unknown_routes(client):
    assert "SPARQL" in client.get("/").text
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["workers"] == 2 and h["read_only"] is True
    r = client.post("/resource", data={})
    assert r.status_code == 405 and r.json()["error"]["status"] == 405


# ---- serializers against pyoxigraph's own ------------------------------------------------------


def test_serializers_match_pyoxigraph():
    store = ox.Store()
    ex = "http://example.org/"
    rows = [
        (ox.NamedNode(ex + "a"), ox.Literal(AWKWARD), ox.Literal("x", language="vi")),
        (ox.BlankNode("b0"), ox.Literal("1", datatype=ox.NamedNode(str(rns.XSD.integer))), None),
        (ox.NamedNode(ex + "c"), ox.Literal(XSS), ox.Literal("2024-01-01", datatype=ox.NamedNode(str(rns.XSD.date)))),
    ]
    for i, (s, o1, o2) in enumerate(rows):
        store.add(ox.Quad(s, ox.NamedNode(ex + "p"), o1))
        if o2 is not None:
            store.add(ox.Quad(s, ox.NamedNode(ex + f"q{i}"), o2))
    q = f"SELECT ?s ?o ?z WHERE {{ ?s <{ex}p> ?o OPTIONAL {{ ?s ?q ?z FILTER(?q != <{ex}p>) }} }}"
    native = list(store.query(q))
    for fmt, key in ((ox.QueryResultsFormat.JSON, "json"), (ox.QueryResultsFormat.XML, "xml"),
                     (ox.QueryResultsFormat.TSV, "tsv")):
        mine = serialize_solutions(["s", "o", "z"], [tuple(s) for s in store.query(q)], key)
        assert rows_of(mine, fmt) == sorted(tuple(str(t) if t is not None else "" for t in s) for s in native)
    mine_xml = serialize_solutions(["s", "o", "z"], [tuple(s) for s in store.query(q)], "xml")
    ElementTree.fromstring(mine_xml)  # well-formed


# ---- updates with a token ------------------------------------------------------------------------


def test_update_needs_token_and_then_applies(tmp_path):
    build_store(tmp_path)
    app = create_app(str(tmp_path), update_token="s3cret", timeout_s=5)
    ins = "INSERT DATA { GRAPH <https://w3id.org/plg/graph/test> { <https://w3id.org/plg/x> <http://example.org/p> 1 } }"
    ask = "ASK { <https://w3id.org/plg/x> <http://example.org/p> 1 }"
    with BackgroundServer(app) as srv, httpx.Client(base_url=srv.url, timeout=30) as c:
        assert c.get("/health").json()["read_only"] is False
        r = c.post("/sparql", data={"update": ins})
        assert r.status_code == 403 and "token" in r.json()["error"]["message"]
        r = c.post("/sparql", data={"update": ins}, headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 403
        assert c.get("/sparql", params={"query": ask}).json()["boolean"] is False
        r = c.post("/sparql", content=ins.encode(), headers={"Authorization": "Bearer s3cret",
                                                             "Content-Type": "application/sparql-update"})
        assert r.status_code == 204, r.text
        assert c.get("/sparql", params={"query": ask}).json()["boolean"] is True
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }"
        r = c.post("/sparql", data={"update": ins.replace("graph/test", "graph/test2")},
                   headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 204  # the same triple in a second graph is still one triple
        assert c.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"] == "1"
        for g in ("test", "test2"):
            r = c.post("/sparql", data={"update": f"DROP GRAPH <https://w3id.org/plg/graph/{g}>"},
                       headers={"Authorization": "Bearer s3cret"})
            assert r.status_code == 204
            assert c.get("/sparql", params={"query": ask}).json()["boolean"] is (g == "test")
        r = c.post("/sparql", data={"update": "INSERT DATA { <a"}, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 400
        r = c.post("/sparql", data={"update": ins}, headers={"Authorization": "Bearer s3cret"},
                   params={"using-graph-uri": "http://example.org/"})
        assert r.status_code == 403
        sd = c.get("/sparql", headers={"Accept": "text/turtle"}).text
        assert "SPARQL11Update" in sd


def test_missing_or_invalid_store_is_a_store_error(tmp_path):
    from graph.errors import StoreError

    with pytest.raises(StoreError, match="no store"):
        create_app(str(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError):
        create_app(str(tmp_path / "empty"))

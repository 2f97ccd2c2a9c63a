"""The publishing layer: a SPARQL 1.1 Protocol endpoint and linked-data pages over the store.

``create_app(store_location, …)`` returns a Starlette application; ``run_server`` serves it with
uvicorn (``policygraph serve``). Routes:

- ``GET|POST /sparql`` — SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/): ``query``
  by GET, by POST ``application/x-www-form-urlencoded`` or POST ``application/sparql-query``;
  ``default-graph-uri`` / ``named-graph-uri``. SELECT/ASK results as JSON, XML, CSV, TSV;
  CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD, RDF/XML — chosen from the ``Accept`` header
  (q-values, wildcards, several types) or a ``format`` / ``output`` / ``results`` parameter (which
  wins). Without a query: the SPARQL service description (RDF by ``Accept``; an HTML query form for
  browsers). ``update`` (POST form or ``application/sparql-update``) is refused with 403 unless
  the app was created with ``update_token`` and the request carries ``Authorization: Bearer
  <token>``.
- ``GET /resource?iri=…`` and ``GET /{path}`` (``https://w3id.org/plg/{path}``): the triples about
  a resource (outgoing and incoming), as HTML (escaped), Turtle, JSON-LD, N-Triples or RDF/XML.
- ``GET /.well-known/void``: VoID description with statistics. ``GET /ontology``: the ontology file
  (``ontology/policy.ttl``) as RDF, or as HTML documentation made by pyLODE (cached per file
  version). ``GET /context.jsonld``: the JSON-LD context of exports. ``GET /health``; ``GET /``:
  an index page.

Safety (defaults): bind 127.0.0.1; read-only; every query is inspected by
:mod:`graph.sparql_guard` (SERVICE, LOAD, remote/``file:`` dataset IRIs and updates are refused
with 403 — nothing is ever fetched); every query runs in a worker *process* that opened the on-disk
store read-only and is killed (SIGKILL) when it exceeds ``timeout_s`` — the process is replaced in
the background, the client gets 503; results are capped at ``max_results`` rows/triples (the
response then carries ``X-Result-Truncated: true`` and ``X-Result-Limit``). On Linux the workers
of a local store also drop network access (a fresh network namespace with no interfaces) when the
kernel allows it, so even a guard bypass could not connect anywhere.

Errors always have one JSON shape: ``{"error": {"status": <int>, "message": <str>}}``.

Consistency: workers see the store as it was when they opened it. Updates through this server
(token) wait for running queries, apply, flush and restart the workers. After an external
rebuild (``policygraph build``) restart the server — RocksDB forbids a reader alongside a
concurrent writer process (Oxigraph ``Store.read_only``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import io
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urlencode
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph import sparql_guard
from graph.errors import QueryError, StoreError
from graph.vocab import BASE, PREFIXES

log = logging.getLogger("graph.serve")

_SRC_ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = _SRC_ROOT / "ontology" / "policy.ttl"
MAX_QUERY_BYTES = 1 << 20
MAX_UPDATE_BYTES = 64 << 20
DESCRIBE_LIMIT = 2000
"""Most outgoing (and, separately, incoming) triples shown for one resource."""

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIRLANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PROPS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
               "http://data.europa.eu/eli/ontology#title", "http://purl.org/dc/terms/title")

# ---- formats and content negotiation ---------------------------------------------------------

MEDIA_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "html": "text/html; charset=utf-8",
}
"""Format key → the Content-Type sent."""

RDF_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
              "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
FORMAT_IRI = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
              "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
              "jsonld": "JSON-LD", "rdfxml": "RDF_XML"}
"""Format key → local name in the W3C format registry (https://www.w3.org/ns/formats/)."""

SOLUTION_OFFERS = (
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
    ("application/json", "json"), ("application/xml", "xml"), ("text/xml", "xml"),
    ("text/javascript", "json"), ("application/javascript", "json"),
)
"""What a SELECT/ASK result can be sent as, in server preference order (media type, key):
canonical types first, then aliases (answered with the canonical type)."""

GRAPH_OFFERS = (
    ("text/turtle", "turtle"), ("application/n-triples", "ntriples"),
    ("application/ld+json", "jsonld"), ("application/rdf+xml", "rdfxml"),
    ("application/x-turtle", "turtle"), ("application/turtle", "turtle"), ("text/plain", "ntriples"),
    ("application/x-json+ld", "jsonld"), ("application/json", "jsonld"),
    ("application/xml", "rdfxml"), ("text/xml", "rdfxml"),
)
"""What a CONSTRUCT/DESCRIBE result (or any RDF page) can be sent as, in preference order."""

HTML_OFFERS = (("text/html", "html"), ("application/xhtml+xml", "html"))

FORMAT_ALIASES = {
    "json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
    "turtle": "turtle", "ttl": "turtle", "nt": "ntriples", "ntriples": "ntriples",
    "n-triples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "rdfxml": "rdfxml",
    "rdf": "rdfxml", "rdf+xml": "rdfxml", "html": "html",
}
"""Values of the ``format``/``output``/``results`` parameter (besides media types)."""


def parse_accept(header: str | None) -> list[tuple[str, str, float, int]]:
    """Parse an HTTP ``Accept`` header (RFC 9110 §12.5.1) into ``(type, subtype, q, position)``
    tuples, lower-cased. Malformed entries and q-values are skipped / read as q=1."""
    out = []
    for pos, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if "/" not in mt:
            continue
        typ, _, sub = mt.partition("/")
        q = 1.0
        for f in fields[1:]:
            k, _, v = f.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(v.strip())))
                except ValueError:
                    q = 1.0
        out.append((typ.strip(), sub.strip(), q, pos))
    return out


def negotiate(accept: str | None, offers: Iterable[tuple[str, str]]) -> str | None:
    """Pick a format key from ``offers`` (``(media type, key)`` in server preference order) for
    an ``Accept`` header. Each offer takes the q of its most specific matching range (exact >
    ``type/*`` > ``*/*``); the highest q wins, then the more specific match, then the client's
    order, then the server's. No header (or an empty one) → the first offer. None when nothing
    is acceptable (→ 406)."""
    offers = list(offers)
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0][1] if offers else None
    excluded = set()  # keys whose own media type the client refused with q=0
    ranked = []
    for spos, (mt, key) in enumerate(offers):
        typ, _, sub = mt.partition("/")
        match = None  # (specificity, q, client position)
        for rt, rs, q, cpos in ranges:
            if rt == typ and rs == sub:
                spec = 2
            elif rt == typ and rs == "*":
                spec = 1
            elif rt == "*" and rs == "*":
                spec = 0
            else:
                continue
            if match is None or spec > match[0]:
                match = (spec, q, cpos)
        if match is None:
            continue
        if match[1] <= 0:
            if match[0] == 2:
                excluded.add(key)
            continue
        ranked.append(((match[1], match[0], -match[2], -spos), key))
    ranked = [rk for rk in ranked if rk[1] not in excluded]
    return max(ranked)[1] if ranked else None


def choose_format(accept: str | None, format_params: Iterable[str], offers) -> str | None:
    """Format key for a response: the first ``format``/``output``/``results`` parameter value
    that names one of ``offers`` (by key, alias or media type) wins; otherwise :func:`negotiate`
    on ``accept``. In the graph context ``json`` means JSON-LD and ``xml`` RDF/XML."""
    offers = list(offers)
    keys = {k for _, k in offers}
    graph = "turtle" in keys
    for raw in format_params:
        v = (raw or "").strip().lower()
        key = FORMAT_ALIASES.get(v)
        if key is None and "/" in v:
            key = next((k for mt, k in offers if mt == v.split(";")[0].strip()), None)
        if graph and key == "json":
            key = "jsonld"
        if graph and key == "xml":
            key = "rdfxml"
        if key in keys:
            return key
    return negotiate(accept, offers)


# ---- term encoding and result serializers ---------------------------------------------------


def encode_term(t) -> tuple | None:
    """pyoxigraph term → picklable tuple: ``("u", iri)``, ``("b", id)``, ``("l", value, lang,
    datatype)``, ``("t", s, p, o)`` for quoted triples; None stays None."""
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("u", t.value)
    if isinstance(t, ox.BlankNode):
        return ("b", t.value)
    if isinstance(t, ox.Literal):
        return ("l", t.value, t.language, t.datatype.value if t.datatype else None)
    if isinstance(t, ox.Triple):
        return ("t", encode_term(t.subject), encode_term(t.predicate), encode_term(t.object))
    raise TypeError(f"not an RDF term: {t!r}")


def decode_term(tup):
    """Inverse of :func:`encode_term`."""
    if tup is None:
        return None
    kind = tup[0]
    if kind == "u":
        return ox.NamedNode(tup[1])
    if kind == "b":
        return ox.BlankNode(tup[1])
    if kind == "l":
        if tup[2]:
            return ox.Literal(tup[1], language=tup[2])
        return ox.Literal(tup[1], datatype=ox.NamedNode(tup[3]) if tup[3] else None)
    return ox.Triple(decode_term(tup[1]), decode_term(tup[2]), decode_term(tup[3]))


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
            direction = getattr(t, "direction", None)
            if direction is not None:
                d["its:dir"] = str(direction).rsplit(".", 1)[-1].lower()
        elif t.datatype is not None and t.datatype.value != XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": {"subject": _json_term(t.subject),
                                        "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _xml_text(s: str) -> str:
    # XML 1.0 cannot carry most C0 controls; replace them rather than emit an unparsable document.
    s = "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "\ufffd" for c in s)
    return xml_escape(s)


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{_xml_text(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{_xml_text(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{_xml_text(t.value)}</literal>"
        if t.datatype is not None and t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{_xml_text(t.value)}</literal>"
        return f"<literal>{_xml_text(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}"
            f"</predicate><object>{_xml_term(t.object)}</object></triple>")


def _csv_field(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        s = "_:" + t.value
    elif isinstance(t, ox.NamedNode | ox.Literal):
        s = t.value
    else:
        s = str(t)
    if any(c in s for c in ',"\n\r'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def serialize_solutions(variables: list[str], rows: list[tuple], fmt: str) -> bytes:
    """Serialize SELECT results (``rows``: tuples of pyoxigraph terms or None, in ``variables``
    order) as ``fmt`` ∈ json | xml | csv | tsv, following the W3C SPARQL 1.1 Query Results
    JSON / XML / CSV-TSV recommendations (CSV and TSV lines end with CRLF / LF)."""
    if fmt == "json":
        head = json.dumps({"vars": variables}, ensure_ascii=False)
        parts = [json.dumps({v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None},
                            ensure_ascii=False, separators=(",", ":")) for row in rows]
        return ('{"head":' + head + ',"results":{"bindings":[' + ",".join(parts) + "]}}").encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt == "csv":
        lines = [",".join(_csv_field(ox.Literal(v)) for v in variables)]
        lines += [",".join(_csv_field(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unknown results format {fmt!r}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """Serialize an ASK result as ``fmt`` ∈ json | xml | csv | tsv (CSV/TSV: the bare word, as
    Oxigraph and Jena write it; the W3C note does not define booleans)."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return (b"true" if value else b"false") + (b"\r\n" if fmt == "csv" else b"\n")


def serialize_triples(triples: Iterable, fmt: str) -> bytes:
    """Serialize ``ox.Triple`` s as ``fmt`` ∈ turtle | ntriples | jsonld | rdfxml (sorted, with
    the product's prefixes where the format has them)."""
    ts = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(ts, format=RDF_FORMAT[fmt], prefixes=_prefixes())


def _prefixes() -> dict[str, str]:
    p = {k: str(v) for k, v in PREFIXES.items()}
    p.update({"void": VOID, "sd": SD})
    return p


def error_body(status: int, message: str) -> bytes:
    """The one error shape: ``{"error": {"status": …, "message": …}}`` as JSON bytes."""
    return json.dumps({"error": {"status": status, "message": message}}, ensure_ascii=False).encode()


def error_response(status: int, message: str, headers: dict | None = None) -> Response:
    """A JSON error response (see :func:`error_body`)."""
    return Response(error_body(status, message), status_code=status, media_type="application/json",
                    headers=headers)


# ---- worker process ---------------------------------------------------------------------------

_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000


def _drop_network() -> bool:
    """Move this (single-threaded, freshly spawned) process into a new network namespace with no
    interfaces, so that it cannot open any connection. Linux only, best effort: True if done."""
    try:
        import ctypes  # noqa: PLC0415

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(_CLONE_NEWNET) == 0:
            return True
        return libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def _is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


class _Backend:
    """What a worker queries: a read-only on-disk Oxigraph store, or a :class:`RemoteStore`."""

    def __init__(self, location: str):
        self.remote = _is_remote(location)
        if self.remote:
            from graph.remote import RemoteStore  # noqa: PLC0415

            self.store = RemoteStore(location)
        else:
            try:
                self.store = ox.Store.read_only(location)
            except OSError as e:
                raise StoreError(f"cannot open store at {location} read-only: {e}") from e
            from graph.store import has_materialized_default  # noqa: PLC0415

            self.union_view = not has_materialized_default(self.store)

    def query(self, text: str, *, union: bool, default_graph=None, named_graphs=None):
        if self.remote:
            return self.store.query(text, default_graph=default_graph, named_graphs=named_graphs)
        kw = {}
        if default_graph is not None:
            kw["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        if named_graphs is not None:
            kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        # the default graph is already the merge of the named graphs (graph.store docstring)
        return self.store.query(text, use_default_graph_as_union=union and not kw and self.union_view, **kw)


def _response(status: int, fmt: str | None, body: bytes, headers: dict | None = None) -> tuple:
    return (status, MEDIA_TYPE[fmt] if fmt else "application/json", body, headers or {})


def _error_tuple(status: int, message: str) -> tuple:
    return (status, "application/json", error_body(status, message), {})


class _WorkerHandler:
    """Executes the messages a worker receives (see :meth:`handle`)."""

    def __init__(self, backend: _Backend, max_results: int):
        self.backend = backend
        self.max_results = max_results

    def handle(self, msg: dict) -> tuple:
        """``msg["op"]``: ``"query"`` (client query; guard, negotiate, execute, serialize → a
        response tuple ``(status, content type, body, headers)``) or ``"select"`` (trusted
        internal SELECT queries → ``("ok", [(variables, rows of encoded terms, truncated)])``)."""
        try:
            if msg["op"] == "query":
                return self._client_query(msg)
            if msg["op"] == "select":
                return ("ok", [self._select(q, msg.get("limit", self.max_results)) for q in msg["queries"]])
            return _error_tuple(500, f"unknown worker op {msg['op']!r}")
        except QueryError as e:
            return _error_tuple(e.status, str(e))
        except SyntaxError as e:
            return _error_tuple(400, f"SPARQL syntax error: {e}")
        except ValueError as e:
            return _error_tuple(400, f"query error: {e}")
        except (OSError, RuntimeError, StoreError) as e:
            return _error_tuple(500, f"query evaluation failed: {e}")

    def _select(self, text: str, limit: int):
        res = self.backend.query(text, union=True)
        variables = [v.value for v in res.variables]
        rows = [tuple(encode_term(t) for t in sol) for sol in islice(res, limit + 1)]
        return variables, rows[:limit], len(rows) > limit

    def _client_query(self, msg: dict) -> tuple:
        text = msg["query"]
        dg, ng = msg.get("default_graph"), msg.get("named_graphs")
        insp = sparql_guard.check(text, allow_update=False, protocol_graphs=[*(dg or ()), *(ng or ())])
        if dg is not None or ng is not None:
            dg, ng = list(dg or ()), list(ng or ())
        # Parse and plan first (evaluation is lazy), so a syntax error is a 400 whatever Accept says
        # and the format is chosen for the result kind the engine reports.
        res = self.backend.query(text, union=not insp.has_dataset, default_graph=dg, named_graphs=ng)
        graph = not isinstance(res, ox.QueryBoolean | ox.QuerySolutions | bool)
        offers = GRAPH_OFFERS if graph else SOLUTION_OFFERS
        fmt = choose_format(msg.get("accept"), msg.get("formats", ()), offers)
        if fmt is None:
            kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
            avail = ", ".join(dict.fromkeys(mt for mt, _ in offers))
            return _error_tuple(406, f"none of the types in Accept ({msg.get('accept')}) can carry a {kind} "
                                     f"result; available: {avail}")
        cap = self.max_results
        headers = {"Vary": "Accept"}
        if isinstance(res, ox.QueryBoolean | bool):
            return _response(200, fmt, serialize_boolean(bool(res), fmt), headers)
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = [tuple(sol) for sol in islice(res, cap + 1)]
            truncated = len(rows) > cap
            body = serialize_solutions(variables, rows[:cap], fmt)
        else:
            triples = list(islice(res, cap + 1))
            truncated = len(triples) > cap
            body = serialize_triples(triples[:cap], fmt)
        if truncated:
            headers.update({"X-Result-Truncated": "true", "X-Result-Limit": str(cap)})
        return _response(200, fmt, body, headers)


def _worker_entry() -> None:
    """``python -c "from graph.serve import _worker_entry; _worker_entry()" FD JSON``: the command
    line of a query worker. FD is the inherited end of a socket pair; JSON holds the keyword
    arguments of :func:`_worker_main`. A fresh interpreter (not ``multiprocessing`` spawn) so the
    parent's ``__main__`` module is never re-imported."""
    _worker_main(Connection(int(sys.argv[1])), **json.loads(sys.argv[2]))


def _worker_main(conn, location: str, max_results: int, sandbox: bool, memory_mb: int | None) -> None:
    """Body of a query worker process.

    Protocol over ``conn`` (a ``multiprocessing.connection.Connection``): first sends
    ``("ready", info)`` or ``("error", message)``; then answers each message dict (see
    :meth:`_WorkerHandler.handle`) with one tuple, until it receives None or the pipe closes.
    """
    sandboxed = _drop_network() if sandbox and not _is_remote(location) else False
    if memory_mb:
        import resource  # noqa: PLC0415

        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    parent = os.getppid()

    def orphan_watch():  # pyoxigraph releases the GIL while evaluating, so this runs meanwhile
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(3)  # the server died (even by SIGKILL): do not finish a runaway query alone

    threading.Thread(target=orphan_watch, name="orphan-watch", daemon=True).start()
    try:
        handler = _WorkerHandler(_Backend(location), max_results)
        sparql_guard.preload()
    except Exception as e:  # noqa: BLE001 — reported to the parent, which raises
        conn.send(("error", f"{type(e).__name__}: {e}"))
        return
    conn.send(("ready", {"pid": os.getpid(), "sandboxed": sandboxed}))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        try:
            resp = handler.handle(msg)
        except Exception as e:  # noqa: BLE001 — never let the worker die on one request
            resp = _error_tuple(500, f"internal error: {type(e).__name__}: {e}")
        conn.send(resp)


class QueryTimeout(QueryError):
    """A query ran past the time limit and its worker process was killed (HTTP 503)."""

    def __init__(self, seconds: float):
        super().__init__(f"query stopped: it ran longer than the {seconds:g} s time limit", status=503)


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection
    generation: int
    sandboxed: bool = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None


class WorkerPool:
    """A fixed number of query worker processes, each with the store open read-only.

    ``run(msg, timeout)`` hands ``msg`` to an idle worker and waits up to ``timeout`` seconds for
    its answer; past that the worker is killed (SIGKILL — the query really stops) and a fresh one
    is started in the background. Waiting for an idle worker is bounded by ``wait_s``; past it
    the request fails with 503 (all workers busy).
    """

    def __init__(self, location: str, size: int = 2, *, max_results: int = 10000, sandbox: bool = True,
                 memory_mb: int | None = None, start_timeout_s: float = 60.0):
        self.location = location
        self.size = max(1, int(size))
        self.max_results = max_results
        self.sandbox = sandbox
        self.memory_mb = memory_mb
        self.start_timeout_s = start_timeout_s
        self._exec = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="sparql-wait")
        self._idle: asyncio.Queue | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._all: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._generation = 0
        self._closed = False
        self.killed = 0

    # -- lifecycle
    def _spawn(self) -> _Worker:
        parent_sock, child_sock = socket.socketpair()
        fd = child_sock.fileno()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(_SRC_ROOT), *filter(None, [env.get("PYTHONPATH")])])
        args = json.dumps({"location": self.location, "max_results": self.max_results,
                           "sandbox": self.sandbox, "memory_mb": self.memory_mb})
        try:
            p = subprocess.Popen([sys.executable, "-c", "from graph.serve import _worker_entry; _worker_entry()",
                                  str(fd), args], pass_fds=[fd], env=env, stdin=subprocess.DEVNULL)
        finally:
            child_sock.close()
        w = _Worker(p, Connection(parent_sock.detach()), self._generation)
        with self._lock:
            self._all[p.pid] = w
        if not w.conn.poll(self.start_timeout_s):
            self._kill(w)
            raise StoreError(f"query worker did not start within {self.start_timeout_s:g} s")
        try:
            kind, info = w.conn.recv()
        except (EOFError, OSError) as e:
            self._kill(w)
            raise StoreError(f"query worker died while starting (exit code {p.poll()})") from e
        if kind != "ready":
            self._kill(w)
            raise StoreError(f"query worker could not start: {info}")
        w.sandboxed = bool(info.get("sandboxed"))
        return w

    def _kill(self, w: _Worker) -> None:
        with contextlib.suppress(Exception):
            w.process.kill()
        with contextlib.suppress(Exception):
            w.process.wait(5)
        with contextlib.suppress(Exception):
            w.conn.close()
        with self._lock:
            self._all.pop(w.pid, None)

    def _release(self, w: _Worker) -> None:
        """Give a worker back (from any thread); stale or surplus workers are stopped instead."""
        if self._closed or w.generation != self._generation:
            self._kill(w)
            return
        self._loop.call_soon_threadsafe(self._idle.put_nowait, w)

    def _replace(self) -> None:
        """Start one worker in the background and make it available when ready."""

        def run():
            if self._closed:
                return
            try:
                w = self._spawn()
            except StoreError as e:
                log.error("could not replace a query worker: %s", e)
                return
            self._release(w)

        threading.Thread(target=run, name="sparql-worker-spawn", daemon=True).start()

    async def start(self) -> None:
        """Start all workers (in parallel) and wait until they are ready. Raises StoreError."""
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        self._closed = False
        workers = await asyncio.gather(*(self._loop.run_in_executor(self._exec, self._spawn)
                                         for _ in range(self.size)), return_exceptions=True)
        errors = [w for w in workers if isinstance(w, BaseException)]
        for w in workers:
            if isinstance(w, _Worker):
                if errors:
                    self._kill(w)
                else:
                    self._idle.put_nowait(w)
        if errors:
            raise errors[0]
        if self.sandbox and not _is_remote(self.location) and not all(w.sandboxed for w in workers):
            log.warning("query workers could not drop network access (no network namespaces); "
                        "relying on the query guard alone")

    async def recycle(self) -> None:
        """Replace every worker (after the store changed). Call with no query in flight."""
        self._generation += 1
        while not self._idle.empty():
            self._kill(self._idle.get_nowait())
        fresh = await asyncio.gather(*(self._loop.run_in_executor(self._exec, self._spawn)
                                       for _ in range(self.size)))
        for w in fresh:
            self._idle.put_nowait(w)

    async def stop(self) -> None:
        """Stop every worker (idle or busy) and the helper threads."""
        self._closed = True
        with self._lock:
            workers = list(self._all.values())
        for w in workers:
            await asyncio.get_running_loop().run_in_executor(None, self._kill, w)
        self._exec.shutdown(wait=False, cancel_futures=True)

    def pids(self) -> list[int]:
        """Process ids of the live workers (idle, busy or starting)."""
        with self._lock:
            return sorted(pid for pid, w in self._all.items() if w.alive())

    @property
    def sandboxed(self) -> bool:
        """True when every live worker runs without network access."""
        with self._lock:
            return bool(self._all) and all(w.sandboxed for w in self._all.values())

    # -- running
    def _job(self, w: _Worker, msg: dict, timeout: float):
        try:
            w.conn.send(msg)
            if w.conn.poll(timeout):
                resp = w.conn.recv()
                self._release(w)
                return resp
        except (EOFError, OSError, BrokenPipeError):
            code = w.process.poll()
            self._kill(w)
            self._replace()
            return _error_tuple(503, f"query worker died (exit code {code}); the query may need more "
                                     f"memory than allowed")
        self._kill(w)
        self.killed += 1
        self._replace()
        raise QueryTimeout(timeout)

    async def run(self, msg: dict, timeout: float, wait_s: float | None = None):
        """Run ``msg`` on a worker; returns its answer tuple. Raises :class:`QueryTimeout` (the
        worker was killed) or :class:`QueryError` (503: no worker became free within
        ``wait_s``, default ``timeout`` + 5 s)."""
        if self._idle is None:
            raise QueryError("the query workers are not running", status=503)
        wait_s = timeout + 5.0 if wait_s is None else wait_s
        try:
            async with asyncio.timeout(wait_s):
                w = await self._idle.get()
        except TimeoutError:
            raise QueryError("all query workers are busy; try again later", status=503) from None
        submitted = False
        try:
            fut = self._loop.run_in_executor(self._exec, self._job, w, msg, timeout)
            submitted = True
        finally:
            if not submitted:
                self._release(w)
        return await fut


class _Gate:
    """Readers–writer gate: queries share it, an update waits for them and excludes new ones."""

    def __init__(self):
        self._cond = asyncio.Condition()
        self._readers = 0
        self._writers = 0

    @contextlib.asynccontextmanager
    async def read(self):
        async with self._cond:
            await self._cond.wait_for(lambda: self._writers == 0)
            self._readers += 1
        try:
            yield
        finally:
            async with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.asynccontextmanager
    async def write(self):
        async with self._cond:
            self._writers += 1
            await self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            async with self._cond:
                self._writers -= 1
                self._cond.notify_all()


# ---- HTML ---------------------------------------------------------------------------------------

_CSS = ("body{font-family:system-ui,sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;"
        "text-align:left;vertical-align:top}code,small{color:#555}nav a{margin-right:1em}"
        "textarea{width:100%;font-family:monospace}")
HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"


def _esc(s) -> str:
    return html.escape(str(s), quote=True)


def _page(title: str, body: str, head_extra: str = "") -> str:
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_esc(title)}</title><style>{_CSS}</style>{head_extra}</head><body>"
            "<nav><a href=\"/\">Policy linkage graph</a><a href=\"/sparql\">SPARQL</a>"
            "<a href=\"/ontology\">Ontology</a><a href=\"/.well-known/void\">VoID</a></nav>"
            f"{body}</body></html>\n")


def html_response(text: str, status: int = 200, csp: str = HTML_CSP, headers: dict | None = None) -> Response:
    """An HTML response with a restrictive Content-Security-Policy (no scripts)."""
    h = {"Content-Security-Policy": csp, "Vary": "Accept"}
    h.update(headers or {})
    return Response(text.encode(), status_code=status, media_type="text/html; charset=utf-8", headers=h)


def local_path(iri: str) -> str | None:
    """Server path of an IRI minted under BASE (``https://w3id.org/plg/eli/…`` → ``/eli/…``)."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else None


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in a known namespace, else the IRI."""
    best = None
    for p, ns in _prefixes().items():
        ns = str(ns)
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (p, ns)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


def _html_term(t, labels: dict[str, str]) -> str:
    if isinstance(t, ox.NamedNode):
        text = labels.get(t.value) or compact(t.value)
        href = local_path(t.value)
        if href is None and t.value.startswith(("http://", "https://")):
            href = t.value
        title = f' title="{_esc(t.value)}"'
        if href is None:
            return f"<code{title}>{_esc(text)}</code>"
        rel = "" if local_path(t.value) else ' rel="nofollow noopener"'
        return f'<a href="{_esc(href)}"{title}{rel}>{_esc(text)}</a>'
    if isinstance(t, ox.BlankNode):
        return f"<code>_:{_esc(t.value)}</code>"
    if isinstance(t, ox.Literal):
        extra = ""
        if t.language:
            extra = f" <small>@{_esc(t.language)}</small>"
        elif t.datatype is not None and t.datatype.value != XSD_STRING:
            extra = f" <small>^^{_esc(compact(t.datatype.value))}</small>"
        return f"{_esc(t.value)}{extra}"
    return f"<code>{_esc(str(t))}</code>"


# ---- the application ----------------------------------------------------------------------------


def _hostport(request: Request) -> str:
    return str(request.base_url).rstrip("/")


class _App:
    """State and handlers behind :func:`create_app`."""

    def __init__(self, location: str, *, timeout_s: float, max_results: int, update_token: str | None,
                 workers: int, ontology_path: Path, sandbox: bool, memory_mb: int | None):
        self.location = location
        self.timeout_s = float(timeout_s)
        self.max_results = int(max_results)
        self.update_token = update_token or None
        self.ontology_path = Path(ontology_path)
        self.pool = WorkerPool(location, workers, max_results=self.max_results, sandbox=sandbox,
                               memory_mb=memory_mb)
        self.gate = _Gate()
        self.writer = None
        self._void_cache: dict[int, list] = {}
        self._onto_cache: dict[tuple, str] = {}
        self._onto_lock = threading.Lock()
        self.generation = 0
        if not _is_remote(location):
            if not Path(location).is_dir():
                raise StoreError(f"no store at {location} (build one first: policygraph build)")
            if self.update_token:
                from graph.store import GraphStore  # noqa: PLC0415

                self.writer = GraphStore(location)
            else:
                try:
                    probe = ox.Store.read_only(location)
                    del probe
                except OSError as e:
                    raise StoreError(f"cannot open store at {location} read-only: {e}") from e

    # -- helpers
    async def _run(self, msg: dict):
        async with self.gate.read():
            return await self.pool.run(msg, self.timeout_s)

    async def _select(self, queries: list[str], limit: int | None = None):
        resp = await self._run({"op": "select", "queries": queries, "limit": limit or self.max_results})
        if resp[0] != "ok":
            status, _, body, _ = resp
            raise QueryError(json.loads(body)["error"]["message"], status=status)
        return resp[1]

    # -- /sparql
    async def sparql(self, request: Request) -> Response:
        params = request.query_params
        q_list, u_list = params.getlist("query"), params.getlist("update")
        dg, ng = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
        formats = [*params.getlist("format"), *params.getlist("output"), *params.getlist("results")]
        update_graphs = [*params.getlist("using-graph-uri"), *params.getlist("using-named-graph-uri")]
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await _read_body(request, MAX_UPDATE_BYTES if self.update_token else 4 * MAX_QUERY_BYTES)
            if ctype == "application/x-www-form-urlencoded":
                form = _parse_form(body)
                q_list, u_list = form.get("query", []) + q_list, form.get("update", []) + u_list
                dg = form.get("default-graph-uri", []) + dg
                ng = form.get("named-graph-uri", []) + ng
                update_graphs += form.get("using-graph-uri", []) + form.get("using-named-graph-uri", [])
                formats = form.get("format", []) + form.get("output", []) + form.get("results", []) + formats
            elif ctype == "application/sparql-query":
                q_list = [_decode(body)] + q_list
            elif ctype == "application/sparql-update":
                u_list = [_decode(body)] + u_list
            else:
                return error_response(415, f"unsupported Content-Type {ctype or '(none)'}: use "
                                           "application/x-www-form-urlencoded, application/sparql-query "
                                           "or application/sparql-update")
        if q_list and u_list:
            return error_response(400, "a request carries either query or update, not both")
        if len(q_list) > 1 or len(u_list) > 1:
            return error_response(400, "exactly one query (or update) per request")
        if u_list:
            if request.method != "POST":
                return error_response(405, "SPARQL Update must be sent with POST", {"Allow": "POST"})
            return await self._update(request, u_list[0], update_graphs)
        if not q_list:
            return await self.service_description(request, formats)
        query = q_list[0]
        if len(query.encode()) > MAX_QUERY_BYTES:
            return error_response(413, f"query longer than {MAX_QUERY_BYTES} bytes")
        if not query.strip():
            return error_response(400, "empty query")
        msg = {"op": "query", "query": query, "accept": request.headers.get("accept"), "formats": formats,
               "default_graph": dg or None, "named_graphs": ng or None}
        if not dg and ng:
            msg["default_graph"] = []
        if dg and not ng:
            msg["named_graphs"] = []
        try:
            status, ctype, body, headers = await self._run(msg)
        except QueryError as e:
            return error_response(e.status, str(e))
        return Response(body, status_code=status, media_type=ctype, headers=headers)

    async def _update(self, request: Request, text: str, using: list[str]) -> Response:
        if not self.update_token:
            return error_response(403, "SPARQL Update is refused: this endpoint is read-only")
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                                  self.update_token.encode()):
            return error_response(403, "SPARQL Update is refused: missing or wrong update token "
                                       "(Authorization: Bearer …)")
        try:
            insp = await asyncio.to_thread(sparql_guard.check, text, allow_update=True, protocol_graphs=using)
        except QueryError as e:
            return error_response(e.status, str(e))
        if insp.kind != "update":
            return error_response(400, "the update parameter holds a query; send it as query=")
        if using:
            return error_response(400, "using-graph-uri / using-named-graph-uri are not supported; "
                                       "use USING in the update text")
        async with self.gate.write():
            try:
                await asyncio.to_thread(self._apply_update, text)
            except SyntaxError as e:
                return error_response(400, f"SPARQL syntax error: {e}")
            except (QueryError, StoreError) as e:
                return error_response(getattr(e, "status", 500), str(e))
            except (OSError, ValueError, RuntimeError) as e:
                return error_response(400, f"update failed: {e}")
            self.generation += 1
            self._void_cache.clear()
            if not _is_remote(self.location):
                try:
                    await self.pool.recycle()  # workers re-open the store and see the change
                except StoreError as e:
                    return error_response(500, f"update applied, but the query workers did not restart: {e}")
        return Response(status_code=204)

    def _apply_update(self, text: str) -> None:
        if self.writer is not None:
            self.writer.ox.update(text)
            self.writer.resync_default_graph()  # the update wrote named graphs only
            self.writer.flush()
        else:
            from graph.remote import RemoteStore  # noqa: PLC0415

            RemoteStore(self.location).update(text)

    async def service_description(self, request: Request, formats: list[str]) -> Response:
        """SPARQL 1.1 Service Description (https://www.w3.org/TR/sparql11-service-description/)."""
        fmt = choose_format(request.headers.get("accept"), formats, GRAPH_OFFERS + HTML_OFFERS)
        if fmt is None:
            return error_response(406, "acceptable: " + ", ".join(mt for mt, _ in GRAPH_OFFERS + HTML_OFFERS))
        if fmt == "html":
            return html_response(_query_form_page())
        endpoint = ox.NamedNode(_hostport(request) + "/sparql")
        n = ox.NamedNode
        t = []
        ds, dg = ox.BlankNode(), ox.BlankNode()
        t += [ox.Triple(endpoint, n(RDF_TYPE), n(SD + "Service")),
              ox.Triple(endpoint, n(SD + "endpoint"), endpoint),
              ox.Triple(endpoint, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
              ox.Triple(endpoint, n(SD + "feature"), n(SD + "UnionDefaultGraph")),
              ox.Triple(endpoint, n(SD + "defaultEntailmentRegime"), n("http://www.w3.org/ns/entailment/Simple")),
              ox.Triple(endpoint, n(SD + "defaultDataset"), ds),
              ox.Triple(ds, n(RDF_TYPE), n(SD + "Dataset")),
              ox.Triple(ds, n(SD + "defaultGraph"), dg),
              ox.Triple(dg, n(RDF_TYPE), n(SD + "Graph")),
              ox.Triple(ds, n(DCT + "description"),
                        ox.Literal("The default graph is the union of all named graphs (one per source "
                                   "document).", language="en")),
              ox.Triple(endpoint, n(DCT + "title"), ox.Literal("Policy linkage graph SPARQL endpoint",
                                                               language="en"))]
        if self.update_token:
            t.append(ox.Triple(endpoint, n(SD + "supportedLanguage"), n(SD + "SPARQL11Update")))
        for key in ("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"):
            t.append(ox.Triple(endpoint, n(SD + "resultFormat"), n(FORMATS_NS + FORMAT_IRI[key])))
        return _rdf_response(t, fmt)

    # -- linked data
    async def resource(self, request: Request) -> Response:
        iri = request.query_params.get("iri")
        if not iri:
            return error_response(400, "missing parameter iri")
        return await self._describe(request, iri, self_href="/resource?" + urlencode({"iri": iri}))

    async def resource_path(self, request: Request) -> Response:
        path = request.path_params["path"]
        return await self._describe(request, BASE + path, self_href="/" + path)

    async def _describe(self, request: Request, iri: str, self_href: str) -> Response:
        try:
            node = ox.NamedNode(iri)
        except ValueError as e:
            return error_response(400, f"not a valid IRI: {e}")
        formats = request.query_params.getlist("format")
        fmt = choose_format(request.headers.get("accept"), formats,
                            GRAPH_OFFERS[:1] + HTML_OFFERS + GRAPH_OFFERS[1:])
        if fmt is None:
            return error_response(406, "acceptable: text/html, " + ", ".join(mt for mt, _ in GRAPH_OFFERS))
        try:
            (_, out_rows, out_more), (_, in_rows, in_more) = await self._select([
                f"SELECT ?p ?o WHERE {{ {node} ?p ?o }}",
                f"SELECT ?s ?p WHERE {{ ?s ?p {node} }}",
            ], limit=DESCRIBE_LIMIT)
        except QueryError as e:
            return error_response(e.status, str(e))
        if not out_rows and not in_rows:
            return error_response(404, f"nothing is known about <{iri}>")
        out = [ox.Triple(node, decode_term(p), decode_term(o)) for p, o in out_rows]
        inc = [ox.Triple(decode_term(s), decode_term(p), node) for s, p in in_rows]
        if fmt != "html":
            more = {"X-Result-Truncated": "true", "X-Result-Limit": str(DESCRIBE_LIMIT)} if out_more or in_more else {}
            return _rdf_response(out + inc, fmt, more)
        labels = await self._labels({iri} | {t.value for tr in out + inc for t in (tr.subject, tr.predicate,
                                                                                    tr.object)
                                            if isinstance(t, ox.NamedNode)})
        return html_response(_resource_page(iri, out, inc, labels, out_more or in_more, self_href))

    async def _labels(self, iris: set[str]) -> dict[str, str]:
        iris = sorted(iris)[:500]
        if not iris:
            return {}
        values = " ".join(str(ox.NamedNode(i)) for i in iris)
        props = " ".join(f"<{p}>" for p in LABEL_PROPS)
        q = (f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {props} }} ?x ?p ?l "
             "FILTER(isLiteral(?l)) }")
        try:
            [(_, rows, _)] = await self._select([q], limit=5000)
        except QueryError:
            return {}
        rank: dict[str, tuple] = {}
        for x, lab in rows:
            lang = (lab[2] or "").lower()
            score = 0 if lang == "vi" else 1 if lang == "en" else 2 if not lang else 3
            if x[1] not in rank or (score, lab[1]) < rank[x[1]]:
                rank[x[1]] = (score, lab[1])
        return {k: v[1] for k, v in rank.items()}

    async def void(self, request: Request) -> Response:
        """VoID description (https://www.w3.org/TR/void/) of the dataset behind this server."""
        fmt = choose_format(request.headers.get("accept"), request.query_params.getlist("format"), GRAPH_OFFERS)
        if fmt is None:
            return error_response(406, "acceptable: " + ", ".join(mt for mt, _ in GRAPH_OFFERS))
        stats = self._void_cache.get(self.generation)
        if stats is None:
            try:
                stats = await self._select([
                    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
                    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
                ], limit=5000)
                self._void_cache[self.generation] = stats
            except QueryError as e:
                log.warning("VoID statistics unavailable: %s", e)
                stats = None
        root = _hostport(request)
        doc = ox.NamedNode(root + "/.well-known/void")
        ds = ox.NamedNode(root + "/.well-known/void#dataset")
        n = ox.NamedNode
        t = [ox.Triple(doc, n(RDF_TYPE), n(VOID + "DatasetDescription")),
             ox.Triple(doc, n(FOAF + "primaryTopic"), ds),
             ox.Triple(ds, n(RDF_TYPE), n(VOID + "Dataset")),
             ox.Triple(ds, n(DCT + "title"), ox.Literal("Policy linkage graph", language="en")),
             ox.Triple(ds, n(DCT + "description"), ox.Literal(
                 "Vietnamese policy documents, their references, agencies and tasks, as RDF (ELI, W3C ORG, "
                 "SKOS, PROV-O).", language="en")),
             ox.Triple(ds, n(VOID + "sparqlEndpoint"), n(root + "/sparql")),
             ox.Triple(ds, n(VOID + "uriLookupEndpoint"), n(root + "/resource?iri=")),
             ox.Triple(ds, n(VOID + "uriSpace"), ox.Literal(BASE)),
             ox.Triple(ds, n(VOID + "rootResource"), n(BASE + "ontology"))]
        for ns in ("eli", "org", "dct", "skos", "prov", "foaf", "oa", "plg"):
            t.append(ox.Triple(ds, n(VOID + "vocabulary"), n(str(PREFIXES[ns]))))
        for key in ("turtle", "ntriples", "jsonld", "rdfxml"):
            t.append(ox.Triple(ds, n(VOID + "feature"), n(FORMATS_NS + FORMAT_IRI[key])))
        if stats:
            xint = n("http://www.w3.org/2001/XMLSchema#integer")
            (_, total, _), (_, classes, _), (_, props, _) = stats

            def num(row):
                return ox.Literal(str(row[-1][1]), datatype=xint)

            if total:
                t.append(ox.Triple(ds, n(VOID + "triples"), num(total[0])))
            t.append(ox.Triple(ds, n(VOID + "classes"), ox.Literal(str(len(classes)), datatype=xint)))
            t.append(ox.Triple(ds, n(VOID + "properties"), ox.Literal(str(len(props)), datatype=xint)))
            for row in classes:
                if row[0] and row[0][0] == "u":
                    b = ox.BlankNode()
                    t += [ox.Triple(ds, n(VOID + "classPartition"), b),
                          ox.Triple(b, n(VOID + "class"), n(row[0][1])),
                          ox.Triple(b, n(VOID + "entities"), num(row))]
            for row in props:
                if row[0] and row[0][0] == "u":
                    b = ox.BlankNode()
                    t += [ox.Triple(ds, n(VOID + "propertyPartition"), b),
                          ox.Triple(b, n(VOID + "property"), n(row[0][1])),
                          ox.Triple(b, n(VOID + "triples"), num(row))]
        return _rdf_response(t, fmt)

    async def ontology(self, request: Request) -> Response:
        """The ontology file: RDF by Accept, or pyLODE HTML (cached per file version)."""
        path = self.ontology_path
        if not path.is_file():
            return error_response(404, f"no ontology file at {path.name}")
        fmt = choose_format(request.headers.get("accept"), request.query_params.getlist("format"),
                            GRAPH_OFFERS[:1] + HTML_OFFERS + GRAPH_OFFERS[1:])
        if fmt is None:
            return error_response(406, "acceptable: text/html, " + ", ".join(mt for mt, _ in GRAPH_OFFERS))
        data = path.read_bytes()
        if fmt == "turtle":
            return Response(data, media_type=MEDIA_TYPE["turtle"], headers={"Vary": "Accept"})
        if fmt != "html":
            try:
                triples = [ox.Triple(q.subject, q.predicate, q.object)
                           for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
            except SyntaxError as e:
                return error_response(500, f"the ontology file does not parse: {e}")
            return _rdf_response(triples, fmt)
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        page = self._onto_cache.get(key)
        if page is None:
            page = await asyncio.to_thread(self._render_ontology, key, data)
        return html_response(page, csp="default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                       "base-uri 'none'")

    def _render_ontology(self, key: tuple, data: bytes) -> str:
        with self._onto_lock:
            if key in self._onto_cache:
                return self._onto_cache[key]
            try:
                page = pylode_html(self.ontology_path)
            except Exception as e:  # noqa: BLE001 — pyLODE fails in many ways on drafts; fall back
                log.warning("pyLODE could not document %s: %s", self.ontology_path, e)
                page = _plain_ontology_page(data, f"{type(e).__name__}: {e}")
            self._onto_cache.clear()
            self._onto_cache[key] = page
            return page

    async def context(self, request: Request) -> Response:
        """The JSON-LD context (``ontology/context.jsonld``, next to the ontology file) that
        ``policygraph export --format jsonld`` refers to as ``https://w3id.org/plg/context.jsonld``.
        Public and static, so any origin may read it (JSON-LD processors fetch it cross-origin)."""
        path = self.ontology_path.parent / "context.jsonld"
        if not path.is_file():
            return error_response(404, "no JSON-LD context file")
        return Response(path.read_bytes(), media_type="application/ld+json",
                        headers={"Access-Control-Allow-Origin": "*"})

    async def index(self, request: Request) -> Response:
        body = ("<h1>Policy linkage graph</h1><p>A knowledge graph of Vietnamese policy documents.</p><ul>"
                "<li><a href=\"/sparql\">SPARQL endpoint</a> (<code>/sparql</code>, SPARQL 1.1 Protocol)</li>"
                "<li><a href=\"/ontology\">Ontology</a></li>"
                "<li><a href=\"/.well-known/void\">VoID description</a></li>"
                f"<li>Resources: <code>{_esc(BASE)}…</code> → <code>/…</code> or "
                "<code>/resource?iri=…</code></li></ul>")
        return html_response(_page("Policy linkage graph", body))

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "workers": len(self.pool.pids()),
                             "network_sandbox": self.pool.sandboxed, "read_only": not self.update_token})


def pylode_html(path: Path) -> str:
    """HTML documentation of an OWL ontology file, made by pyLODE (``OntPub``).

    Works around pyLODE 3.4's ``pylode.version`` reading a ``pyproject.toml`` that its wheel does
    not ship. Raises whatever pyLODE raises on an ontology it cannot document."""
    import types  # noqa: PLC0415

    try:
        from pylode import OntPub  # noqa: PLC0415
    except FileNotFoundError:
        from importlib.metadata import version  # noqa: PLC0415

        for name in [m for m in sys.modules if m == "pylode" or m.startswith("pylode.")]:
            del sys.modules[name]
        stub = types.ModuleType("pylode.version")
        stub.__version__ = version("pylode")
        sys.modules["pylode.version"] = stub
        from pylode import OntPub  # noqa: PLC0415
    root = logging.getLogger()
    guard = logging.NullHandler()
    root.addHandler(guard)  # pyLODE logs with logging.info(), which would basicConfig() the root logger
    try:
        return OntPub(ontology=str(path)).make_html()
    finally:
        root.removeHandler(guard)


def _plain_ontology_page(data: bytes, problem: str) -> str:
    g = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    subjects = sorted({q.subject.value for q in g if isinstance(q.subject, ox.NamedNode)})
    labels = {q.subject.value: q.object.value for q in g
              if q.predicate.value == "http://www.w3.org/2000/01/rdf-schema#label"
              and isinstance(q.object, ox.Literal) and (q.object.language or "en") == "en"}
    items = "".join(f"<li id=\"{_esc(s.rsplit('#', 1)[-1])}\"><code>{_esc(compact(s))}</code> "
                    f"{_esc(labels.get(s, ''))}</li>" for s in subjects)
    return _page("Ontology", f"<h1>Ontology</h1><p><small>(pyLODE failed: {_esc(problem)})</small></p>"
                             f"<p><a href=\"/ontology?format=turtle\">Turtle</a></p><ul>{items}</ul>")


def _resource_page(iri: str, out: list, inc: list, labels: dict, truncated: bool, self_href: str) -> str:
    title = labels.get(iri) or compact(iri)
    sep = "&" if "?" in self_href else "?"
    alts = [("turtle", "Turtle", "text/turtle"), ("jsonld", "JSON-LD", "application/ld+json"),
            ("ntriples", "N-Triples", "application/n-triples"), ("rdfxml", "RDF/XML", "application/rdf+xml")]
    head = "".join(f'<link rel="alternate" type="{mt}" href="{_esc(self_href + sep + "format=" + k)}">'
                   for k, _, mt in alts)
    links = ", ".join(f'<a href="{_esc(self_href + sep + "format=" + k)}">{name}</a>' for k, name, _ in alts)
    rows_out = "".join(f"<tr><td>{_html_term(t.predicate, labels)}</td><td>{_html_term(t.object, labels)}</td></tr>"
                       for t in sorted(out, key=lambda t: (compact(t.predicate.value), str(t.object))))
    rows_in = "".join(f"<tr><td>{_html_term(t.subject, labels)}</td><td>{_html_term(t.predicate, labels)}</td></tr>"
                      for t in sorted(inc, key=lambda t: (compact(t.predicate.value), str(t.subject))))
    body = [f"<h1>{_esc(title)}</h1><p><code>{_esc(iri)}</code></p><p>Also as {links}.</p>"]
    if truncated:
        body.append(f"<p><strong>Only the first {DESCRIBE_LIMIT} statements each way are shown.</strong></p>")
    if rows_out:
        body.append(f"<h2>Statements</h2><table><tr><th>Property</th><th>Value</th></tr>{rows_out}</table>")
    if rows_in:
        body.append(f"<h2>Referenced by</h2><table><tr><th>Subject</th><th>Property</th></tr>{rows_in}</table>")
    return _page(title, "".join(body), head)


def _query_form_page() -> str:
    example = ("PREFIX eli: <http://data.europa.eu/eli/ontology#>\nSELECT ?doc ?title WHERE {\n"
               "  ?doc a eli:LegalResource .\n  OPTIONAL { ?doc eli:title ?title }\n} LIMIT 20")
    opts = "".join(f'<option value="{k}">{k}</option>'
                   for k in ("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"))
    body = ("<h1>SPARQL endpoint</h1><p>SPARQL 1.1 Protocol at <code>/sparql</code> (GET or POST). "
            "Read-only; SERVICE, LOAD and remote datasets are refused.</p>"
            '<form method="get" action="/sparql"><textarea name="query" rows="12" cols="80">'
            f"{_esc(example)}</textarea><p><label>Format <select name=\"format\">{opts}</select></label> "
            '<button type="submit">Run</button></p></form>')
    return _page("SPARQL endpoint", body)


def _rdf_response(triples: list, fmt: str, headers: dict | None = None) -> Response:
    h = {"Vary": "Accept"}
    h.update(headers or {})
    return Response(serialize_triples(triples, fmt), media_type=MEDIA_TYPE[fmt], headers=h)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"request body larger than {limit} bytes")
    buf = io.BytesIO()
    async for chunk in request.stream():
        buf.write(chunk)
        if buf.tell() > limit:
            raise HTTPException(413, f"request body larger than {limit} bytes")
    return buf.getvalue()


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HTTPException(400, f"request body is not UTF-8: {e}") from e


def _parse_form(body: bytes) -> dict[str, list[str]]:
    from urllib.parse import parse_qs  # noqa: PLC0415

    try:
        return parse_qs(body.decode("ascii", errors="strict"), keep_blank_values=True, encoding="utf-8",
                        errors="strict")
    except (UnicodeDecodeError, ValueError) as e:
        raise HTTPException(400, f"malformed form body: {e}") from e


async def _http_error(request: Request, exc: HTTPException) -> Response:
    return error_response(exc.status_code, str(exc.detail), getattr(exc, "headers", None))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s", request.url.path)
    return error_response(500, f"internal error: {type(exc).__name__}")


def create_app(store_location: str, *, timeout_s: float = 10.0, max_results: int = 10000,
               update_token: str | None = None, cors_origins: Iterable[str] = (), workers: int = 2,
               ontology_path: str | os.PathLike | None = None, sandbox: bool = True,
               worker_memory_mb: int | None = None) -> Starlette:
    """Build the ASGI application (see the module docstring for routes and guarantees).

    ``store_location``: an Oxigraph store directory (opened read-only by each worker), or an
    ``http(s)://`` SPARQL endpoint URL (see :class:`graph.remote.RemoteStore`). ``timeout_s``:
    per-query wall-clock limit in seconds (the worker is killed past it; HTTP 503).
    ``max_results``: most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned. ``update_token``:
    enables SPARQL Update for requests with ``Authorization: Bearer <token>`` (the app then holds
    the store's write lock). ``cors_origins``: origins allowed by CORS (``["*"]`` for any; none by
    default). ``workers``: query worker processes (≥ 2 keeps ordinary queries answered while one
    runaway is being stopped). ``ontology_path``: defaults to ``ontology/policy.ttl`` of this
    source tree. ``sandbox``: drop network access in workers (Linux). ``worker_memory_mb``:
    address-space limit per worker.

    Raises :class:`graph.errors.StoreError` when the store does not exist or cannot be opened.
    The worker processes start with the application's lifespan (uvicorn runs it).
    """
    state = _App(str(store_location), timeout_s=timeout_s, max_results=max_results,
                 update_token=update_token, workers=workers,
                 ontology_path=Path(ontology_path) if ontology_path else ONTOLOGY_FILE,
                 sandbox=sandbox, memory_mb=worker_memory_mb)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            await state.pool.start()
        except Exception as e:
            app.state.startup_error = e
            raise
        log.info("SPARQL workers ready: %s (network sandbox: %s)", state.pool.pids(), state.pool.sandboxed)
        try:
            yield
        finally:
            await state.pool.stop()
            state.writer = None

    routes = [
        Route("/", state.index, methods=["GET"]),
        Route("/sparql", state.sparql, methods=["GET", "POST"]),
        Route("/resource", state.resource, methods=["GET"]),
        Route("/.well-known/void", state.void, methods=["GET"]),
        Route("/ontology", state.ontology, methods=["GET"]),
        Route("/context.jsonld", state.context, methods=["GET"]),
        Route("/health", state.health, methods=["GET"]),
        Route("/{path:path}", state.resource_path, methods=["GET"]),
    ]
    middleware = []
    origins = list(cors_origins or ())
    if origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Content-Type", "Authorization"],
                                     expose_headers=["X-Result-Truncated", "X-Result-Limit", "Link"],
                                     max_age=600))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.state.policygraph = state
    app.state.startup_error = None
    return app


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def run_server(store_location: str, host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info",
               **opts) -> None:
    """Serve :func:`create_app` ``(store_location, **opts)`` with uvicorn until interrupted.

    ``host`` defaults to loopback; binding elsewhere logs a warning (the endpoint is read-only
    and guarded, but it is then reachable by anyone on the network). ``opts``: the keyword
    arguments of :func:`create_app`. Raises StoreError (store missing) before binding.
    """
    import uvicorn  # noqa: PLC0415

    if host not in _LOOPBACK:
        log.warning("binding to %s: the endpoint will be reachable from other machines", host)
    app = create_app(store_location, **opts)
    uvicorn.run(app, host=host, port=port, log_level=log_level)


class BackgroundServer:
    """Run an ASGI app with uvicorn in a daemon thread on ``host`` (loopback by default).

    ``port=0`` picks a free port (the socket is bound before the thread starts, so there is no
    race). ``url`` is the base URL. ``stop()`` shuts the server (and the app's workers) down;
    also a context manager. Raises RuntimeError if the app fails to start (with its error).
    """

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, *, start_timeout_s: float = 60.0,
                 log_level: str = "warning"):
        import uvicorn  # noqa: PLC0415

        self.app = app
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.host, self.port = host, self.sock.getsockname()[1]
        self.url = f"http://{host if fam == socket.AF_INET else '[' + host + ']'}:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name="policygraph-serve", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + start_timeout_s
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                err = getattr(getattr(app, "state", None), "startup_error", None)
                self.stop()
                raise RuntimeError(f"server did not start: {err or 'timeout'}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for it (lifespan shutdown stops the workers)."""
        self.server.should_exit = True
        self.thread.join(30)
        with contextlib.suppress(OSError):
            self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

"""A SPARQL 1.1 endpoint (Fuseki, Virtuoso, GraphDB, an Oxigraph server …) used as the store.

:class:`RemoteStore` has the interface of :class:`graph.store.GraphStore`, so ``build``,
``query``, the app and the endpoint run unchanged with ``--store http://…`` (see
:func:`graph.store.open_store`). It speaks only standard protocols over HTTP (httpx):
SPARQL 1.1 Protocol for queries and updates, and the SPARQL 1.1 Graph Store HTTP Protocol (GSP)
to replace or delete one graph.

Endpoint URL conventions — the URL given is the *query* endpoint; the rest is derived from it or
set in its fragment (a fragment is never sent to the server, so one string configures all):

- ``…/query`` (Oxigraph server layout): update ``…/update``, GSP ``…/store``, union mode ``param``.
- anything else (e.g. Virtuoso ``/sparql``, Fuseki ``/ds``, GraphDB ``/repositories/x``): update
  = the same URL (the protocol lets one URL take both), no GSP, union mode ``dataset``.
- overrides: ``URL#update=<url>&gsp=<url or none>&union=<param|dataset|none>``, e.g.
  ``http://host:3030/ds/query#update=http://host:3030/ds/update&gsp=http://host:3030/ds/data``
  (Fuseki) or ``http://host:7200/repositories/plg#update=http://host:7200/repositories/plg/statements``
  (GraphDB).

Union default graph: the product's queries read the default graph as the union of all named
graphs (one per source document), as :class:`GraphStore` does. Modes: ``param`` sends Oxigraph's
``union-default-graph`` query parameter; ``dataset`` sends the standard protocol parameters
``default-graph-uri`` *and* ``named-graph-uri`` listing every named graph (listed once and cached
for two seconds; our own writes refresh it); ``none`` — the server already does it (Fuseki
``tdb2:unionDefaultGraph``, GraphDB's default). Queries carrying their own ``FROM`` are sent as
they are.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pyoxigraph as ox
from rdflib import Graph

from graph.errors import QueryError, StoreError
from graph.store import ntriples_body
from graph.vocab import PLG

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
           "application/n-triples;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5")
_GRAPHS_TTL_S = 2.0


class RemoteStore:
    """A remote SPARQL 1.1 store behind ``url`` (see the module docstring for URL conventions).

    ``update_url``, ``gsp_url`` (``"none"`` to disable GSP) and ``union`` override what the URL
    implies. ``timeout_s``: per HTTP request, seconds (proxy environment variables are ignored:
    the endpoint is contacted directly). Methods mirror :class:`GraphStore`; network
    and server failures raise :class:`StoreError`, bad queries :class:`QueryError` with the
    server's message.
    """

    def __init__(self, url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 union: str | None = None, timeout_s: float = 120.0):
        base, _, frag = url.partition("#")
        opts = {k: v[-1] for k, v in parse_qs(frag, keep_blank_values=True).items()}
        if not base.startswith(("http://", "https://")):
            raise StoreError(f"not an http(s) SPARQL endpoint URL: {url}")
        self.location = url
        self.query_url = base
        stem = base.rstrip("/")
        oxigraph_layout = urlsplit(stem).path.endswith("/query")
        self.update_url = (update_url or opts.get("update")
                           or (stem[: -len("query")] + "update" if oxigraph_layout else base))
        gsp = gsp_url or opts.get("gsp") or (stem[: -len("query")] + "store" if oxigraph_layout else None)
        self.gsp_url = None if gsp in (None, "", "none") else gsp
        self.union = union or opts.get("union") or ("param" if oxigraph_layout else "dataset")
        if self.union not in ("param", "dataset", "none"):
            raise StoreError(f"unknown union mode {self.union!r} (param, dataset or none)")
        self._client = httpx.Client(timeout=timeout_s, headers={"User-Agent": "policygraph (httpx)"},
                                    follow_redirects=False, trust_env=False)
        self._graphs: tuple[float, list[str]] | None = None

    # ---- HTTP ------------------------------------------------------------------------------

    def _post(self, url: str, **kw) -> httpx.Response:
        try:
            return self._client.post(url, **kw)
        except httpx.HTTPError as e:
            raise StoreError(f"cannot reach {url}: {e}") from e

    def _raw_query(self, sparql: str, params: list[tuple[str, str]] = (), url_params: dict | None = None):
        body = urlencode([("query", sparql), *params]).encode()
        r = self._post(self.query_url, content=body, params=url_params or None,
                       headers={"Accept": _ACCEPT, "Content-Type": "application/x-www-form-urlencoded"})
        if r.status_code >= 400:
            status = 400 if r.status_code < 500 else 502
            raise QueryError(f"{self.query_url} answered {r.status_code}: {r.text.strip()[:1000]}", status=status)
        ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
        fmt = ox.QueryResultsFormat.from_media_type(ctype) if ctype else None
        try:
            if fmt is not None:
                return ox.parse_query_results(r.content, format=fmt)
            rdf = ox.RdfFormat.from_media_type(ctype) if ctype else None
            if rdf is None:
                raise QueryError(f"{self.query_url} answered with unsupported Content-Type {ctype!r}", status=502)
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(r.content, format=rdf)]
        except SyntaxError as e:
            raise QueryError(f"{self.query_url} sent a result that does not parse: {e}", status=502) from e

    def update(self, sparql_update: str) -> None:
        """Send a SPARQL 1.1 Update request (one request = one transaction on Oxigraph, Fuseki,
        GraphDB). Raises QueryError (rejected by the server, with its message) or StoreError."""
        r = self._post(self.update_url, data={"update": sparql_update})
        self._graphs = None
        if r.status_code >= 400:
            status = 400 if r.status_code < 500 else 502
            raise QueryError(f"{self.update_url} answered {r.status_code}: {r.text.strip()[:1000]}", status=status)

    # ---- writing -------------------------------------------------------------------------

    def replace_graph(self, graph_iri: str, data: Graph | str | Iterable) -> int:
        """Replace the named graph ``graph_iri`` by the triples of ``data`` (an rdflib Graph, an
        N-Triples string, or an iterable of rdflib triples) atomically: one GSP ``PUT`` when a
        GSP URL is known, else one SPARQL Update request (``DROP SILENT GRAPH`` + ``INSERT
        DATA``). Returns the number of triples written; raises StoreError (nothing changed) on
        failure."""
        g = ox.NamedNode(graph_iri)
        try:
            triples, body = ntriples_body(data)
        except SyntaxError as e:
            raise StoreError(f"could not serialize graph {graph_iri}: {e}") from e
        self._graphs = None
        if self.gsp_url:
            try:
                r = self._client.put(self.gsp_url, params={"graph": graph_iri}, content=body.encode(),
                                     headers={"Content-Type": "application/n-triples"})
            except httpx.HTTPError as e:
                raise StoreError(f"cannot reach {self.gsp_url}: {e}") from e
            if r.status_code >= 400:
                raise StoreError(f"could not write graph {graph_iri}: {self.gsp_url} answered "
                                 f"{r.status_code}: {r.text.strip()[:500]}")
        else:
            try:
                self.update(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")
            except QueryError as e:
                raise StoreError(f"could not write graph {graph_iri}: {e}") from e
        return len(triples)

    def remove_graph(self, graph_iri: str) -> bool:
        """Remove the named graph ``graph_iri``; returns False if it was not there."""
        self._graphs = None
        if self.gsp_url:
            try:
                r = self._client.delete(self.gsp_url, params={"graph": graph_iri})
            except httpx.HTTPError as e:
                raise StoreError(f"cannot reach {self.gsp_url}: {e}") from e
            if r.status_code == 404:
                return False
            if r.status_code >= 400:
                raise StoreError(f"could not remove graph {graph_iri}: {r.status_code}: {r.text[:500]}")
            return True
        g = ox.NamedNode(graph_iri)
        if not bool(self._raw_query(f"ASK {{ GRAPH {g} {{ }} }}")):
            return False
        self.update(f"DROP GRAPH {g}")
        return True

    def load_file(self, path: str, fmt: str, graph_iri: str | None = None) -> None:
        """Load an RDF file (``fmt`` in turtle|trig|nquads|ntriples|rdfxml) in one update
        request: into ``graph_iri`` if given, else into the graphs the file names (default graph
        for triple formats)."""
        try:
            quads = list(ox.parse(path=path, format=_RDF_FORMATS[fmt]))
        except (OSError, SyntaxError, KeyError) as e:
            raise StoreError(f"{path}: cannot load as {fmt}: {e}") from e
        groups: dict[str | None, list[str]] = {}
        for q in quads:
            if graph_iri:
                key = str(ox.NamedNode(graph_iri))
            else:
                key = None if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
            groups.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
        blocks = ["\n".join(lines) if key is None else f"GRAPH {key} {{\n" + "\n".join(lines) + "\n}"
                  for key, lines in groups.items()]
        self._graphs = None
        if blocks:
            self.update("INSERT DATA {\n" + "\n".join(blocks) + "\n}")

    def clear(self) -> None:
        """Remove everything (``DROP ALL``)."""
        self.update("DROP ALL")

    def flush(self) -> None:
        """No-op: the server makes its writes durable."""

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- reading -------------------------------------------------------------------------

    def _all_graphs(self) -> list[str]:
        now = time.monotonic()
        if self._graphs is None or now - self._graphs[0] > _GRAPHS_TTL_S:
            self._graphs = (now, self.named_graphs())
        return self._graphs[1]

    def query(self, sparql: str, *, default_graph: Iterable[str] | None = None,
              named_graphs: Iterable[str] | None = None):
        """Run a SPARQL 1.1 query with the default graph as the union of all graphs (see the
        module docstring). ``default_graph`` / ``named_graphs``: explicit dataset IRIs (then no
        union). Returns ``pyoxigraph.QuerySolutions`` (SELECT), ``pyoxigraph.QueryBoolean``
        (ASK) or a list of ``pyoxigraph.Triple`` (CONSTRUCT/DESCRIBE). Raises QueryError with the
        server's message."""
        params: list[tuple[str, str]] = []
        url_params = None
        if default_graph is not None or named_graphs is not None:
            params += [("default-graph-uri", g) for g in default_graph or ()]
            params += [("named-graph-uri", g) for g in named_graphs or ()]
        elif self.union != "none":
            from graph.sparql_guard import inspect  # noqa: PLC0415

            if inspect(sparql).has_dataset:
                pass  # the query's own FROM / FROM NAMED decide
            elif self.union == "param":
                url_params = {"union-default-graph": ""}
            else:
                graphs = self._all_graphs()
                params += [("default-graph-uri", g) for g in graphs]
                params += [("named-graph-uri", g) for g in graphs]
        return self._raw_query(sparql, params, url_params)

    def select(self, sparql: str) -> tuple[list[str], list[dict]]:
        """Run a SELECT query; ``(variables, rows)`` as :meth:`GraphStore.select`."""
        from graph.store import term_value  # noqa: PLC0415

        res = self.query(sparql)
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        cols = [v.value for v in res.variables]
        return cols, [{c: term_value(sol[c]) for c in cols} for sol in res]

    def named_graphs(self) -> list[str]:
        """IRIs of all named graphs, sorted."""
        res = self._raw_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(s["g"].value for s in res if isinstance(s["g"], ox.NamedNode))

    def graph_meta(self, graph_iri: str) -> dict:
        """Bookkeeping of a document graph: ``{"sha256": …, "path": …}`` (empty if absent)."""
        g = ox.NamedNode(graph_iri)
        res = self._raw_query(f"SELECT ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
                              f"VALUES ?p {{ <{PLG.contentHash}> <{PLG.sourcePath}> }} }}")
        keys = {str(PLG.contentHash): "sha256", str(PLG.sourcePath): "path"}
        return {keys[s["p"].value]: s["o"].value for s in res}

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """The triples of one named graph as UTF-8 N-Triples (empty if the graph is absent)."""
        res = self._raw_query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {ox.NamedNode(graph_iri)} {{ ?s ?p ?o }} }}")
        return ox.serialize([ox.Triple(r["s"], r["p"], r["o"]) for r in res], format=ox.RdfFormat.N_TRIPLES)

    _ALL_QUADS = ("{ GRAPH ?g { ?s ?p ?o } } UNION "
                  "{ ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g2 { ?s ?p ?o } } }")
    """Every quad once, whether the server's default graph is its own graph or the union."""

    def __len__(self) -> int:
        res = self._raw_query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._ALL_QUADS} }}")
        return int(next(iter(res))["n"].value)

    def quads(self) -> list:
        """Every quad of the store as ``pyoxigraph.Quad`` (default-graph triples in DefaultGraph)."""
        res = self._raw_query(f"SELECT ?g ?s ?p ?o WHERE {{ {self._ALL_QUADS} }}")
        return [ox.Quad(s["s"], s["p"], s["o"], s["g"] if s["g"] is not None else ox.DefaultGraph())
                for s in res]

    def export(self, fmt: str, out: io.BufferedIOBase | None = None) -> bytes | None:
        """Serialize the whole store, exactly as :meth:`GraphStore.export` (sorted; trig/nquads
        keep the named graphs, turtle/ntriples give the union)."""
        from graph.vocab import PREFIXES  # noqa: PLC0415

        quads = self.quads()
        if fmt in ("trig", "nquads"):
            items = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate),
                                                 str(q.object)))
        else:
            items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                           key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        data = ox.serialize(items, format=_RDF_FORMATS[fmt], prefixes={k: str(v) for k, v in PREFIXES.items()})
        if out is None:
            return data
        out.write(data)
        return None

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, update={self.update_url!r}, gsp={self.gsp_url!r}, union={self.union!r})"


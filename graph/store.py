"""The one place that writes: an embedded Oxigraph store (pyoxigraph) on disk.

Layout: one named graph per source document (IRI from :func:`graph.vocab.graph_iri`), holding
every statement extracted from it, its provenance and its bookkeeping (content hash, source
path) — so rebuilding a document replaces exactly its statements, in one transaction.

**The default graph is the RDF merge of the named graphs, materialized.** Every write to a
named graph also writes its triples to the default graph; dropping or replacing a named graph
first deletes from the default graph the triples that no other named graph holds — in the same
transaction. Queries run on that default graph (not on Oxigraph's query-time union view).
Reason: Oxigraph's ``use_default_graph_as_union`` yields a triple once *per graph* that holds it
(https://github.com/oxigraph/oxigraph/issues/1919, fixed after pyoxigraph 0.5.13), so ``COUNT``
was inflated and every join over a shared node (an organisation, a law cited by thousands of
documents) multiplied rows by the number of graphs naming it: on 300 synthetic documents the
mandate-chain query ran over 300 s. A store written before this layout (named graphs, empty
default graph) is migrated when opened for writing, and queried through the union view when
opened read-only (:func:`has_materialized_default`).

``open_store(location)`` picks the backend: a filesystem path (default) → :class:`GraphStore`;
an ``http(s)://`` SPARQL 1.1 endpoint URL → ``graph.remote.RemoteStore`` (same interface).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph.errors import QueryError, StoreError
from graph.vocab import PLG

DEFAULT_STORE = "var/store"
ENV_STORE = "POLICYGRAPH_STORE"

_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def default_location() -> str:
    """The store location: ``$POLICYGRAPH_STORE`` if set, else ``var/store`` (relative to the
    current directory)."""
    return os.environ.get(ENV_STORE) or DEFAULT_STORE


def open_store(location: str | os.PathLike | None = None, *, read_only: bool = False):
    """Open the store at ``location`` (see module docstring). ``None`` → :func:`default_location`.

    Raises :class:`~graph.errors.StoreError` when it cannot be opened (e.g. locked by another
    writer, or not a store directory).
    """
    loc = str(location) if location is not None else default_location()
    if loc.startswith(("http://", "https://")):
        from graph.remote import RemoteStore  # noqa: PLC0415

        return RemoteStore(loc)
    return GraphStore(loc, read_only=read_only)


class GraphStore:
    """Embedded Oxigraph store.

    ``location``: a directory (created if missing) or ``":memory:"`` for an in-memory store.
    ``read_only``: open an existing on-disk store without taking the write lock (several
    processes may read at once).
    """

    def __init__(self, location: str | os.PathLike = ":memory:", *, read_only: bool = False):
        self.location = str(location)
        try:
            if self.location == ":memory:":
                self.ox = ox.Store()
            elif read_only:
                self.ox = ox.Store.read_only(self.location)
            else:
                Path(self.location).mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(self.location)
        except (OSError, ValueError) as e:
            raise StoreError(f"cannot open store at {self.location}: {e}") from e
        self.union_view = not has_materialized_default(self.ox)
        if self.union_view and not read_only:
            try:  # migrate a store of the old layout: one transaction
                self.ox.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ {_NAMED} }}")
            except (OSError, ValueError) as e:
                raise StoreError(f"cannot add the default graph to the store at {self.location}: {e}") from e
            self.union_view = False

    materialized_default = True
    """Writers must keep the default graph equal to the merge of the named graphs (see module
    docstring); :func:`replace_sparql` and friends write the SPARQL that does it."""

    # ---- writing -------------------------------------------------------------------------

    def replace_graph(self, graph_iri: str, data: Graph | str | Iterable) -> int:
        """Replace the named graph ``graph_iri`` by the triples of ``data`` in one transaction.

        ``data``: an rdflib :class:`~rdflib.Graph`, an N-Triples string, or an iterable of
        rdflib triples. Returns
        the number of triples written. On any error the previous content is kept and
        :class:`StoreError` is raised.
        """
        try:
            triples, body = ntriples_body(data)
            # One SPARQL Update request = one Oxigraph transaction: all or nothing.
            self.ox.update(replace_sparql(graph_iri, body))
        except (OSError, ValueError, SyntaxError) as e:
            raise StoreError(f"could not write graph {graph_iri}: {e}") from e
        return len(triples)

    def remove_graph(self, graph_iri: str) -> bool:
        """Remove the named graph ``graph_iri`` (and its triples from the default graph that no
        other graph holds), in one transaction; returns False if it was not there."""
        g = ox.NamedNode(graph_iri)
        if not self.ox.contains_named_graph(g):
            return False
        self.ox.update(drop_sparql(graph_iri))
        return True

    def load_file(self, path: str, fmt: str, graph_iri: str | None = None) -> None:
        """Load an RDF file (``fmt`` in turtle|trig|nquads|ntriples|rdfxml) into the store, in
        one transaction. Triples go to ``graph_iri`` if given, else to the graphs the file names
        (a triple-only file without ``graph_iri`` → graph ``BASE graph/loaded``); the default
        graph gets them all. Raises :class:`StoreError` naming the file on a parse error."""
        from graph.vocab import BASE  # noqa: PLC0415

        try:
            target = ox.NamedNode(graph_iri or f"{BASE}graph/loaded")
            quads = []
            for q in ox.parse(path=path, format=_FORMATS[fmt]):
                g = target if graph_iri or isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name
                quads.append(ox.Quad(q.subject, q.predicate, q.object, g))
                quads.append(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
            self.ox.extend(quads)
        except (OSError, SyntaxError, ValueError, KeyError) as e:
            raise StoreError(f"{path}: cannot load as {fmt}: {e}") from e

    def resync_default_graph(self) -> None:
        """Make the default graph the merge of the named graphs again (after writes that did
        not maintain it, e.g. a SPARQL Update sent to the endpoint), in one transaction. Cost:
        one pass over the store."""
        self.ox.update(resync_sparql())

    def clear(self) -> None:
        """Remove everything."""
        self.ox.clear()

    def flush(self) -> None:
        """Make writes durable (no-op in memory)."""
        if self.location != ":memory:":
            self.ox.flush()

    # ---- reading -------------------------------------------------------------------------

    def query(self, sparql: str):
        """Run a SPARQL 1.1 query on the union of all graphs; returns pyoxigraph results.

        Raises :class:`QueryError` with the parser's message on a bad query.
        """
        try:
            return self.ox.query(sparql, use_default_graph_as_union=self.union_view)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from e
        except (OSError, ValueError, RuntimeError) as e:
            raise QueryError(str(e)) from e

    def select(self, sparql: str) -> tuple[list[str], list[dict]]:
        """Run a SELECT query; return ``(variables, rows)`` with each row a dict of variable →
        Python value (``str`` for IRIs and literals, ``int``/``float`` for numeric literals,
        ``None`` when unbound)."""
        res = self.query(sparql)
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        cols = [v.value for v in res.variables]
        rows = [{c: term_value(sol[c]) for c in cols} for sol in res]
        return cols, rows

    def named_graphs(self) -> list[str]:
        """IRIs of all named graphs, sorted."""
        return sorted(g.value for g in self.ox.named_graphs())

    def graph_meta(self, graph_iri: str) -> dict:
        """Bookkeeping of a document graph: ``{"sha256": …, "path": …}`` (empty if absent)."""
        out = {}
        g = ox.NamedNode(graph_iri)
        for prop, key in ((PLG.contentHash, "sha256"), (PLG.sourcePath, "path")):
            for q in self.ox.quads_for_pattern(None, ox.NamedNode(str(prop)), None, g):
                out[key] = q.object.value
        return out

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """The triples of one named graph as UTF-8 N-Triples (empty if the graph is absent)."""
        return self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri))

    def __len__(self) -> int:
        """Quads in named graphs (each document's statements; the default graph, derived from
        them, is not counted)."""
        if self.union_view:
            return len(self.ox)
        n = next(iter(self.ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value
        return len(self.ox) - int(n)

    def triple_count(self) -> int:
        """Distinct triples of the default graph (the merge of all documents)."""
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        return int(next(iter(self.ox.query(q, use_default_graph_as_union=self.union_view)))["n"].value)

    def export(self, fmt: str, out: io.BufferedIOBase | None = None) -> bytes | None:
        """Serialize the whole store. ``fmt``: trig or nquads keep named graphs; turtle and
        ntriples give the union. Output is sorted (deterministic) so two exports diff cleanly."""
        if fmt in ("trig", "nquads"):  # the named graphs (the default graph is derived from them)
            quads = sorted((q for q in self.ox if not isinstance(q.graph_name, ox.DefaultGraph)), key=_quad_key)
        elif self.union_view:
            quads = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in self.ox},
                           key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        else:
            quads = sorted((ox.Triple(q.subject, q.predicate, q.object)
                            for q in self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())),
                           key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        data = ox.serialize(quads, format=_FORMATS[fmt], prefixes=_ox_prefixes())
        if out is None:
            return data
        out.write(data)
        return None


_NAMED = "GRAPH ?g { ?s ?p ?o }"


def has_materialized_default(store: ox.Store) -> bool:
    """True if ``store`` uses the layout of this module (a non-empty default graph, or no named
    graph at all); False for a store of the old layout, to be read through the union view."""
    if next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
        return True
    return next(iter(store.named_graphs()), None) is None


def _g(graph_iri: str) -> str:
    return str(ox.NamedNode(graph_iri))


def unshared_delete_sparql(graph_iri: str) -> str:
    """SPARQL Update deleting from the default graph the triples of ``graph_iri`` that no other
    named graph holds (run before dropping or replacing that graph)."""
    g = _g(graph_iri)
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g}) }} }}")


def insert_sparql(graph_iri: str, ntriples: str) -> str:
    """SPARQL Update adding N-Triples to a named graph and to the default graph. Data with blank
    nodes is copied from the named graph (a blank node may not appear in two ``INSERT DATA``
    blocks of one request, SPARQL 1.1 Update §3.1.1), so both graphs share the same nodes."""
    g = _g(graph_iri)
    if "_:" in ntriples:
        return f"INSERT DATA {{ GRAPH {g} {{\n{ntriples}\n}} }} ;\nINSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"
    return f"INSERT DATA {{ GRAPH {g} {{\n{ntriples}\n}} }} ;\nINSERT DATA {{\n{ntriples}\n}}"


def drop_sparql(graph_iri: str) -> str:
    """SPARQL Update dropping a named graph and its unshared triples from the default graph."""
    return f"{unshared_delete_sparql(graph_iri)} ;\nDROP SILENT GRAPH {_g(graph_iri)}"


def replace_sparql(graph_iri: str, ntriples: str) -> str:
    """SPARQL Update replacing a named graph by N-Triples, keeping the default graph the merge."""
    g = _g(graph_iri)
    return f"{drop_sparql(graph_iri)} ;\nCREATE SILENT GRAPH {g} ;\n{insert_sparql(graph_iri, ntriples)}"


def prune_sparql(subjects: Iterable[str]) -> str:
    """SPARQL Update deleting from the default graph the triples of these subjects (IRIs) that
    no named graph holds any more (run after deleting some of their triples from a graph)."""
    values = " ".join(_g(x) for x in subjects)
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
            f"FILTER NOT EXISTS {{ {_NAMED} }} }}")


def resync_sparql() -> str:
    """SPARQL Update making the default graph exactly the merge of the named graphs."""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {_NAMED} }} }} ;\n"
            f"INSERT {{ ?s ?p ?o }} WHERE {{ {_NAMED} }}")


def _quad_key(q) -> tuple:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def _ox_prefixes() -> dict[str, str]:
    from graph.vocab import PREFIXES  # noqa: PLC0415

    return {k: str(v) for k, v in PREFIXES.items()}


def ntriples_body(data: Graph | str | Iterable) -> tuple[list, str]:
    """Normalise graph data (an rdflib Graph, an N-Triples string, or rdflib triples) to
    ``(pyoxigraph triples, N-Triples text)``. Raises ``SyntaxError`` on bad N-Triples."""
    if isinstance(data, str):
        nt = data
    elif isinstance(data, Graph):
        nt = data.serialize(format="nt")
    else:
        g = Graph()
        for t in data:
            g.add(t)
        nt = g.serialize(format="nt")
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    return triples, "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)


def sparql_literal(value: str) -> str:
    """A Python string as a SPARQL string literal (quotes, backslashes and newlines escaped)."""
    esc = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"'


def term_value(term):
    """pyoxigraph term → Python value (see :meth:`GraphStore.select`)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dt.endswith(("#decimal", "#double", "#float")):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        return term.value
    return term.value

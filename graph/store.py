"""The one place that writes: an embedded Oxigraph store (pyoxigraph) on disk.

Layout: one named graph per source document (IRI from :func:`graph.vocab.graph_iri`), holding
every statement extracted from it, its provenance and its bookkeeping (content hash, source
path) — so rebuilding a document replaces exactly its statements, in one transaction.

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

    # ---- writing -------------------------------------------------------------------------

    def replace_graph(self, graph_iri: str, data: Graph | str | Iterable) -> int:
        """Replace the named graph ``graph_iri`` by the triples of ``data`` in one transaction.

        ``data``: an rdflib :class:`~rdflib.Graph`, an N-Triples string, or an iterable of
        rdflib triples. Returns
        the number of triples written. On any error the previous content is kept and
        :class:`StoreError` is raised.
        """
        g = ox.NamedNode(graph_iri)
        try:
            triples, body = ntriples_body(data)
            # One SPARQL Update request = one Oxigraph transaction: all or nothing.
            self.ox.update(f"DROP SILENT GRAPH {g} ;\nCREATE SILENT GRAPH {g} ;\n"
                           f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")
        except (OSError, ValueError, SyntaxError) as e:
            raise StoreError(f"could not write graph {graph_iri}: {e}") from e
        return len(triples)

    def remove_graph(self, graph_iri: str) -> bool:
        """Remove the named graph ``graph_iri``; returns False if it was not there."""
        g = ox.NamedNode(graph_iri)
        if not self.ox.contains_named_graph(g):
            return False
        self.ox.remove_graph(g)
        return True

    def load_file(self, path: str, fmt: str, graph_iri: str | None = None) -> None:
        """Load an RDF file (``fmt`` in turtle|trig|nquads|ntriples|rdfxml) into the store."""
        try:
            self.ox.load(path=path, format=_FORMATS[fmt],
                         to_graph=ox.NamedNode(graph_iri) if graph_iri else None)
        except (OSError, SyntaxError, ValueError, KeyError) as e:
            raise StoreError(f"{path}: cannot load as {fmt}: {e}") from e

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
            return self.ox.query(sparql, use_default_graph_as_union=True)
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
        return len(self.ox)

    def export(self, fmt: str, out: io.BufferedIOBase | None = None) -> bytes | None:
        """Serialize the whole store. ``fmt``: trig or nquads keep named graphs; turtle and
        ntriples give the union. Output is sorted (deterministic) so two exports diff cleanly."""
        if fmt in ("trig", "nquads"):
            quads = sorted(self.ox, key=_quad_key)
        else:
            quads = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in self.ox},
                           key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        data = ox.serialize(quads, format=_FORMATS[fmt], prefixes=_ox_prefixes())
        if out is None:
            return data
        out.write(data)
        return None


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

"""Dumps of the store: RDF in a deterministic order, and the networkx projection."""

from __future__ import annotations

import io
import json
from pathlib import Path

from graph.errors import PolicyGraphError

CONTEXT_PATH = Path(__file__).resolve().parent.parent / "ontology" / "context.jsonld"
CONTEXT_URL = "https://w3id.org/plg/context.jsonld"
RDF_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")
GRAPH_FORMATS = ("graphml", "gexf")


def export_store(store, fmt: str) -> bytes:
    """Serialize the store as ``fmt``.

    - ``turtle``/``ntriples``: the union of all graphs; ``trig``/``nquads``: named graphs kept;
      statements sorted so two exports of the same store are byte-identical;
    - ``jsonld``: JSON-LD 1.1, one object per named graph (``@graph``), compacted with the
      published context ``ontology/context.jsonld`` (served at ``/context.jsonld``);
    - ``graphml``/``gexf``: the networkx projection (``graph.network``), for Gephi.

    Raises :class:`PolicyGraphError` for an unknown format.
    """
    if fmt in ("turtle", "trig", "nquads", "ntriples"):
        return store.export(fmt)
    if fmt == "jsonld":
        return _jsonld(store)
    if fmt in GRAPH_FORMATS:
        import networkx as nx  # noqa: PLC0415

        from graph.network import project  # noqa: PLC0415

        g = project(store)
        buf = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, buf)
        return buf.getvalue()
    raise PolicyGraphError(f"unknown export format {fmt!r}; use one of {', '.join(RDF_FORMATS + GRAPH_FORMATS)}")


def _jsonld(store) -> bytes:
    from rdflib import Dataset  # noqa: PLC0415

    ds = Dataset()
    ds.parse(data=store.export("nquads").decode("utf-8"), format="nquads")
    context = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    text = ds.serialize(format="json-ld", context=context, sort_keys=True, indent=1)
    doc = json.loads(text)
    items = doc.get("@graph", doc if isinstance(doc, list) else [doc])

    def key(x):
        return str(x.get("@id", "")) if isinstance(x, dict) else str(x)

    for it in items if isinstance(items, list) else []:
        if isinstance(it, dict) and isinstance(it.get("@graph"), list):
            it["@graph"].sort(key=key)
    if isinstance(items, list):
        items.sort(key=key)
    # The context is inlined so the dump is self-contained offline; the same context is published
    # at CONTEXT_URL (served by `policygraph serve` at /context.jsonld).
    out = {"@context": context, "@graph": items}
    return json.dumps(out, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")

"""Counts over a store (``policygraph stats``, the app's overview)."""

from __future__ import annotations

from graph.vocab import SPARQL_PREFIXES

STATS_QUERY = SPARQL_PREFIXES + """SELECT
  (SUM(IF(?k = "doc", 1, 0)) AS ?documents)
  (SUM(IF(?k = "ins", 1, 0)) AS ?instruments)
  (SUM(IF(?k = "org", 1, 0)) AS ?agencies)
  (SUM(IF(?k = "grp", 1, 0)) AS ?agency_groups)
  (SUM(IF(?k = "task", 1, 0)) AS ?tasks)
WHERE {
  { SELECT DISTINCT ?x ?k WHERE {
      { ?x plg:sourceFile ?s . BIND("doc" AS ?k) }
      UNION { ?x a eli:LegalResource . FILTER NOT EXISTS { ?x plg:sourceFile ?s2 } BIND("ins" AS ?k) }
      UNION { ?x a org:Organization . BIND("org" AS ?k) }
      UNION { ?x a plg:AgencyGroup . BIND("grp" AS ?k) }
      UNION { ?x a plg:Task . BIND("task" AS ?k) }
  } }
}
"""


def store_stats(store) -> dict:
    """``{"triples", "quads", "graphs", "documents", "instruments", "agencies", "agency_groups", "tasks"}``.

    ``triples``: distinct triples of the default graph, the RDF merge of every named graph (what
    ``SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`` answers; a label that many documents state
    counts once). ``quads``: statements held in the named graphs, each document graph's own
    (what ``build`` reports as written) plus the store-level graph; usually more than
    ``triples``, as documents share statements. ``graphs``: named graphs, the store-level one included.
    ``documents`` are resources read from a source file; ``instruments`` are resources known
    only because a document refers to them.
    """
    _, rows = store.select(STATS_QUERY)
    row = rows[0] if rows else {}
    _, n = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    out = {"triples": int(n[0]["n"] or 0) if n else 0, "quads": len(store), "graphs": len(store.named_graphs())}
    for k in ("documents", "instruments", "agencies", "agency_groups", "tasks"):
        out[k] = int(row.get(k) or 0)
    return out

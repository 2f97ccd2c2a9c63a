"""The store as a networkx graph, for traversal, analytics, layout and export.

:func:`project` reads a store (anything with ``select(sparql) -> (cols, rows)``: the embedded
:class:`~graph.store.GraphStore` or a remote endpoint) into an ``nx.MultiDiGraph``:

- nodes are IRIs, with attributes ``kind`` (one of :data:`KINDS`), ``label`` (Vietnamese),
  ``label_en`` (English where the graph has a ``skos:prefLabel@en``, else ""), ``number``,
  ``doc_type``, ``doc_type_en``, ``date`` (ISO 8601), ``title``, ``alt`` (other names, "; "
  separated), ``path`` (source file of a stored document), ``deadline``, ``frequency``;
- edges carry ``relation`` (one of :data:`RELATIONS`, also the edge key), ``evidence`` (a
  sentence the relation was read from, "" when none; read for :data:`EVIDENCED` relations) and
  ``evidence_count`` (how many ``plg:Evidence`` support it).

Every attribute is a ``str`` or ``int`` (never ``None``), so :func:`to_graphml`/:func:`to_gexf`
(and ``nx.write_graphml``/``nx.write_gexf``) accept the graph as is.

Analytics work on the projection: :func:`instrument_ranking` (in-degree per relation,
PageRank), :func:`agency_workload`, :func:`document_path`, :func:`orphan_documents`,
:func:`mandate_chain`, :func:`neighbourhood`; :func:`layout` computes node positions once
(physics-free drawing, see ``graph.viz``).
"""

from __future__ import annotations

import io
import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable

import networkx as nx
import numpy as np

from graph.vocab import SPARQL_PREFIXES

KINDS = ("document", "instrument", "agency", "group", "task", "person")
"""Node kinds: ``document`` = read from a source file; ``instrument`` = known only because a
document refers to it; ``agency`` = ``org:Organization``; ``group`` = ``plg:AgencyGroup``;
``task`` = ``plg:Task``; ``person`` = a signer (``foaf:Person``)."""

DOC_RELATIONS = ("implements", "based_on", "cites", "amends", "replaces", "repeals", "approved_by")
"""Document → instrument relations (ELI properties; ``approved_by`` = ``plg:approvedBy``)."""

ROLE_RELATIONS = ("lead", "coordinate", "responsible")
"""Task → agency responsibility (``plg:leadAgency`` / ``coordinatingAgency`` / ``responsibleAgency``)."""

OTHER_RELATIONS = ("in_document", "passed_by", "signed_by", "member", "sub_organization_of", "report_to",
                   "mentioned_in")
RELATIONS = DOC_RELATIONS + ROLE_RELATIONS + OTHER_RELATIONS

_ELI = "http://data.europa.eu/eli/ontology#"
_PLG = "https://w3id.org/plg/ontology#"
_ORG = "http://www.w3.org/ns/org#"
PROPERTY_RELATION = {
    _ELI + "ensures_implementation_of": "implements", _ELI + "based_on": "based_on", _ELI + "cites": "cites",
    _ELI + "amends": "amends", _PLG + "replaces": "replaces", _ELI + "repeals": "repeals",
    _PLG + "approvedBy": "approved_by",
    _PLG + "leadAgency": "lead", _PLG + "coordinatingAgency": "coordinate", _PLG + "responsibleAgency": "responsible",
    _PLG + "inDocument": "in_document", _ELI + "passed_by": "passed_by", _PLG + "signedBy": "signed_by",
    _PLG + "member": "member", _ORG + "subOrganizationOf": "sub_organization_of", _PLG + "reportTo": "report_to",
    _PLG + "mentionedIn": "mentioned_in",
}
"""Property IRI → relation name (the projection keeps only these)."""

_PREFIXES = SPARQL_PREFIXES

_NODES_Q = _PREFIXES + """SELECT DISTINCT ?s ?k WHERE {
  { ?s plg:sourceFile ?f . BIND("document" AS ?k) }
  UNION { ?s a eli:LegalResource . FILTER NOT EXISTS { ?s plg:sourceFile ?f2 } BIND("instrument" AS ?k) }
  UNION { ?s a org:Organization . BIND("agency" AS ?k) }
  UNION { ?s a plg:AgencyGroup . BIND("group" AS ?k) }
  UNION { ?s a plg:Task . BIND("task" AS ?k) }
  UNION { ?s a foaf:Person . BIND("person" AS ?k) }
}"""

_ATTR_PROPS = {
    "http://www.w3.org/2004/02/skos/core#prefLabel": "pref",
    "http://www.w3.org/2004/02/skos/core#altLabel": "alt",
    "http://www.w3.org/2000/01/rdf-schema#label": "rdfs_label",
    "http://xmlns.com/foaf/0.1/name": "foaf_name",
    _ELI + "id_local": "number",
    _ELI + "title": "title",
    _PLG + "name": "name",
    _ELI + "date_document": "date",
    _PLG + "deadline": "deadline",
    _PLG + "frequency": "frequency",
    _PLG + "locality": "locality",
}

_ATTRS_Q = _PREFIXES + """SELECT DISTINCT ?s ?p ?o (LANG(?o) AS ?lang) WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel rdfs:label foaf:name eli:id_local eli:title plg:name
              eli:date_document plg:deadline plg:frequency plg:locality }
  ?s ?p ?o . FILTER(isLiteral(?o))
}"""

_TYPES_Q = _PREFIXES + "SELECT DISTINCT ?s ?t WHERE { ?s eli:type_document ?t }"
_META = "https://w3id.org/plg/graph/meta"  # graph.vocab.META_GRAPH: the document-type scheme

_TYPE_LABELS_Q = _PREFIXES + f"""SELECT ?t ?p ?l (LANG(?l) AS ?lang) (MAX(IF(?g = <{_META}>, 1, 0)) AS ?meta)
       (COUNT(DISTINCT ?g) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?t WHERE {{ ?s eli:type_document ?t }} }}
  VALUES ?p {{ skos:prefLabel skos:notation }}
  GRAPH ?g {{ ?t ?p ?l }}
}} GROUP BY ?t ?p ?l"""


def type_labels(store) -> dict[str, dict[str, str]]:
    """Labels of every document-type concept in use: IRI → ``{"vi", "en", "code"}`` ("" when
    absent). The document-type scheme (the store's meta graph) wins; otherwise the label most
    document graphs give (a document graph may label the shared concept with its own type name,
    e.g. "Kế hoạch hành động" for ``KH``)."""
    best: dict[tuple[str, str], tuple] = {}
    _, rows = store.select(_TYPE_LABELS_Q)
    for r in rows:
        if r["p"].endswith("#notation"):
            slot = "code"
        else:
            slot = "en" if r.get("lang") == "en" else "vi" if r.get("lang") in ("vi", "", None) else None
        if slot is None:
            continue
        rank = (int(r.get("meta") or 0), int(r.get("n") or 0), -len(str(r["l"])), str(r["l"]))
        key = (r["t"], slot)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, str(r["l"]))
    out: dict[str, dict[str, str]] = defaultdict(lambda: {"vi": "", "en": "", "code": ""})
    for (t, slot), (_, label) in best.items():
        out[t][slot] = label
    return dict(out)


_PATH_Q = _PREFIXES + "SELECT DISTINCT ?s ?path WHERE { ?s plg:sourceFile/plg:sourcePath ?path }"


def _values(props: Iterable[str]) -> str:
    return " ".join(f"<{p}>" for p in props)


_EDGES_Q = _PREFIXES + f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  VALUES ?p {{ {_values(PROPERTY_RELATION)} }}
  ?s ?p ?o . FILTER(isIRI(?o))
}}"""

EVIDENCED = DOC_RELATIONS + ROLE_RELATIONS
"""Relations whose edges carry their evidence sentence (the ones the views show it for); for
the others (``mentioned_in``, ``passed_by`` …) ``evidence`` is "" — reading every mention's
evidence would double the projection's cost."""

_EVIDENCE_Q = _PREFIXES + f"""SELECT ?s ?p ?o (MIN(?q) AS ?quote) (COUNT(DISTINCT ?ev) AS ?n) WHERE {{
  VALUES ?p {{ {_values(p for p, r in PROPERTY_RELATION.items() if r in EVIDENCED)} }}
  ?ev rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o .
  OPTIONAL {{ ?ev plg:quote ?q }}
}} GROUP BY ?s ?p ?o"""


def _pick(values: list[str]) -> str:
    """The most frequent value, ties broken by length (longer first), then text; "" if none."""
    if not values:
        return ""
    c = Counter(values)
    return sorted(c, key=lambda v: (-c[v], -len(v), v))[0]


def project(store) -> nx.MultiDiGraph:
    """Project ``store`` into an ``nx.MultiDiGraph`` (see the module docstring).

    Input: any store with ``select(sparql) -> (cols, rows)``. Output: a new graph (the caller may
    cache it; nothing refers back to the store). Edges whose ends are not nodes of a known kind
    are kept, their missing end added with kind ``instrument`` (an object of ``eli:cites`` …)
    or ``agency``. Raises :class:`~graph.errors.QueryError` if the store cannot answer.
    """
    G = nx.MultiDiGraph()
    _, rows = store.select(_NODES_Q)
    kind: dict[str, str] = {}
    order = {k: i for i, k in enumerate(KINDS)}
    for r in rows:
        s, k = r["s"], r["k"]
        if s not in kind or order[k] < order[kind[s]]:
            kind[s] = k
    attrs: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    _, rows = store.select(_ATTRS_Q)
    for r in rows:
        if r["s"] in kind and r["o"] is not None:
            attrs[r["s"]][_ATTR_PROPS[r["p"]]].append((str(r["o"]), r.get("lang") or ""))
    concept = type_labels(store)
    types: dict[str, tuple[list[str], list[str], list[str]]] = defaultdict(lambda: ([], [], []))
    _, rows = store.select(_TYPES_Q)
    for r in rows:
        c = concept.get(r["t"])
        if c:
            for acc, slot in zip(types[r["s"]], ("vi", "en", "code"), strict=True):
                if c[slot]:
                    acc.append(c[slot])
    paths: dict[str, list[str]] = defaultdict(list)
    _, rows = store.select(_PATH_Q)
    for r in rows:
        paths[r["s"]].append(r["path"])

    for s, k in kind.items():
        G.add_node(s, **_node_attrs(s, k, attrs.get(s, {}), types.get(s), paths.get(s, [])))

    evidence: dict[tuple[str, str, str], tuple[str, int]] = {}
    _, rows = store.select(_EVIDENCE_Q)
    for r in rows:
        evidence[(r["s"], PROPERTY_RELATION[r["p"]], r["o"])] = (r.get("quote") or "", int(r.get("n") or 0))
    _, rows = store.select(_EDGES_Q)
    for r in rows:
        rel = PROPERTY_RELATION[r["p"]]
        s, o = r["s"], r["o"]
        for node, default in ((s, "instrument"), (o, "agency" if rel in ROLE_RELATIONS else "instrument")):
            if node not in G:
                G.add_node(node, **_node_attrs(node, default, {}, None, []))
        quote, n = evidence.get((s, rel, o), ("", 0))
        G.add_edge(s, o, key=rel, relation=rel, evidence=quote, evidence_count=n)
    return G


def _node_attrs(iri: str, kind: str, a: dict, types, paths: list[str]) -> dict:
    def first(key: str, lang: str | None = None) -> str:
        vals = [v for v, lg in a.get(key, []) if lang is None or lg == lang]
        return _pick(vals)

    number = first("number")
    title = first("title", "vi") or first("title")
    name = first("name", "vi") or first("name")
    pref_vi = first("pref", "vi") or first("pref", "")
    pref_en = first("pref", "en")
    doc_type, doc_type_en, code = ("", "", "")
    if types:
        doc_type, doc_type_en, code = _pick(types[0]), _pick(types[1]), _pick(types[2])
    if kind in ("document", "instrument"):
        label = f"{doc_type} {number}".strip() if number else (pref_vi or name or title)
        if number and not doc_type and pref_vi:
            label = pref_vi
        label_en = pref_en or (f"{doc_type_en} {number}".strip() if number and doc_type_en else "")
    elif kind == "task":
        label = first("rdfs_label", "vi") or first("rdfs_label")
        label_en = first("rdfs_label", "en")
    elif kind == "person":
        label, label_en = first("foaf_name"), ""
    else:
        label, label_en = pref_vi, pref_en
    label = label or number or title or name or iri.rstrip("/").rsplit("/", 1)[-1]
    alt = sorted({v for key in ("alt", "pref", "name") for v, _ in a.get(key, [])} - {label, label_en})
    return {
        "kind": kind, "label": label, "label_en": label_en, "number": number, "doc_type": doc_type,
        "doc_type_en": doc_type_en, "type_code": code, "date": first("date"), "title": title or name,
        "alt": "; ".join(alt), "path": _pick(paths), "deadline": first("deadline"),
        "frequency": first("frequency"), "locality": first("locality"),
    }


def display_label(G: nx.MultiDiGraph, node: str, lang: str = "vi") -> str:
    """The node's label in ``lang`` ("vi" or "en"), falling back to Vietnamese."""
    d = G.nodes[node]
    if lang == "en" and d.get("label_en"):
        return d["label_en"]
    return d.get("label") or node


# ---- traversal ------------------------------------------------------------------------------

def mandate_chain(G: nx.MultiDiGraph, node: str, *, relations: Iterable[str] = ("implements",),
                  max_depth: int = 12) -> tuple[dict[str, int], list[tuple[str, str, str, str]]]:
    """The chain up (what ``node`` implements, transitively) and down (what implements it).

    Returns ``(levels, edges)``: ``levels`` maps each reached node to its level (negative = up,
    0 = ``node``, positive = down); ``edges`` lists ``(source, target, relation, evidence)`` of
    the traversed relation edges (source implements target). Raises ``KeyError`` if ``node`` is
    not in ``G``.
    """
    if node not in G:
        raise KeyError(node)
    rels = set(relations)
    levels = {node: 0}
    edges: dict[tuple[str, str, str], str] = {}
    for sign, succ in ((-1, True), (1, False)):
        frontier = deque([(node, 0)])
        seen = {node}
        while frontier:
            v, depth = frontier.popleft()
            if depth >= max_depth:
                continue
            it = G.out_edges(v, keys=True, data=True) if succ else G.in_edges(v, keys=True, data=True)
            for a, b, key, d in it:
                if key not in rels:
                    continue
                w = b if succ else a
                edges.setdefault((a, b, key), d.get("evidence", ""))
                if w not in seen:
                    seen.add(w)
                    if w not in levels:
                        levels[w] = sign * (depth + 1)
                    frontier.append((w, depth + 1))
    return levels, [(a, b, r, ev) for (a, b, r), ev in edges.items()]


def neighbourhood(G: nx.MultiDiGraph, focus: str, depth: int, *, kinds: Iterable[str] | None = None,
                  relations: Iterable[str] | None = None, limit: int | None = None) -> list[str]:
    """Nodes within ``depth`` hops of ``focus`` (edges in either direction), moving only through
    nodes of ``kinds`` and edges of ``relations`` (``None`` = all), breadth first, nearest first,
    at most ``limit`` nodes. ``focus`` itself is always first. ``KeyError`` if it is unknown."""
    if focus not in G:
        raise KeyError(focus)
    kinds = set(kinds) if kinds is not None else None
    rels = set(relations) if relations is not None else None
    out = [focus]
    seen = {focus}
    frontier = [focus]
    for _ in range(depth):
        nxt = []
        for v in frontier:
            for a, b, key in list(G.out_edges(v, keys=True)) + list(G.in_edges(v, keys=True)):
                w = b if a == v else a
                if w in seen or (rels is not None and key not in rels):
                    continue
                if kinds is not None and G.nodes[w].get("kind") not in kinds:
                    continue
                seen.add(w)
                out.append(w)
                nxt.append(w)
                if limit and len(out) >= limit:
                    return out
        frontier = nxt
    return out


def filtered_view(G: nx.MultiDiGraph, *, kinds: Iterable[str] | None = None,
                  relations: Iterable[str] | None = None, nodes: Iterable[str] | None = None,
                  limit: int | None = None) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Nodes and edges to draw: nodes of ``kinds`` (restricted to ``nodes`` if given), edges of
    ``relations`` between them; isolated nodes dropped unless they were asked for by ``nodes``.
    With ``limit``, keeps the ``limit`` nodes of highest degree in the view (``nodes`` order is
    kept when given; nodes left without any edge by the cut are dropped). Returns
    ``(node ids, [(source, target, relation)])``."""
    kinds = set(kinds) if kinds is not None else set(KINDS)
    rels = set(relations) if relations is not None else set(RELATIONS)
    pool = list(nodes) if nodes is not None else list(G.nodes)
    keep = [n for n in pool if G.nodes[n].get("kind") in kinds]
    keep_set = set(keep)
    edges = [(a, b, k) for a, b, k in G.subgraph(keep_set).edges(keys=True) if k in rels]
    deg: Counter = Counter()
    for a, b, _ in edges:
        deg[a] += 1
        deg[b] += 1
    if nodes is None:
        keep = [n for n in keep if deg[n]]
    if limit and len(keep) > limit:
        if nodes is None:
            keep = sorted(keep, key=lambda n: (-deg[n], n))[:limit]
        else:
            keep = keep[:limit]
        keep_set = set(keep)
        edges = [e for e in edges if e[0] in keep_set and e[1] in keep_set]
        if nodes is None:  # nodes whose every neighbour was cut are noise at this size
            linked = {a for a, _, _ in edges} | {b for _, b, _ in edges}
            keep = [n for n in keep if n in linked]
    return keep, edges


# ---- analytics ------------------------------------------------------------------------------

def _doc_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    D = nx.DiGraph()
    D.add_nodes_from(n for n, k in G.nodes(data="kind") if k in ("document", "instrument"))
    for a, b, k in G.edges(keys=True):
        if k in DOC_RELATIONS and a in D and b in D:
            D.add_edge(a, b)
    return D


def instrument_ranking(G: nx.MultiDiGraph, *, top: int | None = None) -> list[dict]:
    """Instruments and documents ranked by how many documents implement or cite them.

    Each row: ``node``, ``label``, ``label_en``, ``number``, ``kind``, one count per relation of
    :data:`DOC_RELATIONS` (incoming edges), ``in_degree`` (distinct referring documents) and
    ``pagerank`` (networkx PageRank, damping 0.85, over document → instrument edges; needs
    scipy). Sorted by in-degree, then PageRank. Only nodes referred to at least once.
    """
    D = _doc_graph(G)
    pr = nx.pagerank(D, alpha=0.85) if D.number_of_edges() else {}
    rows = []
    for n in D.nodes:
        preds = {a for a, _, k in G.in_edges(n, keys=True) if k in DOC_RELATIONS}
        if not preds:
            continue
        counts = Counter(k for _, _, k in G.in_edges(n, keys=True) if k in DOC_RELATIONS)
        d = G.nodes[n]
        row = {"node": n, "label": d.get("label", ""), "label_en": d.get("label_en", ""),
               "number": d.get("number", ""), "kind": d.get("kind", ""), "in_degree": len(preds),
               "pagerank": round(float(pr.get(n, 0.0)), 6)}
        row.update({r: counts.get(r, 0) for r in DOC_RELATIONS})
        rows.append(row)
    rows.sort(key=lambda r: (-r["in_degree"], -r["pagerank"], r["label"]))
    return rows[:top] if top else rows


def agency_workload(G: nx.MultiDiGraph) -> list[dict]:
    """Per agency or group: tasks it leads, coordinates, is responsible for, the total (distinct
    tasks) and the number of documents those tasks come from. Sorted by total, descending."""
    rows = []
    for n, d in G.nodes(data=True):
        if d.get("kind") not in ("agency", "group"):
            continue
        counts: Counter = Counter()
        tasks, docs = set(), set()
        for t, _, k in G.in_edges(n, keys=True):
            if k in ROLE_RELATIONS:
                counts[k] += 1
                tasks.add(t)
                docs.update(b for _, b, k2 in G.out_edges(t, keys=True) if k2 == "in_document")
        if not tasks:
            continue
        rows.append({"node": n, "label": d.get("label", ""), "label_en": d.get("label_en", ""),
                     "kind": d["kind"], "lead": counts["lead"], "coordinate": counts["coordinate"],
                     "responsible": counts["responsible"], "tasks": len(tasks), "documents": len(docs)})
    rows.sort(key=lambda r: (-r["tasks"], -r["lead"], r["label"]))
    return rows


def document_path(G: nx.MultiDiGraph, source: str, target: str) -> list[dict]:
    """A shortest path between two documents/instruments over document relations, in either
    direction. Each step: ``source``, ``target`` (as travelled), ``relation``, ``forward`` (True
    when the edge points along the path) and ``evidence``. ``[]`` when ``source == target`` or no
    path exists; ``KeyError`` for an unknown node."""
    for n in (source, target):
        if n not in G:
            raise KeyError(n)
    D = _doc_graph(G).to_undirected(as_view=True)
    if source == target:
        return []
    try:
        path = nx.shortest_path(D, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    steps = []
    for a, b in zip(path, path[1:], strict=False):
        fwd = G.get_edge_data(a, b) or {}
        back = G.get_edge_data(b, a) or {}
        pick = next((k for k in DOC_RELATIONS if k in fwd), None)
        forward = pick is not None
        data = fwd.get(pick) if forward else None
        if not forward:
            pick = next((k for k in DOC_RELATIONS if k in back), "")
            data = back.get(pick, {})
        steps.append({"source": a, "target": b, "relation": pick, "forward": forward,
                      "evidence": (data or {}).get("evidence", "")})
    return steps


def orphan_documents(G: nx.MultiDiGraph, *, parents: Iterable[str] = ("implements", "based_on", "approved_by")
                     ) -> list[dict]:
    """Stored documents with no resolved parent: no edge of ``parents`` relations to an
    instrument identified by a number (or to another stored document). An instrument known only
    by name (``plg:name``, no ``eli:id_local``) does not count as resolved. Rows: ``node``,
    ``label``, ``label_en``, ``number``, ``date``, ``cites`` (outgoing references of any kind)."""
    parents = set(parents)
    rows = []
    for n, d in G.nodes(data=True):
        if d.get("kind") != "document":
            continue
        ok = False
        refs = 0
        for _, b, k in G.out_edges(n, keys=True):
            if k in DOC_RELATIONS:
                refs += 1
            if k in parents:
                t = G.nodes[b]
                if t.get("number") or t.get("kind") == "document":
                    ok = True
        if not ok:
            rows.append({"node": n, "label": d.get("label", ""), "label_en": d.get("label_en", ""),
                         "number": d.get("number", ""), "date": d.get("date", ""), "cites": refs})
    rows.sort(key=lambda r: (r["date"], r["label"]))
    return rows


# ---- layout ---------------------------------------------------------------------------------

def layout(G: nx.Graph | nx.MultiDiGraph, *, seed: int = 0, iterations: int = 80,
           spacing: float = 70.0) -> dict[str, tuple[float, float]]:
    """Positions for drawing ``G`` without physics, in screen units (about ``spacing`` pixels
    between neighbours). Deterministic for a given ``seed``.

    Method: each connected component is laid out on its own, then the components are packed in
    rows, largest first (so a small far-off component cannot squeeze the main one). Within a
    component, leaves (degree-1 nodes) are set on a ring around their neighbour and the rest is
    laid out force-directed (Fruchterman–Reingold, 1991): with networkx ``spring_layout`` up to
    150 nodes; above that, with a particle–mesh version whose repulsion is a grid convolution
    (FFT), O(n + edges + grid log grid) per iteration instead of O(n²), so 10,000 nodes take
    seconds.
    """
    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    H.add_edges_from((a, b) for a, b in G.edges() if a != b)
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(H)), key=lambda c: (-len(c), str(c[0])))
    placed: list[tuple[dict, float, float, float, float]] = []
    for comp in comps:
        p = _component_layout(H.subgraph(comp), comp, seed=seed, iterations=iterations, spacing=spacing)
        xs = [x for x, _ in p.values()]
        ys = [y for _, y in p.values()]
        placed.append((p, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    # shelf packing: rows no wider than the largest component or √(total area), whichever is wider
    area = sum((w + spacing) * (h + spacing) for _, _, _, w, h in placed)
    row_width = max([placed[0][3] + spacing if placed else 0.0, math.sqrt(area) * 1.1])
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for p, x0, y0, w, h in placed:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + spacing, 0.0
        for n, (px, py) in p.items():
            pos[n] = (px - x0 + x, py - y0 + y)
        x += w + spacing
        row_h = max(row_h, h)
    return pos


def _component_layout(C: nx.Graph, nodes: list, *, seed: int, iterations: int,
                      spacing: float) -> dict[str, tuple[float, float]]:
    """Layout of one connected component (see :func:`layout`)."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    deg = dict(C.degree())
    leaves = {n for n in nodes if deg[n] == 1}
    anchor: dict[str, str] = {}
    for n in leaves:
        (m,) = C.neighbors(n)
        if m not in leaves or str(m) < str(n):  # a pair of leaves: the smaller one anchors
            anchor[n] = m
    core = [n for n in nodes if n not in anchor]
    pos: dict[str, tuple[float, float]] = {}
    if len(core) == 1:
        pos[core[0]] = (0.0, 0.0)
    else:
        K = C.subgraph(core)
        if len(core) <= 150:
            p = nx.spring_layout(K, seed=seed, iterations=iterations)
            arr = np.array([p[n] for n in core], dtype=float)
        else:
            arr = _pm_layout(K, core, seed=seed, iterations=iterations)
        arr = _normalise(arr, spacing)
        pos.update({n: (float(x), float(y)) for n, (x, y) in zip(core, arr, strict=True)})
    ring: dict[str, list[str]] = defaultdict(list)
    for n, m in anchor.items():
        ring[m].append(n)
    for m, ls in ring.items():
        cx, cy = pos[m]
        ls.sort(key=str)
        r = spacing * (0.8 + 0.25 * math.sqrt(len(ls)))
        for i, n in enumerate(ls):
            a = 2 * math.pi * i / len(ls) + 0.3
            pos[n] = (cx + r * math.cos(a), cy + r * math.sin(a))
    return pos


def _normalise(arr: np.ndarray, spacing: float) -> np.ndarray:
    arr = arr - np.median(arr, axis=0)
    n = len(arr)
    # scale by the bulk of the drawing, not by a far-flung small component
    span = float(np.percentile(np.abs(arr), 90)) or float(np.abs(arr).max()) or 1.0
    target = spacing * math.sqrt(n) * 0.9  # half-width so that the mean spacing is ~spacing
    return arr / span * target


def _pm_layout(C: nx.Graph, nodes: list, *, seed: int, iterations: int) -> np.ndarray:
    """Particle–mesh Fruchterman–Reingold: attraction d²/k along edges, repulsion k²/d from
    a density grid convolved with the 1/r kernel (kernel FFT computed once; one forward and two
    inverse real FFTs per iteration). Positions in the unit box."""
    n = len(nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    e = np.array([(idx[a], idx[b]) for a, b in C.edges()], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) - 0.5
    k = math.sqrt(1.0 / n)
    m = 64 if n <= 3000 else 128
    p = 2 * m  # circular convolution of size 2m is exact on the m×m window we read
    off = np.fft.fftfreq(p, 1.0 / p)  # 0, 1, …, m-1, -m, …, -1
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = np.inf
    kx_hat = np.fft.rfft2(dx / r2)
    ky_hat = np.fft.rfft2(dy / r2)
    t = 0.1
    cool = t / (iterations + 1)
    for _ in range(iterations):
        lo = pos.min(axis=0)
        size = float((pos.max(axis=0) - lo).max()) * 1.0001 or 1.0
        h = size / m
        cell = np.minimum(((pos - lo) / h).astype(np.int64), m - 1)
        flat = cell[:, 0] * m + cell[:, 1]
        rho = np.zeros((p, p))
        rho[:m, :m] = np.bincount(flat, minlength=m * m).reshape(m, m)
        rho_hat = np.fft.rfft2(rho)
        fx = np.fft.irfft2(rho_hat * kx_hat, s=(p, p))[:m, :m].ravel()
        fy = np.fft.irfft2(rho_hat * ky_hat, s=(p, p))[:m, :m].ravel()
        disp = np.stack([fx[flat], fy[flat]], axis=1) * (k * k / h)
        # nodes sharing a cell: push apart from the cell centre (keeps them from collapsing)
        centre = (cell + 0.5) * h + lo
        crowd = rho[:m, :m].ravel()[flat] - 1
        disp += (pos - centre) * (k * k / (h * h)) * crowd[:, None]
        if len(e):
            d = pos[e[:, 0]] - pos[e[:, 1]]
            dist = np.sqrt((d * d).sum(axis=1)) + 1e-9
            f = d * (dist / k)[:, None]
            for j in range(2):
                disp[:, j] -= np.bincount(e[:, 0], weights=f[:, j], minlength=n)
                disp[:, j] += np.bincount(e[:, 1], weights=f[:, j], minlength=n)
        disp -= pos * (0.05 * k * n ** 0.5)  # weak gravity keeps components together
        length = np.sqrt((disp * disp).sum(axis=1)) + 1e-12
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t -= cool
    return pos


def hierarchy_positions(levels: dict[str, int], edges: Iterable[tuple[str, str]], *,
                        dx: float = 220.0, dy: float = 140.0) -> dict[str, tuple[float, float]]:
    """Positions for a layered drawing: ``y = level * dy``; within a level nodes are ordered by
    the mean x of their neighbours in the previous level (one barycentre sweep from level 0
    outwards) and spaced ``dx`` apart, centred on 0."""
    by_level: dict[int, list[str]] = defaultdict(list)
    for n, lv in levels.items():
        by_level[lv].append(n)
    nbrs: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        nbrs[a].add(b)
        nbrs[b].add(a)
    pos: dict[str, tuple[float, float]] = {}

    def place(lv: int, order: list[str]) -> None:
        w = (len(order) - 1) * dx
        for i, n in enumerate(order):
            pos[n] = (i * dx - w / 2, lv * dy)

    place(0, sorted(by_level.get(0, []), key=str))
    for direction in (-1, 1):
        lv = direction
        while lv in by_level:
            prev = lv - direction

            def bary(n: str, prev: int = prev) -> float:
                xs = [pos[m][0] for m in nbrs[n] if m in pos and levels.get(m) == prev]
                return sum(xs) / len(xs) if xs else 0.0

            place(lv, sorted(by_level[lv], key=lambda n: (bary(n), str(n))))
            lv += direction
    return pos


# ---- export ---------------------------------------------------------------------------------

def to_graphml(G: nx.MultiDiGraph) -> bytes:
    """GraphML (UTF-8) of the projection, for Gephi/yEd."""
    buf = io.BytesIO()
    nx.write_graphml(G, buf)
    return buf.getvalue()


def to_gexf(G: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 (UTF-8) of the projection, for Gephi."""
    buf = io.BytesIO()
    nx.write_gexf(G, buf)
    return buf.getvalue()

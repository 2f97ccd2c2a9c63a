"""Graph explorer page: the projection drawn with pyvis (positions computed once, physics off),
filtered by node kind and relation, optionally around a focus node to a depth; search-and-centre;
a legend; click a node for its details and links to the other pages."""

from __future__ import annotations

from graph import network as gn
from graph.views import i18n
from graph.views.common import Context, choose, matches, page_url
from graph.viz import legend_items, network_html

DEFAULT_KINDS = ("document", "instrument", "agency", "group")
DEFAULT_RELATIONS = gn.DOC_RELATIONS + ("passed_by", "member", "sub_organization_of")
MAX_NODES = 3000
FRESH_LAYOUT = 1500
"""Views up to this many nodes get their own layout (computed once per view, cached with it);
larger ones reuse the layout of the whole projection (computed once per store version)."""
DEFAULT_LIMIT = 400
AROUND_ACTORS = ("agency", "group", "task", "person")
AROUND_ACTORS_RELATIONS = set(gn.ROLE_RELATIONS) | {"in_document", "signed_by", "report_to"}
"""Centred on an agency, group, task or signer, these relations (and task and document nodes)
are always followed, whatever the filters: that is what such a node is about."""


def default_view_args(lang: str = "vi") -> tuple:
    """Arguments of :func:`explorer_view` for the page's first drawing (what the app warms up)."""
    return (tuple(DEFAULT_KINDS), tuple(DEFAULT_RELATIONS), None, 2, DEFAULT_LIMIT, lang)
"""Most nodes drawn at once; larger views keep the best-connected nodes (and say so)."""


def node_label(d: dict, lang: str) -> str:
    """A node's label in ``lang`` (English where the graph has one), else Vietnamese."""
    return (d.get("label_en") if lang == "en" and d.get("label_en") else d.get("label")) or ""


def node_payload(G, n: str, lang: str, *, x: float | None = None, y: float | None = None) -> dict:
    """The dict :func:`graph.viz.network_html` draws for node ``n`` of the projection ``G``:
    label in ``lang``, plain-text tooltip, details rows and relative links to the pages
    relevant to its kind."""
    d = G.nodes[n]
    kind = d.get("kind", "")
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    label = node_label(d, lang)
    fields = [(t("field.kind"), t("kind." + kind) if kind else ""), (t("field.number"), d.get("number")),
              (t("field.type"), d.get("doc_type_en") if lang == "en" and d.get("doc_type_en") else d.get("doc_type")),
              (t("field.date"), d.get("date")), (t("field.title"), d.get("title") if d.get("title") != label else ""),
              (t("field.deadline"), d.get("deadline")), (t("field.frequency"), d.get("frequency")),
              (t("field.names"), d.get("alt")), (t("field.source"), d.get("path")), ("IRI", n)]
    issuers = [node_label(G.nodes[b], lang) for _, b, k in G.out_edges(n, keys=True) if k == "passed_by"]
    if issuers:
        fields.insert(3, (t("field.issuer"), "; ".join(issuers)))
    fields.append((t("field.degree"), str(G.degree(n))))
    details = [[k, str(v)] for k, v in fields if v]
    links = []
    if kind == "document":
        links.append([t("link.reader"), page_url("reader", doc=n, lang=lang)])
    if kind in ("document", "instrument"):
        links.append([t("link.chain"), page_url("chain", node=n, lang=lang)])
    if kind in ("agency", "group"):
        links.append([t("link.agency"), page_url("agencies", agency=n, lang=lang)])
    links.append([t("link.centre"), page_url("explorer", focus=n, lang=lang)])
    tip = "\n".join(x for x in (label, t("kind." + kind) if kind else "", d.get("number", ""), d.get("date", "")) if x)
    out = {"id": n, "label": label, "kind": kind, "title": tip, "details": details, "links": links}
    if x is not None and y is not None:
        out["x"], out["y"] = x, y
    return out


def edge_payload(G, a: str, b: str, rel: str, lang: str) -> dict:
    """Edge dict for :func:`graph.viz.network_html`: colour by relation, tooltip = relation name
    and the evidence sentence."""
    ev = (G.get_edge_data(a, b, key=rel) or {}).get("evidence", "")
    name = i18n.t("rel." + rel, lang)
    return {"from": a, "to": b, "relation": rel, "title": f"{name}\n{ev[:400]}" if ev else name}


def explorer_view(src, kinds: tuple, relations: tuple, focus: str | None, depth: int, limit: int,
                  lang: str) -> dict:
    """The explorer drawing: ``{"html", "nodes", "edges", "truncated", "total"}``. Without a
    focus, the whole filtered projection at its global positions (computed once per store
    version); with one, its neighbourhood to ``depth`` hops laid out afresh (around an agency,
    group, task or signer its tasks, roles and documents are always included)."""
    G = src.graph
    if focus and focus in G:
        kinds_f = set(kinds) | {G.nodes[focus]["kind"]}
        rels_f = set(relations)
        if G.nodes[focus]["kind"] in AROUND_ACTORS:  # an agency's (or task's) work is its tasks
            kinds_f |= {"task", "document"}
            rels_f |= AROUND_ACTORS_RELATIONS
        around = gn.neighbourhood(G, focus, depth, kinds=kinds_f, relations=rels_f, limit=None)
        nodes, edges = gn.filtered_view(G, kinds=kinds_f, relations=rels_f, nodes=around, limit=None)
        total = len(nodes)
        if len(nodes) > limit:
            nodes = nodes[:limit]
            keep = set(nodes)
            edges = [e for e in edges if e[0] in keep and e[1] in keep]
        import networkx as nx  # noqa: PLC0415

        H = nx.Graph()
        H.add_nodes_from(nodes)
        H.add_edges_from((a, b) for a, b, _ in edges)
        pos = gn.layout(H, spacing=130.0)
    else:
        focus = None
        nodes, edges = gn.filtered_view(G, kinds=kinds, relations=relations, limit=None)
        total = len(nodes)
        if len(nodes) > limit:
            nodes, edges = gn.filtered_view(G, kinds=kinds, relations=relations, limit=limit)
        if len(nodes) <= FRESH_LAYOUT:  # the drawn subgraph gets its own layout (cached with the view)
            import networkx as nx  # noqa: PLC0415

            H = nx.Graph()
            H.add_nodes_from(nodes)
            H.add_edges_from((a, b) for a, b, _ in edges)
            pos = gn.layout(H, spacing=130.0)
        else:
            pos = src.positions  # the whole projection's layout, computed once per store version
    shown_kinds = sorted({G.nodes[n]["kind"] for n in nodes}, key=gn.KINDS.index)
    shown_rels = sorted({r for _, _, r in edges}, key=gn.RELATIONS.index)
    names = {k: i18n.t("kind." + k, lang) for k in gn.KINDS} | {r: i18n.t("rel." + r, lang) for r in gn.RELATIONS}
    html = network_html(
        [node_payload(G, n, lang, x=pos[n][0], y=pos[n][1]) if n in pos else node_payload(G, n, lang)
         for n in nodes],
        [edge_payload(G, a, b, r, lang) for a, b, r in edges],
        height=680, focus=focus, legend=legend_items(shown_kinds, shown_rels, names), lang=lang,
        texts={"search": i18n.t("graph.search", lang), "go": i18n.t("graph.go", lang),
               "status": i18n.t("graph.status", lang, nodes=len(nodes), edges=len(edges))})
    return {"html": html, "nodes": len(nodes), "edges": len(edges), "truncated": total > len(nodes), "total": total}


def node_choices(src, kinds: tuple | None = None) -> list[dict]:
    """Nodes to pick from: ``node``, ``label``, ``label_en``, ``kind``, ``alt``, ``degree``;
    documents first, then by degree."""
    G = src.graph
    order = {k: i for i, k in enumerate(gn.KINDS)}
    rows = [{"node": n, "label": d.get("label", ""), "label_en": d.get("label_en", ""), "kind": d.get("kind", ""),
             "alt": d.get("alt", ""), "number": d.get("number", ""), "degree": G.degree(n)}
            for n, d in G.nodes(data=True) if kinds is None or d.get("kind") in kinds]
    rows.sort(key=lambda r: (order.get(r["kind"], 9), -r["degree"], r["label"]))
    return rows


def render(ctx: Context) -> None:
    """Draw the graph explorer page."""
    import streamlit as st  # noqa: PLC0415

    from graph.views.common import query_param_once  # noqa: PLC0415

    t = ctx.t
    st.title(t("explorer.title"))
    with st.spinner(t("app.loading")):
        choices = ctx.call(node_choices)
    if not choices:
        st.info(t("overview.empty"))
        return
    by = {c["node"]: c for c in choices}
    query_param_once(st, "focus", "explorer_focus")
    if st.session_state.get("explorer_focus") not in by:
        st.session_state["explorer_focus"] = ""
    c1, c2 = st.columns(2)
    kinds = choose(ctx, c1.multiselect, t("explorer.kinds"), gn.KINDS, key="explorer_kinds", multi=True,
                   default=list(DEFAULT_KINDS), format_func=lambda k: t("kind." + k))
    rels = choose(ctx, c2.multiselect, t("explorer.relations"), gn.RELATIONS, key="explorer_rels", multi=True,
                  default=list(DEFAULT_RELATIONS), format_func=lambda r: t("rel." + r))
    c3, c4, c5 = st.columns([3, 2, 1])
    q = c3.text_input(t("explorer.search"), key="explorer_q", placeholder=t("explorer.search_ph"))
    hits = [c for c in choices if matches(q, c["label"], c["label_en"], c["alt"], c["number"])][:200] if q else []
    if q:
        if hits:
            pick = choose(ctx, c3.selectbox, t("explorer.hits", n=len(hits)), [h["node"] for h in hits],
                          key="explorer_hit", format_func=lambda n: _choice_label(by[n], ctx))
            if c3.button(t("explorer.centre"), key="explorer_centre"):
                st.session_state["explorer_focus"] = pick
        else:
            c3.caption(t("explorer.nohits"))
    focus_opts = [""] + ([st.session_state["explorer_focus"]] if st.session_state["explorer_focus"] else [])
    focus = choose(ctx, c4.selectbox, t("explorer.focus"), focus_opts, key="explorer_focus", default="",
                   format_func=lambda n: _choice_label(by[n], ctx) if n else t("explorer.nofocus"))
    depth = c5.number_input(t("explorer.depth"), min_value=1, max_value=5, value=2, key="explorer_depth")
    limit = st.slider(t("explorer.limit"), 50, MAX_NODES, DEFAULT_LIMIT, step=50, key="explorer_limit")
    view = ctx.call(explorer_view, tuple(kinds), tuple(rels), focus or None, int(depth), int(limit), ctx.lang)
    if view["truncated"]:
        st.caption(t("explorer.truncated", shown=view["nodes"], total=view["total"]))
    st.iframe(view["html"], height=700)
    if focus:
        _details(st, ctx, focus)


def _choice_label(c: dict, ctx: Context) -> str:
    return f"{ctx.label(c) or c['node']} · {ctx.t('kind.' + c['kind'])}"


def node_details(src, node: str, lang: str) -> dict:
    """Details of a node for the page below the drawing: ``fields`` (pairs) and ``neighbours``
    [{relation, direction, node, label, kind}]."""
    G = src.graph
    if node not in G:
        return {"fields": [], "neighbours": []}
    p = node_payload(G, node, lang)
    nb = []
    for a, b, k in list(G.out_edges(node, keys=True)) + list(G.in_edges(node, keys=True)):
        other = b if a == node else a
        nb.append({"relation": i18n.t("rel." + k, lang), "direction": "→" if a == node else "←",
                   "label": node_label(G.nodes[other], lang), "kind": i18n.t("kind." + G.nodes[other]["kind"], lang),
                   "node": other})
    return {"fields": p["details"], "neighbours": nb}


def _details(st, ctx: Context, node: str) -> None:
    import pandas as pd  # noqa: PLC0415

    info = ctx.call(node_details, node, ctx.lang)
    with st.expander(ctx.t("explorer.details"), expanded=True):
        st.dataframe(pd.DataFrame(info["fields"], columns=[ctx.t("field.field"), ctx.t("field.value")]),
                     hide_index=True, width="stretch")
        if info["neighbours"]:
            st.dataframe(pd.DataFrame(info["neighbours"]).rename(columns={
                "relation": ctx.t("field.relation"), "direction": "", "label": ctx.t("field.label"),
                "kind": ctx.t("field.kind"), "node": "IRI"}), hide_index=True, width="stretch")

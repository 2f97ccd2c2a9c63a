"""Mandate chain page: pick a document or an instrument (a directive, a programme …) and see what
it implements, transitively (up), and what implements it (down), as a layered drawing whose
edges show the evidence sentence on hover."""

from __future__ import annotations

from graph import network as gn
from graph.views import data, i18n
from graph.views.common import Context, choose, matches
from graph.views.explorer import edge_payload, node_choices, node_label, node_payload
from graph.viz import legend_items, network_html

CHAIN_RELATIONS = ("implements", "approved_by", "based_on", "amends", "replaces", "repeals", "cites")


def chain_view(src, node: str, relations: tuple, lang: str) -> dict:
    """``{"html", "up", "down"}``: the layered drawing (up = what ``node`` implements, drawn
    above it; down = what implements it, below) and the two lists as rows {level, node, label,
    number, date, kind, via, relation, evidence}. ``html`` is "" when the node has no chain."""
    G = src.graph
    if node not in G:
        return {"html": "", "up": [], "down": []}
    levels, edges = gn.mandate_chain(G, node, relations=relations)
    pos = gn.hierarchy_positions(levels, [(a, b) for a, b, _, _ in edges])
    rows_up, rows_down = [], []
    best: dict[str, tuple] = {}
    for a, b, rel, ev in edges:
        la, lb = levels.get(a), levels.get(b)
        if la is None or lb is None:
            continue
        if lb < 0 and la == lb + 1:  # up: a (one level nearer the start) implements b
            best.setdefault(b, (a, rel, ev))
        if la > 0 and lb == la - 1:  # down: a implements b (one level nearer the start)
            best.setdefault(a, (b, rel, ev))
    for n, lv in sorted(levels.items(), key=lambda x: (abs(x[1]), x[0])):
        if n == node:
            continue
        d = G.nodes[n]
        via, rel, ev = best.get(n, ("", "", ""))
        row = {"level": abs(lv), "node": n, "label": node_label(d, lang), "number": d.get("number", ""),
               "date": d.get("date", ""), "kind": i18n.t("kind." + d.get("kind", ""), lang),
               "via": node_label(G.nodes[via], lang) if via in G else "", "relation": i18n.t("rel." + rel, lang)
               if rel else "", "evidence": ev}
        (rows_up if lv < 0 else rows_down).append(row)
    if len(levels) <= 1:
        return {"html": "", "up": [], "down": []}
    nodes = [node_payload(G, n, lang, x=pos[n][0], y=pos[n][1]) for n in levels]
    for p in nodes:
        if p["id"] == node:
            p["size"] = 20
    es = []
    for a, b, rel, _ in edges:
        e = edge_payload(G, a, b, rel, lang)
        e["label"] = i18n.t("rel." + rel, lang)
        es.append(e)
    kinds = sorted({G.nodes[n]["kind"] for n in levels}, key=gn.KINDS.index)
    rels = sorted({r for _, _, r, _ in edges}, key=gn.RELATIONS.index)
    names = {k: i18n.t("kind." + k, lang) for k in gn.KINDS} | {r: i18n.t("rel." + r, lang) for r in gn.RELATIONS}
    html = network_html(nodes, es, height=560, focus=node, legend=legend_items(kinds, rels, names), lang=lang,
                        hierarchical=True,
                        texts={"search": i18n.t("graph.search", lang), "go": i18n.t("graph.go", lang),
                               "status": i18n.t("chain.status", lang, up=len(rows_up), down=len(rows_down))})
    return {"html": html, "up": rows_up, "down": rows_down}


def render(ctx: Context) -> None:
    """Draw the mandate-chain page."""
    import pandas as pd  # noqa: PLC0415
    import streamlit as st  # noqa: PLC0415

    from graph.views.common import query_param_once  # noqa: PLC0415

    t = ctx.t
    st.title(t("chain.title"))
    st.caption(t("chain.help"))
    with st.spinner(t("app.loading")):
        choices = ctx.call(node_choices, ("document", "instrument"))
    if not choices:
        st.info(t("overview.empty"))
        return
    by = {c["node"]: c for c in choices}
    query_param_once(st, "node", "chain_node")
    q = st.text_input(t("chain.search"), key="chain_q", placeholder=t("chain.search_ph"))
    opts = [c["node"] for c in choices if matches(q, c["label"], c["label_en"], c["number"], c["alt"])]
    current = st.session_state.get("chain_node")
    if current in by and current not in opts:
        opts = [current] + opts
    if not opts:
        st.warning(t("explorer.nohits"))
        return
    main = data.pick_main(ctx.call(data.documents))
    node = choose(ctx, st.selectbox, t("chain.pick"), opts, key="chain_node", default=main if main in opts else None,
                  format_func=lambda n: f"{ctx.label(by[n]) or n} · {t('kind.' + by[n]['kind'])}")
    rels = choose(ctx, st.multiselect, t("chain.relations"), CHAIN_RELATIONS, key="chain_rels", multi=True,
                  default=["implements", "approved_by"], format_func=lambda r: t("rel." + r))
    view = ctx.call(chain_view, node, tuple(rels), ctx.lang)
    if not view["html"]:
        st.info(t("chain.none"))
        return
    st.iframe(view["html"], height=580)
    cols = {"level": t("chain.level"), "label": t("field.label"), "number": t("field.number"),
            "date": t("field.date"), "kind": t("field.kind"), "relation": t("field.relation"),
            "via": t("chain.via"), "evidence": t("field.evidence")}
    for key, title in (("up", t("chain.up")), ("down", t("chain.down"))):
        st.subheader(f"{title} ({len(view[key])})")
        if view[key]:
            st.dataframe(pd.DataFrame(view[key])[list(cols)].rename(columns=cols), hide_index=True, width="stretch")
        else:
            st.caption(t("chain.empty_side"))

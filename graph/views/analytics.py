"""Analytics page, on the networkx projection (built once per store version): instruments
ranked by how many documents implement or cite them (in-degree, PageRank), agency workload, the
path between two documents, documents with no resolved parent, and the projection as GraphML or
GEXF."""

from __future__ import annotations

from graph import network as gn
from graph.views import i18n
from graph.views.common import Context, choose
from graph.views.explorer import node_choices, node_label


def ranking(src, top: int) -> list[dict]:
    """:func:`graph.network.instrument_ranking` of the projection (top ``top``)."""
    return gn.instrument_ranking(src.graph, top=top)


def workload(src) -> list[dict]:
    """:func:`graph.network.agency_workload` of the projection."""
    return gn.agency_workload(src.graph)


def orphans(src) -> list[dict]:
    """:func:`graph.network.orphan_documents` of the projection."""
    return gn.orphan_documents(src.graph)


def path(src, a: str, b: str, lang: str) -> list[dict]:
    """:func:`graph.network.document_path` with labels in ``lang`` (``source_label``,
    ``target_label``, ``relation_label``)."""
    G = src.graph
    try:
        steps = gn.document_path(G, a, b)
    except KeyError:
        return []
    for s in steps:
        s["source_label"] = node_label(G.nodes[s["source"]], lang)
        s["target_label"] = node_label(G.nodes[s["target"]], lang)
        s["relation_label"] = i18n.t("rel." + s["relation"], lang) if s["relation"] else ""
    return steps


def export_bytes(src, fmt: str) -> bytes:
    """The projection as ``graphml`` or ``gexf`` bytes; ``ValueError`` for another format."""
    if fmt == "graphml":
        return gn.to_graphml(src.graph)
    if fmt == "gexf":
        return gn.to_gexf(src.graph)
    raise ValueError(f"unknown graph format {fmt!r}")


def render(ctx: Context) -> None:
    """Draw the analytics page."""
    import pandas as pd  # noqa: PLC0415
    import streamlit as st  # noqa: PLC0415

    t = ctx.t
    st.title(t("analytics.title"))

    st.subheader(t("analytics.ranking"))
    top = st.slider(t("analytics.top"), 5, 200, 25, step=5, key="analytics_top")
    with st.spinner(t("app.loading")):
        rows = ctx.call(ranking, int(top))
    if rows:
        st.dataframe(pd.DataFrame([{
            t("field.label"): ctx.label(r), t("field.number"): r["number"], t("field.kind"): t("kind." + r["kind"]),
            t("analytics.in_degree"): r["in_degree"], "PageRank": r["pagerank"],
            t("rel.implements"): r["implements"], t("rel.based_on"): r["based_on"], t("rel.cites"): r["cites"],
            t("analytics.other"): r["amends"] + r["replaces"] + r["repeals"] + r["approved_by"]} for r in rows]),
            hide_index=True, width="stretch")
    else:
        st.caption(t("analytics.none"))

    st.subheader(t("analytics.workload"))
    wl = ctx.call(workload)
    if wl:
        wdf = pd.DataFrame([{t("field.agency"): ctx.label(r), t("role.lead"): r["lead"],
                             t("role.coordinate"): r["coordinate"], t("role.responsible"): r["responsible"],
                             t("analytics.tasks"): r["tasks"], t("analytics.documents"): r["documents"]} for r in wl])
        st.bar_chart(wdf.head(15).set_index(t("field.agency"))[[t("role.lead"), t("role.coordinate"),
                                                               t("role.responsible")]], horizontal=True)
        st.dataframe(wdf, hide_index=True, width="stretch")
    else:
        st.caption(t("analytics.none"))

    st.subheader(t("analytics.path"))
    docs = ctx.call(node_choices, ("document", "instrument"))
    if len(docs) >= 2:
        by = {d["node"]: d for d in docs}
        opts = list(by)
        c1, c2 = st.columns(2)
        a = choose(ctx, c1.selectbox, t("analytics.from"), opts, key="analytics_a", default=opts[0],
                   format_func=lambda n: ctx.label(by[n]))
        b = choose(ctx, c2.selectbox, t("analytics.to"), opts, key="analytics_b", default=opts[1],
                   format_func=lambda n: ctx.label(by[n]))
        steps = ctx.call(path, a, b, ctx.lang)
        if a == b:
            st.caption(t("analytics.same"))
        elif steps:
            st.dataframe(pd.DataFrame([{
                t("analytics.step"): i + 1, t("analytics.from"): s["source_label"],
                t("field.relation"): s["relation_label"] + ("" if s["forward"] else " ←"),
                t("analytics.to"): s["target_label"], t("field.evidence"): s["evidence"]}
                for i, s in enumerate(steps)]), hide_index=True, width="stretch")
        else:
            st.info(t("analytics.nopath"))

    st.subheader(t("analytics.orphans"))
    orph = ctx.call(orphans)
    st.caption(t("analytics.orphans_help", n=len(orph)))
    if orph:
        st.dataframe(pd.DataFrame([{t("field.label"): ctx.label(r), t("field.number"): r["number"],
                                    t("field.date"): r["date"], t("analytics.refs"): r["cites"]} for r in orph]),
                     hide_index=True, width="stretch")

    st.subheader(t("analytics.export"))
    st.caption(t("analytics.export_help"))
    c1, c2 = st.columns(2)
    G = ctx.source.graph  # exported only when a button is clicked (deferred download)
    c1.download_button("GraphML", lambda: gn.to_graphml(G), file_name="policy-graph.graphml",
                       mime="application/graphml+xml", key="analytics_graphml", on_click="ignore")
    c2.download_button("GEXF", lambda: gn.to_gexf(G), file_name="policy-graph.gexf",
                       mime="application/gexf+xml", key="analytics_gexf", on_click="ignore")

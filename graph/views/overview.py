"""Overview page: counts, the documents in the store (accent-insensitive search), and the main
plan's metadata card."""

from __future__ import annotations

import html

from graph.views import data
from graph.views.common import Context, choose, matches


def filter_documents(rows: list[dict], query: str) -> list[dict]:
    """Documents whose number, title, issuer or type contain every word of ``query``, ignoring
    case and accents ("tre em" finds "trẻ em")."""
    return [r for r in rows if matches(query, r["key"])]


def card_html(card: dict, ctx: Context) -> str:
    """The metadata card as an HTML table; every value is HTML-escaped exactly once."""
    t = ctx.t
    e = html.escape
    typ = card.get("type_en") if ctx.lang == "en" and card.get("type_en") else card.get("type", "")
    issuers = "; ".join((en if ctx.lang == "en" and en else vi) for vi, en in card.get("issuers", []))
    rows = [(t("field.number"), card.get("number")), (t("field.type"), typ), (t("field.title"), card.get("title")),
            (t("field.issuer"), issuers), (t("field.date"), card.get("date")),
            (t("field.effective"), card.get("effective")), (t("field.signer"), card.get("signer")),
            (t("field.place"), card.get("place")), (t("field.locality"), card.get("locality")),
            (t("field.source"), (card.get("source") or {}).get("path")),
            (t("field.counts"), t("card.counts", provisions=card.get("provisions", 0), tasks=card.get("tasks", 0),
                                  agencies=card.get("agencies", 0)))]
    items = "".join(
        f"<li><b>{e(t('rel.' + r['relation']))}</b>: {e(ctx.label(r) or r['number'] or r['target'])}</li>"
        for r in card.get("relations", []))
    rows_html = "".join(
        f"<tr><th style='text-align:left;vertical-align:top;padding:3px 10px 3px 0;color:#555;"
        f"font-weight:600;white-space:nowrap'>{e(k)}</th><td style='padding:3px 0'>{e(str(v))}</td></tr>"
        for k, v in rows if v)
    rel_html = (f"<div style='margin-top:6px'><b>{e(t('card.relations'))}</b><ul style='margin:4px 0 0 18px'>"
                f"{items}</ul></div>") if items else ""
    return (f"<div class='plg-card' style='border:1px solid #e3e3e3;border-radius:8px;padding:12px 16px;"
            f"background:#fafbfc'><table style='border-collapse:collapse'>{rows_html}</table>{rel_html}</div>")


def render(ctx: Context) -> None:
    """Draw the overview page."""
    import pandas as pd  # noqa: PLC0415
    import streamlit as st  # noqa: PLC0415

    t = ctx.t
    st.title(t("overview.title"))
    s = ctx.call(data.stats)
    c = st.columns(4)
    c[0].metric(t("stat.documents"), s["documents"])
    c[1].metric(t("stat.instruments"), s["instruments"])
    c[2].metric(t("stat.agencies"), s["agencies"] + s.get("agency_groups", 0))
    c[3].metric(t("stat.tasks"), s["tasks"])
    st.caption(t("overview.triples", triples=s["triples"], quads=s["quads"], graphs=s["graphs"]))

    docs = ctx.call(data.documents)
    if not docs:
        st.info(t("overview.empty"))
        return

    st.subheader(t("overview.main"))
    main = data.pick_main(docs)
    options = [d["doc"] for d in docs]
    by_iri = {d["doc"]: d for d in docs}
    pick = choose(ctx, st.selectbox, t("overview.card_doc"), options, key="overview_card", default=main,
                  format_func=lambda i: _doc_label(by_iri[i], ctx))
    card = ctx.call(data.document_card, pick)
    st.html(card_html(card, ctx))
    links = st.columns(3)
    if ctx.pages:
        links[0].page_link(ctx.pages["reader"], label=t("overview.open_reader"), query_params={"doc": pick})
        links[1].page_link(ctx.pages["chain"], label=t("overview.open_chain"), query_params={"node": pick})
        links[2].page_link(ctx.pages["explorer"], label=t("overview.open_graph"), query_params={"focus": pick})

    st.subheader(t("overview.documents"))
    q = st.text_input(t("overview.search"), key="overview_q", placeholder=t("overview.search_ph"))
    rows = filter_documents(docs, q)
    st.caption(t("overview.shown", n=len(rows), total=len(docs)))
    df = pd.DataFrame([{
        t("field.number"): r["number"], t("field.type"): ctx.label(r, "type", "type_en"),
        t("field.issuer"): ctx.label(r, "issuer", "issuer_en"), t("field.date"): r["date"],
        t("field.title"): r["title"], t("field.tasks"): r["tasks"]} for r in rows])
    st.dataframe(df, hide_index=True, width="stretch", height=min(38 + 35 * max(len(rows), 1), 560))


def _doc_label(d: dict, ctx: Context) -> str:
    typ = ctx.label(d, "type", "type_en")
    head = f"{typ} {d['number']}".strip() if d["number"] else (d["title"] or d["doc"])
    return f"{head} ({d['date']})" if d["date"] else head

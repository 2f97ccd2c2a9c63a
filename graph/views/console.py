"""SPARQL console page: the named queries (``ontology/queries/*.rq``) as examples, an editor,
their parameters, results as a table, download as CSV or JSON. Read-only: the store refuses
updates through this path (``GraphStore.query`` parses queries only)."""

from __future__ import annotations

import json
import re

from graph.views import data
from graph.views.common import Context, choose

MAX_ROWS_SHOWN = 5000


def used_params(sparql: str, params: dict[str, str]) -> dict[str, str]:
    """The named-query parameters that still occur as ``?name`` in (possibly edited) text."""
    return {k: v for k, v in params.items() if re.search(r"[?$]" + re.escape(k) + r"\b", sparql)}


def results_json(columns: list[str], rows: list[dict]) -> bytes:
    """SPARQL 1.1 Query Results JSON-like document (``head.vars``, ``results.bindings`` with
    plain values), UTF-8, non-ASCII kept."""
    doc = {"head": {"vars": columns}, "results": {"bindings": [{c: r.get(c) for c in columns} for r in rows]}}
    return json.dumps(doc, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def render(ctx: Context) -> None:
    """Draw the SPARQL console page."""
    import pandas as pd  # noqa: PLC0415
    import streamlit as st  # noqa: PLC0415

    from graph.queries import load_queries  # noqa: PLC0415

    t = ctx.t
    st.title(t("console.title"))
    queries = load_queries()
    names = list(queries)
    name = choose(ctx, st.selectbox, t("console.example"), names, key="console_name",
                  format_func=lambda n: f"{queries[n].title} ({n})")
    q = queries[name]
    if q.description:
        st.caption(q.description)
    if st.session_state.get("console_loaded") != name:  # a new example: load it and show its results
        st.session_state["console_text"] = q.sparql
        st.session_state["console_loaded"] = name
        st.session_state["console_last"] = (q.sparql, tuple(sorted(q.params.items())))
    text = st.text_area(t("console.editor"), key="console_text", height=300)
    values = {}
    if q.params:
        cols = st.columns(len(q.params))
        for c, (p, default) in zip(cols, q.params.items(), strict=True):
            values[p] = c.text_input(f"?{p}", value=default, key=f"console_param_{name}_{p}")
    run = st.button(t("console.run"), type="primary", key="console_run")
    if run:
        st.session_state["console_last"] = (text, tuple(sorted(used_params(text, values).items())))
    last = st.session_state.get("console_last")
    if not last:
        st.caption(t("console.hint"))
        return
    res = ctx.call(data.run_sparql, last[0], last[1])
    if res["error"]:
        st.error(t("console.error") + " " + res["error"])
        return
    rows = res["rows"]
    st.caption(t("console.count", n=len(rows)))
    df = pd.DataFrame(rows, columns=res["columns"])
    st.dataframe(df.head(MAX_ROWS_SHOWN), hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.download_button(t("download.csv"), df.to_csv(index=False).encode("utf-8-sig"), file_name="results.csv",
                       mime="text/csv", key="console_csv", on_click="ignore")
    c2.download_button(t("download.json"), results_json(res["columns"], rows), file_name="results.json",
                       mime="application/json", key="console_json", on_click="ignore")

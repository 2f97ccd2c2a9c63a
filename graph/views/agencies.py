"""Agencies page: find an agency by any of its names, list its tasks across documents (role,
deadline, source provision, text), show the agency × task matrix of a document, download both
(CSV/XLSX), and centre the graph explorer on the agency."""

from __future__ import annotations

from collections import Counter

from graph.views import data
from graph.views.common import Context, choose, download_frames, matches, provision_path, query_param_once

ROLE_MARK = {"vi": {"lead": "CT", "coordinate": "PH", "responsible": "TH"},
             "en": {"lead": "L", "coordinate": "C", "responsible": "R"}}
"""Matrix marks: chủ trì / phối hợp / thực hiện (lead / coordinate / responsible)."""


MAX_OPTIONS = 400
"""Most agencies offered in the picker at once (the busiest first); search narrows the list."""


def filter_agencies(rows: list[dict], query: str) -> list[dict]:
    """Agencies any of whose names (preferred, English, variants) contain every word of
    ``query``, ignoring case and accents."""
    return [r for r in rows if matches(query, r["key"])]


def matrix_frame(m: dict, lang: str, label_of):
    """The matrix of :func:`graph.views.data.task_matrix` as a DataFrame: one row per agency
    (``label_of(agency row)``), one column per task (``T1 …``), cells = role marks."""
    import pandas as pd  # noqa: PLC0415

    marks = ROLE_MARK.get(lang, ROLE_MARK["vi"])
    cols = [f"T{i + 1}" for i in range(len(m["tasks"]))]
    rows = []
    for a in m["agencies"]:
        row = {"": label_of(a)}
        for c, tk in zip(cols, m["tasks"], strict=True):
            role = m["marks"].get((a["node"], tk["task"]))
            row[c] = marks[role] if role else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=[""] + cols)


def render(ctx: Context) -> None:
    """Draw the agencies page."""
    import pandas as pd  # noqa: PLC0415
    import streamlit as st  # noqa: PLC0415

    t = ctx.t
    st.title(t("agencies.title"))
    with st.spinner(t("app.loading")):
        rows = ctx.call(data.agencies)
    if not rows:
        st.info(t("agencies.none"))
        return
    by = {r["node"]: r for r in rows}
    query_param_once(st, "agency", "agency_pick")
    q = st.text_input(t("agencies.search"), key="agency_q", placeholder=t("agencies.search_ph"))
    hits = filter_agencies(rows, q)
    current = st.session_state.get("agency_pick")
    opts = [r["node"] for r in hits[:MAX_OPTIONS]]
    if current in by and current not in opts:
        opts = [current] + opts
    if not opts:
        st.warning(t("explorer.nohits"))
        return
    st.caption(t("agencies.count", n=len(hits), total=len(rows))
               + (" · " + t("agencies.more", n=MAX_OPTIONS) if len(hits) > MAX_OPTIONS else ""))
    agency = choose(ctx, st.selectbox, t("agencies.pick"), opts, key="agency_pick",
                    format_func=lambda n: f"{ctx.label(by[n])} ({by[n]['tasks']})")
    a = by[agency]
    others = [n for n in a["names"] if n != ctx.label(a)]
    if others:
        st.caption(t("agencies.names") + ": " + " · ".join(others))
    if ctx.pages:
        st.page_link(ctx.pages["explorer"], label=t("agencies.graph"), query_params={"focus": agency})

    tasks = ctx.call(data.agency_tasks, agency)
    st.subheader(t("agencies.tasks", n=len({x["task"] for x in tasks})))
    if tasks:
        role = {"lead": t("role.lead"), "coordinate": t("role.coordinate"), "responsible": t("role.responsible")}
        df = pd.DataFrame([{
            t("field.document"): x["document"], t("field.provision"): provision_path(x["provision"]),
            t("field.role"): role.get(x["role"], x["role"]) + (f" ({t('agencies.via')} {x['via']})" if x["via"] else ""),
            t("field.deadline"): x["deadline"], t("field.frequency"): x["frequency"],
            t("field.task"): x["summary"], t("field.text"): x["text"]} for x in tasks])
        st.dataframe(df, hide_index=True, width="stretch")
        download_frames(st, df, "agency-tasks", ctx, key="agency_tasks")
    else:
        st.caption(t("agencies.notasks"))

    st.subheader(t("agencies.matrix"))
    docs = ctx.call(data.documents)
    dlabel = {d["doc"]: f"{ctx.label(d, 'type', 'type_en')} {d['number']}".strip() or d["doc"] for d in docs}
    count = Counter(x["doc"] for x in tasks)
    doc_opts = [d for d, _ in count.most_common()] + [d["doc"] for d in docs if d["doc"] not in count and d["tasks"]]
    if not doc_opts:
        st.caption(t("agencies.nomatrix"))
        return
    doc = choose(ctx, st.selectbox, t("agencies.matrix_doc"), doc_opts, key="agency_matrix_doc",
                 format_func=lambda d: dlabel.get(d, d))
    m = ctx.call(data.task_matrix, doc)
    if not m["tasks"]:
        st.caption(t("agencies.nomatrix"))
        return
    mdf = matrix_frame(m, ctx.lang, lambda r: ctx.label(r))
    st.caption(t("agencies.legend"))
    st.dataframe(mdf, hide_index=True, width="stretch")
    key_df = pd.DataFrame([{"": f"T{i + 1}", t("field.provision"): provision_path(x["provision"]),
                            t("field.task"): x["summary"]} for i, x in enumerate(m["tasks"])])
    with st.expander(t("agencies.tasklist")):
        st.dataframe(key_df, hide_index=True, width="stretch")
    download_frames(st, mdf, "agency-task-matrix", ctx, key="agency_matrix")

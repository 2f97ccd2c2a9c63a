"""Document reader page: the source text as stored (``plg:content``) with every mention
highlighted by kind (reference, agency, date, task, other metadata), each linked to its resource,
and the provision tree alongside (click to jump)."""

from __future__ import annotations

import html
import re
from collections import Counter

from graph.views import data, i18n
from graph.views.common import Context, choose, page_url, provision_path, query_param_once

KIND_STYLE = {
    "reference": "background:#dbe9f9;border-radius:3px",
    "agency": "background:#d3f0d8;border-radius:3px",
    "date": "background:#fff0b8;border-radius:3px",
    "metadata": "background:#ececec;border-radius:3px",
    "task": "border-bottom:2px solid #f28e2b",
}
"""Inline style of each mention kind (inline, so it survives HTML sanitising)."""

_EID_OK = re.compile(r"[^A-Za-z0-9_-]")


def anchor_id(eid: str) -> str:
    """HTML id of a provision's anchor in the text (``p-`` + eid, restricted to [A-Za-z0-9_-])."""
    return "p-" + _EID_OK.sub("-", eid or "x")


def mention_link(m: dict, lang: str) -> str:
    """Relative app URL of a mention's resource: agencies → agencies page, references → mandate
    chain, everything else → the graph explorer centred on it."""
    if m["kind"] == "agency":
        return page_url("agencies", agency=m["target"], lang=lang)
    if m["kind"] == "reference":
        return page_url("chain", node=m["target"], lang=lang)
    return page_url("explorer", focus=m["target"], lang=lang)


def highlight_html(content: str, mentions: list[dict], provisions: list[dict], *, kinds: tuple[str, ...],
                   lang: str = "vi") -> str:
    """The text as HTML: every character escaped once; each stretch covered by mentions of
    ``kinds`` wrapped in one ``<a>`` (style of each covering kind, tooltip listing them, link to
    the innermost one); an empty anchor ``<span id="p-…">`` where each provision starts.
    Mentions outside the text or empty are skipped. Offsets are character offsets."""
    n = len(content)
    ms = [m for m in mentions if m["kind"] in kinds and 0 <= m["start"] < m["end"] <= n]
    cuts = {0, n}
    for m in ms:
        cuts.add(m["start"])
        cuts.add(m["end"])
    anchors: dict[int, list[str]] = {}
    for p in provisions:
        if 0 <= p["start"] <= n:
            anchors.setdefault(p["start"], []).append(anchor_id(p["eid"]))
            cuts.add(p["start"])
    points = sorted(cuts)
    starts: dict[int, list[dict]] = {}
    for m in ms:
        starts.setdefault(m["start"], []).append(m)
    active: list[dict] = []
    out = []
    for a, b in zip(points, points[1:] + [n], strict=False):
        for aid in anchors.get(a, []):
            out.append(f'<span id="{aid}"></span>')
        if a >= b:
            continue
        active = [m for m in active if m["end"] > a] + starts.get(a, [])
        text = html.escape(content[a:b], quote=False)
        if not active:
            out.append(text)
            continue
        inner = min(active, key=lambda m: (m["end"] - m["start"], data.MENTION_KINDS.index(m["kind"])))
        styles = []
        for k in sorted({m["kind"] for m in active}, key=lambda k: (k == inner["kind"], k)):
            styles.append(KIND_STYLE[k])
        tip = "\n".join(dict.fromkeys(
            f"{i18n.t('mention.' + m['kind'], lang)}: {_label(m, lang)}"
            + (f" ({i18n.t('rel.' + m['relation'], lang)})" if m["kind"] == "reference"
               and i18n.has('rel.' + m['relation']) else "")
            for m in sorted(active, key=lambda m: m["start"])))
        cls = " ".join(f"m-{k}" for k in sorted({m["kind"] for m in active}))
        out.append(f'<a class="{cls}" href="{html.escape(mention_link(inner, lang))}" '
                   f'title="{html.escape(tip)}" style="color:inherit;text-decoration:none;'
                   f'{";".join(styles)}">{text}</a>')
    body = "".join(out)
    return ('<div class="plg-reader" style="white-space:pre-wrap;font-family:\'Source Serif Pro\',Georgia,serif;'
            'font-size:15px;line-height:1.6;max-height:75vh;overflow:auto;border:1px solid #e3e3e3;'
            f'border-radius:8px;padding:14px 18px;background:#fff">{body}</div>')


def _label(m: dict, lang: str) -> str:
    if lang == "en" and m.get("label_en"):
        return m["label_en"]
    return m.get("label") or m["target"].rsplit("/", 1)[-1]


def tree_html(provisions: list[dict], lang: str) -> str:
    """The provision tree as nested-looking links (indent by depth) to the text anchors."""
    items = []
    for p in provisions:
        label = provision_path(p["eid"]) or p["label"]
        head = f"{label}. {p['heading']}" if p["heading"] else label
        items.append(f'<div style="padding-left:{12 * p["depth"]}px;margin:1px 0">'
                     f'<a href="#{anchor_id(p["eid"])}" title="{html.escape(i18n.t("kind.provision", lang))}: '
                     f'{html.escape(p["kind"])}" style="text-decoration:none">{html.escape(head)}</a></div>')
    return ('<div class="plg-tree" style="max-height:75vh;overflow:auto;font-size:13px;border-left:3px solid '
            f'#eee;padding-left:8px">{"".join(items)}</div>')


def reader_view(src, doc: str, kinds: tuple, lang: str) -> dict:
    """``{"text", "tree", "counts", "path", "length"}``: the highlighted text and tree HTML, the
    number of mentions per kind, the source path and text length (characters)."""
    s = data.source_text(src, doc)
    if not s:
        return {"text": "", "tree": "", "counts": {}, "path": "", "length": 0}
    ms = data.mentions(src, doc)
    ps = data.provisions(src, doc)
    return {"text": highlight_html(s["content"], ms, ps, kinds=kinds, lang=lang), "tree": tree_html(ps, lang),
            "counts": dict(Counter(m["kind"] for m in ms)), "path": s["path"], "length": len(s["content"])}


def render(ctx: Context) -> None:
    """Draw the document-reader page."""
    import streamlit as st  # noqa: PLC0415

    from graph.views.overview import _doc_label  # noqa: PLC0415

    t = ctx.t
    st.title(t("reader.title"))
    docs = ctx.call(data.documents)
    if not docs:
        st.info(t("overview.empty"))
        return
    by = {d["doc"]: d for d in docs}
    query_param_once(st, "doc", "reader_doc")
    main = data.pick_main(docs)
    doc = choose(ctx, st.selectbox, t("reader.pick"), list(by), key="reader_doc", default=main,
                 format_func=lambda d: _doc_label(by[d], ctx))
    kinds = choose(ctx, st.pills, t("reader.kinds"), data.MENTION_KINDS, key="reader_kinds", multi=True,
                   default=list(data.MENTION_KINDS), format_func=lambda k: t("mention." + k), selection_mode="multi")
    view = ctx.call(reader_view, doc, tuple(sorted(kinds or ())), ctx.lang)
    if not view["text"]:
        st.warning(t("reader.nosource"))
        return
    counts = view["counts"]
    st.caption(t("reader.stats", path=view["path"], n=view["length"]) + " · "
               + " · ".join(f"{t('mention.' + k)}: {counts.get(k, 0)}" for k in data.MENTION_KINDS))
    legend = " ".join(f'<span style="{KIND_STYLE[k]};padding:1px 6px;margin-right:6px">'
                      f'{html.escape(t("mention." + k))}</span>' for k in data.MENTION_KINDS)
    st.html(f'<div style="font-size:13px">{legend}</div>')
    left, right = st.columns([1, 3])
    with left:
        st.markdown(f"**{t('reader.tree')}**")
        st.html(view["tree"] or f"<i>{html.escape(t('reader.notree'))}</i>")
    with right:
        st.html(view["text"])

"""Interactive network HTML (pyvis / vis-network), fully offline and safe with any label.

:func:`network_html` turns node and edge dicts into one self-contained HTML page:

- vis-network's JavaScript (bundled with pyvis) and the few styles it needs are inlined; nothing
  is fetched (the page
  carries a ``Content-Security-Policy`` that forbids every network request, so a stray URL
  cannot leak out either). pyvis's own template pulls Bootstrap from a CDN, so we render pyvis's
  ``Network`` with our own template (:data:`TEMPLATE`).
- nodes and edges are appended to ``net.nodes``/``net.edges`` in bulk (pyvis's ``add_edge`` is
  quadratic), with positions given (``x``/``y``, see :func:`graph.network.layout`) and physics
  off, so 1,000+ nodes draw at once and stay still;
- every string reaches the page only as JSON inside a script (``<``, ``>``, ``&`` and ``'``
  escaped as ``\\u003c`` …, Jinja's ``tojson``) and is shown through the canvas or
  ``textContent``/``innerText``, never parsed as HTML: a label ``<script>alert(1)</script>
  Sở KH&ĐT`` shows exactly so and runs nothing.

Clicking a node opens a details panel (its fields, and links that open the app's pages for it in
a new tab — Streamlit's iframe sandbox forbids navigating the page itself); a search
box centres the view on the first node whose label matches, ignoring case and accents.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import DictLoader, Environment

KIND_STYLE: dict[str, dict] = {
    "document": {"color": "#1f6fb5", "shape": "square", "size": 14},
    "instrument": {"color": "#8fb9e3", "shape": "dot", "size": 11},
    "agency": {"color": "#2c9c45", "shape": "diamond", "size": 12},
    "group": {"color": "#9ad48f", "shape": "hexagon", "size": 12},
    "task": {"color": "#f28e2b", "shape": "triangle", "size": 8},
    "person": {"color": "#9467bd", "shape": "star", "size": 10},
    "provision": {"color": "#bcbd22", "shape": "dot", "size": 7},
}
"""vis-network style of each node kind (see :data:`graph.network.KINDS`)."""

RELATION_COLOR: dict[str, str] = {
    "implements": "#d62728", "based_on": "#8c564b", "cites": "#9aa5b1", "amends": "#e377c2",
    "replaces": "#e377c2", "repeals": "#e377c2", "approved_by": "#ff9896",
    "lead": "#1b7f3b", "coordinate": "#74c476", "responsible": "#a1a13a",
    "in_document": "#f5c28b", "passed_by": "#6baed6", "signed_by": "#c5b0d5", "member": "#c7e9c0",
    "sub_organization_of": "#bdbdbd", "report_to": "#fdae6b", "mentioned_in": "#e0e0e0",
}
"""Edge colour of each relation (see :data:`graph.network.RELATIONS`)."""

MAX_LABEL = 42
"""Longest label drawn on the canvas (characters); the full text is in the tooltip and details."""

CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:")
"""Content-Security-Policy of the generated page: inline code only, no request of any kind."""

TEMPLATE = r"""<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<style>{{ vis_css }}</style>
<script>{{ vis_js }}</script>
<style>
  html, body { margin: 0; padding: 0; font-family: "Source Sans Pro", "Segoe UI", Roboto, Arial, sans-serif;
               font-size: 13px; color: #262730; background: #fff; }
  #wrap { position: relative; width: {{ width }}; height: {{ height }}; }
  #mynetwork { width: 100%; height: 100%; border: 1px solid #e6e6e6; border-radius: 6px; background: #fff; }
  .panel { position: absolute; background: rgba(255,255,255,0.88); border: 1px solid #ddd; border-radius: 6px;
           padding: 6px 8px; box-shadow: 0 1px 4px rgba(0,0,0,0.08); }
  #legend { left: 8px; bottom: 8px; max-width: 46%; max-height: 45%; overflow: auto; }
  #legend .row { display: flex; align-items: center; gap: 6px; margin: 2px 0; white-space: nowrap; }
  #legend .sw { width: 12px; height: 12px; border-radius: 3px; display: inline-block; flex: none; }
  #legend .ln { width: 18px; height: 3px; display: inline-block; flex: none; }
  #search { left: 8px; top: 8px; display: flex; gap: 4px; }
  #search input { width: 190px; padding: 3px 6px; border: 1px solid #ccc; border-radius: 4px; font: inherit; }
  #search button, #details button { font: inherit; padding: 2px 8px; border: 1px solid #ccc; border-radius: 4px;
                                     background: #f7f7f7; cursor: pointer; }
  #details { right: 8px; top: 8px; width: 300px; max-height: calc(100% - 30px); overflow: auto; display: none; }
  #details h4 { margin: 2px 22px 6px 0; font-size: 14px; word-wrap: break-word; }
  #details table { border-collapse: collapse; width: 100%; }
  #details td { vertical-align: top; padding: 2px 4px; border-top: 1px solid #eee; word-break: break-word; }
  #details td.k { color: #666; width: 34%; }
  #details .close { position: absolute; right: 6px; top: 6px; }
  #details a { display: inline-block; margin: 6px 8px 0 0; color: #1f6fb5; }
  #status { right: 8px; bottom: 8px; color: #666; font-size: 12px; }
</style>
</head>
<body>
<div id="wrap">
  <div id="mynetwork"></div>
  <div id="search" class="panel"><input id="q" type="search" autocomplete="off"><button id="go"></button></div>
  <div id="legend" class="panel"></div>
  <div id="details" class="panel" role="dialog"><button class="close" id="close">×</button>
    <h4 id="d-title"></h4><table id="d-props"></table><div id="d-links"></div></div>
  <div id="status" class="panel"></div>
</div>
<script>
(function () {
  "use strict";
  var P = {{ payload|tojson }};
  var T = P.texts;
  var nodes = new vis.DataSet({{ nodes|tojson }});
  var edges = new vis.DataSet({{ edges|tojson }});
  var options = {{ options }};
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  var t0 = performance.now();
  window.__plg = {network: network, nodes: nodes, edges: edges, ready: false, drawMs: null};
  network.once("afterDrawing", function () {
    window.__plg.ready = true;
    window.__plg.drawMs = performance.now() - t0;
    document.body.setAttribute("data-ready", "1");
  });

  function el(tag, text, cls) { var e = document.createElement(tag); if (text != null) e.textContent = text;
                                if (cls) e.className = cls; return e; }
  function fold(s) { return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
                       .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase(); }

  // legend
  var legend = document.getElementById("legend");
  (P.legend || []).forEach(function (item) {
    var row = el("div", null, "row");
    var sw = el("span", null, item.edge ? "ln" : "sw");
    sw.style.background = item.color;
    row.appendChild(sw);
    row.appendChild(el("span", item.label));
    legend.appendChild(row);
  });
  if (!(P.legend || []).length) legend.style.display = "none";
  document.getElementById("status").textContent = T.status;

  // details panel
  var details = document.getElementById("details");
  function showDetails(id) {
    var n = nodes.get(id);
    if (!n) { details.style.display = "none"; return; }
    document.getElementById("d-title").textContent = n.full || n.label || id;
    var tb = document.getElementById("d-props");
    while (tb.firstChild) tb.removeChild(tb.firstChild);
    (n.details || []).forEach(function (kv) {
      var tr = el("tr"); tr.appendChild(el("td", kv[0], "k")); tr.appendChild(el("td", kv[1]));
      tb.appendChild(tr);
    });
    var links = document.getElementById("d-links");
    while (links.firstChild) links.removeChild(links.firstChild);
    (n.links || []).forEach(function (l) {
      var a = el("a", l[0]);
      a.setAttribute("href", l[1]);   // relative app URL built by the server, never javascript:
      // Streamlit's iframe sandbox allows popups but not top-level navigation: open a new tab
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener");
      links.appendChild(a);
    });
    details.style.display = "block";
  }
  document.getElementById("close").addEventListener("click", function () { details.style.display = "none"; });
  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) showDetails(params.nodes[0]);
  });

  // search and centre
  var q = document.getElementById("q");
  q.setAttribute("placeholder", T.search);
  document.getElementById("go").textContent = T.go;
  function centre(id, opts) {
    opts = opts || {};
    network.selectNodes([id]);
    if (opts.fit) network.fit({animation: false});
    else network.focus(id, {scale: opts.scale || 1.3, animation: false});
    if (opts.details !== false) showDetails(id);
  }
  function find() {
    var s = fold(q.value).trim();
    if (!s) return;
    var hit = null;
    nodes.forEach(function (n) { if (hit === null && fold(n.full || n.label).indexOf(s) >= 0) hit = n.id; });
    if (hit !== null) centre(hit);
  }
  document.getElementById("go").addEventListener("click", find);
  q.addEventListener("keydown", function (e) { if (e.key === "Enter") find(); });
  if (P.focus !== null && nodes.get(P.focus)) {
    network.once("afterDrawing", function () {
      centre(P.focus, {fit: nodes.length <= 80, scale: 1.0, details: false});
    });
  } else {
    network.once("afterDrawing", function () { network.fit({animation: false}); });
  }
})();
</script>
</body>
</html>
"""


VIS_DIR = "lib/vis-9.1.2"
"""vis-network version bundled with pyvis that we inline."""


@lru_cache(maxsize=1)
def _env() -> Environment:
    """One Jinja environment for the process. Autoescape is off: every dynamic value goes through
    ``tojson``, except the inlined vis-network assets and our own options JSON."""
    return Environment(loader=DictLoader({"plg_network.html": TEMPLATE}), autoescape=False)


VIS_CSS = """div.vis-network { outline: none; }
div.vis-tooltip { position: absolute; visibility: hidden; z-index: 5; pointer-events: none; padding: 5px 7px;
  max-width: 420px; white-space: pre-wrap; word-wrap: break-word; font: 12px/1.4 Arial, sans-serif; color: #111;
  background: #fffef5; border: 1px solid #aaa; border-radius: 4px; box-shadow: 2px 2px 8px rgba(0,0,0,.15); }"""
"""The only vis-network styles the page needs (its tooltip). vis-network.css (220 KB, mostly
images of the navigation and manipulation toolbars, which these pages do not use) is left out."""


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """``(css, js)``: :data:`VIS_CSS` and vis-network's JavaScript as shipped inside the pyvis
    package (read once). Raises ``RuntimeError`` if the script would end the inline
    ``<script>`` early."""
    import pyvis  # noqa: PLC0415

    js = (Path(pyvis.__file__).resolve().parent / "templates" / VIS_DIR / "vis-network.min.js").read_text(
        encoding="utf-8")
    if "</script" in js.lower():
        raise RuntimeError("vis-network cannot be inlined safely")
    return VIS_CSS, js


def _clip(text: str, n: int = MAX_LABEL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def network_options(*, hierarchical: bool = False) -> dict:
    """vis-network options: physics off, no automatic layout (positions come with the nodes),
    straight edges, hover tooltips; edges hidden while dragging/zooming large graphs."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "hideEdgesOnZoom": True,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
        "nodes": {"font": {"size": 12, "face": "Arial", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"smooth": hierarchical and {"type": "cubicBezier", "forceDirection": "vertical", "roundness": 0.4},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "width": 1,
                  "selectionWidth": 2, "font": {"size": 10, "align": "middle", "strokeWidth": 3}},
    }


DEFAULT_TEXTS = {"search": "Search…", "go": "Go", "status": ""}


def network_html(nodes: list[dict], edges: list[dict], *, height: int = 640, focus: str | None = None,
                 legend: list[dict] | None = None, texts: dict | None = None, lang: str = "vi",
                 hierarchical: bool = False) -> str:
    """A self-contained HTML page drawing the network (see the module docstring).

    ``nodes``: dicts with ``id`` (str), ``label``, optional ``kind`` (styles from
    :data:`KIND_STYLE`), ``title`` (tooltip, plain text), ``x``/``y`` (positions; missing ones
    are computed with :func:`graph.network.layout`), ``details`` (list of ``[field, value]`` for
    the click panel), ``links`` (list of ``[text, relative app URL]``), ``color``/``shape``/
    ``size`` overrides. ``edges``: dicts with ``from``, ``to``, optional ``relation`` (colour from
    :data:`RELATION_COLOR`), ``title`` (tooltip, e.g. the evidence sentence), ``label``.
    ``height`` in CSS pixels; ``focus``: id of a node to centre on and select; ``legend``: items
    ``{"label", "color", "edge": bool}``; ``texts``: UI strings (``search``, ``go``, ``status``).
    Raises ``ValueError`` if an edge names an unknown node.
    """
    from pyvis.network import Network  # noqa: PLC0415

    ids = [str(n["id"]) for n in nodes]
    known = set(ids)
    for e in edges:
        if str(e["from"]) not in known or str(e["to"]) not in known:
            raise ValueError(f"edge {e['from']!r} → {e['to']!r} names a node that is not drawn")
    missing = [n for n in nodes if n.get("x") is None or n.get("y") is None]
    pos = {}
    if missing:
        import networkx as nx  # noqa: PLC0415

        from graph.network import layout  # noqa: PLC0415

        H = nx.Graph()
        H.add_nodes_from(ids)
        H.add_edges_from((str(e["from"]), str(e["to"])) for e in edges)
        pos = layout(H)

    net = Network(height=f"{int(height)}px", width="100%", directed=True, cdn_resources="in_line")
    out_nodes = []
    for n in nodes:
        nid = str(n["id"])
        style = KIND_STYLE.get(n.get("kind", ""), KIND_STYLE["instrument"])
        full = str(n.get("label") or nid)
        x, y = (n.get("x"), n.get("y")) if nid not in pos else pos[nid]
        d = {
            "id": nid, "label": _clip(full), "full": full, "title": str(n.get("title") or full),
            "x": float(x), "y": float(y), "shape": n.get("shape", style["shape"]),
            "color": n.get("color", style["color"]), "size": n.get("size", style["size"]),
            "kind": n.get("kind", ""), "details": [[str(k), str(v)] for k, v in n.get("details", [])],
            "links": [[str(t), str(u)] for t, u in n.get("links", []) if _safe_url(str(u))],
        }
        out_nodes.append(d)
    out_edges = []
    for i, e in enumerate(edges):
        rel = e.get("relation", "")
        d = {"id": f"e{i}", "from": str(e["from"]), "to": str(e["to"]),
             "color": {"color": e.get("color", RELATION_COLOR.get(rel, "#b0b0b0")), "opacity": 0.85}}
        if e.get("title"):
            d["title"] = str(e["title"])
        if e.get("label"):
            d["label"] = _clip(str(e["label"]), 30)
        out_edges.append(d)
    # bulk: pyvis's add_node/add_edge check every existing edge (quadratic)
    net.nodes = out_nodes
    net.node_ids = [d["id"] for d in out_nodes]
    net.node_map = {d["id"]: d for d in out_nodes}
    net.edges = out_edges
    net.options = network_options(hierarchical=hierarchical)
    net.templateEnv = _env()
    net.path = "plg_network.html"
    payload = {"focus": str(focus) if focus is not None and str(focus) in known else None,
               "legend": [{"label": str(i["label"]), "color": str(i["color"]), "edge": bool(i.get("edge"))}
                          for i in (legend or [])],
               "texts": {**DEFAULT_TEXTS, **(texts or {})}}
    template = net.templateEnv.get_template(net.path)
    nodes_, edges_, _heading, height_, width_, options_ = net.get_network_data()
    css, js = vis_assets()
    return template.render(nodes=nodes_, edges=edges_, options=options_, height=height_, width=width_,
                           payload=payload, lang=lang if lang in ("vi", "en") else "vi", csp=CSP,
                           vis_css=css, vis_js=js)


def _safe_url(url: str) -> bool:
    """Only relative app URLs (``page?query``) or fragment links; no scheme, no ``//host``."""
    u = url.strip()
    return bool(u) and ":" not in u.split("?", 1)[0] and not u.startswith("//") and not u.startswith("\\")


def legend_items(kinds: list[str], relations: list[str], names: dict[str, str]) -> list[dict]:
    """Legend entries for the node ``kinds`` and edge ``relations`` shown, labelled by ``names``
    (kind/relation → display text, falling back to the key)."""
    items = [{"label": names.get(k, k), "color": KIND_STYLE.get(k, KIND_STYLE["instrument"])["color"]}
             for k in kinds]
    items += [{"label": names.get(r, r), "color": RELATION_COLOR.get(r, "#b0b0b0"), "edge": True}
              for r in relations]
    return items


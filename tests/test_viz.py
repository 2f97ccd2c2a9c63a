"""graph.viz: the pyvis/vis-network page is offline, bulk-built, physics-free and escapes labels."""

from __future__ import annotations

import json
import re
import time

import pytest

from graph.viz import CSP, network_html, vis_assets

XSS = "<script>alert(1)</script> Sở KH&ĐT"

EXTERNAL = [
    re.compile(r"""<(?:script|img|iframe|link|source|embed|object)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""@import\s+(?:url\()?["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I),
]


def _payload(html: str, name: str):
    """The JSON array passed to ``new vis.DataSet(...)`` for nodes (0) or edges (1)."""
    i = {"nodes": 0, "edges": 1}[name]
    blobs = re.findall(r"new vis\.DataSet\((\[.*?\])\);\n", html, flags=re.S)
    return json.loads(blobs[i])


def small():
    nodes = [{"id": "a", "label": XSS, "kind": "agency", "x": 0, "y": 0,
              "details": [["Tên", XSS], ["note", 'it\'s "quoted" & <b>bold</b>']],
              "links": [["Mở", "agencies?agency=a"], ["bad", "javascript:alert(1)"], ["ext", "https://evil.example/x"],
                        ["proto-rel", "//evil.example/x"]]},
             {"id": "b", "label": "Kế hoạch 377/KH-UBND", "kind": "document", "x": 100, "y": 50}]
    edges = [{"from": "b", "to": "a", "relation": "passed_by", "title": "ban hành bởi\n" + XSS}]
    return nodes, edges


def test_no_request_can_leave_the_page():
    html = network_html(*small())
    for rx in EXTERNAL:
        assert not rx.search(html), rx.pattern
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "bootstrap" not in html.lower()
    assert f'content="{CSP}"' in html and "default-src 'none'" in CSP
    css, js = vis_assets()
    assert js[:200] in html and js[-200:] in html and css in html  # vis-network inlined, not linked
    assert len(html) < 600_000  # vis-network.css (220 KB of toolbar images) is not needed


def test_labels_are_json_escaped_and_round_trip_exactly():
    html = network_html(*small(), focus="a")
    assert "<script>alert(1)" not in html  # never as markup
    assert "&amp;" not in html[html.index("var P ="):]  # no HTML entity in our data: no double escaping
    nodes = _payload(html, "nodes")
    a = next(n for n in nodes if n["id"] == "a")
    assert a["full"] == XSS and a["label"] == XSS and a["title"] == XSS
    assert a["details"][1] == ["note", 'it\'s "quoted" & <b>bold</b>']
    assert a["links"] == [["Mở", "agencies?agency=a"]]  # scheme, external and protocol-relative links dropped
    edges = _payload(html, "edges")
    assert edges[0]["title"].endswith(XSS)


def test_page_shows_text_only_through_text_apis():
    html = network_html(*small())
    script = html[html.index("var P ="):]
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script
    assert "textContent" in script


def test_positions_fixed_and_physics_off():
    html = network_html(*small())
    assert '"physics": {"enabled": false}' in html
    assert '"improvedLayout": false' in html
    nodes = _payload(html, "nodes")
    assert {(n["x"], n["y"]) for n in nodes} == {(0.0, 0.0), (100.0, 50.0)}


def test_missing_positions_are_computed():
    nodes = [{"id": str(i), "label": f"n{i}"} for i in range(30)]
    edges = [{"from": str(i), "to": str(i + 1)} for i in range(29)]
    got = _payload(network_html(nodes, edges), "nodes")
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in got)
    assert len({(n["x"], n["y"]) for n in got}) == 30


def test_unknown_edge_end_is_an_error():
    with pytest.raises(ValueError, match="not drawn"):
        network_html([{"id": "a", "x": 0, "y": 0}], [{"from": "a", "to": "zz"}])


def test_bulk_build_is_fast_for_large_graphs():
    n, m = 5000, 13000
    nodes = [{"id": f"n{i}", "label": f"Sở {i} & co", "kind": "agency", "x": float(i), "y": float(i % 97)}
             for i in range(n)]
    edges = [{"from": f"n{i % n}", "to": f"n{(i * 7 + 1) % n}", "relation": "cites", "title": "câu"}
             for i in range(m)]
    network_html(nodes[:2], [])  # warm the template
    t0 = time.process_time()
    html = network_html(nodes, edges)
    cpu = time.process_time() - t0
    assert cpu < 3.0, f"{cpu:.2f} s CPU for 5,000 nodes / 13,000 edges"
    assert len(_payload(html, "nodes")) == n and len(_payload(html, "edges")) == m


def test_long_labels_are_clipped_on_canvas_but_kept_in_full():
    long = "Kế hoạch thực hiện Chương trình hành động quốc gia vì trẻ em giai đoạn 2021 - 2030 của tỉnh"
    got = _payload(network_html([{"id": "a", "label": long, "x": 0, "y": 0}], []), "nodes")[0]
    assert got["full"] == long and got["label"].endswith("…") and len(got["label"]) <= 42

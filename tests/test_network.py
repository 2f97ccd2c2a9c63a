"""graph.network: the networkx projection of a store, analytics, layout and export."""

from __future__ import annotations

import io
import math
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_graph import XSS_LABEL, make_store, synthetic_graphs  # noqa: E402

from graph import network as gn  # noqa: E402

BASE = "https://w3id.org/plg/"
PLAN = BASE + "eli/vn/dak-nong/kh/2024/377-kh-ubnd"
PROGRAMME = BASE + "eli/vn/dak-nong/ctr/2024/76-ctr-tu"
DISTRICT = BASE + "eli/vn/dak-nong/kh/2024/99-kh-ubnd"
DECISION = BASE + "eli/vn/lang-son/qd/2024/88-qd-ubnd"
LETTER = BASE + "eli/vn/dak-nong/cv/2024/501-ubnd-vx"
DIRECTIVE = BASE + "eli/vn/ct/2023/28-ct-tw"
LDTBXH = BASE + "org/so-lao-dong-thuong-binh-va-xa-hoi-tinh-dak-nong"


@pytest.fixture(scope="module")
def G():
    return gn.project(make_store())


def by_number(G, number):
    return next(n for n, d in G.nodes(data=True) if d["number"] == number)


@pytest.mark.parametrize("number, kind, label, label_en", [
    ("377/KH-UBND", "document", "Kế hoạch 377/KH-UBND", "Plan 377/KH-UBND"),
    ("76-CTr/TU", "document", "Chương trình 76-CTr/TU", "Programme 76-CTr/TU"),
    ("28-CT/TW", "instrument", "Chỉ thị 28-CT/TW", "Directive 28-CT/TW"),
    ("102/2016/QH13", "instrument", "Luật 102/2016/QH13", "Law on Children"),
    ("1234/QĐ-TTg", "instrument", "Quyết định 1234/QĐ-TTg", "Decision 1234/QĐ-TTg"),
])
def test_document_and_instrument_nodes(G, number, kind, label, label_en):
    d = G.nodes[by_number(G, number)]
    assert (d["kind"], d["label"], d["label_en"]) == (kind, label, label_en)


def test_node_kinds_and_labels(G):
    kinds = {}
    for _, k in G.nodes(data="kind"):
        kinds[k] = kinds.get(k, 0) + 1
    assert kinds == {"document": 5, "instrument": 3, "agency": 10, "group": 1, "task": 5, "person": 1}
    labels = {d["label"] for _, d in G.nodes(data=True)}
    assert XSS_LABEL in labels  # kept exactly, no escaping at this layer
    assert G.nodes[LDTBXH]["label_en"] == "Department of Labour, Invalids and Social Affairs of Đắk Nông"
    assert "Sở Lao động - Thương binh và Xã hội" in G.nodes[LDTBXH]["alt"]


@pytest.mark.parametrize("source, target, relation, evidence_part", [
    (PLAN, PROGRAMME, "implements", "Thực hiện Chương trình số 76-CTr/TU"),
    (DISTRICT, PLAN, "implements", "Thực hiện Kế hoạch số 377/KH-UBND"),
    (PROGRAMME, DIRECTIVE, "implements", "Chỉ thị số 28-CT/TW"),
    (PLAN, LDTBXH, "mentioned_in", None),
])
def test_edges_carry_relation_and_evidence(G, source, target, relation, evidence_part):
    if relation == "mentioned_in":
        source, target = target, source
    data = G.get_edge_data(source, target, key=relation)
    assert data is not None and data["relation"] == relation
    if evidence_part:
        assert evidence_part in data["evidence"] and data["evidence_count"] >= 1


def test_attributes_are_graphml_safe(G):
    for _, d in G.nodes(data=True):
        assert all(isinstance(v, (str, int)) for v in d.values())
    for _, _, d in G.edges(data=True):
        assert all(isinstance(v, (str, int)) for v in d.values())
    back = nx.read_graphml(io.BytesIO(gn.to_graphml(G)))
    assert back.number_of_nodes() == G.number_of_nodes()
    assert XSS_LABEL in {d.get("label") for _, d in back.nodes(data=True)}
    back = nx.read_gexf(io.BytesIO(gn.to_gexf(G)))
    assert back.number_of_nodes() == G.number_of_nodes()


def test_export_store_uses_projection():
    from graph.export import export_store

    store = make_store()
    assert b"<graphml" in export_store(store, "graphml")
    assert b"<gexf" in export_store(store, "gexf")


@pytest.mark.parametrize("start, relations, expected", [
    (PLAN, ("implements",), {PLAN: 0, PROGRAMME: -1, DIRECTIVE: -2, DISTRICT: 1}),
    (DIRECTIVE, ("implements",), {DIRECTIVE: 0, PROGRAMME: 1, DECISION: 1, PLAN: 2, DISTRICT: 3}),
    (LETTER, ("implements",), {LETTER: 0}),
    (LETTER, ("cites",), {LETTER: 0, BASE + "eli/vn/qd/_/1234-qd-ttg": -1}),
])
def test_mandate_chain(G, start, relations, expected):
    levels, edges = gn.mandate_chain(G, start, relations=relations)
    assert levels == expected
    assert all(r in relations for _, _, r, _ in edges)
    assert all(ev for a, b, r, ev in edges if r == "implements")


def test_mandate_chain_unknown_node(G):
    with pytest.raises(KeyError):
        gn.mandate_chain(G, BASE + "nope")


def test_instrument_ranking(G):
    rows = gn.instrument_ranking(G)
    top = {r["number"]: r for r in rows}
    assert top["28-CT/TW"]["implements"] == 2 and top["28-CT/TW"]["in_degree"] == 2
    assert top["102/2016/QH13"]["based_on"] == 2
    assert top["1234/QĐ-TTg"]["cites"] == 2
    assert rows[0]["number"] == "28-CT/TW"  # ties on in-degree broken by PageRank
    assert all(0 < r["pagerank"] < 1 for r in rows)
    assert len(gn.instrument_ranking(G, top=2)) == 2


def test_agency_workload(G):
    rows = {r["label"]: r for r in gn.agency_workload(G)}
    r = rows["Sở Lao động - Thương binh và Xã hội tỉnh Đắk Nông"]
    assert (r["lead"], r["coordinate"], r["responsible"], r["tasks"], r["documents"]) == (1, 1, 0, 2, 1)
    assert rows[XSS_LABEL]["coordinate"] == 1
    assert rows["các Sở, ban, ngành, đoàn thể cấp tỉnh"]["kind"] == "group"


def test_document_path(G):
    steps = gn.document_path(G, DISTRICT, DECISION)  # shortest: through the Law both rest on
    assert [s["source"] for s in steps] == [DISTRICT, PLAN, BASE + "eli/vn/luat/2016/102-2016-qh13"]
    assert [(s["relation"], s["forward"]) for s in steps] == [("implements", True), ("based_on", True),
                                                                ("based_on", False)]
    assert steps[-1]["target"] == DECISION and "Luật Trẻ em" in steps[-1]["evidence"]
    assert [s["target"] for s in gn.document_path(G, PROGRAMME, DIRECTIVE)] == [DIRECTIVE]
    assert gn.document_path(G, PLAN, PLAN) == []


def test_orphan_documents(G):
    assert [r["number"] for r in gn.orphan_documents(G)] == ["501/UBND-VX"]


def test_neighbourhood_and_filtered_view(G):
    around = gn.neighbourhood(G, PLAN, 1, relations=("implements",))
    assert around[0] == PLAN and set(around) == {PLAN, PROGRAMME, DISTRICT}
    nodes, edges = gn.filtered_view(G, kinds=("document", "instrument"), relations=("implements",))
    assert set(nodes) == {PLAN, PROGRAMME, DISTRICT, DECISION, DIRECTIVE}
    assert len(edges) == 4
    nodes, _ = gn.filtered_view(G, kinds=("document", "instrument"), relations=("implements",), limit=2)
    assert len(nodes) == 2


def test_layout_positions_every_node_deterministically(G):
    p1, p2 = gn.layout(G), gn.layout(G)
    assert p1 == p2 and set(p1) == set(G.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in p1.values())
    assert len({(round(x, 3), round(y, 3)) for x, y in p1.values()}) == len(p1)


def test_layout_scales_to_thousands_of_nodes():
    H = nx.barabasi_albert_graph(3000, 2, seed=1)
    t0 = time.process_time()
    pos = gn.layout(H)
    cpu = time.process_time() - t0
    assert len(pos) == 3000
    assert cpu < 10, f"layout of 3,000 nodes took {cpu:.1f} s CPU"
    xs = sorted(x for x, _ in pos.values())
    assert xs[-1] - xs[0] > 1000  # spread out, not collapsed


def test_hierarchy_positions_layers():
    levels = {"a": -1, "b": 0, "c": 1, "d": 1}
    pos = gn.hierarchy_positions(levels, [("b", "a"), ("c", "b"), ("d", "b")])
    assert pos["a"][1] < pos["b"][1] < pos["c"][1] == pos["d"][1]
    assert pos["c"][0] != pos["d"][0]


def test_projection_of_a_larger_corpus():
    store = make_store(":memory:", synthetic_graphs(40, tasks_per_doc=4, agencies=60))
    G = gn.project(store)
    kinds = {k for _, k in G.nodes(data="kind")}
    assert {"document", "instrument", "agency", "task"} <= kinds
    assert sum(1 for _, k in G.nodes(data="kind") if k == "document") == 40

"""End to end on the Đắk Nông plan (data/documents): text → graph → store → SPARQL.

These are the acceptance checks of the end-to-end issue, asserted on the real default input.
"""

from __future__ import annotations

import pytest

from graph.batch import build_paths
from graph.store import GraphStore
from tests.conftest import MAIN_DOC

P = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX plg: <https://w3id.org/plg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = GraphStore(tmp_path_factory.mktemp("e2e") / "store")
    summary = build_paths(st, [MAIN_DOC])
    assert summary.documents == 1 and not summary.failures
    return st


def one(store, q):
    _, rows = store.select(P + q)
    return rows


def test_plan_metadata(store):
    rows = one(store, """SELECT DISTINCT ?type ?date ?issuer ?signer WHERE {
        ?plan plg:sourceFile ?f ; eli:id_local "377/KH-UBND" ;
              eli:type_document/skos:prefLabel ?type ; eli:date_document ?date ;
              eli:passed_by/skos:prefLabel ?issuer ; plg:signedBy/foaf:name ?signer .
        FILTER(lang(?type) = "vi" && lang(?issuer) = "vi") }""")
    assert rows == [{"type": "Kế hoạch", "date": "2024-06-13",
                     "issuer": "Ủy ban nhân dân tỉnh Đắk Nông", "signer": "Tôn Thị Ngọc Hạnh"}]


@pytest.mark.parametrize(("number", "date", "issuer"), [
    ("76-CTr/TU", "2024-05-13", "Ban Thường vụ Tỉnh ủy Đắk Nông"),
    ("28-CT/TW", "2023-12-25", "Bộ Chính trị"),
])
def test_chain_instruments_are_one_resource_each(store, number, date, issuer):
    rows = one(store, f"""SELECT DISTINCT ?r ?date ?issuer WHERE {{
        ?r eli:id_local "{number}" ; eli:date_document ?date ; eli:passed_by/skos:prefLabel ?issuer .
        FILTER(lang(?issuer) = "vi") }}""")
    assert len({r["r"] for r in rows}) == 1
    assert rows[0]["date"] == date and rows[0]["issuer"] == issuer
    # the typo variant "76-CT/TU" and the upper-case title "76-CTR/TU" are not separate resources
    variants = one(store, """SELECT ?n WHERE { ?r eli:id_local ?n .
        FILTER(?n IN ("76-CT/TU", "76-CTR/TU")) }""")
    assert variants == []


def test_implementing_chain(store):
    assert store.query(P + """ASK {
        ?plan eli:id_local "377/KH-UBND" ; eli:ensures_implementation_of ?prog .
        ?prog eli:id_local "76-CTr/TU" ; eli:ensures_implementation_of ?dir .
        ?dir eli:id_local "28-CT/TW" }""")


def test_cites_law_on_children_and_six_national_programmes(store):
    rows = one(store, """SELECT ?name WHERE {
        ?plan eli:id_local "377/KH-UBND" ; eli:cites ?r . ?r plg:name ?name }""")
    names = {r["name"] for r in rows}
    assert "Luật Trẻ em" in names
    expected = {
        "Chương trình hành động quốc gia vì trẻ em giai đoạn 2021-2030",
        "Chiến lược quốc gia về dinh dưỡng giai đoạn 2021 - 2030 và tầm nhìn đến năm 2045",
        "Chương trình phòng, chống tai nạn, thương tích trẻ em giai đoạn 2021-2030",
        "Chương trình can thiệp giảm tử vong trẻ em dưới 5 tuổi đến năm 2030",
        "Chương trình phòng ngừa, giảm thiểu trẻ em lao động trái quy định của pháp luật giai đoạn "
        "2021-2025, định hướng đến năm 2030",
        "Chương trình chăm sóc sức khoẻ tâm thần trẻ em, chăm sóc trẻ em mồ côi giai đoạn 2023-2030",
    }
    assert expected <= names


def test_programme_linked_to_its_approving_decision(store):
    assert store.query(P + """ASK {
        ?prog plg:name "Chương trình hành động quốc gia vì trẻ em giai đoạn 2021-2030"@vi ;
              plg:approvedBy ?dec . ?dec eli:id_local "23/QĐ-TTg" }""")


def test_provision_tree(store):
    rows = one(store, """SELECT ?eid ?kind WHERE {
        ?plan eli:id_local "377/KH-UBND" ; eli:has_part+ ?p . ?p plg:eid ?eid ; plg:provisionKind ?kind }""")
    eids = {r["eid"] for r in rows}
    assert {"part_I", "part_II", "part_I__item_1", "part_I__item_2"} <= eids
    assert {f"part_II__item_{i}" for i in range(1, 6)} <= eids
    indents = [r for r in rows if r["kind"] == "indent"]
    assert len(indents) == 16  # every dash bullet of I.1–II.5 in the source text (2+2+3+2+3+3+1)


def test_provision_spans_point_at_their_text(store):
    text = MAIN_DOC.read_text(encoding="utf-8")
    rows = one(store, """SELECT ?s ?e ?d WHERE { ?p plg:provisionKind "indent" ; plg:start ?s ; plg:end ?e ;
        <http://purl.org/dc/terms/description> ?d }""")
    assert rows
    for r in rows:
        words = r["d"].split()[1:6]
        chunk = " ".join(text[r["s"]:r["e"]].split())
        assert " ".join(words) in chunk


def test_every_relation_has_evidence_with_span_inside_text(store):
    text = MAIN_DOC.read_text(encoding="utf-8")
    rows = one(store, """PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?surface ?s ?e WHERE {
        ?ev a plg:Evidence ; rdf:predicate eli:ensures_implementation_of ; plg:surface ?surface ;
            oa:hasSelector [ oa:start ?s ; oa:end ?e ] }""")
    assert rows
    for r in rows:
        assert " ".join(text[r["s"]:r["e"]].replace("*", "").split()) == r["surface"]

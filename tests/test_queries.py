"""Named queries: every file parses, has a title and description, and is valid SPARQL."""

import pyoxigraph as ox
import pytest

from graph.errors import QueryError
from graph.queries import get_query, load_queries, render, substitutions

REQUIRED = {"mandate-chain", "implementers", "document-tasks", "agency-tasks", "citations",
            "documents-by-issuer-year", "documents"}


def test_required_queries_exist():
    assert REQUIRED <= set(load_queries())


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_query_is_valid_sparql_with_metadata(name):
    q = get_query(name)
    assert q.title and q.description
    st = ox.Store()
    st.query(render(q))  # parses and runs on an empty store
    assert set(substitutions(q)) == set(q.params)


def test_unknown_parameter_is_refused():
    with pytest.raises(QueryError, match="unknown parameter"):
        render(get_query("mandate-chain"), {"nope": "x"})


def test_unknown_query_names_the_known_ones():
    with pytest.raises(QueryError, match="mandate-chain"):
        get_query("no-such-query")


def test_values_are_escaped():
    text = render(get_query("mandate-chain"), {"number": 'a"b\\c'})
    ox.Store().query(text)


def test_agency_tasks_lists_the_other_agencies_of_each_task():
    """agency-tasks on a small store: a case-insensitive name finds the agency; ``with`` holds
    every other agency of the task (not the agency itself, no empty items) and is unbound when
    there is none. Checked against the data directly, so a rewrite for speed keeps the answer."""
    plg, skos = "https://w3id.org/plg/ontology#", "http://www.w3.org/2004/02/skos/core#"
    st = ox.Store()
    nn, lit = ox.NamedNode, ox.Literal
    label = {"a": "Sở Y tế tỉnh X", "b": "Sở Tài chính tỉnh X", "c": "Công an tỉnh X"}
    for k, v in label.items():
        st.add(ox.Quad(nn(f"http://e/{k}"), nn(skos + "prefLabel"), lit(v, language="vi")))
    tasks = {"t1": [("leadAgency", "a"), ("coordinatingAgency", "b"), ("coordinatingAgency", "c")],
             "t2": [("responsibleAgency", "a")]}
    for t, roles in tasks.items():
        st.add(ox.Quad(nn(f"http://e/{t}"), nn("http://www.w3.org/2000/01/rdf-schema#label"), lit(t)))
        st.add(ox.Quad(nn(f"http://e/{t}"), nn(plg + "inDocument"), nn("http://e/doc")))
        for p, a in roles:
            st.add(ox.Quad(nn(f"http://e/{t}"), nn(plg + p), nn(f"http://e/{a}")))
    st.add(ox.Quad(nn("http://e/doc"), nn("http://data.europa.eu/eli/ontology#id_local"), lit("1/KH-UBND")))
    q = st.query(render(get_query("agency-tasks"), {"agency_name": "SỞ Y TẾ TỈNH X"}))
    rows = {(str(r["task"].value), r["role"].value): r["with"] for r in q}
    assert set(rows) == {("http://e/t1", "lead"), ("http://e/t2", "responsible")}
    assert sorted(rows[("http://e/t1", "lead")].value.split(" ; ")) == ["Công an tỉnh X", "Sở Tài chính tỉnh X"]
    assert rows[("http://e/t2", "responsible")] is None
    q = st.query(render(get_query("agency-tasks"), {"agency_name": "sở tài chính tỉnh x"}))
    (row,) = list(q)
    assert row["role"].value == "coordinate"
    assert sorted(row["with"].value.split(" ; ")) == ["Công an tỉnh X", "Sở Y tế tỉnh X"]


def _two_provinces_store():
    """Two plans numbered "1/KH-UBND" by two provinces (numbers repeat across provinces), each
    with one task and each implementing its own programme."""
    eli, plg = "http://data.europa.eu/eli/ontology#", "https://w3id.org/plg/ontology#"
    skos, rdfs = "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/2000/01/rdf-schema#"
    nn, lit = ox.NamedNode, ox.Literal
    st = ox.Store()
    for p, prov in (("x", "Ủy ban nhân dân tỉnh Đắk Nông"), ("y", "Ủy ban nhân dân tỉnh Lạng Sơn")):
        doc, prog, org, t = (nn(f"http://e/{p}/{k}") for k in ("doc", "prog", "org", "task"))
        st.add(ox.Quad(doc, nn(eli + "id_local"), lit("1/KH-UBND")))
        st.add(ox.Quad(doc, nn(eli + "passed_by"), org))
        st.add(ox.Quad(org, nn(skos + "prefLabel"), lit(prov, language="vi")))
        st.add(ox.Quad(doc, nn(eli + "ensures_implementation_of"), prog))
        st.add(ox.Quad(prog, nn(eli + "id_local"), lit(f"2-CTr/{p.upper()}")))
        st.add(ox.Quad(prog, nn(eli + "type_document"), nn("http://e/type/ctr")))
        st.add(ox.Quad(t, nn(plg + "inDocument"), doc))
        st.add(ox.Quad(t, nn(rdfs + "label"), lit(f"task {p}")))
        st.add(ox.Quad(t, nn(plg + "leadAgency"), org))
    st.add(ox.Quad(nn("http://e/type/ctr"), nn(skos + "prefLabel"), lit("Chương trình", language="vi")))
    st.add(ox.Quad(nn("http://e/type/ctr"), nn(skos + "prefLabel"), lit("Programme", language="en")))
    return st


def test_mandate_chain_gives_one_row_per_link_with_the_vietnamese_type():
    """A type with labels in two languages must not double the rows."""
    st = _two_provinces_store()
    rows = list(st.query(render(get_query("mandate-chain"), {"number": "1/KH-UBND", "issued_by": "lạng sơn"})))
    assert [(r["instrument"].value, r["type"].value) for r in rows] == [("http://e/y/prog", "Chương trình")]


@pytest.mark.parametrize(("name", "issued_by", "want"), [
    ("document-tasks", "", {"http://e/x/doc", "http://e/y/doc"}),
    ("document-tasks", "tỉnh ĐẮK NÔNG", {"http://e/x/doc"}),
    ("document-tasks", "lạng sơn", {"http://e/y/doc"}),
    ("document-tasks", "Hà Nội", set()),
    ("mandate-chain", "", {"http://e/x/doc", "http://e/y/doc"}),
    ("mandate-chain", "Lạng Sơn", {"http://e/y/doc"}),
])
def test_same_number_in_two_provinces_is_told_apart(name, issued_by, want):
    """Provinces reuse numbers ("1/KH-UBND"): the document column tells the documents apart and
    ``issued_by`` (part of the issuer's name, any case) picks one."""
    st = _two_provinces_store()
    rows = list(st.query(render(get_query(name), {"number": "1/KH-UBND", "issued_by": issued_by})))
    assert {r["document"].value for r in rows} == want


def test_implementers_filters_the_target_by_issuer():
    st = _two_provinces_store()
    eli = "http://data.europa.eu/eli/ontology#"
    # both programmes share a number here, to make the target ambiguous
    for p in ("x", "y"):
        st.remove(ox.Quad(ox.NamedNode(f"http://e/{p}/prog"), ox.NamedNode(eli + "id_local"),
                          ox.Literal(f"2-CTr/{p.upper()}")))
        st.add(ox.Quad(ox.NamedNode(f"http://e/{p}/prog"), ox.NamedNode(eli + "id_local"), ox.Literal("2-CTr/TU")))
        st.add(ox.Quad(ox.NamedNode(f"http://e/{p}/prog"), ox.NamedNode(eli + "passed_by"),
                       ox.NamedNode(f"http://e/{p}/org")))
    q = get_query("implementers")
    rows = list(st.query(render(q, {"number": "2-CTr/TU"})))
    assert {r["document"].value for r in rows} == {"http://e/x/doc", "http://e/y/doc"}
    rows = list(st.query(render(q, {"number": "2-CTr/TU", "issued_by": "đắk nông"})))
    assert {r["document"].value for r in rows} == {"http://e/x/doc"}


def test_run_named_names_the_query_once():
    """An unknown parameter's error reads "mandate-chain: unknown parameter(s) …", not
    "mandate-chain: mandate-chain: …" (seen by a first-time user of the CLI)."""
    from graph.queries import run_named

    class _Store:
        def select(self, text):
            return [], []

    with pytest.raises(QueryError) as e:
        run_named(_Store(), "mandate-chain", {"numbr": "1/KH-UBND"})
    assert str(e.value).count("mandate-chain") == 1


@pytest.fixture(scope="module")
def default_store(tmp_path_factory):
    """The store the app builds on first run: data/documents through the real pipeline."""
    from pathlib import Path

    from graph.batch import build_paths
    from graph.store import GraphStore

    docs = Path(__file__).resolve().parents[1] / "data" / "documents"
    st = GraphStore(tmp_path_factory.mktemp("default") / "store")
    s = build_paths(st, [str(docs)])
    assert s.documents >= 1 and not s.failures, s.failures
    return st


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_default_parameters_answer_on_the_default_data(default_store, name):
    """Every named query with its default parameters returns rows on the shipped data: the SPARQL
    console shows them as examples (agency-tasks' default agency used to have no task in it)."""
    from graph.queries import run_named

    _, rows = run_named(default_store, name)
    assert rows, f"{name}: no rows with its default parameters on data/documents"

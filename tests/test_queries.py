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

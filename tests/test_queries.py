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

"""The ``policygraph`` command line through typer's CliRunner: every command, every export format,
and the error paths (one line "error: …", exit status 1, never a traceback).

Store-level commands run on a store filled by ``graph.batch`` with the fake extraction of
``batch_fakes``; the commands that need the extraction pipeline (build, extract on real text)
skip while it cannot be imported.
"""

from __future__ import annotations

import gc
import json
import os
import re
from pathlib import Path

import pytest
from batch_fakes import EX, fake_process
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from graph.batch import build_paths
from graph.cli import app
from graph.store import GraphStore
from graph.vocab import graph_iri

ROOT = Path(__file__).resolve().parents[1]
MAIN_DOC = ROOT / "data" / "documents" / "000_daknong_377-kh-ubnd_2024_chi-thi-28_tre-em.txt"
runner = CliRunner()


def _run(*args: str, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def _assert_one_line_error(res, *words: str) -> None:
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    err = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(err) == 1 and err[0].startswith("error: "), res.stderr
    for w in words:
        assert w.lower() in err[0].lower(), err[0]


def _pipeline_or_skip():
    try:
        import graph.pipeline  # noqa: F401
    except ImportError as e:
        pytest.skip(f"extraction pipeline not importable yet: {e}")


@pytest.fixture
def fake_store(tmp_path, monkeypatch) -> Path:
    """A store with two fake documents ("a1", "b1"), closed so the CLI can open it."""
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("DOC a1\nSở Y tế \"chủ trì\"\n", encoding="utf-8")
    (docs / "b.txt").write_text("DOC b1\nline\n", encoding="utf-8")
    location = tmp_path / "store"
    st = GraphStore(location)
    s = build_paths(st, [str(docs)], process=fake_process)
    assert s.documents == 2
    del st
    gc.collect()
    return location


# ---- build -----------------------------------------------------------------------------------------------

def test_build_missing_path_is_one_line_error(tmp_path):
    res = _run("build", tmp_path / "nope", "--store", tmp_path / "s", "--quiet")
    _assert_one_line_error(res, "nope", "no such file")


def test_build_store_that_is_a_file_is_one_line_error(tmp_path):
    bad = tmp_path / "file"
    bad.write_text("x")
    res = _run("build", tmp_path, "--store", bad, "--quiet")
    _assert_one_line_error(res, "store")


def test_build_twice_then_skip(tmp_path, monkeypatch):
    _pipeline_or_skip()
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / MAIN_DOC.name).write_bytes(MAIN_DOC.read_bytes())
    res = _run("build", docs, "--store", tmp_path / "s", "--quiet", "--no-validate")
    assert res.exit_code == 0, res.output
    assert "documents built: 1" in res.stdout and "failed: 0" in res.stdout
    assert "documents/s" in res.stdout and "triples/s" in res.stdout
    res = _run("build", docs, "--store", tmp_path / "s", "--json", "--quiet", "--no-validate")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert (summary["documents"], summary["skipped"], summary["failed"]) == (0, 1, 0)


def test_build_fast_gives_the_same_store_and_validates(tmp_path, monkeypatch):
    _pipeline_or_skip()
    from graph.store import GraphStore

    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / MAIN_DOC.name).write_bytes(MAIN_DOC.read_bytes())
    res = _run("build", docs, "--store", tmp_path / "fast", "--quiet", "--fast")
    assert res.exit_code == 0, res.output
    assert "SHACL (1 graph(s) written): conforms" in res.stdout
    assert _run("build", docs, "--store", tmp_path / "safe", "--quiet", "--no-validate").exit_code == 0
    a, b = GraphStore(tmp_path / "fast"), GraphStore(tmp_path / "safe")
    assert a.export("nquads") == b.export("nquads") and a.export("ntriples") == b.export("ntriples")


def test_build_lists_each_failed_file_and_exits_1(tmp_path, monkeypatch):
    _pipeline_or_skip()
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / MAIN_DOC.name).write_bytes(MAIN_DOC.read_bytes())
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    res = _run("build", docs, "--store", tmp_path / "s", "--quiet", "--no-validate")
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    failed = [ln for ln in res.stdout.splitlines() if ln.startswith("FAILED ")]
    assert len(failed) == 2 and any("empty.txt" in f for f in failed) and any("binary.txt" in f for f in failed)
    assert "documents built: 1" in res.stdout


# ---- query -----------------------------------------------------------------------------------------------

def test_query_select_table_json_csv(fake_store):
    q = "SELECT ?n WHERE { ?d <http://data.europa.eu/eli/ontology#id_local> ?n } ORDER BY ?n"
    res = _run("query", q, "--store", fake_store)
    assert res.exit_code == 0, res.output
    assert "a1" in res.stdout and "2 row(s)" in res.stdout
    res = _run("query", q, "--store", fake_store, "--format", "json")
    assert json.loads(res.stdout) == [{"n": "a1"}, {"n": "b1"}]
    res = _run("query", q, "--store", fake_store, "--format", "csv")
    assert res.stdout.splitlines() == ["n", "a1", "b1"]


def test_query_from_stdin_ask_and_construct(fake_store):
    res = _run("query", "-", "--store", fake_store, input="ASK { ?s ?p ?o }")
    assert res.exit_code == 0 and res.stdout.strip() == "true"
    res = _run("query", f"CONSTRUCT {{ <{EX}a1> ?p ?o }} WHERE {{ <{EX}a1> ?p ?o }}", "--store", fake_store)
    assert res.exit_code == 0
    assert len(Graph().parse(data=res.stdout, format="turtle")) >= 3


def test_query_named(fake_store):
    res = _run("query", "--name", "documents", "--store", fake_store, "--format", "json")
    assert res.exit_code == 0, res.output
    assert sorted(r["number"] for r in json.loads(res.stdout)) == ["a1", "b1"]
    res = _run("query", "--name", "citations", "--param", "number=a1", "--store", fake_store, "-f", "json")
    assert res.exit_code == 0 and json.loads(res.stdout) == []


_SEL = "SELECT ?n WHERE { ?d <http://data.europa.eu/eli/ontology#id_local> ?n } ORDER BY ?n"


def test_query_sparql_result_formats(fake_store):
    """srj / srx / tsv are the SPARQL 1.1 result formats (W3C Recommendations), parsed back by
    pyoxigraph's own parser; ASK gives a boolean document."""
    import pyoxigraph as ox

    fmts = {"srj": ox.QueryResultsFormat.JSON, "srx": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}
    for f, of in fmts.items():
        res = _run("query", _SEL, "--store", fake_store, "-f", f)
        assert res.exit_code == 0, res.output
        sols = ox.parse_query_results(res.stdout.encode(), format=of)
        assert [s["n"].value for s in sols] == ["a1", "b1"], f
    res = _run("query", "ASK { ?s ?p ?o }", "--store", fake_store, "-f", "srj")
    assert json.loads(res.stdout) == {"head": {}, "boolean": True}
    res = _run("query", "--name", "documents", "--store", fake_store, "-f", "srj")
    assert res.exit_code == 0 and len(json.loads(res.stdout)["results"]["bindings"]) == 2


def test_query_construct_as_ntriples(fake_store):
    res = _run("query", f"CONSTRUCT {{ <{EX}a1> ?p ?o }} WHERE {{ <{EX}a1> ?p ?o }}", "--store", fake_store,
               "-f", "ntriples")
    assert res.exit_code == 0, res.output
    assert len(Graph().parse(data=res.stdout, format="nt")) >= 3


@pytest.mark.parametrize("args, words", [
    (["SELEC ?x WHERE {"], ["syntax"]),
    (["CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "-f", "csv"], ["-f csv", "construct", "turtle"]),
    (["ASK { ?s ?p ?o }", "-f", "csv"], ["ask", "srj"]),
    ([_SEL, "-f", "turtle"], ["select", "srj"]),
    (["--name", "no-such-query"], ["no-such-query", "known"]),
    (["--name", "citations", "--param", "number"], ["key=value"]),
    (["--name", "citations", "--param", "bogus=1"], ["unknown parameter"]),
    ([], ["--name"]),
    (["SELECT * WHERE { ?s ?p ?o }", "--format", "xml"], ["format"]),
])
def test_query_errors(fake_store, args, words):
    _assert_one_line_error(_run("query", *args, "--store", fake_store), *words)


def test_queries_lists_every_named_query():
    res = _run("queries")
    assert res.exit_code == 0
    for name in ("documents", "citations", "mandate-chain", "agency-tasks"):
        assert f"{name}:" in res.stdout


# ---- export ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, parse_as", [
    ("turtle", "turtle"), ("ntriples", "nt"), ("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld"),
])
def test_export_rdf_formats_parse_back(fake_store, tmp_path, fmt, parse_as):
    out = tmp_path / f"out.{fmt}"
    res = _run("export", "--format", fmt, "--output", out, "--store", fake_store)
    assert res.exit_code == 0, res.output
    assert f"wrote {out.stat().st_size} bytes" in res.stderr
    g = Dataset() if fmt in ("trig", "nquads", "jsonld") else Graph()
    g.parse(out, format=parse_as)
    assert len(g) > 0 or sum(len(x) for x in g.graphs()) > 0
    if fmt in ("trig", "nquads"):
        assert {str(c.identifier) for c in g.graphs()} >= {graph_iri(EX + "a1"), graph_iri(EX + "b1")}


def test_export_to_stdout_is_deterministic(fake_store):
    a = _run("export", "--format", "nquads", "--store", fake_store)
    b = _run("export", "--format", "nquads", "--store", fake_store)
    assert a.exit_code == 0 and a.stdout_bytes == b.stdout_bytes and a.stdout_bytes


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_network_formats(fake_store, tmp_path, fmt):
    try:
        import graph.network  # noqa: F401
    except ImportError as e:
        pytest.skip(f"graph.network not there yet: {e}")
    import networkx as nx

    out = tmp_path / f"out.{fmt}"
    res = _run("export", "-f", fmt, "-o", out, "--store", fake_store)
    assert res.exit_code == 0, res.output
    (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)


def test_export_unknown_format_is_one_line_error(fake_store):
    _assert_one_line_error(_run("export", "--format", "xlsx", "--store", fake_store), "xlsx")


# ---- stats, validate, remove -----------------------------------------------------------------------------

def test_stats_json_and_text(fake_store):
    res = _run("stats", "--json", "--store", fake_store)
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["documents"] == 2 and s["graphs"] >= 2 and s["triples"] > 0
    res = _run("stats", "--store", fake_store)
    assert "documents: 2" in res.stdout
    # triples = what COUNT(*) over the merged graph answers; quads = statements in the named graphs
    res = _run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", fake_store, "-f", "json")
    assert json.loads(res.stdout) == [{"n": s["triples"]}]
    res = _run("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--store", fake_store, "-f", "json")
    assert json.loads(res.stdout) == [{"n": s["quads"]}]


def test_validate_reports_and_exits_by_result(fake_store):
    res = _run("validate", "--store", fake_store)
    assert res.exit_code in (0, 1) and "Traceback" not in res.output
    # the fake documents have no type and no issuer: the shapes must say so
    assert res.exit_code == 1 and "violation" in res.stdout


def test_remove_by_number_then_unknown(fake_store):
    res = _run("remove", "a1", "--store", fake_store)
    assert res.exit_code == 0, res.output
    assert re.search(r"removed (or updated )?1 graph\(s\)", res.stdout) and graph_iri(EX + "a1") in res.stdout
    res = _run("stats", "--json", "--store", fake_store)
    assert json.loads(res.stdout)["documents"] == 1
    _assert_one_line_error(_run("remove", "a1", "--store", fake_store), "no document matches")


def test_remove_by_path(fake_store):
    res = _run("remove", os.path.join("docs", "b.txt"), "--store", fake_store)
    assert res.exit_code == 0 and graph_iri(EX + "b1") in res.stdout


# ---- extract ---------------------------------------------------------------------------------------------

def test_extract_missing_file_is_one_line_error(tmp_path):
    _pipeline_or_skip()
    _assert_one_line_error(_run("extract", tmp_path / "missing.txt"), "missing.txt")


def test_extract_binary_file_is_one_line_error(tmp_path):
    _pipeline_or_skip()
    f = tmp_path / "x.txt"
    f.write_bytes(bytes(range(256)) * 4)
    _assert_one_line_error(_run("extract", f), "x.txt", "binary")


def test_extract_main_document_json_and_turtle():
    _pipeline_or_skip()
    res = _run("extract", MAIN_DOC)
    assert res.exit_code == 0, res.output
    ann = json.loads(res.stdout)
    assert ann["document"]["document_number"] == "377/KH-UBND"
    assert ann["file"] == MAIN_DOC.name
    res = _run("extract", MAIN_DOC, "--format", "turtle")
    assert res.exit_code == 0
    assert len(Graph().parse(data=res.stdout, format="turtle")) > 20


@pytest.mark.parametrize("args", [
    ("query", "ASK { ?s ?p ?o }"), ("query", "--name", "documents"), ("stats",), ("export", "-f", "nquads"),
    ("validate",), ("remove", "1/KH-UBND"),
])
def test_a_mistyped_store_path_is_an_error_not_an_empty_store(tmp_path, args):
    """A first-time user's ``--store /tmp/no_such_store`` printed an empty table with exit 0 and
    left an empty store behind; read-only commands now refuse a path that does not exist."""
    missing = tmp_path / "no_such_store"
    _assert_one_line_error(_run(*args, "--store", missing), "no store there")
    assert not missing.exists()

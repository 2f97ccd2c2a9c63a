"""``policygraph`` command line: thin wrappers over the library verbs.

Every command takes ``--store`` (a directory, or a SPARQL endpoint URL), defaulting to
``$POLICYGRAPH_STORE``, else ``var/store``. Errors on user input print one line naming the file or
the problem and exit with status 1 (2 for usage errors); no tracebacks.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from contextlib import nullcontext
from pathlib import Path

import typer

from graph.errors import PolicyGraphError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Knowledge graph of Vietnamese policy linkages: build, query, export, serve.")

STORE_HELP = "Store directory or SPARQL endpoint URL (default: $POLICYGRAPH_STORE or var/store)."
DEFAULT_INPUT = "data/documents"


def _store(location: str | None, read_only: bool = False, *, must_exist: bool = False):
    """Open the store at ``location`` (default: the project's). With ``must_exist`` (commands that
    only read), a ``--store`` path that does not exist is an error instead of a new empty store,
    so a mistyped path does not answer "no rows"."""
    from graph.store import open_store  # noqa: PLC0415

    if must_exist and location and not Path(location).exists():
        _fail(f"{location}: no store there (make one with `policygraph build --store {location}`)")
    return open_store(location, read_only=read_only)


def _fail(msg: str) -> None:
    typer.echo(f"error: {msg}", err=True)
    raise typer.Exit(1)


@app.command()
def build(
    paths: list[str] = typer.Argument(None, help="Files or folders (recursive). Default: data/documents."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    workers: int = typer.Option(1, "--workers", "-j", help="Extraction processes."),
    force: bool = typer.Option(False, "--force", help="Rebuild unchanged documents too."),
    validate: bool = typer.Option(True, "--validate/--no-validate", help="Run SHACL validation after the build."),
    fast: bool = typer.Option(False, "--fast", help="Load new documents with Oxigraph's bulk loader under a journal "
                              "(about 2.5x less writer CPU; a reader may see a batch half-loaded; a killed build is "
                              "undone on the next run)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Read documents, extract, and (re)build their graphs in the store."""
    from graph.batch import build_paths  # noqa: PLC0415

    try:
        st = _store(store)
        if quiet:
            summary = build_paths(st, paths or [DEFAULT_INPUT], workers=workers, force=force, fast=fast)
        else:
            from tqdm import tqdm  # noqa: PLC0415

            bar = tqdm(total=0, unit="doc", desc="build", file=sys.stderr)

            def progress(done: int, total: int, path: str) -> None:
                bar.total = total
                bar.n = done
                bar.set_postfix_str(Path(path).name[:40] if path else "")
                bar.refresh()

            try:
                summary = build_paths(st, paths or [DEFAULT_INPUT], workers=workers, force=force,
                                      progress=progress, fast=fast)
            finally:
                bar.close()  # an error message then starts on its own line, not after the bar
    except PolicyGraphError as e:
        _fail(str(e))
    report = summary.as_dict()
    violations = None
    if validate and summary.graphs:
        from graph.validate import validate_store  # noqa: PLC0415

        conforms, violations, _ = validate_store(st, graphs=sorted(summary.graphs), workers=workers)
        report["shacl_conforms"] = conforms
        report["shacl_violations"] = violations
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        typer.echo(
            f"documents built: {summary.documents}, unchanged (skipped): {summary.skipped}, "
            f"failed: {len(summary.failures)}\n"
            f"triples written: {summary.triples}, instruments referenced: {summary.instruments}, "
            f"agencies: {summary.agencies}, tasks: {summary.tasks}\n"
            f"time: {summary.seconds:.2f} s ({report['documents_per_s']} documents/s, "
            f"{report['mb_per_s']} MB/s, {report['triples_per_s']} triples/s)")
        if summary.model_rebuilt:
            from graph.meta import MODEL_VERSION  # noqa: PLC0415

            typer.echo(f"note: {summary.model_rebuilt} unchanged file(s) rebuilt: their graphs were built by an "
                       f"earlier graph model (now {MODEL_VERSION}, graph.meta.MODEL_VERSION)")
        if violations is not None:
            typer.echo(f"SHACL ({len(summary.graphs)} graph(s) written): "
                       f"{'conforms' if not violations else f'{len(violations)} violation(s)'}")
            for v in violations[:20]:
                typer.echo(f"  - {v}")
        for _p, r in summary.failures:
            typer.echo(f"FAILED {r}")
    if summary.failures:
        raise typer.Exit(1)


def _print_rows(cols: list[str], rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if v is None else v for k, v in r.items()})
        typer.echo(buf.getvalue().rstrip("\n"))
    else:
        from rich.console import Console  # noqa: PLC0415
        from rich.table import Table  # noqa: PLC0415

        t = Table(*cols, show_lines=False)
        for r in rows:
            t.add_row(*("" if r[c] is None else str(r[c]) for c in cols))
        Console(width=200).print(t)
        typer.echo(f"{len(rows)} row(s)")


QUERY_FORMATS = {
    "table": "a table (SELECT), true/false (ASK), Turtle (CONSTRUCT/DESCRIBE)",
    "json": "rows as a JSON list of objects (SELECT)",
    "csv": "rows as CSV with plain values (SELECT)",
    "srj": "SPARQL 1.1 Query Results JSON (SELECT, ASK)",
    "srx": "SPARQL Query Results XML (SELECT, ASK)",
    "tsv": "SPARQL 1.1 Query Results TSV, terms in SPARQL syntax (SELECT)",
    "turtle": "Turtle (CONSTRUCT, DESCRIBE)",
    "ntriples": "N-Triples (CONSTRUCT, DESCRIBE)",
}
"""``policygraph query -f`` formats → what each gives, for which query form."""

_FORM_FORMATS = {"select": ("table", "json", "csv", "srj", "srx", "tsv"), "ask": ("table", "srj", "srx"),
                 "graph": ("table", "turtle", "ntriples")}


def _print_result(res, fmt: str) -> None:
    """Print a pyoxigraph query result in ``fmt`` (:data:`QUERY_FORMATS`). Exits 2 with a
    message when the format does not fit the query form (e.g. CSV for a CONSTRUCT)."""
    import pyoxigraph as ox  # noqa: PLC0415

    if isinstance(res, bool | ox.QueryBoolean):
        form = "ask"
    elif isinstance(res, ox.QuerySolutions):
        form = "select"
    else:
        form = "graph"
    if fmt not in _FORM_FORMATS[form]:
        kind = {"ask": "an ASK query", "select": "a SELECT query", "graph": "a CONSTRUCT/DESCRIBE query"}[form]
        _fail(f"-f {fmt} does not fit {kind}; use one of: {', '.join(_FORM_FORMATS[form])}")
    sr = {"srj": ox.QueryResultsFormat.JSON, "srx": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}
    if fmt in sr:
        typer.echo(res.serialize(format=sr[fmt]).decode().rstrip("\n"))
    elif form == "ask":
        typer.echo("true" if bool(res) else "false")
    elif form == "select":
        from graph.store import term_value  # noqa: PLC0415

        cols = [v.value for v in res.variables]
        rows = [{c: term_value(x[c]) for c in cols} for x in res]
        _print_rows(cols, rows, fmt)
    else:
        rdf = ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE
        typer.echo(ox.serialize(list(res), format=rdf).decode().rstrip("\n"))


@app.command()
def query(
    sparql: str = typer.Argument(None, help="A SPARQL query (or '-' to read it from stdin)."),
    name: str = typer.Option(None, "--name", "-n", help="Run a named query from ontology/queries."),
    param: list[str] = typer.Option(None, "--param", "-p", help="Parameter of a named query: key=value."),
    fmt: str = typer.Option("table", "--format", "-f", help=" | ".join(QUERY_FORMATS)
                            + ". srj/srx/tsv are the SPARQL 1.1 result formats; turtle/ntriples for CONSTRUCT."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Run a SPARQL SELECT/ASK/CONSTRUCT/DESCRIBE query, or a named query, on the store."""
    from graph.queries import get_query, naming_errors, render  # noqa: PLC0415

    if fmt not in QUERY_FORMATS:
        _fail(f"unknown format {fmt!r} ({', '.join(QUERY_FORMATS)})")
    try:
        if name:
            values = {}
            for p in param or []:
                if "=" not in p:
                    _fail(f"bad --param {p!r}: want key=value")
                k, v = p.split("=", 1)
                values[k] = v
            sparql = render(get_query(name), values)
        elif not sparql:
            _fail("give a SPARQL query or --name (see `policygraph queries`)")
        elif sparql == "-":
            sparql = sys.stdin.read()
        st = _store(store, must_exist=True)
        with naming_errors(name) if name else nullcontext():
            res = st.query(sparql)
        _print_result(res, fmt)
    except PolicyGraphError as e:
        _fail(str(e))


@app.command()
def queries() -> None:
    """List the named queries with their parameters."""
    from graph.queries import load_queries  # noqa: PLC0415

    for q in load_queries().values():
        ps = ", ".join(f"{k} (default {v!r})" for k, v in q.params.items())
        typer.echo(f"{q.name}: {q.title}" + (f"  [params: {ps}]" if ps else ""))
        typer.echo(f"    {q.description}")


@app.command()
def export(
    fmt: str = typer.Option("turtle", "--format", "-f",
                            help="turtle | trig | nquads | ntriples | jsonld | graphml | gexf"),
    output: str = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Dump the graph (RDF, deterministic order) or its networkx projection (GraphML, GEXF)."""
    from graph.export import export_store  # noqa: PLC0415

    try:
        data = export_store(_store(store, must_exist=True), fmt)
    except PolicyGraphError as e:
        _fail(str(e))
    if output:
        Path(output).write_bytes(data)
        typer.echo(f"wrote {len(data)} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@app.command()
def stats(store: str = typer.Option(None, "--store", help=STORE_HELP),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """Counts: distinct triples of the merged graph (= SELECT COUNT(*)), statements (quads) in the
    named graphs (what build reports as written, plus the store-level graph), named graphs,
    documents, instruments, agencies, tasks."""
    from graph.stats import store_stats  # noqa: PLC0415

    try:
        s = store_stats(_store(store, must_exist=True))
    except PolicyGraphError as e:
        _fail(str(e))
    if as_json:
        typer.echo(json.dumps(s, indent=1))
    else:
        for k, v in s.items():
            typer.echo(f"{k:>14}: {v}")


@app.command()
def extract(file: str = typer.Argument(..., help="A document file (txt, md, html, docx, pdf)."),
            fmt: str = typer.Option("json", "--format", "-f", help="json (ANNOTATION.md schema) | turtle")) -> None:
    """Extract one document and print the result (no store involved)."""
    from graph.pipeline import extract_file, to_annotation  # noqa: PLC0415

    try:
        ex = extract_file(file)
    except PolicyGraphError as e:
        _fail(str(e))
    if fmt == "turtle":
        from graph.build import build_graph  # noqa: PLC0415

        typer.echo(build_graph(ex).serialize(format="turtle"))
    else:
        typer.echo(json.dumps(to_annotation(ex), ensure_ascii=False, indent=1))


@app.command()
def validate(store: str = typer.Option(None, "--store", help=STORE_HELP),
             workers: int = typer.Option(1, "--workers", "-j", help="Validation processes.")) -> None:
    """Validate the store against ontology/shapes.ttl (SHACL), graph by graph; exit 1 on violations."""
    from graph.validate import validate_store  # noqa: PLC0415

    try:
        conforms, violations, _ = validate_store(_store(store, must_exist=True), workers=workers)
    except PolicyGraphError as e:
        _fail(str(e))
    if conforms:
        typer.echo("conforms: the graph satisfies ontology/shapes.ttl")
        return
    typer.echo(f"{len(violations)} violation(s):")
    for v in violations:
        typer.echo(f"  - {v}")
    raise typer.Exit(1)


@app.command()
def remove(doc: str = typer.Argument(..., help="Document number, source path, or document/graph IRI."),
           store: str = typer.Option(None, "--store", help=STORE_HELP)) -> None:
    """Remove a document's graph from the store."""
    from graph.batch import remove_document  # noqa: PLC0415

    try:
        removed = remove_document(_store(store, must_exist=True), doc)
    except PolicyGraphError as e:
        _fail(str(e))
    if not removed:
        _fail(f"no document matches {doc!r}")
    typer.echo(f"removed {len(removed)} graph(s): " + ", ".join(removed))


@app.command()
def serve(
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port"),
    timeout: float = typer.Option(10.0, "--timeout", help="Per-query time limit, seconds."),
    max_results: int = typer.Option(10000, "--max-results", help="Result-size cap (rows or triples)."),
    update_token: str = typer.Option(None, "--update-token", envvar="POLICYGRAPH_UPDATE_TOKEN",
                                     help="Enable SPARQL Update for requests bearing this token."),
    cors: list[str] = typer.Option(None, "--cors", help="Allowed CORS origin (repeatable)."),
) -> None:
    """Serve the store: SPARQL 1.1 Protocol at /sparql, linked data, VoID, ontology docs."""
    from graph.serve import run_server  # noqa: PLC0415
    from graph.store import default_location  # noqa: PLC0415

    try:
        run_server(store or default_location(), host=host, port=port, timeout_s=timeout,
                   max_results=max_results, update_token=update_token, cors_origins=tuple(cors or ()))
    except PolicyGraphError as e:
        _fail(str(e))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()

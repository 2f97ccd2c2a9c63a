"""Endpoint latency for the named queries, Oxigraph (this product) against rdflib, same data, same run.

Measures, for every named query in ``ontology/queries/*.rq`` (parameters bound to the defaults
their ``# param:`` lines give):

- ``endpoint``: this product's SPARQL endpoint (graph/serve.py: HTTP, guard, worker process,
  JSON serialization), over loopback HTTP with httpx;
- ``oxigraph``: pyoxigraph in-process on the same on-disk store (no HTTP);
- ``rdflib``: rdflib in-process on the same quads (``Dataset(default_union=True)``);
- ``rdflib-endpoint``: the ``rdflib-endpoint`` package serving that rdflib dataset over HTTP.

and prints median and p95 latency (ms) per query and engine, the result row count of each (a
mismatch is flagged), and the ratios rdflib-endpoint / endpoint and rdflib / oxigraph (medians;
> 1 means this product is faster).

Data: ``--store DIR`` benchmarks an existing store (e.g. made by ``policygraph build``);
otherwise a synthetic policy graph of about ``--triples`` triples (default 1,000,000) is generated
in the shapes the named queries read — documents (eli:LegalResource) with
eli:ensures_implementation_of chains, eli:based_on / eli:cites, issuers, provisions, tasks with
lead/coordinating agencies and deadlines, and one reified, provenance-carrying rdf:Statement per
extracted relation or assignment, one named graph per document. The numbers the queries'
parameters name are planted on a root directive and on a document deep in its implementation
tree, the agency name on the busiest agency, so every query has answers.

Usage::

    python bench/bench_endpoint.py [--triples 1000000] [--reps 20] [--budget-s 60]
                                   [--rdflib-timeout-s 300] [--store DIR] [--no-rdflib-endpoint]
                                   [--json OUT.json]

rdflib runs in forked children (sharing the loaded dataset) so that a query slower than
``--rdflib-timeout-s`` is killed and reported as "> cap (stopped)"; ratios then are lower bounds.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402

from graph.sparql_guard import tokenize  # noqa: E402
from graph.vocab import ELI, META_GRAPH, ORG, PLG, doctype_iri, graph_iri, instrument_iri, org_iri  # noqa: E402

QUERY_DIR = ROOT / "ontology" / "queries"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"

# ---- named queries ------------------------------------------------------------------------------

_PARAM_RE = re.compile(r"^#\s*param:\s*([A-Za-z_]\w*)\s*=\s*(.+?)\s*$", re.M)
_TITLE_RE = re.compile(r"^#\s*title:\s*(.+?)\s*$", re.M)


def named_queries(directory: Path = QUERY_DIR) -> list[dict]:
    """``[{"name", "title", "text", "params": {name: plain value}, "bound": query text}]``.

    The product's own loader and binder (:mod:`graph.queries`: defaults bound by an inline
    ``VALUES`` first in ``WHERE``) when available, so the engines get the text the app sends;
    otherwise the ``.rq`` files are read here and parameters substituted for their variables."""
    try:
        from graph.queries import load_queries, render
    except ImportError:
        load_queries = None
    if load_queries is not None:
        return [{"name": q.name, "title": q.title, "text": q.sparql, "params": dict(q.params),
                 "bound": render(q)} for q in load_queries(str(directory)).values()]
    out = []
    for f in sorted(directory.glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        t = _TITLE_RE.search(text)
        params = {k: _unquote(v) for k, v in _PARAM_RE.findall(text)}
        out.append({"name": f.stem, "title": t.group(1) if t else f.stem, "text": text, "params": params,
                    "bound": bind(text, {k: _sparql_string(v) for k, v in params.items()})})
    return out


def _sparql_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def bind(text: str, params: dict[str, str]) -> str:
    """Replace every variable token ``?name``/``$name`` of a parameter by its term text (the same
    query text then goes to every engine)."""
    out = []
    for tok in tokenize(text):
        if tok.kind == "var" and tok.text[1:] in params:
            out.append(params[tok.text[1:]])
        else:
            out.append(tok.text)
    return "".join(out)


def _unquote(term: str) -> str:
    m = re.match(r'^"(.*)"(?:@[\w-]+|\^\^<[^>]*>)?$', term)
    return m.group(1) if m else term


# ---- synthetic corpus -------------------------------------------------------------------------------

DOCTYPES = (("CT", "Chỉ thị"), ("CTr", "Chương trình"), ("KH", "Kế hoạch"), ("QĐ", "Quyết định"),
            ("NQ", "Nghị quyết"), ("TB", "Thông báo"))
PROVINCES = ("Tỉnh An", "Tỉnh Bình", "Tỉnh Cao", "Tỉnh Đông", "Tỉnh Giang", "Tỉnh Hà", "Tỉnh Kim",
             "Tỉnh Lâm", "Tỉnh Minh", "Tỉnh Nam", "Tỉnh Phú", "Tỉnh Quang")
DEPARTMENTS = ("Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp",
               "Sở Công Thương", "Sở Xây dựng", "Sở Giao thông vận tải", "Sở Nông nghiệp và Phát triển nông thôn",
               "Sở Tài nguyên và Môi trường", "Sở Văn hóa, Thể thao và Du lịch", "Sở Thông tin và Truyền thông",
               "Sở Kế hoạch và Đầu tư", "Sở Lao động - Thương binh và Xã hội", "Công an tỉnh")
TOPICS = ("chăm sóc trẻ em", "chuyển đổi số", "phòng chống thiên tai", "an toàn giao thông", "giảm nghèo",
          "bảo vệ môi trường", "phát triển du lịch", "cải cách hành chính", "y tế cơ sở", "giáo dục nghề nghiệp")


def _lit(value: str, lang: str | None = None, dt: str | None = None) -> str:
    v = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{v}"@{lang}'
    return f'"{v}"^^<{dt}>' if dt else f'"{v}"'


def generate_corpus(path: Path, target: int, *, seed: int = 0, numbers: list[str] = (),
                    agency: str | None = None) -> int:
    """Write an N-Quads file of about ``target`` triples (see module docstring); returns the
    number of quads written. ``numbers``: document numbers to plant (first on a root directive,
    the rest deep in its implementation tree); ``agency``: an agency label to plant."""
    r = random.Random(seed)
    lines: list[str] = []
    meta = f"<{META_GRAPH}>"

    def q(s, p, o, g):
        lines.append(f"{s} <{p}> {o} {g} .\n")

    orgs = []
    for prov in PROVINCES:
        orgs.append(f"Ủy ban nhân dân {prov.lower()}")
        orgs += [f"{d} {prov.lower()}" for d in DEPARTMENTS]
    if agency:
        orgs[1] = agency
    org_nodes = [f"<{org_iri(n)}>" for n in orgs]
    for node, name in zip(org_nodes, orgs, strict=True):
        q(node, RDF + "type", f"<{ORG.Organization}>", meta)
        q(node, SKOS + "prefLabel", _lit(name, "vi"), meta)
        q(node, SKOS + "altLabel", _lit(name.upper(), "vi"), meta)
    dt_nodes = {}
    for code, label in DOCTYPES:
        dt_nodes[code] = f"<{doctype_iri(code)}>"
        q(dt_nodes[code], RDF + "type", f"<{SKOS}Concept>", meta)
        q(dt_nodes[code], SKOS + "prefLabel", _lit(label, "vi"), meta)

    levels: list[int] = []
    docs: list[tuple[str, str]] = []  # (IRI, number)
    by_level: dict[int, list[int]] = {0: [], 1: [], 2: [], 3: []}
    planted_deep = list(numbers[1:])
    parents: list[int | None] = []

    def under_root(j: int | None) -> bool:
        while j is not None and levels[j] > 0:
            j = parents[j]
        return j == 0

    i = -1
    while len(lines) < target or i < 10:
        i += 1
        level = 0 if i == 0 else r.choices((0, 1, 2, 3), weights=(5, 20, 40, 35))[0]
        if level > 0 and not by_level[level - 1]:
            level = 0
        prov = PROVINCES[i % len(PROVINCES)]
        code = {0: "CT", 1: "CTr", 2: "KH", 3: r.choice(("KH", "QĐ", "TB"))}[level]
        year = str(r.randint(2015, 2025))
        number = f"{i + 1}-CT/TW" if level == 0 else f"{i + 1}/{code}-UBND"
        parent = None
        if level > 0:
            cands = by_level[level - 1]
            parent = 0 if level == 1 and r.random() < 0.15 else r.choice(cands)
            if planted_deep and level >= 2 and under_root(parent):
                number = planted_deep.pop(0)
        if i == 0 and numbers:
            number = numbers[0]
        iri = instrument_iri(number=number, type_code=code, year=year,
                             jurisdiction=None if level == 0 else prov)
        docs.append((iri, number))
        levels.append(level)
        by_level[level].append(i)
        parents.append(parent)
        g = f"<{graph_iri(iri)}>"
        d = f"<{iri}>"
        src = f"<https://w3id.org/plg/source/{r.getrandbits(64):016x}>"
        issuer = org_nodes[(i % len(PROVINCES)) * (len(DEPARTMENTS) + 1)]
        date = f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        q(d, RDF + "type", f"<{ELI.LegalResource}>", g)
        q(d, str(ELI.id_local), _lit(number), g)
        q(d, str(ELI.type_document), dt_nodes[code], g)
        q(d, str(ELI.date_document), _lit(date, dt=XSD + "date"), g)
        q(d, str(ELI.title), _lit(f"{dict(DOCTYPES)[code]} về {r.choice(TOPICS)} năm {year}", "vi"), g)
        q(d, str(ELI.passed_by), issuer, g)
        q(d, str(PLG.sourceFile), src, g)
        q(src, RDF + "type", f"<{PLG.SourceFile}>", g)
        q(src, str(PLG.contentHash), _lit(f"{r.getrandbits(128):032x}"), g)
        q(src, str(PLG.sourcePath), _lit(f"documents/{i:06d}.txt"), g)
        rels = []
        if parent is not None:
            rels.append((str(ELI.ensures_implementation_of), f"<{docs[parent][0]}>"))
        for prop in (ELI.based_on, ELI.based_on, ELI.cites, ELI.cites):
            if i > 1:
                rels.append((str(prop), f"<{docs[r.randrange(i)][0]}>"))
        stmts = []
        for p, o in rels:
            q(d, p, o, g)
            stmts.append((d, p, o))
        provisions = []
        for k in range(8):
            pv = f"<{iri}/dieu_{k + 1}>"
            provisions.append(pv)
            q(pv, RDF + "type", f"<{ELI.LegalResourceSubdivision}>", g)
            q(pv, str(ELI.is_part_of), d, g)
            q(pv, str(PLG.eid), _lit(f"dieu_{k + 1}"), g)
            q(pv, str(ELI.title), _lit(f"Điều {k + 1}", "vi"), g)
        local_orgs = org_nodes[(i % len(PROVINCES)) * (len(DEPARTMENTS) + 1):][: len(DEPARTMENTS) + 1]
        for k in range(8):
            t = f"<{iri}/task/{k + 1}>"
            lead = org_nodes[1] if r.random() < 0.02 else r.choice(local_orgs)
            q(t, RDF + "type", f"<{PLG.Task}>", g)
            q(t, RDFS + "label", _lit(f"Triển khai nhiệm vụ {k + 1} về {r.choice(TOPICS)}", "vi"), g)
            q(t, str(PLG.inDocument), d, g)
            q(t, str(PLG.inProvision), provisions[k], g)
            q(t, str(PLG.leadAgency), lead, g)
            for c in r.sample(local_orgs, 2):
                q(t, str(PLG.coordinatingAgency), c, g)
            q(t, str(PLG.deadline), _lit(f"{int(year) + 1}-{r.randint(1, 12):02d}-01", dt=XSD + "date"), g)
            stmts.append((t, str(PLG.leadAgency), lead))
        for k, (s, p, o) in enumerate(stmts):
            st, sel = f"_:s{i}x{k}", f"_:s{i}x{k}sel"
            start = r.randint(0, 20000)
            q(st, RDF + "type", f"<{RDF}Statement>", g)
            q(st, RDF + "subject", s, g)
            q(st, RDF + "predicate", f"<{p}>", g)
            q(st, RDF + "object", o, g)
            q(st, PROV + "wasDerivedFrom", src, g)
            q(st, OA + "hasSelector", sel, g)
            q(sel, RDF + "type", f"<{OA}TextPositionSelector>", g)
            q(sel, OA + "start", _lit(str(start), dt=XSD + "nonNegativeInteger"), g)
            q(sel, OA + "end", _lit(str(start + r.randint(10, 300)), dt=XSD + "nonNegativeInteger"), g)
    path.write_text("".join(lines), encoding="utf-8")
    return len(lines)


# ---- measuring ------------------------------------------------------------------------------------


def _stats(times: list[float]) -> tuple[float, float]:
    ts = sorted(times)
    p95 = ts[min(len(ts) - 1, max(0, round(0.95 * len(ts)) - 1))]
    return statistics.median(ts) * 1000, p95 * 1000


def measure(fn, reps: int, budget_s: float) -> tuple[list[float], int]:
    """Run ``fn`` once as warm-up, then up to ``reps`` times within ``budget_s`` seconds (at
    least once); returns the timings (s) and the row count of the last run."""
    rows = fn()
    times = []
    start = time.perf_counter()
    for _ in range(reps):
        t0 = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget_s:
            break
    return times, rows


def _free_socket() -> socket.socket:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    return s


def _wait_port(port: int, timeout_s: float = 300.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def _wait_http(url: str, timeout_s: float = 300.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=10)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


class Forked:
    """Run ``target(conn, *args)`` in a forked child (inherits the loaded rdflib dataset without
    copying it); ``result(timeout)`` returns what it sent, or None after killing it at the cap."""

    def __init__(self, target, *args):
        self.parent, child = mp.get_context("fork").Pipe()
        self.proc = mp.get_context("fork").Process(target=target, args=(child, *args), daemon=True)
        self.proc.start()
        child.close()

    def result(self, timeout: float):
        got = self.parent.recv() if self.parent.poll(timeout) else None
        self.stop()
        return got

    def stop(self):
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(10)


_DS = None  # the rdflib dataset, loaded before any fork


def _rdflib_inproc(conn, text: str, reps: int, budget: float) -> None:
    conn.send(measure(lambda: len(list(_DS.query(text))), reps, budget))


def _rdflib_endpoint(conn, sock: socket.socket) -> None:
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    conn.send("starting")
    app = SparqlEndpoint(graph=_DS, cors_enabled=False)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


def _row(name, times, rows, cap_s):
    if times is None:
        return {"median_ms": None, "p95_ms": None, "runs": 0, "rows": None, "timeout_s": cap_s}
    med, p95 = _stats(times)
    return {"median_ms": round(med, 2), "p95_ms": round(p95, 2), "runs": len(times), "rows": rows}


def _fmt(cell: dict) -> str:
    if cell.get("median_ms") is None:
        return f"> {cell['timeout_s']:g} s (stopped)"
    return f"{cell['median_ms']:.1f} / {cell['p95_ms']:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    global _DS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic corpus")
    ap.add_argument("--store", help="benchmark this existing store instead of a synthetic one")
    ap.add_argument("--reps", type=int, default=20, help="timed runs per query and engine (after a warm-up)")
    ap.add_argument("--budget-s", type=float, default=60.0, help="stop repeating a query after this long")
    ap.add_argument("--rdflib-timeout-s", type=float, default=300.0,
                    help="hard cap per query for rdflib (warm-up + runs); the run is killed past it")
    ap.add_argument("--no-rdflib-endpoint", action="store_true", help="skip rdflib-endpoint over HTTP")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", help="where to put the corpus and store (default: a temp dir)")
    ap.add_argument("--json", help="also write the results as JSON here")
    ap.add_argument("--reuse", action="store_true", help="reuse corpus.nq and store/ left in --workdir")
    args = ap.parse_args(argv)

    queries = named_queries()
    if not queries:
        print(f"no named queries in {QUERY_DIR}", file=sys.stderr)
        return 2
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-endpoint-"))
    work.mkdir(parents=True, exist_ok=True)
    nq = work / "corpus.nq"
    t0 = time.perf_counter()
    if args.reuse and nq.exists() and (work / "store").is_dir():
        store_dir = work / "store"
        n_quads = sum(1 for _ in nq.open(encoding="utf-8"))
    elif args.store:
        store_dir = Path(args.store)
        from graph.store import GraphStore

        nq.write_bytes(GraphStore(str(store_dir), read_only=True).export("nquads"))
        n_quads = sum(1 for _ in nq.open(encoding="utf-8"))
    else:
        numbers = list(dict.fromkeys(v for qd in queries for k, v in qd["params"].items() if k == "number"))
        agency = next((v for qd in queries for k, v in qd["params"].items() if "agency" in k), None)
        n_quads = generate_corpus(nq, args.triples, seed=args.seed, numbers=numbers, agency=agency)
        store_dir = work / "store"
        ox.Store(str(store_dir)).bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    print(f"corpus: {n_quads:,} quads ({'store ' + str(args.store) if args.store else 'synthetic'}), "
          f"prepared in {time.perf_counter() - t0:.1f} s", flush=True)

    t0 = time.perf_counter()
    from rdflib import Dataset

    _DS = Dataset(default_union=True)
    _DS.parse(str(nq), format="nquads")
    print(f"rdflib: loaded {len(_DS):,} triples in {time.perf_counter() - t0:.1f} s", flush=True)

    # This product's endpoint in its own process (the bench process stays thread-free, so that
    # forking rdflib children is safe).
    ours_sock = _free_socket()
    port = ours_sock.getsockname()[1]
    ours_sock.close()
    ours = subprocess.Popen([sys.executable, "-c", "import sys; from graph.serve import run_server; "
                             f"run_server({str(store_dir)!r}, port={port}, log_level='warning', "
                             "timeout_s=3600, max_results=10**8, workers=2)"],
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    ours_url = f"http://127.0.0.1:{port}/sparql"
    _wait_http(f"http://127.0.0.1:{port}/health")
    oxs = ox.Store.read_only(str(store_dir))
    from graph.store import has_materialized_default  # noqa: PLC0415

    union = not has_materialized_default(oxs)  # an old-layout store: query its union view
    client = httpx.Client(timeout=3600)
    accept = {"Accept": "application/sparql-results+json"}

    def over_http(url, text):
        def run():
            r = client.get(url, params={"query": text}, headers=accept)
            r.raise_for_status()
            return len(r.json()["results"]["bindings"])
        return run

    def log(qname, engine, cell):
        print(f"  {qname:<28} {engine:<16} {_fmt(cell):>28}  ({cell['runs']} runs, {cell['rows']} rows)",
              flush=True)

    results = []
    rdflib_srv = None
    try:
        for qd in queries:
            text = qd["bound"]
            row = {"query": qd["name"]}
            for name, fn in (("endpoint", over_http(ours_url, text)),
                             ("oxigraph", lambda t=text: len(list(oxs.query(t, use_default_graph_as_union=union))))):
                times, n = measure(fn, args.reps, args.budget_s)
                row[name] = _row(name, times, n, None)
                log(qd["name"], name, row[name])
            got = Forked(_rdflib_inproc, text, args.reps, args.budget_s).result(args.rdflib_timeout_s)
            row["rdflib"] = _row("rdflib", *(got or (None, None)), args.rdflib_timeout_s)
            log(qd["name"], "rdflib", row["rdflib"])
            if not args.no_rdflib_endpoint:
                if rdflib_srv is None:
                    sock = _free_socket()
                    rport = sock.getsockname()[1]
                    rdflib_srv = (Forked(_rdflib_endpoint, sock), f"http://127.0.0.1:{rport}/")
                    sock.close()
                    rdflib_srv[0].parent.recv()
                    _wait_port(rport)  # (its GET / page is slow on a large graph)

                def in_child(conn, url=rdflib_srv[1], text=text):
                    c = httpx.Client(timeout=None)

                    def run():
                        r = c.get(url, params={"query": text}, headers=accept)
                        r.raise_for_status()
                        return len(r.json()["results"]["bindings"])
                    conn.send(measure(run, args.reps, args.budget_s))

                got = Forked(in_child).result(args.rdflib_timeout_s)
                if got is None:  # the server is stuck in that query: replace it
                    rdflib_srv[0].stop()
                    rdflib_srv = None
                row["rdflib-endpoint"] = _row("rdflib-endpoint", *(got or (None, None)), args.rdflib_timeout_s)
                log(qd["name"], "rdflib-endpoint", row["rdflib-endpoint"])
            results.append(row)
    finally:
        client.close()
        ours.terminate()
        ours.wait(30)
        if rdflib_srv is not None:
            rdflib_srv[0].stop()

    engines = ["endpoint", "oxigraph", "rdflib"] + ([] if args.no_rdflib_endpoint else ["rdflib-endpoint"])
    print()
    print(f"{'query':<28} {'rows':>6} " + " ".join(f"{e + ' median / p95':>28}" for e in engines)
          + f" {'rdflib/oxigraph':>16}" + ("" if args.no_rdflib_endpoint else f" {'rdflib-ep/endpoint':>19}"))
    ratios_ip, ratios_ep = [], []
    for row in results:
        counts = {row[e]["rows"] for e in engines if row[e]["rows"] is not None}
        flag = "" if len(counts) <= 1 else "  ROW COUNT MISMATCH " + str({e: row[e]["rows"] for e in engines})
        line = f"{row['query']:<28} {row['endpoint']['rows']:>6} " + " ".join(f"{_fmt(row[e]):>28}" for e in engines)

        def ratio(slow, fast, row=row):
            a, b = row[slow], row[fast]
            if a["median_ms"] is None:
                return a["timeout_s"] * 1000 / max(b["median_ms"], 1e-3), ">"
            return a["median_ms"] / max(b["median_ms"], 1e-3), ""

        r_ip, lt = ratio("rdflib", "oxigraph")
        ratios_ip.append(r_ip)
        row["ratio_rdflib_over_oxigraph"] = f"{lt}{r_ip:.1f}"
        line += f" {lt + f'{r_ip:.1f}x':>16}"
        if not args.no_rdflib_endpoint:
            r_ep, lt = ratio("rdflib-endpoint", "endpoint")
            ratios_ep.append(r_ep)
            row["ratio_rdflib_endpoint_over_endpoint"] = f"{lt}{r_ep:.1f}"
            line += f" {lt + f'{r_ep:.1f}x':>19}"
        print(line + flag)
    gm = statistics.geometric_mean
    summary = {"quads": n_quads, "geomean_rdflib_over_oxigraph": round(gm(ratios_ip), 1)}
    print(f"\ngeometric mean of the median ratios (a stopped run counts at its cap, so these are lower "
          f"bounds): rdflib / oxigraph in-process = {gm(ratios_ip):.1f}x", end="")
    if ratios_ep:
        summary["geomean_rdflib_endpoint_over_endpoint"] = round(gm(ratios_ep), 1)
        print(f"; rdflib-endpoint / this endpoint = {gm(ratios_ep):.1f}x", end="")
    print()
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "queries": results}, indent=2,
                                              ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    rc = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)  # skip tearing down a million-triple rdflib graph object by object

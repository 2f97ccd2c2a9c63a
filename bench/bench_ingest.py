"""Ingest and query benchmark: prints figures (never a timed test).

Two parts, each optional:

1. **Bulk corpus** (``--bulk``, default ``../shared/corpus/bulk/documents``, 300 crawled
   documents): one ``build_paths`` into a fresh store; documents/s, MB/s, triples/s, failures,
   peak RSS of the writer process and of the extraction workers, store size on disk.
2. **Synthetic curve** (``--sizes 1000,10000,100000``): a corpus from ``bench/synth.py``
   (generated once into ``--cache``, document ``i`` is the same at every size) is ingested in
   steps into one growing store — first the smallest size, then the documents up to the next
   size, and so on — so each row shows the rate of that step and the totals at that size: how
   time, memory and disk grow with the corpus. After each step every named query
   (``ontology/queries/*.rq`` through ``graph.queries``) runs on Oxigraph (median and p95 of
   ``--repeat`` runs) and, while the store has at most ``--rdflib-max-triples`` triples, on an
   rdflib ``Graph`` loaded with the same triples (the store's default graph, the merge of the
   documents' graphs, as N-Triples); the ratio rdflib/Oxigraph is printed. Query
   parameters are picked from the data (the most-implemented instrument, the agency with most
   tasks …) and printed.

Memory: ``peak RSS`` is the writer process's high-water mark during the step (``VmHWM`` of
``/proc/self/status``, reset before each step where the kernel allows it), ``workers`` the
largest high-water mark of any extraction worker of the step (each writes its own ``VmHWM``
after every file; with ``--workers 1`` that is the writer process itself);
``--tracemalloc`` also reports the peak of Python allocations in the writer (slower).

Usage::

    .venv/bin/python bench/bench_ingest.py --bulk-only
    .venv/bin/python bench/bench_ingest.py --sizes 1000,10000 --workers 2 --json bench/results/x.json
    .venv/bin/python bench/bench_ingest.py --no-bulk --sizes 1000 --extractor null   # store cost only
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from graph.batch import FileResult, build_paths  # noqa: E402
from graph.store import GraphStore, sparql_literal  # noqa: E402
from graph.vocab import SPARQL_PREFIXES  # noqa: E402

DEFAULT_BULK = ROOT.parent / "shared" / "corpus" / "bulk" / "documents"
PREFIXES = SPARQL_PREFIXES
PARAM_PICKS = {
    # (query, parameter) → a SELECT with one variable ?v; first row wins. Fallback: by parameter.
    ("mandate-chain", "number"): "SELECT ?v WHERE { ?d plg:sourceFile ?s ; eli:id_local ?v ; "
    "eli:ensures_implementation_of/eli:ensures_implementation_of ?x } LIMIT 1",
    ("document-tasks", "number"): "SELECT ?v (COUNT(?t) AS ?n) WHERE { ?t plg:inDocument ?d . ?d eli:id_local ?v } "
    "GROUP BY ?v ORDER BY DESC(?n) LIMIT 1",
    (None, "number"): "SELECT ?v (COUNT(?d) AS ?n) WHERE { ?d eli:ensures_implementation_of ?t . "
    "?t eli:id_local ?v } GROUP BY ?v ORDER BY DESC(?n) LIMIT 1",
    (None, "agency_name"): "SELECT ?v (COUNT(?t) AS ?n) WHERE { ?t plg:leadAgency|plg:responsibleAgency ?a . "
    "?a skos:prefLabel ?v . FILTER(lang(?v) = 'vi') } GROUP BY ?v ORDER BY DESC(?n) LIMIT 1",
}


# ---- measurement helpers ---------------------------------------------------------------------------------

def _status(field: str) -> int:
    """A ``kB`` field of ``/proc/self/status`` in bytes (0 where unavailable)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_hwm() -> bool:
    """Reset the RSS high-water mark (Linux ``clear_refs`` 5); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_rss() -> int:
    return _status("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class _MeasuredProcess:
    """``process`` (one file → ``FileResult``) that, after each file, writes the RSS high-water
    mark (``VmHWM``, bytes) of the process that ran it to ``folder/<pid>``. The workers' peak is
    then the largest of those files: ``getrusage(RUSAGE_CHILDREN)`` would also count the query
    engines' child processes of earlier steps (an rdflib child holding millions of triples)."""

    def __init__(self, process, folder: str):
        self.process, self.folder = process, folder

    def __call__(self, path: str) -> FileResult:
        r = self.process(path)
        try:
            Path(self.folder, str(os.getpid())).write_text(str(_status("VmHWM") or 0))
        except OSError:
            pass
        return r


def _workers_peak(folder: str) -> int:
    """Largest high-water mark written by :class:`_MeasuredProcess` into ``folder`` (bytes)."""
    peaks = [int(f.read_text() or 0) for f in Path(folder).iterdir()]
    return max(peaks, default=0)


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its finished children."""
    me, ch = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, ch.ru_utime + ch.ru_stime


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _du_sst(path: Path) -> int:
    """Bytes in RocksDB table files (the store without its write-ahead log)."""
    return sum(f.stat().st_size for f in path.rglob("*.sst"))


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f}"


_REPLAY: list[FileResult] = []
"""Extractions of sample documents, filled by :func:`prepare_replay` before the pool forks."""


def prepare_replay(files: list[Path], k: int, workers: int) -> None:
    """Extract ``k`` sample files (spread over ``files``) once, for :func:`replay_process`."""
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    from graph.batch import process_file  # noqa: PLC0415

    step = max(1, len(files) // k)
    sample = [str(f) for f in files[::step][:k]]
    print(f"replay: extracting {len(sample)} sample documents …", file=sys.stderr, flush=True)
    with ProcessPoolExecutor(workers) as pool:
        _REPLAY[:] = [r for r in pool.map(process_file, sample) if r.ok]


def replay_process(path: str) -> FileResult:
    """``--extractor replay``: the graph of sample ``i mod k`` (real extraction output, see
    :func:`prepare_replay`) under a new identity for file ``i`` — its IRIs, number, hash and
    path made unique — so store and query costs are measured at sizes where extracting every
    document would take too long. ``i`` is the number at the start of the file name."""
    import hashlib  # noqa: PLC0415

    from graph.vocab import graph_iri  # noqa: PLC0415

    data = Path(path).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    i = int(Path(path).name.split("_")[0])
    base = _REPLAY[i % len(_REPLAY)]
    doc = f"{base.doc_iri}-r{i}"
    nt = base.ntriples.replace(base.sha256, sha).replace(base.sha256[:16], sha[:16])
    nt = nt.replace(f"<{base.doc_iri}", f"<{doc}").replace(sparql_literal(base.path), sparql_literal(path))
    m = None
    for ln in nt.splitlines():  # the document's own number → unique
        if ln.startswith(f"<{doc}> <http://data.europa.eu/eli/ontology#id_local> "):
            m = ln.split("> ", 2)[2].rsplit(" .", 1)[0]
            break
    if m:
        nt = nt.replace(m, m[:-1] + f"-r{i}\"")
    return FileResult(path=path, ok=True, graph_iri=graph_iri(doc), doc_iri=doc,
                      source_iri=base.source_iri.replace(base.sha256[:16], sha[:16]), ntriples=nt,
                      triples=base.triples, sha256=sha, fmt=base.fmt, size=len(data), text_len=base.text_len,
                      instruments=base.instruments, agencies=base.agencies, tasks=base.tasks)


def null_process(path: str) -> FileResult:
    """A stand-in extraction for ``--extractor null``: the source node, its text and one triple
    per non-empty line, so the store and writer costs are measured without extraction."""
    import hashlib  # noqa: PLC0415

    from graph.vocab import graph_iri, source_iri  # noqa: PLC0415

    data = Path(path).read_bytes()
    text = data.decode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    doc = "https://w3id.org/plg/bench/" + sha[:16]
    s = source_iri(sha)
    plg = "https://w3id.org/plg/ontology#"
    nt = [f"<{doc}> <{plg}sourceFile> <{s}> .", f"<{s}> <{plg}contentHash> {sparql_literal(sha)} .",
          f"<{s}> <{plg}sourcePath> {sparql_literal(path)} .", f"<{s}> <{plg}content> {sparql_literal(text)} ."]
    for i, ln in enumerate(x for x in text.splitlines() if x.strip()):
        nt.append(f"<{doc}/l{i}> <{plg}label> {sparql_literal(ln)} .")
    return FileResult(path=path, ok=True, graph_iri=graph_iri(doc), doc_iri=doc, source_iri=s,
                      ntriples="\n".join(nt) + "\n", triples=len(nt), sha256=sha, fmt="txt", size=len(data),
                      text_len=len(text))


def _progress(label: str):
    state = {"t": 0.0}

    def cb(done: int, total: int, path: str) -> None:
        now = time.perf_counter()
        if now - state["t"] > 10 or done == total:
            state["t"] = now
            print(f"  [{label}] {done}/{total}", file=sys.stderr, flush=True)
    return cb


def ingest(store: GraphStore, paths: list[str], *, workers: int, process, label: str,
           use_tracemalloc: bool = False, fast: bool = False) -> dict:
    """One measured ``build_paths``; returns the summary with rates and memory figures."""
    import tracemalloc  # noqa: PLC0415

    hwm_reset = _reset_hwm()
    if use_tracemalloc:
        tracemalloc.start()
    load0, (cpu_me0, cpu_ch0) = _load(), _cpu()
    hwm_dir = tempfile.mkdtemp(prefix="plg-hwm-")
    t0 = time.perf_counter()
    try:
        s = build_paths(store, paths, workers=workers, process=_MeasuredProcess(process, hwm_dir),
                        progress=_progress(label), fast=fast)
        wall = time.perf_counter() - t0
        workers_peak = _workers_peak(hwm_dir)
    finally:
        shutil.rmtree(hwm_dir, ignore_errors=True)
    cpu_me, cpu_ch = _cpu()
    out = s.as_dict()
    cpu_total = (cpu_me - cpu_me0) + (cpu_ch - cpu_ch0)
    out.update(wall_s=round(wall, 2), peak_rss=_peak_rss(), hwm_reset=hwm_reset, workers_peak_rss=workers_peak,
               cpu_writer_s=round(cpu_me - cpu_me0, 1), cpu_workers_s=round(cpu_ch - cpu_ch0, 1),
               cpu_ms_per_doc=round(1e3 * cpu_total / max(s.documents + s.duplicates, 1), 1),
               load_avg=(round(load0, 2), round(_load(), 2)))
    if use_tracemalloc:
        out["py_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return out


# ---- queries ---------------------------------------------------------------------------------------------

def pick_params(store: GraphStore) -> dict[str, dict[str, str]]:
    """Parameters for each named query, chosen from the data (see ``PARAM_PICKS``)."""
    from graph.queries import load_queries  # noqa: PLC0415

    out: dict[str, dict[str, str]] = {}
    for q in load_queries().values():
        vals = {}
        for p, default in q.params.items():
            sparql = PARAM_PICKS.get((q.name, p)) or PARAM_PICKS.get((None, p))
            v = None
            if sparql:
                _, rows = store.select(PREFIXES + sparql)
                v = rows[0]["v"] if rows and rows[0].get("v") is not None else None
            vals[p] = str(v) if v is not None else default
        out[q.name] = vals
    return out


def _time(fn, repeat: int, budget_s: float) -> tuple[list[float], int]:
    times, n = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = fn()
        times.append(time.perf_counter() - t0)
        if sum(times) > budget_s:
            break
    return times, n


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def _query_child(engine: str, location: str, conn, mem_limit: int) -> None:
    """Child process: open the data — ``engine`` "oxigraph" (the store directory, read-only) or
    "rdflib" (an N-Triples file of the default graph loaded into a ``Graph``) — then time the queries it is sent.
    Its address space is capped at ``mem_limit`` bytes, so a query that explodes in memory fails
    with an error here instead of calling the machine's OOM killer."""
    if mem_limit:
        resource.setrlimit(resource.RLIMIT_AS, (mem_limit, mem_limit))
    t0 = time.perf_counter()
    if engine == "rdflib":
        from rdflib import Graph  # noqa: PLC0415

        ds = Graph()  # the store's default graph: the merge of the documents' graphs
        ds.parse(location, format="nt")

        def run(q: str) -> int:
            return len(list(ds.query(q)))
    else:
        st = GraphStore(location, read_only=True)

        def run(q: str) -> int:
            return len(st.select(q)[1])
    conn.send(("loaded", time.perf_counter() - t0))
    while True:
        msg = conn.recv()
        if msg is None:
            return
        sparql, repeat, budget_s = msg
        try:
            times, n = _time(lambda s=sparql: run(s), repeat, budget_s)
            conn.send(("ok", times, n))
        except BaseException as e:  # noqa: BLE001 - engines fail on some valid queries: report it
            conn.send(("error", f"{type(e).__name__}: {str(e)[:120]}"))


class _Engine:
    """A query engine in a child process (see :func:`_query_child`), so a query can be given
    up after a time limit (neither engine can be interrupted) or a memory limit, and its memory
    is not counted as the writer's."""

    def __init__(self, engine: str, location: str, load_timeout: float, mem_limit: int):
        import multiprocessing as mp  # noqa: PLC0415

        self.engine, self.location, self.load_timeout, self.mem_limit = engine, location, load_timeout, mem_limit
        self.ctx = mp.get_context("spawn")
        self.proc = None
        self.load_s: float | None = None

    def _start(self) -> bool:
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_query_child, args=(self.engine, self.location, child, self.mem_limit),
                                     daemon=True)
        self.proc.start()
        child.close()  # so a dead child reads as end-of-file here
        msg = self._recv(self.load_timeout)
        if msg is None or msg[0] != "loaded":
            self.close()
            return False
        self.load_s = self.load_s or msg[1]
        return True

    def _recv(self, timeout: float):
        """The child's next message; None on timeout or if it died."""
        try:
            if not self.conn.poll(timeout):
                return None
            return self.conn.recv()
        except (EOFError, OSError):
            return None

    def run(self, sparql: str, repeat: int, budget_s: float, timeout: float) -> dict:
        if self.proc is None and not self._start():
            return {"error": f"load failed or took over {self.load_timeout:g} s"}
        self.conn.send((sparql, repeat, budget_s))
        msg = self._recv(timeout)
        if msg is None:
            alive = self.proc.is_alive()
            self.close()  # the next query starts a fresh child
            return {"error": f"timeout: over {timeout:g} s" if alive else "process died (out of memory?)"}
        if msg[0] == "error":
            return {"error": msg[1]}
        _, times, n = msg
        return {"rows": n, "median_ms": statistics.median(times) * 1e3, "p95_ms": _p95(times) * 1e3,
                "runs": len(times)}

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
            self.proc = None


def bench_queries(store: GraphStore, *, repeat: int, rdflib_max: int, budget_s: float,
                  rdflib_timeout: float = 300.0, tmp: Path | None = None, rdflib_mem: int = 6 << 30,
                  ox_timeout: float = 300.0, ox_mem: int = 6 << 30) -> dict:
    """Latency of every named query on Oxigraph (the store opened read-only in a child process)
    and, for stores up to ``rdflib_max`` triples, on rdflib with the same triples; row counts
    compared. A query over its engine's time limit is reported as a timeout, one that needs
    more than its memory limit as an error (both engines run in capped child processes)."""
    from graph.queries import load_queries, render  # noqa: PLC0415

    params = pick_params(store)
    triples = len(store)
    store.flush()
    oxe = _Engine("oxigraph", store.location, load_timeout=600.0, mem_limit=ox_mem)
    rl = None
    nq_file = None
    if triples <= rdflib_max:
        import pyoxigraph as ox  # noqa: PLC0415

        fd, nq_file = tempfile.mkstemp(suffix=".nt", dir=tmp)
        os.close(fd)
        store.ox.dump(output=nq_file, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        rl = _Engine("rdflib", nq_file, load_timeout=max(600.0, triples / 2000), mem_limit=rdflib_mem)
    results = {}
    try:
        for q in load_queries().values():
            sparql = render(q, params[q.name])
            o = oxe.run(sparql, repeat, budget_s, ox_timeout)
            row = {"params": params[q.name]}
            if "error" in o:
                row["ox_error"] = o["error"]
            else:
                row.update(rows=o["rows"], ox_median_ms=o["median_ms"], ox_p95_ms=o["p95_ms"], ox_runs=o["runs"])
            if rl is not None:
                r = rl.run(sparql, repeat, budget_s, rdflib_timeout)
                if "error" in r:
                    row["rdflib_error"] = r["error"]
                else:
                    row.update(rdflib_rows=r["rows"], rdflib_median_ms=r["median_ms"], rdflib_p95_ms=r["p95_ms"],
                               rdflib_runs=r["runs"])
                    if "ox_median_ms" in row:
                        row["ratio"] = row["rdflib_median_ms"] / max(row["ox_median_ms"], 1e-6)
            results[q.name] = row
    finally:
        oxe.close()
        if rl is not None:
            rl.close()
        if nq_file:
            os.unlink(nq_file)
    return {"triples": triples, "rdflib_load_s": rl.load_s if rl else None, "queries": results}


# ---- the two parts ---------------------------------------------------------------------------------------

def run_bulk(bulk: Path, *, workers: int, process, tmp: Path, use_tracemalloc: bool, fast: bool = False) -> dict:
    """Part 1 (see module docstring)."""
    files = sorted(p for p in bulk.rglob("*") if p.is_file() and not p.name.startswith("."))
    store_dir = tmp / "bulk-store"
    st = GraphStore(store_dir)
    r = ingest(st, [str(bulk)], workers=workers, process=process, label="bulk", use_tracemalloc=use_tracemalloc,
               fast=fast)
    r["store_bytes"], r["sst_bytes"] = _du(store_dir), _du_sst(store_dir)
    r["input_files"] = len(files)
    r["triples_in_store"] = len(st)
    print("\n== Bulk corpus:", bulk)
    print(f"files {r['files']}  built {r['documents']}  duplicates {r['duplicates']}  failed {r['failed']}  "
          f"warnings {r['warnings']}")
    print(f"time {r['wall_s']:.1f} s   {r['documents_per_s']} docs/s   {r['mb_per_s']} MB/s   "
          f"{r['triples_per_s']:,.0f} triples/s   ({_mb(r['bytes'])} MB in, {r['triples']:,} triples)")
    print(f"CPU writer {r['cpu_writer_s']} s, workers {r['cpu_workers_s']} s = {r['cpu_ms_per_doc']} ms/doc   "
          f"(load average {r['load_avg'][0]} → {r['load_avg'][1]} on {os.cpu_count()} CPUs)")
    print(f"peak RSS writer {_mb(r['peak_rss'])} MB   workers {_mb(r['workers_peak_rss'])} MB   "
          f"store on disk {_mb(r['store_bytes'])} MB (tables {_mb(r['sst_bytes'])} MB)" + (f"   python peak {_mb(r['py_peak'])} MB" if "py_peak" in r else ""))
    for f in r["failures"][:20]:
        print("  FAILED", f["reason"])
    del st
    return r


def ensure_corpus(cache: Path, count: int, *, seed: int, mean_kb: float, workers: int, dup_rate: float) -> Path:
    """The synthetic corpus of ``count`` documents in ``cache`` (generated once; reused)."""
    import synth  # noqa: PLC0415

    d = cache / f"synth-s{seed}-kb{mean_kb:g}-dup{dup_rate:g}"
    stamp = d / f".complete-{count}"
    have = sorted(d.glob(".complete-*"))
    if stamp.exists() or any(int(p.name.split("-")[-1]) >= count for p in have):
        return d
    full = [(d / f"s{k:03d}", min(1000, count - 1000 * k)) for k in range((count + 999) // 1000)]
    if all(f.is_dir() and sum(1 for _ in f.iterdir()) == n for f, n in full):
        return d  # a larger generation is under way or was cut short after these folders
    print(f"generating {count} synthetic documents into {d} …", file=sys.stderr, flush=True)
    s = synth.write_corpus(d, count, seed=seed, mean_kb=mean_kb, workers=workers, dup_rate=dup_rate)
    print(f"  {s['documents']} documents, {_mb(s['bytes'])} MB in {s['seconds']:.0f} s", file=sys.stderr)
    stamp.touch()
    return d


def run_curve(sizes: list[int], *, cache: Path, tmp: Path, seed: int, mean_kb: float, dup_rate: float,
              workers: int, process, repeat: int, rdflib_max: int, budget_s: float, use_tracemalloc: bool,
              fast: bool = False, rdflib_timeout: float = 300.0, mem_limit: int = 6 << 30) -> list[dict]:
    """Part 2 (see module docstring)."""
    corpus = ensure_corpus(cache, max(sizes), seed=seed, mean_kb=mean_kb, workers=workers, dup_rate=dup_rate)
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    store_dir = tmp / "synth-store"
    st = GraphStore(store_dir)
    rows, prev, total_s = [], 0, 0.0
    for n in sorted(sizes):
        # documents [prev, n): whole folders of 1,000, plus single files for a partial folder
        paths: list[str] = []
        for k in range(prev // 1000, (n - 1) // 1000 + 1):
            files = sorted(folders[k].iterdir())
            lo, hi = max(prev, k * 1000) - k * 1000, min(n, (k + 1) * 1000) - k * 1000
            paths += [str(folders[k])] if (lo, hi) == (0, len(files)) else [str(f) for f in files[lo:hi]]
        r = ingest(st, paths, workers=workers, process=process, label=f"synth {prev}-{n}",
                   use_tracemalloc=use_tracemalloc, fast=fast)
        total_s += r["wall_s"]
        r.update(size=n, step_docs=n - prev, cumulative_s=round(total_s, 1), store_bytes=_du(store_dir),
                 sst_bytes=_du_sst(store_dir),
                 triples_in_store=len(st), rss_now=_status("VmRSS"))
        print(f"\n== Synthetic size {n:,}: step {prev:,}-{n:,} ingested in {r['wall_s']:.1f} s "
              f"({r['documents_per_s']} docs/s, {r['mb_per_s']} MB/s, {r['triples_per_s']:,.0f} triples/s), "
              f"failed {r['failed']}, store {r['triples_in_store']:,} triples, {_mb(r['store_bytes'])} MB on disk, "
              f"peak RSS writer {_mb(r['peak_rss'])} MB, workers {_mb(r['workers_peak_rss'])} MB; "
              f"CPU writer {r['cpu_writer_s']} s + workers {r['cpu_workers_s']} s = {r['cpu_ms_per_doc']} ms/doc, "
              f"load average {r['load_avg']}", flush=True)
        for f in r["failures"][:10]:
            print("  FAILED", f["reason"])
        r["query"] = bench_queries(st, repeat=repeat, rdflib_max=rdflib_max, budget_s=budget_s,
                                   rdflib_timeout=rdflib_timeout, tmp=tmp, ox_timeout=rdflib_timeout,
                                   rdflib_mem=mem_limit, ox_mem=mem_limit)
        _print_queries(r["query"])
        rows.append(r)
        prev = n
    _print_curve(rows)
    return rows


def _print_queries(q: dict) -> None:
    rl = q["rdflib_load_s"]
    print(f"   queries on {q['triples']:,} triples" + (f" (rdflib load {rl:.1f} s)" if rl is not None
                                                      else " (rdflib skipped: above --rdflib-max-triples)"))
    print(f"   {'query':<26}{'rows':>7}{'ox med ms':>11}{'ox p95':>9}{'rdflib med':>12}{'rdflib p95':>12}{'ratio':>8}")
    for name, r in q["queries"].items():
        rl_med = f"{r['rdflib_median_ms']:,.1f}" if "rdflib_median_ms" in r else "-"
        rl_p95 = f"{r['rdflib_p95_ms']:,.1f}" if "rdflib_p95_ms" in r else "-"
        ratio = f"{r['ratio']:,.0f}×" if "ratio" in r else "-"
        note = ""
        if "rdflib_rows" in r and "rows" in r and r["rdflib_rows"] != r["rows"]:
            note = f"  (rdflib rows {r['rdflib_rows']})"
        if "ox_error" in r:
            note += f"  (oxigraph: {r['ox_error']})"
        if "rdflib_error" in r:
            note += f"  (rdflib: {r['rdflib_error']})"
        ox_cells = (f"{r['rows']:>7}{r['ox_median_ms']:>11,.1f}{r['ox_p95_ms']:>9,.1f}" if "ox_median_ms" in r
                    else f"{'-':>7}{'-':>11}{'-':>9}")
        print(f"   {name:<26}{ox_cells}{rl_med:>12}{rl_p95:>12}{ratio:>8}{note}")
    print("   params: " + "; ".join(f"{k} {v}" for k, v in ((n, r["params"]) for n, r in q["queries"].items()) if v))


def _print_curve(rows: list[dict]) -> None:
    print("\n== Growth curve (each row: the step that brought the store to that size)")
    print(f"{'docs':>9}{'step s':>9}{'total s':>9}{'docs/s':>9}{'MB/s':>7}{'triples/s':>11}{'cpu ms/doc':>11}"
          f"{'triples':>13}{'disk MB':>9}{'sst MB':>8}{'RSS MB':>8}{'wrk MB':>8}{'fail':>6}")
    for r in rows:
        print(f"{r['size']:>9,}{r['wall_s']:>9.1f}{r['cumulative_s']:>9.1f}{r['documents_per_s']:>9.1f}"
              f"{r['mb_per_s']:>7.2f}{r['triples_per_s']:>11,.0f}{r['cpu_ms_per_doc']:>11,.0f}{r['triples_in_store']:>13,}"
              f"{r['store_bytes'] / 1e6:>9,.0f}{r['sst_bytes'] / 1e6:>8,.0f}{r['peak_rss'] / 1e6:>8,.0f}{r['workers_peak_rss'] / 1e6:>8,.0f}"
              f"{r['failed']:>6}")
    names = list(rows[0]["query"]["queries"]) if rows else []
    print("\n== Query latency by size: Oxigraph median ms (rdflib/Oxigraph ratio)")
    print(f"{'query':<26}" + "".join(f"{r['size']:>20,}" for r in rows))
    for n in names:
        cells = []
        for r in rows:
            q = r["query"]["queries"][n]
            if "ox_median_ms" not in q:
                cells.append("fail")
                continue
            cells.append(f"{q['ox_median_ms']:,.1f}" + (f" ({q['ratio']:,.0f}×)" if "ratio" in q
                                                        else " (err)" if "rdflib_error" in q else " (-)"))
        print(f"{n:<26}" + "".join(f"{c:>20}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see module docstring)."""
    ap = argparse.ArgumentParser(description="Ingest throughput, memory and query latency (prints figures).")
    ap.add_argument("--bulk", type=Path, default=DEFAULT_BULK, help="Bulk corpus folder.")
    ap.add_argument("--no-bulk", action="store_true", help="Skip the bulk corpus.")
    ap.add_argument("--bulk-only", action="store_true", help="Only the bulk corpus.")
    ap.add_argument("--sizes", default="1000,10000", help="Synthetic sizes, comma-separated (e.g. 1000,10000,100000).")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--extractor", choices=("real", "replay", "null"), default="real",
                    help="real: the pipeline; replay: real extractions of --replay-sample documents replayed "
                    "under new identities (store, writer and query cost at large sizes); null: no extraction.")
    ap.add_argument("--replay-sample", type=int, default=200, help="Documents extracted for --extractor replay.")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mean-kb", type=float, default=10.0, help="Mean synthetic document size.")
    ap.add_argument("--dup-rate", type=float, default=0.01, help="Share of synthetic files that re-publish a document.")
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                    / "plg-bench", help="Where synthetic corpora are kept (outside the repository).")
    ap.add_argument("--tmp", type=Path, default=None, help="Where stores are built (default: a temp dir, removed).")
    ap.add_argument("--keep", action="store_true", help="Keep the stores.")
    ap.add_argument("--repeat", type=int, default=7, help="Runs per query (median, p95).")
    ap.add_argument("--query-budget", type=float, default=60.0, help="Stop repeating a query after this many seconds.")
    ap.add_argument("--rdflib-max-triples", type=int, default=3_000_000,
                    help="Skip rdflib above this store size (rdflib holds ~1 kB of RAM per triple).")
    ap.add_argument("--rdflib-timeout", type=float, default=300.0, help="Give up an rdflib query after this long.")
    ap.add_argument("--ox-timeout", type=float, default=300.0, help="Give up an Oxigraph query after this long.")
    ap.add_argument("--mem-limit-gb", type=float, default=6.0, help="Memory cap of each query process.")
    ap.add_argument("--queries-on", type=Path, help="Only run the query benchmark on this existing store.")
    ap.add_argument("--tracemalloc", action="store_true", help="Also trace Python allocations of the writer.")
    ap.add_argument("--fast", action="store_true", help="Journaled bulk loading (build_paths(fast=True)).")
    ap.add_argument("--json", type=Path, help="Also write all figures as JSON here.")
    a = ap.parse_args(argv)
    if a.queries_on:
        st = GraphStore(a.queries_on)
        q = bench_queries(st, repeat=a.repeat, rdflib_max=a.rdflib_max_triples, budget_s=a.query_budget,
                          rdflib_timeout=a.rdflib_timeout, tmp=a.tmp, ox_timeout=a.ox_timeout,
                          rdflib_mem=int(a.mem_limit_gb * 2**30), ox_mem=int(a.mem_limit_gb * 2**30))
        _print_queries(q)
        if a.json:
            a.json.parent.mkdir(parents=True, exist_ok=True)
            a.json.write_text(json.dumps({"store": str(a.queries_on), "query": q}, ensure_ascii=False, indent=1))
        return 0
    process = {"null": null_process, "replay": replay_process}.get(a.extractor)
    if a.extractor == "replay":
        sizes = [int(x) for x in a.sizes.split(",") if x.strip()]
        corpus = ensure_corpus(a.cache, max(sizes), seed=a.seed, mean_kb=a.mean_kb, workers=a.workers,
                               dup_rate=a.dup_rate)
        prepare_replay(sorted(f for d in sorted(corpus.iterdir()) if d.is_dir() for f in sorted(d.iterdir()))[:2000],
                       a.replay_sample, a.workers)
    if process is None:
        from graph.batch import process_file  # noqa: PLC0415

        process = process_file
    tmp = a.tmp or Path(tempfile.mkdtemp(prefix="plg-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    report: dict = {"argv": sys.argv[1:], "workers": a.workers, "extractor": a.extractor, "cpus": os.cpu_count(),
                    "fast": a.fast}
    print(f"workers {a.workers}, extractor {a.extractor}, fast {a.fast}, cpus {os.cpu_count()}, stores in {tmp}")
    try:
        if not a.no_bulk:
            if a.bulk.is_dir():
                report["bulk"] = run_bulk(a.bulk, workers=a.workers, process=process, tmp=tmp,
                                          use_tracemalloc=a.tracemalloc, fast=a.fast)
            else:
                print(f"bulk corpus not found at {a.bulk}: skipped")
        if not a.bulk_only:
            sizes = [int(x) for x in a.sizes.split(",") if x.strip()]
            report["curve"] = run_curve(sizes, cache=a.cache, tmp=tmp, seed=a.seed, mean_kb=a.mean_kb,
                                        dup_rate=a.dup_rate, workers=a.workers, process=process, repeat=a.repeat,
                                        rdflib_max=a.rdflib_max_triples, budget_s=a.query_budget,
                                        use_tracemalloc=a.tracemalloc, fast=a.fast,
                                        rdflib_timeout=a.rdflib_timeout, mem_limit=int(a.mem_limit_gb * 2**30))
    finally:
        if a.json:
            a.json.parent.mkdir(parents=True, exist_ok=True)
            a.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
        if not a.keep and a.tmp is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

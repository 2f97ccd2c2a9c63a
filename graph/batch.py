"""Build many documents into a store: discovery, incremental skip, parallel extraction, one writer.

Extraction and RDF building run in worker processes (pure functions); the parent process is the
only writer and replaces each document's named graph in one transaction, so an ingest killed
mid-run leaves every document either as before or fully replaced.

Incremental rule: a file whose SHA-256 is already recorded in the store (``plg:contentHash``
of a ``plg:SourceFile``) is skipped; a changed file's graph is replaced, and any older graph
read from the same path is removed in the same step.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import PolicyGraphError, ReadError
from graph.store import sparql_literal

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


@dataclass
class BuildSummary:
    """What a build did. ``failures``: (path, reason) pairs; sizes in bytes; ``seconds`` wall time."""

    documents: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    triples: int = 0
    instruments: int = 0
    agencies: int = 0
    tasks: int = 0
    bytes: int = 0
    seconds: float = 0.0
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain-JSON form, with throughput figures."""
        s = max(self.seconds, 1e-9)
        return {
            "documents": self.documents, "skipped": self.skipped, "failed": len(self.failures),
            "failures": [{"path": p, "reason": r} for p, r in self.failures],
            "triples": self.triples, "instruments": self.instruments, "agencies": self.agencies,
            "tasks": self.tasks, "bytes": self.bytes, "seconds": round(self.seconds, 3),
            "documents_per_s": round(self.documents / s, 2), "mb_per_s": round(self.bytes / s / 1e6, 3),
            "triples_per_s": round(self.triples / s, 1),
        }


def discover(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Expand files and directories (recursively) into supported files, sorted, deduplicated.

    Raises :class:`ReadError` for a path that does not exist.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                       and not f.name.startswith("."))
        elif p.is_file():
            out.append(p)
        else:
            raise ReadError(str(p), "no such file or directory")
    seen, uniq = set(), []
    for f in out:
        k = f.resolve()
        if k not in seen:
            seen.add(k)
            uniq.append(f)
    return uniq


def _sha256_file(path: Path) -> str:
    import hashlib  # noqa: PLC0415

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class _Result:
    path: str
    ok: bool
    reason: str = ""
    graph_iri: str = ""
    ntriples: str = ""
    sha256: str = ""
    size: int = 0
    instruments: int = 0
    agencies: int = 0
    tasks: int = 0
    warnings: list[str] = field(default_factory=list)


def process_file(path: str) -> _Result:
    """Read, extract and build one file in isolation (runs in a worker process).

    Never raises: a failure comes back as ``ok=False`` with a one-line reason.
    """
    from graph.build import build_graph, document_graph_iri  # noqa: PLC0415
    from graph.pipeline import extract_file  # noqa: PLC0415

    try:
        ex = extract_file(path)
        g = build_graph(ex)
        return _Result(path=path, ok=True, graph_iri=document_graph_iri(ex), ntriples=g.serialize(format="nt"),
                       sha256=ex.document.source.sha256, size=os.path.getsize(path),
                       instruments=len(ex.references), agencies=len(ex.agencies), tasks=len(ex.tasks),
                       warnings=list(ex.warnings))
    except PolicyGraphError as e:
        return _Result(path=path, ok=False, reason=str(e))
    except Exception as e:  # noqa: BLE001 - report, never a traceback on user data
        return _Result(path=path, ok=False, reason=f"{path}: internal error {type(e).__name__}: {e}")


def build_paths(store, paths: Iterable[str | os.PathLike], *, workers: int = 1, force: bool = False,
                progress: Callable[[int, int, str], None] | None = None) -> BuildSummary:
    """Build every supported file under ``paths`` into ``store``.

    ``workers``: extraction processes (1 = in this process). ``force``: rebuild unchanged files
    too. ``progress(done, total, path)`` is called after each file. Returns a
    :class:`BuildSummary`; per-file failures are collected, not raised.
    """
    t0 = time.perf_counter()
    summary = BuildSummary()
    files = discover(paths)
    known = set() if force else stored_hashes(store)
    todo: list[str] = []
    for f in files:
        try:
            digest = _sha256_file(f)
        except OSError as e:
            summary.failures.append((str(f), f"{f}: cannot read: {e.strerror or e}"))
            continue
        if digest in known:
            summary.skipped += 1
        else:
            known.add(digest)  # the same bytes twice in one run: build once
            todo.append(str(f))
    total = len(files)
    done = summary.skipped + len(summary.failures)
    if progress:
        progress(done, total, "")

    def handle(r: _Result) -> None:
        nonlocal done
        done += 1
        if r.ok:
            try:
                for old in graphs_for_path(store, r.path):
                    if old != r.graph_iri:
                        store.remove_graph(old)
                summary.triples += store.replace_graph(r.graph_iri, r.ntriples)
                summary.documents += 1
                summary.bytes += r.size
                summary.instruments += r.instruments
                summary.agencies += r.agencies
                summary.tasks += r.tasks
                summary.warnings.extend((r.path, w) for w in r.warnings)
            except PolicyGraphError as e:
                summary.failures.append((r.path, str(e)))
        else:
            summary.failures.append((r.path, r.reason))
        if progress:
            progress(done, total, r.path)

    if workers <= 1 or len(todo) <= 1:
        for p in todo:
            handle(process_file(p))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for r in pool.map(process_file, todo, chunksize=4):
                handle(r)
    write_meta_graph(store)
    store.flush()
    summary.seconds = time.perf_counter() - t0
    return summary


def stored_hashes(store) -> set[str]:
    """Content hashes of every source file already in the store."""
    _, rows = store.select("PREFIX plg: <https://w3id.org/plg/ontology#> "
                           "SELECT DISTINCT ?h WHERE { ?s plg:contentHash ?h }")
    return {r["h"] for r in rows}


def graphs_for_path(store, path: str) -> list[str]:
    """Named graphs whose source file was read from ``path``."""
    _, rows = store.select(
        "PREFIX plg: <https://w3id.org/plg/ontology#> "
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s plg:sourcePath {sparql_literal(str(path))} }} }}")
    return [r["g"] for r in rows]


def remove_document(store, ident: str) -> list[str]:
    """Remove the graphs of a document given by number ("377/KH-UBND"), source path, or graph /
    document IRI. Returns the removed graph IRIs (empty if nothing matched)."""
    _, rows = store.select(
        f"""PREFIX plg: <https://w3id.org/plg/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{
          ?doc plg:sourceFile ?src . ?src plg:sourcePath ?path .
          OPTIONAL {{ ?doc eli:id_local ?num }}
          FILTER(?num = ?id || ?path = ?id || STR(?doc) = ?id || STR(?g) = ?id)
        }} VALUES ?id {{ {sparql_literal(ident)} }} }}""")
    removed = [r["g"] for r in rows]
    for g in removed:
        store.remove_graph(g)
    store.flush()
    return removed


def write_meta_graph(store) -> None:
    """(Re)write the store-level graph: the document-type concept scheme and the agency
    hierarchy from the registries."""
    from graph.meta import meta_graph  # noqa: PLC0415
    from graph.vocab import META_GRAPH  # noqa: PLC0415

    store.replace_graph(META_GRAPH, meta_graph())

"""Build many documents into a store: discovery, incremental skip, parallel extraction, one writer.

Extraction and RDF building run in worker processes (pure functions of the file); the parent
process is the only writer. Every change to a document's named graph is one store transaction,
so an ingest killed mid-run leaves each document either as it was before or fully written.
New documents are written in batches (one N-Quads load of several whole graphs = one
transaction); a replaced graph is one SPARQL Update (``DROP GRAPH`` + ``INSERT DATA``).
Opt-in ``fast`` mode writes new documents with Oxigraph's bulk loader under a journal instead
(see :func:`build_paths` and :func:`recover`).

Sources and documents. A *source* is a file (``plg:SourceFile``: ``plg:contentHash`` =
SHA-256 of its bytes, one ``plg:sourcePath`` per path it was read from, ``plg:sourceFormat``).
A *document* is the instrument the file is an edition of; its IRI comes from its identity
(number, type, year, jurisdiction: :func:`graph.build.document_iri`), so the same document read
from two files lands in the same named graph. That graph keeps **one** extraction, from its
*primary* source (the one carrying ``plg:content``; evidence offsets index into it), and records
every other source of the same document as a ``plg:SourceFile`` without content. The primary
is the source with the longest decoded text (the fullest edition; a portal's abridged copy loses
to the full text); ties keep the source already stored. An identity made from a name alone
(no number: ``BASE name/…``) is weak, so two sources under it are merged only when their texts
share at least half their word 5-grams (:func:`text_fingerprint`); otherwise the newcomer gets
a graph of its own and the build summary carries a warning.

Incremental rules (per file, keyed by path and content hash):

- path and hash already recorded together → unchanged, skipped;
- hash recorded under another path (a byte-identical copy) → the new path is added to that
  source node; nothing is extracted;
- otherwise the file is extracted: a new document gets a new graph; a new edition of a
  stored document competes for primary (above); a changed file that was a graph's primary
  replaces that graph (other sources kept) in one transaction; a file whose new content is a
  different document leaves its old graph (which is dropped when it has no source left, or
  rebuilt from its next-best source file).

``remove_document`` removes a whole document (by number or IRI) or one source (by path).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import PolicyGraphError, ReadError, StoreError
from graph.meta import MODEL_VERSION
from graph.store import (
    drop_sparql,
    insert_sparql,
    prune_sparql,
    replace_sparql,
    resync_sparql,
    sparql_literal,
)

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xhtml", ".docx", ".pdf")

PLG_NS = "https://w3id.org/plg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

BATCH_TRIPLES = 200_000
"""Most triples written in one transaction when loading new documents (memory bound)."""
BATCH_DOCS = 64
"""Most new documents written in one transaction."""
BATCH_SECONDS = 2.0
"""Longest time a finished document waits in the write buffer (so a long build's progress is
durable every few seconds, and a killed build loses at most that much work)."""
WARMUP_SECONDS = 60.0
"""Time allowed for worker processes to start (imports, registries) before file timeouts run."""
FILE_TIMEOUT = 600.0
"""Seconds one file may take in a worker process before it is reported as failed (with
``workers`` ≥ 2; in-process builds cannot interrupt a file)."""


@dataclass
class BuildSummary:
    """What a build did. Every file found ends up in exactly one of ``documents``, ``duplicates``,
    ``skipped`` and ``failures`` (so they sum to ``files``).

    ``documents``: files whose extraction is now the kept one of its document's graph
    (``replaced``: graph replacements, a changed file or a fuller edition displacing another);
    ``duplicates``: files recorded as a further source of a document whose kept extraction comes
    from another file (a byte-identical copy, or a shorter edition); ``skipped``: unchanged
    files; ``removed``: graphs dropped because their last source now holds another document;
    ``failures``: (path, one-line reason) pairs; ``triples``: triples written;
    ``instruments``/``agencies``/``tasks``: summed over the extractions written; ``bytes``: size
    of the files extracted; ``seconds``: wall time.
    """

    documents: int = 0
    skipped: int = 0
    duplicates: int = 0
    replaced: int = 0
    removed: int = 0
    files: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    triples: int = 0
    instruments: int = 0
    agencies: int = 0
    tasks: int = 0
    bytes: int = 0
    seconds: float = 0.0
    warnings: list[tuple[str, str]] = field(default_factory=list)
    graphs: set[str] = field(default_factory=set)
    """Named graphs (re)written by this build (what a post-build validation needs to check)."""
    model_rebuilt: int = 0
    """Unchanged files rebuilt because their document's graph was built by another graph model
    (:data:`graph.meta.MODEL_VERSION`); they are counted in ``documents`` too."""

    def as_dict(self) -> dict:
        """Plain-JSON form, with throughput figures (per second of wall time)."""
        s = max(self.seconds, 1e-9)
        return {
            "files": self.files, "documents": self.documents, "replaced": self.replaced,
            "duplicates": self.duplicates, "skipped": self.skipped, "removed": self.removed,
            "failed": len(self.failures),
            "failures": [{"path": p, "reason": r} for p, r in self.failures],
            "triples": self.triples, "instruments": self.instruments, "agencies": self.agencies,
            "tasks": self.tasks, "bytes": self.bytes, "seconds": round(self.seconds, 3),
            "documents_per_s": round(self.documents / s, 2), "mb_per_s": round(self.bytes / s / 1e6, 3),
            "triples_per_s": round(self.triples / s, 1),
            "warnings": len(self.warnings), "model_rebuilt": self.model_rebuilt,
        }


# ---- discovery ---------------------------------------------------------------------------------------

def discover(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Expand files and directories (recursively) into supported files, sorted, deduplicated.

    Inside a directory only files with a suffix in :data:`SUPPORTED_SUFFIXES` are taken, and
    hidden files and folders (name starting with ".") are left out; a file named explicitly is
    always taken (the reader then says whether it can read it). Raises :class:`ReadError` for
    a path that does not exist.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not any(x.startswith(".") for x in rel):
                    out.append(f)
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


def normalise_path(path: str | os.PathLike) -> str:
    """The path recorded in the store: relative to the current directory when the file lies
    under it (``data/documents/x.txt``), else absolute — so the same file gets the same path
    whichever way it was named on the command line."""
    p = Path(path).absolute()
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes. Raises ``OSError``."""
    import hashlib  # noqa: PLC0415

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---- extraction (worker side) --------------------------------------------------------------------------

@dataclass
class FileResult:
    """One file extracted and built (what a worker sends back).

    ``ok`` False: ``reason`` is one line naming the file. Otherwise ``graph_iri``/``doc_iri``/
    ``source_iri`` name the document's graph, the document and the source node; ``ntriples``
    is the graph as N-Triples (one triple per line, ending " .\\n"), ``triples`` its size;
    ``text_len`` the length in characters of the decoded text (the primary-source rank);
    ``fingerprint`` (documents known only by name) a sample of the text's word 5-grams, see
    :func:`text_fingerprint`.
    """

    path: str
    ok: bool
    reason: str = ""
    graph_iri: str = ""
    doc_iri: str = ""
    source_iri: str = ""
    ntriples: str = ""
    triples: int = 0
    sha256: str = ""
    fmt: str = ""
    size: int = 0
    text_len: int = 0
    fingerprint: frozenset[int] = frozenset()
    instruments: int = 0
    agencies: int = 0
    tasks: int = 0
    warnings: list[str] = field(default_factory=list)


def process_file(path: str) -> FileResult:
    """Read, extract and build one file in isolation (runs in a worker process).

    Never raises: a failure comes back as ``ok=False`` with a one-line reason naming the file.
    """
    from graph.build import build_ntriples, document_graph_iri, document_iri  # noqa: PLC0415
    from graph.pipeline import extract_file  # noqa: PLC0415
    from graph.vocab import source_iri  # noqa: PLC0415

    try:
        ex = extract_file(path)
        nt, n_triples = build_ntriples(ex)
        src = ex.document.source
        doc = document_iri(ex)
        return FileResult(path=path, ok=True, graph_iri=document_graph_iri(ex), doc_iri=doc,
                          source_iri=source_iri(src.sha256), ntriples=nt, triples=n_triples, sha256=src.sha256,
                          fmt=src.format, size=os.path.getsize(path), text_len=len(src.text),
                          instruments=len(ex.references), agencies=len(ex.agencies), tasks=len(ex.tasks),
                          warnings=list(ex.warnings),
                          fingerprint=text_fingerprint(src.text) if doc.startswith(NAME_PREFIX) else frozenset())
    except PolicyGraphError as e:
        return FileResult(path=path, ok=False, reason=str(e))
    except RecursionError as e:
        return FileResult(path=path, ok=False, reason=f"{path}: text nested too deeply to process ({e})")
    except MemoryError:
        return FileResult(path=path, ok=False, reason=f"{path}: out of memory while processing the file")
    except Exception as e:  # noqa: BLE001 - report, never a traceback on user data
        return FileResult(path=path, ok=False, reason=f"{path}: internal error {type(e).__name__}: {e}")


NAME_PREFIX = "https://w3id.org/plg/name/"
"""IRIs of documents known only by a name (no number): a weak identity, checked by text."""
SAME_TEXT = 0.5
"""Least share of common word 5-grams for two sources to count as one document known by name."""


def text_fingerprint(text: str, *, keep: int = 8) -> frozenset[int]:
    """A sample of the word 5-grams of ``text`` (lower-cased, punctuation and markup ignored):
    those whose hash is 0 modulo ``keep``. Two texts' samples have about the same Jaccard
    overlap as the texts' full 5-gram sets (Broder 1997, "On the resemblance and containment
    of documents")."""
    import re  # noqa: PLC0415
    import zlib  # noqa: PLC0415

    words = re.findall(r"\w+", text.lower())
    out = set()
    for i in range(max(len(words) - 4, 0)):
        h = zlib.crc32(" ".join(words[i:i + 5]).encode("utf-8"))
        if h % keep == 0:
            out.add(h)
    return frozenset(out)


def _resemblance(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / max(len(a | b), 1)


def _warm_worker() -> None:
    """Worker initializer: load the registries once per process."""
    try:
        from graph.pipeline import default_registry  # noqa: PLC0415

        default_registry()
    except Exception:  # noqa: BLE001 - the first file will report it
        pass


# ---- what the store holds --------------------------------------------------------------------------------

@dataclass
class _Source:
    iri: str
    sha256: str
    fmt: str
    paths: set[str]
    primary: bool
    text_len: int | None = None


@dataclass
class _Graph:
    iri: str
    doc: str
    sources: dict[str, _Source] = field(default_factory=dict)
    model: int | None = None
    """Graph-model version the graph records (``plg:modelVersion`` of its primary source)."""

    def primary(self) -> _Source | None:
        return next((s for s in self.sources.values() if s.primary), None)


class _Index:
    """Sources recorded in the store, by graph, path and hash (kept in step with the writes)."""

    def __init__(self) -> None:
        self.graphs: dict[str, _Graph] = {}
        self.by_path: dict[str, tuple[str, str]] = {}
        self.by_hash: dict[str, tuple[str, str]] = {}

    @classmethod
    def load(cls, store) -> _Index:
        idx = cls()
        _, rows = store.select(f"""PREFIX plg: <{PLG_NS}>
            SELECT ?g ?doc ?src ?h ?path ?fmt ?primary ?model WHERE {{ GRAPH ?g {{
              ?doc plg:sourceFile ?src . ?src plg:contentHash ?h ; plg:sourcePath ?path .
              OPTIONAL {{ ?src plg:sourceFormat ?fmt }}
              OPTIONAL {{ ?src plg:modelVersion ?model }}
              BIND(EXISTS {{ ?src plg:content ?c }} AS ?primary) }} }}""")
        for r in rows:
            g = idx.graphs.setdefault(r["g"], _Graph(r["g"], r["doc"]))
            if r["model"] is not None:
                g.model = _int_or_none(r["model"])
            s = g.sources.get(r["src"])
            if s is None:
                s = g.sources[r["src"]] = _Source(r["src"], r["h"], r["fmt"] or "", set(),
                                                  r["primary"] in (True, "true", "1", 1))
            s.paths.add(r["path"])
            idx.by_path[r["path"]] = (r["g"], r["src"])
            idx.by_hash[r["h"]] = (r["g"], r["src"])
        return idx

    def add(self, g: _Graph) -> None:
        self.graphs[g.iri] = g
        for s in g.sources.values():
            for p in s.paths:
                self.by_path[p] = (g.iri, s.iri)
            self.by_hash[s.sha256] = (g.iri, s.iri)

    def drop(self, graph_iri: str) -> None:
        g = self.graphs.pop(graph_iri, None)
        if g is None:
            return
        for s in g.sources.values():
            for p in s.paths:
                if self.by_path.get(p, (None,))[0] == graph_iri:
                    del self.by_path[p]
            if self.by_hash.get(s.sha256, (None,))[0] == graph_iri:
                del self.by_hash[s.sha256]


def _int_or_none(v) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _iri(x: str) -> str:
    return f"<{x}>"


def _source_triples(doc: str, s: _Source) -> str:
    """N-Triples of a non-primary source node."""
    lines = [f"{_iri(doc)} {_iri(PLG_NS + 'sourceFile')} {_iri(s.iri)} .",
             f"{_iri(s.iri)} {_iri(RDF_TYPE)} {_iri(PLG_NS + 'SourceFile')} .",
             f"{_iri(s.iri)} {_iri(PLG_NS + 'contentHash')} {sparql_literal(s.sha256)} ."]
    if s.fmt:
        lines.append(f"{_iri(s.iri)} {_iri(PLG_NS + 'sourceFormat')} {sparql_literal(s.fmt)} .")
    lines += [f"{_iri(s.iri)} {_iri(PLG_NS + 'sourcePath')} {sparql_literal(p)} ." for p in sorted(s.paths)]
    return "\n".join(lines) + "\n"


# ---- the writer ------------------------------------------------------------------------------------------

JOURNAL = "plg-ingest.journal"
"""File in an on-disk store's directory listing the graphs of a fast (bulk) load in progress."""


def journal_path(store) -> Path | None:
    """Where ``store`` keeps its ingest journal (None for in-memory and remote stores)."""
    loc = getattr(store, "location", None)
    if not loc or loc == ":memory:" or getattr(store, "ox", None) is None:
        return None
    return Path(loc) / JOURNAL


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def recover(store) -> list[str]:
    """Undo a fast load that was interrupted (killed process, full disk): drop, in one
    transaction, the graphs its journal lists — graphs that did not exist before that load —
    and remove the journal. Returns the graphs dropped (usually none). Every ``build_paths`` and
    ``remove_document`` calls it first. Raises :class:`StoreError` if the store cannot be written.
    """
    jp = journal_path(store)
    if jp is None or not jp.exists():
        return []
    graphs = [ln.strip() for ln in jp.read_text(encoding="utf-8").splitlines() if ln.strip()]
    try:
        if graphs:  # the default graph may hold part of the interrupted load: recompute it
            store.ox.update(" ;\n".join([*(f"DROP SILENT GRAPH {_iri(g)}" for g in graphs), resync_sparql()]))
        store.flush()
    except (OSError, ValueError, SyntaxError) as e:
        raise StoreError(f"cannot undo the interrupted load listed in {jp}: {e}") from e
    jp.unlink()
    return graphs


class _Writer:
    """The single writer. New graphs are buffered and loaded together (one transaction per
    batch); every other change is one SPARQL Update (one transaction), after the buffer."""

    def __init__(self, store, on_failed: Callable[[list[tuple[str, str, str]], str], None],
                 batch_triples: int = BATCH_TRIPLES, batch_docs: int = BATCH_DOCS):
        self.store = store
        self.on_failed = on_failed
        self.batch_triples, self.batch_docs = batch_triples, batch_docs
        self.buf: list[tuple[str, str, str]] = []  # (graph, ntriples, path)
        self.buf_triples = 0
        self.buf_since = 0.0
        self.batch_seconds = BATCH_SECONDS
        self.fast = False

    def new_graph(self, graph_iri: str, nt: str, triples: int, path: str) -> None:
        if not self.buf:
            self.buf_since = time.monotonic()
        self.buf.append((graph_iri, nt, path))
        self.buf_triples += triples
        if (len(self.buf) >= self.batch_docs or self.buf_triples >= self.batch_triples
                or time.monotonic() - self.buf_since >= self.batch_seconds):
            self.flush()

    def flush(self) -> None:
        if not self.buf:
            return
        buf, self.buf, self.buf_triples = self.buf, [], 0
        try:
            self._load(buf)
        except StoreError:
            for item in buf:  # isolate the bad one(s); the others are written one by one
                try:
                    self._load([item])
                except StoreError as e:
                    self.on_failed([item], str(e))

    def _load(self, items: list[tuple[str, str, str]]) -> None:
        nq = "".join(nt.replace(" .\n", f" <{g}> .\n") for g, nt, _ in items)
        if getattr(self.store, "materialized_default", False):  # and the merge (store.py docstring)
            nq += "".join(nt for _, nt, _ in items)
        ox_store = getattr(self.store, "ox", None)
        journal = journal_path(self.store)
        try:
            if ox_store is not None and self.fast and journal is not None:
                self._bulk(ox_store, journal, [g for g, _, _ in items], nq.encode("utf-8"))
            elif ox_store is not None:
                import pyoxigraph as ox  # noqa: PLC0415

                ox_store.load(nq.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            else:  # a remote store: one SPARQL Update request (one transaction on the server)
                self.store.update(" ;\n".join(f"DROP SILENT GRAPH {_iri(g)} ;\nINSERT DATA {{ GRAPH {_iri(g)} "
                                                f"{{\n{nt}}} }}" for g, nt, _ in items))
        except (OSError, ValueError, SyntaxError, PolicyGraphError) as e:
            raise StoreError(f"could not write graph(s) {', '.join(g for g, _, _ in items)}: {e}") from e

    def _bulk(self, ox_store, journal: Path, graphs: list[str], data: bytes) -> None:
        """Fast path: Oxigraph's bulk loader (no transaction), made safe by a journal naming the
        new graphs, written and synced before the load and removed after it. A load that fails
        (bad data: the loader stops at the first syntax error, part of the batch written; full
        disk) is undone at once by :func:`recover`, an interrupted one (killed process) on the
        next run. The data is not parsed beforehand: that pass cost as much writer CPU as the
        load itself, and the builder's N-Triples are checked by tests (``tests/test_build.py``);
        a bad batch costs one :func:`recover` (a recomputation of the default graph)."""
        import pyoxigraph as ox  # noqa: PLC0415

        with open(journal, "w", encoding="utf-8") as fh:
            fh.write("\n".join(graphs) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(journal.parent)
        try:
            ox_store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            ox_store.flush()
        except BaseException:
            recover(self.store)
            raise
        journal.unlink()
        _fsync_dir(journal.parent)

    def update(self, sparql: str) -> None:
        """Run one SPARQL Update as one transaction (after writing the buffer)."""
        self.flush()
        ox_store = getattr(self.store, "ox", None)
        try:
            if ox_store is not None:
                ox_store.update(sparql)
            elif hasattr(self.store, "update"):
                self.store.update(sparql)
            else:
                raise StoreError("this store does not accept SPARQL Update")
        except StoreError:
            raise
        except (OSError, ValueError, SyntaxError, PolicyGraphError) as e:
            raise StoreError(f"store update failed: {e}") from e

    @property
    def materialized(self) -> bool:
        """The store keeps its default graph as the merge of the named graphs (see
        ``graph.store``); a remote store's server decides its own default graph."""
        return getattr(self.store, "materialized_default", False)

    def replace(self, graph_iri: str, nt: str) -> None:
        g = _iri(graph_iri)
        self.update(replace_sparql(graph_iri, nt) if self.materialized
                    else f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{nt}}} }}")

    def drop(self, graph_iri: str) -> None:
        self.update(drop_sparql(graph_iri) if self.materialized else f"DROP SILENT GRAPH {_iri(graph_iri)}")

    def insert(self, graph_iri: str, nt: str) -> None:
        self.update(insert_sparql(graph_iri, nt) if self.materialized
                    else f"INSERT DATA {{ GRAPH {_iri(graph_iri)} {{\n{nt}}} }}")

    def delete(self, sparql: str, subjects: list[str]) -> None:
        """Run a DELETE on named graphs, then prune the default graph of those subjects."""
        self.update(f"{sparql} ;\n{prune_sparql(subjects)}" if self.materialized else sparql)


# ---- the build -------------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, store, summary: BuildSummary, process: Callable[[str], FileResult]):
        self.store = store
        self.summary = summary
        self.process = process
        recover(store)
        self.idx = _Index.load(store)
        self.writer = _Writer(store, self._write_failed)
        self.outcome: dict[str, str] = {}  # path of this run → "built" | "duplicate"

    # bookkeeping for a batch that could not be written
    def _write_failed(self, items: list[tuple[str, str, str]], reason: str) -> None:
        for g, _, path in items:
            self.idx.drop(g)
            self.outcome.pop(path, None)
            self.summary.failures.append((path, f"{path}: {reason}"))

    def finish(self) -> None:
        """Write what is buffered and settle the per-file counts."""
        self.writer.flush()
        vals = list(self.outcome.values())
        self.summary.documents = vals.count("built")
        self.summary.duplicates = vals.count("duplicate")
        self.writer.on_failed = None  # break the builder ↔ writer cycle: the store closes when dropped

    def primary_len(self, g: _Graph) -> int:
        p = g.primary()
        if p is None:
            return -1
        if p.text_len is None:
            self.writer.flush()
            _, rows = self.store.select(
                f"PREFIX plg: <{PLG_NS}> SELECT (MAX(STRLEN(?c)) AS ?n) WHERE {{ GRAPH {_iri(g.iri)} "
                f"{{ {_iri(p.iri)} plg:content ?c }} }}")
            p.text_len = int(rows[0]["n"] or 0) if rows else 0
        return p.text_len

    def _same_text(self, g: _Graph, r: FileResult) -> bool:
        """Whether ``r`` reads as the same text as the kept source of ``g`` (see SAME_TEXT)."""
        p = g.primary()
        if p is None:
            return True
        self.writer.flush()
        _, rows = self.store.select(f"PREFIX plg: <{PLG_NS}> SELECT ?c WHERE {{ GRAPH {_iri(g.iri)} "
                                    f"{{ {_iri(p.iri)} plg:content ?c }} }} LIMIT 1")
        if not rows:
            return True
        return _resemblance(text_fingerprint(rows[0]["c"]), r.fingerprint) >= SAME_TEXT

    # -- detaching a path from the graph that holds it ---------------------------------------------------
    def detach(self, path: str) -> str | None:
        """Remove ``path`` from its graph; returns the graph IRI touched (or None)."""
        loc = self.idx.by_path.get(path)
        if loc is None:
            return None
        giri, siri = loc
        g = self.idx.graphs[giri]
        s = g.sources[siri]
        del self.idx.by_path[path]
        s.paths.discard(path)
        if s.paths:  # a byte-identical copy still has it
            self.writer.delete(f"DELETE DATA {{ GRAPH {_iri(giri)} {{ {_iri(siri)} "
                               f"<{PLG_NS}sourcePath> {sparql_literal(path)} }} }}", [siri])
            return giri
        del g.sources[siri]
        if self.idx.by_hash.get(s.sha256, (None,))[0] == giri:
            del self.idx.by_hash[s.sha256]
        if not s.primary:
            self.writer.delete(
                f"DELETE WHERE {{ GRAPH {_iri(giri)} {{ {_iri(g.doc)} <{PLG_NS}sourceFile> {_iri(siri)} }} }} ;\n"
                f"DELETE WHERE {{ GRAPH {_iri(giri)} {{ {_iri(siri)} ?p ?o }} }}", [g.doc, siri])
            return giri
        # the primary leaves: rebuild from the best remaining source that can still be read
        best: FileResult | None = None
        for other in list(g.sources.values()):
            for p in sorted(other.paths):
                if not os.path.isfile(p):
                    continue
                r = self.process(p)
                if r.ok and r.graph_iri == giri and r.sha256 == other.sha256 and (
                        best is None or r.text_len > best.text_len):
                    best = r
                break
        if best is None:
            self.writer.drop(giri)
            self.idx.drop(giri)
            self.summary.removed += 1
            return giri
        self._rewrite(best, list(g.sources.values()), existed=True, this_run=False)
        return giri

    # -- writing one extracted file ------------------------------------------------------------------------
    def _rewrite(self, r: FileResult, others: list[_Source], *, existed: bool, this_run: bool = True) -> None:
        """Make ``r`` the primary of its graph, with ``others`` recorded as further sources.
        ``this_run``: ``r`` is a file of this build (else a source re-read to replace one)."""
        for o in others:
            o.primary = False
            for p in o.paths:
                if p in self.outcome:
                    self.outcome[p] = "duplicate"
        if this_run:
            self.outcome[r.path] = "built"
        dup_nt = "".join(_source_triples(r.doc_iri, o) for o in others if o.iri != r.source_iri)
        extra_paths = sorted({p for o in others if o.iri == r.source_iri for p in o.paths} - {r.path})
        dup_nt += "".join(f"{_iri(r.source_iri)} <{PLG_NS}sourcePath> {sparql_literal(p)} .\n" for p in extra_paths)
        nt = r.ntriples + dup_nt
        if existed:
            self.writer.replace(r.graph_iri, nt)
        else:
            self.writer.new_graph(r.graph_iri, nt, r.triples, r.path)
        g = _Graph(r.graph_iri, r.doc_iri, model=MODEL_VERSION)
        g.sources[r.source_iri] = _Source(r.source_iri, r.sha256, r.fmt, {r.path, *extra_paths}, True, r.text_len)
        for o in others:
            if o.iri != r.source_iri:
                g.sources[o.iri] = o
        self.idx.drop(r.graph_iri)
        self.idx.add(g)
        sm = self.summary
        sm.graphs.add(r.graph_iri)
        sm.replaced += existed
        sm.triples += r.triples
        sm.instruments += r.instruments
        sm.agencies += r.agencies
        sm.tasks += r.tasks
        sm.warnings.extend((r.path, w) for w in r.warnings)

    def _add_source(self, g: _Graph, r: FileResult) -> None:
        """Record ``r`` as a further (non-primary) source of ``g``."""
        s = g.sources.get(r.source_iri)
        if s is not None:  # same bytes already recorded: one more path
            nt = f"{_iri(s.iri)} <{PLG_NS}sourcePath> {sparql_literal(r.path)} .\n"
            s.paths.add(r.path)
        else:
            s = _Source(r.source_iri, r.sha256, r.fmt, {r.path}, False, r.text_len)
            g.sources[s.iri] = s
            nt = _source_triples(g.doc, s)
        self.writer.insert(g.iri, nt)
        self.idx.by_path[r.path] = (g.iri, s.iri)
        self.idx.by_hash.setdefault(r.sha256, (g.iri, s.iri))
        self.outcome[r.path] = "duplicate"

    def handle(self, r: FileResult) -> None:
        sm = self.summary
        if not r.ok:
            sm.failures.append((r.path, r.reason))
            return
        sm.bytes += r.size
        old = self.idx.by_path.get(r.path)
        if old is not None:
            og = self.idx.graphs[old[0]]
            if old[0] == r.graph_iri and og.sources[old[1]].primary:
                # a new version of the same document from the same file: replace its graph,
                # keeping the other sources (and other paths of the old bytes) as sources
                others = []
                for s in og.sources.values():
                    if s.iri == old[1]:
                        rest = s.paths - {r.path}
                        if not rest:
                            continue
                        s = _Source(s.iri, s.sha256, s.fmt, rest, False, s.text_len)
                    others.append(s)
                self._rewrite(r, others, existed=True)
                return
            self.detach(r.path)
        g = self.idx.graphs.get(r.graph_iri)
        if g is not None and r.doc_iri.startswith(NAME_PREFIX) and r.source_iri not in g.sources \
                and not self._same_text(g, r):
            # two different documents got the same name-only identity: keep them apart
            from graph.vocab import graph_iri  # noqa: PLC0415

            other = sorted(p for s in g.sources.values() for p in s.paths)[:1]
            self.summary.warnings.append((r.path, f"{r.path}: document identity {r.doc_iri} is also that of "
                                          f"{', '.join(other)}, whose text differs; stored in a graph of its own"))
            r.graph_iri = graph_iri(f"{r.doc_iri}#{r.sha256[:16]}")
            g = self.idx.graphs.get(r.graph_iri)
        if g is None:
            self._rewrite(r, [], existed=False)
        elif r.source_iri in g.sources:
            self._add_source(g, r)
        elif r.text_len > self.primary_len(g):
            self._rewrite(r, list(g.sources.values()), existed=True)
        else:
            self._add_source(g, r)

    def copy(self, path: str, sha: str) -> None:
        """A byte-identical copy of a stored source, read from a new path."""
        if path in self.idx.by_path:
            self.detach(path)
        loc = self.idx.by_hash.get(sha)
        if loc is None:  # its graph went away with the detach
            self.handle(self.process(path))
            return
        g = self.idx.graphs[loc[0]]
        s = g.sources[loc[1]]
        s.paths.add(path)
        self.writer.insert(g.iri, f"{_iri(s.iri)} <{PLG_NS}sourcePath> {sparql_literal(path)} .")
        self.idx.by_path[path] = loc
        self.outcome[path] = "duplicate"


def build_paths(store, paths: Iterable[str | os.PathLike], *, workers: int = 1, force: bool = False,
                progress: Callable[[int, int, str], None] | None = None,
                process: Callable[[str], FileResult] = process_file,
                batch_docs: int = BATCH_DOCS, batch_triples: int = BATCH_TRIPLES,
                file_timeout: float | None = FILE_TIMEOUT, fast: bool = False) -> BuildSummary:
    """Build every supported file under ``paths`` into ``store`` (see the module docstring).

    ``workers``: extraction processes (1 = in this process). ``force``: extract unchanged files
    too (their graphs are rewritten). ``progress(done, total, path)`` is called after each file.
    ``process``: the per-file function (a module-level function, for worker processes; tests
    pass a fake). ``batch_docs``/``batch_triples``: most new documents / triples per write
    transaction. ``file_timeout``: seconds one file may take in a worker (``workers`` ≥ 2)
    before it is reported as failed; None = no limit. ``fast``: write new documents with
    Oxigraph's bulk loader (about 3× less CPU per triple than a transaction) under a journal:
    a killed build then leaves partly written new graphs until the next ``build_paths``/
    :func:`recover` drops them (the default writes each batch in one transaction, so the store is
    consistent at every instant). Returns a :class:`BuildSummary`; per-file failures are collected, not raised.
    Raises :class:`ReadError` if a named path does not exist and :class:`StoreError` if the
    store cannot be read or written at all.
    """
    t0 = time.perf_counter()
    summary = BuildSummary()
    files = discover(paths)
    summary.files = len(files)
    b = _Builder(store, summary, process)
    b.writer.batch_docs, b.writer.batch_triples, b.writer.fast = batch_docs, batch_triples, fast
    todo: list[str] = []
    copies: list[tuple[str, str]] = []
    queued_hashes: set[str] = set()
    for f in files:
        path = normalise_path(f)
        try:
            digest = sha256_file(f)
        except OSError as e:
            summary.failures.append((path, f"{path}: cannot read: {e.strerror or e}"))
            continue
        loc = b.idx.by_path.get(path)
        if not force and loc is not None and b.idx.graphs[loc[0]].sources[loc[1]].sha256 == digest:
            lg = b.idx.graphs[loc[0]]
            if lg.model != MODEL_VERSION and lg.sources[loc[1]].primary:  # built by another graph model
                summary.model_rebuilt += 1
                queued_hashes.add(digest)
                todo.append(path)
            else:
                summary.skipped += 1
        elif not force and digest in b.idx.by_hash:
            copies.append((path, digest))
        elif digest in queued_hashes:
            copies.append((path, digest))  # same bytes twice in this run: extract once
        else:
            queued_hashes.add(digest)
            todo.append(path)
    total = len(files)
    done = summary.skipped + len(summary.failures)
    if progress:
        progress(done, total, "")

    def handled(path: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, path)

    def safe_handle(r: FileResult) -> None:
        try:
            b.handle(r)
        except PolicyGraphError as e:
            summary.failures.append((r.path, f"{r.path}: {e}" if r.path not in str(e) else str(e)))
        handled(r.path)

    if workers <= 1 or len(todo) <= 1:
        for p in todo:
            safe_handle(process(p))
    else:
        _run_pool(todo, process, workers, safe_handle, file_timeout)
    for path, digest in copies:
        try:
            b.copy(path, digest)
        except PolicyGraphError as e:
            summary.failures.append((path, str(e)))
        handled(path)
    b.finish()
    if summary.documents or summary.duplicates or summary.removed or force:
        _meta(store, summary)
    store.flush()
    summary.seconds = time.perf_counter() - t0
    return summary


def _run_pool(todo: list[str], process: Callable[[str], FileResult], workers: int,
              handle: Callable[[FileResult], None], file_timeout: float | None = FILE_TIMEOUT) -> None:
    """Run ``process`` over ``todo`` in ``workers`` processes, at most ``8 × workers`` files in
    flight (bounded memory), handing each result to ``handle`` as it arrives.

    A worker that dies (a crash in a native library) costs only the files it held: they are
    retried one by one in a fresh process, and a file that kills its process again is reported
    as failed. A file still being processed ``file_timeout`` seconds after a worker took it (a
    pathological input) is reported as failed; the pool is then replaced and the other files
    in flight are queued again. (A file counts as taken once every file submitted before it
    has finished and the workers have started — returned a first result, or
    ``WARMUP_SECONDS`` passed — so the limit is never shorter than stated.)"""
    queue = list(reversed(todo))
    window = 8 * workers
    suspects: list[str] = []
    while queue:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker)
        inflight: dict[Future, str] = {}  # in submission order
        taken: dict[Future, float] = {}
        broken = stuck = warm = False
        pool_t0 = time.monotonic()
        try:
            while queue or inflight:
                while queue and len(inflight) < window and not broken:
                    p = queue.pop()
                    inflight[pool.submit(process, p)] = p
                if not inflight:
                    break
                finished, _ = wait(inflight, timeout=1.0 if file_timeout else None, return_when=FIRST_COMPLETED)
                for fut in finished:
                    p = inflight.pop(fut)
                    taken.pop(fut, None)
                    warm = True
                    try:
                        res = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        suspects.append(p)
                        continue
                    except Exception as e:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        res = FileResult(path=p, ok=False, reason=f"{p}: worker error {type(e).__name__}: {e}")
                    handle(res)
                if broken and not inflight:
                    break
                now = time.monotonic()
                if file_timeout and not broken and (warm or now - pool_t0 > WARMUP_SECONDS):
                    for fut in list(inflight)[:workers]:
                        taken.setdefault(fut, now)
                    overdue = [f for f, t in taken.items() if now - t > file_timeout and not f.done()]
                    if overdue:
                        for f in overdue:
                            p = inflight.pop(f)
                            handle(FileResult(path=p, ok=False, reason=f"{p}: still not processed after "
                                              f"{file_timeout:g} s; skipped (pathological input?)"))
                        again = []
                        for f, p in inflight.items():
                            if f.done() and not f.cancelled() and f.exception() is None:
                                handle(f.result())
                            else:
                                again.append(p)
                        queue.extend(reversed(again))
                        inflight.clear()
                        stuck = True
                        break
        finally:
            if stuck:
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.kill()
            pool.shutdown(wait=True, cancel_futures=True)
        for p in suspects:
            handle(_isolated(process, p))
        suspects.clear()


def _isolated(process: Callable[[str], FileResult], path: str) -> FileResult:
    """Run ``process(path)`` alone in a fresh process; a crash becomes a failure result."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(process, path).result()
        except BrokenProcessPool:
            return FileResult(path=path, ok=False, reason=f"{path}: the extractor crashed on this file")


# ---- queries and removal ---------------------------------------------------------------------------------

def model_outdated(store) -> bool:
    """True if a document graph of the store was built by a graph model other than
    :data:`graph.meta.MODEL_VERSION` (its primary source records another ``plg:modelVersion``,
    or none); the next :func:`build_paths` over its file rebuilds it. Raises
    :class:`StoreError` if the store cannot be read."""
    _, rows = store.select(f"""PREFIX plg: <{PLG_NS}> SELECT ?s WHERE {{ GRAPH ?g {{
        ?d plg:sourceFile ?s . ?s plg:content ?c .
        FILTER NOT EXISTS {{ ?s plg:modelVersion {MODEL_VERSION} }} }} }} LIMIT 1""")
    return bool(rows)


def recorded_paths(store) -> list[str]:
    """Every source path recorded in the store (as given to the build that read it), sorted."""
    return sorted(_Index.load(store).by_path)


def stored_hashes(store) -> set[str]:
    """Content hashes of every source file already in the store."""
    _, rows = store.select(f"PREFIX plg: <{PLG_NS}> SELECT DISTINCT ?h WHERE {{ ?s plg:contentHash ?h }}")
    return {r["h"] for r in rows}


def graphs_for_path(store, path: str) -> list[str]:
    """Named graphs whose sources include a file read from ``path`` (as recorded)."""
    _, rows = store.select(
        f"PREFIX plg: <{PLG_NS}> "
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s plg:sourcePath {sparql_literal(str(path))} }} }}")
    return [r["g"] for r in rows]


def remove_document(store, ident: str, *, process: Callable[[str], FileResult] = process_file) -> list[str]:
    """Remove a document, or one of its sources.

    ``ident``: a document number ("377/KH-UBND"), a document or graph IRI → the document's
    whole graph goes; a source path (as given to ``build``, or as recorded) → that source goes
    from its document (the graph goes with its last source; when the primary source goes, the
    graph is rebuilt from the next-best source file still on disk). Returns the IRIs of the
    graphs removed or changed (empty if nothing matched). Raises :class:`StoreError`.
    """
    summary = BuildSummary()
    b = _Builder(store, summary, process)
    touched: list[str] = []
    for path in dict.fromkeys((ident, normalise_path(ident))):
        if path in b.idx.by_path:
            g = b.detach(path)
            if g:
                touched.append(g)
            break
    if not touched:
        _, rows = store.select(
            f"""PREFIX plg: <{PLG_NS}>
            PREFIX eli: <http://data.europa.eu/eli/ontology#>
            SELECT DISTINCT ?g WHERE {{
              VALUES ?id {{ {sparql_literal(ident)} }}
              GRAPH ?g {{ ?doc plg:sourceFile ?src . OPTIONAL {{ ?doc eli:id_local ?num }} }}
              FILTER(?num = ?id || STR(?doc) = ?id || STR(?g) = ?id)
            }}""")
        for r in rows:
            b.writer.drop(r["g"])
            touched.append(r["g"])
    b.finish()
    if touched:
        _meta(store, summary)
    store.flush()
    return touched


def _meta(store, summary: BuildSummary) -> None:
    """:func:`write_meta_graph`, its failure a warning: the documents are written already."""
    try:
        write_meta_graph(store)
    except Exception as e:  # noqa: BLE001 - a registry fault must not fail a finished build
        summary.warnings.append(("", f"the store-level graph (document types, agency hierarchy) was not "
                                     f"rewritten: {type(e).__name__}: {e}"))


def write_meta_graph(store) -> None:
    """(Re)write the store-level graph: the document-type concept scheme and the agency
    hierarchy from the registries."""
    from graph.meta import meta_graph  # noqa: PLC0415
    from graph.vocab import META_GRAPH  # noqa: PLC0415

    store.replace_graph(META_GRAPH, meta_graph())

"""The extraction pipeline: source text → :class:`~graph.models.Extraction` → annotation JSON.

One public verb per stage, each in its own module (eyecite style):
``read_source`` (graph.ingest.readers) → ``parse_document`` (graph.ingest.parse) →
``extract_references`` (graph.extract.references) → ``resolve_references`` (graph.resolve) →
``extract_agencies`` / ``group_agencies`` (graph.extract.agencies) → ``extract_tasks``
(graph.extract.tasks). Everything here is a pure function of the input and the registries.
"""

from __future__ import annotations

import gc
from functools import lru_cache
from pathlib import Path

from graph.extract.agencies import extract_agencies, group_agencies
from graph.extract.references import extract_references
from graph.extract.tasks import extract_tasks
from graph.ingest.parse import parse_document
from graph.ingest.readers import read_source
from graph.models import Extraction, SourceText
from graph.registry import load_registry
from graph.resolve import resolve_references


@lru_cache(maxsize=1)
def default_registry():
    """The registry shipped in ``data/registry`` (loaded once per process)."""
    return load_registry()


class _collector_paused:  # noqa: N801 - used as a function: ``with _collector_paused():``
    """Pause Python's cyclic garbage collector for the block, resuming it after (only if it was
    running before). The stages allocate many short-lived containers (matches, hits, offset
    maps); reference counting frees them, and the collector's passes over the ones still alive
    while a document is read are wasted work (5–9 % of the extraction's CPU time on the bulk
    corpus, ``bench/bench_extract.py``). Cycles made meanwhile are collected once it runs
    again. The switch is process-wide: other threads' garbage waits too, until the block ends.
    Speed only: no output depends on it.

    The objects allocated in the block count towards the collector's next pass, which starts at
    the first allocation of a tracked object once it runs again. Leaving the block allocates
    none (a plain ``__exit__``, where a ``contextlib`` generator raised ``StopIteration``), so
    that pass does not start before :func:`extract` returns: a caller that drops the extraction
    first frees its objects before the collector would look at them (py-spy showed the pass,
    5 % of the pipeline's samples, in the generator's exit)."""

    __slots__ = ("_was",)

    def __enter__(self) -> None:
        self._was = gc.isenabled()
        gc.disable()

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._was:
            gc.enable()


def extract(source: SourceText, registry=None) -> Extraction:
    """Run every extraction stage on one decoded source.

    Input: a :class:`~graph.models.SourceText`. Output: an :class:`~graph.models.Extraction`
    (document, resolved references, agencies, tasks). Never raises on text input: a stage that
    fails on odd text records a warning and leaves its part empty. The cyclic garbage collector
    is paused while the document is read (:func:`_collector_paused`).
    """
    registry = registry or default_registry()
    with _collector_paused():
        return _extract(source, registry)


def _extract(source: SourceText, registry) -> Extraction:
    """The stages of :func:`extract`, in order (see there)."""
    doc = parse_document(source)
    ex = Extraction(document=doc)
    try:
        mentions = extract_references(doc, registry)
        ex.references = resolve_references(doc, mentions, registry)
    except Exception as e:  # noqa: BLE001 - one stage's bug must not lose the document
        ex.warnings.append(f"references: {type(e).__name__}: {e}")
    try:
        agency_mentions = extract_agencies(doc, registry)
        ex.agencies = group_agencies(agency_mentions)
        ex.tasks = extract_tasks(doc, agency_mentions, registry)
    except Exception as e:  # noqa: BLE001
        ex.warnings.append(f"agencies/tasks: {type(e).__name__}: {e}")
    return ex


def extract_file(path: str | Path, registry=None) -> Extraction:
    """Read ``path`` (any supported format/encoding) and :func:`extract` it.

    Raises :class:`~graph.errors.ReadError` when the file cannot be read.
    """
    return extract(read_source(path), registry)


def to_annotation(ex: Extraction) -> dict:
    """The extraction in the schema of ``../shared/corpus/ANNOTATION.md`` (plain JSON types)."""
    m = ex.document.metadata
    agencies = [a for a in ex.agencies if not a.collective]
    collectives = [a for a in ex.agencies if a.collective]
    assignments = []
    for t in ex.tasks:
        for a in t.assignments:
            assignments.append({"agency": a.agency, "role": a.role, "task": t.summary,
                                "provision": t.provision,
                                "deadline": t.deadline, "frequency": t.frequency})
    return {
        "file": Path(ex.document.source.path).name,
        "document": {
            "document_number": m.document_number,
            "document_type": m.document_type,
            "issuer": list(m.issuer),
            "date_issued": m.date_issued,
            "place": m.place,
            "signer": m.signer,
        },
        "references": [
            {
                "source": r.source,
                "document_number": r.document_number,
                "document_type": r.document_type,
                "issuer": r.issuer,
                "date_issued": r.date_issued,
                "name": r.name,
                "relation": r.relation,
                "surfaces": list(r.surfaces),
                "approved_by": r.approved_by,
            }
            for r in ex.references
        ],
        "agencies": [{"name": a.name, "surfaces": list(a.surfaces)} for a in agencies],
        "collective_agencies": [a.surfaces[0] if a.surfaces else a.name for a in collectives],
        "assignments": assignments,
        "warnings": list(ex.warnings),
    }

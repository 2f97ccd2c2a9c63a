"""Throughput of the extraction pipeline (``graph.pipeline.extract``), per stage and whole.

Usage::

    .venv/bin/python bench/bench_extract.py [--dir DIR] [--limit N] [--repeat R] [--profile [N]]

Reads every ``*.md``/``*.txt`` file of ``DIR`` (default ``../shared/corpus/bulk/documents``)
once with ``graph.ingest.readers.read_source`` (reading is not timed: ``extract`` takes a
decoded :class:`~graph.models.SourceText`), then runs the stages of ``graph.pipeline.extract``
over every document ``R`` times and keeps, for each stage, its best run:

- ``parse``     ``graph.ingest.parse.parse_document``
- ``refs``      ``graph.extract.references.extract_references``
- ``resolve``   ``graph.resolve.resolve_references``
- ``agencies``  ``graph.extract.agencies.extract_agencies``
- ``group``     ``graph.extract.agencies.group_agencies``
- ``tasks``     ``graph.extract.tasks.extract_tasks``
- ``pipeline``  ``graph.pipeline.extract`` (all of the above, timed as one call per document;
  it pauses Python's cyclic garbage collector while a document is read, the per-stage loop
  does not, so the pipeline can take less than the sum of its stages)

and, as a part of ``parse`` (not added to the sum), ``clean_text``
(``graph.ingest.text.clean_text``, the normalised text and its offset map).

Times are **CPU** time of this process (``time.process_time``), so other jobs on a loaded
machine do not distort them. Sizes are UTF-8 bytes of the input files (MB = 10⁶ bytes) and
characters of the decoded text. Target (issue "References" §8 and the performance issue):
whole-pipeline throughput ≥ 2 MB/s on one core over the bulk corpus.

``--profile`` runs the whole pipeline once under :mod:`cProfile` and prints the top N
functions (default 40) by cumulative and by own time. Exits 0 with a message when the
directory does not exist.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DIR = ROOT.parent / "shared" / "corpus" / "bulk" / "documents"
TARGET_MB_S = 2.0
"""Whole-pipeline throughput target, MB (10⁶ UTF-8 bytes) per CPU second."""

STAGES = ("parse", "refs", "resolve", "agencies", "group", "tasks")


def _stage_run(sources, reg) -> tuple[dict[str, float], dict[str, int]]:
    """One pass of every stage over ``sources``, each stage timed separately.

    Input: decoded sources and a registry. Output: (stage → CPU seconds, also "clean_text",
    counts of references, agencies and tasks). The stages are chained exactly as in
    ``graph.pipeline.extract``.
    """
    from graph.extract.agencies import extract_agencies, group_agencies
    from graph.extract.references import extract_references
    from graph.extract.tasks import extract_tasks
    from graph.ingest.parse import parse_document
    from graph.ingest.text import clean_text
    from graph.resolve import resolve_references

    clock = time.process_time
    t = dict.fromkeys((*STAGES, "clean_text"), 0.0)
    n = {"references": 0, "agencies": 0, "tasks": 0}
    for s in sources:
        tc = clock()
        clean_text(s.text)
        t["clean_text"] += clock() - tc
        t0 = clock()
        doc = parse_document(s)
        t1 = clock()
        mentions = extract_references(doc, reg)
        t2 = clock()
        refs = resolve_references(doc, mentions, reg)
        t3 = clock()
        am = extract_agencies(doc, reg)
        t4 = clock()
        ags = group_agencies(am)
        t5 = clock()
        tasks = extract_tasks(doc, am, reg)
        t6 = clock()
        for k, a, b in zip(STAGES, (t0, t1, t2, t3, t4, t5), (t1, t2, t3, t4, t5, t6), strict=True):
            t[k] += b - a
        n["references"] += len(refs)
        n["agencies"] += len(ags)
        n["tasks"] += len(tasks)
    return t, n


def _pipeline_run(sources, reg) -> float:
    """CPU seconds of ``graph.pipeline.extract`` over every source (one pass)."""
    from graph.pipeline import extract

    t0 = time.process_time()
    for s in sources:
        extract(s, reg)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status (always 0)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="directory of documents")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement (best is kept)")
    ap.add_argument("--profile", type=int, nargs="?", const=40, default=0, metavar="N",
                    help="profile one whole-pipeline pass and print the top N functions")
    a = ap.parse_args(argv)
    if not a.dir.is_dir():
        print(f"skipped: {a.dir} not found")
        return 0
    from graph.ingest.readers import read_source
    from graph.registry import load_registry

    reg = load_registry()
    files = sorted([*a.dir.glob("*.md"), *a.dir.glob("*.txt")])
    if a.limit:
        files = files[: a.limit]
    sources = [read_source(p) for p in files]
    nbytes = sum(p.stat().st_size for p in files)
    nchars = sum(len(s.text) for s in sources)
    mb, mc = nbytes / 1e6, nchars / 1e6
    ndocs = len(sources)

    # warm up lazily built tables (registries, compiled patterns) outside the timings
    _pipeline_run(sources[:3], reg)

    if a.profile:
        prof = cProfile.Profile()
        prof.enable()
        _pipeline_run(sources, reg)
        prof.disable()
        st = pstats.Stats(prof, stream=sys.stdout).strip_dirs()
        st.sort_stats("cumulative").print_stats(a.profile)
        st.sort_stats("tottime").print_stats(a.profile)
        return 0

    best = dict.fromkeys((*STAGES, "clean_text"), float("inf"))
    counts: dict[str, int] = {}
    best_pipe = float("inf")
    for _ in range(max(1, a.repeat)):
        t, counts = _stage_run(sources, reg)
        for k in best:
            best[k] = min(best[k], t[k])
        best_pipe = min(best_pipe, _pipeline_run(sources, reg))

    print(f"documents   {ndocs}  ({mb:.2f} MB UTF-8, {mc:.2f} M characters); "
          f"references {counts['references']}, agencies {counts['agencies']}, tasks {counts['tasks']}")
    print(f"{'stage':<12}{'CPU s':>8}{'MB/s':>9}{'docs/s':>9}")
    for k in STAGES:
        s = max(best[k], 1e-9)
        print(f"{k:<12}{s:>8.2f}{mb / s:>9.2f}{ndocs / s:>9.1f}")
        if k == "parse":
            s = max(best["clean_text"], 1e-9)
            print(f"{'  clean_text':<12}{s:>8.2f}{mb / s:>9.2f}{ndocs / s:>9.1f}   (part of parse)")
    s = max(sum(best[k] for k in STAGES), 1e-9)
    print(f"{'sum stages':<12}{s:>8.2f}{mb / s:>9.2f}{ndocs / s:>9.1f}")
    s = max(best_pipe, 1e-9)
    print(f"{'pipeline':<12}{s:>8.2f}{mb / s:>9.2f}{ndocs / s:>9.1f}   (graph.pipeline.extract)")
    verdict = "meets" if mb / s >= TARGET_MB_S else "BELOW"
    print(f"target {TARGET_MB_S:g} MB/s (whole pipeline)  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput of reference extraction (``extract_references`` + ``resolve_references``).

Usage::

    .venv/bin/python bench/bench_extract.py [--dir DIR] [--limit N] [--repeat R]

Reads every ``*.md``/``*.txt`` file of ``DIR`` (default ``../shared/corpus/bulk/documents``),
parses it once (``graph.ingest.parse.parse_document``, timed separately), then runs the
reference stages ``R`` times and reports the best run. Times are **CPU** time of this process
(``time.process_time``), so other jobs on the machine do not distort them; sizes are given in
UTF-8 bytes of the input files and in characters of the decoded text. Target (issue
"References" §8): ≥ 2 MB/s on one core over the bulk corpus. Exits 0 with a message when the
directory does not exist.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DIR = ROOT.parent / "shared" / "corpus" / "bulk" / "documents"


def _load(path: Path):
    """(Document, byte count) of one file, through the project's reader and parser when they
    exist, else a minimal Document (see ``bench/evaluate.py``)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from evaluate import _parse  # noqa: PLC0415 - bench helper, imported lazily

    return _parse(path), path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="directory of documents")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the reference stages (best is kept)")
    a = ap.parse_args(argv)
    if not a.dir.is_dir():
        print(f"skipped: {a.dir} not found")
        return 0
    from graph.extract.references import extract_references
    from graph.registry import load_registry
    from graph.resolve import resolve_references

    reg = load_registry()
    files = sorted([*a.dir.glob("*.md"), *a.dir.glob("*.txt")])
    if a.limit:
        files = files[: a.limit]
    t0 = time.process_time()
    docs = []
    nbytes = 0
    for p in files:
        d, b = _load(p)
        docs.append(d)
        nbytes += b
    parse_s = time.process_time() - t0
    nchars = sum(len(d.text) for d in docs)
    best = float("inf")
    nrefs = 0
    for _ in range(max(1, a.repeat)):
        t = time.process_time()
        nrefs = 0
        for d in docs:
            nrefs += len(resolve_references(d, extract_references(d, reg), reg))
        best = min(best, time.process_time() - t)
    mb, mc = nbytes / 1e6, nchars / 1e6
    print(f"documents      {len(docs)}  ({mb:.2f} MB UTF-8, {mc:.2f} M characters), references {nrefs}")
    print(f"references     {best:.2f} s CPU  = {mb / best:.2f} MB/s (bytes)  {mc / best:.2f} M chars/s")
    print(f"parse (other)  {parse_s:.2f} s CPU  = {mb / parse_s:.2f} MB/s (bytes)")
    print(f"parse + refs   {parse_s + best:.2f} s CPU  = {mb / (parse_s + best):.2f} MB/s (bytes)")
    target = "meets" if mb / best >= 2.0 else "BELOW"
    print(f"target 2 MB/s  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

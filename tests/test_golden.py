"""Golden graph of the main plan: the whole graph of data/documents/000_… compared by isomorphism.

When extraction improves on purpose, regenerate and review the diff:
    .venv/bin/python tests/test_golden.py --write
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graph.build import build_graph
from graph.pipeline import extract_file
from graph.vocab import PLG

ROOT = Path(__file__).resolve().parents[1]
MAIN_DOC = ROOT / "data" / "documents" / "000_daknong_377-kh-ubnd_2024_chi-thi-28_tre-em.txt"
GOLDEN = ROOT / "tests" / "golden" / "377-kh-ubnd.ttl"


def current_graph() -> Graph:
    """The plan's graph as the pipeline builds it now. The source path is made relative so the
    graph does not depend on where the checkout lives."""
    g = build_graph(extract_file(MAIN_DOC))
    for s in list(g.subjects(PLG.sourcePath, None)):
        g.set((s, PLG.sourcePath, Literal("data/documents/" + MAIN_DOC.name)))
    return g


def test_plan_graph_matches_golden():
    expected = Graph().parse(GOLDEN, format="turtle")
    got = current_graph()
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        lines = sorted(f"+ {t}" for t in only_got.serialize(format="nt").splitlines() if t)[:15]
        lines += sorted(f"- {t}" for t in only_expected.serialize(format="nt").splitlines() if t)[:15]
        raise AssertionError("graph differs from tests/golden/377-kh-ubnd.ttl:\n" + "\n".join(lines))


if __name__ == "__main__" and "--write" in sys.argv:
    GOLDEN.write_text(current_graph().serialize(format="turtle"), encoding="utf-8")
    print(f"wrote {GOLDEN}")

"""Shared test helpers: where the project's shared corpus is, and skips when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
MAIN_DOC = ROOT / "data" / "documents" / "000_daknong_377-kh-ubnd_2024_chi-thi-28_tre-em.txt"


def need_corpus() -> Path:
    """The shared corpus folder, or skip the test with the reason."""
    if not (CORPUS / "documents").is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (tests on real documents need ../shared)")
    return CORPUS


@pytest.fixture
def corpus() -> Path:
    return need_corpus()

"""Shared test helpers: where the project's shared corpus is, and skips when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: the default profile is derandomized (the same examples on every run, so a
# CI run is reproducible). HYPOTHESIS_PROFILE=explore draws new random examples (1,000 per
# property unless a test sets its own count): run it when changing extraction, and turn each
# failure it finds into a fixed ``@example`` or test.
settings.register_profile("default", derandomize=True, max_examples=50, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=1000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

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

"""Benchmark sizes: small for the CI smoke run, full with ``IMAGEGALLERY_BENCH_FULL=1``."""

from __future__ import annotations

import os


def full_run() -> bool:
    """Whether the full-size benchmarks were asked for."""
    return os.environ.get("IMAGEGALLERY_BENCH_FULL", "") not in ("", "0")


def size(full: int, smoke: int) -> int:
    """``full`` when the full run was asked for, else ``smoke``."""
    return full if full_run() else smoke

"""``import imagegallery`` against ``import attrs, packaging.specifiers``, each in a fresh
interpreter.

Target: at most 2x. Each round starts three interpreters one after the other (bare, the
dependencies, the package); the time of a bare ``python -c pass`` is taken off both, and the ratio
of each round is taken, then the median. The first use of a loader name (which imports the entity
classes and the compiled readers) is printed for context. Run it with::

    IMAGEGALLERY_BENCH_FULL=1 pytest benchmarks/test_import.py -s
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from typing import Any

from benchmarks._sizes import full_run


def _seconds(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def test_import_against_the_dependencies(benchmark: Any) -> None:
    rounds = 15 if full_run() else 2
    benchmark.pedantic(_seconds, args=("import imagegallery",), rounds=1, iterations=1)
    bare: list[float] = []
    deps: list[float] = []
    ours: list[float] = []
    first_use: list[float] = []
    for _ in range(rounds):
        bare.append(_seconds("pass"))
        deps.append(_seconds("import attrs, packaging.specifiers"))
        ours.append(_seconds("import imagegallery"))
        first_use.append(_seconds("import imagegallery; imagegallery.load_arm"))
    ratio = statistics.median(
        (o - b) / max(d - b, 1e-6) for b, d, o in zip(bare, deps, ours, strict=True)
    )
    base = statistics.median(bare)
    print(
        f"\nimport, in a fresh interpreter (python -c pass: {base * 1e3:.0f} ms taken off):"
        f"\n  attrs + packaging.specifiers median {(statistics.median(deps) - base) * 1e3:.1f} ms,"
        f" imagegallery {(statistics.median(ours) - base) * 1e3:.1f} ms"
        f" -> ratio {ratio:.2f}x (target <= 2x)"
        f"\n  import imagegallery and first use of load_arm:"
        f" {(statistics.median(first_use) - base) * 1e3:.0f} ms"
    )

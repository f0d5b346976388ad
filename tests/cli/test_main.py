"""The real entry point, ``python -m imagegallery``, in subprocesses: exit statuses, one-line
errors, closed pipes and progress on standard error."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.cli._helpers import ACCESS_ARGS, E2E_IMAGE, check_schema

ENTRY = [sys.executable, "-m", "imagegallery"]


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*ENTRY, *args], input=stdin, capture_output=True, timeout=120, check=False
    )


def test_a_large_export_with_progress_and_a_failing_quota(large_export: Path) -> None:
    done = _run("report", "-i", str(large_export), "--legacy-limits", "--progress", "-f", "json")
    assert done.returncode == 1
    document = json.loads(done.stdout)
    check_schema(document, "report")
    assert document["validate"]["counts"]["versions"] == 3_000
    steps = [line.split(":")[1].strip() for line in done.stderr.decode().splitlines()]
    assert steps[0].startswith(f"reading {large_export}")
    assert steps[1] == "building the inventory"
    assert "pricing" in steps


def test_a_closed_pipe_ends_quietly() -> None:
    """The reader is gone before the report is written (as with ``| head -1`` on a long
    report): no traceback, no message, status 2."""
    with subprocess.Popen(
        [*ENTRY, "report"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        errors = process.stderr.read()
        status = process.wait(timeout=120)
    assert (status, errors) == (2, b"")


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (("latest", "-i", "-"), b'[{"id": "/subscriptions/0000', "<stdin>: not valid JSON"),
        (("latest", "--at", "2025-03-01T00:00:00"), None, "--at: has no UTC offset"),
        (("inventory", "/no/such/export.json"), None, "/no/such/export.json: cannot read"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    args: tuple[str, ...], stdin: bytes | None, expected: str
) -> None:
    done = _run(*args, stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("imagegallery: error: ")
    assert expected in lines[0]


def test_access_exports_on_a_recorded_gallery_as_csv(exports: dict[str, Path]) -> None:
    done = _run(
        "access", "who-can", "read", f"{E2E_IMAGE}/versions/1.1.2",
        "-i", str(exports["gallery_e2e"]), *ACCESS_ARGS, "--format", "csv",
    )  # fmt: skip
    assert done.returncode == 0
    table = pd.read_csv(io.StringIO(done.stdout.decode()))
    assert sorted(table["label"]) == [
        "Alice Smith",
        "Bob Jones",
        "Image consumers",
        "image-pipeline",
    ]

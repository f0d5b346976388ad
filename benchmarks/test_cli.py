"""Every subcommand of the command line on a generated export, against loading that export alone.

Target (issue: a command line for real work): on a 100,000-version export (20 definitions, 3
regions per version), each subcommand, run in-process through :func:`imagegallery.cli.main` from
reading the file to writing its output, takes at most 1.5x the time of
:func:`imagegallery.load_arm` on the same file. The access questions get generated role
assignments (``az role assignment list`` shape) and Graph member pages for 200 users. Run the full
size (medians of 3 rounds) with::

    IMAGEGALLERY_BENCH_FULL=1 pytest benchmarks/test_cli.py -s --benchmark-disable

The smoke run (CI) uses 2,000 versions and one round, and only checks that every command works.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks._sizes import full_run, size
from benchmarks.test_arm_load import SUB, generate_export
from imagegallery import load_arm
from imagegallery.cli import main

GALLERY = f"{SUB}/providers/Microsoft.Compute/galleries/bench"
TARGET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-apps"
AUTH = "providers/Microsoft.Authorization"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
VM_CONTRIBUTOR = "9980e02c-c2be-4d73-94e8-173b1dc7cf3c"
USERS = 200


def _assignment(n: int, principal: str, kind: str, *, name: str, role: str, scope: str) -> Any:
    guid = f"00000000-0000-4000-8000-{n:012d}"
    return {
        "id": f"{scope}/{AUTH}/roleAssignments/{guid}",
        "name": guid,
        "principalId": principal,
        "principalName": name,
        "principalType": kind,
        "roleDefinitionId": f"/subscriptions/00000000-0000-0000-0000-000000000000/{AUTH}"
        f"/roleDefinitions/{role}",
        "scope": scope,
        "type": "Microsoft.Authorization/roleAssignments",
        "condition": None,
        "conditionVersion": None,
    }


def access_exports(directory: Path) -> list[str]:
    """Role assignments and member pages: every 10th user reads one definition directly, the
    others through the *readers* group; the *deployers* group creates VMs in ``rg-apps``."""
    readers, deployers = (
        "11111111-0000-4000-8000-000000000001",
        "11111111-0000-4000-8000-000000000002",
    )
    users = [f"22222222-0000-4000-8000-{i:012d}" for i in range(USERS)]
    assignments = [
        _assignment(1, readers, "Group", name="readers", role=READER, scope=GALLERY),
        _assignment(2, deployers, "Group", name="deployers", role=VM_CONTRIBUTOR, scope=TARGET),
    ]
    assignments += [
        _assignment(
            10 + i,
            user,
            "User",
            name=f"user{i}@contoso.com",
            role=READER,
            scope=f"{GALLERY}/images/image{i % 20}",
        )
        for i, user in enumerate(users)
        if i % 10 == 0
    ]
    pages = [
        {
            "groupId": group,
            "value": [
                {"@odata.type": "#microsoft.graph.user", "id": user, "displayName": f"User {i}"}
                for i, user in enumerate(users)
                if i % 10 != 0 or group == deployers
            ],
        }
        for group in (readers, deployers)
    ]
    (directory / "ra.json").write_text(json.dumps(assignments))
    (directory / "members.json").write_text(json.dumps(pages))
    return [
        "--role-assignments",
        str(directory / "ra.json"),
        "--memberships",
        str(directory / "members.json"),
    ]


def _seconds(func: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _against(
    func: Callable[[], object], baseline: Callable[[], object], rounds: int
) -> tuple[float, float, float]:
    """Medians of ``func`` and ``baseline`` and of their ratio, each round timing both back to
    back (the machine is shared: its speed drifts more between commands than within a round)."""
    ours, base, ratios = [], [], []
    for _ in range(rounds):
        base.append(_seconds(baseline))
        ours.append(_seconds(func))
        ratios.append(ours[-1] / base[-1])
    return statistics.median(ours), statistics.median(base), statistics.median(ratios)


def _command(args: Sequence[str]) -> Callable[[], object]:
    def call() -> None:
        status = main(list(args))
        assert status in (0, 1), (args, status)

    return call


def test_every_subcommand_against_loading(benchmark: Any, tmp_path: Path) -> None:
    versions = size(100_000, 2_000)
    rounds = 3 if full_run() else 1
    export = tmp_path / "export.json"
    export.write_text(generate_export(versions))
    # The same galleries one publication earlier: every definition lacks its highest version.
    earlier = tmp_path / "earlier.json"
    earlier.write_text(generate_export(versions - 20))
    access = access_exports(tmp_path)
    out = ["-o", str(tmp_path / "out"), "--at", "2025-03-01T00:00:00Z", "-i", str(export)]
    commands: list[tuple[str, list[str]]] = [
        ("report", ["report"]),
        ("inventory", ["inventory"]),
        ("inventory --format csv", ["inventory", "--format", "csv"]),
        ("latest", ["latest"]),
        (
            "latest --explain (1 definition x region)",
            ["latest", "--explain", "-d", "image0", "-r", "westeurope"],
        ),
        ("latest --format json", ["latest", "--format", "json"]),
        ("cost", ["cost"]),
        ("cost --by version --format json", ["cost", "--by", "version", "--format", "json"]),
        ("what-if --keep-latest 3", ["what-if", "--keep-latest", "3"]),
        ("what-if --delete-eol", ["what-if", "--delete-eol"]),
        (
            "what-if --replicate-latest --ignore-safety",
            ["what-if", "--replicate-latest", "--ignore-safety"],
        ),
        ("access (summary, --target)", ["access", *access, "--target", TARGET]),
        ("access who-can read image0", ["access", "who-can", "read", "bench/image0", *access]),
        ("validate", ["validate"]),
        ("lint", ["lint"]),
    ]
    benchmark.pedantic(_command([*commands[0][1], *out]), rounds=1, iterations=1)
    lines = [
        f"\ncommand line: {versions:,} versions x 3 regions, {export.stat().st_size / 1e6:.1f} MB;"
        f" each command against load_arm of the file, timed back to back, median of {rounds};"
        " target <= 1.5x",
    ]
    for label, args in commands:
        ours, base, ratio = _against(_command([*args, *out]), lambda: load_arm(export), rounds)
        lines.append(f"  {label:<45} {ours:6.2f} s  (load {base:5.2f} s)  {ratio:5.2f}x")
    both = [str(earlier), str(export), "-o", str(tmp_path / "out"), "--at", out[3]]
    ours, base, ratio = _against(
        _command(["diff", *both]), lambda: (load_arm(earlier), load_arm(export)), rounds
    )
    label = "diff EARLIER EXPORT (against loading both)"
    lines.append(f"  {label:<45} {ours:6.2f} s  (load {base:5.2f} s)  {ratio:5.2f}x")
    print("\n".join(lines))

"""``imagegallery validate``: constraint, quota and replica-limit findings, and ``--fail-on``."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tests.cli._helpers import check_schema, run, write


def test_the_sample_has_no_findings() -> None:
    result = run("validate")
    assert result.code == 0
    assert result.out.splitlines()[-1] == "No findings."
    document = run("validate", "--format", "json").json()
    check_schema(document, "validate")
    assert document["counts"] == {"galleries": 3, "definitions": 6, "versions": 13}
    assert document["findings"] == []
    assert list(run("validate", "--format", "csv").csv().columns)[:4] == [
        "rule",
        "severity",
        "resource",
        "message",
    ]


def test_quotas_over_and_near_their_limits(large_export: Path) -> None:
    export = ("-i", str(large_export))
    over = run("validate", *export, "--legacy-limits")
    assert over.code == 1
    assert "3000 image versions, over the limit of 2000" in over.out
    assert run("validate", *export, "--legacy-limits", "--fail-on", "never").code == 0
    near = run("validate", *export, "--warn-at", "0.25", "--format", "json")
    assert near.code == 0
    (finding,) = near.json()["findings"]
    assert (finding["rule"], finding["severity"], finding["count"], finding["limit"]) == (
        "quota",
        "warning",
        3000,
        10000,
    )
    assert run("validate", *export, "--warn-at", "0.25", "--fail-on", "warning").code == 1
    assert run("validate", *export, "--warn-at", "1.5").code == 2


def _version(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in resources if r["type"].lower().endswith("/versions"))


def test_every_broken_resource_is_reported_and_the_rest_checked(
    tmp_path: Path, exports: dict[str, Path]
) -> None:
    resources = json.loads(exports["gallery_e2e"].read_text())
    broken = copy.deepcopy(resources)
    version = _version(broken)
    version["properties"]["publishingProfile"]["targetRegions"][0]["regionalReplicaCount"] = 0
    gallery = next(r for r in broken if r["type"].lower().endswith("/galleries"))
    gallery["id"] = gallery["id"].replace("gallery_000003", "my-gallery")
    path = write(tmp_path / "broken.json", broken)
    result = run("validate", "-i", path, "--format", "json")
    assert result.code == 1
    document = result.json()
    check_schema(document, "validate")
    findings = document["findings"]
    assert [f["rule"] for f in findings] == ["constraint", "constraint"]
    assert {f["source"] for f in findings} == {path}
    messages = " | ".join(f["message"] for f in findings)
    assert "id: a gallery name" in messages
    assert ".properties.publishingProfile.targetRegions[0].regionalReplicaCount" in messages
    assert (
        document["counts"]["versions"]
        == sum(1 for r in resources if r["type"].lower().endswith("/versions")) - 1
    )
    text = run("validate", "-i", path).out
    assert "error     constraint" in text


def test_replica_limits(tmp_path: Path, exports: dict[str, Path]) -> None:
    resources = json.loads(exports["gallery_e2e"].read_text())
    crowded = copy.deepcopy(resources)
    version = next(
        r
        for r in crowded
        if r["type"].lower().endswith("/versions")
        and len(r["properties"]["publishingProfile"]["targetRegions"]) == 2
    )
    for target in version["properties"]["publishingProfile"]["targetRegions"]:
        target["regionalReplicaCount"] = 60
    path = write(tmp_path / "crowded.json", crowded)
    result = run("validate", "-i", path, "--format", "json")
    assert result.code == 1
    rules = sorted((f["rule"], f["severity"]) for f in result.json()["findings"])
    assert rules == [
        ("replicas-per-region", "warning"),
        ("replicas-per-region", "warning"),
        ("replicas-per-version", "error"),
    ]

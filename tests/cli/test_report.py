"""``imagegallery report``: every section, on the sample and on exports of your own."""

from __future__ import annotations

from pathlib import Path

from tests.cli._helpers import ACCESS_ARGS, RG_APPS, check_schema, run

AT = ("--at", "2025-07-01T00:00:00Z")


def test_the_sample_report_has_every_section() -> None:
    result = run("report", *AT)
    assert result.code == 0
    lines = result.out.splitlines()
    titles = [lines[i - 1] for i, line in enumerate(lines) if line and set(line) == {"="}]
    assert titles == ["Inventory", "Latest version per region", "Access", "Cost", "Validation"]
    assert (
        "Inventory: 3 galleries, 6 image definitions, 13 image versions in 2 subscriptions" in lines
    )
    assert any(line.startswith("Sample principals and grants;") for line in lines)
    assert "Monthly snapshot storage:  39.91 USD" in lines
    assert lines[-1] == "No findings."
    document = run("report", *AT, "--format", "json").json()
    check_schema(document, "report")
    assert document["sample"] is True
    for section in ("inventory", "latest", "access", "cost", "validate"):
        check_schema(document[section], section)
    table = run("report", *AT, "--format", "csv").csv()
    assert set(table["section"]) == {
        "inventory", "latest", "access", "cost by gallery", "cost by region",
        "cost by storage-type",
    }  # fmt: skip


def test_your_exports_without_access_say_so(exports: dict[str, Path]) -> None:
    every = [str(path) for path in exports.values()]
    result = run("report", *every, *AT)
    assert result.code == 0
    assert (
        "Not shown: access was not given: pass your exports with --role-assignments" in result.out
    )
    assert "Sample principals" not in result.out
    document = run("report", *every, *AT, "--format", "json").json()
    check_schema(document, "report")
    assert (document["sample"], document["access"]) == (False, None)
    assert document["access_note"].startswith("access was not given")


def test_your_exports_with_access(exports: dict[str, Path]) -> None:
    export = ("-i", str(exports["gallery_e2e"]), *ACCESS_ARGS, "--target", RG_APPS, *AT)
    result = run("report", *export)
    assert "  gallery_000003/image1 1.1.3  Alice Smith" in result.out.splitlines()
    document = run("report", *export, "--format", "json").json()
    check_schema(document, "report")
    assert document["access"]["summary"]["deploy_target"] == RG_APPS


def test_a_quota_over_its_limit_fails_the_report(large_export: Path) -> None:
    result = run("report", "-i", str(large_export), "--legacy-limits", "--format", "json")
    assert result.code == 1
    findings = result.json()["validate"]["findings"]
    assert [f["severity"] for f in findings] == ["error"]

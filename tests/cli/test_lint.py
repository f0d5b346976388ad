"""``imagegallery lint``: findings with sources and fixes, configuration, ``--fail-on``."""

from __future__ import annotations

from pathlib import Path

from tests.cli._helpers import check_schema, one_line_error, run, write

AT = ("--at", "2025-07-01T00:00:00Z")


def test_the_sample_in_every_format() -> None:
    text = run("lint", *AT)
    assert text.code == 1
    assert text.out.splitlines()[0].startswith("Lint at 2025-07-01T00:00:00+00:00: 15 findings")
    assert "How to fix:" in text.out
    document = run("lint", *AT, "--format", "json").json()
    check_schema(document, "lint")
    assert document["counts"] == {"error": 1, "warning": 3, "info": 11}
    assert document["skipped"] == ["replicas-for-load"]
    table = run("lint", *AT, "--format", "csv").csv()
    assert list(table["severity"])[:1] == ["error"]
    assert len(table) == 15
    assert run("lint", *AT, "--fail-on", "never").code == 0


def test_rules_and_configuration(tmp_path: Path) -> None:
    only = run("lint", *AT, "--rules", "shallow-replication,end-of-life-missing", "-f", "json")
    assert {f["rule"] for f in only.json()["findings"]} == {
        "shallow-replication",
        "end-of-life-missing",
    }
    assert only.code == 0
    assert run("lint", *AT, "--rules", "shallow-replication", "--fail-on", "warning").code == 1
    quiet = write(tmp_path / "lint.json", {"ignore": ["no-eligible-latest"]})
    assert run("lint", *AT, "--config", quiet).code == 0
    toml = tmp_path / "lint.toml"
    toml.write_text('ignore = ["no-eligible-latest"]\n[severity]\nshallow-replication = "error"\n')
    strict = run("lint", *AT, "--config", str(toml), "--format", "json")
    assert strict.code == 1
    assert strict.json()["counts"]["error"] == 1
    rules = run("lint", "--list-rules")
    assert rules.out.splitlines()[0].split() == ["rule", "severity", "checks"]


def test_bad_configuration_and_rules_are_one_line(tmp_path: Path) -> None:
    unknown = write(tmp_path / "unknown.json", {"ignored": ["x"]})
    one_line_error(run("lint", "--config", unknown), "unknown.json", "ignored")
    broken = tmp_path / "broken.toml"
    broken.write_text("ignore = [")
    one_line_error(run("lint", "--config", str(broken)), "broken.toml", "not valid TOML")
    one_line_error(run("lint", "--rules", "no-such-rule"), "no-such-rule")


def test_recorded_exports(exports: dict[str, Path]) -> None:
    result = run("lint", *[str(p) for p in exports.values()], *AT, "--format", "json")
    document = result.json()
    check_schema(document, "lint")
    assert "version-level-sharing" in document["skipped"]
    assert result.code == (1 if document["counts"]["error"] else 0)

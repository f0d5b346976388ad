"""``imagegallery what-if``: one policy, what it changes, saves and costs, and where latest moves."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from imagegallery import sample_inventory
from imagegallery.planning import KeepLatest, ReplicateLatest, what_if
from tests.cli._helpers import check_schema, one_line_error, run

AT = "2025-03-01T00:00:00Z"
MOMENT = datetime(2025, 3, 1, tzinfo=UTC)


def test_keep_latest_in_every_format_agrees_with_planning() -> None:
    expected = what_if(sample_inventory(), KeepLatest(1), at=MOMENT)
    text = run("what-if", "--keep-latest", "1", "--at", AT)
    assert text.code == 0
    lines = text.out.splitlines()
    assert lines[0] == (
        "Policy: keep the latest version of each image definition, delete older ones"
        " (at 2025-03-01; safety flags respected)"
    )
    assert "Monthly storage: 39.91 → 18.04 USD (saves 21.88 USD)" in lines
    assert "Latest moves in 3 (definition, region) pairs:" in lines
    assert lines[-1].split() == ["myGallery/myImage2", "eastus", "2.0.0", "none"]
    document = run("what-if", "--keep-latest", "1", "--at", AT, "--format", "json").json()
    check_schema(document, "what-if")
    assert Decimal(document["monthly_saving"]) == expected.monthly_saving
    assert document["versions"] == {"deleted": 7, "regions_changed": 0, "blocked": 0}
    assert [c["version"] for c in document["changes"]] == [
        c.version_id.version for c in expected.changes
    ]
    assert len(document["latest_changes"]) == len(expected.latest_changes) == 3
    table = run("what-if", "--keep-latest", "1", "--at", AT, "--format", "csv").csv()
    replicas = table[table["record"] == "replica"]
    assert int(replicas["replicas_before"].sum()) == expected.replicas_removed == 22
    assert list(table[table["record"] == "latest"]["after"].isna()) == [True, True, True]


def test_replicate_latest_adds_regions_and_blocks_what_safety_forbids() -> None:
    args = ("what-if", "--replicate-latest", "Japan East", "--replicas", "1", "--at", AT)
    blocked = run(*args, "--format", "json").json()
    check_schema(blocked, "what-if")
    assert blocked["versions"]["blocked"] > 0
    assert all(c["reason"] for c in blocked["changes"] if c["kind"] == "blocked")
    expected = what_if(
        sample_inventory(),
        ReplicateLatest(keep=1, regions=["japaneast"], older_replicas=1),
        at=MOMENT,
        respect_safety=False,
    )
    overridden = run(*args, "--ignore-safety", "--format", "json").json()
    assert overridden["respect_safety"] is False
    assert Decimal(overridden["new_copy_egress"]) == expected.new_copy_egress > 0
    assert {c["region"] for c in overridden["latest_changes"]} >= {"japaneast"}
    text = run(*args, "--ignore-safety").out
    assert "japaneast 0 → 1" in text
    assert "(needs allow_deletion_of_replicated_locations=True)" in text


def test_fail_on_lost_and_moved_latest() -> None:
    assert run("what-if", "--keep-latest", "1", "--at", AT, "--fail-on", "lost").code == 1
    assert run("what-if", "--keep-latest", "4", "--at", AT, "--fail-on", "moved").code == 0
    eol = run("what-if", "--delete-eol", "--at", "2025-07-01", "--fail-on", "moved")
    assert eol.code == 0
    assert "Latest: no (definition, region) changes its answer" in eol.out


def test_a_recorded_version_past_its_end_of_life(exports: dict[str, Path]) -> None:
    export = str(exports["image_version_end_of_life_date"])
    args = ("what-if", "-i", export, "--delete-eol", "--format", "json")
    before = run(*args, "--at", "2026-06-01").json()
    assert before["changes"] == []
    after = run(*args, "--at", "2027-01-01").json()
    check_schema(after, "what-if")
    assert [(c["version"], c["kind"]) for c in after["changes"]] == [("1.1.1", "deleted")]
    assert Decimal(after["monthly_saving"]) == Decimal(after["monthly_before"]) > 0
    # Past its end of life, the version was no longer what latest gave: nothing moves.
    assert after["latest_changes"] == []


def test_one_policy_per_run() -> None:
    one_line_error(run("what-if", "--keep-latest", "2", "--delete-eol"), "not allowed with")
    one_line_error(run("what-if", "--delete-eol", "--replicas", "2"), "--replicate-latest")
    one_line_error(run("what-if", "--replicate-latest", "east us!"), "--replicate-latest")

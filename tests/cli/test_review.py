"""The command line's renderings of a review: diff, lint findings, the rule table."""

from __future__ import annotations

from datetime import UTC, datetime

from imagegallery import Inventory, put, remove, sample_inventory, update
from imagegallery.access import sample_access_model
from imagegallery.cli._review import render_diff, render_lint, render_rules
from imagegallery.review import RULES, diff, lint
from tests.review import _build as b
from tests.review.test_diff import IMAGES, worked_example

AT = datetime(2025, 7, 1, tzinfo=UTC)


def test_a_diff_with_every_section() -> None:
    old = sample_inventory()
    pinned = f"{IMAGES}/myImage1/versions/1.0.0"
    result = diff(
        old,
        worked_example(),
        at=datetime(2025, 3, 1, tzinfo=UTC),
        access=sample_access_model,
        references=[(pinned, "westeurope")],
    )
    text = render_diff(result)
    assert text.splitlines()[0].startswith("Diff at 2025-03-01T00:00:00+00:00: 1 added, 1 removed")
    assert "  ~ version    myGallery/myImage1/1.0.10" in text
    assert "      properties.publishingProfile.targetRegions[name=swedencentral]: added" in text
    assert "  myGallery/myImage1  swedencentral  none -> 1.0.10" in text
    assert "Broken references (1):" in text and "ImageVersionNotFoundError" in text
    assert (
        "Cost (USD): monthly storage 39.91 -> 40.86 (+0.95); one-time egress of new first copies 0.80"
        in text
    )
    assert "  swedencentral         0.00       0.43      +0.43        0.17" in text
    assert "Access (8 changes):" in text
    assert "  myGallery/myImage1  swedencentral  (none -> 1.0.10)" in text
    assert "    gained: a1c3e5f7-0000-4000-8000-000000000001, " in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_no_changes_is_one_line() -> None:
    result = diff(sample_inventory(), sample_inventory(), at=AT)
    assert render_diff(result) == "Diff at 2025-07-01T00:00:00+00:00: no changes"


def test_long_diffs_are_cut() -> None:
    versions = [b.version(f"1.0.{i}", tags={"keep": "1"}) for i in range(60)]
    old = b.inventory(b.definition(versions))
    new = Inventory()
    text = render_diff(diff(old, new, at=AT))
    assert "  ... and 12 more resources" in text  # the gallery, the definition and 60 versions
    one = old.get(f"{b.GALLERY}/images/app/versions/1.0.0")
    assert one is not None
    tagged = put(old, update(one, tags={"keep": "1"} | {f"t{i}": "x" for i in range(12)}))
    assert "      ... and 2 more" in render_diff(diff(old, tagged, at=AT))
    assert "      ... and" not in render_diff(diff(old, remove(old, one.id), at=AT))


def test_lint_findings_and_fixes() -> None:
    text = render_lint(lint(sample_inventory(), at=AT))
    lines = text.splitlines()
    assert lines[0].startswith("Lint at 2025-07-01T00:00:00+00:00: 14 findings: 1 error")
    assert "Skipped for lack of data: replicas-for-load, version-level-sharing" in lines
    assert "error    no-eligible-latest  myGallery/myImage1 (swedencentral)" in lines
    assert "How to fix:" in lines
    assert sum(1 for line in lines if line.startswith("    Source: ")) == 5  # one per rule
    assert all(len(line) <= 100 for line in lines)


def test_lint_without_findings() -> None:
    report = lint(Inventory(), at=AT, rules=["quota-exceeded"])
    assert render_lint(report) == "Lint at 2025-07-01T00:00:00+00:00: no findings (1 rule)"


def test_the_rule_table_lists_every_rule() -> None:
    lines = render_rules().splitlines()
    assert len(lines) == len(RULES) + 1
    assert [line.split()[0] for line in lines[1:]] == [r.id for r in RULES]
    assert "(needs access)" in lines[-7]

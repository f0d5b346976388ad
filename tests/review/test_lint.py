"""lint(): rule selection, configuration by id, the sample inventory's findings, bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imagegallery import (
    InvalidEnumValueError,
    InvalidFieldError,
    InvalidTypeError,
    Inventory,
    NaiveDatetimeError,
    sample_inventory,
)
from imagegallery.access import sample_access_model
from imagegallery.review import RULES, LintConfig, Severity, lint, selected_rules
from tests.review import _build as b
from tests.review._build import AT

SAMPLE_AT = datetime(2025, 7, 1, tzinfo=UTC)


def test_the_sample_inventorys_findings() -> None:
    report = lint(sample_inventory(), at=SAMPLE_AT)
    found = [(f.severity.value, f.rule, f.resource_name, f.region) for f in report]
    assert found == [
        ("error", "no-eligible-latest", "myGallery/myImage1", "swedencentral"),
        ("warning", "replication-slow", "myGallery/myImage1/1.0.10", "eastus"),
        ("warning", "shallow-replication", "sharedGallery/linuxBase/24.4.2", None),
        ("info", "end-of-life-missing", "myGallery/myImage1", None),
        ("info", "end-of-life-missing", "myGallery/myImage1/1.1.0", None),
        ("info", "end-of-life-missing", "myGallery/myImage2/2.1.0", None),
        ("info", "end-of-life-missing", "myGallery/myImage3", None),
        ("info", "end-of-life-missing", "communityGallery/devTools", None),
        ("info", "end-of-life-missing", "communityGallery/devTools/3.2.0", None),
        ("info", "end-of-life-missing", "sharedGallery/linuxBase", None),
        ("info", "end-of-life-missing", "sharedGallery/linuxBase/24.4.2", None),
        ("info", "end-of-life-missing", "sharedGallery/winBase", None),
        ("info", "end-of-life-missing", "sharedGallery/winBase/2025.1.0", None),
        ("info", "latest-in-one-region", "myGallery/myImage1/1.1.0", "northeurope"),
    ]
    assert report.summary() == (
        "14 findings: 1 error, 2 warnings, 11 info (16 rules; 2 skipped for lack of data)"
    )
    assert report.skipped == ("replicas-for-load", "version-level-sharing")


def test_the_sample_with_its_access_model_and_production_marked() -> None:
    inventory = sample_inventory()
    config = LintConfig(production_definitions=[next(inventory.definitions()).id])
    report = lint(
        inventory,
        at=SAMPLE_AT,
        config=config,
        access=sample_access_model(inventory),
        rules=[
            "version-level-sharing",
            "production-min-replicas",
            "production-zone-redundant",
            "production-deletion-protection",
        ],
    )
    found = {(f.rule, f.resource_name, f.region) for f in report}
    assert ("version-level-sharing", "myGallery/myImage3/0.2.0", None) in found
    assert ("production-min-replicas", "myGallery/myImage1/1.0.9", "eastus") in found
    assert ("production-zone-redundant", "myGallery/myImage1/1.1.0", "northeurope") in found
    assert not any(f.rule == "production-deletion-protection" for f in report)


def test_rules_are_selected_ignored_and_given_severities_by_id() -> None:
    inventory = sample_inventory()
    only = lint(inventory, at=SAMPLE_AT, rules=["replication-slow"])
    assert only.rules == ("replication-slow",) and len(only) == 1
    config = LintConfig(ignore=["end-of-life-missing"], severities={"replication-slow": "error"})
    report = lint(inventory, at=SAMPLE_AT, config=config)
    assert "end-of-life-missing" not in report.rules
    assert report.counts() == {"error": 2, "warning": 1, "info": 1}
    slow = report.by_rule()["replication-slow"][0]
    assert slow.severity is Severity.ERROR
    selected = LintConfig(select=["shallow-replication", "replication-slow"])
    assert [r.id for r in selected_rules(config=selected)] == [
        "replication-slow",
        "shallow-replication",
    ]
    # The rules argument wins over the configuration's selection.
    assert lint(inventory, at=SAMPLE_AT, rules=["no-eligible-latest"], config=selected).rules == (
        "no-eligible-latest",
    )


def test_rules_needing_data_are_skipped_without_it_and_run_with_it() -> None:
    inventory = b.inventory(b.definition([b.version()]))
    assert lint(inventory, at=AT).skipped == ("replicas-for-load", "version-level-sharing")
    report = lint(inventory, at=AT, access=sample_access_model(inventory))
    assert "version-level-sharing" in report.rules
    assert report.skipped == ("replicas-for-load",)


def test_exit_predicates() -> None:
    report = lint(sample_inventory(), at=SAMPLE_AT)
    assert report.fails_on("error") and report.fails_on("warning") and report.fails_on("INFO")
    quiet = lint(sample_inventory(), at=SAMPLE_AT, rules=["latest-in-one-region"])
    assert not quiet.fails_on("warning") and quiet.fails_on("info")
    assert not lint(Inventory(), at=AT).fails_on(Severity.INFO)
    with pytest.raises(InvalidEnumValueError, match="severity"):
        report.fails_on("fatal")


def test_every_rule_runs_on_an_empty_inventory() -> None:
    report = lint(Inventory(), at=AT)
    assert not report
    assert set(report.rules) | set(report.skipped) == {r.id for r in RULES}


def test_bad_input_is_reported_with_its_field() -> None:
    with pytest.raises(InvalidFieldError, match=r"rules\[0\]: unknown lint rule"):
        lint(Inventory(), rules=["no-such-rule"])
    with pytest.raises(InvalidFieldError, match=r"ignore\[0\]"):
        lint(Inventory(), config=LintConfig(ignore=["nope"]))
    with pytest.raises(InvalidFieldError, match="severities"):
        lint(Inventory(), config=LintConfig(severities={"nope": "error"}))
    with pytest.raises(InvalidTypeError, match="inventory"):
        lint([])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="config"):
        lint(Inventory(), config={"ignore": []})  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="access"):
        lint(Inventory(), access="model")  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError, match="at"):
        lint(Inventory(), at=datetime(2025, 1, 1))


def test_lint_defaults_to_now() -> None:
    before = datetime.now(UTC)
    assert lint(Inventory()).at >= before

"""Severity order, findings, and the report as a sequence, records and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from imagegallery import InvalidEnumValueError
from imagegallery.review import (
    LINT_RECORD_COLUMNS,
    LintFinding,
    LintReport,
    Severity,
)

AT = datetime(2025, 1, 1, tzinfo=UTC)
VERSION = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/a/versions/1.0.0"


def finding(
    rule: str, severity: str, resource: str = VERSION, region: str | None = None
) -> LintFinding:
    return LintFinding(
        rule=rule,
        severity=severity,
        resource_id=resource,
        region=region,
        message=f"{rule} found",
        source="a document",
        hint="fix it.",
    )


def test_severities_are_ordered_and_parsed() -> None:
    assert Severity.INFO < Severity.WARNING < Severity.ERROR
    assert Severity.ERROR >= Severity.ERROR and Severity.INFO <= Severity.WARNING
    assert max(Severity) is Severity.ERROR
    assert Severity.parse(" Warning ") is Severity.WARNING
    with pytest.raises(InvalidEnumValueError, match="severity"):
        Severity.parse("critical")
    with pytest.raises(InvalidEnumValueError):
        Severity.parse(3)  # type: ignore[arg-type]
    assert Severity.INFO.__lt__("info") is NotImplemented


def test_the_report_is_a_sorted_sequence() -> None:
    report = LintReport(
        findings=[finding("b", "info"), finding("a", "warning"), finding("c", "error")],
        at=AT,
        rules=["a", "b", "c"],
    )
    assert [f.rule for f in report] == ["c", "a", "b"]
    assert report[0].rule == "c" and [f.rule for f in report[1:]] == ["a", "b"]
    assert len(report) == 3 and bool(report)
    assert report.counts() == {"error": 1, "warning": 1, "info": 1}
    assert [f.rule for f in report.at_or_above("warning")] == ["c", "a"]
    assert report.summary() == "3 findings: 1 error, 1 warning, 1 info (3 rules)"


def test_records_and_json() -> None:
    subscription = finding("quota-exceeded", "error", "/subscriptions/0", "eastus")
    report = LintReport(findings=[subscription], at=AT, rules=["quota-exceeded"], skipped=["x"])
    (row,) = report.to_records()
    assert tuple(row) == LINT_RECORD_COLUMNS
    assert row["resource_type"] == "subscription" and row["region"] == "eastus"
    assert subscription.resource_name == "subscription 0"
    data = report.to_json_dict()
    assert data["schema"] == "imagegallery.lint/1" and data["skipped"] == ["x"]
    assert json.loads(json.dumps(data)) == data
    assert str(finding("r", "warning")) == "warning r g/a/1.0.0: r found"

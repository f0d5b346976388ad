"""resolve_recent: Terraform's "recent", with our eligibility rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imagegallery import NoEligibleVersionError
from imagegallery.resolve import resolve_latest, resolve_recent
from tests.resolve._oracle import definition, version

AT = datetime(2025, 3, 1, tzinfo=UTC)


def test_hotfix_published_after_a_newer_major() -> None:
    d = definition(
        version("2.0.0", published="2024-05-01T00:00:00Z"),
        version("1.0.9", published="2024-06-01T00:00:00Z"),
    )
    assert str(resolve_recent(d, at=AT).name) == "1.0.9"
    assert str(resolve_latest(d, at=AT).name) == "2.0.0"


def test_same_rules_as_latest() -> None:
    d = definition(
        version("1.0.0", {"eastus": None}, published="2024-01-01T00:00:00Z"),
        version("1.0.1", {"eastus": None}, published="2024-02-01T00:00:00Z", exclude=True),
        version(
            "1.0.2",
            {"eastus": None},
            published="2024-03-01T00:00:00Z",
            states={"eastus": "Replicating"},
        ),
        version("1.0.3", {"westeurope": None}, published="2024-04-01T00:00:00Z"),
    )
    assert str(resolve_recent(d, region="eastus", at=AT).name) == "1.0.0"
    assert str(resolve_recent(d, at=AT).name) == "1.0.3"
    assert str(resolve_recent(d, region="eastus", at=AT, require_replicated=False).name) == "1.0.2"


def test_undated_versions_come_last_and_ties_go_to_the_higher_version() -> None:
    d = definition(
        version("3.0.0"),
        version("1.0.0", published="2024-01-01T00:00:00Z"),
        version("1.0.1", published="2024-01-01T00:00:00Z"),
    )
    assert str(resolve_recent(d, at=AT).name) == "1.0.1"
    assert (
        str(resolve_recent(definition(version("1.0.0"), version("2.0.0")), at=AT).name) == "2.0.0"
    )


def test_nothing_eligible() -> None:
    d = definition(version("1.0.0", exclude=True))
    with pytest.raises(NoEligibleVersionError, match="is eligible as most recent") as caught:
        resolve_recent(d, at=AT)
    assert caught.value.reasons == {"1.0.0": ("excluded from latest in westeurope (version flag)",)}

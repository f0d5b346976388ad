"""Decisions, their explanation, and the answers of who_can and what_can."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imagegallery import (
    ResourceKind,
    ResourceNotFoundError,
)
from tests.access._fixture import (
    READ,
    RG_IMAGES,
    UBUNTU,
    V100,
    V200,
    model,
    ra,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def test_decision_explain_and_bool() -> None:
    m = model(
        [ra("G-eng", "Reader", RG_IMAGES, principalType="Group")],
        directory=[{"id": "erin", "displayName": "Erin E."}],
    )
    decision = m.can("ERIN", READ, V200, at=NOW)
    assert decision
    assert decision.principal == "erin"
    assert decision.label == "Erin E."
    text = decision.explain()
    assert text.splitlines()[0].startswith(
        "Erin E. (erin): Microsoft.Compute/galleries/images/versions/read on "
    )
    assert "grant: Erin E. → G-devs → G-eng ⇒ Reader [*/read]" in text
    assert not m.can("nobody", READ, V200, at=NOW)
    assert m.principals["ERIN"].label == "Erin E."
    assert "Erin" in m.principals and 5 not in m.principals  # type: ignore[comparison-overlap]
    assert list(m.principals) == ["erin"]


def test_access_maps() -> None:
    m = model(
        [ra("G-eng", "Reader", RG_IMAGES, principalType="Group"), ra("alice", "Reader", UBUNTU)]
    )
    who = m.who_can(READ, V100, at=NOW)
    assert list(who) == ["alice", "erin", "G-devs", "G-eng"]
    assert "ALICE" in who and "G-DEVS" in who
    assert who["Alice"].allowed
    number: object = 5
    assert number not in who
    with pytest.raises(ResourceNotFoundError):
        who["bob"]
    assert repr(who) == "AccessMap([alice, erin, G-devs, G-eng])"
    what = m.what_can("alice", READ, at=NOW)
    assert [str(r) for r in what] == [UBUNTU, V100, f"{UBUNTU}/versions/1.1.0"]
    assert V100.upper() in what
    assert what[V100.lower()].allowed
    versions = m.what_can("alice", READ, at=NOW, kinds=[ResourceKind.IMAGE_VERSION])
    assert len(versions) == 2

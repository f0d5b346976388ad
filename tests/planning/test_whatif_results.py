"""What-if results as tables and displays."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imagegallery import InvalidFieldError, sample_inventory
from imagegallery.planning import KeepLatest, ReplicateLatest, what_if

AT = datetime(2025, 3, 1, tzinfo=UTC)


def test_change_rows_sum_to_the_result() -> None:
    result = what_if(sample_inventory(), KeepLatest(1), at=AT)
    rows = result.to_records()
    assert sum(r["monthly_before"] - r["monthly_after"] for r in rows) == result.monthly_saving
    removed = sum(max(r["replicas_before"] - r["replicas_after"], 0) for r in rows)
    assert removed == result.replicas_removed
    assert {r["change"] for r in rows} == {"deleted"}
    assert {r["version_id"] for r in rows} == {str(c.version_id) for c in result.changes}
    latest = result.to_records("latest")
    assert [
        (r["definition"], r["region"], r["latest_before"], r["latest_after"]) for r in latest
    ] == [(c.definition_id.name, c.region, str(c.before), None) for c in result.latest_changes]


def test_a_blocked_version_keeps_one_row() -> None:
    result = what_if(sample_inventory(), ReplicateLatest(keep=1), at=AT)
    rows = result.to_records()
    assert rows and all(r["change"] == "blocked" and r["region"] is None for r in rows)
    assert all(r["reason"] for r in rows)
    html = result._repr_html_()
    assert "blocked" in html and "<caption>What-if</caption>" in html


def test_unknown_table() -> None:
    with pytest.raises(InvalidFieldError, match="table"):
        what_if(sample_inventory(), KeepLatest(1), at=AT).to_records("savings")  # type: ignore[arg-type]

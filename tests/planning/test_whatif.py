"""Retention and replication policies, and what-if comparisons of cost and resolution."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imagegallery import (
    ImageDefinition,
    ImageVersionName,
    RegionalReplicationStatus,
    ReplicationState,
    ReplicationStatus,
    SafetyProfile,
    sample_inventory,
)
from imagegallery.errors import (
    InvalidFieldError,
    InvalidRegionError,
    InvalidTypeError,
    NaiveDatetimeError,
)
from imagegallery.planning import (
    ChangeKind,
    DeleteEndOfLife,
    KeepLatest,
    ReplicateLatest,
    RetentionPolicy,
    apply_policy,
    what_if,
)
from tests.costs import _build as b
from tests.costs._strategies import definitions

D = Decimal
AT = datetime(2025, 3, 1, tzinfo=UTC)
REGIONS = [
    ("westeurope", 2, "Standard_ZRS"),
    ("eastus", 1, "Standard_LRS"),
    ("southeastasia", 1, "Premium_LRS"),
]


def _app(**overrides: dict[str, Any]) -> ImageDefinition:
    """Three versions, each 10 GB in westeurope (2 x ZRS), eastus (LRS), southeastasia (Premium):
    1.00 + 0.50 + 1.32 = 2.82 a month each."""
    versions = [
        b.version(name, regions=REGIONS, **overrides.get(name, {}))
        for name in ("1.0.0", "1.0.1", "1.0.2")
    ]
    return b.definition(versions)


def test_replicate_latest_keeps_older_versions_only_at_the_source() -> None:
    app = _app()
    result = what_if(app, ReplicateLatest(keep=1), at=AT)
    assert result.before.monthly_storage == D("8.46")
    assert result.after.monthly_storage == D("4.82")
    assert result.monthly_saving == D("3.64")
    assert result.new_copy_egress == 0
    assert (result.replicas_removed, result.replicas_added) == (4, 0)
    assert [(c.version_id.version, c.kind) for c in result.changes] == [
        ("1.0.0", ChangeKind.REGIONS_CHANGED),
        ("1.0.1", ChangeKind.REGIONS_CHANGED),
    ]
    first = result.changes[0]
    assert [
        (r.region, r.replicas_before, r.replicas_after, r.monthly_before) for r in first.replicas
    ] == [
        ("eastus", 1, 0, D("0.50")),
        ("southeastasia", 1, 0, D("1.32")),
    ]
    assert first.monthly_saving == D("1.82")
    assert result.latest_changes == ()
    assert result.flagged_definitions == ()
    after = result.result
    assert isinstance(after, ImageDefinition)
    assert after.versions["1.0.0"].region_names == ("westeurope",)
    assert after.versions["1.0.2"].region_names == ("westeurope", "eastus", "southeastasia")
    assert app.versions["1.0.0"].region_names == ("westeurope", "eastus", "southeastasia")


def test_a_definition_whose_latest_changes_is_flagged() -> None:
    app = _app(**{"1.0.2": {"exclude_from_latest": True}})
    result = what_if(app, ReplicateLatest(keep=1), at=AT)
    assert [(c.region, c.before, c.after) for c in result.latest_changes] == [
        ("eastus", ImageVersionName.parse("1.0.1"), None),
        ("southeastasia", ImageVersionName.parse("1.0.1"), None),
    ]
    assert result.flagged_definitions == (app.id,)
    assert "eastus: 1.0.1 -> none" in result.summary()


def test_adding_regions_to_the_latest_costs_egress_once() -> None:
    app = _app()
    result = what_if(app, ReplicateLatest(keep=1, regions=["Japan East"]), at=AT)
    assert result.new_copy_egress == D("0.50")  # 10 GB leaving Europe at 0.05
    assert result.monthly_saving == D("3.64") - D("0.50")
    latest = result.changes[-1]
    assert latest.version_id.version == "1.0.2"
    (added,) = latest.replicas
    assert (added.region, added.replicas_before, added.replicas_after) == ("japaneast", 0, 1)
    assert (added.monthly_after, added.new_copy_egress) == (D("0.50"), D("0.50"))
    assert [(c.region, c.before, c.after) for c in result.latest_changes] == [
        ("japaneast", None, ImageVersionName.parse("1.0.2"))
    ]
    assert result.replicas_added == 1


def test_older_replicas_can_be_reduced_at_the_source() -> None:
    result = what_if(_app(), ReplicateLatest(keep=1, older_replicas=1), at=AT)
    assert result.monthly_saving == D("3.64") + 2 * D("0.50")
    policy = ReplicateLatest(keep=2, regions=("eastus",), older_replicas=3)
    assert policy.describe() == (
        "keep the latest 2 versions in every target region (and in eastus), older versions only"
        " in their source region with 3 replicas"
    )


def test_keep_latest_and_delete_end_of_life() -> None:
    eol = {"end_of_life": datetime(2025, 1, 1, tzinfo=UTC)}
    app = _app(**{"1.0.0": eol})
    deleted = what_if(app, DeleteEndOfLife(), at=AT)
    assert [(c.version_id.version, c.kind, c.monthly_saving) for c in deleted.changes] == [
        ("1.0.0", ChangeKind.DELETED, D("2.82"))
    ]
    assert deleted.monthly_saving == D("2.82")
    kept = what_if(app, KeepLatest(2), at=AT)
    assert [c.version_id.version for c in kept.changes] == ["1.0.0"]
    assert what_if(app, KeepLatest(1), at=AT).monthly_saving == D("5.64")
    assert what_if(app, KeepLatest(5), at=AT).changes == ()


def test_safety_flags_block_changes_unless_overridden() -> None:
    guarded = {
        "safety_profile": SafetyProfile(
            allow_deletion_of_replicated_locations=False, block_deletion_before_end_of_life=True
        ),
        "end_of_life": datetime(2030, 1, 1, tzinfo=UTC),
    }
    app = _app(**{"1.0.0": guarded})
    shrink = what_if(app, ReplicateLatest(keep=1), at=AT)
    assert [(c.version_id.version, c.kind) for c in shrink.changes] == [
        ("1.0.0", ChangeKind.BLOCKED),
        ("1.0.1", ChangeKind.REGIONS_CHANGED),
    ]
    assert "allow_deletion_of_replicated_locations" in shrink.changes[0].reason
    assert shrink.monthly_saving == D("1.82")
    forced = what_if(app, ReplicateLatest(keep=1), at=AT, respect_safety=False)
    assert forced.monthly_saving == D("3.64")
    assert forced.changes[0].reason == "needs allow_deletion_of_replicated_locations=True"
    after = forced.result
    assert isinstance(after, ImageDefinition)
    safety = after.versions["1.0.0"].safety_profile
    assert safety is not None and safety.allow_deletion_of_replicated_locations is True
    delete = what_if(app, KeepLatest(1), at=AT)
    assert [(c.version_id.version, c.kind) for c in delete.changes] == [
        ("1.0.0", ChangeKind.BLOCKED),
        ("1.0.1", ChangeKind.DELETED),
    ]
    assert "block_deletion_before_end_of_life" in delete.changes[0].reason
    deleted_anyway = what_if(app, KeepLatest(1), at=AT, respect_safety=False)
    assert deleted_anyway.changes[0].kind is ChangeKind.DELETED
    assert deleted_anyway.changes[0].reason == "needs block_deletion_before_end_of_life=False"


def test_shallow_versions_are_not_extended() -> None:
    app = b.definition([b.version("1.0.0", replication_mode="Shallow")])
    result = what_if(app, ReplicateLatest(keep=1, regions=["eastus"]), at=AT)
    assert [(c.kind, c.reason) for c in result.changes] == [
        (ChangeKind.BLOCKED, "a shallow-replicated version stays in its source region")
    ]


def test_replication_status_of_removed_regions_is_dropped() -> None:
    status = ReplicationStatus(
        summary=[
            RegionalReplicationStatus(region=r, state="Completed", progress=100)
            for r in ("westeurope", "eastus", "southeastasia")
        ]
    )
    app = _app(**{"1.0.0": {"replication_status": status}})
    after = apply_policy(app, ReplicateLatest(keep=1), at=AT)
    summary = after.versions["1.0.0"].replication_status.summary  # type: ignore[union-attr]
    assert [s.region for s in summary or ()] == ["westeurope"]
    assert after.versions["1.0.0"].replication_state_in("westeurope") is ReplicationState.COMPLETED


def test_inventories_and_galleries_keep_their_shape() -> None:
    inv = sample_inventory()
    result = what_if(inv, KeepLatest(1), at=AT)
    assert len(result.result) == len(inv) - 7  # type: ignore[arg-type]
    unchanged = what_if(inv, KeepLatest(50), at=AT)
    assert unchanged.result is inv
    assert unchanged.after is unchanged.before
    gallery = next(inv.galleries())
    assert apply_policy(gallery, KeepLatest(50), at=AT) is gallery
    trimmed = apply_policy(gallery, KeepLatest(1), at=AT)
    assert sum(len(d.versions) for d in trimmed.definitions.values()) == 3


def test_the_sample_with_the_documents_policy() -> None:
    inv = sample_inventory()
    blocked = what_if(inv, ReplicateLatest(keep=1), at=AT)
    assert blocked.monthly_saving == 0
    assert {c.kind for c in blocked.changes} == {ChangeKind.BLOCKED}
    result = what_if(inv, ReplicateLatest(keep=1), at=AT, respect_safety=False)
    assert result.monthly_saving == D("6.944")
    assert [
        (c.definition_id.name, c.region, str(c.before), c.after) for c in result.latest_changes
    ] == [
        ("myImage1", "eastus", "1.0.9", None),
        ("myImage2", "eastus", "2.0.0", None),
    ]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: KeepLatest(0), InvalidFieldError),
        (lambda: KeepLatest(1.5), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: ReplicateLatest(keep=1, older_replicas=0), InvalidFieldError),
        (lambda: what_if(_app(), "keep one"), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: what_if(_app(), KeepLatest(1), at=datetime(2025, 1, 1)), NaiveDatetimeError),
        (lambda: what_if(_app(), KeepLatest(1), at="2025-01-01"), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: what_if(b.version(), KeepLatest(1)), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: apply_policy(_app(), KeepLatest(1), respect_safety=None), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: KeepLatest(10**5000), InvalidFieldError),
        (lambda: ReplicateLatest(older_replicas=10**10), InvalidFieldError),
        (lambda: ReplicateLatest(regions=None), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: ReplicateLatest(regions=["eastus", 5]), InvalidRegionError),  # type: ignore[list-item]
        (lambda: what_if(_app(), KeepLatest(1), used_gb={"x": float("inf")}), InvalidFieldError),
        (lambda: what_if(_app(), KeepLatest(1), prices=5), InvalidTypeError),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_clear_errors(call: Any, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.field  # type: ignore[attr-defined]
    assert len(str(caught.value)) < 600


def test_policies_follow_the_protocol() -> None:
    for policy in (KeepLatest(1), DeleteEndOfLife(), ReplicateLatest()):
        assert isinstance(policy, RetentionPolicy)
        assert policy.describe()


# -- properties --------------------------------------------------------------------------------


def _oracle_latest(definition: ImageDefinition, region: str) -> ImageVersionName | None:
    """The highest version that targets the region, is not excluded there, has not failed or
    is not still replicating there, and is not past its end of life."""
    eligible = []
    for version in definition.versions.values():
        regions = version.region_names or (version.location,)
        if region not in regions or version.excluded_from_latest_in(region):
            continue
        if version.replication_state_in(region) not in (None, ReplicationState.COMPLETED):
            continue
        end = version.end_of_life_date
        if end is not None and end <= AT:
            continue
        eligible.append(version.name)
    return max(eligible, default=None)


def _regions(definition: ImageDefinition) -> set[str]:
    return {r for v in definition.versions.values() for r in (v.region_names or (v.location,))}


REMOVING = st.one_of(
    st.builds(KeepLatest, st.integers(1, 4)),
    st.just(DeleteEndOfLife()),
    st.builds(ReplicateLatest, keep=st.integers(1, 3), older_replicas=st.none() | st.just(1)),
)


@settings(max_examples=150, deadline=None)
@given(definitions(), REMOVING, st.booleans())
def test_a_policy_that_removes_replicas_never_increases_storage(
    definition: ImageDefinition, policy: RetentionPolicy, respect: bool
) -> None:
    result = what_if(definition, policy, at=AT, respect_safety=respect)
    assert result.after.monthly_storage <= result.before.monthly_storage
    assert result.monthly_saving >= 0
    assert result.new_copy_egress == 0
    assert result.replicas_added == 0
    assert result.monthly_saving == sum((c.monthly_saving for c in result.changes), D(0))


@settings(max_examples=150, deadline=None)
@given(definitions(), REMOVING | st.builds(ReplicateLatest, regions=st.just(("japaneast",))))
def test_latest_changes_are_exactly_the_regions_whose_answer_differs(
    definition: ImageDefinition, policy: RetentionPolicy
) -> None:
    result = what_if(definition, policy, at=AT, respect_safety=False)
    after = result.result
    assert isinstance(after, ImageDefinition)
    expected = []
    for region in sorted(_regions(definition) | _regions(after)):
        before_name = _oracle_latest(definition, region)
        after_name = _oracle_latest(after, region)
        if before_name != after_name:
            expected.append((region, before_name, after_name))
    assert [(c.region, c.before, c.after) for c in result.latest_changes] == expected

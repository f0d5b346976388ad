"""The policies' fast paths against brute-force oracles built on the public update rules."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imagegallery import ImageDefinition, ImageVersion, TargetRegion, update
from imagegallery.costs import CostLine, LineKind, estimate_cost
from imagegallery.enums import ReplicationMode
from imagegallery.errors import ConstraintViolationError
from imagegallery.planning import (
    DefinitionPlan,
    DeleteEndOfLife,
    KeepLatest,
    ReplicateLatest,
    RetentionPolicy,
    WhatIf,
    what_if,
)
from tests.costs._strategies import definitions

AT = datetime(2025, 6, 1, tzinfo=UTC)
POLICIES = st.builds(
    ReplicateLatest,
    keep=st.integers(1, 3),
    regions=st.sampled_from([(), ("japaneast",), ("westeurope", "eastus")]),
    older_replicas=st.none() | st.integers(1, 3),
)


def _updated(version: ImageVersion, targets: list[TargetRegion], allow: bool) -> ImageVersion:
    """``version`` with ``targets`` through :func:`update` (the flag set first with ``allow``)."""
    start = update(version, allow_deletion_of_replicated_locations=True) if allow else version
    changed = update(start, target_regions=targets)
    status = version.replication_status
    if status is not None and status.summary:
        kept = {t.name for t in targets}
        summary = tuple(s for s in status.summary if s.region is None or s.region in kept)
        if len(summary) != len(status.summary):
            changed = attrs.evolve(
                changed, replication_status=attrs.evolve(status, summary=summary)
            )
    return changed


def _oracle_plan(
    policy: ReplicateLatest, definition: ImageDefinition, respect_safety: bool
) -> DefinitionPlan:
    """The policy decided version by version with :func:`update` deciding what is allowed."""
    ranked = sorted(definition.versions.values(), key=lambda v: v.name, reverse=True)
    latest = {str(v.name) for v in ranked[: policy.keep]}
    keep: list[ImageVersion] = []
    changed: list[str] = []
    blocked: list[tuple[str, str]] = []
    overridden: list[tuple[str, str]] = []
    for version in definition.versions.values():
        name = str(version.name)
        targets = list(version.target_regions)
        if name in latest:
            present = {t.name for t in targets} or {version.location}
            missing = [TargetRegion(name=r) for r in policy.regions if r not in present]
            if missing and not targets:
                missing.insert(0, TargetRegion(name=version.location))
            if missing and version.publishing_profile.replication_mode is ReplicationMode.SHALLOW:
                blocked.append((name, "a shallow-replicated version stays in its source region"))
                keep.append(version)
                continue
            new = targets + missing
        else:
            source = [t for t in targets if t.name == version.location]
            new = targets
            if source:
                entry = source[0]
                count = policy.older_replicas
                if count is not None and version.replicas_in(entry.name) != count:
                    entry = attrs.evolve(entry, regional_replica_count=count)
                new = [entry]
        if new == targets:
            keep.append(version)
            continue
        try:
            keep.append(_updated(version, new, allow=False))
        except ConstraintViolationError as err:
            if respect_safety:
                blocked.append((name, err.reason))
                keep.append(version)
                continue
            keep.append(_updated(version, new, allow=True))
            overridden.append((name, "needs allow_deletion_of_replicated_locations=True"))
        changed.append(name)
    if not changed:
        return DefinitionPlan(definition=definition, blocked=tuple(blocked))
    return DefinitionPlan(
        definition=attrs.evolve(definition, versions=keep),
        changed=tuple(changed),
        blocked=tuple(blocked),
        overridden=tuple(overridden),
    )


@settings(max_examples=200, deadline=None)
@given(definitions(), POLICIES, st.booleans())
def test_replicate_latest_changes_versions_as_update_would(
    definition: ImageDefinition, policy: ReplicateLatest, respect: bool
) -> None:
    plan = policy.plan(definition, at=AT, respect_safety=respect)
    assert plan == _oracle_plan(policy, definition, respect)


def _oracle_replicas(
    old: list[CostLine], new: list[CostLine]
) -> list[tuple[str, str, int, int, Decimal, Decimal, Decimal]]:
    def key(line: CostLine) -> tuple[str, str, bool]:
        return (line.region, line.storage_type, line.kind is LineKind.ADDITIONAL)

    before = {key(line): line for line in old}
    after = {key(line): line for line in new}
    old_regions = {line.region for line in old}
    out = []
    for k in dict.fromkeys([*before, *after]):
        b, a = before.get(k), after.get(k)
        row = (
            k[0],
            k[1],
            b.replicas if b else 0,
            a.replicas if a else 0,
            b.monthly if b else Decimal(0),
            a.monthly if a else Decimal(0),
            a.egress if a is not None and k[0] not in old_regions else Decimal(0),
        )
        if (row[2], row[4]) != (row[3], row[5]):
            out.append(row)
    return out


@settings(max_examples=150, deadline=None)
@given(
    definitions(),
    POLICIES | st.builds(KeepLatest, st.integers(1, 3)) | st.just(DeleteEndOfLife()),
    st.booleans(),
)
def test_replica_changes_are_the_difference_of_two_full_costings(
    definition: ImageDefinition, policy: RetentionPolicy, respect: bool
) -> None:
    """Each change's replicas against the lines of the whole target costed before and after."""
    result = what_if(definition, policy, at=AT, respect_safety=respect)
    after = result.result
    assert isinstance(after, ImageDefinition)
    old = estimate_cost(definition).lines
    new = estimate_cost(after).lines
    for change in result.changes:
        rid = change.version_id
        mine = [
            (
                r.region,
                r.storage_type,
                r.replicas_before,
                r.replicas_after,
                r.monthly_before,
                r.monthly_after,
                r.new_copy_egress,
            )
            for r in change.replicas
        ]
        if change.kind.value == "blocked":
            assert mine == []
            continue
        gone = change.kind.value == "deleted"
        expected = _oracle_replicas(
            [line for line in old if line.version_id == rid],
            [] if gone else [line for line in new if line.version_id == rid],
        )
        assert mine == expected


@settings(max_examples=100, deadline=None)
@given(
    definitions(),
    POLICIES | st.builds(KeepLatest, st.integers(1, 3)) | st.just(DeleteEndOfLife()),
    st.booleans(),
)
def test_deferred_changes_read_as_built_ones(
    definition: ImageDefinition, policy: RetentionPolicy, respect: bool
) -> None:
    """A what-if whose changes are built when read, and one built with them, are alike."""
    deferred = what_if(definition, policy, at=AT, respect_safety=respect)
    eager = what_if(definition, policy, at=AT, respect_safety=respect)
    built = WhatIf(
        policy=eager.policy,
        at=eager.at,
        result=eager.result,
        before=eager.before,
        after=eager.after,
        changes=eager.changes,
        latest_changes=eager.latest_changes,
    )
    assert repr(deferred) == repr(built)
    assert deferred.summary() == built.summary()
    assert deferred.to_records() == built.to_records()
    assert deferred.to_records("latest") == built.to_records("latest")
    assert (deferred.replicas_removed, deferred.replicas_added) == (
        built.replicas_removed,
        built.replicas_added,
    )
    assert deferred == built
    assert hash(deferred) == hash(built)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        deferred.policy = ""

"""Replica recommendations from the documented guidance, and checks of an inventory."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery import sample_inventory
from imagegallery.errors import InvalidFieldError, InvalidTypeError
from imagegallery.planning import (
    MAX_REPLICAS_PER_REGION,
    ExpectedLoad,
    ReplicaStatus,
    check_replicas,
    recommend_replicas,
)
from tests.costs import _build as b

AT = datetime(2025, 3, 1, tzinfo=UTC)


def test_the_documented_examples() -> None:
    # "120 VMs at the same time ... at least 6 replicas"
    assert recommend_replicas(concurrent_vms=120).replicas == 6
    # "5 scale sets at the same time, each with 600 instances ... at least 5 replicas"
    five = recommend_replicas(concurrent_scale_sets=5, instances_per_scale_set=600)
    assert (five.replicas, five.for_scale_sets, five.for_vms) == (5, 5, 0)
    assert five.reasons == (
        "5 scale sets x 600 instances at the same time, one replica per scale set: 5 replicas",
    )


def test_the_older_one_per_50_guidance_is_selectable() -> None:
    assert recommend_replicas(concurrent_vms=120, vms_per_replica=50).replicas == 3


def test_large_scale_sets_count_one_replica_per_started_600_instances() -> None:
    assert recommend_replicas(concurrent_scale_sets=1, instances_per_scale_set=601).replicas == 2
    assert recommend_replicas(concurrent_scale_sets=3, instances_per_scale_set=1000).replicas == 6
    assert recommend_replicas(concurrent_scale_sets=3, instances_per_scale_set=10).replicas == 3


def test_minimum_production_and_cap() -> None:
    idle = recommend_replicas()
    assert (idle.replicas, idle.reasons) == (
        1,
        ("no concurrent deployments: the minimum of 1 replica",),
    )
    assert recommend_replicas(concurrent_vms=10, production=True).replicas == 3
    assert recommend_replicas(concurrent_vms=100, production=True).replicas == 5
    big = recommend_replicas(concurrent_vms=5000)
    assert (big.replicas, big.capped, big.for_vms) == (MAX_REPLICAS_PER_REGION, True, 250)
    assert "exceeds the maximum of 50" in big.reasons[-1]
    assert recommend_replicas(concurrent_vms=5000, max_replicas=100).replicas == 100


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"concurrent_vms": -1}, "concurrent_vms"),
        ({"concurrent_scale_sets": -2}, "concurrent_scale_sets"),
        ({"instances_per_scale_set": 1001}, "instances_per_scale_set"),
        ({"instances_per_scale_set": 0}, "instances_per_scale_set"),
        ({"vms_per_replica": 0}, "vms_per_replica"),
        ({"max_replicas": 0}, "max_replicas"),
    ],
)
def test_bad_loads_are_clear_errors(kwargs: dict[str, int], field: str) -> None:
    with pytest.raises(InvalidFieldError) as info:
        recommend_replicas(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(
    "kwargs", [{"concurrent_vms": 1.5}, {"concurrent_vms": "10"}, {"production": 1}]
)
def test_wrong_types_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidTypeError):
        recommend_replicas(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(InvalidFieldError):
        ExpectedLoad(instances_per_scale_set=2000)


def _oracle(vms: int, sets: int, instances: int, per: int, production: bool) -> int:
    """The guidance, stated plainly."""
    total = -(-vms // per) + sets * -(-instances // 600)
    total = max(total, 3 if production else 1)
    return min(total, 50)


@given(
    st.integers(0, 3000),
    st.integers(0, 60),
    st.integers(1, 1000),
    st.sampled_from([20, 50]),
    st.booleans(),
)
def test_recommendation_matches_the_guidance(
    vms: int, sets: int, instances: int, per: int, production: bool
) -> None:
    rec = recommend_replicas(
        concurrent_vms=vms,
        concurrent_scale_sets=sets,
        instances_per_scale_set=instances,
        vms_per_replica=per,
        production=production,
    )
    assert rec.replicas == _oracle(vms, sets, instances, per, production)
    assert rec.for_vms == math.ceil(vms / per)
    assert rec.capped == (rec.for_vms + rec.for_scale_sets > 50)
    assert rec.reasons


@given(st.integers(0, 3000), st.integers(0, 100), st.integers(0, 60), st.integers(0, 10))
def test_more_load_never_needs_fewer_replicas(
    vms: int, more_vms: int, sets: int, more_sets: int
) -> None:
    low = recommend_replicas(concurrent_vms=vms, concurrent_scale_sets=sets)
    high = recommend_replicas(concurrent_vms=vms + more_vms, concurrent_scale_sets=sets + more_sets)
    assert high.replicas >= low.replicas


def test_check_flags_limits_on_every_version() -> None:
    crowded = b.version(
        "1.0.0",
        regions=[("westeurope", 60, None), ("eastus", 45, None)],
    )
    normal = b.version("1.0.1", regions=[("westeurope", 2, None)])
    findings = check_replicas(b.definition([crowded, normal]))
    assert [(f.version_id, f.region, f.replicas, f.status) for f in findings] == [
        (crowded.id, "westeurope", 60, ReplicaStatus.ABOVE_LIMIT),
        (crowded.id, None, 105, ReplicaStatus.ABOVE_LIMIT),
    ]
    assert "more than the maximum of 100 per image version" in findings[1].reason


def test_check_compares_latest_with_the_load() -> None:
    image1 = next(sample_inventory().definitions())
    load = {
        "westeurope": ExpectedLoad(concurrent_vms=100),
        "northeurope": ExpectedLoad(concurrent_vms=10),
        "eastus": ExpectedLoad(concurrent_scale_sets=1),
        "southeastasia": ExpectedLoad(concurrent_vms=1),
    }
    findings = check_replicas(image1, load, at=AT)
    got = [
        (
            f.region,
            str(f.version_id.version) if f.version_id else None,
            f.replicas,
            f.recommended,
            f.status.value,
        )
        for f in findings
    ]
    assert got == [
        ("eastus", "1.0.9", 1, 1, "ok"),
        ("northeurope", "1.1.0", 1, 1, "ok"),
        ("southeastasia", None, 0, 1, "under"),
        ("westeurope", "1.0.10", 3, 5, "under"),
    ]
    assert "5 recommended" in findings[-1].reason


def test_check_with_one_load_everywhere_and_all_versions() -> None:
    image1 = next(sample_inventory().definitions())
    findings = check_replicas(image1, ExpectedLoad(concurrent_vms=20), versions="all", at=AT)
    regions = {f.region for f in findings}
    assert regions == {"westeurope", "northeurope", "eastus", "swedencentral"}
    over = [f for f in findings if f.status is ReplicaStatus.OVER]
    assert {(f.region, f.replicas) for f in over} == {
        ("westeurope", 2),
        ("westeurope", 3),
        ("eastus", 2),
    }
    assert all(f.recommended == 1 for f in findings)


def test_check_accepts_galleries_and_inventories() -> None:
    inv = sample_inventory()
    assert check_replicas(inv) == ()
    per_gallery = [f for g in inv.galleries() for f in check_replicas(g, ExpectedLoad(), at=AT)]
    assert per_gallery == list(check_replicas(inv, ExpectedLoad(), at=AT))


@pytest.mark.parametrize(
    ("target", "load", "kwargs", "error"),
    [
        ("inventory", None, {}, InvalidTypeError),
        (None, [1, 2], {}, InvalidTypeError),
        (None, {"eastus": 5}, {}, InvalidTypeError),
        (None, None, {"versions": "some"}, InvalidFieldError),
        (None, None, {"max_per_region": 0}, InvalidFieldError),
        (None, None, {"max_per_version": 10**5000}, InvalidFieldError),
        (None, {5: ExpectedLoad()}, {}, InvalidFieldError),
        (None, {"x" * 100_000: ExpectedLoad()}, {}, InvalidFieldError),
        (None, ExpectedLoad(), {"at": datetime(2025, 1, 1)}, InvalidFieldError),
    ],
)
def test_check_rejects_bad_arguments(
    target: object, load: object, kwargs: dict[str, object], error: type[Exception]
) -> None:
    subject = target if target is not None else sample_inventory()
    with pytest.raises(error) as caught:
        check_replicas(subject, load, **kwargs)  # type: ignore[arg-type]
    assert len(str(caught.value)) < 600


@pytest.mark.parametrize("huge", [10**5000, 1_000_001], ids=["5000 digits", "one over"])
def test_counts_have_a_documented_limit(huge: int) -> None:
    with pytest.raises(InvalidFieldError, match="at most 1,000,000") as caught:
        recommend_replicas(concurrent_vms=huge)
    assert caught.value.field == "concurrent_vms"
    with pytest.raises(InvalidFieldError):
        ExpectedLoad(concurrent_scale_sets=huge)
    assert recommend_replicas(concurrent_vms=1_000_000, max_replicas=1_000_000).replicas == 50_000

"""Fuzzing the planning entry points: policies built from hostile arguments, ``what_if`` and
``apply_policy`` on drawn inventories with hostile options, and the replica guidance and checks.

Every outcome is a result or an ``ImageGalleryError`` with a short message; where a what-if comes
back, its amounts are finite. Bounded in CI; the long campaign runs with ``IMAGEGALLERY_FUZZ=1``
(see ``tests/_fuzz.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from imagegallery import Inventory
from imagegallery.costs import PriceSheet
from imagegallery.planning import (
    DeleteEndOfLife,
    ExpectedLoad,
    KeepLatest,
    ReplicaRecommendation,
    ReplicateLatest,
    WhatIf,
    apply_policy,
    check_replicas,
    recommend_replicas,
    what_if,
)
from imagegallery.strategies import REGIONS, inventories
from tests._fuzz import HOSTILE, budget, outcome

AT = datetime(2025, 6, 1, tzinfo=UTC)
COUNTS = st.integers(0, 3000)


def _argument(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid value most of the time, a hostile one otherwise."""
    return st.one_of(valid, valid, HOSTILE)


POLICIES = st.one_of(
    st.builds(lambda keep: outcome(lambda: KeepLatest(keep)), _argument(st.integers(1, 4))),
    st.just(DeleteEndOfLife()),
    st.builds(
        lambda kwargs: outcome(lambda: ReplicateLatest(**kwargs)),
        st.fixed_dictionaries(
            {},
            optional={
                "keep": _argument(st.integers(1, 3)),
                "regions": _argument(
                    st.lists(st.sampled_from([*REGIONS, "japaneast"]), max_size=2)
                ),
                "older_replicas": _argument(st.none() | st.integers(1, 3)),
            },
        ),
    ),
    HOSTILE,
)
OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "at": _argument(st.just(AT)),
        "respect_safety": _argument(st.booleans()),
        "size_basis": _argument(st.sampled_from(["used", "provisioned"])),
        "unit": _argument(st.sampled_from(["GiB", "GB"])),
        "used_gb": st.none() | HOSTILE,
    },
)


@budget(examples=25, long_examples=2_000)
@given(
    _argument(inventories(max_galleries=2, max_definitions=2, max_versions=3)),
    POLICIES,
    st.sampled_from([None, PriceSheet.default().with_fallback()]) | HOSTILE,
    OPTIONS,
)
def test_fuzz_what_if(target: Any, policy: Any, prices: Any, options: dict[str, Any]) -> None:
    options.setdefault("at", AT)
    result = outcome(lambda: what_if(target, policy, prices, **options))
    if isinstance(result, WhatIf):
        assert result.monthly_saving.is_finite()
        assert result.new_copy_egress.is_finite()
        assert result.summary()
    applied = outcome(
        lambda: apply_policy(
            target, policy, at=options["at"], respect_safety=options.get("respect_safety", True)
        )
    )
    if isinstance(result, WhatIf) and isinstance(applied, Inventory):
        assert applied == result.result


RECOMMEND = st.fixed_dictionaries(
    {},
    optional={
        "concurrent_vms": _argument(COUNTS),
        "concurrent_scale_sets": _argument(st.integers(0, 20)),
        "instances_per_scale_set": _argument(st.integers(1, 1000)),
        "vms_per_replica": _argument(st.integers(1, 60)),
        "production": _argument(st.booleans()),
        "max_replicas": _argument(st.integers(1, 100)),
    },
)


@budget()
@given(RECOMMEND)
def test_fuzz_recommend_replicas(arguments: dict[str, Any]) -> None:
    rec = outcome(lambda: recommend_replicas(**arguments))
    if isinstance(rec, ReplicaRecommendation):
        assert 1 <= rec.replicas <= arguments.get("max_replicas", 50)


LOADS = st.builds(
    ExpectedLoad,
    concurrent_vms=st.integers(0, 200),
    concurrent_scale_sets=st.integers(0, 5),
)


@budget(examples=25, long_examples=2_000)
@given(
    _argument(inventories(max_galleries=2, max_definitions=2, max_versions=3)),
    st.none()
    | LOADS
    | st.dictionaries(
        st.sampled_from(REGIONS) | HOSTILE.filter(lambda v: isinstance(v, str | int | None)),
        LOADS | HOSTILE,
        max_size=3,
    )
    | HOSTILE,
    st.fixed_dictionaries(
        {},
        optional={
            "versions": _argument(st.sampled_from(["latest", "all"])),
            "at": _argument(st.just(AT)),
            "vms_per_replica": _argument(st.integers(1, 50)),
            "production": _argument(st.booleans()),
            "max_per_region": _argument(st.integers(1, 50)),
            "max_per_version": _argument(st.integers(1, 100)),
        },
    ),
)
def test_fuzz_check_replicas(target: Any, load: Any, options: dict[str, Any]) -> None:
    options.setdefault("at", AT)
    findings = outcome(lambda: check_replicas(target, load, **options))
    if isinstance(findings, tuple):
        assert all(f.replicas >= 0 for f in findings)

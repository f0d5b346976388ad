"""Planning: how many replicas to keep, and what a replication/retention policy would change.

Planning is the layer above :mod:`imagegallery.resolve` and :mod:`imagegallery.costs`: it decides
no eligibility rule and no price itself, but asks them (through their public names only) what a
change would do. Neither of them imports planning.

Where each rule is decided:

* :mod:`~imagegallery.planning.replicas`: the documented replica guidance
  (:func:`recommend_replicas`: one replica per 20 concurrently created VMs, one per concurrently
  created scale set, at least 3 in production, at most 50 per region) and :func:`check_replicas`,
  an inventory's counts against an expected load (the version checked is what
  :func:`~imagegallery.resolve.resolve_latest` gives) and the documented maximums;
* :mod:`~imagegallery.planning.policies`: what a policy does to one definition
  (:class:`ReplicateLatest`, :class:`DeleteEndOfLife`, :class:`KeepLatest`), within the versions'
  safety profiles;
* :mod:`~imagegallery.planning.whatif`: :func:`what_if` applies a policy and compares before and
  after: versions and replicas changed, monthly saving and new-copy egress (priced by
  :func:`~imagegallery.costs.estimate_cost`), and every (definition, region) whose ``latest``
  would move (resolved by :func:`~imagegallery.resolve.latest_by_region`).

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.planning import ReplicateLatest, recommend_replicas, what_if
    >>> recommend_replicas(concurrent_vms=120).replicas
    6
    >>> result = what_if(sample_inventory(), ReplicateLatest(keep=2),
    ...                  at=datetime(2025, 3, 1, tzinfo=UTC), respect_safety=False)
    >>> str(result.monthly_saving), [d.name for d in result.flagged_definitions]
    ('1.2750', ['myImage1'])
"""

from __future__ import annotations

from imagegallery.planning.policies import (
    DefinitionPlan,
    DeleteEndOfLife,
    KeepLatest,
    ReplicateLatest,
    RetentionPolicy,
)
from imagegallery.planning.replicas import (
    MAX_REPLICAS_PER_REGION,
    MAX_REPLICAS_PER_VERSION,
    MAX_SCALE_SET_INSTANCES,
    PRODUCTION_MIN_REPLICAS,
    SCALE_SET_INSTANCES_PER_REPLICA,
    VMS_PER_REPLICA,
    ExpectedLoad,
    ReplicaFinding,
    ReplicaRecommendation,
    ReplicaStatus,
    check_replicas,
    recommend_replicas,
)
from imagegallery.planning.whatif import (
    ChangeKind,
    LatestChange,
    ReplicaChange,
    VersionChange,
    WhatIf,
    apply_policy,
    what_if,
)

__all__ = [
    "MAX_REPLICAS_PER_REGION",
    "MAX_REPLICAS_PER_VERSION",
    "MAX_SCALE_SET_INSTANCES",
    "PRODUCTION_MIN_REPLICAS",
    "SCALE_SET_INSTANCES_PER_REPLICA",
    "VMS_PER_REPLICA",
    "ChangeKind",
    "DefinitionPlan",
    "DeleteEndOfLife",
    "ExpectedLoad",
    "KeepLatest",
    "LatestChange",
    "ReplicaChange",
    "ReplicaFinding",
    "ReplicaRecommendation",
    "ReplicaStatus",
    "ReplicateLatest",
    "RetentionPolicy",
    "VersionChange",
    "WhatIf",
    "apply_policy",
    "check_replicas",
    "recommend_replicas",
    "what_if",
]

"""Planning: how many replicas to keep, and what a replication/retention policy would change.

* :func:`recommend_replicas` and :func:`check_replicas`: the documented replica guidance (one
  replica per 20 concurrently created VMs, one per concurrently created scale set) and a check of
  an inventory's counts against an expected load and the documented maximums;
* policies (:class:`ReplicateLatest`, :class:`DeleteEndOfLife`, :class:`KeepLatest`) and
  :func:`what_if`: the versions and replicas a policy changes, the monthly saving, the egress of new
  copies, and the definitions whose ``latest`` would change in some region.

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

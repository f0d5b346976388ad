"""Read-only reports Azure attaches to an image version: replication status and validations.

Example:
    >>> from imagegallery import RegionalReplicationStatus, ReplicationState, ReplicationStatus
    >>> status = ReplicationStatus(summary=[
    ...     RegionalReplicationStatus(region="West US", state="Completed", progress=100),
    ...     RegionalReplicationStatus(region="East US", state="Replicating", progress=40),
    ... ])
    >>> status.state_in("westus") is ReplicationState.COMPLETED, status.state_in("eastus").value
    (True, 'Replicating')
    >>> status.state_in("northeurope") is None
    True
"""

from __future__ import annotations

from datetime import datetime

import attrs
from attrs.converters import optional

from imagegallery import _fields as f
from imagegallery import _validators as v
from imagegallery._codecs import TIME
from imagegallery._schema import ArmObject, arm
from imagegallery.enums import AggregatedReplicationState, ReplicationState, ValidationStatus
from imagegallery.regions import normalize_region
from imagegallery.timestamps import optional_datetime

__all__ = [
    "ExecutedValidation",
    "PlatformAttribute",
    "RegionalReplicationStatus",
    "ReplicationStatus",
    "ValidationsProfile",
]


@attrs.frozen(kw_only=True)
class RegionalReplicationStatus(ArmObject):
    """The replication of a version to one region."""

    region: str | None = f.region("region")
    state: ReplicationState | None = attrs.field(
        default=None, converter=optional(ReplicationState), metadata=arm("state", ReplicationState)
    )
    details: str | None = f.text("details")
    progress: int | None = f.whole("progress", 0, 100)


@attrs.frozen(kw_only=True)
class ReplicationStatus(ArmObject):
    """``properties.replicationStatus`` (present only when asked for with ``$expand``).

    Example:
        >>> ReplicationStatus(aggregated_state="InProgress").aggregated_state.value
        'InProgress'
    """

    aggregated_state: AggregatedReplicationState | None = attrs.field(
        default=None,
        converter=optional(AggregatedReplicationState),
        metadata=arm("aggregatedState", AggregatedReplicationState),
    )
    summary: tuple[RegionalReplicationStatus, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("summary", RegionalReplicationStatus)
    )

    def state_in(self, region: str) -> ReplicationState | None:
        """The replication state in ``region`` (any spelling), or ``None`` if not reported."""
        name = normalize_region(region)
        for entry in self.summary or ():
            if entry.region == name:
                return entry.state
        return None


@attrs.frozen(kw_only=True)
class ExecutedValidation(ArmObject):
    """One validation Azure ran on a version."""

    type: str | None = f.text("type")
    status: ValidationStatus | None = attrs.field(
        default=None, converter=optional(ValidationStatus), metadata=arm("status", ValidationStatus)
    )
    version: str | None = f.text("version")
    execution_time: datetime | None = attrs.field(
        default=None, converter=optional_datetime, metadata=arm("executionTime", TIME)
    )


@attrs.frozen(kw_only=True)
class PlatformAttribute(ArmObject):
    """A name/value attribute reported by validation."""

    name: str | None = f.text("name")
    value: str | None = f.text("value")


@attrs.frozen(kw_only=True)
class ValidationsProfile(ArmObject):
    """``properties.validationsProfile`` (read-only)."""

    validation_etag: str | None = f.text("validationEtag")
    executed_validations: tuple[ExecutedValidation, ...] | None = attrs.field(
        default=None,
        converter=v.optional_tuple,
        **f.items("executedValidations", ExecutedValidation),
    )
    platform_attributes: tuple[PlatformAttribute, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("platformAttributes", PlatformAttribute)
    )

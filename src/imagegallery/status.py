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

from imagegallery import _validators as v
from imagegallery._schema import (
    INT,
    REGION,
    STR,
    TIME,
    ArmObject,
    arm,
    enum_codec,
    list_of,
    obj,
)
from imagegallery.enums import AggregatedReplicationState, ReplicationState, ValidationStatus
from imagegallery.regions import normalize_region

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

    region: str | None = attrs.field(
        metadata=arm("region", REGION), default=None, converter=v.optional_region
    )
    state: ReplicationState | None = attrs.field(
        metadata=arm("state", enum_codec(ReplicationState)),
        default=None,
        converter=attrs.converters.optional(ReplicationState),
    )
    details: str | None = attrs.field(
        metadata=arm("details", STR), default=None, validator=v.optional_str
    )
    progress: int | None = attrs.field(
        metadata=arm("progress", INT), default=None, validator=v.int_range(0, 100)
    )


@attrs.frozen(kw_only=True)
class ReplicationStatus(ArmObject):
    """``properties.replicationStatus`` (present only when asked for with ``$expand``).

    Example:
        >>> ReplicationStatus(aggregated_state="InProgress").aggregated_state.value
        'InProgress'
    """

    aggregated_state: AggregatedReplicationState | None = attrs.field(
        metadata=arm("aggregatedState", enum_codec(AggregatedReplicationState)),
        default=None,
        converter=attrs.converters.optional(AggregatedReplicationState),
    )
    summary: tuple[RegionalReplicationStatus, ...] | None = attrs.field(
        metadata=arm("summary", list_of(obj(RegionalReplicationStatus))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(RegionalReplicationStatus),
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

    type: str | None = attrs.field(
        metadata=arm("type", STR), default=None, validator=v.optional_str
    )
    status: ValidationStatus | None = attrs.field(
        metadata=arm("status", enum_codec(ValidationStatus)),
        default=None,
        converter=attrs.converters.optional(ValidationStatus),
    )
    version: str | None = attrs.field(
        metadata=arm("version", STR), default=None, validator=v.optional_str
    )
    execution_time: datetime | None = attrs.field(
        metadata=arm("executionTime", TIME), default=None, converter=v.optional_datetime
    )


@attrs.frozen(kw_only=True)
class PlatformAttribute(ArmObject):
    """A name/value attribute reported by validation."""

    name: str | None = attrs.field(
        metadata=arm("name", STR), default=None, validator=v.optional_str
    )
    value: str | None = attrs.field(
        metadata=arm("value", STR), default=None, validator=v.optional_str
    )


@attrs.frozen(kw_only=True)
class ValidationsProfile(ArmObject):
    """``properties.validationsProfile`` (read-only)."""

    validation_etag: str | None = attrs.field(
        metadata=arm("validationEtag", STR), default=None, validator=v.optional_str
    )
    executed_validations: tuple[ExecutedValidation, ...] | None = attrs.field(
        metadata=arm("executedValidations", list_of(obj(ExecutedValidation))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(ExecutedValidation),
    )
    platform_attributes: tuple[PlatformAttribute, ...] | None = attrs.field(
        metadata=arm("platformAttributes", list_of(obj(PlatformAttribute))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(PlatformAttribute),
    )

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
from imagegallery._schema import INT, REGION, STR, TIME, ArmObject, arm_field, enum_codec, list_of, obj
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

    region: str | None = arm_field("region", REGION, converter=v.optional_region)
    state: ReplicationState | None = arm_field(
        "state", enum_codec(ReplicationState), converter=v.optional_enum_of(ReplicationState)
    )
    details: str | None = arm_field("details", STR, validator=v.optional_str)
    progress: int | None = arm_field("progress", INT, validator=v.int_range(0, 100))


@attrs.frozen(kw_only=True)
class ReplicationStatus(ArmObject):
    """``properties.replicationStatus`` (present only when asked for with ``$expand``)."""

    aggregated_state: AggregatedReplicationState | None = arm_field(
        "aggregatedState",
        enum_codec(AggregatedReplicationState),
        converter=v.optional_enum_of(AggregatedReplicationState),
    )
    summary: tuple[RegionalReplicationStatus, ...] | None = arm_field(
        "summary",
        list_of(obj(RegionalReplicationStatus)),
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

    type: str | None = arm_field("type", STR, validator=v.optional_str)
    status: ValidationStatus | None = arm_field(
        "status", enum_codec(ValidationStatus), converter=v.optional_enum_of(ValidationStatus)
    )
    version: str | None = arm_field("version", STR, validator=v.optional_str)
    execution_time: datetime | None = arm_field(
        "executionTime", TIME, converter=v.optional_datetime
    )


@attrs.frozen(kw_only=True)
class PlatformAttribute(ArmObject):
    """A name/value attribute reported by validation."""

    name: str | None = arm_field("name", STR, validator=v.optional_str)
    value: str | None = arm_field("value", STR, validator=v.optional_str)


@attrs.frozen(kw_only=True)
class ValidationsProfile(ArmObject):
    """``properties.validationsProfile`` (read-only)."""

    validation_etag: str | None = arm_field("validationEtag", STR, validator=v.optional_str)
    executed_validations: tuple[ExecutedValidation, ...] | None = arm_field(
        "executedValidations",
        list_of(obj(ExecutedValidation)),
        converter=v.optional_tuple,
        validator=v.items_of(ExecutedValidation),
    )
    platform_attributes: tuple[PlatformAttribute, ...] | None = arm_field(
        "platformAttributes",
        list_of(obj(PlatformAttribute)),
        converter=v.optional_tuple,
        validator=v.items_of(PlatformAttribute),
    )

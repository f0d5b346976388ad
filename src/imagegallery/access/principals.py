"""Principals and the directory: users, groups, service principals, managed identities, membership.

Principal ids are object ids (GUIDs); they are compared without regard to case. A group's members
may be users, service principals or other groups; membership is transitive and may form cycles.
Each membership edge may be *eligible* (PIM for Groups) rather than active, and may carry a
``[start, end)`` time window.

Example:
    >>> from imagegallery.access import Membership, Principal, PrincipalType
    >>> sp = Principal.from_graph({
    ...     "@odata.type": "#microsoft.graph.servicePrincipal", "id": "5C3E...", "appId": "app-1",
    ...     "servicePrincipalType": "ManagedIdentity", "displayName": "image-builder",
    ... })
    >>> sp.type is PrincipalType.SERVICE_PRINCIPAL, sp.is_managed_identity, sp.label
    (True, True, 'image-builder')
    >>> Membership(group_id="G-eng", member_id="G-devs").is_permanent
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final, final

import attrs

from imagegallery.enums import ClosedEnum, OpenEnum
from imagegallery.errors import InvalidAccessRecordError
from imagegallery.timestamps import optional_datetime

__all__ = [
    "ALL_PRINCIPALS",
    "AssignmentKind",
    "Membership",
    "Principal",
    "PrincipalType",
    "principal_key",
]

ALL_PRINCIPALS: Final = "00000000-0000-0000-0000-000000000000"
"""The ``SystemDefined`` "All Principals" sentinel of deny assignments: everyone."""


class PrincipalType(OpenEnum):
    """``principalType`` of a role assignment, or the kind of a directory object.

    Example:
        >>> PrincipalType("serviceprincipal") is PrincipalType.SERVICE_PRINCIPAL
        True
    """

    USER = "User"
    GROUP = "Group"
    SERVICE_PRINCIPAL = "ServicePrincipal"
    FOREIGN_GROUP = "ForeignGroup"
    DEVICE = "Device"
    SYSTEM_DEFINED = "SystemDefined"
    UNKNOWN = "Unknown"
    """What ``az`` shows for an assignment whose principal was deleted."""


class AssignmentKind(ClosedEnum):
    """Whether a role assignment or membership is in force (``active``) or must first be
    activated through PIM (``eligible``).

    Example:
        >>> AssignmentKind("Eligible").value
        'eligible'
    """

    ACTIVE = "active"
    ELIGIBLE = "eligible"


_GRAPH_TYPES: Final = {
    "#microsoft.graph.user": PrincipalType.USER,
    "#microsoft.graph.group": PrincipalType.GROUP,
    "#microsoft.graph.serviceprincipal": PrincipalType.SERVICE_PRINCIPAL,
    "#microsoft.graph.device": PrincipalType.DEVICE,
    "#microsoft.graph.orgcontact": PrincipalType.UNKNOWN,
}


def principal_key(value: object, *, field: str = "principalId") -> str:
    """The comparison key of a principal id: the id in lower case.

    Raises:
        InvalidAccessRecordError: ``value`` is not a non-empty string.

    Example:
        >>> principal_key("5C3E0B8A-AAAA-4BBB-8CCC-000000000001")
        '5c3e0b8a-aaaa-4bbb-8ccc-000000000001'
    """
    if type(value) is not str or not value or value.strip() != value:
        raise InvalidAccessRecordError(
            "a principal id is a non-empty string without surrounding spaces",
            field=field,
            value=value,
        )
    return value.lower()


def _principal_id(value: object) -> str:
    principal_key(value, field="id")
    assert isinstance(value, str)
    return value


def _ptype(value: PrincipalType | str) -> PrincipalType:
    return PrincipalType.coerce(value)


def _kind(value: AssignmentKind | str) -> AssignmentKind:
    return AssignmentKind.coerce(value)


def _optional_type(value: PrincipalType | str | None) -> PrincipalType | None:
    return None if value is None else PrincipalType.coerce(value)


@final
@attrs.frozen
class Principal:
    """A directory object that can hold role assignments.

    Args:
        id: The object id (as spelled in the input; compared case-insensitively).
        type: User, Group, ServicePrincipal (managed identities included), ...
        display_name: A readable name, used in explanations.
        tenant_id: The tenant the object lives in, when known (used by the cross-tenant rule).
        app_id: For service principals, the application id: service principals of one
            multi-tenant app in different tenants share it.
        service_principal_type: ``Application``, ``ManagedIdentity``, ...
        user_type: ``Member`` or ``Guest``.
        home_id: For a B2B guest object, the object id of the same person in their home tenant.

    Example:
        >>> Principal(id="alice", display_name="Alice Smith").label
        'Alice Smith'
    """

    id: str = attrs.field(converter=_principal_id)
    type: PrincipalType = attrs.field(default=PrincipalType.USER, converter=_ptype)
    display_name: str | None = None
    tenant_id: str | None = None
    app_id: str | None = None
    service_principal_type: str | None = None
    user_type: str | None = None
    home_id: str | None = None

    @property
    def key(self) -> str:
        """The id in lower case."""
        return self.id.lower()

    @property
    def label(self) -> str:
        """The display name, or the id."""
        return self.display_name or self.id

    @property
    def is_group(self) -> bool:
        """Whether this is a group (security, Microsoft 365 or foreign)."""
        return self.type in (PrincipalType.GROUP, PrincipalType.FOREIGN_GROUP)

    @property
    def is_managed_identity(self) -> bool:
        """Whether this is the service principal of a managed identity."""
        return (self.service_principal_type or "").lower() == "managedidentity"

    @property
    def identity_key(self) -> str:
        """What links the objects of one identity across tenants: the app id of a service
        principal, the home object id of a guest, else the object id (lower case)."""
        if self.app_id:
            return "app:" + self.app_id.lower()
        return "obj:" + (self.home_id or self.id).lower()

    @classmethod
    def from_graph(cls, record: Mapping[str, Any]) -> Principal:
        """Read a Microsoft Graph directory object (user, group, service principal).

        ``@odata.type`` (or ``principalType``/``type``) gives the type; ``tenantId`` and
        ``homeId`` are read when present.

        Raises:
            InvalidAccessRecordError: The record has no usable ``id``.

        Example:
            >>> Principal.from_graph({"@odata.type": "#microsoft.graph.group", "id": "g1"}).is_group
            True
        """
        odata = str(record.get("@odata.type") or "").lower()
        kind: PrincipalType | str = _GRAPH_TYPES.get(odata) or (
            record.get("principalType") or record.get("type") or PrincipalType.USER
        )
        return cls(
            id=record.get("id") or record.get("objectId") or record.get("principalId"),
            type=kind,
            display_name=record.get("displayName") or record.get("userPrincipalName"),
            tenant_id=record.get("tenantId"),
            app_id=record.get("appId"),
            service_principal_type=record.get("servicePrincipalType"),
            user_type=record.get("userType"),
            home_id=record.get("homeId"),
        )


def _check_window(inst: Any, _attribute: object, end: datetime | None) -> None:
    start = inst.start
    if start is not None and end is not None and end <= start:
        raise InvalidAccessRecordError(
            "the window ends before it starts", field="end", value=end.isoformat()
        )


@final
@attrs.frozen
class Membership:
    """``member_id`` is a member of the group ``group_id``.

    Args:
        group_id: The group.
        member_id: The member: a user, service principal or group.
        kind: ``active`` (default) or ``eligible`` (PIM for Groups; needs activation).
        start: When the membership starts (``None``: always was).
        end: When it ends, exclusive (``None``: permanent).
        member_type: The member's type, when the input says.

    Example:
        >>> from datetime import datetime, timezone
        >>> utc = timezone.utc
        >>> m = Membership(group_id="g", member_id="u", end=datetime(2030, 1, 1, tzinfo=utc))
        >>> m.active_at(datetime(2029, 6, 1, tzinfo=utc)), m.is_permanent
        (True, False)
    """

    group_id: str = attrs.field(converter=_principal_id)
    member_id: str = attrs.field(converter=_principal_id)
    kind: AssignmentKind = attrs.field(default=AssignmentKind.ACTIVE, converter=_kind)
    start: datetime | None = attrs.field(default=None, converter=optional_datetime)
    end: datetime | None = attrs.field(
        default=None, converter=optional_datetime, validator=_check_window
    )
    member_type: PrincipalType | None = attrs.field(default=None, converter=_optional_type)

    @property
    def is_permanent(self) -> bool:
        """Active, with no time window."""
        return self.kind is AssignmentKind.ACTIVE and self.start is None and self.end is None

    def active_at(self, at: datetime) -> bool:
        """Whether ``at`` falls in the ``[start, end)`` window (the kind is not considered)."""
        return (self.start is None or self.start <= at) and (self.end is None or at < self.end)

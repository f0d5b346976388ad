"""The facts of access as values: principals and group memberships, role definitions, role
assignments and deny assignments.

Each is a frozen attrs class validated at construction, with a ``from_arm``/``from_graph`` reader
for the shape Azure tools print (the loaders in :mod:`imagegallery.access.loaders` apply them to
whole files). Principal ids are object ids, compared without regard to case.

* A **principal** is a user, group, service principal (managed identities included), ... A group's
  members may be other groups; membership is transitive and may form cycles. A **membership** edge
  may be *eligible* (PIM for Groups) rather than active, and may carry a ``[start, end)`` window.
* A **role definition** is a set of permission blocks. Effective permissions of one block are
  ``Actions - NotActions`` (control plane) and ``DataActions - NotDataActions`` (data plane); a
  role grants an action when any of its blocks does. NotActions never deny: another role, or
  another block, may grant the same action.
* A **role assignment** grants a role to a principal at a scope, from the root ``/`` and
  management groups down to a single image version; it reaches the scope and everything under it.
  PIM adds *eligible* assignments (nothing until activated) and ``[start, end)`` windows.
* A **deny assignment** blocks actions for its principals (or for everyone, except its excluded
  principals) at its scope, and below unless ``do_not_apply_to_child_scopes`` is set.

Example:
    >>> from imagegallery.access import DenyAssignment, Permission, RoleAssignment, builtin_role
    >>> contributor = builtin_role("Contributor")
    >>> contributor.grants("Microsoft.Compute/galleries/images/versions/write")
    '*'
    >>> contributor.subtracted_by("Microsoft.Compute/galleries/share/action")
    'Microsoft.Compute/galleries/share/action'
    >>> ra = RoleAssignment(
    ...     scope="/subscriptions/s1/resourceGroups/rg-images",
    ...     principal_id="alice",
    ...     role_definition_id="/providers/Microsoft.Authorization/roleDefinitions/"
    ...     "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    ... )
    >>> ra.role_definition_id, ra.scope.kind.name
    ('acdd72a7-3385-48ef-bd42-f606fba81ae7', 'RESOURCE_GROUP')
    >>> deny = DenyAssignment(
    ...     id="d1", scope="/subscriptions/s1", principals=["00000000-0000-0000-0000-000000000000"],
    ...     exclude_principals=["G-eng"], permissions=[Permission(actions=["*/write"])],
    ... )
    >>> deny.targets_everyone, deny.enforced
    (True, True)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from importlib import resources
from typing import Any, Final, TypeVar, final

import attrs

from imagegallery.access.actions import action_matches, validate_action
from imagegallery.enums import ClosedEnum, OpenEnum
from imagegallery.errors import (
    InvalidAccessRecordError,
    InvalidEnumValueError,
    InvalidFieldError,
    InvalidResourceIdError,
    ResourceNotFoundError,
)
from imagegallery.ids import ResourceId
from imagegallery.speed import parse_once
from imagegallery.timestamps import optional_datetime

__all__ = [
    "ALL_PRINCIPALS",
    "BUILTIN_ROLE_IDS",
    "AssignmentKind",
    "DenyAssignment",
    "Membership",
    "Permission",
    "Principal",
    "PrincipalType",
    "RoleAssignment",
    "RoleDefinition",
    "builtin_role",
    "builtin_roles",
    "extension_scope",
    "parse_scope",
    "principal_key",
    "role_definition_guid",
]

ALL_PRINCIPALS: Final = "00000000-0000-0000-0000-000000000000"
"""The ``SystemDefined`` "All Principals" sentinel of deny assignments: everyone."""

BUILTIN_ROLE_IDS: Final[Mapping[str, str]] = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    "Virtual Machine Contributor": "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
    "Compute Gallery Sharing Admin": "1ef6a3be-d0ac-425d-8c01-acb62866290b",
    "Compute Gallery Artifacts Publisher": "85a2d0d9-2eba-4c9c-b355-11c2cc0788ab",
    "Compute Gallery Image Reader": "cf7c76d2-98a3-4358-a134-615aa78bf44d",
}
"""The built-in roles shipped with the library, by role name."""

_T = TypeVar("_T")
_AUTH_PROVIDER: Final = "/providers/microsoft.authorization/"
_ELIGIBLE_TYPES: Final = ("roleeligibilityschedule", "roleeligibilityscheduleinstance")


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

# -- converters and validators shared by the records -----------------------------------------------


def principal_key(value: object, *, field: str = "principalId") -> str:
    """The comparison key of a principal id: the id in lower case.

    Raises:
        InvalidAccessRecordError: ``value`` is not a non-empty string.

    Example:
        >>> principal_key("5C3E0B8A-AAAA-4BBB-8CCC-000000000001")
        '5c3e0b8a-aaaa-4bbb-8ccc-000000000001'
    """
    return _checked_id(value, field).lower()


def _checked_id(value: object, field: str) -> str:
    """A principal id as given, checked: a non-empty string without surrounding spaces."""
    if type(value) is not str or not value or value.strip() != value:
        raise InvalidAccessRecordError(
            "a principal id is a non-empty string without surrounding spaces",
            field=field,
            value=value,
        )
    return value


def _principal_id(value: object) -> str:
    return _checked_id(value, "id")


def _principal(value: object) -> str:
    return _checked_id(value, "principalId")


def _group_id(value: object) -> str:
    return _checked_id(value, "group_id")


def _member_id(value: object) -> str:
    return _checked_id(value, "member_id")


def _name(value: object, enum: type[Any]) -> None:
    """Enum values are text: anything else is refused before the enum sees it (so that no
    message is built from a huge or deeply nested value)."""
    if not isinstance(value, str):
        raise InvalidEnumValueError(f"{enum.__name__} must be a string", value=value)


def _ptype(value: PrincipalType | str) -> PrincipalType:
    if type(value) is PrincipalType:
        return value
    _name(value, PrincipalType)
    return PrincipalType.coerce(value)


def _optional_type(value: PrincipalType | str | None) -> PrincipalType | None:
    return None if value is None else _ptype(value)


def _kind(value: AssignmentKind | str) -> AssignmentKind:
    if type(value) is AssignmentKind:
        return value
    _name(value, AssignmentKind)
    return AssignmentKind.coerce(value)


def _check_window(inst: Any, _attribute: object, end: datetime | None) -> None:
    start = inst.start
    if start is not None and end is not None and end <= start:
        raise InvalidAccessRecordError(
            "the time window ends before it starts", field="end", value=end.isoformat()
        )


def _in_window(start: datetime | None, end: datetime | None, at: datetime) -> bool:
    return (start is None or start <= at) and (end is None or at < end)


def role_definition_guid(value: object, *, field: str = "roleDefinitionId") -> str:
    """The role definition GUID (lower case) of a role definition id or name.

    Role definitions are tenant-wide, so ``/subscriptions/{s}/providers/Microsoft.Authorization/
    roleDefinitions/{guid}``, ``/providers/Microsoft.Authorization/roleDefinitions/{guid}`` and the
    bare ``{guid}`` all name the same role.

    Raises:
        InvalidAccessRecordError: ``value`` is not a non-empty string.

    Example:
        >>> role_definition_guid(
        ...     "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/"
        ...     "ACDD72A7-3385-48EF-BD42-F606FBA81AE7"
        ... )
        'acdd72a7-3385-48ef-bd42-f606fba81ae7'
    """
    if type(value) is not str or not value.strip("/ "):
        raise InvalidAccessRecordError(
            "expected a role definition id or GUID", field=field, value=value
        )
    return value.rstrip("/").rsplit("/", 1)[-1].lower()


def parse_scope(value: object, *, field: str = "scope") -> ResourceId:
    """Parse an assignment scope: any id except the consumer-side gallery proxies.

    The REST API prints some scopes without their leading ``/`` (``subscriptions/{id}``); that
    form is accepted.

    Raises:
        InvalidAccessRecordError: The scope is malformed or is a proxy id.

    Example:
        >>> str(parse_scope("subscriptions/s1"))
        '/subscriptions/s1'
    """
    if isinstance(value, ResourceId):
        rid = value
    else:
        if type(value) is not str:
            raise InvalidAccessRecordError("expected a scope id", field=field, value=value)
        text = value if value.startswith("/") or not value else "/" + value
        try:
            rid = ResourceId.parse(text)
        except InvalidResourceIdError as err:
            raise InvalidAccessRecordError(err.reason, field=field, value=value) from None
    if rid.kind.is_proxy:
        raise InvalidAccessRecordError(
            "shared and community gallery proxies are not RBAC scopes", field=field, value=str(rid)
        )
    return rid


def extension_scope(assignment_id: str | ResourceId) -> ResourceId:
    """The scope an ``.../providers/Microsoft.Authorization/...`` extension id is attached to.

    Raises:
        InvalidAccessRecordError: ``assignment_id`` is not an authorization extension id.

    Example:
        >>> str(extension_scope(
        ...     "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Authorization"
        ...     "/roleAssignments/0d1f2e3c-0000-0000-0000-000000000001"
        ... ))
        '/subscriptions/s1/resourceGroups/rg'
        >>> str(extension_scope("/providers/Microsoft.Authorization/roleAssignments/x"))
        '/'
    """
    text = str(ResourceId.parse(str(assignment_id)))
    cut = text.lower().rfind(_AUTH_PROVIDER)
    if cut < 0:
        raise InvalidAccessRecordError(
            "not a Microsoft.Authorization extension id", field="id", value=text
        )
    return parse_scope(text[:cut] or "/", field="id")


def _scope(value: object) -> ResourceId:
    return parse_scope(value)


def _role_guid(value: object) -> str:
    return role_definition_guid(value)


def _guid(value: str) -> str:
    return role_definition_guid(value, field="id")


def _sequence(value: object, what: str) -> tuple[Any, ...]:
    """A list given to a constructor, as a tuple (``None`` is empty)."""
    if value is None:
        return ()
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidAccessRecordError(f"expected a list of {what}", value=value)
    return tuple(value)


def _strings(value: Iterable[str] | None) -> tuple[str, ...]:
    out = _sequence(value, "strings")
    for item in out:
        if type(item) is not str:
            raise InvalidAccessRecordError("expected a list of strings", value=item)
    return out


def _patterns(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(validate_action(p, field="actions") for p in _sequence(value, "action patterns"))


def _principal_list(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(_principal(p) for p in _sequence(value, "principal ids"))


def _blocks(value: Iterable[Permission]) -> tuple[Permission, ...]:
    out = _sequence(value, "Permission blocks")
    for block in out:
        if not isinstance(block, Permission):
            raise InvalidAccessRecordError(
                "expected Permission blocks", field="permissions", value=block
            )
    return out


def _optional_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and type(value) is not str:
        raise InvalidAccessRecordError("expected a string", field=attribute.name, value=value)


def _text_value(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not str:
        raise InvalidAccessRecordError("expected a string", field=attribute.name, value=value)


def _boolean(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not bool:
        raise InvalidAccessRecordError("expected True or False", field=attribute.name, value=value)


# -- reading the shapes Azure prints ---------------------------------------------------------------
# Each reader checks a field's JSON type and names the field by its key in the record; the record
# readers (``from_arm``, ``from_graph``) prefix ``properties`` where the fields sit there, and the
# loaders prefix where the record sits in the input.


def _body(record: Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    """A record's fields and where they sit: under ``properties`` (REST shape), or the record
    itself (the flat shape ``az`` prints)."""
    props = record.get("properties")
    if props is None or (isinstance(props, Mapping) and not props):
        return record, ""
    if not isinstance(props, Mapping):
        raise InvalidAccessRecordError("expected a JSON object", field="properties", value=props)
    return props, "properties"


def _text(record: Mapping[str, Any], key: str) -> str | None:
    """An optional string field."""
    value = record.get(key)
    if value is not None and type(value) is not str:
        raise InvalidAccessRecordError("expected a string", field=key, value=value)
    return value


def _flag(record: Mapping[str, Any], key: str) -> bool:
    """An optional boolean field: a JSON ``true`` or ``false`` (absent or null: false). Text such
    as ``"false"`` is refused, never read by its truth value."""
    value = record.get(key)
    if value is None:
        return False
    if type(value) is not bool:
        raise InvalidAccessRecordError(
            "expected true or false (a JSON boolean)", field=key, value=value
        )
    return value


def _items(record: Mapping[str, Any], key: str, *, required: bool = False) -> list[Any]:
    """An optional list field (absent or null: empty)."""
    value = record.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidAccessRecordError("expected a list", field=key, value=value)
    return list(value)


def _texts(record: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """An optional list of strings."""
    out = _items(record, key)
    for i, item in enumerate(out):
        if type(item) is not str:
            raise InvalidAccessRecordError("expected a string", field=f"{key}[{i}]", value=item)
    return tuple(out)


def _field(key: str, convert: Callable[[Any], _T], value: Any) -> _T:
    """``convert(value)``, an error naming ``key`` (converters that do not name their field);
    ``None`` stays ``None`` for the optional fields this is used for."""
    if value is None:
        return None  # type: ignore[return-value]
    try:
        return convert(value)
    except InvalidFieldError as err:
        raise err.at(key) from None


def _inside(where: str, err: InvalidFieldError) -> InvalidFieldError:
    """``err`` with its field placed under ``where`` (``properties``, or nothing)."""
    return err.at(where) if where else err


# -- principals and memberships ------------------------------------------------------------------


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
        >>> sp = Principal.from_graph({
        ...     "@odata.type": "#microsoft.graph.servicePrincipal", "id": "5C3E...",
        ...     "appId": "app-1", "servicePrincipalType": "ManagedIdentity",
        ...     "displayName": "image-builder",
        ... })
        >>> sp.type is PrincipalType.SERVICE_PRINCIPAL, sp.is_managed_identity, sp.label
        (True, True, 'image-builder')
    """

    id: str = attrs.field(converter=_principal_id)
    type: PrincipalType = attrs.field(default=PrincipalType.USER, converter=_ptype)
    display_name: str | None = attrs.field(default=None, validator=_optional_text)
    tenant_id: str | None = attrs.field(default=None, validator=_optional_text)
    app_id: str | None = attrs.field(default=None, validator=_optional_text)
    service_principal_type: str | None = attrs.field(default=None, validator=_optional_text)
    user_type: str | None = attrs.field(default=None, validator=_optional_text)
    home_id: str | None = attrs.field(default=None, validator=_optional_text)

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
        odata = (_text(record, "@odata.type") or "").lower()
        kind = _GRAPH_TYPES.get(odata)
        if kind is None:
            key = "principalType" if record.get("principalType") else "type"
            kind = _field(key, _ptype, record.get(key) or PrincipalType.USER)
        return cls(
            id=record.get("id") or record.get("objectId") or record.get("principalId"),
            type=kind,
            display_name=_text(record, "displayName") or _text(record, "userPrincipalName"),
            tenant_id=_text(record, "tenantId"),
            app_id=_text(record, "appId"),
            service_principal_type=_text(record, "servicePrincipalType"),
            user_type=_text(record, "userType"),
            home_id=_text(record, "homeId"),
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

    group_id: str = attrs.field(converter=_group_id)
    member_id: str = attrs.field(converter=_member_id)
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
        return _in_window(self.start, self.end, at)

    @classmethod
    def from_edge(cls, record: Mapping[str, Any]) -> Membership:
        """Read an edge record ``{"groupId", "memberId"}`` (optional ``memberType``, ``kind``,
        ``start``/``end`` or ``startDateTime``/``endDateTime``), or a PIM for Groups eligibility
        instance (``groupId``, ``principalId``, an ``@odata.type`` naming an eligibility
        schedule).

        Example:
            >>> Membership.from_edge({"groupId": "G", "memberId": "u", "kind": "eligible"}).kind
            <AssignmentKind.ELIGIBLE: 'eligible'>
        """
        odata = (_text(record, "@odata.type") or "").lower()
        kind = record.get("kind") or (
            AssignmentKind.ELIGIBLE if "eligibility" in odata else AssignmentKind.ACTIVE
        )
        member = "memberId" if record.get("memberId") is not None else "principalId"
        start = "start" if record.get("start") is not None else "startDateTime"
        end = "end" if record.get("end") is not None else "endDateTime"
        try:
            return cls(
                group_id=record.get("groupId"),
                member_id=record.get(member),
                kind=_field("kind", _kind, kind),
                start=_field(start, optional_datetime, record.get(start)),
                end=_field(end, optional_datetime, record.get(end)),
                member_type=_field("memberType", _optional_type, record.get("memberType")),
            )
        except InvalidAccessRecordError as err:  # name the ids by their keys in the record
            key = {"group_id": "groupId", "member_id": member}.get(err.field or "")
            if key is None:
                raise
            raise InvalidAccessRecordError(err.reason, field=key, value=err.value) from None


# -- role definitions ------------------------------------------------------------------------------


@final
@attrs.frozen
class Permission:
    """One ``permissions[]`` block of a role definition (or of a deny assignment).

    Args:
        actions: Control-plane patterns granted.
        not_actions: Control-plane patterns subtracted from ``actions`` in this block.
        data_actions: Data-plane patterns granted.
        not_data_actions: Data-plane patterns subtracted from ``data_actions``.
        condition: An opaque ABAC condition carried by the block (kept, not evaluated).
        condition_version: The condition's version.

    Example:
        >>> block = Permission(actions=("*",), not_actions=("*/read",))
        >>> block.match("Microsoft.Compute/galleries/write")
        '*'
        >>> block.match("Microsoft.Compute/galleries/read") is None
        True
    """

    actions: tuple[str, ...] = attrs.field(default=(), converter=_patterns)
    not_actions: tuple[str, ...] = attrs.field(default=(), converter=_patterns)
    data_actions: tuple[str, ...] = attrs.field(default=(), converter=_patterns)
    not_data_actions: tuple[str, ...] = attrs.field(default=(), converter=_patterns)
    condition: str | None = attrs.field(default=None, validator=_optional_text)
    condition_version: str | None = attrs.field(default=None, validator=_optional_text)

    def _planes(self, data: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if data:
            return self.data_actions, self.not_data_actions
        return self.actions, self.not_actions

    def match(self, action: str, *, data: bool = False) -> str | None:
        """The pattern of this block that grants ``action``; ``None`` if unlisted or subtracted.

        Args:
            action: The action.
            data: Match against the data-plane lists instead of the control-plane ones.
        """
        granted, removed = self._planes(data)
        hit = next((p for p in granted if action_matches(p, action)), None)
        if hit is None or any(action_matches(p, action) for p in removed):
            return None
        return hit

    def subtracted_by(self, action: str, *, data: bool = False) -> str | None:
        """The NotActions pattern that removes ``action`` from this block's grant, if any."""
        granted, removed = self._planes(data)
        if not any(action_matches(p, action) for p in granted):
            return None
        return next((p for p in removed if action_matches(p, action)), None)

    @classmethod
    def from_arm(cls, record: Mapping[str, Any]) -> Permission:
        """Read a ``permissions[]`` block as ``az`` and the REST API print it.

        Example:
            >>> Permission.from_arm({"actions": ["*/read"], "notActions": []}).actions
            ('*/read',)
        """
        return cls(
            actions=_action_patterns(record, "actions"),
            not_actions=_action_patterns(record, "notActions"),
            data_actions=_action_patterns(record, "dataActions"),
            not_data_actions=_action_patterns(record, "notDataActions"),
            condition=record.get("condition"),  # checked by its validator
            condition_version=_text(record, "conditionVersion"),
        )


def _first_match(blocks: tuple[Permission, ...], action: str, data: bool) -> str | None:
    """The pattern of the first block that grants ``action``, or ``None``."""
    for block in blocks:
        hit = block.match(action, data=data)
        if hit is not None:
            return hit
    return None


def _action_patterns(record: Mapping[str, Any], key: str) -> tuple[str, ...]:
    return tuple(validate_action(p, field=f"{key}[{i}]") for i, p in enumerate(_items(record, key)))


def _permission_blocks(record: Mapping[str, Any], *, required: bool) -> list[Permission]:
    """The ``permissions`` blocks of a role definition or deny assignment."""
    blocks = []
    for i, block in enumerate(_items(record, "permissions", required=required)):
        where = f"permissions[{i}]"
        if not isinstance(block, Mapping):
            raise InvalidAccessRecordError(
                "expected a permission block (a JSON object)", field=where, value=block
            )
        try:
            blocks.append(Permission.from_arm(block))
        except InvalidFieldError as err:
            raise err.at(where) from None
    return blocks


@final
@attrs.frozen
class RoleDefinition:
    """A role definition: a named set of permission blocks.

    Args:
        id: The role definition GUID (any id form is accepted and reduced to the GUID).
        name: The role name (``roleName``), such as ``Reader``.
        permissions: The permission blocks.
        role_type: ``BuiltInRole`` or ``CustomRole``.
        description: The description.
        assignable_scopes: Where the role may be assigned. Evaluation ignores it: access is
            decided by role assignments; see :meth:`problems` for validation.

    Example:
        >>> role = RoleDefinition(
        ...     id="11111111-0000-0000-0000-000000000001",
        ...     name="Gallery version reader",
        ...     permissions=[Permission(actions=["Microsoft.Compute/galleries/*/versions/read"])],
        ... )
        >>> role.grants("MICROSOFT.COMPUTE/galleries/images/versions/READ")
        'Microsoft.Compute/galleries/*/versions/read'
    """

    id: str = attrs.field(converter=_guid)
    name: str = attrs.field(validator=_text_value)
    permissions: tuple[Permission, ...] = attrs.field(converter=_blocks)
    role_type: str = attrs.field(default="CustomRole", validator=_text_value)
    description: str | None = attrs.field(default=None, validator=_optional_text)
    assignable_scopes: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @property
    def is_builtin(self) -> bool:
        """Whether this is a built-in role."""
        return self.role_type.lower() == "builtinrole"

    def grants(self, action: str, *, data: bool = False) -> str | None:
        """The pattern that grants ``action`` (first block that grants it), or ``None``.

        Args:
            action: The action string.
            data: Whether ``action`` is a data action (``Actions: *`` never grants data actions).
        """
        return _first_match(self.permissions, action, data)

    def subtracted_by(self, action: str, *, data: bool = False) -> str | None:
        """When no block grants ``action``, the NotActions pattern that removed it (if one did)."""
        if self.grants(action, data=data) is not None:
            return None
        for block in self.permissions:
            hit = block.subtracted_by(action, data=data)
            if hit is not None:
                return hit
        return None

    def problems(self) -> tuple[str, ...]:
        """What Azure would reject in this definition as a custom role (empty for built-ins).

        Checks the documented custom-role limits: no ``/`` and no wildcard in assignable scopes,
        at most one management group, at most 2,000 scopes, no data actions at management-group
        scope, and (per the newer documentation) at most one ``*`` per action string.

        Example:
            >>> role = RoleDefinition(
            ...     id="x", name="x", assignable_scopes=["/"],
            ...     permissions=[Permission(actions=["Microsoft.Compute/*/images/*"])],
            ... )
            >>> for problem in role.problems():
            ...     print(problem)
            assignable scope '/' is reserved for built-in roles
            action 'Microsoft.Compute/*/images/*' has more than one '*'
        """
        if self.is_builtin:
            return ()
        found: list[str] = []
        scopes = self.assignable_scopes
        for scope in scopes:
            if scope.strip() == "/":
                found.append("assignable scope '/' is reserved for built-in roles")
            elif "*" in scope:
                found.append(f"assignable scope {scope!r} has a wildcard")
        groups = [s for s in scopes if "/managementgroups/" in s.lower()]
        if len(groups) > 1:
            found.append("at most one management group may be an assignable scope")
        if len(scopes) > 2000:
            found.append("more than 2,000 assignable scopes")
        if groups and any(b.data_actions for b in self.permissions):
            found.append("a role with data actions cannot be assignable at management-group scope")
        for block in self.permissions:
            for pattern in (*block.actions, *block.not_actions, *block.data_actions):
                if pattern.count("*") > 1:
                    found.append(f"action {pattern!r} has more than one '*'")
        return tuple(found)

    @classmethod
    def from_arm(cls, record: Mapping[str, Any]) -> RoleDefinition:
        """Read one role definition as ``az role definition list`` or the REST API prints it.

        Both the flat CLI shape and the REST shape (fields under ``properties``) are accepted.

        Example:
            >>> RoleDefinition.from_arm({
            ...     "name": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "roleName": "Reader",
            ...     "permissions": [{"actions": ["*/read"]}], "roleType": "BuiltInRole",
            ... }).name
            'Reader'
        """
        body, where = _body(record)
        guid = record.get("name") or record.get("id")
        if type(guid) is not str:
            raise InvalidAccessRecordError(
                "a role definition needs a name (its GUID)", field="name", value=guid
            )
        try:
            name = body.get("roleName")
            if type(name) is not str or not name:
                raise InvalidAccessRecordError(
                    "a role definition needs a roleName", field="roleName", value=name
                )
            return cls(
                id=guid,
                name=name,
                permissions=_permission_blocks(body, required=True),
                role_type=_text(body, "roleType") or _text(body, "type") or "CustomRole",
                description=body.get("description"),  # checked by its validator
                assignable_scopes=_texts(body, "assignableScopes"),
            )
        except InvalidFieldError as err:
            raise _inside(where, err) from None
        name = body.get("roleName")
        if type(name) is not str or not name:
            raise InvalidAccessRecordError("a role definition needs a roleName", field="roleName")
        return cls(
            id=guid,
            name=name,
            permissions=_permission_blocks(body.get("permissions")),
            role_type=body.get("roleType") or body.get("type") or "CustomRole",
            description=body.get("description"),
            assignable_scopes=body.get("assignableScopes") or (),
        )


def _load_builtin_roles() -> tuple[RoleDefinition, ...]:
    text = resources.files("imagegallery.access").joinpath("_data/builtin_roles.json").read_text()
    return tuple(RoleDefinition.from_arm(r) for r in json.loads(text)["value"])


_BUILTIN_ROLES: Final = _load_builtin_roles()
"""Read once, when the module is imported: the shipped data file is a constant."""


def builtin_roles() -> tuple[RoleDefinition, ...]:
    """The built-in roles relevant to galleries, with their exact action lists.

    Owner, Contributor, Reader, User Access Administrator, Role Based Access Control
    Administrator, Virtual Machine Contributor, Compute Gallery Sharing Admin, Compute Gallery
    Artifacts Publisher and Compute Gallery Image Reader, as published in the Azure built-in
    roles reference (versioned data file ``access/_data/builtin_roles.json``).

    Example:
        >>> [r.name for r in builtin_roles()][:3]
        ['Owner', 'Contributor', 'Reader']
    """
    return _BUILTIN_ROLES


def builtin_role(name_or_id: str) -> RoleDefinition:
    """A built-in role by name (any case) or GUID.

    Raises:
        ResourceNotFoundError: No such built-in role ships with the library.

    Example:
        >>> builtin_role("compute gallery image reader").id
        'cf7c76d2-98a3-4358-a134-615aa78bf44d'
    """
    key = str(name_or_id).lower()
    for role in _BUILTIN_ROLES:
        if key in (role.name.lower(), role.id):
            return role
    raise ResourceNotFoundError(name_or_id, where="the built-in roles")


# -- role assignments and deny assignments ---------------------------------------------------------


@final
@attrs.frozen
class RoleAssignment:
    """A role granted to a principal at a scope.

    Args:
        scope: Where the role applies (and everything under it).
        principal_id: The user, group or service principal that holds the role.
        role_definition_id: The role (any id form; reduced to its GUID).
        id: The assignment id, if known.
        principal_type: ``User``, ``Group``, ``ServicePrincipal``, ... (``Unknown`` for a
            deleted principal).
        kind: ``active`` or ``eligible`` (PIM; grants nothing until activated).
        start: When the assignment starts (``None``: always was).
        end: When it ends, exclusive (``None``: permanent).
        condition: An opaque ABAC condition; a conditional grant is reported as such.
        condition_version: The condition's version.
        description: Free text.

    Example:
        >>> uaa = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
        >>> ra = RoleAssignment(scope="/", principal_id="root-admin", role_definition_id=uaa)
        >>> ra.scope.kind.name
        'ROOT'
    """

    scope: ResourceId = attrs.field(converter=_scope)
    principal_id: str = attrs.field(converter=_principal)
    role_definition_id: str = attrs.field(converter=_role_guid)
    id: str | None = attrs.field(default=None, validator=_optional_text)
    principal_type: PrincipalType | None = attrs.field(default=None, converter=_optional_type)
    kind: AssignmentKind = attrs.field(default=AssignmentKind.ACTIVE, converter=_kind)
    start: datetime | None = attrs.field(default=None, converter=optional_datetime)
    end: datetime | None = attrs.field(
        default=None, converter=optional_datetime, validator=_check_window
    )
    condition: str | None = attrs.field(default=None, validator=_optional_text)
    condition_version: str | None = attrs.field(default=None, validator=_optional_text)
    description: str | None = attrs.field(default=None, validator=_optional_text)

    @property
    def principal_key(self) -> str:
        """The principal id in lower case."""
        return self.principal_id.lower()

    @property
    def label(self) -> str:
        """A short name for explanations: the last segment of the id, or a synthesized one."""
        if self.id:
            return self.id.rstrip("/").rsplit("/", 1)[-1]
        return f"{self.principal_id}:{self.role_definition_id[:8]}@{self.scope}"

    def active_at(self, at: datetime) -> bool:
        """Whether ``at`` falls in the ``[start, end)`` window (the kind is not considered)."""
        return _in_window(self.start, self.end, at)

    @classmethod
    def from_arm(cls, record: Mapping[str, Any]) -> RoleAssignment:
        """Read a role assignment as ``az role assignment list`` or the REST API prints it.

        Also reads PIM schedule instances (``roleAssignmentScheduleInstances`` are active,
        ``roleEligibilitySchedule[Instance]s`` are eligible) with their ``startDateTime`` and
        ``endDateTime``. An explicit ``kind`` of ``active``/``eligible`` wins.

        Example:
            >>> ra = RoleAssignment.from_arm({
            ...     "type": "Microsoft.Authorization/roleEligibilityScheduleInstances",
            ...     "properties": {"scope": "/subscriptions/s1", "principalId": "jack",
            ...                    "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            ...                    "endDateTime": "2030-01-01T00:00:00Z"}})
            >>> ra.kind.value, ra.end.year
            ('eligible', 2030)
        """
        return _read_assignment(cls, record, None)


def _read_assignment(
    cls: type[RoleAssignment],
    record: Mapping[str, Any],
    scopes: dict[str, ResourceId] | None,
) -> RoleAssignment:
    """:meth:`RoleAssignment.from_arm`; with ``scopes`` (one load's table of scope text → parsed
    id), assignments whose scope is spelled the same share one :class:`ResourceId` (equal text
    parses to an equal, immutable id: sharing it changes no result)."""
    body, where = _body(record)
    rtype = (_text(record, "type") or "").lower()
    ident = _text(record, "id") or _text(record, "name")
    kind = _text(record, "kind")
    scope = body.get("scope")
    if scope is None and ident is not None and ident.startswith("/"):
        scope = extension_scope(ident)
    try:
        kind = kind or _text(body, "kind")
        if kind is None:
            eligible = any(t in rtype for t in _ELIGIBLE_TYPES)
            kind = AssignmentKind.ELIGIBLE if eligible else AssignmentKind.ACTIVE
        definition = "roleDefinitionId" if body.get("roleDefinitionId") else "roleDefinitionName"
        if scopes is not None and type(scope) is str:
            scope = parse_once(scopes, scope, parse_scope)
        return cls(
            scope=scope,
            principal_id=body.get("principalId"),
            role_definition_id=body.get(definition),
            id=ident,
            principal_type=_field("principalType", _optional_type, body.get("principalType")),
            kind=_field("kind", _kind, kind),
            start=_field("startDateTime", optional_datetime, body.get("startDateTime")),
            end=_field("endDateTime", optional_datetime, body.get("endDateTime")),
            condition=body.get("condition"),  # checked by its validator
            condition_version=_text(body, "conditionVersion"),
            description=body.get("description"),  # checked by its validator
        )
    except InvalidFieldError as err:
        if err.field == "roleDefinitionId" and definition != err.field:
            err = InvalidAccessRecordError(err.reason, field=definition, value=err.value)
        raise _inside(where, err) from None


def _no_everyone(_inst: object, _attribute: object, value: tuple[str, ...]) -> None:
    if any(p.lower() == ALL_PRINCIPALS for p in value):
        raise InvalidAccessRecordError(
            "All Principals may appear only in principals, never in excludePrincipals",
            field="exclude_principals",
            value=ALL_PRINCIPALS,
        )


@final
@attrs.frozen
class DenyAssignment:
    """Actions blocked for some principals at a scope; deny assignments win over grants.

    Args:
        id: The deny assignment id.
        scope: Where it applies (and below, unless ``do_not_apply_to_child_scopes``).
        permissions: The denied actions (``actions`` minus ``not_actions``, and data variants).
        principals: Whom it targets; :data:`ALL_PRINCIPALS` means everyone.
        exclude_principals: Whom it spares (matched through transitive groups too).
        do_not_apply_to_child_scopes: Apply at ``scope`` only.
        name: The display name (``denyAssignmentName``).
        description: Free text.
        is_system_protected: Created by Azure (managed apps, Blueprints, deployment stacks).
        effect: ``denyAssignmentEffect`` (API 2024-07-01-preview): ``enforced`` blocks,
            ``audit`` only logs. ``None`` means enforced.
        condition: An opaque condition (kept, not evaluated; a conditional deny is applied and
            flagged).
        condition_version: The condition's version.

    Example:
        >>> DenyAssignment(id="d", scope="/subscriptions/s1", effect="Audit").enforced
        False
    """

    id: str = attrs.field(validator=_text_value)
    scope: ResourceId = attrs.field(converter=_scope)
    permissions: tuple[Permission, ...] = attrs.field(default=(), converter=_blocks)
    principals: tuple[str, ...] = attrs.field(default=(), converter=_principal_list)
    exclude_principals: tuple[str, ...] = attrs.field(
        default=(), converter=_principal_list, validator=_no_everyone
    )
    do_not_apply_to_child_scopes: bool = attrs.field(default=False, validator=_boolean)
    name: str | None = attrs.field(default=None, validator=_optional_text)
    description: str | None = attrs.field(default=None, validator=_optional_text)
    is_system_protected: bool = attrs.field(default=False, validator=_boolean)
    effect: str | None = attrs.field(default=None, validator=_optional_text)
    condition: str | None = attrs.field(default=None, validator=_optional_text)
    condition_version: str | None = attrs.field(default=None, validator=_optional_text)

    @property
    def targets_everyone(self) -> bool:
        """Whether :data:`ALL_PRINCIPALS` is among the principals."""
        return any(p.lower() == ALL_PRINCIPALS for p in self.principals)

    @property
    def enforced(self) -> bool:
        """Whether it blocks (``effect`` is not ``audit``)."""
        return (self.effect or "enforced").lower() != "audit"

    @property
    def label(self) -> str:
        """The display name, or the last segment of the id."""
        return self.name or self.id.rstrip("/").rsplit("/", 1)[-1]

    def match(self, action: str, *, data: bool = False) -> str | None:
        """The pattern that makes this deny cover ``action``, or ``None``."""
        return _first_match(self.permissions, action, data)

    @classmethod
    def from_arm(cls, record: Mapping[str, Any]) -> DenyAssignment:
        """Read a deny assignment in the REST shape (fields under ``properties``) or flat.

        Example:
            >>> d = DenyAssignment.from_arm({
            ...     "id": "/subscriptions/s1/providers/Microsoft.Authorization/denyAssignments/d1",
            ...     "properties": {
            ...         "denyAssignmentName": "protect", "scope": "subscriptions/s1",
            ...         "permissions": [{"actions": ["*/delete"]}],
            ...         "principals": [{"id": "00000000-0000-0000-0000-000000000000",
            ...                         "type": "SystemDefined"}],
            ...         "excludePrincipals": [{"id": "ops", "type": "Group"}],
            ...     }})
            >>> d.label, str(d.scope), d.exclude_principals
            ('protect', '/subscriptions/s1', ('ops',))
        """
        body, where = _body(record)
        ident = _text(record, "id") or _text(record, "name") or ""
        scope = body.get("scope")
        if scope is None and ident.startswith("/"):
            scope = extension_scope(ident)
        try:
            return cls(
                id=ident,
                scope=scope,
                permissions=_permission_blocks(body, required=False),
                principals=[
                    _ref(p, f"principals[{i}]") for i, p in enumerate(_items(body, "principals"))
                ],
                exclude_principals=[
                    _ref(p, f"excludePrincipals[{i}]", excluded=True)
                    for i, p in enumerate(_items(body, "excludePrincipals"))
                ],
                do_not_apply_to_child_scopes=_flag(body, "doNotApplyToChildScopes"),
                name=_text(body, "denyAssignmentName"),
                description=body.get("description"),  # checked by its validator
                is_system_protected=_flag(body, "isSystemProtected"),
                effect=_text(body, "denyAssignmentEffect"),
                condition=body.get("condition"),  # checked by its validator
                condition_version=_text(body, "conditionVersion"),
            )
        except InvalidFieldError as err:
            raise _inside(where, err) from None


def _ref(value: object, field: str, *, excluded: bool = False) -> str:
    if isinstance(value, Mapping):
        field, value = f"{field}.id", value.get("id")
    if type(value) is not str or not value:
        raise InvalidAccessRecordError("expected a principal {id, type}", field=field, value=value)
    if excluded and value.lower() == ALL_PRINCIPALS:
        raise InvalidAccessRecordError(
            "All Principals may appear only in principals, never in excludePrincipals",
            field=field,
            value=value,
        )
    return value

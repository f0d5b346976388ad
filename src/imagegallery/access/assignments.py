"""Role assignments and deny assignments, reified with their scope, kind, window and condition.

A role assignment grants a role to a principal at a scope, from the root ``/`` and management
groups down to a single image version; it reaches the scope and everything under it. PIM adds
*eligible* assignments (nothing until activated) and ``[start, end)`` windows. A deny assignment
blocks actions for its principals (or for everyone, except its excluded principals) at its scope,
and below unless ``do_not_apply_to_child_scopes`` is set.

Example:
    >>> from imagegallery.access import DenyAssignment, Permission, RoleAssignment
    >>> reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    >>> ra = RoleAssignment(
    ...     scope="/subscriptions/s1/resourceGroups/rg-images",
    ...     principal_id="alice",
    ...     role_definition_id=f"/providers/Microsoft.Authorization/roleDefinitions/{reader}",
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

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Final, final

import attrs

from imagegallery.access.principals import (
    ALL_PRINCIPALS,
    AssignmentKind,
    PrincipalType,
    principal_key,
)
from imagegallery.access.roles import Permission, role_definition_guid
from imagegallery.errors import InvalidAccessRecordError, InvalidResourceIdError
from imagegallery.ids import ResourceId
from imagegallery.timestamps import optional_datetime

__all__ = ["DenyAssignment", "RoleAssignment", "extension_scope", "parse_scope"]

_AUTH_PROVIDER: Final = "/providers/microsoft.authorization/"
_ELIGIBLE_TYPES: Final = ("roleeligibilityschedule", "roleeligibilityscheduleinstance")


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


def _principal(value: object) -> str:
    principal_key(value)
    assert isinstance(value, str)
    return value


def _kind(value: AssignmentKind | str) -> AssignmentKind:
    return AssignmentKind.coerce(value)


def _optional_type(value: PrincipalType | str | None) -> PrincipalType | None:
    return None if value is None else PrincipalType.coerce(value)


def _check_window(inst: Any, _attribute: object, end: datetime | None) -> None:
    start = inst.start
    if start is not None and end is not None and end <= start:
        raise InvalidAccessRecordError(
            "the assignment ends before it starts", field="end", value=end.isoformat()
        )


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
    id: str | None = None
    principal_type: PrincipalType | None = attrs.field(default=None, converter=_optional_type)
    kind: AssignmentKind = attrs.field(default=AssignmentKind.ACTIVE, converter=_kind)
    start: datetime | None = attrs.field(default=None, converter=optional_datetime)
    end: datetime | None = attrs.field(
        default=None, converter=optional_datetime, validator=_check_window
    )
    condition: str | None = None
    condition_version: str | None = None
    description: str | None = None

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
        return (self.start is None or self.start <= at) and (self.end is None or at < self.end)

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
        body: Mapping[str, Any] = record.get("properties") or record
        rtype = str(record.get("type") or "").lower()
        kind = record.get("kind") or body.get("kind")
        if kind is None:
            eligible = any(t in rtype for t in _ELIGIBLE_TYPES)
            kind = AssignmentKind.ELIGIBLE if eligible else AssignmentKind.ACTIVE
        scope = body.get("scope")
        rid = record.get("id")
        if scope is None and isinstance(rid, str):
            scope = extension_scope(rid)
        return cls(
            scope=scope,
            principal_id=body.get("principalId"),
            role_definition_id=body.get("roleDefinitionId") or body.get("roleDefinitionName"),
            id=rid if isinstance(rid, str) else record.get("name"),
            principal_type=body.get("principalType"),
            kind=kind,
            start=body.get("startDateTime"),
            end=body.get("endDateTime"),
            condition=body.get("condition"),
            condition_version=body.get("conditionVersion"),
            description=body.get("description"),
        )


def _principal_list(value: Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        raise InvalidAccessRecordError("expected a list of principal ids", value=value)
    return tuple(_principal(p) for p in value)


def _no_everyone(_inst: object, _attribute: object, value: tuple[str, ...]) -> None:
    if any(p.lower() == ALL_PRINCIPALS for p in value):
        raise InvalidAccessRecordError(
            "All Principals may appear only in principals, never in excludePrincipals",
            field="exclude_principals",
            value=ALL_PRINCIPALS,
        )


def _blocks(value: Iterable[Permission]) -> tuple[Permission, ...]:
    out = tuple(value)
    for block in out:
        if not isinstance(block, Permission):
            raise InvalidAccessRecordError(
                "expected Permission blocks", field="permissions", value=block
            )
    return out


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

    id: str
    scope: ResourceId = attrs.field(converter=_scope)
    permissions: tuple[Permission, ...] = attrs.field(default=(), converter=_blocks)
    principals: tuple[str, ...] = attrs.field(default=(), converter=_principal_list)
    exclude_principals: tuple[str, ...] = attrs.field(
        default=(), converter=_principal_list, validator=_no_everyone
    )
    do_not_apply_to_child_scopes: bool = False
    name: str | None = None
    description: str | None = None
    is_system_protected: bool = False
    effect: str | None = None
    condition: str | None = None
    condition_version: str | None = None

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
        for block in self.permissions:
            hit = block.match(action, data=data)
            if hit is not None:
                return hit
        return None

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
        body: Mapping[str, Any] = record.get("properties") or record
        rid = record.get("id") or record.get("name")
        scope = body.get("scope")
        if scope is None and isinstance(rid, str):
            scope = extension_scope(rid)
        blocks = body.get("permissions") or []
        if not isinstance(blocks, list):
            raise InvalidAccessRecordError(
                "expected a list of permission blocks", field="permissions", value=blocks
            )
        return cls(
            id=rid if isinstance(rid, str) else "",
            scope=scope,
            permissions=[Permission.from_arm(b) for b in blocks],
            principals=[_ref(p, "principals") for p in body.get("principals") or ()],
            exclude_principals=[
                _ref(p, "excludePrincipals") for p in body.get("excludePrincipals") or ()
            ],
            do_not_apply_to_child_scopes=bool(body.get("doNotApplyToChildScopes", False)),
            name=body.get("denyAssignmentName"),
            description=body.get("description"),
            is_system_protected=bool(body.get("isSystemProtected", False)),
            effect=body.get("denyAssignmentEffect"),
            condition=body.get("condition"),
            condition_version=body.get("conditionVersion"),
        )


def _ref(value: object, field: str) -> str:
    if isinstance(value, Mapping):
        value = value.get("id")
    if type(value) is not str or not value:
        raise InvalidAccessRecordError("expected a principal {id, type}", field=field, value=value)
    return value

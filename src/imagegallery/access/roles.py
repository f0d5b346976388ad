"""Role definitions: permission blocks, NotActions that subtract, and the built-in gallery roles.

Effective permissions of one block are ``Actions - NotActions`` (control plane) and
``DataActions - NotDataActions`` (data plane); a role grants an action when any of its blocks
does. NotActions never deny: another role, or another block, may grant the same action.

Example:
    >>> from imagegallery.access import builtin_role
    >>> contributor = builtin_role("Contributor")
    >>> contributor.grants("Microsoft.Compute/galleries/images/versions/write")
    '*'
    >>> contributor.grants("Microsoft.Compute/galleries/share/action") is None
    True
    >>> contributor.subtracted_by("Microsoft.Compute/galleries/share/action")
    'Microsoft.Compute/galleries/share/action'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any, Final, final

import attrs

from imagegallery.access.actions import action_matches, validate_action
from imagegallery.errors import InvalidAccessRecordError, ResourceNotFoundError

__all__ = [
    "BUILTIN_ROLE_IDS",
    "Permission",
    "RoleDefinition",
    "builtin_role",
    "builtin_roles",
    "role_definition_guid",
]

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


def _patterns(value: Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        raise InvalidAccessRecordError("expected a list of action patterns", value=value)
    return tuple(validate_action(p, field="actions") for p in value)


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
    condition: str | None = None
    condition_version: str | None = None

    def match(self, action: str, *, data: bool = False) -> str | None:
        """The pattern of this block that grants ``action``; ``None`` if unlisted or subtracted.

        Args:
            action: The action.
            data: Match against the data-plane lists instead of the control-plane ones.
        """
        granted, removed = (
            (self.data_actions, self.not_data_actions) if data else (self.actions, self.not_actions)
        )
        hit = next((p for p in granted if action_matches(p, action)), None)
        if hit is None or any(action_matches(p, action) for p in removed):
            return None
        return hit

    def subtracted_by(self, action: str, *, data: bool = False) -> str | None:
        """The NotActions pattern that removes ``action`` from this block's grant, if any."""
        granted, removed = (
            (self.data_actions, self.not_data_actions) if data else (self.actions, self.not_actions)
        )
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
            actions=record.get("actions"),
            not_actions=record.get("notActions"),
            data_actions=record.get("dataActions"),
            not_data_actions=record.get("notDataActions"),
            condition=record.get("condition"),
            condition_version=record.get("conditionVersion"),
        )


def _permissions(value: Iterable[Permission]) -> tuple[Permission, ...]:
    out = tuple(value)
    for block in out:
        if not isinstance(block, Permission):
            raise InvalidAccessRecordError(
                "expected Permission blocks", field="permissions", value=block
            )
    return out


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _guid(value: str) -> str:
    return role_definition_guid(value, field="id")


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
    name: str
    permissions: tuple[Permission, ...] = attrs.field(converter=_permissions)
    role_type: str = "CustomRole"
    description: str | None = None
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
        for block in self.permissions:
            hit = block.match(action, data=data)
            if hit is not None:
                return hit
        return None

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
        body: Mapping[str, Any] = record.get("properties") or record
        guid = record.get("name") or record.get("id")
        if type(guid) is not str:
            raise InvalidAccessRecordError(
                "a role definition needs a name (its GUID)", field="name"
            )
        name = body.get("roleName")
        if type(name) is not str or not name:
            raise InvalidAccessRecordError("a role definition needs a roleName", field="roleName")
        blocks = body.get("permissions")
        if not isinstance(blocks, list):
            raise InvalidAccessRecordError(
                "expected a list of permission blocks", field="permissions", value=blocks
            )
        return cls(
            id=guid,
            name=name,
            permissions=[Permission.from_arm(b) for b in blocks],
            role_type=body.get("roleType") or body.get("type") or "CustomRole",
            description=body.get("description"),
            assignable_scopes=body.get("assignableScopes") or (),
        )


@cache
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
    text = resources.files("imagegallery.access").joinpath("_data/builtin_roles.json").read_text()
    return tuple(RoleDefinition.from_arm(r) for r in json.loads(text)["value"])


def builtin_role(name_or_id: str) -> RoleDefinition:
    """A built-in role by name (any case) or GUID.

    Raises:
        ResourceNotFoundError: No such built-in role ships with the library.

    Example:
        >>> builtin_role("compute gallery image reader").id
        'cf7c76d2-98a3-4358-a134-615aa78bf44d'
    """
    key = str(name_or_id).lower()
    for role in builtin_roles():
        if key in (role.name.lower(), role.id):
            return role
    raise ResourceNotFoundError(name_or_id, where="the built-in roles")

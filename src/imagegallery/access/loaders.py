"""Loaders for what Azure exports about access.

* ``az role definition list`` (or the REST list) → :class:`RoleDefinition`
* ``az role assignment list --all --include-inherited`` (or REST, or PIM schedule instances) →
  :class:`RoleAssignment`
* deny assignments in the REST shape → :class:`DenyAssignment`
* group membership as a JSON edge list ``{"groupId": ..., "memberId": ...}``, or Microsoft Graph
  ``/groups/{id}/members`` pages → :class:`Membership` (and the members as :class:`Principal`)
* directory objects (Graph users, groups, service principals) → :class:`Principal`
* management groups (``az account management-group entities list``, a ``--expand --recurse``
  tree, or a plain ``{child: parent}`` mapping) and subscriptions (``az account list``)

Each source is parsed JSON (lists, ``{"value": [...]}`` envelopes) or a path to a JSON file. A bad
record raises an error whose ``field`` names it, such as ``role_assignments[3].principalId``.

Example:
    >>> from imagegallery.access.loaders import load_memberships
    >>> memberships, members = load_memberships([
    ...     {"groupId": "G-eng", "memberId": "G-devs"},
    ...     {"groupId": "G-devs", "value": [
    ...         {"@odata.type": "#microsoft.graph.user", "id": "erin", "displayName": "Erin"}]},
    ... ])
    >>> [(m.member_id, m.group_id) for m in memberships], [p.label for p in members]
    ([('G-devs', 'G-eng'), ('erin', 'G-devs')], ['Erin'])
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, TypeVar

from imagegallery.access.graph import MAX_MANAGEMENT_GROUP_DEPTH
from imagegallery.access.records import (
    DenyAssignment,
    Membership,
    Principal,
    RoleAssignment,
    RoleDefinition,
    _read_assignment,
    principal_key,
)
from imagegallery.errors import (
    InvalidAccessRecordError,
    InvalidFieldError,
    InvalidResourceIdError,
    InvalidTypeError,
    MalformedJsonError,
)
from imagegallery.ids import ResourceId, ResourceKind

__all__ = [
    "load_deny_assignments",
    "load_directory",
    "load_management_groups",
    "load_memberships",
    "load_role_assignments",
    "load_role_definitions",
    "load_subscriptions",
    "read_source",
]

_T = TypeVar("_T")
MAX_NESTING: Final = 16
"""How deeply lists, ``{"value": [...]}`` envelopes and members pages may nest in one source
(records themselves sit one or two levels deep in what Azure tools print)."""
_KEY_SHOWN: Final = 60
_GUID: Final = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_MG_PREFIX: Final = "/providers/Microsoft.Management/managementGroups/"


def read_source(source: Any, name: str) -> Any:
    """Parsed JSON as is; a ``str`` or path-like is read as a JSON file.

    Raises:
        MalformedJsonError: The file is not JSON.
        InvalidAccessRecordError: The file cannot be read.

    Example:
        >>> read_source([{"a": 1}], "memberships")
        [{'a': 1}]
    """
    if not isinstance(source, str | os.PathLike):
        return source
    path = Path(source)
    try:
        if not path.is_file():
            raise InvalidAccessRecordError(
                "expected a path to a JSON file (a regular file)", field=name, value=str(path)
            )
        raw = path.read_bytes()
    except OSError as err:
        raise InvalidAccessRecordError(
            f"cannot read the file ({err.strerror})", field=name, value=str(path)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise MalformedJsonError(
            f"not UTF-8 text: byte {err.start} cannot be decoded", field=name, value=str(path)
        ) from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        raise MalformedJsonError(
            f"not JSON: {err.msg} at line {err.lineno}", field=name, value=str(path)
        ) from None
    except RecursionError:
        raise MalformedJsonError(
            "not readable JSON: nested too deeply", field=name, value=str(path)
        ) from None
    except ValueError as err:  # numbers beyond Python's integer digit limit, NaN, Infinity
        raise MalformedJsonError(f"not readable JSON: {err}", field=name, value=str(path)) from None


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _key(key: object) -> str:
    """A mapping key as it is shown in a field path (cut short)."""
    text = str(key) if isinstance(key, str | int) else type(key).__name__
    return text if len(text) <= _KEY_SHOWN else text[: _KEY_SHOWN - 3] + "..."


def _too_deep(path: str, value: object) -> InvalidAccessRecordError:
    return InvalidAccessRecordError(
        f"lists and pages nest more than {MAX_NESTING} levels deep", field=path, value=value
    )


def _records(data: Any, path: str, depth: int = 0) -> Iterator[tuple[str, Any]]:
    if depth > MAX_NESTING:
        raise _too_deep(path, data)
    if isinstance(data, list | tuple):
        for i, item in enumerate(data):
            yield from _records(item, f"{path}[{i}]", depth + 1)
    elif isinstance(data, Mapping) and isinstance(data.get("value"), list) and "id" not in data:
        yield from _records(data["value"], f"{path}.value", depth + 1)
    else:
        yield path, data


def _each(
    source: Any, name: str, cls: type[_T], build: Callable[[Mapping[str, Any]], _T]
) -> tuple[_T, ...]:
    out: list[_T] = []
    for path, record in _records(read_source(source, name), name):
        if isinstance(record, cls):
            out.append(record)
            continue
        out.append(_build(record, path, build))
    return tuple(out)


def _build(record: Any, path: str, build: Callable[[Mapping[str, Any]], _T]) -> _T:
    if not isinstance(record, Mapping):
        raise InvalidTypeError("expected a JSON object", field=path, value=record)
    try:
        return build(record)
    except InvalidFieldError as err:
        raise err.at(path) from None


def load_role_definitions(
    source: Any, *, name: str = "role_definitions"
) -> tuple[RoleDefinition, ...]:
    """Role definitions from ``az role definition list`` output (or the REST list).

    Raises:
        InvalidAccessRecordError: A record is unreadable, or two records share an id with
            different content.

    Example:
        >>> [r.name for r in load_role_definitions([{"name": "x1", "roleName": "Custom",
        ...     "permissions": [{"actions": ["Microsoft.Compute/*/read"]}]}])]
        ['Custom']
    """
    roles = _each(source, name, RoleDefinition, RoleDefinition.from_arm)
    seen: dict[str, RoleDefinition] = {}
    for i, role in enumerate(roles):
        if seen.setdefault(role.id, role) != role:
            raise InvalidAccessRecordError(
                "two different role definitions share an id", field=f"{name}[{i}]", value=role.id
            )
    return tuple(seen.values())


def load_role_assignments(
    source: Any, *, name: str = "role_assignments"
) -> tuple[RoleAssignment, ...]:
    """Role assignments from ``az role assignment list --all --include-inherited`` (flat), the
    REST API (``properties``), or PIM schedule instances (eligible or time-bound).

    Raises:
        InvalidAccessRecordError: A record is unreadable, or one id is listed twice with
            different content.

    Example:
        >>> auth = "providers/Microsoft.Authorization"
        >>> ra, = load_role_assignments([{
        ...     "principalId": "alice", "principalType": "User", "roleDefinitionName": "Reader",
        ...     "roleDefinitionId": f"/subscriptions/s1/{auth}/roleDefinitions/"
        ...                         "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        ...     "scope": "/subscriptions/s1/resourceGroups/rg-images",
        ...     "id": f"/subscriptions/s1/resourceGroups/rg-images/{auth}/roleAssignments/r1",
        ... }])
        >>> ra.label, ra.role_definition_id
        ('r1', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
    """
    scopes: dict[str, ResourceId] = {}  # this load's scopes: one id object per spelling
    assignments = _each(
        source,
        name,
        RoleAssignment,
        lambda record: _read_assignment(RoleAssignment, record, scopes),
    )
    seen: dict[str, RoleAssignment] = {}
    for i, ra in enumerate(assignments):
        if ra.id and seen.setdefault(ra.id.lower(), ra) != ra:
            raise InvalidAccessRecordError(
                "one role assignment id is listed twice with different content",
                field=f"{name}[{i}]",
                value=ra.id,
            )
    return tuple(dict.fromkeys(assignments))


def load_deny_assignments(
    source: Any, *, name: str = "deny_assignments"
) -> tuple[DenyAssignment, ...]:
    """Deny assignments in the REST shape (``GET .../denyAssignments``).

    Example:
        >>> load_deny_assignments({"value": []})
        ()
    """
    return tuple(dict.fromkeys(_each(source, name, DenyAssignment, DenyAssignment.from_arm)))


def load_directory(source: Any, *, name: str = "directory") -> tuple[Principal, ...]:
    """Principals from Microsoft Graph objects (``/users``, ``/groups``, ``/servicePrincipals``
    pages) or records with ``id``, ``principalType``, ``displayName``, ``tenantId``, ``appId``.

    Example:
        >>> [p.type.value for p in load_directory({"value": [
        ...     {"@odata.type": "#microsoft.graph.user", "id": "u1"},
        ...     {"id": "sp1", "principalType": "ServicePrincipal", "appId": "a1"}]})]
        ['User', 'ServicePrincipal']
    """
    return _each(source, name, Principal, Principal.from_graph)


def _group_id(value: object, field: str) -> str:
    principal_key(value, field=field)
    assert isinstance(value, str)
    return value


def _page_group(page: Mapping[str, Any]) -> str | None:
    """The group a Graph members page lists: its ``groupId``, or the group id in one of its
    links (``.../groups/{id}/members`` or ``.../transitiveMembers``)."""
    group = page.get("groupId")
    if isinstance(group, str):
        return group
    for key in ("@odata.nextLink", "@odata.id", "@odata.context"):
        link = page.get(key)
        if type(link) is not str:
            continue
        low = link.lower()
        at = low.find("/groups/")
        while at >= 0:
            start = at + len("/groups/")
            stop = low.find("/", start)
            if stop > start and low.startswith(("members", "transitivemembers"), stop + 1):
                found = link[start:stop]
                if "?" not in found and "#" not in found:
                    return found
            at = low.find("/groups/", start)
    return None


def load_memberships(
    source: Any, *, name: str = "memberships"
) -> tuple[tuple[Membership, ...], tuple[Principal, ...]]:
    """Group memberships, and the member objects that Graph pages describe.

    Accepts, in any mix: edge records ``{"groupId", "memberId"}`` (optional ``memberType``,
    ``kind`` of ``active``/``eligible``, ``start``/``end`` or ``startDateTime``/``endDateTime``);
    PIM for Groups eligibility instances (``groupId``, ``principalId``, an ``@odata.type``
    naming an eligibility schedule); Graph ``members`` pages (``{"value": [...]}`` with a
    ``groupId`` key, or an ``@odata.nextLink`` naming the group); and a mapping of group id to
    its page(s) or member list.

    Raises:
        InvalidAccessRecordError: A record is unreadable, or a page does not say its group.
    """
    data = read_source(source, name)
    memberships: list[Membership] = []
    members: list[Principal] = []

    def page(group: str, items: Any, path: str, depth: int) -> None:
        if depth > MAX_NESTING:
            raise _too_deep(path, items)
        if isinstance(items, Mapping):
            items = items.get("value", items.get("members"))
        if not isinstance(items, list | tuple):
            raise InvalidTypeError("expected a list of members", field=path, value=items)
        for i, item in enumerate(items):
            if isinstance(item, list | tuple) or (
                isinstance(item, Mapping) and ("value" in item or "members" in item)
            ):
                page(group, item, f"{path}[{i}]", depth + 1)
                continue
            member = _build(item, f"{path}[{i}]", Principal.from_graph)
            members.append(member)
            memberships.append(
                Membership(group_id=group, member_id=member.id, member_type=member.type)
            )

    def walk(item: Any, path: str, depth: int) -> None:
        if depth > MAX_NESTING:
            raise _too_deep(path, item)
        if isinstance(item, Membership):
            memberships.append(item)
        elif isinstance(item, list | tuple):
            for i, sub in enumerate(item):
                walk(sub, f"{path}[{i}]", depth + 1)
        elif not isinstance(item, Mapping):
            raise InvalidTypeError("expected a membership record or page", field=path, value=item)
        elif "memberId" in item or ("principalId" in item and "groupId" in item):
            memberships.append(_build(item, path, Membership.from_edge))
        elif "value" in item or "members" in item:
            group = _page_group(item)
            if group is None:
                raise InvalidAccessRecordError(
                    "a members page must say its group (a groupId key)", field=path
                )
            where = f"{path}.value" if "value" in item else f"{path}.members"
            page(_group_id(group, f"{path}.groupId"), item, where, depth + 1)
        else:
            for group, items in item.items():
                where = f"{path}.{_key(group)}"
                page(_group_id(group, where), items, where, depth + 1)

    walk(data, name, 0)
    return tuple(memberships), tuple(members)


def _management_group_id(value: str, *, field: str) -> ResourceId:
    """A management group id from its name or id."""
    rid = _scope_id(value if value.startswith("/") else _MG_PREFIX + value, field=field)
    if rid.kind is not ResourceKind.MANAGEMENT_GROUP:
        raise InvalidAccessRecordError("expected a management group", field=field, value=value)
    return rid


def _scope_id(value: object, *, field: str, subscriptions: Iterable[str] = ()) -> ResourceId:
    """A subscription or management group id from an id or a bare name.

    A bare name is a subscription when it is GUID-shaped or one of ``subscriptions``, else a
    management group name. Full ids are never ambiguous.
    """
    if type(value) is not str or not value:
        raise InvalidAccessRecordError("expected a scope id or name", field=field, value=value)
    text = value
    if not value.startswith("/"):
        known = {s.lower() for s in subscriptions}
        if _GUID.fullmatch(value) or value.lower() in known:
            text = f"/subscriptions/{value}"
        else:
            text = _MG_PREFIX + value
    try:
        return ResourceId.parse(text)
    except InvalidResourceIdError as err:
        raise InvalidAccessRecordError(err.reason, field=field, value=value) from None


def _object(record: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
    """An optional object field (absent or null: empty)."""
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidTypeError("expected a JSON object", field=f"{path}.{key}", value=value)
    return value


def _text_of(record: object, key: str) -> object:
    return record.get(key) if isinstance(record, Mapping) else None


def load_management_groups(
    source: Any, *, subscriptions: tuple[str, ...] = (), name: str = "management_groups"
) -> tuple[dict[ResourceId, ResourceId], dict[str, str]]:
    """The management-group tree: ``{child: parent}`` and any subscription tenants it names.

    Accepts a mapping ``{child: parent}`` (ids, or names: a GUID-shaped or known subscription
    name is a subscription, anything else a management group), a list of entity records
    (``az account management-group entities list``: ``id``, ``type``, ``properties.parent.id``,
    ``properties.tenantId``) or a ``--expand --recurse`` tree with ``children``.

    Raises:
        InvalidAccessRecordError: A record is unreadable, a parent is not a management group, or
            a child has two parents.

    Example:
        >>> parents, _ = load_management_groups({"S1": "mg-plat", "mg-plat": "mg-root"},
        ...                                     subscriptions=("S1",))
        >>> {k.name: v.name for k, v in parents.items()}
        {'S1': 'mg-plat', 'mg-plat': 'mg-root'}
    """
    data = read_source(source, name)
    parents: dict[ResourceId, ResourceId] = {}
    tenants: dict[str, str] = {}

    def link(child: object, parent: object, path: str) -> None:
        cid = _scope_id(child, field=path, subscriptions=subscriptions)
        if cid.kind not in (ResourceKind.SUBSCRIPTION, ResourceKind.MANAGEMENT_GROUP):
            raise InvalidAccessRecordError(
                "only subscriptions and management groups have a management-group parent",
                field=path,
                value=child,
            )
        if type(parent) is not str:
            raise InvalidAccessRecordError("expected a parent id", field=path, value=parent)
        pid = _management_group_id(parent, field=path)
        if parents.setdefault(cid, pid) != pid:
            raise InvalidAccessRecordError(
                "a subscription or management group has exactly one parent", field=path, value=child
            )

    def entity(record: Any, path: str, parent: str | None, depth: int) -> None:
        if depth > MAX_MANAGEMENT_GROUP_DEPTH:
            raise InvalidAccessRecordError(
                f"a management-group tree has at most {MAX_MANAGEMENT_GROUP_DEPTH} levels of"
                " management groups above its subscriptions",
                field=path,
                value=_text_of(record, "id"),
            )
        if not isinstance(record, Mapping):
            raise InvalidTypeError("expected an entity record", field=path, value=record)
        props = _object(record, "properties", path)
        details = _object(props, "details", f"{path}.properties")
        rid = record.get("id") or record.get("name")
        up = record.get("parentId") or props.get("parentId")
        for holder in (record.get("parent"), props.get("parent"), details.get("parent")):
            if isinstance(holder, Mapping) and holder.get("id"):
                up = holder["id"]
        up = up or parent
        if up:
            link(rid, up, path)
        tenant = record.get("tenantId") or props.get("tenantId")
        cid = _scope_id(rid, field=path, subscriptions=subscriptions)
        if tenant and cid.kind is ResourceKind.SUBSCRIPTION:
            if type(tenant) is not str:
                raise InvalidTypeError(
                    "expected a tenant id", field=f"{path}.tenantId", value=tenant
                )
            tenants[cid.name.lower()] = tenant.lower()
        children = record.get("children") or []
        if not isinstance(children, list | tuple):
            raise InvalidTypeError("expected a list", field=f"{path}.children", value=children)
        for i, child in enumerate(children):
            entity(child, f"{path}.children[{i}]", str(cid), depth + 1)

    if isinstance(data, Mapping) and "id" not in data and "value" not in data:
        for child, parent in data.items():
            link(child, parent, f"{name}.{_key(child)}")
    else:
        for path, record in _records(data, name):
            entity(record, path, None, 0)
    return parents, tenants


def load_subscriptions(source: Any, *, name: str = "subscriptions") -> dict[str, str]:
    """Subscription → tenant, from ``az account list`` records or a plain mapping.

    Example:
        >>> load_subscriptions([{"id": "S1", "tenantId": "T1", "name": "prod"}])
        {'s1': 't1'}
    """
    data = read_source(source, name)
    if isinstance(data, Mapping) and "id" not in data and "value" not in data:
        out: dict[str, str] = {}
        for sub, tenant in data.items():
            if type(sub) is not str or type(tenant) is not str:
                raise InvalidTypeError(
                    "expected subscription id → tenant id",
                    field=f"{name}.{_key(sub)}",
                    value=tenant,
                )
            out[sub.lower()] = tenant.lower()
        return out
    out = {}
    for path, record in _records(data, name):
        if not isinstance(record, Mapping):
            raise InvalidTypeError("expected a subscription record", field=path, value=record)
        sub = record.get("subscriptionId") or record.get("id")
        tenant = record.get("tenantId") or record.get("homeTenantId")
        if type(sub) is not str or type(tenant) is not str:
            raise InvalidAccessRecordError(
                "a subscription record needs id and tenantId", field=path, value=sub
            )
        out[sub.rstrip("/").rsplit("/", 1)[-1].lower()] = tenant.lower()
    return out

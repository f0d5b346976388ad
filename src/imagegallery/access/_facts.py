"""The facts an access model holds, how it is built, and how new models are derived from it.

:class:`~imagegallery.access.AccessModel` inherits all of this; see it for the questions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Final, Self

import networkx as nx

from imagegallery.access._effects import Conditions
from imagegallery.access._engine import Engine
from imagegallery.access._fullgraph import build_graph
from imagegallery.access._graph import ACTIVE, frozen_view
from imagegallery.access._indexes import Orphan
from imagegallery.access.assignments import DenyAssignment, RoleAssignment
from imagegallery.access.loaders import (
    load_deny_assignments,
    load_directory,
    load_management_groups,
    load_memberships,
    load_role_assignments,
    load_role_definitions,
    load_subscriptions,
)
from imagegallery.access.principals import Membership, Principal
from imagegallery.access.roles import RoleDefinition, builtin_roles
from imagegallery.errors import InvalidEnumValueError, InvalidTypeError
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.speed import paused_gc
from imagegallery.timestamps import parse_datetime

__all__ = ["ModelFacts", "as_conditions", "as_moment", "as_principal"]

_CONDITIONS: Final = ("unknown", "grant", "no-grant")


def as_principal(value: object) -> str:
    """A principal argument as an id string."""
    if isinstance(value, Principal):
        return value.id
    if type(value) is not str or not value:
        raise InvalidTypeError(
            "a principal is an object id string or a Principal", field="principal", value=value
        )
    return value


def as_moment(value: datetime | None) -> datetime:
    """An ``at`` argument: now (UTC) when omitted; a naive datetime is an error."""
    return datetime.now(UTC) if value is None else parse_datetime(value)


def as_conditions(value: str) -> Conditions:
    """A ``conditions`` argument, checked."""
    if value not in _CONDITIONS:
        raise InvalidEnumValueError(
            "conditions must be 'unknown', 'grant' or 'no-grant'", field="conditions", value=value
        )
    return value  # type: ignore[return-value]


class ModelFacts:
    """Role definitions, assignments, denies and memberships over an inventory (the base of
    :class:`~imagegallery.access.AccessModel`)."""

    __slots__ = ("_engine", "_full", "_parts")

    def __init__(
        self,
        inventory: Inventory,
        *,
        role_definitions: Iterable[RoleDefinition] | None = None,
        role_assignments: Iterable[RoleAssignment] = (),
        deny_assignments: Iterable[DenyAssignment] = (),
        memberships: Iterable[Membership] = (),
        principals: Iterable[Principal] = (),
        management_groups: Mapping[ResourceId, ResourceId] | None = None,
        tenants: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(inventory, Inventory):
            raise InvalidTypeError("expected an Inventory", field="inventory", value=inventory)
        parts: dict[str, Any] = {
            "inventory": inventory,
            "role_definitions": tuple(
                builtin_roles() if role_definitions is None else role_definitions
            ),
            "role_assignments": tuple(role_assignments),
            "deny_assignments": tuple(deny_assignments),
            "memberships": tuple(memberships),
            "principals": tuple(principals),
            "management_groups": dict(management_groups or {}),
            "tenants": dict(tenants or {}),
        }
        self._parts = parts
        with paused_gc():
            self._engine = Engine(
                inventory=inventory,
                roles=parts["role_definitions"],
                role_assignments=parts["role_assignments"],
                deny_assignments=parts["deny_assignments"],
                memberships=parts["memberships"],
                principals=parts["principals"],
                mg_parent=parts["management_groups"],
                tenants=parts["tenants"],
            )
        self._full: Any = None

    @classmethod
    def from_azure(
        cls,
        inventory: Inventory,
        *,
        role_definitions: Any = None,
        role_assignments: Any = (),
        deny_assignments: Any = (),
        memberships: Any = (),
        directory: Any = (),
        management_groups: Any = (),
        subscriptions: Any = (),
    ) -> Self:
        """Build a model from what Azure tools print, or from paths to such JSON files.

        Args:
            inventory: The galleries, definitions and versions.
            role_definitions: ``az role definition list`` output; ``None`` means the built-ins.
            role_assignments: ``az role assignment list --all --include-inherited`` output (or
                REST, or PIM schedule instances).
            deny_assignments: Deny assignments (REST shape).
            memberships: ``{"groupId", "memberId"}`` records or Graph ``members`` pages.
            directory: Graph users, groups and service principals.
            management_groups: ``{child: parent}`` or management-group entity records.
            subscriptions: ``az account list`` output or ``{subscription: tenant}``.

        Raises:
            InvalidAccessRecordError: A record is unreadable; the error names it.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import AccessModel
            >>> model = AccessModel.from_azure(sample_inventory(), memberships=[
            ...     {"groupId": "G-a", "memberId": "G-b"}, {"groupId": "G-b", "memberId": "G-a"},
            ...     {"groupId": "G-a", "memberId": "dave"}])
            >>> sorted(model.transitive_groups("dave"))
            ['G-a', 'G-b']
        """
        with paused_gc():
            edges, members = load_memberships(memberships)
            principals = (*load_directory(directory), *members)
            assignments = load_role_assignments(role_assignments)
        subscription_ids = tuple(inventory.subscriptions())
        tenants = load_subscriptions(subscriptions)
        subscription_ids += tuple(tenants)
        parents, mg_tenants = load_management_groups(
            management_groups, subscriptions=subscription_ids
        )
        roles = None if role_definitions is None else load_role_definitions(role_definitions)
        return cls(
            inventory,
            role_definitions=roles,
            role_assignments=assignments,
            deny_assignments=load_deny_assignments(deny_assignments),
            memberships=edges,
            principals=principals,
            management_groups=parents,
            tenants={**mg_tenants, **tenants},
        )

    # -- the facts -------------------------------------------------------------------------------

    @property
    def inventory(self) -> Inventory:
        """The inventory the model covers."""
        return self._engine.inventory

    @property
    def role_definitions(self) -> tuple[RoleDefinition, ...]:
        """The role definitions."""
        return tuple(self._parts["role_definitions"])

    @property
    def role_assignments(self) -> tuple[RoleAssignment, ...]:
        """Every role assignment given, orphans included."""
        return tuple(self._parts["role_assignments"])

    @property
    def deny_assignments(self) -> tuple[DenyAssignment, ...]:
        """Every deny assignment given."""
        return tuple(self._parts["deny_assignments"])

    @property
    def memberships(self) -> tuple[Membership, ...]:
        """Every membership given."""
        return tuple(self._parts["memberships"])

    @property
    def principals(self) -> Mapping[str, Principal]:
        """Known directory objects by id (looked up in any case; iterated as spelled)."""
        return _Principals(self._engine.principals)

    @property
    def membership_graph(self) -> nx.DiGraph[str]:
        """The membership graph (member → group, lower-case ids), read-only."""
        return frozen_view(self._engine.graph.graph)  # type: ignore[no-any-return]

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The whole model as one read-only ``networkx.MultiDiGraph`` (built on first use); see
        :mod:`imagegallery.access._fullgraph` for its node and edge vocabulary.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import AccessModel
            >>> g = AccessModel.from_azure(sample_inventory()).graph
            >>> sorted({rel for _, _, rel in g.edges(data="rel")})
            ['CONTAINS', 'PUBLIC', 'SHARED_WITH']
        """
        if self._full is None:
            self._full = build_graph(self._engine)
        return frozen_view(self._full)  # type: ignore[no-any-return]

    def orphans(self) -> tuple[Orphan, ...]:
        """Assignments that grant nothing: unknown principal, role definition or scope.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import sample_access_model
            >>> [o.reason for o in sample_access_model(sample_inventory()).orphans()]
            ['principal not found (principalType Unknown: deleted principal)']
        """
        return tuple(self._engine.orphans)

    def transitive_groups(
        self,
        principal: str | Principal,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
    ) -> frozenset[str]:
        """The groups ``principal`` belongs to, directly or through nested groups (cycle-safe).

        Args:
            principal: The principal.
            at: The moment (memberships have windows); defaults to now.
            include_eligible: Count eligible (PIM for Groups) memberships too.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> groups = model.transitive_groups(P["dave"])
            >>> sorted(model.principals[g].label for g in groups)
            ['App deployers', 'Contractors', 'Platform', 'Platform devs']
        """
        key = as_principal(principal).lower()
        closure = self._engine.closure(key, as_moment(at))
        return frozenset(
            self._engine.display.get(k, k)
            for k, how in closure.items()
            if k != key and (how == ACTIVE or include_eligible)
        )

    def with_role_assignments(self, *assignments: RoleAssignment) -> Self:
        """A new model with more role assignments (this one is unchanged).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> from imagegallery.access import RoleAssignment
            >>> more = model.with_role_assignments(RoleAssignment(
            ...     scope=version, principal_id=P["carol"], role_definition_id="Reader"))
            >>> model.can(P["carol"], VERSION_READ, version).allowed
            False
            >>> more.can(P["carol"], VERSION_READ, version).allowed
            True
        """
        return self._evolve(role_assignments=(*self.role_assignments, *assignments))

    def with_deny_assignments(self, *denies: DenyAssignment) -> Self:
        """A new model with more deny assignments."""
        return self._evolve(deny_assignments=(*self.deny_assignments, *denies))

    def with_memberships(self, *memberships: Membership) -> Self:
        """A new model with more memberships."""
        return self._evolve(memberships=(*self.memberships, *memberships))

    def _evolve(self, **changes: Any) -> Self:
        parts = {**self._parts, **changes}
        return type(self)(parts.pop("inventory"), **parts)

    # -- questions -------------------------------------------------------------------------------

    def __repr__(self) -> str:
        e = self._engine
        return (
            f"AccessModel(roles={len(e.roles)}, role_assignments={len(e.role_assignments)},"
            f" deny_assignments={len(e.deny_assignments)},"
            f" memberships={e.graph.graph.number_of_edges()}, orphans={len(e.orphans)})"
        )


class _Principals(Mapping[str, Principal]):
    """A read-only, case-insensitive view of the directory."""

    __slots__ = ("_by_key",)

    def __init__(self, by_key: Mapping[str, Principal]) -> None:
        self._by_key = by_key

    def __getitem__(self, key: str) -> Principal:
        return self._by_key[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._by_key

    def __iter__(self) -> Iterator[str]:
        return (p.id for p in self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

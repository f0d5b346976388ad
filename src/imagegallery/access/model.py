"""The access model: who can see and deploy which gallery, image definition and image version.

Built from an :class:`~imagegallery.Inventory` plus what Azure exports about access (role
definitions, role assignments, deny assignments, group memberships, the directory, the
management-group tree), it answers with Azure's rules: grants inherit down scopes, groups nest
(transitively, cycles included), action patterns match with wildcards and without case, NotActions
subtract but never deny, deny assignments win, PIM-eligible and time-bound assignments count only
when and as asked, and direct-shared and community galleries open their proxies.

:class:`AccessModel` is the façade: it holds the facts (:class:`~imagegallery.access.graph.Facts`)
and their indexes (:class:`~imagegallery.access.graph.AccessGraph`), checks the arguments of each
question, and asks :mod:`imagegallery.access._rules`, where every rule is decided.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.access import AccessModel
    >>> gallery = next(sample_inventory().galleries())
    >>> model = AccessModel.from_azure(
    ...     sample_inventory(),
    ...     role_assignments=[{"principalId": "alice", "scope": str(gallery.id),
    ...                        "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7"}],
    ... )
    >>> version = gallery.definitions["myImage1"].versions["1.0.9"].id
    >>> decision = model.can("alice", "Microsoft.Compute/galleries/images/versions/read", version)
    >>> decision.allowed, decision.effect.value
    (True, 'allowed')
    >>> print(decision.paths[0])
    alice ⇒ Reader [*/read] @ /subscriptions/.../galleries/myGallery → myImage1 → 1.0.9
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Final, Generic, Self, TypeVar, final, overload

import attrs
import networkx as nx

from imagegallery.access import _rules, loaders
from imagegallery.access.actions import (
    DEFINITION_READ,
    GALLERY_READ,
    VERSION_READ,
    validate_action,
)
from imagegallery.access.decision import AccessMap, Decision, Orphan
from imagegallery.access.graph import ACTIVE, AccessGraph, Facts, frozen_view
from imagegallery.access.records import (
    ALL_PRINCIPALS,
    DenyAssignment,
    Membership,
    Principal,
    RoleAssignment,
    RoleDefinition,
    builtin_roles,
)
from imagegallery.access.sharing import SharingMatrix, SharingRow
from imagegallery.arm import load_arm
from imagegallery.errors import InvalidEnumValueError, InvalidTypeError, ResourceNotFoundError
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory
from imagegallery.speed import paused_gc
from imagegallery.timestamps import parse_datetime

__all__ = ["AccessModel"]

_T = TypeVar("_T")
_CONDITIONS: Final = ("unknown", "grant", "no-grant")
_PROBE: Final = "sharing-matrix-probe"


def _principal(value: object) -> str:
    """A principal argument as an id string."""
    if isinstance(value, Principal):
        return value.id
    if type(value) is not str or not value:
        raise InvalidTypeError(
            "a principal is an object id string or a Principal", field="principal", value=value
        )
    return value


def _check_inventory(inventory: object) -> None:
    if not isinstance(inventory, Inventory):
        raise InvalidTypeError("expected an Inventory", field="inventory", value=inventory)


def _moment(at: datetime | None) -> datetime:
    """An ``at`` argument: now (UTC) when omitted; a naive datetime is an error."""
    return datetime.now(UTC) if at is None else parse_datetime(at)


def _query(
    graph: AccessGraph,
    action: str,
    *,
    at: datetime | None,
    eligible: bool,
    data: bool,
    conditions: str,
) -> _rules.Query:
    """The checked action and options of a question (an action checked once is remembered by
    the model's indexes, with its lower-case form)."""
    if conditions not in _CONDITIONS:
        raise InvalidEnumValueError(
            "conditions must be 'unknown', 'grant' or 'no-grant'",
            field="conditions",
            value=conditions,
        )
    low = graph.checked_action(action) if type(action) is str else None
    if low is None:
        low = graph.check_action(validate_action(action))
    return _rules.Query(
        action,
        low,
        _moment(at),
        eligible,
        data,
        conditions,  # type: ignore[arg-type]
    )


class _Fact(Generic[_T]):
    """A read-only attribute of the model that is one of the facts it was built from."""

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc
        self._name = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, model: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, model: AccessModel, owner: type[Any]) -> _T: ...

    def __get__(self, model: AccessModel | None, owner: type[Any]) -> Self | _T:
        if model is None:
            return self
        return getattr(model._facts, self._name)  # type: ignore[no-any-return]

    def __set__(self, model: AccessModel, value: object) -> None:
        raise AttributeError(f"the model's {self._name} cannot be changed")


@final
class AccessModel:
    """Role definitions, assignments, denies and memberships over an inventory, ready to query.

    Build it with :meth:`from_azure` (parsed ``az``/REST/Graph JSON, or paths) or with this
    constructor (library objects). The model never changes; ``with_*`` methods return new ones.

    Args:
        inventory: The galleries, definitions and versions.
        role_definitions: Role definitions; ``None`` means the built-in roles.
        role_assignments: Role assignments (active or eligible, with windows and conditions).
        deny_assignments: Deny assignments.
        memberships: Group memberships (member → group).
        principals: Directory objects (names, types, tenants, app ids). When given, an
            assignment to a principal that is neither here nor in a membership is an orphan.
        management_groups: Child (subscription or management group id) → parent management
            group id. Ids do not carry it; without it a subscription sits right under ``/``.
        tenants: Subscription id → tenant id, for the cross-tenant deployment rule and for
            direct shares to tenants.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.access import Membership, RoleAssignment
        >>> gallery = next(sample_inventory().galleries())
        >>> model = AccessModel(
        ...     sample_inventory(),
        ...     role_assignments=[RoleAssignment(scope=gallery.id, principal_id="readers",
        ...                                      role_definition_id="Reader")],
        ...     memberships=[Membership(group_id="readers", member_id="ann")],
        ... )
        >>> model.can("ann", "Microsoft.Compute/galleries/read", gallery.id).paths[0].chain
        ('ann', 'readers')
    """

    __slots__ = ("_facts", "_full", "_graph")

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
        _check_inventory(inventory)
        self._setup(
            Facts(
                inventory=inventory,
                role_definitions=builtin_roles() if role_definitions is None else role_definitions,
                role_assignments=role_assignments,
                deny_assignments=deny_assignments,
                memberships=memberships,
                principals=principals,
                management_groups=management_groups,
                tenants=tenants,
            )
        )

    def _setup(self, facts: Facts) -> None:
        self._facts = facts
        with paused_gc():
            self._graph = AccessGraph(facts)
        self._full: nx.MultiDiGraph[str] | None = None

    @classmethod
    def _of(cls, facts: Facts) -> AccessModel:
        """A model of ``facts`` (checked already)."""
        model = cls.__new__(cls)
        model._setup(facts)
        return model

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
    ) -> AccessModel:
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
            >>> model = AccessModel.from_azure(sample_inventory(), memberships=[
            ...     {"groupId": "G-a", "memberId": "G-b"}, {"groupId": "G-b", "memberId": "G-a"},
            ...     {"groupId": "G-a", "memberId": "dave"}])
            >>> sorted(model.transitive_groups("dave"))
            ['G-a', 'G-b']
        """
        _check_inventory(inventory)
        with paused_gc():
            edges, members = loaders.load_memberships(memberships)
            listed = loaders.load_directory(directory)
            assignments = loaders.load_role_assignments(role_assignments)
        tenants = loaders.load_subscriptions(subscriptions)
        parents, mg_tenants = loaders.load_management_groups(
            management_groups, subscriptions=(*inventory.subscriptions(), *tenants)
        )
        return cls._of(
            Facts(
                inventory=inventory,
                role_definitions=builtin_roles()
                if role_definitions is None
                else loaders.load_role_definitions(role_definitions),
                role_assignments=assignments,
                deny_assignments=loaders.load_deny_assignments(deny_assignments),
                memberships=edges,
                principals=(*listed, *members),
                management_groups=parents,
                tenants={**mg_tenants, **tenants},
                directory_listed=bool(listed),
            )
        )

    # -- the facts ---------------------------------------------------------------------------------

    inventory = _Fact[Inventory]("The inventory the model covers.")
    role_definitions = _Fact[tuple[RoleDefinition, ...]]("The role definitions.")
    role_assignments = _Fact[tuple[RoleAssignment, ...]](
        "Every role assignment given, orphans included."
    )
    deny_assignments = _Fact[tuple[DenyAssignment, ...]]("Every deny assignment given.")
    memberships = _Fact[tuple[Membership, ...]]("Every membership given.")

    @property
    def principals(self) -> Mapping[str, Principal]:
        """Known directory objects by id (looked up in any case; iterated as spelled)."""
        return _Principals(self._graph.principals)

    @property
    def membership_graph(self) -> nx.DiGraph[str]:
        """The membership graph (member → group, lower-case ids), read-only."""
        return frozen_view(self._graph.members.graph)  # type: ignore[no-any-return]

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The whole model as one read-only ``networkx.MultiDiGraph`` (built on first use); see
        :meth:`imagegallery.access.graph.AccessGraph.to_networkx` for its nodes and edges.

        Example:
            >>> from imagegallery import sample_inventory
            >>> g = AccessModel.from_azure(sample_inventory()).graph
            >>> sorted({rel for _, _, rel in g.edges(data="rel")})
            ['CONTAINS', 'PUBLIC', 'SHARED_WITH']
        """
        if self._full is None:
            self._full = self._graph.to_networkx()
        return frozen_view(self._full)  # type: ignore[no-any-return]

    def orphans(self) -> tuple[Orphan, ...]:
        """Assignments that grant nothing: unknown principal, role definition or scope.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import sample_access_model
            >>> [o.reason for o in sample_access_model(sample_inventory()).orphans()]
            ['principal not found (principalType Unknown: deleted principal)']
        """
        return tuple(self._graph.orphans)

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
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P, sample_access_model
            >>> model = sample_access_model(sample_inventory())
            >>> sorted(model.principals[g].label for g in model.transitive_groups(P["dave"]))
            ['App deployers', 'Contractors', 'Platform', 'Platform devs']
        """
        key = _principal(principal).lower()
        closure = self._graph.members.groups_of(key, _moment(at))
        return frozenset(
            self._graph.shown(k)
            for k, how in closure.items()
            if k != key and (how == ACTIVE or include_eligible)
        )

    def with_role_assignments(self, *assignments: RoleAssignment) -> AccessModel:
        """A new model with more role assignments (this one is unchanged).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import RoleAssignment, VERSION_READ
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P, sample_access_model
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> more = model.with_role_assignments(RoleAssignment(
            ...     scope=version, principal_id=P["carol"], role_definition_id="Reader"))
            >>> model.can(P["carol"], VERSION_READ, version).allowed
            False
            >>> more.can(P["carol"], VERSION_READ, version).allowed
            True
        """
        return self._evolve(role_assignments=(*self.role_assignments, *assignments))

    def with_deny_assignments(self, *denies: DenyAssignment) -> AccessModel:
        """A new model with more deny assignments."""
        return self._evolve(deny_assignments=(*self.deny_assignments, *denies))

    def with_memberships(self, *memberships: Membership) -> AccessModel:
        """A new model with more memberships."""
        return self._evolve(memberships=(*self.memberships, *memberships))

    def _evolve(self, **changes: Any) -> AccessModel:
        return AccessModel._of(attrs.evolve(self._facts, **changes))

    # -- questions ---------------------------------------------------------------------------------

    def can(
        self,
        principal: str | Principal,
        action: str,
        resource: str | ResourceId,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        data_action: bool = False,
        conditions: str = "unknown",
    ) -> Decision:
        """May ``principal`` perform ``action`` on ``resource``, and why?

        Args:
            principal: The object id (any case) or :class:`Principal`.
            action: The action, such as ``Microsoft.Compute/galleries/images/versions/read``.
            resource: Any scope id (``/``, a management group, subscription, resource group,
                gallery, definition, version, other resource) or a ``/SharedGalleries`` or
                ``/CommunityGalleries`` proxy id.
            at: The moment (windows of assignments and memberships); defaults to now.
            include_eligible: Let PIM-eligible grants count as allowed (effect ``ELIGIBLE``).
            data_action: ``action`` is a data-plane action (matched against DataActions).
            conditions: How to treat grants with an ABAC condition: ``unknown`` (reported as
                ``CONDITIONAL``, not allowed), ``grant`` or ``no-grant``.

        Returns:
            The :class:`Decision`, with every grant path and the blocking denies.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import VERSION_READ
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P, sample_access_model
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> model.can(P["dave"], VERSION_READ, version).effect.value
            'denied'
            >>> model.can(P["erin"], VERSION_READ, version, include_eligible=True).effect.value
            'eligible'
        """
        query = _query(
            self._graph,
            action,
            at=at,
            eligible=include_eligible,
            data=data_action,
            conditions=conditions,
        )
        return _rules.decide(self._graph, query, _principal(principal), ResourceId.parse(resource))

    def who_can(
        self,
        action: str,
        resource: str | ResourceId,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        data_action: bool = False,
        conditions: str = "unknown",
    ) -> AccessMap[str]:
        """Every principal allowed ``action`` on ``resource`` (groups included, expanded to their
        transitive members), each with its :class:`Decision`. Same options as :meth:`can`;
        ``p in who_can(a, r)`` exactly when ``can(p, a, r).allowed``.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import VERSION_READ
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P, sample_access_model
            >>> who = sample_access_model(sample_inventory()).who_can(
            ...     VERSION_READ, next(sample_inventory().versions()).id)
            >>> P["alice"] in who, P["dave"] in who, len(who)
            (True, False, 8)
        """
        query = _query(
            self._graph,
            action,
            at=at,
            eligible=include_eligible,
            data=data_action,
            conditions=conditions,
        )
        rid = ResourceId.parse(resource)
        allowed = _rules.who(self._graph, query, rid)
        return AccessMap(
            allowed,
            lambda p: _rules.decide(self._graph, query, p, rid),
            show=self._graph.shown,
            everyone=rid.kind.is_proxy and ALL_PRINCIPALS in allowed,
        )

    def what_can(
        self,
        principal: str | Principal,
        action: str,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        data_action: bool = False,
        conditions: str = "unknown",
        kinds: Iterable[ResourceKind] | None = None,
    ) -> AccessMap[ResourceId]:
        """Every gallery, definition and version of the inventory on which ``principal`` is
        allowed ``action``, in inventory order, each with its :class:`Decision`.

        A grant of ``.../versions/read`` at a gallery allows that action at the gallery scope
        too (it is how listing works), so the gallery and its definitions are included; pass
        ``kinds=[ResourceKind.IMAGE_VERSION]`` to keep only versions. Same options as
        :meth:`can`; ``r in what_can(p, a)`` exactly when ``can(p, a, r).allowed``.

        Example:
            >>> from imagegallery import ResourceKind, sample_inventory
            >>> from imagegallery.access import VERSION_READ
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P, sample_access_model
            >>> found = sample_access_model(sample_inventory()).what_can(
            ...     P["carol"], VERSION_READ, kinds=[ResourceKind.IMAGE_VERSION])
            >>> [f"{r.image}/{r.version}" for r in found]
            ['myImage3/0.2.0']
        """
        query = _query(
            self._graph,
            action,
            at=at,
            eligible=include_eligible,
            data=data_action,
            conditions=conditions,
        )
        who = _principal(principal)
        wanted = None if kinds is None else frozenset(kinds)
        found = _rules.what(self._graph, query, who)
        return AccessMap(
            [rid for rid in found if wanted is None or rid.kind in wanted],
            lambda rid: _rules.decide(self._graph, query, who, rid),
        )

    def can_deploy(
        self,
        principal: str | Principal,
        version: str | ResourceId,
        target_scope: str | ResourceId,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        conditions: str = "unknown",
    ) -> Decision:
        """May ``principal`` create a VM from ``version`` in ``target_scope``?

        Needs read on the version (``.../images/versions/read``), or a sharing mode that opens
        it (community; direct share to the target's subscription or tenant), plus
        ``Microsoft.Compute/virtualMachines/write`` on the target. Across tenants, the caller
        needs an object in the gallery's tenant (a guest, or a service principal of the same
        app); otherwise ARM fails with ``LinkedAuthorizationFailed``.

        Args:
            principal: The caller.
            version: An image version id, or a ``/SharedGalleries/.../Versions/...`` or
                ``/CommunityGalleries/.../Versions/...`` proxy id.
            target_scope: Where the VM goes (a resource group, typically).
            at: The moment; defaults to now.
            include_eligible: Let eligible grants count.
            conditions: See :meth:`can`.

        Returns:
            A :class:`Decision` whose ``requirements`` hold the read and the write decisions.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET, SAMPLE_PRINCIPALS as P
            >>> from imagegallery.access.sample import sample_access_model
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> model.can_deploy(P["alice"], version, SAMPLE_DEPLOY_TARGET).allowed
            True
            >>> sam = model.can_deploy(P["sam"], version, SAMPLE_DEPLOY_TARGET)
            >>> sam.allowed, sam.requirements[1].effect.value
            (False, 'notGranted')
        """
        query = _query(
            self._graph,
            VERSION_READ,
            at=at,
            eligible=include_eligible,
            data=False,
            conditions=conditions,
        )
        return _rules.can_deploy(
            self._graph,
            query,
            _principal(principal),
            ResourceId.parse(version),
            ResourceId.parse(target_scope),
        )

    def who_can_deploy(
        self,
        version: str | ResourceId,
        target_scope: str | ResourceId,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        conditions: str = "unknown",
    ) -> AccessMap[str]:
        """Every principal for whom :meth:`can_deploy` is allowed, with its decision.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET, sample_access_model
            >>> model = sample_access_model(sample_inventory())
            >>> who = model.who_can_deploy(
            ...     next(sample_inventory().versions()).id, SAMPLE_DEPLOY_TARGET)
            >>> [model.principals[k].label for k in who]
            ['Alice', 'Bob', 'deploy-pipeline']
        """
        query = _query(
            self._graph,
            VERSION_READ,
            at=at,
            eligible=include_eligible,
            data=False,
            conditions=conditions,
        )
        vid, target = ResourceId.parse(version), ResourceId.parse(target_scope)

        def decide(key: str) -> Decision:
            return _rules.can_deploy(self._graph, query, key, vid, target)

        candidates = _rules.deploy_candidates(self._graph, query, target)
        return AccessMap(
            {k for k in candidates if decide(k).allowed}, decide, show=self._graph.shown
        )

    def sharing_matrix(
        self,
        principal: str | Principal | None = None,
        *,
        role: str = "Reader",
        at: datetime | None = None,
    ) -> SharingMatrix:
        """The sharing matrix, computed by the model.

        Without ``principal``: for a grant of ``role`` at a gallery, at a definition and at a
        version of the inventory (a fresh model holding only that grant), whether the gallery,
        the definition and the version can be read. With ``principal``: one row per grant the
        principal holds (directly or through groups) that reaches the inventory, evaluated with
        everything the model knows (other grants, denies).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P, sample_access_model
            >>> print(sample_access_model(sample_inventory()).sharing_matrix(P["carol"]))
            Granted to Carol at                 Gallery  Image definition  Image version
            Reader @ myGallery/myImage3/0.2.0   No       No                Yes
        """
        if principal is None:
            return self._role_matrix(role, _moment(at))
        return self._principal_matrix(_principal(principal), _moment(at))

    def _reads(self, who: str, scopes: _Representative, at: datetime) -> tuple[bool, bool, bool]:
        """Whether ``who`` can read the gallery, the definition and the version of ``scopes``."""
        return (
            scopes.gallery is not None and bool(self.can(who, GALLERY_READ, scopes.gallery, at=at)),
            scopes.definition is not None
            and bool(self.can(who, DEFINITION_READ, scopes.definition, at=at)),
            scopes.version is not None and bool(self.can(who, VERSION_READ, scopes.version, at=at)),
        )

    def _role_matrix(self, role: str, at: datetime) -> SharingMatrix:
        graph = self._graph
        found = graph.roles.get(role.lower()) or graph.roles_by_name.get(role.lower())
        if found is None:
            raise ResourceNotFoundError(role, where="the model's role definitions")
        inventory = self.inventory
        sample = _Representative.under(graph, ResourceId.root())
        if sample.version is None:
            inventory = _placeholder_inventory()
            sample = _Representative.first(inventory)
        rows = []
        for label, scope in (
            ("gallery", sample.gallery),
            ("image definition", sample.definition),
            ("image version", sample.version),
        ):
            assert scope is not None
            probe = AccessModel(
                inventory,
                role_definitions=self.role_definitions,
                role_assignments=[
                    RoleAssignment(scope=scope, principal_id=_PROBE, role_definition_id=found.id)
                ],
            )
            rows.append(SharingRow(label, scope, *probe._reads(_PROBE, sample, at)))
        return SharingMatrix(rows=tuple(rows))

    def _principal_matrix(self, principal: str, at: datetime) -> SharingMatrix:
        graph = self._graph
        key = principal.lower()
        rows = []
        seen: set[tuple[ResourceId, str]] = set()
        reads = [a.lower() for a in (GALLERY_READ, DEFINITION_READ, VERSION_READ)]
        for holder in graph.members.groups_of(key, at):
            for ra in graph.ra_by_principal.get(holder, ()):
                role = graph.role_of(ra)
                assert role is not None
                if not any(graph.hit(role, a, False) for a in reads):
                    continue
                sample = _Representative.under(graph, ra.scope)
                if sample.gallery is None or (ra.scope, role.id) in seen:
                    continue
                seen.add((ra.scope, role.id))
                via = "" if holder == key else f" via {graph.label(holder)}"
                label = f"{role.name} @ {_short(ra.scope)}{via}"
                rows.append(SharingRow(label, ra.scope, *self._reads(principal, sample, at)))
        rows.sort(key=lambda r: (str(r.scope).lower(), r.label))
        return SharingMatrix(rows=tuple(rows), heading=f"Granted to {graph.label(key)} at")

    def __repr__(self) -> str:
        g = self._graph
        return (
            f"AccessModel(roles={len(g.roles)}, role_assignments={len(self.role_assignments)},"
            f" deny_assignments={len(self.deny_assignments)},"
            f" memberships={g.members.number_of_edges}, orphans={len(g.orphans)})"
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


# -- the sharing matrix: representative resources --------------------------------------------------


@attrs.frozen
class _Representative:
    """A gallery, definition and version that show what a grant at some scope reaches."""

    gallery: ResourceId | None
    definition: ResourceId | None = None
    version: ResourceId | None = None

    @classmethod
    def under(cls, graph: AccessGraph, scope: ResourceId) -> _Representative:
        """A chain at or under ``scope`` (or above it, for a definition or version scope)."""
        if scope.kind is ResourceKind.IMAGE_VERSION:
            return cls.of_version(scope)
        under = graph.scopes.under(scope)
        versions = (r for r in under if r.kind is ResourceKind.IMAGE_VERSION)
        if scope.kind is ResourceKind.IMAGE_DEFINITION:
            return cls(scope.parent, scope, next(versions, None))
        version = next(versions, None)
        if version is not None:
            return cls.of_version(version)
        return cls(next((r for r in under if r.kind is ResourceKind.GALLERY), None))

    @classmethod
    def of_version(cls, version: ResourceId) -> _Representative:
        """A version with its definition and gallery."""
        definition = version.parent
        assert definition is not None
        return cls(definition.parent, definition, version)

    @classmethod
    def first(cls, inventory: Inventory) -> _Representative:
        """The first version of ``inventory`` (which has one) with its parents."""
        return cls.of_version(next(inventory.versions()).id)


def _placeholder_inventory() -> Inventory:
    """A gallery with one definition and one version, for the sharing matrix of an inventory
    that has none."""
    base = (
        "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg"
        "/providers/Microsoft.Compute/galleries/gallery"
    )
    return load_arm(
        [
            {"id": base, "type": "Microsoft.Compute/galleries", "location": "westeurope"},
            {
                "id": f"{base}/images/image",
                "type": "Microsoft.Compute/galleries/images",
                "location": "westeurope",
                "properties": {
                    "osType": "Linux",
                    "osState": "Generalized",
                    "identifier": {"publisher": "p", "offer": "o", "sku": "s"},
                },
            },
            {
                "id": f"{base}/images/image/versions/1.0.0",
                "type": "Microsoft.Compute/galleries/images/versions",
                "location": "westeurope",
                "properties": {"storageProfile": {}},
            },
        ]
    )


def _short(scope: ResourceId) -> str:
    if scope.kind is ResourceKind.GALLERY:
        return scope.name
    if scope.kind is ResourceKind.IMAGE_DEFINITION:
        return f"{scope.gallery}/{scope.image}"
    if scope.kind is ResourceKind.IMAGE_VERSION:
        return f"{scope.gallery}/{scope.image}/{scope.version}"
    return str(scope)

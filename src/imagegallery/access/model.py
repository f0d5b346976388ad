"""The access model: who can see and deploy which gallery, image definition and image version.

Built from an :class:`~imagegallery.Inventory` plus what Azure exports about access (role
definitions, role assignments, deny assignments, group memberships, the directory, the
management-group tree), it answers with Azure's rules: grants inherit down scopes, groups nest
(transitively, cycles included), action patterns match with wildcards and without case, NotActions
subtract but never deny, deny assignments win, PIM-eligible and time-bound assignments count only
when and as asked, and direct-shared and community galleries open their proxies.

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

from collections.abc import Iterable
from datetime import datetime
from typing import final

from imagegallery.access import _bulk
from imagegallery.access._deploy import can_deploy as _can_deploy
from imagegallery.access._deploy import sharing_matrix as _sharing_matrix
from imagegallery.access._facts import ModelFacts, as_conditions, as_moment, as_principal
from imagegallery.access.actions import VM_WRITE, validate_action
from imagegallery.access.decision import AccessMap, Decision
from imagegallery.access.principals import Principal
from imagegallery.access.sharing import SharingMatrix
from imagegallery.ids import ResourceId, ResourceKind

__all__ = ["AccessModel"]


@final
class AccessModel(ModelFacts):
    """Role definitions, assignments, denies and memberships over an inventory, ready to query.

    Build it with :meth:`from_azure` (parsed ``az``/REST/Graph JSON, or paths) or with this
    constructor (library objects). The model never changes; ``with_*`` methods return new ones.
    The facts (``inventory``, ``role_definitions``, ``role_assignments``, ``deny_assignments``,
    ``memberships``, ``principals``, ``membership_graph``, ``graph``), ``orphans()``,
    ``transitive_groups()``, ``from_azure()`` and the ``with_*`` methods are inherited from
    :class:`~imagegallery.access._facts.ModelFacts`; the questions are defined here.

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

    __slots__ = ()

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
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> model.can(P["dave"], VERSION_READ, version).effect.value
            'denied'
            >>> model.can(P["erin"], VERSION_READ, version, include_eligible=True).effect.value
            'eligible'
        """
        return self._engine.decide(
            as_principal(principal),
            validate_action(action),
            ResourceId.parse(resource),
            at=as_moment(at),
            include_eligible=include_eligible,
            data=data_action,
            conditions=as_conditions(conditions),
        )

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
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> who = model.who_can(VERSION_READ, version)
            >>> P["alice"] in who, P["dave"] in who, len(who)
            (True, False, 8)
        """
        when, cond = as_moment(at), as_conditions(conditions)
        rid, act = ResourceId.parse(resource), validate_action(action)
        keys = _bulk.who(
            self._engine,
            act,
            rid,
            at=when,
            include_eligible=include_eligible,
            data=data_action,
            conditions=cond,
        )
        return AccessMap(
            keys,
            lambda p: self._engine.decide(
                p,
                act,
                rid,
                at=when,
                include_eligible=include_eligible,
                data=data_action,
                conditions=cond,
            ),
            show=self._show,
        )

    def _show(self, key: str) -> str:
        return self._engine.display.get(key, key)

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
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> from imagegallery import ResourceKind
            >>> found = model.what_can(P["carol"], VERSION_READ, kinds=[ResourceKind.IMAGE_VERSION])
            >>> [f"{r.image}/{r.version}" for r in found]
            ['myImage3/0.2.0']
        """
        when, cond = as_moment(at), as_conditions(conditions)
        who, act = as_principal(principal), validate_action(action)
        wanted = None if kinds is None else frozenset(kinds)
        found = _bulk.what(
            self._engine,
            who,
            act,
            at=when,
            include_eligible=include_eligible,
            data=data_action,
            conditions=cond,
        )
        return AccessMap(
            [rid for rid in found if wanted is None or rid.kind in wanted],
            lambda rid: self._engine.decide(
                who,
                act,
                rid,
                at=when,
                include_eligible=include_eligible,
                data=data_action,
                conditions=cond,
            ),
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
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET
            >>> model.can_deploy(P["alice"], version, SAMPLE_DEPLOY_TARGET).allowed
            True
            >>> sam = model.can_deploy(P["sam"], version, SAMPLE_DEPLOY_TARGET)
            >>> sam.allowed, sam.requirements[1].effect.value
            (False, 'notGranted')
        """
        return _can_deploy(
            self._engine,
            as_principal(principal),
            ResourceId.parse(version),
            ResourceId.parse(target_scope),
            at=as_moment(at),
            include_eligible=include_eligible,
            conditions=as_conditions(conditions),
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
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET
            >>> who = model.who_can_deploy(version, SAMPLE_DEPLOY_TARGET)
            >>> [model.principals[k].label for k in who]
            ['Alice', 'Bob', 'deploy-pipeline']
        """
        when, cond = as_moment(at), as_conditions(conditions)
        vid, target = ResourceId.parse(version), ResourceId.parse(target_scope)
        engine = self._engine
        writers = _bulk.who(
            engine,
            VM_WRITE,
            target,
            at=when,
            include_eligible=include_eligible,
            data=False,
            conditions=cond,
        )
        candidates: set[str] = set(writers)
        for key in writers:
            principal = engine.principals.get(key)
            if principal is not None:
                candidates.update(engine.identities.get(principal.identity_key, ()))

        def decide(key: str) -> Decision:
            return _can_deploy(
                engine,
                key,
                vid,
                target,
                at=when,
                include_eligible=include_eligible,
                conditions=cond,
            )

        return AccessMap({k for k in candidates if decide(k).allowed}, decide, show=self._show)

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
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> print(model.sharing_matrix(P["carol"]))
            Granted to Carol at                 Gallery  Image definition  Image version
            Reader @ myGallery/myImage3/0.2.0   No       No                Yes
        """
        who = None if principal is None else as_principal(principal)
        return _sharing_matrix(self, self._engine, who, role=role, at=as_moment(at))

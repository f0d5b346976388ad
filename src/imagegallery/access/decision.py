"""Answers with reasons: the effect of a question, every path that explains it, and the
assignments that explain nothing (orphans).

A grant path reads ``principal → groups → holder ⇒ role [matched pattern] @ scope ⇒ ... →
resource``; a deny path names the deny assignment, the pattern it matched and whom it targets.

Example:
    >>> from imagegallery.access import Effect
    >>> Effect.DENIED.value, Effect.ELIGIBLE.value
    ('denied', 'eligible')
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any, Generic, TypeVar, final

import attrs

from imagegallery.access.records import DenyAssignment, RoleAssignment, RoleDefinition
from imagegallery.errors import ResourceNotFoundError
from imagegallery.ids import ResourceId

__all__ = ["AccessMap", "AccessPath", "Decision", "DenyPath", "Effect", "Orphan"]


class Effect(enum.Enum):
    """The outcome of an access question.

    Example:
        >>> Effect("notGranted") is Effect.NOT_GRANTED
        True
    """

    ALLOWED = "allowed"
    """An active, unconditional grant applies and no deny blocks it."""
    DENIED = "denied"
    """A deny assignment blocks the action (whatever grants exist)."""
    NOT_GRANTED = "notGranted"
    """No role assignment or sharing mode grants the action."""
    ELIGIBLE = "eligible"
    """Only PIM-eligible assignments or memberships grant it: allowed after activation."""
    CONDITIONAL = "conditional"
    """Only assignments with an ABAC condition grant it; the condition is not evaluated."""


def _scope_text(scopes: tuple[ResourceId, ...]) -> str:
    if not scopes:
        return ""
    head = str(scopes[0])
    rest = [s.name for s in scopes[1:]]
    return " → ".join([head, *rest])


@final
@attrs.frozen
class AccessPath:
    """One reason a principal may perform an action on a resource.

    Attributes:
        chain: Principal ids from the asking principal to the holder of the grant (both ends
            included; one element when the principal holds it directly). The shortest chain of
            group memberships is shown.
        labels: Display names for ``chain``.
        via: ``rbac``, ``direct-share`` or ``community``.
        assignment: The role assignment (``rbac`` paths).
        role: Its role definition.
        pattern: The pattern of the role that matched the action.
        scopes: From the assignment's scope (or the shared gallery) down to the resource.
        effect: ``ALLOWED``, ``CONDITIONAL`` or ``ELIGIBLE`` for this path alone.
        note: Extra detail (an eligible membership, the proxy id to use, ...).

    Example:
        >>> from imagegallery.access import builtin_role
        >>> path = AccessPath(
        ...     chain=("erin", "g-devs"), labels=("Erin", "Devs"), via="rbac",
        ...     effect=Effect.ALLOWED, scopes=(ResourceId.parse("/subscriptions/s1"),),
        ...     role=builtin_role("Reader"), pattern="*/read")
        >>> print(path)
        Erin → Devs ⇒ Reader [*/read] @ /subscriptions/s1
        >>> path.holder
        'g-devs'
    """

    chain: tuple[str, ...]
    labels: tuple[str, ...]
    via: str
    scopes: tuple[ResourceId, ...]
    effect: Effect
    assignment: RoleAssignment | None = None
    role: RoleDefinition | None = None
    pattern: str | None = None
    note: str | None = None

    @property
    def holder(self) -> str:
        """The principal that holds the grant (the last element of ``chain``)."""
        return self.chain[-1]

    def __str__(self) -> str:
        who = " → ".join(self.labels)
        if self.via == "rbac" and self.role is not None:
            grant = f"{self.role.name} [{self.pattern}]"
        else:
            grant = self.via
        tail = f" ({self.effect.value})" if self.effect is not Effect.ALLOWED else ""
        note = f"; {self.note}" if self.note else ""
        return f"{who} ⇒ {grant} @ {_scope_text(self.scopes)}{tail}{note}"


@final
@attrs.frozen
class DenyPath:
    """A deny assignment that blocks the action.

    Attributes:
        deny: The deny assignment.
        chain: From the asking principal to the targeted principal (the sentinel when the deny
            targets everyone).
        labels: Display names for ``chain``.
        pattern: The deny pattern that matched the action.
        scopes: From the deny's scope down to the resource.

    Example:
        >>> from imagegallery.access import DenyAssignment
        >>> deny = DenyAssignment(id="d1", scope="/subscriptions/s1", name="freeze")
        >>> print(DenyPath(deny=deny, chain=("u", "00000000-0000-0000-0000-000000000000"),
        ...                labels=("U", "Everyone"), pattern="*/write",
        ...                scopes=(ResourceId.parse("/subscriptions/s1"),)))
        U → Everyone ⇒ DENY 'freeze' [*/write] @ /subscriptions/s1
    """

    deny: DenyAssignment
    chain: tuple[str, ...]
    labels: tuple[str, ...]
    pattern: str
    scopes: tuple[ResourceId, ...]

    def __str__(self) -> str:
        who = " → ".join(self.labels)
        return f"{who} ⇒ DENY {self.deny.label!r} [{self.pattern}] @ {_scope_text(self.scopes)}"


@final
@attrs.frozen
class Decision:
    """Whether a principal may perform an action on a resource, and why.

    ``bool(decision)`` is :attr:`allowed`.

    Attributes:
        principal: The principal asked about.
        action: The action.
        resource: The resource.
        at: The moment the question was evaluated at.
        effect: See :class:`Effect`.
        allowed: ``ALLOWED``, or ``ELIGIBLE`` when eligible grants were asked to count, or
            ``CONDITIONAL`` when conditions were asked to count as granted.
        paths: Every grant that applies (also when a deny wins), one per assignment and holder.
        denials: The deny assignments that block the action.
        warnings: Orphans, unknown roles, audit-only denies, cross-tenant failures, ...
        requirements: For compound questions (:meth:`AccessModel.can_deploy`), the decisions
            they are made of (their paths and denials are repeated on the compound decision).
        label: The principal's display name, when the directory knows it.

    Example:
        >>> from datetime import datetime, timezone
        >>> d = Decision(principal="u", action="a", resource=ResourceId.root(),
        ...              at=datetime(2025, 1, 1, tzinfo=timezone.utc),
        ...              effect=Effect.ELIGIBLE, allowed=True)
        >>> bool(d), d.effect.value
        (True, 'eligible')
    """

    principal: str
    action: str
    resource: ResourceId
    at: datetime
    effect: Effect
    allowed: bool
    paths: tuple[AccessPath, ...] = ()
    denials: tuple[DenyPath, ...] = ()
    warnings: tuple[str, ...] = ()
    requirements: tuple[Decision, ...] = ()
    label: str | None = None

    def __bool__(self) -> bool:
        return self.allowed

    def explain(self) -> str:
        """A readable, multi-line account of the decision.

        Example:
            >>> from datetime import datetime, timezone
            >>> d = Decision(principal="p", action="a", resource=ResourceId.root(),
            ...              at=datetime(2025, 1, 1, tzinfo=timezone.utc),
            ...              effect=Effect.NOT_GRANTED, allowed=False)
            >>> print(d.explain())
            p: a on / → notGranted
        """
        mark = self.effect.value
        if self.allowed and self.effect is not Effect.ALLOWED:
            mark = f"allowed ({mark})"
        who = (
            self.principal
            if self.label in (None, self.principal)
            else f"{self.label} ({self.principal})"
        )
        lines = [f"{who}: {self.action} on {self.resource} → {mark}"]
        if not self.requirements:
            lines += [f"  deny:  {d}" for d in self.denials]
            lines += [f"  grant: {p}" for p in self.paths]
        lines += [f"  note:  {w}" for w in self.warnings]
        for req in self.requirements:
            lines += ["  " + line for line in req.explain().splitlines()]
        return "\n".join(lines)


@final
@attrs.frozen
class Orphan:
    """An assignment that grants nothing because something it names does not exist.

    Attributes:
        assignment: The role or deny assignment.
        reason: What is missing.

    Example:
        >>> from imagegallery.access import RoleAssignment
        >>> ra = RoleAssignment(scope="/", principal_id="p", role_definition_id="x", id="ra-1")
        >>> str(Orphan(ra, "role definition x not found"))
        'ra-1: role definition x not found'
    """

    assignment: RoleAssignment | DenyAssignment
    reason: str

    def __str__(self) -> str:
        return f"{self.assignment.label}: {self.reason}"


_K = TypeVar("_K", str, ResourceId)


class AccessMap(Mapping[_K, Decision], Generic[_K]):
    """The answer of :meth:`AccessModel.who_can` / :meth:`AccessModel.what_can`.

    Keys (principal ids or resource ids) are known up front; iteration is in a stable order
    (principals sorted by id, resources in inventory order). Each value is the full
    :class:`Decision` for that key, computed by :meth:`AccessModel.can` on first access.
    Principal keys are looked up ignoring case.

    Example:
        >>> from imagegallery.access import AccessModel
        >>> from imagegallery import sample_inventory
        >>> m = AccessModel.from_azure(sample_inventory())
        >>> gallery = next(sample_inventory().galleries())
        >>> len(m.who_can("Microsoft.Compute/galleries/read", gallery.id))
        0
    """

    __slots__ = ("_decide", "_done", "_keys", "_order", "_show")

    def __init__(
        self,
        keys: AbstractSet[Any] | Sequence[Any],
        decide: Callable[[_K], Decision],
        *,
        show: Callable[[Any], _K] | None = None,
    ) -> None:
        """Keys are normalized (principal ids in lower case, or resource ids); a sequence keeps
        its order, a set is sorted on first iteration. ``show`` gives the key users see."""
        self._keys: AbstractSet[Any] = keys if isinstance(keys, AbstractSet) else frozenset(keys)
        self._order: list[Any] | None = None if isinstance(keys, AbstractSet) else list(keys)
        self._show: Callable[[Any], _K] = show or _same
        self._decide: Callable[[_K], Decision] = decide
        self._done: dict[object, Decision] = {}

    def _norm(self, key: object) -> object:
        if isinstance(key, str) and not key.startswith("/"):
            return key.lower()
        if isinstance(key, str):
            return ResourceId.parse(key)
        return key

    def __getitem__(self, key: object) -> Decision:
        norm = self._norm(key)
        if norm not in self._keys:
            raise ResourceNotFoundError(key, where="this answer")
        if norm not in self._done:
            self._done[norm] = self._decide(self._show(norm))
        return self._done[norm]

    def __contains__(self, key: object) -> bool:
        try:
            return self._norm(key) in self._keys
        except (ValueError, TypeError):
            return False

    def __iter__(self) -> Iterator[_K]:
        if self._order is None:
            self._order = sorted(self._keys, key=str)
        return map(self._show, self._order)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        shown = ", ".join(str(k) for k in list(self)[:5])
        more = ", ..." if len(self) > 5 else ""
        return f"AccessMap([{shown}{more}])"


def _same(key: Any) -> Any:
    return key

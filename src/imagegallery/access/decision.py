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
from typing import TYPE_CHECKING, Any, Final, Generic, TypeAlias, TypeVar, final

import attrs

from imagegallery.access.records import DenyAssignment, RoleAssignment, RoleDefinition
from imagegallery.errors import ResourceNotFoundError
from imagegallery.ids import ResourceId
from imagegallery.tables import (
    column_dataframe,
    column_lists,
    column_records,
    html_block,
    html_count,
    html_fields,
    html_table,
)

if TYPE_CHECKING:
    import pandas

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


_Explain: TypeAlias = Callable[
    [], tuple[tuple[AccessPath, ...], tuple[DenyPath, ...], tuple[str, ...]]
]
"""What a decision stores until its explanation is read: a function giving its paths, denials
and warnings."""


@final
@attrs.frozen(eq=False, repr=False)
class Decision:
    """Whether a principal may perform an action on a resource, and why.

    ``bool(decision)`` is :attr:`allowed`. A decision the model makes computes its
    :attr:`paths`, :attr:`denials` and :attr:`warnings` when one of them is first read (the values
    are the same as if computed up front; equality, hashing and repr read them).

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
    _paths: tuple[AccessPath, ...] | _Explain = attrs.field(default=(), alias="paths")
    _denials: tuple[DenyPath, ...] | _Explain = attrs.field(default=(), alias="denials")
    _warnings: tuple[str, ...] | _Explain = attrs.field(default=(), alias="warnings")
    requirements: tuple[Decision, ...] = ()
    label: str | None = None

    # The explanation (paths, denials, warnings) of a decision the model makes is computed when
    # first read: until then each of the three slots holds the same ``_Explain`` function (pure:
    # it recomputes the explanation from the model's indexes), and the first read stores the
    # tuples it returns in their place. Equality, hashing and repr read the tuples.

    def _explained(self, index: int) -> tuple[Any, ...]:
        found = (self._paths, self._denials, self._warnings)[index]
        if isinstance(found, tuple):
            return found
        values = found()
        for name, value in zip(_EXPLAINED, values, strict=True):
            if not isinstance(getattr(self, name), tuple):
                object.__setattr__(self, name, value)
        return values[index]

    def _get_paths(self) -> tuple[AccessPath, ...]:
        found = self._paths
        return found if isinstance(found, tuple) else self._explained(0)

    def _get_denials(self) -> tuple[DenyPath, ...]:
        found = self._denials
        return found if isinstance(found, tuple) else self._explained(1)

    def _get_warnings(self) -> tuple[str, ...]:
        found = self._warnings
        return found if isinstance(found, tuple) else self._explained(2)

    paths = property(_get_paths)
    denials = property(_get_denials)
    warnings = property(_get_warnings)

    def _values(self) -> tuple[Any, ...]:
        return (
            self.principal,
            self.action,
            self.resource,
            self.at,
            self.effect,
            self.allowed,
            self.paths,
            self.denials,
            self.warnings,
            self.requirements,
            self.label,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Decision)
        return self._values() == other._values()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((Decision, *self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(_FIELDS, self._values(), strict=True)
        )
        return f"Decision({shown})"

    def __getstate__(self) -> dict[str, Any]:
        for index in range(len(_EXPLAINED)):
            self._explained(index)
        return {name: getattr(self, name) for name in _SLOTS}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

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

    def to_columns(self) -> dict[str, list[Any]]:
        """The decision as columns: name → list, one row per deny and grant path.

        A decision without paths has one row (its path columns empty); a compound decision
        (:meth:`AccessModel.can_deploy`) has the rows of its requirements, marked in
        ``part_of``. The columns are listed in :doc:`/notebooks`.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> columns = model.can(P["dave"], VERSION_READ, version).to_columns()
            >>> columns["path"], columns["effect"], columns["deny_assignment"][0]
            (['deny', 'grant'], ['denied', 'denied'], 'No contractor reads of golden images')
        """
        return column_lists(_decision_columns(self))

    def to_records(self) -> list[dict[str, Any]]:
        """The rows of :meth:`to_columns` as dicts.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import VERSION_READ, sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> row = model.can(P["alice"], VERSION_READ, version).to_records()[0]
            >>> row["principal_label"], row["allowed"], row["chain"], row["role"]
            ('Alice', True, 'Alice → Platform devs → Platform', 'Reader')
        """
        return column_records(_decision_columns(self))

    def to_dataframe(self, *, exact: bool = False) -> pandas.DataFrame:
        """The rows of :meth:`to_columns` as a typed ``pandas.DataFrame`` (``pandas`` extra).

        Raises:
            MissingExtraError: pandas is not installed.
        """
        return column_dataframe(_decision_columns(self), exact=exact)

    def _repr_html_(self) -> str:
        return _decision_html(self)


_FIELDS: Final = (
    "principal",
    "action",
    "resource",
    "at",
    "effect",
    "allowed",
    "paths",
    "denials",
    "warnings",
    "requirements",
    "label",
)
"""The public fields of :class:`Decision`, in constructor order (its repr and equality)."""
_EXPLAINED: Final = ("_paths", "_denials", "_warnings")
_SLOTS: Final = tuple(a.name for a in attrs.fields(Decision))


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
_SHOWN: Final = 20
"""Answers whose decisions an HTML display computes and shows."""


class AccessMap(Mapping[_K, Decision], Generic[_K]):
    """The answer of :meth:`AccessModel.who_can` / :meth:`AccessModel.what_can`.

    Keys (principal ids or resource ids) are known up front; iteration is in a stable order
    (principals sorted by id, resources in inventory order). Each value is the full
    :class:`Decision` for that key, computed by :meth:`AccessModel.can` on first access.
    Principal keys are looked up ignoring case. When everyone is allowed (a community gallery's
    proxies), any principal id is in the map, also one the model has never seen; iteration
    shows the principals the model knows and :data:`ALL_PRINCIPALS`.

    Example:
        >>> from imagegallery.access import AccessModel
        >>> from imagegallery import sample_inventory
        >>> m = AccessModel.from_azure(sample_inventory())
        >>> gallery = next(sample_inventory().galleries())
        >>> len(m.who_can("Microsoft.Compute/galleries/read", gallery.id))
        0
    """

    __slots__ = ("_decide", "_done", "_everyone", "_keys", "_order", "_show")

    def __init__(
        self,
        keys: AbstractSet[Any] | Sequence[Any],
        decide: Callable[[_K], Decision],
        *,
        show: Callable[[Any], _K] | None = None,
        everyone: bool = False,
    ) -> None:
        """Keys are normalized (principal ids in lower case, or resource ids); a sequence keeps
        its order, a set is sorted on first iteration. ``show`` gives the key users see;
        ``everyone`` says that every principal id is a key."""
        self._everyone = everyone
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

    def _has(self, norm: object) -> bool:
        return norm in self._keys or (self._everyone and isinstance(norm, str) and bool(norm))

    def __getitem__(self, key: object) -> Decision:
        norm = self._norm(key)
        if not self._has(norm):
            raise ResourceNotFoundError(key, where="this answer")
        if norm not in self._done:
            self._done[norm] = self._decide(self._show(norm))
        return self._done[norm]

    def __contains__(self, key: object) -> bool:
        try:
            return self._has(self._norm(key))
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

    def to_columns(self) -> dict[str, list[Any]]:
        """One row per key with its decision in short: effect, grants, denials, roles.

        Every decision is computed. The columns are listed in :doc:`/notebooks`.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.access import sample_access_model
            >>> from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET
            >>> model = sample_access_model(sample_inventory())
            >>> version = next(sample_inventory().versions()).id
            >>> columns = model.who_can_deploy(version, SAMPLE_DEPLOY_TARGET).to_columns()
            >>> columns["principal_label"], columns["allowed"]
            (['Alice', 'Bob', 'deploy-pipeline'], [True, True, True])
        """
        return column_lists(_map_columns(self))

    def to_records(self) -> list[dict[str, Any]]:
        """The rows of :meth:`to_columns` as dicts."""
        return column_records(_map_columns(self))

    def to_dataframe(self, *, exact: bool = False) -> pandas.DataFrame:
        """The rows of :meth:`to_columns` as a typed ``pandas.DataFrame`` (``pandas`` extra).

        Raises:
            MissingExtraError: pandas is not installed.
        """
        return column_dataframe(_map_columns(self), exact=exact)

    def _repr_html_(self) -> str:
        return _map_html(self)


def _same(key: Any) -> Any:
    return key


_DECISION_COLUMNS: Final = (
    "principal",
    "principal_label",
    "action",
    "resource",
    "at",
    "effect",
    "allowed",
    "part_of",
    "path",
    "via",
    "path_effect",
    "chain",
    "holder",
    "role",
    "deny_assignment",
    "pattern",
    "scope",
    "note",
    "warnings",
)


def _decision_rows(decision: Decision, part_of: str | None) -> list[tuple[Any, ...]]:
    if decision.requirements:
        return [
            row for req in decision.requirements for row in _decision_rows(req, decision.action)
        ]
    head = (
        decision.principal,
        decision.label or decision.principal,
        decision.action,
        str(decision.resource),
        decision.at,
        decision.effect.value,
        decision.allowed,
        part_of,
    )
    warnings = "; ".join(decision.warnings) or None
    rows: list[tuple[Any, ...]] = [
        (
            *head,
            "deny",
            None,
            Effect.DENIED.value,
            " → ".join(d.labels),
            d.chain[-1],
            None,
            d.deny.label,
            d.pattern,
            str(d.scopes[0]) if d.scopes else None,
            None,
            warnings,
        )
        for d in decision.denials
    ]
    rows += [
        (
            *head,
            "grant",
            p.via,
            p.effect.value,
            " → ".join(p.labels),
            p.holder,
            None if p.role is None else p.role.name,
            None,
            p.pattern,
            str(p.scopes[0]) if p.scopes else None,
            p.note,
            warnings,
        )
        for p in decision.paths
    ]
    if not rows:
        rows.append((*head, *([None] * 10), warnings))
    return rows


def _decision_columns(decision: Decision) -> dict[str, Sequence[Any]]:
    rows = _decision_rows(decision, None)
    return {name: [row[i] for row in rows] for i, name in enumerate(_DECISION_COLUMNS)}


def _map_columns(answers: AccessMap[Any]) -> dict[str, Sequence[Any]]:
    decisions = [answers[key] for key in answers]
    return {
        "principal": [d.principal for d in decisions],
        "principal_label": [d.label or d.principal for d in decisions],
        "action": [d.action for d in decisions],
        "resource": [str(d.resource) for d in decisions],
        "at": [d.at for d in decisions],
        "effect": [d.effect.value for d in decisions],
        "allowed": [d.allowed for d in decisions],
        "grants": [len(d.paths) for d in decisions],
        "denials": [len(d.denials) for d in decisions],
        "via": [", ".join(dict.fromkeys(p.via for p in d.paths)) for d in decisions],
        "roles": [
            ", ".join(dict.fromkeys(p.role.name for p in d.paths if p.role is not None))
            for d in decisions
        ],
        "warnings": ["; ".join(d.warnings) or None for d in decisions],
    }


def _verdict(decision: Decision) -> str:
    mark = decision.effect.value
    if decision.allowed and decision.effect is not Effect.ALLOWED:
        mark = f"allowed ({mark})"
    who = decision.label or decision.principal
    return f"{who}: {decision.action} on {decision.resource} → {mark}"


def _paths_table(decision: Decision, caption: str) -> str:
    rows: list[tuple[Any, ...]] = [
        ("deny", " → ".join(d.labels), f"DENY {d.deny.label!r} [{d.pattern}]", d.scopes, "")
        for d in decision.denials
    ]
    rows += [
        (
            "grant",
            " → ".join(p.labels),
            f"{p.role.name} [{p.pattern}]" if p.role is not None else p.via,
            p.scopes,
            "; ".join(x for x in (p.effect.value, p.note) if x),
        )
        for p in decision.paths
    ]
    table = html_table(
        ("path", "who", "grant or deny", "scopes", "effect and note"),
        ((kind, who, what, _scope_text(scopes), note) for kind, who, what, scopes, note in rows),
        caption=caption,
        total=len(rows),
    )
    if decision.warnings:
        table += html_fields([("note", w) for w in decision.warnings])
    return table


def _decision_html(decision: Decision) -> str:
    if not decision.requirements:
        return html_block(_paths_table(decision, _verdict(decision)))
    parts = [html_fields([("answer", _verdict(decision))])]
    parts += [_paths_table(req, _verdict(req)) for req in decision.requirements]
    return html_block(*parts)


def _map_html(answers: AccessMap[Any]) -> str:
    keys = list(answers)
    shown = [answers[k] for k in keys[:_SHOWN]]
    question = f"{shown[0].action} on {shown[0].resource}: " if shown else ""
    return html_table(
        ("principal", "label", "resource", "effect", "grants", "denials", "roles"),
        (
            (
                d.principal,
                d.label,
                d.resource,
                d.effect,
                len(d.paths),
                len(d.denials),
                tuple(dict.fromkeys(p.role.name for p in d.paths if p.role is not None)),
            )
            for d in shown
        ),
        caption=f"{question}{html_count(len(keys), 'answer')}",
        total=len(keys),
    )

"""The rules of access, decided in one place.

Every answer of :class:`~imagegallery.access.AccessModel` comes from the functions here, over the
indexes of one :class:`~imagegallery.access.graph.AccessGraph`:

* :func:`decide` answers ``can``: the deny pass, then the grant pass, over the resource's
  :class:`~imagegallery.access.graph.Plan` and the principal's closure (on a static membership
  graph, over the compiled :class:`~imagegallery.access.graph.Holders` tables first), and an
  explanation that :func:`explain` computes when the decision's paths are first read;
  on a ``/SharedGalleries`` or ``/CommunityGalleries`` proxy it applies the sharing rules
  (community: public; direct share: the proxy's read action on a shared subscription, decided by
  :func:`decide` itself).
* :func:`who` and :func:`what` answer ``who_can`` and ``what_can`` set-at-a-time with the same
  rule functions (:func:`_grant`, :func:`_targeted`, :func:`_reaches`, :func:`counts`) over the
  same plans and closures; where a set form would need more than the static membership graph
  gives, they ask :func:`decide` for each candidate.
* :func:`can_deploy` and :func:`deploy_candidates` combine two decisions (read on the version or a
  sharing mode that opens it; VM write on the target) under the cross-tenant rule.

The rules in words, in the order they are applied:

1. A deny assignment *reaches* a resource when it sits on one of its scopes (the resource itself
   only, with ``do_not_apply_to_child_scopes``), is enforced (``audit`` only warns), and one of
   its permission blocks matches the action. It *targets* the principal when it targets All
   Principals, or the principal or one of its groups through active memberships (with
   ``include_eligible=True``, through eligible memberships too: the question is what the
   principal could do once it activates, and the answer never overstates), and no exclusion
   names the principal or one of its groups through active memberships. Any such deny makes the
   answer ``denied``.
2. A role assignment *grants* when it sits on one of the resource's scopes, is held by the
   principal or one of its groups, its ``[start, end)`` window holds at the moment asked, and its
   role grants the action (some block lists it in Actions and not in NotActions). Its effect is
   ``eligible`` when the assignment or a membership on the way is eligible, else ``conditional``
   when it has a condition, else ``allowed``; ``conditions="no-grant"`` drops conditional grants.
   An eligible grant with a condition is ``conditional`` when eligible grants are asked to count
   (``include_eligible=True``) and conditions are not (it stays conditional once activated).
3. An effect *counts* as allowed when it is ``allowed``, ``eligible`` with
   ``include_eligible=True``, or ``conditional`` with ``conditions="grant"``. The answer's effect is
   the strongest counting effect (allowed, then conditional, then eligible), else the strongest
   present, else ``notGranted``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Final, Literal, NamedTuple

import attrs

from imagegallery.access.actions import (
    DEFINITION_READ,
    VERSION_READ,
    VM_WRITE,
    is_read_action,
    read_action_for,
)
from imagegallery.access.decision import AccessPath, Decision, DenyPath, Effect
from imagegallery.access.graph import (
    ACTIVE,
    ELIGIBLE,
    AccessGraph,
    Closure,
    DictClosure,
    MaskClosure,
    Plan,
)
from imagegallery.access.records import (
    ALL_PRINCIPALS,
    AssignmentKind,
    DenyAssignment,
    RoleAssignment,
    RoleDefinition,
)
from imagegallery.errors import InvalidResourceIdError
from imagegallery.ids import ResourceId, ResourceKind

__all__ = [
    "Conditions",
    "Query",
    "can_deploy",
    "combine",
    "counts",
    "decide",
    "deploy_candidates",
    "explain",
    "what",
    "who",
]

Conditions = Literal["unknown", "grant", "no-grant"]
_RANK: Final = {Effect.ALLOWED: 0, Effect.CONDITIONAL: 1, Effect.ELIGIBLE: 2}
"""Strongest first: how effects of grant paths rank against each other."""
_BLOCKING: Final = (Effect.DENIED, Effect.NOT_GRANTED, Effect.ELIGIBLE, Effect.CONDITIONAL)
"""Which failed requirement of a compound decision names its effect, first first."""
_VERSION_KINDS: Final = (
    ResourceKind.IMAGE_VERSION,
    ResourceKind.SHARED_VERSION,
    ResourceKind.COMMUNITY_VERSION,
)
_PROXY_ROOTS: Final = (ResourceKind.SHARED_GALLERY, ResourceKind.COMMUNITY_GALLERY)
_SMALL_SCOPE: Final = 4
"""A resource with at most this many holders of its own is checked holder by holder (no table)."""


class Query(NamedTuple):
    """One question's action and options (see :meth:`AccessModel.can`); build it with
    :meth:`of`."""

    action: str
    low: str
    """The action in lower case (how the indexes memoize matches)."""
    at: datetime
    include_eligible: bool
    data: bool
    conditions: Conditions

    @classmethod
    def of(
        cls,
        action: str,
        at: datetime,
        *,
        include_eligible: bool = False,
        data: bool = False,
        conditions: Conditions = "unknown",
    ) -> Query:
        """A query for ``action`` at ``at``."""
        return cls(action, action.lower(), at, include_eligible, data, conditions)

    def asking(self, action: str) -> Query:
        """The same options for another (control-plane) action."""
        return self._replace(action=action, low=action.lower(), data=False)


# -- effects ---------------------------------------------------------------------------------------


def path_effect(ra: RoleAssignment, how: int, query: Query) -> Effect | None:
    """The effect of a grant through ``ra`` reached ``how`` (ACTIVE or ELIGIBLE membership);
    ``None`` when a conditional grant is to be ignored."""
    if ra.condition and query.conditions == "no-grant":
        return None
    if ra.kind is AssignmentKind.ELIGIBLE or how != ACTIVE:
        if ra.condition and query.include_eligible and query.conditions != "grant":
            return Effect.CONDITIONAL
        return Effect.ELIGIBLE
    return Effect.CONDITIONAL if ra.condition else Effect.ALLOWED


def counts(effect: Effect, query: Query) -> bool:
    """Whether a path with ``effect`` makes the answer "allowed" under the query's options."""
    if effect is Effect.ALLOWED:
        return True
    if effect is Effect.ELIGIBLE:
        return query.include_eligible
    return effect is Effect.CONDITIONAL and query.conditions == "grant"


def combine(effects: Iterable[Effect], query: Query) -> tuple[Effect, bool]:
    """The overall effect and allowed flag of a set of path effects (no deny)."""
    present: list[Effect] = []
    for effect in effects:  # a list, not a set: hashing an enum member is a Python call
        if effect not in present:
            present.append(effect)
    if len(present) > 1:
        present.sort(key=_RANK.__getitem__)
    if not present:
        return Effect.NOT_GRANTED, False
    counting = [e for e in present if counts(e, query)]
    if counting:
        return counting[0], True
    return present[0], False


# -- the rule functions every question applies ----------------------------------------------------


@attrs.frozen
class _Grant:
    """One applicable grant: an assignment reached through ``holder``."""

    assignment: RoleAssignment
    role: RoleDefinition
    holder: str
    depth: int
    pattern: str
    effect: Effect
    how: int
    """How the holder is reached: ACTIVE or ELIGIBLE."""

    @property
    def eligible(self) -> bool:
        """Whether the grant needs a PIM activation (of the assignment or a membership)."""
        return self.assignment.kind is AssignmentKind.ELIGIBLE or self.how != ACTIVE


@attrs.frozen
class _Denial:
    """One deny that blocks: the pattern it matched, where, and whom it targets."""

    deny: DenyAssignment
    pattern: str
    depth: int
    target: str


def _grant(
    g: AccessGraph, query: Query, ra: RoleAssignment, how: int
) -> tuple[RoleDefinition, str, Effect] | None:
    """Whether ``ra``, held by a principal reached ``how``, grants the query's action at the
    query's moment: ``(role, pattern, effect)``, else ``None`` (rule 2)."""
    role = g.role_of(ra)
    assert role is not None  # assignments without a role are orphans, never indexed
    pattern = g.hit(role, query.low, query.data)
    if pattern is None or not ra.active_at(query.at):
        return None
    effect = path_effect(ra, how, query)
    return None if effect is None else (role, pattern, effect)


def _reaches(deny: DenyAssignment, depth: int) -> bool:
    """Whether a deny on the scope ``depth`` levels above a resource reaches it (rule 1)."""
    return not (deny.do_not_apply_to_child_scopes and depth)


def _targeted(deny: DenyAssignment, closure: Closure, query: Query) -> str | None:
    """Whom a deny targets in ``closure`` (active memberships, and eligible ones when eligible
    grants count), unless an active membership exempts it (rule 1)."""
    if any(closure.how(x.lower()) == ACTIVE for x in deny.exclude_principals):
        return None
    if deny.targets_everyone:
        return ALL_PRINCIPALS
    reach = (ACTIVE, ELIGIBLE) if query.include_eligible else (ACTIVE,)
    for principal in deny.principals:
        if closure.how(principal.lower()) in reach:
            return principal.lower()
    return None


def _denies(
    g: AccessGraph, query: Query, closure: Closure, plan: Plan, audit: list[str] | None
) -> list[_Denial]:
    """The deny pass: each enforced deny that blocks; audit-only ones are noted in ``audit``."""
    found: list[_Denial] = []
    for depth, deny in plan.denies:
        if not _reaches(deny, depth):
            continue
        pattern = g.deny_hit(deny, query.low, query.data)
        if pattern is None:
            continue
        target = _targeted(deny, closure, query)
        if target is None:
            continue
        if not deny.enforced:
            if audit is not None:
                audit.append(f"audit-only deny {deny.label!r} at {deny.scope} would block this")
            continue
        found.append(_Denial(deny, pattern, depth, target))
    return found


def _grants(
    g: AccessGraph, query: Query, closure: Closure, plan: Plan, misses: list[str] | None
) -> list[_Grant]:
    """The grant pass: one :class:`_Grant` per (assignment, holder); near misses (NotActions,
    windows) are noted in ``misses``."""
    found: list[_Grant] = []
    for depth, scope, at_scope, key, how in closure.along(plan):
        for ra in at_scope[key]:
            hit = _grant(g, query, ra, how)
            if hit is not None:
                found.append(_Grant(ra, hit[0], key, depth, hit[1], hit[2], how))
            elif misses is not None:
                _near_miss(g, query, ra, key=key, scope=scope, out=misses)
    return found


def _near_miss(
    g: AccessGraph, query: Query, ra: RoleAssignment, *, key: str, scope: ResourceId, out: list[str]
) -> None:
    role = g.role_of(ra)
    assert role is not None
    if g.hit(role, query.low, query.data) is None:
        removed = g.removed(role, query.low, query.data)
        if removed is not None:
            out.append(
                f"{role.name} @ {scope} lists it in NotActions ({removed!r});"
                " NotActions subtract, they do not deny"
            )
    elif not ra.active_at(query.at):
        out.append(
            f"{role.name} @ {scope} for {g.label(key)} is outside its window"
            f" [{_iso(ra.start)}, {_iso(ra.end)}) at {query.at.isoformat()}"
        )


# -- can ------------------------------------------------------------------------------------------


def decide(
    g: AccessGraph, query: Query, principal: str, rid: ResourceId, *, details: bool = True
) -> Decision:
    """Evaluate one question (see :meth:`AccessModel.can`); ``details=False`` leaves out the
    explanation (paths, denials, warnings) and the label.

    The verdict is decided here; the explanation is computed by :func:`explain` when the
    decision's ``paths``, ``denials`` or ``warnings`` are first read."""
    key = principal.lower()
    # ``g.names`` holds (id as first spelled, display name) for every key ``g.display`` spells:
    # one lookup for ``g.shown`` and ``g.label``
    names = g.names.get(key)
    shown, label = (principal, key) if names is None else names
    if rid.kind.is_proxy:
        return _decide_proxy(g, query, shown, rid)
    effect, allowed = _verdict(g, query, key, rid)
    if not details:
        return Decision(shown, query.action, rid, query.at, effect, allowed)
    later = partial(explain, g, query, key, rid, effect)
    return Decision(
        shown, query.action, rid, query.at, effect, allowed, later, later, later, (), label
    )


def _verdict(g: AccessGraph, query: Query, key: str, rid: ResourceId) -> tuple[Effect, bool]:
    """The effect of a question and whether it counts as allowed: the deny pass, then the grant
    pass (rules 1 to 3).

    On a static membership graph the grant pass asks the compiled :class:`Holders` tables first:
    a sure holder in the principal's closure is an ``allowed`` path (rule 2: an active,
    permanent, unconditional assignment reached through active memberships), and without any
    holder of the action in the closure nothing grants; only when the closure meets holders of
    other (windowed, eligible or conditional) grants alone are the paths' effects combined."""
    plan = g.plan(rid)
    members = g.members
    if not members.is_static:
        closure: Closure = g.view(key, query.at)
        if _denies(g, query, closure, plan, None):
            return Effect.DENIED, False
        return combine((f.effect for f in _grants(g, query, closure, plan, None)), query)
    low, data = query.low, query.data
    mask = members.principal_mask(key)
    targets: MaskClosure | None = None
    for depth, deny in plan.denies:  # rule 1, as in :func:`_denies`
        if not (deny.enforced and _reaches(deny, depth)):
            continue
        if g.deny_hit(deny, low, data) is None:
            continue
        targets = targets or MaskClosure(key, members, mask)
        if _targeted(deny, targets, query) is not None:
            return Effect.DENIED, False
    above = g.holders_above(plan, low, data)
    if above.sure(key, mask):
        return Effect.ALLOWED, True
    other = above.other(key, mask)
    if plan.assignments and plan.assignments[0][0] == 0:  # assignments at the resource itself
        own = plan.assignments[0][2]
        if len(own) > _SMALL_SCOPE:
            here = g.holders_at(rid, low, data)
            if here.sure(key, mask):
                return Effect.ALLOWED, True
            other = other or here.other(key, mask)
        else:
            for holder, ras in own.items():
                b = members.bit(holder)
                if holder != key and (b is None or not (mask >> b) & 1):
                    continue
                for ra in ras:
                    kind = g.grant_kind(ra, low, data)
                    if kind == 1:
                        return Effect.ALLOWED, True
                    other = other or kind == 2
    if not other:
        return Effect.NOT_GRANTED, False
    closure = MaskClosure(key, members, mask)
    return combine((f.effect for f in _grants(g, query, closure, plan, None)), query)


def explain(
    g: AccessGraph, query: Query, key: str, rid: ResourceId, effect: Effect
) -> tuple[tuple[AccessPath, ...], tuple[DenyPath, ...], tuple[str, ...]]:
    """The explanation of a decision (not on a proxy) whose effect is ``effect``: every grant
    path, every blocking deny, and the warnings (audit-only denies, a resource missing from the
    inventory, ignored orphans, and near misses unless allowed). Pure: it reads the model's
    indexes and keeps nothing."""
    plan = g.plan(rid)
    closure = g.view(key, query.at)
    notes: list[str] = []
    misses: list[str] = []
    denials = _denies(g, query, closure, plan, notes)
    found = _grants(g, query, closure, plan, misses)
    if g.scopes.is_missing(rid):
        notes.append(f"{rid} is not in the inventory")
    for member, _how in closure.among(g.orphans_by_principal, g.orphan_mask):
        for orphan in g.orphans_by_principal[member]:
            scope = orphan.assignment.scope
            if scope in plan.chain or g.scopes.is_missing(scope):
                notes.append(f"ignored assignment {orphan}")
    if effect is not Effect.ALLOWED:
        notes.extend(misses)
    paths = _Explanation(g, key, plan.chain, g.members.chains(key, query.at))
    return (
        tuple(paths.grant(f) for f in found),
        tuple(paths.deny(d) for d in denials),
        tuple(dict.fromkeys(notes)),
    )


def _everyone(g: AccessGraph, shown: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The chain (ids, labels) from a principal to All Principals."""
    return (shown, ALL_PRINCIPALS), (g.label(shown.lower()), "Everyone")


class _Explanation:
    """The paths of one decision: membership chains from the principal (with display names) and
    scope chains from where an assignment sits down to the resource."""

    __slots__ = ("chain", "chain_of", "g", "key")

    def __init__(
        self,
        g: AccessGraph,
        key: str,
        chain: tuple[ResourceId, ...],
        chain_of: Callable[[str], tuple[str, ...]],
    ) -> None:
        self.g = g
        self.key = key
        self.chain = chain
        self.chain_of = chain_of

    def _who(self, holder: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        keys = self.chain_of(holder) or (self.key, holder)
        names = self.g.names
        ids, labels = zip(*[names.get(k) or (k, k) for k in keys], strict=True)
        return ids, labels

    def _scopes(self, depth: int) -> tuple[ResourceId, ...]:
        return tuple(reversed(self.chain[: depth + 1]))

    def grant(self, grant: _Grant) -> AccessPath:
        ids, labels = self._who(grant.holder)
        notes = []
        if grant.eligible:
            notes.append(
                "eligible assignment: activate it in PIM"
                if grant.assignment.kind is AssignmentKind.ELIGIBLE
                else "eligible group membership: activate it in PIM"
            )
        if grant.assignment.condition and grant.effect is Effect.CONDITIONAL:
            notes.append(f"condition not evaluated: {grant.assignment.condition}")
        note = "; ".join(notes) or None
        return AccessPath(
            chain=ids,
            labels=labels,
            via="rbac",
            scopes=self._scopes(grant.depth),
            effect=grant.effect,
            assignment=grant.assignment,
            role=grant.role,
            pattern=grant.pattern,
            note=note,
        )

    def deny(self, denial: _Denial) -> DenyPath:
        if denial.target == ALL_PRINCIPALS:
            ids, labels = _everyone(self.g, self.g.shown(self.key))
        else:
            ids, labels = self._who(denial.target)
        return DenyPath(
            deny=denial.deny,
            chain=ids,
            labels=labels,
            pattern=denial.pattern,
            scopes=self._scopes(denial.depth),
        )


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "-"


def _everyone_path(
    g: AccessGraph,
    shown: str,
    *,
    via: str,
    scopes: tuple[ResourceId, ...],
    note: str,
) -> AccessPath:
    """A path of a sharing mode open to everyone (community, or a direct share)."""
    ids, labels = _everyone(g, shown)
    return AccessPath(
        chain=ids,
        labels=labels,
        via=via,
        scopes=scopes,
        effect=Effect.ALLOWED,
        note=note,
    )


def _answer(
    query: Query,
    shown: str,
    rid: ResourceId,
    verdict: tuple[Effect, bool],
    *,
    paths: Iterable[AccessPath] = (),
    denials: Iterable[DenyPath] = (),
    warnings: Iterable[str] = (),
    label: str | None = None,
) -> Decision:
    """The decision of ``query`` for ``shown`` on ``rid``: ``verdict`` is the effect and whether
    it counts as allowed."""
    return Decision(
        principal=shown,
        action=query.action,
        resource=rid,
        at=query.at,
        effect=verdict[0],
        allowed=verdict[1],
        paths=tuple(paths),
        denials=tuple(denials),
        warnings=tuple(warnings),
        label=label,
    )


def _settled(
    query: Query,
    shown: str,
    rid: ResourceId,
    label: str | None,
    *,
    path: AccessPath | None = None,
    why: str | None = None,
) -> Decision:
    """A decision that needs no rule evaluation: allowed by one sharing ``path``, or not granted
    (for the reason ``why``)."""
    if path is not None:
        return _answer(query, shown, rid, (Effect.ALLOWED, True), paths=(path,), label=label)
    reasons = () if why is None else (why,)
    return _answer(query, shown, rid, (Effect.NOT_GRANTED, False), warnings=reasons, label=label)


# -- the shared and community proxies -------------------------------------------------------------


def _decide_proxy(g: AccessGraph, query: Query, shown: str, rid: ResourceId) -> Decision:
    """A question on a proxy id: community galleries are public; a direct share is read through
    a subscription it reaches, with the proxy's read action there."""
    key = shown.lower()
    label = g.label(key)
    shared = g.proxy_target(rid)
    if shared is None:
        why = f"no gallery in the inventory is shared as {rid.gallery!r}"
        return _settled(query, shown, rid, label, why=why)
    if query.data or not is_read_action(query.action):
        why = "shared and community proxies are read-only"
        return _settled(query, shown, rid, label, why=why)
    scopes = tuple(reversed([rid, *_proxy_parents(rid)]))
    if shared.is_community:
        path = _everyone_path(
            g,
            shown,
            via="community",
            scopes=scopes,
            note=f"community gallery {rid.gallery}: public",
        )
        return _settled(query, shown, rid, label, path=path)
    proxy_action = read_action_for(rid.kind)
    inner_query = query.asking(proxy_action)
    paths: list[AccessPath] = []
    denials: list[DenyPath] = []
    reached = g.subscriptions_reached(shared)
    for sub in reached:
        inner = decide(g, inner_query, shown, ResourceId.parse(f"/subscriptions/{sub}"))
        denials.extend(inner.denials)
        if inner.effect is Effect.DENIED:
            continue
        paths.extend(
            attrs.evolve(
                p,
                via="direct-share",
                scopes=(*p.scopes, *scopes),
                note=f"gallery shared with subscription {sub}; {proxy_action} there",
            )
            for p in inner.paths
        )
    verdict = combine((p.effect for p in paths), query)
    if not paths and denials:
        verdict = (Effect.DENIED, False)
    notes: tuple[str, ...] = ()
    if not paths:
        whom = ", ".join(reached) or "no known subscription"
        notes = (
            f"{rid.gallery} is directly shared with {whom}; the proxy is read there, which needs"
            f" {proxy_action} on one of those subscriptions",
        )
    return _answer(
        query, shown, rid, verdict, paths=paths, denials=denials, warnings=notes, label=label
    )


def _proxy_parents(rid: ResourceId) -> list[ResourceId]:
    out = []
    node = rid
    while node.kind not in _PROXY_ROOTS:
        parent = node.parent
        if parent is None:
            break
        out.append(parent)
        node = parent
    return out


# -- who_can and what_can --------------------------------------------------------------------------


def who(g: AccessGraph, query: Query, rid: ResourceId) -> set[str]:
    """The principal keys for which :func:`decide` says allowed (on a proxy: the principals the
    model knows, and :data:`ALL_PRINCIPALS` when anyone, known or not, is allowed).

    On a static membership graph, by set algebra: the holders whose grant counts (rule 2 with an
    active path, rule 3), with everyone under them, minus those the reaching denies target and
    do not exempt (rule 1). Otherwise the same holders, over every edge, are candidates that
    :func:`decide` settles one by one.
    """
    if rid.kind.is_proxy:
        known = {*g.display, *g.principals, ALL_PRINCIPALS}
        return {k for k in known if decide(g, query, k, rid, details=False).allowed}
    static = g.members.is_static
    plan = g.plan(rid)
    holders: set[str] = set()
    for _depth, _scope, at_scope, _mask in plan.assignments:
        for holder, ras in at_scope.items():
            if holder in holders:
                continue
            for ra in ras:
                hit = _grant(g, query, ra, ACTIVE if static else ELIGIBLE)
                if hit is not None and (not static or counts(hit[2], query)):
                    holders.add(holder)
                    break
    allowed = g.members.members_of_any(holders)
    if not static:
        return {k for k in allowed if decide(g, query, k, rid, details=False).allowed}
    for depth, deny in plan.denies:
        if not (_reaches(deny, depth) and deny.enforced):
            continue
        if g.deny_hit(deny, query.low, query.data) is None:
            continue
        exempt = g.members.members_of_any(p.lower() for p in deny.exclude_principals)
        if deny.targets_everyone:
            allowed &= exempt
        else:
            allowed -= g.members.members_of_any(p.lower() for p in deny.principals) - exempt
    return allowed


def what(g: AccessGraph, query: Query, principal: str) -> list[ResourceId]:
    """The inventory resources (galleries, definitions, versions) for which :func:`decide` says
    allowed, in inventory order: everything under a scope where one of the principal's grants
    counts, minus what the denies that target it reach."""
    key = principal.lower()
    closure = DictClosure(key, g.members.groups_of(key, query.at))
    scopes = g.scopes
    granted: set[ResourceId] = set()
    for member, how in closure.members.items():
        for ra in g.ra_by_principal.get(member, ()):
            hit = _grant(g, query, ra, how)
            if hit is not None and counts(hit[2], query):
                granted.update(scopes.under(ra.scope))
    if not granted:
        return []
    for scope, denies in g.deny_by_scope.items():
        for deny in denies:
            if not deny.enforced or g.deny_hit(deny, query.low, query.data) is None:
                continue
            if _targeted(deny, closure, query) is None:
                continue
            granted.difference_update(scopes.under(scope) if _reaches(deny, 1) else (scope,))
    return [rid for rid in scopes.resources() if rid in granted]


# -- deploying -------------------------------------------------------------------------------------


def _identities_in(g: AccessGraph, key: str, tenant: str | None) -> list[str]:
    """The objects of ``key``'s identity that can act in ``tenant`` (the principal itself when
    tenants are unknown)."""
    principal = g.principals.get(key)
    if tenant is None or principal is None:
        return [key]
    same = g.identities.get(principal.identity_key, [key])
    out = [q for q in same if (g.principals[q].tenant_id or tenant).lower() == tenant]
    return sorted(out, key=lambda q: (q != key, q))


def _ask_as(
    g: AccessGraph,
    query: Query,
    key: str,
    *,
    shown: str,
    rid: ResourceId,
    tenant: str | None,
) -> tuple[Decision, list[str]]:
    """The best decision of the objects of ``key``'s identity in ``tenant``, and those objects;
    without any, ``LinkedAuthorizationFailed`` (ARM cannot authorize the linked scope)."""
    ids = _identities_in(g, key, tenant)
    if not ids:
        why = (
            f"LinkedAuthorizationFailed: {shown} has no object in tenant {tenant} (no guest"
            " account, no service principal of the same app), so the linked scope cannot be"
            " authorized"
        )
        return _settled(query, shown, rid, None, why=why), ids
    decisions = [decide(g, query, q, rid) for q in ids]
    return next((d for d in decisions if d.allowed), decisions[0]), ids


def _share_read(
    g: AccessGraph,
    reading: Query,
    key: str,
    version: ResourceId,
    *,
    gallery_id: ResourceId,
    target: ResourceId,
) -> Decision | None:
    """Read granted by community or direct sharing for a deployment into ``target``, if any."""
    shared = g.sharing.get(gallery_id)
    target_sub = (target.subscription_id or "").lower()
    if shared is None or not (
        shared.is_community or shared.reaches(target_sub, g.tenant_of(target))
    ):
        return None
    proxy = shared.proxy_id(shared.real_id(version) if version.kind.is_proxy else version)
    if shared.is_community:
        why, via = "community gallery: open to everyone", "community"
    else:
        whom = "subscription" if target_sub in shared.subscriptions else "tenant"
        why, via = f"directly shared with the target's {whom}", "direct-share"
    path = _everyone_path(
        g,
        g.shown(key),
        via=via,
        scopes=(gallery_id, *((proxy,) if proxy is not None else ())),
        note=f"{why}; deploy with {proxy}",
    )
    return _settled(reading, g.shown(key), version, g.label(key), path=path)


def can_deploy(
    g: AccessGraph, query: Query, principal: str, version: ResourceId, target: ResourceId
) -> Decision:
    """May ``principal`` create a VM from ``version`` in ``target`` (see
    :meth:`AccessModel.can_deploy`)? ``query`` gives the moment and options; its action is
    ignored."""
    if version.kind not in _VERSION_KINDS:
        raise InvalidResourceIdError(
            "expected an image version id or proxy", field="version", value=str(version)
        )
    if target.kind.is_proxy:
        raise InvalidResourceIdError(
            "a VM target is a subscription or resource group",
            field="target_scope",
            value=str(target),
        )
    key = principal.lower()
    shown = g.display.get(key, principal)
    reading = query.asking(VERSION_READ)
    notes: list[str] = []
    gallery_id: ResourceId | None
    if version.kind.is_proxy:
        shared = g.proxy_target(version)
        gallery_id = shared.gallery_id if shared else None
        missing = (
            None if shared else f"no gallery in the inventory is shared as {version.gallery!r}"
        )
        read = _settled(reading, shown, version, g.label(key), why=missing)
    else:
        definition = version.parent
        assert definition is not None
        gallery_id = definition.parent
        read, ids = _ask_as(g, reading, key, shown=shown, rid=version, tenant=g.tenant_of(version))
        definition_read = reading.asking(DEFINITION_READ)
        if read.allowed and not decide(g, definition_read, ids[0], definition, details=False):
            notes.append(
                "read is granted on the version but not on its image definition"
                " (Microsoft.Compute/galleries/images/read): tools such as"
                " 'az vmss create' that read the definition may fail"
            )
    if not read.allowed and read.effect is not Effect.DENIED and gallery_id is not None:
        opened = _share_read(g, reading, key, version, gallery_id=gallery_id, target=target)
        read = opened or read
    writing = query.asking(VM_WRITE)
    write, _ids = _ask_as(g, writing, key, shown=shown, rid=target, tenant=g.tenant_of(target))
    parts = (read, write)
    if all(p.allowed for p in parts):
        effect = max((p.effect for p in parts), key=lambda e: _RANK.get(e, 0))
    else:
        effect = next(e for e in _BLOCKING if any(not p.allowed and p.effect is e for p in parts))
    return Decision(
        principal=shown,
        action="deploy",
        resource=version,
        at=query.at,
        effect=effect,
        allowed=all(p.allowed for p in parts),
        paths=tuple(path for p in parts for path in p.paths),
        denials=tuple(d for p in parts for d in p.denials),
        warnings=tuple(dict.fromkeys(notes)),
        requirements=parts,
        label=g.label(key),
    )


def deploy_candidates(g: AccessGraph, query: Query, target: ResourceId) -> set[str]:
    """Every principal for whom :func:`can_deploy` into ``target`` may be allowed: those allowed
    to write VMs there, and the other objects of their identities."""
    writers = who(g, query.asking(VM_WRITE), target)
    candidates = set(writers)
    for key in writers:
        principal = g.principals.get(key)
        if principal is not None:
            candidates.update(g.identities.get(principal.identity_key, ()))
    return candidates

"""Access through the consumer-side proxies of direct-shared and community galleries.

``/CommunityGalleries/...`` ids are public: anyone may read them. ``/SharedGalleries/...`` ids are
read through a subscription the gallery is shared with (listed, or in a listed tenant), which needs
the proxy's read action (``Microsoft.Compute/locations/sharedGalleries/.../read``) there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from imagegallery.access._effects import Conditions, combine
from imagegallery.access._engine import Engine
from imagegallery.access.actions import is_read_action, read_action_for
from imagegallery.access.decision import AccessPath, Decision, DenyPath, Effect
from imagegallery.access.principals import ALL_PRINCIPALS
from imagegallery.ids import ResourceId, ResourceKind

__all__ = ["decide_proxy"]


def decide_proxy(
    engine: Engine,
    shown: str,
    action: str,
    rid: ResourceId,
    *,
    at: datetime,
    include_eligible: bool,
    data: bool,
    conditions: Conditions,
) -> Decision:
    """Evaluate a question on a proxy id (see :meth:`AccessModel.can`)."""
    base: dict[str, Any] = {
        "principal": shown,
        "action": action,
        "resource": rid,
        "at": at,
        "label": engine.label(shown.lower()),
    }
    shared = engine.proxy_target(rid)
    if shared is None:
        return Decision(
            **base,
            effect=Effect.NOT_GRANTED,
            allowed=False,
            warnings=(f"no gallery in the inventory is shared as {rid.gallery!r}",),
        )
    if data or not is_read_action(action):
        return Decision(
            **base,
            effect=Effect.NOT_GRANTED,
            allowed=False,
            warnings=("shared and community proxies are read-only",),
        )
    scopes = tuple(reversed([rid, *_proxy_parents(rid)]))
    if shared.is_community:
        path = AccessPath(
            chain=(shown, ALL_PRINCIPALS),
            labels=(engine.label(shown.lower()), "Everyone"),
            via="community",
            scopes=scopes,
            effect=Effect.ALLOWED,
            note=f"community gallery {rid.gallery}: public",
        )
        return Decision(**base, effect=Effect.ALLOWED, allowed=True, paths=(path,))
    proxy_action = read_action_for(rid.kind)
    paths: list[AccessPath] = []
    denials: list[DenyPath] = []
    for sub in engine.subscriptions_reached(shared):
        sid = ResourceId.parse(f"/subscriptions/{sub}")
        inner = engine.decide(
            shown,
            proxy_action,
            sid,
            at=at,
            include_eligible=include_eligible,
            data=False,
            conditions=conditions,
        )
        denials.extend(inner.denials)
        if inner.effect is Effect.DENIED:
            continue
        for p in inner.paths:
            paths.append(
                attrs.evolve(
                    p,
                    via="direct-share",
                    scopes=(*p.scopes, *scopes),
                    note=f"gallery shared with subscription {sub}; {proxy_action} there",
                )
            )
    effect, allowed = combine((p.effect for p in paths), include_eligible, conditions)
    if not paths and denials:
        effect = Effect.DENIED
    notes: tuple[str, ...] = ()
    if not paths:
        reached = ", ".join(engine.subscriptions_reached(shared)) or "no known subscription"
        notes = (
            f"{rid.gallery} is directly shared with {reached}; the proxy is read there, which"
            f" needs {proxy_action} on one of those subscriptions",
        )
    return Decision(
        **base,
        effect=effect,
        allowed=allowed,
        paths=tuple(paths),
        denials=tuple(denials),
        warnings=notes,
    )


def _proxy_parents(rid: ResourceId) -> list[ResourceId]:
    out = []
    node = rid
    while node.kind not in (ResourceKind.SHARED_GALLERY, ResourceKind.COMMUNITY_GALLERY):
        parent = node.parent
        if parent is None:
            break
        out.append(parent)
        node = parent
    return out

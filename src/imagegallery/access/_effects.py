"""How the effects of access paths make an answer: the effect of one grant path, whether an effect
counts as "allowed" under a query's options, and how several effects combine.

Shared by the single-question evaluation (:class:`~imagegallery.access._engine.Engine`), its bulk
forms and the gallery proxies.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal

from imagegallery.access._graph import ACTIVE
from imagegallery.access.assignments import RoleAssignment
from imagegallery.access.decision import Effect
from imagegallery.access.principals import AssignmentKind

__all__ = ["Conditions", "combine", "counts", "path_effect"]

Conditions = Literal["unknown", "grant", "no-grant"]
_RANK: Final = {Effect.ALLOWED: 0, Effect.CONDITIONAL: 1, Effect.ELIGIBLE: 2}


def path_effect(ra: RoleAssignment, how: int, conditions: Conditions) -> Effect | None:
    """The effect of a grant through ``ra`` reached ``how`` (ACTIVE or ELIGIBLE membership);
    ``None`` when a conditional grant is to be ignored."""
    if ra.condition and conditions == "no-grant":
        return None
    if ra.kind is AssignmentKind.ELIGIBLE or how != ACTIVE:
        return Effect.ELIGIBLE
    return Effect.CONDITIONAL if ra.condition else Effect.ALLOWED


def counts(effect: Effect, include_eligible: bool, conditions: Conditions) -> bool:
    """Whether a path with ``effect`` makes the answer "allowed" under the query's options."""
    if effect is Effect.ALLOWED:
        return True
    if effect is Effect.ELIGIBLE:
        return include_eligible
    return effect is Effect.CONDITIONAL and conditions == "grant"


def combine(
    effects: Iterable[Effect], include_eligible: bool, conditions: Conditions
) -> tuple[Effect, bool]:
    """The overall effect and allowed flag of a set of path effects (no deny)."""
    present = sorted(set(effects), key=_RANK.__getitem__)
    if not present:
        return Effect.NOT_GRANTED, False
    counting = [e for e in present if counts(e, include_eligible, conditions)]
    if counting:
        return counting[0], True
    return present[0], False

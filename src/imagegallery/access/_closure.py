"""A principal's closure (itself and its transitive groups) as the evaluation rules see it.

Two forms with one interface: a dictionary of key → how it is reached (any membership graph),
and a bit mask over the groups that have members (static graphs), where intersecting the
closure with the holders at a scope is one big-integer ``&``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from imagegallery.access._graph import ACTIVE, MembershipGraph

__all__ = ["Closure", "DictClosure", "MaskClosure"]

_SMALL: Final = 4
"""Scopes with at most this many holders are probed one by one rather than by mask."""


class Closure:
    """The principal ``key`` and the groups it belongs to."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def how(self, member: str) -> int:
        """ACTIVE or ELIGIBLE when ``member`` is the principal or one of its groups, else 0."""
        raise NotImplementedError

    def among(self, holders: Mapping[str, Any], mask: int | None) -> list[tuple[str, int]]:
        """The keys of ``holders`` in the closure, with how each is reached; ``mask`` is the
        mask of ``holders`` (or ``None``)."""
        raise NotImplementedError


class DictClosure(Closure):
    """A closure as a dictionary (keys valid at the moment of the question)."""

    __slots__ = ("members",)

    def __init__(self, key: str, members: dict[str, int]) -> None:
        super().__init__(key)
        self.members = members

    def how(self, member: str) -> int:
        return self.members.get(member, 0)

    def among(self, holders: Mapping[str, Any], mask: int | None) -> list[tuple[str, int]]:
        members = self.members
        return [(k, members[k]) for k in holders.keys() & members.keys()]


class MaskClosure(Closure):
    """A closure over a static graph, as a bit mask (every member is ACTIVE)."""

    __slots__ = ("graph", "is_group", "mask")

    def __init__(self, key: str, graph: MembershipGraph) -> None:
        super().__init__(key)
        self.graph = graph
        self.mask = graph.principal_mask(key)
        self.is_group = graph.bit(key) is not None

    def how(self, member: str) -> int:
        if member == self.key:
            return ACTIVE
        b = self.graph.bit(member)
        return ACTIVE if b is not None and (self.mask >> b) & 1 else 0

    def among(self, holders: Mapping[str, Any], mask: int | None) -> list[tuple[str, int]]:
        if mask is None or len(holders) <= _SMALL:
            return [(k, ACTIVE) for k in holders if self.how(k)]
        out = [] if self.is_group or self.key not in holders else [(self.key, ACTIVE)]
        hits = mask & self.mask
        order = self.graph.order
        while hits:
            low = hits & -hits
            out.append((order[low.bit_length() - 1], ACTIVE))
            hits ^= low
        return out

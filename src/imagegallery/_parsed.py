"""What the value types parsed from text share: the text kept, compared by a key.

Example:
    >>> from imagegallery import ImageVersionName, ResourceId
    >>> v = ImageVersionName.parse("01.0.0")
    >>> str(v), v == ImageVersionName.parse("1.0.0"), repr(v)
    ('01.0.0', True, "ImageVersionName('01.0.0')")
    >>> ResourceId.parse("/subscriptions/A") == ResourceId.parse("/SUBSCRIPTIONS/a")
    True
"""

from __future__ import annotations

from typing import Any, Generic, Self, TypeVar

__all__ = ["ParsedText"]

_K = TypeVar("_K", str, tuple[int, int, int])


class ParsedText(Generic[_K]):
    """A value parsed from text: ``str()`` gives back the text; equality, hashing and order use
    the key the subclass computed (its ``parse`` class method rebuilds the value from the text,
    for pickling)."""

    __slots__ = ("_key", "_text")

    _key: _K
    _text: str

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._text!r})"

    def __hash__(self) -> int:
        return hash(self._key)

    @classmethod
    def parse(cls, text: str, /) -> Self:
        """Parse ``text`` (each subclass defines how)."""
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if isinstance(other, type(self)):
            return self._key == other._key
        return NotImplemented

    def __lt__(self, other: Self) -> bool:
        if isinstance(other, type(self)):
            return self._key < other._key
        return NotImplemented

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self).parse, (self._text,))

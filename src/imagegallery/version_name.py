"""Image version names: ``Major.Minor.Patch``, ordered numerically.

Azure names every image version ``Major.Minor.Patch`` where each part is a decimal integer that fits
in a signed 32-bit integer. "latest" is a query, never a name.

Example:
    >>> from imagegallery import ImageVersionName
    >>> ImageVersionName.parse("1.0.10") > ImageVersionName.parse("1.0.9")
    True
    >>> sorted(["1.0.9", "1.0.10", "0.9.99"], key=ImageVersionName.parse)
    ['0.9.99', '1.0.9', '1.0.10']
"""

from __future__ import annotations

import re
from typing import Final, final

from imagegallery._parsed import ParsedText
from imagegallery.errors import InvalidVersionNameError

__all__ = ["MAX_VERSION_PART", "ImageVersionName"]

MAX_VERSION_PART: Final = 2**31 - 1
"""The largest value of one part of a version name (a signed 32-bit integer)."""

_PATTERN: Final = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)", re.ASCII)
_FORMAT_HINT: Final = (
    "an image version name must be Major(int).Minor(int).Patch(int), for example 1.0.0 or"
    f" 2018.12.1, each part between 0 and {MAX_VERSION_PART}"
)


@final
class ImageVersionName(ParsedText[tuple[int, int, int]]):
    """The name of an image version, compared by ``(major, minor, patch)`` as integers.

    Instances are immutable and hashable; ``str()`` gives back the text they were parsed from.
    Leading zeros are accepted (``01.0.0`` equals ``1.0.0``) and kept in ``str()``.

    Example:
        >>> v = ImageVersionName.parse("2018.12.1")
        >>> v.major, v.minor, v.patch, str(v)
        (2018, 12, 1, '2018.12.1')
        >>> ImageVersionName(1, 0, 10)
        ImageVersionName('1.0.10')
    """

    __slots__ = ()

    def __init__(self, major: int, minor: int, patch: int) -> None:
        for part_name, part in (("major", major), ("minor", minor), ("patch", patch)):
            if type(part) is not int:
                raise InvalidVersionNameError(
                    f"version {part_name} must be an int", field=part_name, value=part
                )
            if not 0 <= part <= MAX_VERSION_PART:
                raise InvalidVersionNameError(_FORMAT_HINT, field=part_name, value=part)
        self._key = (major, minor, patch)
        self._text = f"{major}.{minor}.{patch}"

    @classmethod
    def parse(cls, text: str | ImageVersionName, /) -> ImageVersionName:
        """Parse ``Major.Minor.Patch``.

        Args:
            text: The version name.

        Returns:
            The parsed name.

        Raises:
            InvalidVersionNameError: ``text`` is not three dot-separated decimal integers in the
                32-bit range (``"1.0"``, ``"v1.0.0"``, ``" 1.0.0"``, ``"latest"`` ...).

        Example:
            >>> ImageVersionName.parse("1.0.2147483648")
            Traceback (most recent call last):
            ...
            imagegallery.errors.InvalidVersionNameError: an image version name must be ...
        """
        if type(text) is not str:
            if isinstance(text, ImageVersionName):
                return text
            raise InvalidVersionNameError(_FORMAT_HINT, value=text)
        match = _PATTERN.fullmatch(text)
        if match is None:
            raise InvalidVersionNameError(_FORMAT_HINT, value=text)
        major, minor, patch = int(match[1]), int(match[2]), int(match[3])
        if major > MAX_VERSION_PART or minor > MAX_VERSION_PART or patch > MAX_VERSION_PART:
            raise InvalidVersionNameError(_FORMAT_HINT, value=text)
        self = object.__new__(cls)
        self._key = (major, minor, patch)
        self._text = text
        return self

    @property
    def major(self) -> int:
        """The first part."""
        return self._key[0]

    @property
    def minor(self) -> int:
        """The second part."""
        return self._key[1]

    @property
    def patch(self) -> int:
        """The third part."""
        return self._key[2]

    @property
    def key(self) -> tuple[int, int, int]:
        """``(major, minor, patch)``, the sort key."""
        return self._key

    def __le__(self, other: ImageVersionName) -> bool:
        if isinstance(other, ImageVersionName):
            return self._key <= other._key
        return NotImplemented

    def __gt__(self, other: ImageVersionName) -> bool:
        if isinstance(other, ImageVersionName):
            return self._key > other._key
        return NotImplemented

    def __ge__(self, other: ImageVersionName) -> bool:
        if isinstance(other, ImageVersionName):
            return self._key >= other._key
        return NotImplemented

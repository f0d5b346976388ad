"""The error hierarchy of :mod:`imagegallery`.

Every error the library raises on purpose derives from :class:`ImageGalleryError`. Each concrete
error also subclasses the builtin exception it refines (``ValueError``, ``TypeError``,
``LookupError`` ...), so code that already catches builtins keeps working, and each carries the
offending value and, where it applies, the path of the field in the input that held it.

Example:
    >>> from imagegallery import ImageVersionName, InvalidVersionNameError
    >>> try:
    ...     ImageVersionName.parse("1.0")
    ... except InvalidVersionNameError as err:
    ...     print(err.value, isinstance(err, ValueError))
    1.0 True
"""

from __future__ import annotations

import copy
import reprlib
from collections.abc import Mapping, Sequence
from typing import Any, Final, Self

__all__ = [
    "ConstraintViolationError",
    "CurrencyMismatchError",
    "DuplicateResourceError",
    "ImageGalleryError",
    "ImageVersionNotFoundError",
    "ImageVersionUnavailableError",
    "ImmutablePropertyError",
    "InvalidAccessRecordError",
    "InvalidActionError",
    "InvalidDatetimeError",
    "InvalidEnumValueError",
    "InvalidFieldError",
    "InvalidImageReferenceError",
    "InvalidNameError",
    "InvalidPriceDataError",
    "InvalidRegionError",
    "InvalidResourceIdError",
    "InvalidSpecifierError",
    "InvalidTypeError",
    "InvalidVersionNameError",
    "MalformedJsonError",
    "MissingExtraError",
    "MissingFieldError",
    "NaiveDatetimeError",
    "NoEligibleVersionError",
    "PriceNotFoundError",
    "ResourceNotFoundError",
    "SharingLimitError",
    "UnknownImageSizeError",
    "UnknownPropertyError",
    "UnknownShapeError",
    "UnsupportedResourceTypeError",
    "VersionEndOfLifeError",
    "VersionNotInRegionError",
    "VersionNotReplicatedError",
]

_NO_VALUE: Any = object()


_SHOWN: Final = 400
"""The longest value shown in a message."""


class _ShortRepr(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxtuple = self.maxlist = self.maxdict = self.maxset = 6
        self.maxstring = self.maxother = 300
        self.maxlong = 60

    def repr(self, x: object) -> str:
        text = super().repr(x)
        return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 600:  # about 180 digits: never converted in full
            return f"<an integer of about {int(x.bit_length() * 0.30103)} digits>"
        return super().repr_int(x, level)


_SHORT: Final = _ShortRepr()
"""How a message shows the offending value: ``repr`` cut short (long strings, big numbers, deep
or long containers), so a hostile value never makes a huge message or a deep recursion."""


class ImageGalleryError(Exception):
    """Base class of every error raised by :mod:`imagegallery`."""


class InvalidFieldError(ImageGalleryError, ValueError):
    """A value in the input, or given to a constructor, is not acceptable.

    Attributes:
        reason: What is wrong, in words.
        field: The path of the field that held the value (for example
            ``properties.publishingProfile.targetRegions[2].regionalReplicaCount``), or ``None``.
        value: The offending value.
    """

    def __init__(self, reason: str, *, field: str | None = None, value: Any = _NO_VALUE) -> None:
        self.reason = reason
        self.field = field
        self.value = None if value is _NO_VALUE else value
        self._has_value = value is not _NO_VALUE
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.field}: " if self.field else ""
        shown = f" (got {_SHORT.repr(self.value)})" if self._has_value else ""
        return f"{where}{self.reason}{shown}"

    def __str__(self) -> str:
        return self._message()

    def at(self, prefix: str) -> Self:
        """Return a copy of this error whose field path is prefixed with ``prefix``.

        Loaders use this to report where, in a whole document, a nested value failed.

        Example:
            >>> err = InvalidFieldError("must be >= 1", field="regionalReplicaCount", value=0)
            >>> print(err.at("properties.publishingProfile.targetRegions[2]"))
            properties.publishingProfile.targetRegions[2].regionalReplicaCount: must be >= 1 (got 0)
        """
        clone = copy.copy(self)
        if not self.field:
            clone.field = prefix
        elif self.field.startswith("["):
            clone.field = f"{prefix}{self.field}"
        else:
            clone.field = f"{prefix}.{self.field}" if prefix else self.field
        clone.args = (clone._message(),)
        return clone


class InvalidTypeError(InvalidFieldError, TypeError):
    """A value has the wrong JSON or Python type (for example a string where a number belongs)."""


class MissingFieldError(InvalidFieldError):
    """A required field is absent from the input."""


class InvalidEnumValueError(InvalidFieldError):
    """A value is not one of the members of a closed enumeration (osType, osState, ...)."""


class InvalidDatetimeError(InvalidFieldError):
    """A date-time text is not ISO 8601."""


class NaiveDatetimeError(InvalidDatetimeError):
    """A date-time has no UTC offset; the library never guesses a time zone."""


class InvalidVersionNameError(InvalidFieldError):
    """An image version name is not ``Major.Minor.Patch`` with 32-bit non-negative parts."""


class InvalidResourceIdError(InvalidFieldError):
    """An Azure resource id is malformed or of the wrong kind."""


class InvalidNameError(InvalidFieldError):
    """A gallery, image definition or identifier name breaks Azure's naming rules."""


class InvalidRegionError(InvalidFieldError):
    """A region name cannot be normalized to ARM form."""


class ConstraintViolationError(InvalidFieldError):
    """An entity breaks a rule that involves several values (duplicate LUNs, min > max, ...)."""


class MalformedJsonError(InvalidFieldError):
    """Input text is not valid JSON."""


class UnsupportedResourceTypeError(InvalidFieldError):
    """A resource's ``type`` is not one the loader models."""


class UnknownShapeError(InvalidFieldError):
    """A resource's keys match none of the shapes the loader reads (ARM, ``az`` output, Resource
    Graph row, consumer view), or match two that disagree; the loader never guesses.

    Attributes:
        keys: The resource's top-level keys.
        shapes: The shapes that were tried.
    """

    def __init__(
        self,
        reason: str,
        *,
        field: str | None = None,
        value: Any = _NO_VALUE,
        keys: Sequence[str] = (),
        shapes: Sequence[str] = (),
    ) -> None:
        self.keys = tuple(keys)
        self.shapes = tuple(shapes)
        super().__init__(
            f"{reason} (keys: {', '.join(self.keys)}; shapes tried: {', '.join(self.shapes)})",
            field=field,
            value=value,
        )


class MissingExtraError(ImageGalleryError, ImportError):
    """A function needs an optional dependency that is not installed; the message names the
    extra to install (``pip install 'imagegallery[azure]'``)."""


class DuplicateResourceError(InvalidFieldError):
    """The same resource id occurs twice with different content, or two children collide."""


class ImmutablePropertyError(InvalidFieldError):
    """A change asks for a property that Azure does not allow to change after creation.

    Attributes:
        property: The name of the property.
    """

    def __init__(self, prop: str, *, entity: str, value: Any = _NO_VALUE) -> None:
        self.property = prop
        self.entity = entity
        super().__init__(
            f"{entity} property {prop!r} cannot be changed after creation", field=prop, value=value
        )


class UnknownPropertyError(InvalidFieldError, TypeError):
    """A change names a property the entity does not have."""


class ResourceNotFoundError(ImageGalleryError, KeyError):
    """No resource with the given id or name is present.

    Attributes:
        key: The id or name that was looked up.
    """

    def __init__(self, key: object, *, where: str = "the inventory") -> None:
        self.key = key
        self.value = key
        self.where = where
        super().__init__(key)

    def __str__(self) -> str:
        key = self.key if isinstance(self.key, str) and len(self.key) <= _SHOWN else None
        return f"{key if key is not None else _SHORT.repr(self.key)} is not in {self.where}"


class NoEligibleVersionError(ImageGalleryError, LookupError):
    """No image version of a definition is eligible for the query.

    Attributes:
        definition_id: The image definition that was asked.
        region: The region of the query, or ``None``.
        reasons: For each rejected version name, the reasons it was rejected.
    """

    def __init__(
        self,
        message: str,
        *,
        definition_id: object,
        region: str | None = None,
        reasons: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.definition_id = definition_id
        self.value = definition_id
        self.region = region
        self.reasons: Mapping[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in (reasons or {}).items()
        }
        super().__init__(message)


# -- resolve: "latest", image references, scale-out ---------------------------------------------


class InvalidSpecifierError(InvalidFieldError):
    """A version constraint is not a specifier set such as ``">=1.2,<2"`` or ``"~=1.4.0"``."""


class InvalidImageReferenceError(InvalidFieldError):
    """An image reference names no gallery image (a Marketplace reference, a VM id, no id ...)."""


class ImageVersionUnavailableError(ResourceNotFoundError):
    """A pinned image version cannot be used in the region asked for.

    Attributes:
        version_id: The id of the version, as given in the reference.
        region: The region of the deployment (ARM form).
        reason: Why, in words.
    """

    def __init__(self, version_id: object, *, region: str, reason: str) -> None:
        super().__init__(version_id, where=region)
        self.version_id = version_id
        self.region = region
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class ImageVersionNotFoundError(ImageVersionUnavailableError):
    """The pinned version does not exist (it was never created, or it was deleted)."""


class VersionNotInRegionError(ImageVersionUnavailableError):
    """The pinned version is not replicated to the region (it is not one of its target regions)."""


class VersionNotReplicatedError(ImageVersionUnavailableError):
    """The pinned version targets the region but its replication there has not completed.

    Attributes:
        state: The replication state reported for the region.
    """

    def __init__(self, version_id: object, *, region: str, reason: str, state: object) -> None:
        super().__init__(version_id, region=region, reason=reason)
        self.state = state


class VersionEndOfLifeError(ImageVersionUnavailableError):
    """The pinned version (or its image definition) is past its end-of-life date.

    Attributes:
        end_of_life_date: The date that was reached.
    """

    def __init__(
        self, version_id: object, *, region: str, reason: str, end_of_life_date: object
    ) -> None:
        super().__init__(version_id, region=region, reason=reason)
        self.end_of_life_date = end_of_life_date


# -- costs: prices and cost estimates --------------------------------------------------------------


class PriceNotFoundError(InvalidFieldError, LookupError):
    """A price sheet has no price for a region, a pair of regions or a storage type.

    Raised only when the sheet's fallback is off; with fallback on, an estimate is used instead
    and flagged on every cost line it touches.

    Attributes:
        region: The region (ARM form) whose price is missing, when known.
        storage_type: The storage type asked for, for a snapshot price (else ``None``).
    """

    def __init__(
        self,
        reason: str,
        *,
        field: str | None = None,
        value: Any = _NO_VALUE,
        region: str | None = None,
        storage_type: str | None = None,
    ) -> None:
        self.region = region
        self.storage_type = storage_type
        super().__init__(reason, field=field, value=value)


class InvalidPriceDataError(InvalidFieldError):
    """Retail Prices API pages (or a price table) cannot be read: wrong shape, bad numbers."""


class CurrencyMismatchError(InvalidPriceDataError):
    """Prices in two currencies would be combined (for example EUR pages over the USD defaults)."""


class UnknownImageSizeError(MissingFieldError):
    """The size to price an image version on is unknown: a disk has no size, and none was given.

    Attributes:
        version_id: The id of the image version.
    """

    def __init__(self, reason: str, *, field: str | None = None, version_id: object = None) -> None:
        self.version_id = version_id
        super().__init__(reason, field=field, value=str(version_id))


# -- access: RBAC model, loaders, sharing ----------------------------------------------------------


class InvalidAccessRecordError(InvalidFieldError):
    """A role definition, role assignment, deny assignment, membership or directory record
    cannot be read, or contradicts the rest of the input.

    ``field`` names the record (for example ``role_assignments[3].properties.scope``) and
    ``value`` holds the offending value.
    """


class InvalidActionError(InvalidFieldError):
    """An action string or permission pattern is empty, has spaces, or is not a string."""


class SharingLimitError(ConstraintViolationError):
    """A gallery is directly shared with more subscriptions or tenants than Azure allows.

    Attributes:
        limit: The documented cap (30 subscriptions, 5 tenants).
    """

    def __init__(
        self, reason: str, *, field: str | None = None, value: Any = _NO_VALUE, limit: int
    ) -> None:
        self.limit = limit
        super().__init__(reason, field=field, value=value)

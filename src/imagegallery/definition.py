"""Image definitions (``Microsoft.Compute/galleries/images``) and their parts.

Example:
    >>> from imagegallery import sample_inventory
    >>> d = next(sample_inventory().definitions())
    >>> d.name, str(d.identifier), d.os_type.value, d.os_state.value, d.hyper_v_generation.value
    ('myImage1', 'Contoso/Finance/Backend', 'Linux', 'Generalized', 'V2')
    >>> [str(name) for name in d.versions][:3]
    ['1.0.0', '1.0.9', '1.0.10']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Final

import attrs

from imagegallery import _validators as v
from imagegallery._namemap import NameMap
from imagegallery._schema import (
    BOOL,
    ID,
    INT,
    REGION,
    STR,
    STR_MAP,
    TIME,
    ArmObject,
    ArmResource,
    arm_field,
    enum_codec,
    list_of,
    obj,
)
from imagegallery.enums import (
    Architecture,
    FeatureName,
    HyperVGeneration,
    OsState,
    OsType,
    ProvisioningState,
    SecurityType,
)
from imagegallery.errors import ConstraintViolationError, InvalidNameError, MissingFieldError
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.version import ImageVersion, id_of_kind

__all__ = [
    "Disallowed",
    "GalleryImageFeature",
    "ImageDefinition",
    "ImageIdentifier",
    "ImagePurchasePlan",
    "RecommendedMachineConfiguration",
    "ResourceRange",
    "validate_definition_name",
]

_DEFINITION_NAME: Final = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9])?", re.ASCII)
_IDENTIFIER_PART: Final = re.compile(r"[A-Za-z0-9._-]*[A-Za-z0-9_-]", re.ASCII)


def validate_definition_name(name: str) -> str:
    """Check an image definition name: 1-80 letters, digits, ``-``, ``_``, ``.``, alphanumeric ends.

    Example:
        >>> validate_definition_name("myImage-1.0")
        'myImage-1.0'
        >>> validate_definition_name("-bad")
        Traceback (most recent call last):
        ...
        imagegallery.errors.InvalidNameError: ... (got '-bad')
    """
    if type(name) is not str or not _DEFINITION_NAME.fullmatch(name):
        raise InvalidNameError(
            "an image definition name has 1-80 letters, digits, '-', '_' or '.',"
            " and starts and ends with a letter or digit",
            value=name,
        )
    return name


def _identifier_part(limit: int) -> Any:
    def check(_inst: object, attribute: attrs.Attribute[object], value: str | None) -> None:
        if value is None:
            return
        if type(value) is not str or len(value) > limit or not _IDENTIFIER_PART.fullmatch(value):
            raise InvalidNameError(
                f"{attribute.name} has 1-{limit} letters, digits, '-', '_' or '.',"
                " and does not end with '.'",
                field=attribute.name,
                value=value,
            )

    return check


@attrs.frozen(kw_only=True)
class ImageIdentifier(ArmObject):
    """``properties.identifier``: publisher, offer and SKU; unique within a gallery.

    Example:
        >>> str(ImageIdentifier(publisher="Contoso", offer="Finance", sku="Backend"))
        'Contoso/Finance/Backend'
    """

    publisher: str = arm_field("publisher", STR, required=True, validator=_identifier_part(128))
    offer: str = arm_field("offer", STR, required=True, validator=_identifier_part(64))
    sku: str = arm_field("sku", STR, required=True, validator=_identifier_part(64))

    @property
    def key(self) -> tuple[str, str, str]:
        """The triple, case-folded, for uniqueness checks."""
        return (self.publisher.lower(), self.offer.lower(), self.sku.lower())

    def __str__(self) -> str:
        return f"{self.publisher}/{self.offer}/{self.sku}"


def _min_le_max(inst: ResourceRange, _attribute: object, _value: object) -> None:
    if inst.min is not None and inst.max is not None and inst.min > inst.max:
        raise ConstraintViolationError(
            f"min ({inst.min}) must not exceed max ({inst.max})", field="min", value=inst.min
        )


@attrs.frozen(kw_only=True)
class ResourceRange(ArmObject):
    """A recommended ``{min, max}`` range (min must not exceed max)."""

    min: int | None = arm_field("min", INT, validator=v.int_range(0))
    max: int | None = arm_field("max", INT, validator=[v.int_range(0), _min_le_max])


@attrs.frozen(kw_only=True)
class RecommendedMachineConfiguration(ArmObject):
    """``properties.recommended``: recommended vCPUs and memory (GB)."""

    v_cpus: ResourceRange | None = arm_field(
        "vCPUs", obj(ResourceRange), validator=v.optional_instance_of(ResourceRange)
    )
    memory: ResourceRange | None = arm_field(
        "memory", obj(ResourceRange), validator=v.optional_instance_of(ResourceRange)
    )


@attrs.frozen(kw_only=True)
class Disallowed(ArmObject):
    """``properties.disallowed``: disk types not to use with the image."""

    disk_types: tuple[str, ...] | None = arm_field(
        "diskTypes", list_of(STR), converter=v.optional_tuple, validator=v.items_of(str)
    )


@attrs.frozen(kw_only=True)
class ImagePurchasePlan(ArmObject):
    """``properties.purchasePlan``: the Marketplace plan of the source image."""

    name: str | None = arm_field("name", STR, validator=v.optional_str)
    publisher: str | None = arm_field("publisher", STR, validator=v.optional_str)
    product: str | None = arm_field("product", STR, validator=v.optional_str)


@attrs.frozen(kw_only=True)
class GalleryImageFeature(ArmObject):
    """One entry of ``properties.features`` (``SecurityType``, ``IsHibernateSupported`` ...)."""

    name: FeatureName | None = arm_field(
        "name", enum_codec(FeatureName), converter=v.optional_enum_of(FeatureName)
    )
    value: str | None = arm_field("value", STR, validator=v.optional_str)
    starts_at_version: str | None = arm_field("startsAtVersion", STR, validator=v.optional_str)


def _versions(value: Iterable[ImageVersion] | Mapping[str, ImageVersion]) -> NameMap[ImageVersion]:
    if isinstance(value, NameMap):
        return value
    return NameMap(value)


def _children_under(inst: ImageDefinition, _attribute: object, value: NameMap[Any]) -> None:
    for child in value.values():
        if not isinstance(child, ImageVersion):
            raise ConstraintViolationError("expected an ImageVersion", field="versions", value=child)
        if child.id.parent != inst.id:
            raise ConstraintViolationError(
                f"version {child.id} is not under the definition {inst.id}",
                field="versions",
                value=str(child.id),
            )


def _required_unless_implied(inst: ImageDefinition, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None and not inst.implied:
        raise MissingFieldError("required field is missing", field=attribute.name)


@attrs.frozen(kw_only=True, cache_hash=True)
class ImageDefinition(ArmResource):
    """An image definition: a named, typed family of image versions.

    ``os_type``, ``os_state`` and ``identifier`` are required, except on an *implied*
    definition: one the loader created because versions referred to it while the input held no
    definition body (``implied=True``; it is not written back by ``to_arm``).

    Attributes:
        versions: The image versions, by name (case-insensitive, ordered by version number).
        hyper_v_generation: ``V1`` when the input does not say.
        architecture: ``x64`` when the input does not say.
    """

    ARM_TYPE: ClassVar[str] = "Microsoft.Compute/galleries/images"

    id: ResourceId = arm_field(
        "id",
        ID,
        required=True,
        converter=ResourceId.parse,
        validator=id_of_kind(ResourceKind.IMAGE_DEFINITION),
    )
    location: str = arm_field("location", REGION, required=True, converter=v.region)
    tags: Any = arm_field("tags", STR_MAP, converter=v.optional_frozen_map)
    description: str | None = arm_field(
        "properties.description", STR, validator=v.optional_str
    )
    eula: str | None = arm_field("properties.eula", STR, validator=v.optional_str)
    privacy_statement_uri: str | None = arm_field(
        "properties.privacyStatementUri", STR, validator=v.optional_str
    )
    release_note_uri: str | None = arm_field(
        "properties.releaseNoteUri", STR, validator=v.optional_str
    )
    os_type: OsType | None = arm_field(
        "properties.osType",
        enum_codec(OsType),
        converter=v.optional_enum_of(OsType),
        validator=_required_unless_implied,
    )
    os_state: OsState | None = arm_field(
        "properties.osState",
        enum_codec(OsState),
        converter=v.optional_enum_of(OsState),
        validator=_required_unless_implied,
    )
    hyper_v_generation: HyperVGeneration = arm_field(
        "properties.hyperVGeneration",
        enum_codec(HyperVGeneration),
        absent_default=HyperVGeneration.V1,
        converter=v.enum_of(HyperVGeneration),
    )
    end_of_life_date: datetime | None = arm_field(
        "properties.endOfLifeDate", TIME, converter=v.optional_datetime
    )
    identifier: ImageIdentifier | None = arm_field(
        "properties.identifier",
        obj(ImageIdentifier),
        validator=[v.optional_instance_of(ImageIdentifier), _required_unless_implied],
    )
    recommended: RecommendedMachineConfiguration | None = arm_field(
        "properties.recommended",
        obj(RecommendedMachineConfiguration),
        validator=v.optional_instance_of(RecommendedMachineConfiguration),
    )
    disallowed: Disallowed | None = arm_field(
        "properties.disallowed", obj(Disallowed), validator=v.optional_instance_of(Disallowed)
    )
    purchase_plan: ImagePurchasePlan | None = arm_field(
        "properties.purchasePlan",
        obj(ImagePurchasePlan),
        validator=v.optional_instance_of(ImagePurchasePlan),
    )
    provisioning_state: ProvisioningState | None = arm_field(
        "properties.provisioningState",
        enum_codec(ProvisioningState),
        converter=v.optional_enum_of(ProvisioningState),
    )
    features: tuple[GalleryImageFeature, ...] | None = arm_field(
        "properties.features",
        list_of(obj(GalleryImageFeature)),
        converter=v.optional_tuple,
        validator=v.items_of(GalleryImageFeature),
    )
    architecture: Architecture = arm_field(
        "properties.architecture",
        enum_codec(Architecture),
        absent_default=Architecture.X64,
        converter=v.enum_of(Architecture),
    )
    allow_update_image: bool | None = arm_field(
        "properties.allowUpdateImage", BOOL, validator=v.optional_bool
    )
    implied: bool = attrs.field(default=False, validator=v.optional_bool)
    versions: NameMap[ImageVersion] = attrs.field(
        factory=NameMap, converter=_versions, validator=_children_under
    )
    _cache: dict[str, Any] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False
    )
    """Derived data other modules compute once per (immutable) definition, by key."""

    def __attrs_post_init__(self) -> None:
        try:
            validate_definition_name(self.id.image or "")
        except InvalidNameError as err:
            raise err.at("id") from None

    def __repr__(self) -> str:
        return f"ImageDefinition(id={str(self.id)!r}, versions={len(self.versions)})"

    @property
    def name(self) -> str:
        """The definition's name (the last segment of its id)."""
        return self.id.name

    @property
    def gallery_id(self) -> ResourceId:
        """The id of the gallery the definition belongs to."""
        parent = self.id.parent
        assert parent is not None
        return parent

    def feature(self, name: str | FeatureName) -> str | None:
        """The value of feature ``name`` (case-insensitive), or ``None``."""
        wanted = FeatureName.coerce(name)
        for feature in self.features or ():
            if feature.name is wanted:
                return feature.value
        return None

    @property
    def security_type(self) -> SecurityType | None:
        """The ``SecurityType`` feature as a :class:`SecurityType`, or ``None``."""
        value = self.feature(FeatureName.SECURITY_TYPE)
        return None if value is None else SecurityType(value)

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

from imagegallery import _html
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
    arm,
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
from imagegallery.ids import ResourceId, ResourceKind, to_resource_id
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
    def check(_inst: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
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

    publisher: str = attrs.field(
        metadata=arm("publisher", STR, required=True), validator=_identifier_part(128)
    )
    offer: str = attrs.field(
        metadata=arm("offer", STR, required=True), validator=_identifier_part(64)
    )
    sku: str = attrs.field(metadata=arm("sku", STR, required=True), validator=_identifier_part(64))

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

    min: int | None = attrs.field(metadata=arm("min", INT), default=None, validator=v.int_range(0))
    max: int | None = attrs.field(
        metadata=arm("max", INT), default=None, validator=[v.int_range(0), _min_le_max]
    )


@attrs.frozen(kw_only=True)
class RecommendedMachineConfiguration(ArmObject):
    """``properties.recommended``: recommended vCPUs and memory (GB)."""

    v_cpus: ResourceRange | None = attrs.field(
        metadata=arm("vCPUs", obj(ResourceRange)),
        default=None,
        validator=v.optional_instance_of(ResourceRange),
    )
    memory: ResourceRange | None = attrs.field(
        metadata=arm("memory", obj(ResourceRange)),
        default=None,
        validator=v.optional_instance_of(ResourceRange),
    )


@attrs.frozen(kw_only=True)
class Disallowed(ArmObject):
    """``properties.disallowed``: disk types not to use with the image."""

    disk_types: tuple[str, ...] | None = attrs.field(
        metadata=arm("diskTypes", list_of(STR)),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(str),
    )


@attrs.frozen(kw_only=True)
class ImagePurchasePlan(ArmObject):
    """``properties.purchasePlan``: the Marketplace plan of the source image."""

    name: str | None = attrs.field(
        metadata=arm("name", STR), default=None, validator=v.optional_str
    )
    publisher: str | None = attrs.field(
        metadata=arm("publisher", STR), default=None, validator=v.optional_str
    )
    product: str | None = attrs.field(
        metadata=arm("product", STR), default=None, validator=v.optional_str
    )


@attrs.frozen(kw_only=True)
class GalleryImageFeature(ArmObject):
    """One entry of ``properties.features`` (``SecurityType``, ``IsHibernateSupported`` ...)."""

    name: FeatureName | None = attrs.field(
        metadata=arm("name", enum_codec(FeatureName)),
        default=None,
        converter=attrs.converters.optional(FeatureName),
    )
    value: str | None = attrs.field(
        metadata=arm("value", STR), default=None, validator=v.optional_str
    )
    starts_at_version: str | None = attrs.field(
        metadata=arm("startsAtVersion", STR), default=None, validator=v.optional_str
    )


def _versions(value: Iterable[ImageVersion] | Mapping[str, ImageVersion]) -> NameMap[ImageVersion]:
    if isinstance(value, NameMap):
        return value
    return NameMap(value)


def _children_under(inst: ImageDefinition, _attribute: object, value: NameMap[Any]) -> None:
    for child in value.values():
        if not isinstance(child, ImageVersion):
            raise ConstraintViolationError(
                "expected an ImageVersion", field="versions", value=child
            )
        if child.id.parent != inst.id:
            raise ConstraintViolationError(
                f"version {child.id} is not under the definition {inst.id}",
                field="versions",
                value=str(child.id),
            )


def _required_unless_implied(
    inst: ImageDefinition, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if value is None and not inst.implied:
        raise MissingFieldError("required field is missing", field=attribute.name)


@attrs.frozen(kw_only=True, cache_hash=True)
class ImageDefinition(ArmResource):
    """An image definition: a named, typed family of image versions.

    ``os_type``, ``os_state`` and ``identifier`` are required, except on an *implied*
    definition: one the loader created because versions referred to it while the input held no
    definition body (``implied=True``; it is not written back by ``to_arm``).

    Example:
        >>> d = ImageDefinition(
        ...     id="/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute"
        ...     "/galleries/g1/images/ubuntu",
        ...     location="westeurope",
        ...     os_type="Linux",
        ...     os_state="Generalized",
        ...     identifier=ImageIdentifier(publisher="Contoso", offer="Ubuntu", sku="24_04"),
        ... )
        >>> d.name, d.os_type.value, d.hyper_v_generation.value, d.architecture.value
        ('ubuntu', 'Linux', 'V1', 'x64')

    Attributes:
        versions: The image versions, by name (case-insensitive, ordered by version number).
        hyper_v_generation: ``V1`` when the input does not say.
        architecture: ``x64`` when the input does not say.
    """

    ARM_TYPE: ClassVar[str] = "Microsoft.Compute/galleries/images"

    id: ResourceId = attrs.field(
        metadata=arm("id", ID, required=True),
        converter=to_resource_id,
        validator=id_of_kind(ResourceKind.IMAGE_DEFINITION),
    )
    location: str = attrs.field(metadata=arm("location", REGION, required=True), converter=v.region)
    tags: Any = attrs.field(
        metadata=arm("tags", STR_MAP), default=None, converter=v.optional_frozen_map
    )
    description: str | None = attrs.field(
        metadata=arm("properties.description", STR), default=None, validator=v.optional_str
    )
    eula: str | None = attrs.field(
        metadata=arm("properties.eula", STR), default=None, validator=v.optional_str
    )
    privacy_statement_uri: str | None = attrs.field(
        metadata=arm("properties.privacyStatementUri", STR), default=None, validator=v.optional_str
    )
    release_note_uri: str | None = attrs.field(
        metadata=arm("properties.releaseNoteUri", STR), default=None, validator=v.optional_str
    )
    os_type: OsType | None = attrs.field(
        metadata=arm("properties.osType", enum_codec(OsType)),
        default=None,
        converter=attrs.converters.optional(OsType),
        validator=_required_unless_implied,
    )
    os_state: OsState | None = attrs.field(
        metadata=arm("properties.osState", enum_codec(OsState)),
        default=None,
        converter=attrs.converters.optional(OsState),
        validator=_required_unless_implied,
    )
    hyper_v_generation: HyperVGeneration = attrs.field(
        metadata=arm(
            "properties.hyperVGeneration",
            enum_codec(HyperVGeneration),
            absent_default=HyperVGeneration.V1,
        ),
        default=HyperVGeneration.V1,
        converter=HyperVGeneration,
    )
    end_of_life_date: datetime | None = attrs.field(
        metadata=arm("properties.endOfLifeDate", TIME), default=None, converter=v.optional_datetime
    )
    identifier: ImageIdentifier | None = attrs.field(
        metadata=arm("properties.identifier", obj(ImageIdentifier)),
        default=None,
        validator=[v.optional_instance_of(ImageIdentifier), _required_unless_implied],
    )
    recommended: RecommendedMachineConfiguration | None = attrs.field(
        metadata=arm("properties.recommended", obj(RecommendedMachineConfiguration)),
        default=None,
        validator=v.optional_instance_of(RecommendedMachineConfiguration),
    )
    disallowed: Disallowed | None = attrs.field(
        metadata=arm("properties.disallowed", obj(Disallowed)),
        default=None,
        validator=v.optional_instance_of(Disallowed),
    )
    purchase_plan: ImagePurchasePlan | None = attrs.field(
        metadata=arm("properties.purchasePlan", obj(ImagePurchasePlan)),
        default=None,
        validator=v.optional_instance_of(ImagePurchasePlan),
    )
    provisioning_state: ProvisioningState | None = attrs.field(
        metadata=arm("properties.provisioningState", enum_codec(ProvisioningState)),
        default=None,
        converter=attrs.converters.optional(ProvisioningState),
    )
    features: tuple[GalleryImageFeature, ...] | None = attrs.field(
        metadata=arm("properties.features", list_of(obj(GalleryImageFeature))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(GalleryImageFeature),
    )
    architecture: Architecture = attrs.field(
        metadata=arm(
            "properties.architecture", enum_codec(Architecture), absent_default=Architecture.X64
        ),
        default=Architecture.X64,
        converter=Architecture,
    )
    allow_update_image: bool | None = attrs.field(
        metadata=arm("properties.allowUpdateImage", BOOL), default=None, validator=v.optional_bool
    )
    implied: bool = attrs.field(default=False, validator=v.optional_bool)
    versions: NameMap[ImageVersion] = attrs.field(
        factory=NameMap, converter=_versions, validator=_children_under
    )
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False, hash=False, repr=False)
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

    def _repr_html_(self) -> str:
        return _definition_html(self)


def _definition_html(definition: ImageDefinition) -> str:
    head = _html.fields(
        [
            ("id", definition.id),
            ("identifier", definition.identifier),
            ("OS", f"{_html.text(definition.os_type)} {_html.text(definition.os_state)}".strip()),
            ("Hyper-V generation", definition.hyper_v_generation),
            ("architecture", definition.architecture),
            ("security type", definition.security_type),
            ("end of life", definition.end_of_life_date),
            ("description", definition.description),
            ("tags", definition.tags or None),
        ],
        caption=f"Image definition {definition.name} ({definition.gallery_id.name})",
    )
    versions = _html.table(
        ("version", "published", "end of life", "exclude from latest", "target regions"),
        (
            (v.name, v.published_date, v.end_of_life_date, v.exclude_from_latest, v.region_names)
            for v in list(definition.versions.values())[::-1]
        ),
        caption=f"{_html.count(len(definition.versions), 'version')}, newest first",
        total=len(definition.versions),
    )
    return _html.block(head, versions)

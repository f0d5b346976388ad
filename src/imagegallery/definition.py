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
from attrs.converters import optional

from imagegallery import _fields as f
from imagegallery import _html
from imagegallery import _validators as v
from imagegallery._codecs import ID, INT, REGION, STR, TIME
from imagegallery._namemap import NameMap, children_of, name_map
from imagegallery._schema import ArmObject, ArmResource, arm
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
from imagegallery.timestamps import optional_datetime
from imagegallery.version import ImageVersion

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
    return v.check_name(
        name,
        _DEFINITION_NAME,
        "an image definition name has 1-80 letters, digits, '-', '_' or '.',"
        " and starts and ends with a letter or digit",
    )


def _required(key: str) -> dict[str, Any]:
    return arm(key, STR, required=True)


def _identifier_part(limit: int) -> Any:
    def check(inst: ImageIdentifier, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is None or inst.undisclosed:
            return
        if type(value) is not str or len(value) > limit or not _IDENTIFIER_PART.fullmatch(value):
            raise _bad_part(attribute.name, limit, value)

    return check


def _bad_part(name: str, limit: int, value: object, field: str | None = None) -> InvalidNameError:
    return InvalidNameError(
        f"{name} has 1-{limit} letters, digits, '-', '_' or '.', and does not end with '.'",
        field=field or name,
        value=value,
    )


@attrs.frozen(kw_only=True)
class ImageIdentifier(ArmObject):
    """``properties.identifier``: publisher, offer and SKU; unique within a gallery.

    Example:
        >>> str(ImageIdentifier(publisher="Contoso", offer="Finance", sku="Backend"))
        'Contoso/Finance/Backend'
    """

    publisher: str = attrs.field(metadata=_required("publisher"), validator=_identifier_part(128))
    offer: str = attrs.field(metadata=_required("offer"), validator=_identifier_part(64))
    sku: str = attrs.field(metadata=_required("sku"), validator=_identifier_part(64))

    @property
    def undisclosed(self) -> bool:
        """Whether all three parts are empty: how community views show some identifiers (only
        a consumer view may have such an identifier)."""
        return self.publisher == self.offer == self.sku == ""

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

    min: int | None = f.whole("min")
    max: int | None = attrs.field(
        metadata=arm("max", INT), default=None, validator=[v.int_range(0), _min_le_max]
    )


@attrs.frozen(kw_only=True)
class RecommendedMachineConfiguration(ArmObject):
    """``properties.recommended``: recommended vCPUs and memory (GB)."""

    v_cpus: ResourceRange | None = f.part("vCPUs", ResourceRange)
    memory: ResourceRange | None = f.part("memory", ResourceRange)


@attrs.frozen(kw_only=True)
class Disallowed(ArmObject):
    """``properties.disallowed``: disk types not to use with the image."""

    disk_types: tuple[str, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("diskTypes", str)
    )


@attrs.frozen(kw_only=True)
class ImagePurchasePlan(ArmObject):
    """``properties.purchasePlan``: the Marketplace plan of the source image."""

    name: str | None = f.text("name")
    publisher: str | None = f.text("publisher")
    product: str | None = f.text("product")


@attrs.frozen(kw_only=True)
class GalleryImageFeature(ArmObject):
    """One entry of ``properties.features`` (``SecurityType``, ``IsHibernateSupported`` ...)."""

    name: FeatureName | None = attrs.field(
        default=None, converter=optional(FeatureName), metadata=arm("name", FeatureName)
    )
    value: str | None = f.text("value")
    starts_at_version: str | None = f.text("startsAtVersion")


def _versions(value: Iterable[ImageVersion] | Mapping[str, ImageVersion]) -> NameMap[ImageVersion]:
    return name_map(value)  # typed for the attrs plugin, which does not solve generic converters


def _required_unless_implied(
    inst: ImageDefinition, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if value is None and not inst.implied:
        raise MissingFieldError("required field is missing", field=attribute.name)


def _disclosed_unless_consumer_view(
    inst: ImageDefinition, attribute: attrs.Attribute[Any], value: ImageIdentifier | None
) -> None:
    if value is not None and value.undisclosed and not inst.id.kind.is_proxy:
        raise _bad_part("publisher", 128, "", field=f"{attribute.name}.publisher")


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
        validator=v.id_of_kind(
            ResourceKind.IMAGE_DEFINITION,
            validate_definition_name,
            proxies=(ResourceKind.SHARED_IMAGE, ResourceKind.COMMUNITY_IMAGE),
        ),
    )
    location: str = attrs.field(metadata=arm("location", REGION, required=True), converter=v.region)
    tags: Any = f.tags()
    description: str | None = f.text("properties.description")
    eula: str | None = f.text("properties.eula")
    privacy_statement_uri: str | None = f.text("properties.privacyStatementUri")
    release_note_uri: str | None = f.text("properties.releaseNoteUri")
    os_type: OsType | None = attrs.field(
        default=None,
        converter=optional(OsType),
        metadata=arm("properties.osType", OsType),
        validator=_required_unless_implied,
    )
    os_state: OsState | None = attrs.field(
        default=None,
        converter=optional(OsState),
        metadata=arm("properties.osState", OsState),
        validator=_required_unless_implied,
    )
    hyper_v_generation: HyperVGeneration = attrs.field(
        default=HyperVGeneration.V1,
        converter=HyperVGeneration,
        metadata=arm(
            "properties.hyperVGeneration", HyperVGeneration, absent_default=HyperVGeneration.V1
        ),
    )
    end_of_life_date: datetime | None = attrs.field(
        default=None, converter=optional_datetime, metadata=arm("properties.endOfLifeDate", TIME)
    )
    identifier: ImageIdentifier | None = attrs.field(
        metadata=arm("properties.identifier", ImageIdentifier),
        default=None,
        validator=[
            v.optional_instance_of(ImageIdentifier),
            _required_unless_implied,
            _disclosed_unless_consumer_view,
        ],
    )
    recommended: RecommendedMachineConfiguration | None = f.part(
        "properties.recommended", RecommendedMachineConfiguration
    )
    disallowed: Disallowed | None = f.part("properties.disallowed", Disallowed)
    purchase_plan: ImagePurchasePlan | None = f.part("properties.purchasePlan", ImagePurchasePlan)
    provisioning_state: ProvisioningState | None = attrs.field(
        default=None,
        converter=optional(ProvisioningState),
        metadata=arm("properties.provisioningState", ProvisioningState),
    )
    features: tuple[GalleryImageFeature, ...] | None = attrs.field(
        default=None,
        converter=v.optional_tuple,
        **f.items("properties.features", GalleryImageFeature),
    )
    architecture: Architecture = attrs.field(
        default=Architecture.X64,
        converter=Architecture,
        metadata=arm("properties.architecture", Architecture, absent_default=Architecture.X64),
    )
    allow_update_image: bool | None = f.flag("properties.allowUpdateImage")
    implied: bool = attrs.field(default=False, validator=v.optional_bool)
    versions: NameMap[ImageVersion] = attrs.field(
        factory=NameMap,
        converter=_versions,
        validator=children_of(ImageVersion, "version", "definition"),
    )

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

"""The declarative mapping between entities and ARM JSON, lossless both ways.

Each entity field that has an ARM home is declared with ``attrs.field(metadata=arm(...))``: its
key, a JSON codec, whether it is required, and the value Azure implies when it is absent.
:func:`structure` reads a JSON object into an entity and :func:`unstructure` writes it back:

* keys the entity does not model are kept verbatim in ``extra`` (and ``extra_properties`` for the
  ``properties`` bag of a resource);
* where the typed value does not spell the input exactly (a region ``East US 2`` kept as
  ``eastus2``, a date-time with 7 fractional digits, an explicit ``null``, a key absent but implied
  by a default) the original is remembered in the entity's private ``_wire`` memo and written back
  as long as the typed value still means the same thing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from imagegallery._codecs import STR, Codec, Reading, enum_codec, list_of
from imagegallery._frozen import EMPTY, FrozenDict, freeze_json, thaw_json
from imagegallery._shapes import az_resource_group, without_az_resource_groups
from imagegallery._validators import frozen_map
from imagegallery.enums import ClosedEnum, OpenEnum
from imagegallery.errors import (
    ConstraintViolationError,
    InvalidFieldError,
    InvalidTypeError,
    MissingFieldError,
)

__all__ = [
    "ArmObject",
    "ArmResource",
    "ObjectCodec",
    "arm",
    "obj",
    "structure",
    "unstructure",
]


class _Absent(enum.Enum):
    ABSENT = "absent"


ABSENT: Final = _Absent.ABSENT
_NO_DEFAULT: Final[Any] = object()
_MISSING: Final[Any] = object()


# -- field declarations ------------------------------------------------------------------------


@attrs.frozen
class _FieldSpec:
    attr: str
    group: str  # "" for top-level keys, "properties" for the properties bag
    key: str
    path: str  # "properties.osType"
    codec: Codec
    required: bool
    absent_default: Any


def arm(
    key: str,
    codec: Codec | type | list[type],
    *,
    required: bool = False,
    absent_default: Any = _NO_DEFAULT,
) -> dict[str, Any]:
    """The ``metadata`` of an attrs field with an ARM home.

    Use as ``attrs.field(metadata=arm("regionalReplicaCount", INT), default=None, ...)`` so that
    type checkers still see the field's converter.

    Args:
        key: The JSON key; ``"properties.osType"`` for a key inside the ``properties`` bag.
        codec: How to read and write the JSON value: a codec, ``str``, an enum class (read by
            value), an :class:`ArmObject` class (read as a nested object), or one of these in a
            list (an array of them).
        required: Whether the key must be present.
        absent_default: The value Azure implies when the key is absent (give the same value as
            the field's ``default``; it is remembered so that an absent key stays absent when
            written back).
    """
    return {"arm": (key, codec_of(codec), required, absent_default)}


def codec_of(kind: Codec | type | list[type]) -> Codec:
    """``kind`` itself if it is a codec, else the codec of values of the class ``kind`` (of arrays
    of them for ``[kind]``)."""
    if isinstance(kind, Codec):
        return kind
    if isinstance(kind, list):
        (item,) = kind
        return list_of(codec_of(item))
    if kind is str:
        return STR
    if issubclass(kind, ClosedEnum | OpenEnum):
        return enum_codec(kind)
    if issubclass(kind, ArmObject):
        return ObjectCodec(kind)
    raise TypeError(f"no codec for {kind!r}")  # a declaration error, found at import time


@attrs.frozen(kw_only=True)
class ArmObject:
    """Base of every ARM-shaped value: keeps unmodelled keys and the original spellings."""

    extra: FrozenDict[Any] = attrs.field(
        default=EMPTY, converter=frozen_map, repr=False, kw_only=True
    )
    """Keys of the JSON object this class does not model, kept verbatim (deeply frozen)."""
    _wire: Mapping[str, Any] = attrs.field(
        default=EMPTY, eq=False, hash=False, repr=False, alias="_wire", kw_only=True
    )


@attrs.frozen(kw_only=True)
class ArmResource(ArmObject):
    """Base of the three resource types: also keeps unmodelled keys of ``properties``."""

    extra_properties: FrozenDict[Any] = attrs.field(
        default=EMPTY, converter=frozen_map, repr=False, kw_only=True
    )
    """Keys of ``properties`` this class does not model, kept verbatim (deeply frozen)."""


_Reader = tuple[str, str, Callable[..., Any], Callable[[Any, Any], bool] | None, Any, bool]
"""Per field: attribute, path, ``codec.load``, ``codec.exact`` (lossy codecs only), absent
default, required."""


@attrs.frozen
class _ClassSpec:
    cls: type
    top: tuple[_FieldSpec, ...]
    props: tuple[_FieldSpec, ...]
    by_attr: Mapping[str, _FieldSpec]
    is_resource: bool
    top_by_key: Mapping[str, _Reader]
    props_by_key: Mapping[str, _Reader]
    top_check: tuple[_FieldSpec, ...]
    props_check: tuple[_FieldSpec, ...]
    prop_keys: frozenset[str]
    """The keys of ``properties`` the class models."""


def _reader(s: _FieldSpec) -> _Reader:
    exact = s.codec.exact if s.codec.lossy else None
    return (s.attr, s.path, s.codec.load, exact, s.absent_default, s.required)


def _class_spec(cls: type) -> _ClassSpec:
    """Read the ARM declarations of ``cls``'s fields (once per class, when its codec is made)."""
    specs = []
    for field in attrs.fields(cls):
        meta = field.metadata.get("arm")
        if meta is None:
            continue
        key, codec, required, absent_default = meta
        group, _, leaf = key.rpartition(".")
        specs.append(_FieldSpec(field.name, group, leaf, key, codec, required, absent_default))
    top = tuple(s for s in specs if not s.group)
    props = tuple(s for s in specs if s.group == "properties")
    return _ClassSpec(
        cls=cls,
        top=top,
        props=props,
        by_attr={s.attr: s for s in specs},
        is_resource=issubclass(cls, ArmResource),
        top_by_key={s.key: _reader(s) for s in top},
        props_by_key={s.key: _reader(s) for s in props},
        top_check=tuple(s for s in top if s.required or s.absent_default is not _NO_DEFAULT),
        props_check=tuple(s for s in props if s.required or s.absent_default is not _NO_DEFAULT),
        prop_keys=frozenset(s.key for s in props),
    )


class ObjectCodec(Codec):
    """The codec of a JSON object read into an :class:`ArmObject` class (a nested value, or a
    whole resource).

    The class's field declarations are read when the codec is made (at import time), so that
    reading and writing consult no shared table.
    """

    expected = "an object"

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.spec = _class_spec(cls)

    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        return structure(self.spec, raw, reading)

    def dump(self, value: Any) -> Any:
        spec = self.spec if type(value) is self.cls else _class_spec(type(value))
        return unstructure(spec, value)


def obj(cls: type) -> ObjectCodec:
    """The codec of a nested object."""
    return ObjectCodec(cls)


# -- structure ---------------------------------------------------------------------------------


def _read(
    readers: Mapping[str, _Reader],
    absent: tuple[_FieldSpec, ...],
    data: Mapping[str, Any],
    kwargs: dict[str, Any],
    wire: dict[str, Any],
    *,
    reading: Reading | None,
) -> dict[str, Any] | None:
    """Read the keys of ``data`` into ``kwargs``; return the keys nobody models (or ``None``)."""
    extra: dict[str, Any] | None = None
    path = ""
    get = readers.get
    try:
        for key, raw in data.items():
            reader = get(key)
            if reader is None:
                if (
                    key == "resourceGroup"
                    and reading is not None
                    and reading.az
                    and raw == az_resource_group(data)
                ):
                    continue  # az added it: written again from the id by az_from_arm
                if extra is None:
                    extra = {}
                extra[key] = raw
                continue
            attr, path, load, exact, absent_default, required = reader
            if raw is None:
                wire[path] = None
                if absent_default is not _NO_DEFAULT:
                    kwargs[attr] = absent_default
                elif required:
                    raise MissingFieldError("required field is null")
                continue
            value = kwargs[attr] = load(raw, reading)
            if exact is not None and not exact(value, raw):
                wire[path] = raw
    except InvalidFieldError as err:
        raise err.at(path) from None
    for f in absent:
        if f.key not in data:
            if f.required:
                raise MissingFieldError("required field is missing", field=f.path)
            wire[f.path] = ABSENT
    return extra


def structure(spec: _ClassSpec, data: Any, reading: Reading | None = None) -> Any:
    """Read the JSON object ``data`` into an instance of ``spec.cls``.

    Args:
        spec: The class's declarations (``ObjectCodec(cls).spec``).
        data: The parsed JSON object.
        reading: The load's :class:`~imagegallery._codecs.Reading` (to share small objects, and
            to drop the ``resourceGroup`` keys of ``az`` output), or ``None``.

    Raises:
        InvalidFieldError: (a subclass of it) whose ``field`` is the path of the offending value,
            relative to ``data``.
    """
    if type(data) is not dict:
        raise InvalidTypeError("expected a JSON object", value=data)
    cls = spec.cls
    intern_key: Any = None
    if reading is not None and not spec.is_resource:
        intern_key, hit = reading.interner.find(cls, data)
        if hit is not None:
            return hit
    kwargs: dict[str, Any] = {}
    wire: dict[str, Any] = {}
    extra = _read(spec.top_by_key, spec.top_check, data, kwargs, wire, reading=reading)
    if spec.is_resource:
        if extra is not None:
            for key in ("name", "type", "properties"):
                extra.pop(key, None)
        arm_type = cls.ARM_TYPE  # type: ignore[attr-defined]
        for key in ("name", "type"):
            raw = data.get(key, _MISSING)
            if raw is _MISSING:
                wire[key] = ABSENT
            elif type(raw) is not str:
                raise InvalidTypeError("expected a string", field=key, value=raw)
            elif key == "type" and raw != arm_type:
                wire[key] = raw  # a spelling to keep, such as Resource Graph's lower case
            elif key == "name" and raw != str(data.get("id", "")).rpartition("/")[2]:
                wire[key] = raw
        props = data.get("properties", _MISSING)
        if props is _MISSING or props is None:
            wire["properties"] = ABSENT if props is _MISSING else None
            props = {}
        elif type(props) is not dict:
            raise InvalidTypeError("expected a JSON object", field="properties", value=props)
        extra_props = _read(
            spec.props_by_key, spec.props_check, props, kwargs, wire, reading=reading
        )
        if extra_props:
            if reading is not None and reading.az:
                extra_props = without_az_resource_groups(extra_props)
            kwargs["extra_properties"] = freeze_json(extra_props)
    if extra:
        if reading is not None and reading.az:
            extra = without_az_resource_groups(extra)
        kwargs["extra"] = freeze_json(extra)
    if wire:
        kwargs["_wire"] = wire  # private and never mutated after this point
    try:
        made = cls(**kwargs)
    except InvalidFieldError as err:
        raise _relocate(err, spec) from None
    if intern_key is not None:
        reading.interner.share(intern_key, made)  # type: ignore[union-attr]
    if spec.is_resource:
        name = data.get("name")
        if name is not None and name != made.id.name and name.lower() != made.id.name.lower():
            raise ConstraintViolationError(
                f"the name must be the last segment of the id {made.id}",
                field="name",
                value=name,
            )
    return made


def _relocate(err: InvalidFieldError, spec: _ClassSpec) -> InvalidFieldError:
    """Translate attribute names in ``err.field`` into the ARM path of those attributes."""
    err = err.at("")
    err.field = _arm_path(err.field or "", spec)
    err.args = (str(err),)
    return err


def _arm_path(field: str, spec: _ClassSpec) -> str:
    cut = min((i for i in (field.find("."), field.find("[")) if i >= 0), default=len(field))
    head, rest = field[:cut], field[cut:]
    fspec = spec.by_attr.get(head)
    if fspec is None:
        return field
    codec = fspec.codec
    if rest.startswith(".") and isinstance(codec, ObjectCodec):
        return f"{fspec.path}.{_arm_path(rest[1:], codec.spec)}"
    return fspec.path + rest


# -- unstructure -------------------------------------------------------------------------------


def _write(
    fields: tuple[_FieldSpec, ...], obj_: Any, wire: Mapping[str, Any], out: dict[str, Any]
) -> None:
    for f in fields:
        value = getattr(obj_, f.attr)
        memo = wire.get(f.path, _MISSING) if wire else _MISSING
        if memo is not _MISSING:
            implied = value is None or (
                f.absent_default is not _NO_DEFAULT and value == f.absent_default
            )
            if memo is ABSENT:
                if implied:
                    continue
            elif memo is None:
                if implied:
                    out[f.key] = None
                    continue
            elif value is not None and _same(f.codec, memo, value):
                out[f.key] = memo
                continue
        if value is None:
            continue
        out[f.key] = f.codec.dump(value)


def _same(codec: Codec, memo: Any, value: Any) -> bool:
    try:
        return bool(codec.load(memo) == value)
    except InvalidFieldError:
        return False


def unstructure(spec: _ClassSpec, obj_: Any) -> dict[str, Any]:
    """Write an entity back as a JSON object (the inverse of :func:`structure`)."""
    wire: Mapping[str, Any] = obj_._wire
    out: dict[str, Any] = {}
    _write(spec.top, obj_, wire, out)
    if obj_.extra:
        for key, value in obj_.extra.items():
            out[key] = thaw_json(value)
    if spec.is_resource:
        name_memo = wire.get("name", _MISSING) if wire else _MISSING
        rid = obj_.id
        if type(name_memo) is str and name_memo.lower() == rid.name.lower():
            out["name"] = name_memo
        elif name_memo is not ABSENT:
            out["name"] = rid.name
        type_memo = wire.get("type", _MISSING) if wire else _MISSING
        if type_memo is _MISSING:
            out["type"] = spec.cls.ARM_TYPE  # type: ignore[attr-defined]
        elif type_memo is not ABSENT:
            out["type"] = type_memo
        props: dict[str, Any] = {}
        _write(spec.props, obj_, wire, props)
        if obj_.extra_properties:
            for key, value in obj_.extra_properties.items():
                props[key] = thaw_json(value)
        memo = wire.get("properties", _MISSING) if wire else _MISSING
        if props or memo is _MISSING:
            out["properties"] = props
        elif memo is None:
            out["properties"] = None
    return out
